"""Storing imported indicator tables: all rows of a file or none, newer values replacing older ones."""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd
from sqlmodel import Session, select

from analysis.indicators import INDICATOR_COLUMNS, indicator_table
from survey.models import IndicatorValue


@dataclass(frozen=True)
class ImportSummary:
    inserted: int
    replaced: int
    missing: int
    """Rows without a value (an official symbol or a stated reason)."""

    @property
    def total(self) -> int:
        return self.inserted + self.replaced


def _optional(value: object) -> object:
    return None if value is None or (isinstance(value, float) and math.isnan(value)) else value


def import_indicators(session: Session, frame: pd.DataFrame, *, replace: bool = True) -> ImportSummary:
    """Store every row in one transaction; an existing (indicator, district, year) is replaced, or with
    ``replace=False`` makes the whole import fail (IntegrityError), so nothing is ever half-imported."""
    existing = {(v.indicator, v.district, v.year): v for v in session.exec(select(IndicatorValue)).all()}
    inserted = replaced = missing = 0
    try:
        for row in frame[INDICATOR_COLUMNS].to_dict("records"):
            fields = {column: _optional(row[column]) for column in INDICATOR_COLUMNS}
            fields["year"] = int(fields["year"])
            fields["higher_is_better"] = bool(fields["higher_is_better"])
            missing += fields["value"] is None
            old = existing.get((fields["indicator"], fields["district"], fields["year"]))
            if old is not None and replace:
                for column, value in fields.items():
                    setattr(old, column, value)
                session.add(old)
                replaced += 1
            else:
                session.add(IndicatorValue(**fields))
                inserted += 1
        session.commit()
    except Exception:
        session.rollback()
        raise
    return ImportSummary(inserted=inserted, replaced=replaced, missing=missing)


def indicator_frame(session: Session) -> pd.DataFrame:
    """Every stored value in :data:`analysis.indicators.INDICATOR_COLUMNS`, ordered for reading."""
    values = session.exec(
        select(IndicatorValue).order_by(
            IndicatorValue.field_of_action, IndicatorValue.indicator, IndicatorValue.district, IndicatorValue.year
        )
    ).all()
    return indicator_table([{c: getattr(v, c) for c in INDICATOR_COLUMNS} for v in values])


@dataclass(frozen=True)
class IndicatorOverview:
    """One imported indicator as the admin page lists it."""

    indicator: str
    field_of_action: str
    districts: int
    years: list[int]
    unit: str | None
    latest_city_value: float | None
    """The whole city's value in the latest year; None when missing or only districts were imported."""
    missing: int


def indicator_overview(session: Session) -> list[IndicatorOverview]:
    frame = indicator_frame(session)
    rows = []
    for (field, name), group in frame.groupby(["field_of_action", "indicator"], sort=True):
        years = sorted(int(y) for y in group["year"].unique())
        city = group[group["district"].isna() & (group["year"] == years[-1])]["value"].dropna()
        rows.append(
            IndicatorOverview(
                indicator=name,
                field_of_action=field,
                districts=int(group["district"].nunique()),
                years=years,
                unit=group["unit"].dropna().iloc[-1] if group["unit"].notna().any() else None,
                latest_city_value=float(city.iloc[0]) if len(city) else None,
                missing=int(group["value"].isna().sum()),
            )
        )
    return rows
