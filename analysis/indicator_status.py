"""Where each indicator stands against its target and threshold, and where it is heading.

The status reads the latest year's value with the indicator's direction (``higher_is_better``); the trend
compares the last two years that have a value, and calls a relative change under 2 % stable so that rounding
and small fluctuations do not read as progress or decline.
"""

from __future__ import annotations

import math

import pandas as pd

from analysis.report_model import IndicatorRow, IndicatorValue, Status, Trend

STABLE_CHANGE = 0.02
OPTIONAL_COLUMNS = {
    "district": None,
    "missing_reason": None,
    "unit": None,
    "target": None,
    "threshold": None,
    "higher_is_better": True,
    "source": None,
}
"""Columns an indicator table may leave out, and what they mean when absent."""


def indicator_status(
    value: float | None, target: float | None, threshold: float | None, higher_is_better: bool, trend: Trend
) -> Status:
    """``on_track``: between threshold and target and improving; the other values as in the model."""
    if _missing(value):
        return "missing"
    if _missing(target) and _missing(threshold):
        return "no_target"
    sign = 1 if higher_is_better else -1
    if not _missing(target) and sign * (value - target) >= 0:
        return "target_reached"
    if not _missing(threshold) and sign * (value - threshold) < 0:
        return "below_threshold"
    return "on_track" if trend == "improving" else "between"


def indicator_trend(values: list[float | None], higher_is_better: bool) -> Trend:
    """From the last two values that are there (oldest first)."""
    known = [value for value in values if not _missing(value)]
    if len(known) < 2:
        return "unknown"
    before, latest = known[-2], known[-1]
    change = (latest - before) / abs(before) if before else (math.inf if latest else 0.0)
    if abs(change) < STABLE_CHANGE:
        return "stable"
    return "improving" if (latest > before) == higher_is_better else "worsening"


def indicator_rows(indicators: pd.DataFrame) -> list[IndicatorRow]:
    """One row per indicator and area (city first, then districts by name), years in order."""
    if indicators.empty:
        return []
    frame = indicators.assign(**{name: value for name, value in OPTIONAL_COLUMNS.items() if name not in indicators})
    frame = frame.assign(district=frame["district"].where(frame["district"].notna(), None)).sort_values("year")
    columns = {name: frame[name].tolist() for name in ("year", "value", "missing_reason", *OPTIONAL_COLUMNS)}
    groups = frame.groupby(["indicator", "district"], dropna=False, sort=False).indices  # plain lists: fast
    rows = []
    for (indicator, district), positions in groups.items():
        group = {name: [column[i] for i in positions] for name, column in columns.items()}
        district = None if _missing(district) or district == "" else str(district)
        values = [
            IndicatorValue(int(year), None if _missing(value) else float(value), None if _missing(reason) else reason)
            for year, value, reason in zip(group["year"], group["value"], group["missing_reason"], strict=True)
        ]
        direction = _last(group["higher_is_better"])
        higher = True if direction is None else bool(direction)
        target, threshold = _last(group["target"]), _last(group["threshold"])
        trend = indicator_trend([item.value for item in values], higher)
        rows.append(
            IndicatorRow(
                indicator=str(indicator),
                district=district,
                unit=_last(group["unit"]),
                values=values,
                target=target,
                threshold=threshold,
                higher_is_better=higher,
                status=indicator_status(values[-1].value, target, threshold, higher, trend),
                trend=trend,
                source=_last(group["source"]),
            )
        )
    return sorted(rows, key=lambda row: (row.indicator, row.district is not None, row.district or ""))


def _last(column: list):
    known = [value for value in column if not _missing(value)]
    if not known:
        return None
    value = known[-1]
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else value


def _missing(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA
