"""``stimmen code``, ``stimmen train`` and ``stimmen agreement``: the text-analysis commands."""

from __future__ import annotations

from pathlib import Path

import click
from rich.console import Console
from rich.progress import Progress
from rich.table import Table

console = Console()
err_console = Console(stderr=True)

codebook_option = click.option(
    "--codebook",
    "codebook_path",
    default=None,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Codebook YAML (default: the shipped codebook).",
)


def _figure(value: float | None) -> str:
    return "–" if value is None else f"{value:.2f}"


def _wave(db, slug: str):
    from survey.waves import wave_by_slug

    wave = wave_by_slug(db, slug)
    if wave is None:
        raise click.ClickException(f"no wave with the slug {slug!r}")
    return wave


def _engine():
    from survey.db import make_engine, upgrade
    from survey.settings import get_settings

    engine = make_engine(get_settings().database_url)
    upgrade(engine)
    return engine


def _progress() -> Progress:
    return Progress(console=err_console, transient=True)


@click.command("code")
@click.option(
    "--input",
    "input_path",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="CSV export of answers (any survey tool).",
)
@click.option("--text-column", help="Column holding the free-text answers.")
@click.option("--lang-column", default=None, help="Column with each answer's survey language (optional).")
@click.option("--question-column", default=None, help="Column with the question id, for codebook scoping (optional).")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), help="CSV to write.")
@click.option("--wave", "slug", default=None, help="Code the free-text answers of this wave in the database.")
@codebook_option
def code(
    input_path: Path | None,
    text_column: str | None,
    lang_column: str | None,
    question_column: str | None,
    out: Path | None,
    slug: str | None,
    codebook_path: Path | None,
) -> None:
    """Code free-text answers from a CSV (adds language, codes, evidence, confidence) or of a wave."""
    if (input_path is None) == (slug is None):
        raise click.UsageError("give either --input (with --text-column and --out) or --wave")
    if slug:
        _code_wave(slug, codebook_path)
        return
    if not text_column or not out:
        raise click.UsageError("--input needs --text-column and --out")
    from analysis.coding import code_frame
    from analysis.csvfiles import TableError, read_table

    columns = [c for c in (text_column, lang_column, question_column) if c]
    try:
        frame = read_table(input_path, columns)
    except TableError as exc:
        raise click.ClickException(str(exc)) from None
    coder = _coder(codebook_path)
    with _progress() as progress:
        task = progress.add_task("Coding answers", total=len(frame))
        chunks = code_frame(
            frame, coder, text_column, lang_column, question_column, lambda n: progress.advance(task, n)
        )
        for index, chunk in enumerate(chunks):
            chunk.to_csv(out, mode="w" if index == 0 else "a", header=index == 0, index=False)
    click.echo(f"Coded {len(frame)} answers into {out}.")


def _coder(codebook_path: Path | None):
    from analysis.codebook import DEFAULT_CODEBOOK, load_codebook
    from analysis.coding import Coder

    return Coder(load_codebook(codebook_path or DEFAULT_CODEBOOK))


def _code_wave(slug: str, codebook_path: Path | None) -> None:
    from sqlmodel import Session, func, select

    from survey.coding import codable_answers
    from survey.suggestions import suggest_wave

    engine = _engine()
    with Session(engine) as db:
        wave = _wave(db, slug)
        total = db.exec(select(func.count()).select_from(codable_answers(db, wave).subquery())).one()
    coder = _coder(codebook_path)
    with _progress() as progress:
        task = progress.add_task(f"Coding wave {slug}", total=total)
        stored = suggest_wave(engine, wave, coder, lambda n: progress.advance(task, n))
    engine.dispose()
    click.echo(f"Stored {stored} suggestions for the answers of wave {slug} that no coder has decided on yet.")


@click.command("agreement")
@click.option("--wave", "slug", required=True, help="Wave whose double-coded answers are compared.")
@codebook_option
def agreement(slug: str, codebook_path: Path | None) -> None:
    """Inter-coder agreement per code on code presence per answer, and the disagreements to discuss."""
    from sqlmodel import Session

    from analysis import reliability
    from analysis.codebook import DEFAULT_CODEBOOK, load_codebook
    from survey.coding import decisions

    codes = [c.id for c in load_codebook(codebook_path or DEFAULT_CODEBOOK).leaves()]
    engine = _engine()
    with Session(engine) as db:
        reviews = decisions(db, _wave(db, slug))
    engine.dispose()
    table = Table("code", "units", "present", "agreement", "kappa", "alpha", title=f"Agreement in wave {slug}")
    for row in reliability.agreement(reviews, codes):
        if row.units:
            table.add_row(
                row.code,
                str(row.units),
                str(row.present),
                _figure(row.percent_agreement),
                _figure(row.cohen_kappa),
                _figure(row.krippendorff_alpha),
            )
    total = reliability.overall(reviews, codes)
    table.add_section()
    table.add_row(
        "all codes",
        str(total.units),
        "",
        _figure(total.percent_agreement),
        _figure(total.mean_cohen_kappa),
        _figure(total.krippendorff_alpha),
    )
    console.print(table)
    differing = reliability.disagreements(reviews, codes)
    console.print(f"{len(differing)} disagreement(s) to discuss.")
