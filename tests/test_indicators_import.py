"""Storing indicator tables: one transaction per file, re-imports replace; ``stimmen indicators import``."""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from analysis.indicators import INDICATOR_COLUMNS, read_district_map, read_indicators
from survey.cli import main
from survey.db import make_engine, upgrade
from survey.indicators import import_indicators, indicator_frame, indicator_overview
from survey.models import IndicatorValue
from tests.conftest import DATA

INDICATORS = DATA / "indicators"


def _frame(**changes: object) -> pd.DataFrame:
    frame = read_indicators(INDICATORS / "long_semikolon.csv")
    for column, value in changes.items():
        frame[column] = value
    return frame


def test_import_stores_every_row_and_reads_them_back(db: Session) -> None:
    frame = _frame()
    summary = import_indicators(db, frame)
    assert (summary.inserted, summary.replaced, summary.missing) == (5, 0, 1)
    stored = indicator_frame(db)
    assert list(stored.columns) == INDICATOR_COLUMNS
    assert len(stored) == 5
    secret = stored[(stored.indicator == "Einbürgerungsquote") & (stored.year == 2025)].iloc[0]
    assert math.isnan(secret.value)
    assert secret.missing_reason == "Zahlenwert unbekannt oder geheim zu halten"
    assert secret.district is None
    hafen = stored[stored.district == "Hafen"].iloc[0]
    assert (hafen.value, hafen.target, hafen.threshold, bool(hafen.higher_is_better)) == (1021.5, 15.0, 20.0, False)


def test_reimport_replaces_the_same_indicator_district_and_year(db: Session) -> None:
    import_indicators(db, _frame())
    changed = _frame()
    changed.loc[changed.district == "Hafen", "value"] = 17.0
    summary = import_indicators(db, changed)
    assert (summary.inserted, summary.replaced) == (0, 5)  # city-wide rows too (district NULL)
    assert len(db.exec(select(IndicatorValue)).all()) == 5
    assert db.exec(select(IndicatorValue).where(IndicatorValue.district == "Hafen")).one().value == 17.0


def test_a_failing_import_stores_nothing(db: Session) -> None:
    import_indicators(db, _frame())
    duplicate = pd.concat([_frame(indicator="Neu"), _frame(indicator="Neu")])  # the second copy collides
    with pytest.raises(IntegrityError):
        import_indicators(db, duplicate, replace=False)
    assert set(indicator_frame(db).indicator) == {"SGB-II-Quote Ausländer", "Einbürgerungsquote"}
    with pytest.raises(IntegrityError):
        import_indicators(db, _frame(), replace=False)
    assert len(indicator_frame(db)) == 5


def test_official_table_and_overview(db: Session) -> None:
    frame = read_indicators(
        INDICATORS / "genesis_arbeitslosenquote.csv",
        districts=read_district_map(INDICATORS / "districts.csv"),
        field_of_action="Arbeit und Beschäftigung",
        unit="%",
        higher_is_better=False,
    )
    assert import_indicators(db, frame).missing == 6
    [foreigners, germans] = indicator_overview(db)
    assert foreigners.indicator.endswith("Ausländer")
    assert (foreigners.districts, foreigners.years, foreigners.unit) == (3, [2023, 2024, 2025], "%")
    assert foreigners.latest_city_value == 11.5
    assert (foreigners.missing, germans.missing) == (3, 3)


def _stored(url: str) -> list[IndicatorValue]:
    engine = make_engine(url)
    upgrade(engine)
    with Session(engine) as session:
        values = session.exec(select(IndicatorValue)).all()
    engine.dispose()
    return values


def test_cli_imports_a_regionalstatistik_table(env: str) -> None:
    args = ["indicators", "import", str(INDICATORS / "regionalstatistik_auslaender.csv")]
    args += ["--field-of-action", "Zusammenleben und Teilhabe", "--unit", "Personen", "--direction", "higher"]
    args += ["--districts", str(INDICATORS / "districts_numbers.csv")]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    assert "24 values imported" in result.output
    assert "new: 24, replaced: 0, without value: 2" in result.output
    values = _stored(env)
    assert len(values) == 24
    assert {v.district for v in values} == {"Altstadt", "Hafen", "Westend", None}
    again = CliRunner().invoke(main, args)
    assert "new: 0, replaced: 24" in again.output


def test_cli_errors_exit_2_with_file_line_and_column(env: str) -> None:
    result = CliRunner().invoke(main, ["indicators", "import", str(INDICATORS / "broken_value.csv")])
    assert result.exit_code == 2
    assert "broken_value.csv, line 3, column 'value': 'abc' is not a number" in result.output
    assert _stored(env) == []  # the good line 2 was not stored either


def test_cli_official_table_without_field_of_action(env: str) -> None:
    result = CliRunner().invoke(
        main, ["indicators", "import", str(INDICATORS / "genesis_arbeitslosenquote.csv"), "--direction", "lower"]
    )
    assert result.exit_code == 2
    assert "no field of action" in result.output


def test_demo_indicators_are_loaded(db: Session, tmp_path: Path) -> None:
    from survey.demo.seed import DISTRICTS, seed_demo
    from survey.settings import Settings

    seed_demo(db, Settings(database_url="sqlite://", secret_key="x" * 32), responses=5)
    stored = indicator_frame(db)
    assert stored.indicator.nunique() == 20
    assert set(stored.district.dropna()) == set(DISTRICTS)
