"""Shares with intervals for the city and its districts (or groups), passed through the privacy rules.

One function serves closed questions and codes alike: a table of counts (areas × options) and each area's base
``n`` become :class:`Share` objects. Suppression runs in three steps, each safe against differencing:
areas whose base for this question is small show nothing (and so many more that the base cannot be worked out
from the others); the city's own cells under the minimum are withheld with a complement, and a withheld city
column is withheld in every area, since the areas' cells would add up to it; within the shown areas
``privacy.suppress_table`` adds secondary suppression so that no cell follows from row and column totals.
For options that do not partition the base (multiple choice, codes) each option is a two-column table
"chosen / not chosen", because ``n - count`` is as public as ``count``.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

import numpy as np

from analysis.privacy import small_base, suppress_cells, suppress_counts
from analysis.report_model import Share
from analysis.statistics import wilson_interval


@dataclass
class Weighted:
    """Weighted sums of a :class:`Table`: weight of those choosing each option and of those answering, and
    Kish's effective base, per area and for the city."""

    counts: np.ndarray
    """Areas × options."""
    n: np.ndarray
    effective_n: np.ndarray
    city_counts: np.ndarray
    city_n: float
    city_effective_n: float


@dataclass
class Table:
    """Answers choosing each option by area, and the city's own figures, which also hold the withheld areas
    and the answers without an area. Plain arrays: a report builds a few hundred tables, and pandas objects
    would cost more than the counting."""

    areas: list[str]
    options: list[str]
    counts: np.ndarray
    """Areas × options."""
    n: np.ndarray
    """Answers per area (the base of every share in the row)."""
    city_counts: np.ndarray
    """Per option."""
    city_n: int
    weighted: Weighted | None = None


def withheld_share() -> Share:
    return Share(None, None, None, None, None, suppressed=True, small_base=False)


def share_grid(
    table: Table, min_cell: int, *, partition: bool, withheld: Collection[str] = ()
) -> tuple[dict[str, Share], dict[str, dict[str, Share]]]:
    """City share and area shares per option; ``partition``: every answer chose exactly one option."""
    options, areas, weighted = table.options, table.areas, table.weighted
    city_hidden = _hidden_city(table.city_counts, options, table.city_n, min_cell, partition)
    city_n = np.full(len(options), table.city_n)
    city_weights = None
    if weighted is not None:
        city_weights = (
            weighted.city_counts,
            np.full(len(options), weighted.city_n),
            np.full(len(options), weighted.city_effective_n),
        )
    city = make_shares(table.city_counts, city_n, city_weights)
    overall = {option: withheld_share() if city_hidden[j] else city[j] for j, option in enumerate(options)}

    shown = [i for i, area in enumerate(areas) if area not in withheld]
    small_rows = suppress_counts(
        {areas[i]: int(table.n[i]) for i in shown}, min_cell, total=int(table.n[shown].sum()), partition=True
    )
    rows = [i for i in shown if areas[i] not in small_rows]
    hidden = np.ones(table.counts.shape, dtype=bool)
    hidden[rows] = _hidden_cells(table.counts[rows], table.n[rows], min_cell, partition)
    hidden[:, city_hidden] = True
    area_n = np.broadcast_to(table.n[:, None], table.counts.shape)
    area_weights = None
    if weighted is not None:
        area_weights = (
            weighted.counts.ravel(),
            np.broadcast_to(weighted.n[:, None], table.counts.shape).ravel(),
            np.broadcast_to(weighted.effective_n[:, None], table.counts.shape).ravel(),
        )
    cells = make_shares(table.counts.ravel(), area_n.ravel(), area_weights)
    width = len(options)
    by_area = {
        option: {area: withheld_share() if hidden[i, j] else cells[i * width + j] for i, area in enumerate(areas)}
        for j, option in enumerate(options)
    }
    return overall, by_area


def make_share(count: int, n: int, weights: tuple[float, float, float] | None = None) -> Share:
    """``weights``: weighted count, weighted base and effective base; the interval then uses the effective base."""
    arrays = None if weights is None else tuple(np.array([value], dtype=float) for value in weights)
    return make_shares(np.array([count]), np.array([n]), arrays)[0]


def make_shares(
    counts: np.ndarray, n: np.ndarray, weights: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None
) -> list[Share]:
    """:func:`make_share` for many cells with one interval computation: per call numpy costs more than the maths.

    Numbers leave as plain Python values: the section is serialised as JSON, which knows no numpy types."""
    counts, n = counts.astype(np.int64), n.astype(np.int64)
    with np.errstate(divide="ignore", invalid="ignore"):
        low, high = wilson_interval(counts, n)
        if weights is not None:
            weighted_share = weights[0] / weights[1]
            weighted_low, weighted_high = wilson_interval(weighted_share * weights[2], weights[2])
    shares = []
    for i, (count, base) in enumerate(zip(counts.tolist(), n.tolist(), strict=True)):
        if not base:
            shares.append(Share(count, base, None, None, None, suppressed=False, small_base=small_base(base)))
        elif weights is None or not weights[1][i]:
            shares.append(Share(count, base, count / base, float(low[i]), float(high[i]), False, small_base(base)))
        else:
            shares.append(
                Share(
                    count,
                    base,
                    float(weighted_share[i]),
                    float(weighted_low[i]),
                    float(weighted_high[i]),
                    suppressed=False,
                    small_base=small_base(base),
                    weighted=True,
                )
            )
    return shares


def _hidden_city(counts: np.ndarray, options: list[str], n: int, min_cell: int, partition: bool) -> np.ndarray:
    """Which options the city withholds."""
    values = counts.tolist()
    if partition:
        hidden = suppress_counts({str(k): int(v) for k, v in zip(options, values, strict=True)}, min_cell, total=n)
        return np.array([option in hidden for option in options], dtype=bool)
    return np.array(
        ["chosen" in suppress_counts({"chosen": int(v), "not": n - int(v)}, min_cell, total=n) for v in values],
        dtype=bool,
    )


def _hidden_cells(counts: np.ndarray, n: np.ndarray, min_cell: int, partition: bool) -> np.ndarray:
    """Which cells to withhold among rows whose base ``n`` is published."""
    if not counts.size:
        return np.zeros(counts.shape, dtype=bool)
    if partition:
        return suppress_cells(counts.astype(np.int64), min_cell)
    hidden = np.zeros(counts.shape, dtype=bool)
    for j in range(counts.shape[1]):
        pair = np.stack([counts[:, j], n - counts[:, j]], axis=1).astype(np.int64)
        hidden[:, j] = suppress_cells(pair, min_cell)[:, 0]
    return hidden
