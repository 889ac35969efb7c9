"""``stimmen report``: the combined report section of a wave as Markdown, HTML, DOCX or JSON."""

from __future__ import annotations

from pathlib import Path

import click
from rich.console import Console
from rich.progress import Progress, SpinnerColumn, TextColumn

err_console = Console(stderr=True)
FORMATS = ("md", "html", "docx", "json")


@click.command("report")
@click.option("--wave", "slug", required=True, help="Slug of the wave to report on.")
@click.option("--format", "fmt", required=True, type=click.Choice(FORMATS), help="md writes figures/ beside.")
@click.option("--out", required=True, type=click.Path(dir_okay=False, path_type=Path), help="File to write.")
@click.option("--language", default="de", show_default=True, type=click.Choice(["de", "en"]), help="Report language.")
@click.option("--weighted", is_flag=True, help="Rake shares to the districts' population (indicator table).")
@click.option("--no-compare", is_flag=True, help="Leave out the comparison with the previous wave.")
def report(slug: str, fmt: str, out: Path, language: str, weighted: bool, no_compare: bool) -> None:
    """Write the combined report section of a wave: indicators, survey results and coded voices."""
    from sqlmodel import Session, select

    from analysis.report import build_section
    from survey.db import make_engine, upgrade
    from survey.models import Wave
    from survey.report_data import load_report_input, previous_wave
    from survey.report_output import write_report
    from survey.settings import get_settings
    from survey.waves import wave_by_slug

    engine = make_engine(get_settings().database_url)
    upgrade(engine)
    with Session(engine) as db:
        wave = wave_by_slug(db, slug)
        if wave is None:
            slugs = ", ".join(db.exec(select(Wave.slug).order_by(Wave.slug)).all()) or "none"
            engine.dispose()
            raise click.BadParameter(f"no wave {slug!r} (existing waves: {slugs})", param_hint="--wave")
        with Progress(SpinnerColumn(), TextColumn("{task.description}"), console=err_console, transient=True) as bar:
            task = bar.add_task(f"Loading the answers of wave {slug}", total=None)
            data = load_report_input(db, wave, language, None if no_compare else previous_wave(db, wave))
            bar.update(task, description="Building the report section")
            section = build_section(data, language, figures=fmt != "json", weighted=weighted)
            bar.update(task, description=f"Writing {out}")
            written = write_report(section, fmt, out)
    engine.dispose()
    compared = f", compared with wave {section.previous_wave}" if section.previous_wave else ""
    click.echo(f"Wrote the report section of wave {slug} ({section.respondents} respondents{compared}) to {out}.")
    if len(written) > 1:
        click.echo(f"{len(written) - 1} figure(s) in {written[1].parent}.")
