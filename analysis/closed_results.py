"""Shares of the closed questions for the city and each district, counted in one vectorised pass.

The answer table is reduced to integer codes (response position, question line, value, district) once, so that
all counting is a few ``bincount`` calls over integer arrays however many answers there are; the per-question
tables, a few dozen small arrays, are slices of those counts. Hashing the text columns is most of the cost.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from analysis.report_input import ReportInput, positions
from analysis.report_model import ClosedResult, OptionResult, Share
from analysis.shares import Table, Weighted, make_share, share_grid, withheld_share

Headline = tuple[str, str, tuple[str, ...]]
"""(question, item, options): answers choosing any of the options, e.g. "voll und ganz" or "eher zugehörig"."""


@dataclass
class ClosedOutcome:
    results: list[ClosedResult]
    headlines: dict[str, Share]
    """Combined shares for the headline sentences, by headline name (withheld unless every part is shown)."""


def district_positions(responses: pd.DataFrame, districts: list[str]) -> np.ndarray:
    """Each response's district as an index into ``districts`` (-1: none or unknown)."""
    return pd.Categorical(responses["district"], categories=districts).codes.astype(np.int64)


def closed_results(
    data: ReportInput,
    withheld: Collection[str],
    weights: pd.Series | None = None,
    headlines: Mapping[str, Headline] | None = None,
) -> ClosedOutcome:
    """``weights``: raking weights per response (aligned with ``data.responses``), or None for plain shares."""
    counts = _Counts(data, weights)
    results, lines = [], {}
    for definition in data.questions:
        for item_id, item_label in definition.items or [("", "")]:
            line = counts.line(definition.id, item_id)
            if line is None:
                continue
            defined = {value for value, _ in definition.options}
            options = list(definition.options) + [(v, v) for v in counts.values_of(line) if v not in defined]
            table = counts.table(line, [value for value, _ in options], data.districts)
            overall, by_district = share_grid(
                table, data.min_cell_size, partition=definition.kind != "multiple_choice", withheld=withheld
            )
            key = f"{definition.id}.{item_id}" if item_id else definition.id
            label = f"{definition.label} – {item_label}" if item_id else definition.label
            results.append(
                ClosedResult(
                    key,
                    label,
                    [
                        OptionResult(o, lab, overall[o], {d: by_district[o][d] for d in data.districts})
                        for o, lab in options
                    ],
                )
            )
            lines[key] = (table, overall)
    return ClosedOutcome(results, {name: _headline(spec, lines) for name, spec in (headlines or {}).items()})


