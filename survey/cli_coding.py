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


def csv_input(description: str):
    return click.option(
        "--input",
        "input_path",
        default=None,
        type=click.Path(exists=True, dir_okay=False, path_type=Path),
        help=description,
    )


def _progress() -> Progress:
    return Progress(console=err_console, transient=True)


def model_option(command):
    command = click.option(
        "--rules-only", is_flag=True, help="Leave trained models aside and suggest with the codebook's rules."
    )(command)
    return click.option(
        "--model",
        "model_path",
        default=None,
        type=click.Path(exists=True, file_okay=False, path_type=Path),
        help="Trained model folder (default: the newest under STIMMEN_MODELS_DIR, if any).",
    )(command)


def _scores_table(title: str, rows, extra: dict[str, list] | None = None) -> Table:
    table = Table("code", "n", "precision", "recall", "F1", *(extra or {}), title=title)
    for index, row in enumerate(rows):
        cells = [f"{row.precision:.2f}", f"{row.recall:.2f}", f"{row.f1:.2f}"]
        table.add_row(row.code, str(row.support), *cells, *(column[index] for column in (extra or {}).values()))
    return table


@click.command("code")
@csv_input("CSV export of answers (any survey tool).")
@click.option("--text-column", help="Column holding the free-text answers.")
@click.option("--lang-column", default=None, help="Column with each answer's survey language (optional).")
@click.option("--question-column", default=None, help="Column with the question id, for codebook scoping (optional).")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), help="CSV to write.")
@click.option("--wave", "slug", default=None, help="Code the free-text answers of this wave in the database.")
@click.option(
    "--evaluate",
    "gold_path",
    default=None,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Score rules, and rules + model (cross-validated, or the --model given), against a hand-coded CSV "
    "(text, codes, optional language and question).",
)
@click.option("--folds", default=5, show_default=True, type=click.IntRange(2, 20), help="Folds for --evaluate.")
@codebook_option
@model_option
def code(
    input_path: Path | None,
    text_column: str | None,
    lang_column: str | None,
    question_column: str | None,
    out: Path | None,
    slug: str | None,
    gold_path: Path | None,
    folds: int,
    codebook_path: Path | None,
    model_path: Path | None,
    rules_only: bool,
) -> None:
    """Code free-text answers from a CSV (adds language, codes, evidence, confidence) or of a wave."""
    if sum(x is not None for x in (input_path, slug, gold_path)) != 1:
        raise click.UsageError("give one of --input (with --text-column and --out), --wave or --evaluate")
    if gold_path:
        _evaluate(gold_path, folds, codebook_path, model_path)
        return
    coder = _coder(codebook_path, model_path, rules_only)
    if slug:
        _code_wave(slug, coder)
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
    with _progress() as progress:
        task = progress.add_task("Coding answers", total=len(frame))
        chunks = code_frame(
            frame, coder, text_column, lang_column, question_column, lambda n: progress.advance(task, n)
        )
        for index, chunk in enumerate(chunks):
            chunk.to_csv(out, mode="w" if index == 0 else "a", header=index == 0, index=False)
    click.echo(f"Coded {len(frame)} answers into {out}.")


def _coder(codebook_path: Path | None, model_path: Path | None, rules_only: bool):
    """The codebook's rules, with the given model or else the newest trained one (unless ``rules_only``)."""
    from analysis.classifier import latest
    from analysis.coding import load_coder
    from survey.settings import get_settings

    model = None if rules_only else model_path or latest(get_settings().models_dir)
    coder = load_coder(codebook_path, model)
    err_console.print(f"Coding with {coder.source}.")
    return coder


def _code_wave(slug: str, coder) -> None:
    from sqlmodel import Session, func, select

    from survey.coding import codable_answers
    from survey.statement_coding import suggest_statements
    from survey.suggestions import suggest_wave

    engine = _engine()
    with Session(engine) as db:
        wave = _wave(db, slug)
        total = db.exec(select(func.count()).select_from(codable_answers(db, wave).subquery())).one()
    with _progress() as progress:
        task = progress.add_task(f"Coding wave {slug}", total=total)
        stored = suggest_wave(engine, wave, coder, lambda n: progress.advance(task, n))
    with Session(engine, expire_on_commit=False) as db:
        statements = suggest_statements(db, wave, coder)
    engine.dispose()
    click.echo(f"Stored {stored} suggestions for the answers of wave {slug} that no coder has decided on yet.")
    click.echo(f"Suggested codes for {statements} workshop statements that no coder has decided on yet.")


