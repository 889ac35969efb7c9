"""``stimmen indicators import``: quantitative indicator tables into the database."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from rich.console import Console
from rich.table import Table

console = Console()


@click.group()
def indicators() -> None:
    """Quantitative indicators (long format, GENESIS/Destatis, Regionalstatistik)."""


@indicators.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--field-of-action", default=None, help="Handlungsfeld, for tables that do not name one.")
@click.option("--indicator", default=None, help="Indicator name (official tables: default is the table title).")
@click.option("--unit", default=None, help="Unit, e.g. % or Personen.")
@click.option("--direction", type=click.Choice(["higher", "lower"]), default=None, help="Which way is better.")
@click.option("--source", default=None, help="Source (official tables: default is the table number).")
@click.option(
    "--districts",
    "districts_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help="CSV with a header and columns code, name: official or municipal district codes.",
)
def import_(
    file: Path,
    field_of_action: str | None,
    indicator: str | None,
    unit: str | None,
    direction: str | None,
    source: str | None,
    districts_file: Path | None,
) -> None:
    """Import FILE (CSV or XLSX); every row or none. Errors name file, line and column (exit code 2)."""
    from analysis.indicators import IndicatorError, read_district_map, read_indicators
    from survey.db import make_engine, session_scope, upgrade
    from survey.indicators import import_indicators
    from survey.settings import get_settings

    try:
        districts = read_district_map(districts_file) if districts_file else None
        frame = read_indicators(
            file,
            districts=districts,
            field_of_action=field_of_action,
            indicator=indicator,
            unit=unit,
            higher_is_better=None if direction is None else direction == "higher",
            source=source,
        )
    except IndicatorError as exc:
        click.echo(f"error: {exc}", err=True)  # unwrapped, so file, line and column stay on one line
        sys.exit(2)
    engine = make_engine(get_settings().database_url)
    upgrade(engine)
    for session in session_scope(engine):
        summary = import_indicators(session, frame)
    engine.dispose()
    table = Table(title=f"{file.name}: {summary.total} values imported")
    for column in ("indicator", "field of action", "districts", "years"):
        table.add_column(column)
    for (name, field), group in frame.groupby(["indicator", "field_of_action"], sort=True):
        years = sorted(group["year"].unique())
        table.add_row(name, field, str(group["district"].nunique(dropna=False)), f"{years[0]}–{years[-1]}")
    console.print(table)
    console.print(f"new: {summary.inserted}, replaced: {summary.replaced}, without value: {summary.missing}")