class _Counts:
    """All closed answers counted at once as dense arrays: per (line, value) cell that has answers, answers
    by district; per line, respondents by district. Column 0 holds respondents without a known district.

    A line is a question and matrix item; respondents who ticked several options count once in its base (found
    with a respondent × line bitmap: a byte per pair, about 10 MB for 100,000 responses)."""

    def __init__(self, data: ReportInput, weights: pd.Series | None) -> None:
        closed = data.closed
        position = positions(data.responses["response_id"], closed["response_id"])
        known = position >= 0
        if not known.all():
            closed, position = closed[known], position[known]
        question, questions = _factorize(closed["question_id"])
        item, items = _factorize(closed["item"], missing="")
        value, self.values = _factorize(closed["value"])
        self.value_index = {name: i for i, name in enumerate(self.values)}
        width = max(len(items), 1)
        self.line_of = {(q, i): a * width + b for a, q in enumerate(questions) for b, i in enumerate(items)}
        lines, values, self.districts = len(questions) * width, len(self.values), len(data.districts) + 1
        line = question * width + item
        area = district_positions(data.responses, data.districts) + 1
        district = area[position]

        cell = line * values + value
        self.cells = np.flatnonzero(np.bincount(cell, minlength=lines * values))
        self.bounds = np.searchsorted(self.cells // values, np.arange(lines + 1))
        lookup = np.zeros(lines * values, dtype=np.int64)
        lookup[self.cells] = np.arange(len(self.cells))
        chosen = lookup[cell] * self.districts + district
        self.chosen = np.bincount(chosen, minlength=len(self.cells) * self.districts).reshape(-1, self.districts)

        seen = np.zeros(len(area) * lines, dtype=bool)  # respondent × line: several ticks count once
        seen[position * lines + line] = True
        pairs = np.flatnonzero(seen)
        answered = (pairs % lines) * self.districts + area[pairs // lines]
        self.answered = np.bincount(answered, minlength=lines * self.districts).reshape(-1, self.districts)

        self.weighted = None
        if weights is not None:  # pandas' compensated sums, in the order of the answers, as before
            weight = weights.to_numpy()[position]
            first = ~pd.Series(position * lines + line).duplicated().to_numpy()
            by_cell = pd.Series(weight).groupby(chosen).sum()
            base = weight[first]
            lines_of = (line * self.districts + district)[first]
            by_line = pd.DataFrame({"weight": base, "square": base**2}).groupby(lines_of).sum()
            self.weighted = (
                _scatter(by_cell, self.chosen.shape),
                _scatter(by_line["weight"], self.answered.shape),
                _scatter(by_line["square"], self.answered.shape),
            )

    def line(self, question: str, item: str) -> int | None:
        """The line's index, or None when nobody answered it."""
        line = self.line_of.get((question, item))
        return None if line is None or self.bounds[line] == self.bounds[line + 1] else line

    def values_of(self, line: int) -> list[str]:
        """Values given on the line, in order of first appearance in the answers."""
        return [self.values[i] for i in self._value_codes(line)]

    def table(self, line: int, options: list[str], districts: list[str]) -> Table:
        start, stop = self.bounds[line], self.bounds[line + 1]
        codes = [self.value_index.get(option, -1) for option in options]
        row_of = {code: start + i for i, code in enumerate(self._value_codes(line).tolist())}
        rows = [row_of.get(code, -1) for code in codes]
        everywhere = _rows(self.chosen, rows)
        n_all = self.answered[line]
        weighted = None
        if self.weighted is not None:
            chosen, base, squares = self.weighted
            w_all = _rows(chosen, rows)
            with np.errstate(divide="ignore", invalid="ignore"):
                effective = base[line, 1:] ** 2 / squares[line, 1:]
            present = n_all > 0
            city_n, city_squares = np.sum(base[line][present]), np.sum(squares[line][present])
            weighted = Weighted(
                w_all[:, 1:].T,
                base[line, 1:],
                np.where(np.isnan(effective), 0.0, effective),
                _city_sums(chosen[start:stop], self.chosen[start:stop] > 0, self._value_codes(line), codes),
                float(city_n),
                float(city_n**2 / city_squares),
            )
        return Table(
            districts, options, everywhere[:, 1:].T, n_all[1:], everywhere.sum(axis=1), int(n_all.sum()), weighted
        )

    def _value_codes(self, line: int) -> np.ndarray:
        return self.cells[self.bounds[line] : self.bounds[line + 1]] % len(self.values)


def _factorize(column: pd.Series, missing: str | None = None) -> tuple[np.ndarray, list[str]]:
    """Codes of ``column.fillna(missing).astype(str)`` and its values in order of appearance, hashing the long
    column only once (the conversions run on its few distinct values)."""
    codes, uniques = pd.factorize(column, use_na_sentinel=False)
    uniques = pd.Series(uniques) if missing is None else pd.Series(uniques).fillna(missing)
    merged, names = pd.factorize(uniques.astype(str), use_na_sentinel=False)  # distinct values may print alike
    return merged[codes], [str(name) for name in names]


def _scatter(sums: pd.Series, shape: tuple[int, int]) -> np.ndarray:
    """Sums by flat cell index as a dense array, zero where nothing was summed."""
    dense = np.zeros(shape[0] * shape[1])
    dense[sums.index.to_numpy()] = sums.to_numpy()
    return dense.reshape(shape)


def _rows(counts: np.ndarray, rows: list[int]) -> np.ndarray:
    """Rows of ``counts`` (row -1: an option nobody chose, all zero)."""
    return np.vstack([counts, np.zeros((1, counts.shape[1]), dtype=counts.dtype)])[rows]


def _city_sums(weights: np.ndarray, present: np.ndarray, values: np.ndarray, codes: list[int]) -> np.ndarray:
    """Each option's weight over all districts, summed by pandas in the same frame as before: the order of a
    float sum changes its last digit, and the shares must not change with the way they are counted."""
    cells, districts = np.nonzero(present)
    index = pd.MultiIndex.from_arrays([values[cells], districts - 1], names=["value", "district"])
    sums = pd.Series(weights[cells, districts], index=index)
    return sums.unstack("district", fill_value=0.0).reindex(codes, fill_value=0.0).sum(axis=1).to_numpy()


def _headline(spec: Headline, lines: dict[str, tuple[Table, dict[str, Share]]]) -> Share:
    question, item, options = spec
    key = f"{question}.{item}" if item else question
    if key not in lines:
        return withheld_share()
    table, overall = lines[key]
    parts = [option for option in options if option in overall]
    if not parts or any(overall[option].suppressed for option in parts):
        return withheld_share()
    columns = [table.options.index(option) for option in parts]
    count = int(table.city_counts[columns].sum())
    weighted = table.weighted
    if weighted is None:
        return make_share(count, table.city_n)
    return make_share(
        count, table.city_n, (weighted.city_counts[columns].sum(), weighted.city_n, weighted.city_effective_n)
    )