def _evaluate(gold_path: Path, folds: int, codebook_path: Path | None, model_path: Path | None) -> None:
    """Rules alone beside rules + model: a given model codes every answer, else each fold gets its own."""
    from analysis import classifier
    from analysis.codebook import DEFAULT_CODEBOOK, load_codebook
    from analysis.csvfiles import TableError
    from analysis.training import evaluate, read_coded

    codebook = load_codebook(codebook_path or DEFAULT_CODEBOOK)
    try:
        answers = read_coded(gold_path)
    except TableError as exc:
        raise click.ClickException(str(exc)) from None
    rules = evaluate(answers, codebook, with_model=False)
    with _progress() as progress:
        task = progress.add_task("Training and coding per fold", total=folds)
        combined = evaluate(
            answers,
            codebook,
            folds,
            progress=lambda done, _total: progress.update(task, completed=done),
            model=classifier.load(model_path) if model_path else None,
        )
    everything = [c.id for c in codebook.leaves()]
    domains_grounds = [c for c in everything if c.startswith(("domain.", "ground."))]
    rules_f1 = {s.code: f"{s.f1:.2f}" for s in rules.scores(everything)}
    scores = [s for s in combined.scores(everything) if s.support or s.false_positive]
    console.print(
        _scores_table(
            f"{combined.source} on {len(answers)} answers of {gold_path.name}",
            scores,
            {"F1 rules alone": [rules_f1[s.code] for s in scores]},
        )
    )
    for label, codes in (("domain + ground", domains_grounds), ("all codes", everything)):
        console.print(
            f"micro-F1 {label}: rules + model {combined.micro_f1(codes):.3f}, rules alone {rules.micro_f1(codes):.3f}"
        )


@click.command("train")
@csv_input("Hand-coded CSV: text, codes (';'-separated), optional language and question.")
@click.option("--wave", "slug", default=None, help="Train on the answers coders have decided on in this wave.")
@click.option(
    "--out",
    "out_dir",
    default=None,
    type=click.Path(file_okay=False, path_type=Path),
    help="Models folder (default: STIMMEN_MODELS_DIR); the model is saved in a subfolder named by its version.",
)
@click.option("--folds", default=5, show_default=True, type=click.IntRange(2, 20))
@codebook_option
def train(
    input_path: Path | None, slug: str | None, out_dir: Path | None, folds: int, codebook_path: Path | None
) -> None:
    """Train the code classifier on accepted human codings, cross-validated, and save it with its figures."""
    from analysis.codebook import DEFAULT_CODEBOOK, load_codebook
    from analysis.csvfiles import TableError
    from analysis.training import read_coded, train_model
    from survey.settings import get_settings

    if (input_path is None) == (slug is None):
        raise click.UsageError("give either --input or --wave")
    codebook = load_codebook(codebook_path or DEFAULT_CODEBOOK)
    if input_path:
        try:
            answers = read_coded(input_path)
        except TableError as exc:
            raise click.ClickException(str(exc)) from None
    else:
        from survey.coding import coded_texts

        answers = _from_wave(slug, coded_texts)
    with _progress() as progress:
        task = progress.add_task(f"Cross-validating ({folds} folds) and training", total=None)
        try:
            model, validation = train_model(
                answers, codebook, folds, lambda done, total: progress.update(task, completed=done, total=total)
            )
        except ValueError as exc:
            raise click.ClickException(str(exc)) from None
    target = (out_dir or get_settings().models_dir) / model.version
    model.save(target, validation)
    console.print(_scores_table(f"Model alone, {folds}-fold cross-validation", validation.scores))
    console.print(f"micro-F1 (model alone): {validation.micro_f1:.3f}")
    click.echo(f"Trained on {model.training_size} answers; saved model {model.version} in {target}")


@click.command("agreement")
@click.option("--wave", "slug", default=None, help="Wave whose double-coded answers are compared.")
@csv_input("Codings from another tool instead: a CSV with unit, coder and codes (';'-separated) columns.")
@codebook_option
def agreement(slug: str | None, input_path: Path | None, codebook_path: Path | None) -> None:
    """Inter-coder agreement per code on code presence per answer, and the disagreements to discuss."""
    from analysis import reliability
    from analysis.codebook import DEFAULT_CODEBOOK, load_codebook
    from analysis.csvfiles import TableError, read_table

    if (input_path is None) == (slug is None):
        raise click.UsageError("give either --wave or --input")
    codes = [c.id for c in load_codebook(codebook_path or DEFAULT_CODEBOOK).leaves()]
    if input_path:
        try:
            reviews = reliability.decisions_from_frame(read_table(input_path, ["unit", "coder", "codes"]))
        except TableError as exc:
            raise click.ClickException(str(exc)) from None
    else:
        from survey.coding import decisions

        reviews = _from_wave(slug, decisions)
    try:
        rows, total = reliability.agreement(reviews, codes), reliability.overall(reviews, codes)
    except ValueError as exc:  # the same coder twice on one answer
        raise click.ClickException(str(exc)) from None
    source = f"wave {slug}" if slug else input_path.name
    table = Table("code", "units", "present", "agreement", "kappa", "alpha", title=f"Agreement in {source}")
    for row in rows:
        if row.units:
            table.add_row(
                row.code,
                str(row.units),
                str(row.present),
                _figure(row.percent_agreement),
                _figure(row.cohen_kappa),
                _figure(row.krippendorff_alpha),
            )
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


def _from_wave(slug: str, read):
    """``read(db, wave)`` for the wave with this slug, on a migrated database."""
    from sqlmodel import Session

    engine = _engine()
    with Session(engine) as db:
        result = read(db, _wave(db, slug))
    engine.dispose()
    return result
