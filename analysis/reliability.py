"""Agreement between human coders on code presence per answer, the unit survey coding works in.

A coder who reviewed an answer and assigned no code judged every code absent; such decisions must be
present in the input (with an empty code set), otherwise agreement on absence is invisible.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass
from statistics import fmean

import pandas as pd

from analysis.csvfiles import split_codes


@dataclass(frozen=True)
class Decision:
    """One coder's codes for one answer; an empty set is the decision "none applies"."""

    unit: str
    coder: str
    codes: frozenset[str]


@dataclass(frozen=True)
class CodeAgreement:
    """Agreement on one code over the answers reviewed by at least two coders; None where undefined."""

    code: str
    units: int
    present: int
    """Judgements "present" on those answers: 0 means no coder used the code, so agreement says nothing about it."""
    percent_agreement: float | None
    cohen_kappa: float | None
    """Between the first and the second reviewer of each answer (input order), whoever they are."""
    krippendorff_alpha: float | None


@dataclass(frozen=True)
class Overall:
    units: int
    percent_agreement: float | None
    """Pooled over all answer × code pairs; inflated by rarely used codes (agreeing on absence is easy)."""
    krippendorff_alpha: float | None
    """Nominal alpha over all answer × code cells: the headline figure, corrected for chance."""
    mean_cohen_kappa: float | None
    """Mean over the codes where kappa is defined."""
    mean_krippendorff_alpha: float | None
    """Mean over the codes where alpha is defined."""


@dataclass(frozen=True)
class Disagreement:
    unit: str
    code: str
    present: tuple[str, ...]
    """Coders who assigned the code, in input order."""
    absent: tuple[str, ...]


def decisions_from_frame(
    frame: pd.DataFrame, unit: str = "unit", coder: str = "coder", codes: str = "codes"
) -> list[Decision]:
    """Rows of a codings table (as ``read_table`` gives it) whose ``codes`` cell is ';'-separated text."""
    return [
        Decision(str(u), str(c), split_codes(text))
        for u, c, text in zip(frame[unit], frame[coder], frame[codes], strict=True)
    ]


def agreement(decisions: Iterable[Decision], codes: Iterable[str]) -> list[CodeAgreement]:
    """Per code, in the order given, so codes nobody used still show up."""
    reviewed = _reviewed(decisions)
    result = []
    for code in codes:
        cells = _cells(reviewed, code)
        result.append(
            CodeAgreement(
                code=code,
                units=len(cells),
                present=sum(map(sum, cells)),
                percent_agreement=_percent_agreement(cells),
                cohen_kappa=_first_two_kappa(cells),
                krippendorff_alpha=nominal_alpha(cells),
            )
        )
    return result


def overall(decisions: Iterable[Decision], codes: Iterable[str]) -> Overall:
    reviewed = _reviewed(decisions)
    per_code = [_cells(reviewed, code) for code in codes]
    cells = [values for code_cells in per_code for values in code_cells]
    return Overall(
        units=len(reviewed),
        percent_agreement=_percent_agreement(cells),
        krippendorff_alpha=nominal_alpha(cells),
        mean_cohen_kappa=_mean_defined(_first_two_kappa(code_cells) for code_cells in per_code),
        mean_krippendorff_alpha=_mean_defined(nominal_alpha(code_cells) for code_cells in per_code),
    )


def disagreements(decisions: Iterable[Decision], codes: Iterable[str]) -> list[Disagreement]:
    """What coders should talk about: each answer and code they judged differently."""
    reviewed = _reviewed(decisions)
    found = []
    for code in codes:
        for unit in reviewed:
            present = tuple(d.coder for d in unit if code in d.codes)
            if 0 < len(present) < len(unit):
                absent = tuple(d.coder for d in unit if code not in d.codes)
                found.append(Disagreement(unit[0].unit, code, present, absent))
    return sorted(found, key=lambda d: (d.unit, d.code))


def nominal_alpha(units: Iterable[Sequence[Hashable]]) -> float | None:
    """Krippendorff's alpha for nominal values, one sequence of values per unit (missing ones left out).

    Units with fewer than two values cannot be paired and are ignored. None when alpha is undefined:
    fewer than two distinct values among the pairable ones, so no disagreement could be expected.
    """
    disagreeing = 0.0  # off-diagonal sum of the coincidence matrix
    marginals: Counter[Hashable] = Counter()  # its row sums n_c, one per value
    for values in units:
        counts = Counter(values)
        m = counts.total()
        if m < 2:
            continue
        disagreeing += (m * m - sum(c * c for c in counts.values())) / (m - 1)
        marginals.update(counts)
    n = marginals.total()
    expected = n * n - sum(c * c for c in marginals.values())  # n(n-1) × expected disagreement
    if not expected:
        return None
    return 1 - (n - 1) * disagreeing / expected


def _reviewed(decisions: Iterable[Decision]) -> list[list[Decision]]:
    """Decisions per answer in input order, for answers with at least two coders."""
    by_unit: dict[str, dict[str, Decision]] = {}
    for decision in decisions:
        coders = by_unit.setdefault(decision.unit, {})
        if decision.coder in coders:
            raise ValueError(f"coder {decision.coder!r} judged unit {decision.unit!r} twice")
        coders[decision.coder] = decision
    return [list(coders.values()) for coders in by_unit.values() if len(coders) >= 2]


def _cells(reviewed: list[list[Decision]], code: str) -> list[list[bool]]:
    return [[code in decision.codes for decision in unit] for unit in reviewed]


def _percent_agreement(cells: list[list[bool]]) -> float | None:
    pairs = agreeing = 0
    for values in cells:
        m, p = len(values), sum(values)
        pairs += m * (m - 1) // 2
        agreeing += p * (p - 1) // 2 + (m - p) * (m - p - 1) // 2
    return agreeing / pairs if pairs else None


def _first_two_kappa(cells: list[list[bool]]) -> float | None:
    """Cohen's kappa with "first reviewer" and "second reviewer" as the two coders.

    With many coders no fixed pair shares enough answers; the roles keep the two-coder formula usable.
    """
    n = len(cells)
    if n < 2:
        return None
    observed = sum(values[0] == values[1] for values in cells)
    first = sum(values[0] for values in cells)
    second = sum(values[1] for values in cells)
    chance = first * second + (n - first) * (n - second)  # n² × expected agreement
    if chance == n * n:
        return None
    return (n * observed - chance) / (n * n - chance)


def _mean_defined(values: Iterable[float | None]) -> float | None:
    defined = [value for value in values if value is not None]
    return fmean(defined) if defined else None
