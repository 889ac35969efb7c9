"""The ``stimmen`` command."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from rich.console import Console

from survey import cli_coding, cli_indicators, cli_report, cli_tokens, cli_workshops
from survey.db import make_engine, session_scope, upgrade
from survey.models import Role
from survey.settings import get_settings

console = Console()
err_console = Console(stderr=True)


locales_option = click.option(
    "--locales",
    "locales_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Catalog folder (default: STIMMEN_LOCALES_DIR).",
)


@click.group()
def main() -> None:
    """Stimmen: multilingual surveys and a qualitative layer for integration monitoring."""


for command in (cli_coding.code, cli_coding.train, cli_coding.agreement, cli_report.report):
    main.add_command(command)
main.add_command(cli_tokens.token)
main.add_command(cli_indicators.indicators)
main.add_command(cli_workshops.workshop)


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
@click.option("--workers", default=1, show_default=True, type=click.IntRange(1, 64))
@click.option("--demo", is_flag=True, help="Seed an empty database with a demo wave, users and responses.")
def serve(host: str, port: int, workers: int, demo: bool) -> None:
    """Run the server (migrating the database first)."""
    import uvicorn

    settings = get_settings()
    engine = make_engine(settings.database_url)
    upgrade(engine)
    if demo:
        from survey.demo.seed import seed_demo

        for session in session_scope(engine):
            logins = seed_demo(session, settings, progress=True)
        if logins:
            _suggest_demo_codes(engine)
            console.print("[bold]Demo logins[/] (admin area: /admin/login)")
            for email, role, password in logins:
                console.print(f"  {role:<12} {email:<32} {password}")
        else:
            console.print("Database already holds waves: demo data not added.")
    engine.dispose()
    console.print(f"Serving on http://{host}:{port}/")
    uvicorn.run(
        "survey.app:create_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        access_log=False,  # access logs would record IP addresses
        proxy_headers=False,
        server_header=False,
    )


def _suggest_demo_codes(engine) -> None:
    """Machine suggestions for the demo answers, so that the coding area has something to show."""
    from rich.progress import Progress
    from sqlmodel import Session

    from analysis.coding import load_coder
    from survey.demo.seed import DEMO_SLUG
    from survey.suggestions import suggest_wave
    from survey.waves import wave_by_slug

    with Session(engine) as db:
        wave = wave_by_slug(db, DEMO_SLUG)
    with Progress(console=console, transient=True) as progress:
        task = progress.add_task("Suggesting codes for the demo answers", total=None)
        suggest_wave(engine, wave, load_coder(), lambda n: progress.advance(task, n))


@main.group()
def db() -> None:
    """Database schema."""


@db.command("upgrade")
def db_upgrade() -> None:
    """Create or migrate the schema of STIMMEN_DATABASE_URL."""
    engine = make_engine(get_settings().database_url)
    upgrade(engine)
    engine.dispose()
    console.print("Database schema is up to date.")


@main.group()
def user() -> None:
    """Staff accounts."""


@user.command("add")
@click.argument("email")
@click.option("--role", required=True, type=click.Choice([r.value for r in Role]))
@click.option("--organisation", default=None, help="Organisation of a facilitator.")
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True)
def user_add(email: str, role: str, organisation: str | None, password: str) -> None:
    """Create a user; the password is prompted unless given."""
    from survey.users import UserError, add_user

    engine = make_engine(get_settings().database_url)
    upgrade(engine)
    for session in session_scope(engine):
        try:
            created = add_user(session, email, Role(role), password, organisation)
        except UserError as exc:
            raise click.ClickException(f"cannot add user: {exc.code.replace('_', ' ')}") from None
    engine.dispose()
    console.print(f"Added {created.email} with role {created.role.value}.")


@main.group()
def questionnaire() -> None:
    """Questionnaire files."""


@questionnaire.command("validate")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def questionnaire_validate(file: Path) -> None:
    """Check a questionnaire file (YAML, or XLSForm .xlsx/.xls) and report which translations are missing."""
    from survey.questionnaire import QuestionnaireError, load
    from survey.questionnaire.extract import missing_translations

    if file.suffix.lower() in (".xlsx", ".xls"):
        from survey.xlsform.commands import validate_xlsform

        sys.exit(validate_xlsform(file))
    try:
        loaded = load(file)
    except QuestionnaireError as exc:
        for problem in exc.problems:
            click.echo(str(problem), err=True)
        sys.exit(1)
    click.echo(f"{file}: OK ({len(loaded.pages)} pages, {len(loaded.questions())} questions)")
    for code, missing in missing_translations(file, get_settings().locales_dir).items():
        if missing:
            click.echo(f"  {code}: {len(missing)} text(s) not translated yet, e.g. {missing[0]!r}")
        else:
            click.echo(f"  {code}: complete")


@questionnaire.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--out-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Where <form_id>.yaml goes (default: STIMMEN_QUESTIONNAIRES_DIR).",
)
@locales_option
def questionnaire_import(file: Path, out_dir: Path | None, locales_dir: Path | None) -> None:
    """Import an XLSForm (.xlsx/.xls, e.g. from KoboToolbox or ODK) with all its languages."""
    from survey.xlsform.commands import import_xlsform_files

    settings = get_settings()
    sys.exit(import_xlsform_files(file, out_dir or settings.questionnaires_dir, locales_dir or settings.locales_dir))


@questionnaire.command("export")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--out", required=True, type=click.Path(dir_okay=False, path_type=Path), help="The .xlsx to write.")
@locales_option
def questionnaire_export(file: Path, out: Path, locales_dir: Path | None) -> None:
    """Export a questionnaire as XLSForm with every language that has a catalog."""
    from survey.xlsform.commands import export_xlsform_file

    sys.exit(export_xlsform_file(file, out, locales_dir or get_settings().locales_dir))


@main.command(context_settings={"ignore_unknown_options": True, "allow_extra_args": True})
@click.argument("args", nargs=-1, type=click.UNPROCESSED)
def bench(args: tuple[str, ...]) -> None:
    """Run the benchmarks in bench/ and print their figures (options: see ``stimmen bench --help``)."""
    from bench.__main__ import main as run_benchmarks

    sys.exit(run_benchmarks(list(args)))


@main.group()
def i18n() -> None:
    """Translation catalogs."""


@i18n.command("update")
def i18n_update() -> None:
    """Re-extract the templates from code and questionnaires and merge them into every catalog."""
    from survey.catalogs import update_catalogs
    from survey.settings import PROJECT_ROOT

    for path, missing in update_catalogs(PROJECT_ROOT, get_settings().locales_dir).items():
        click.echo(f"{path}: {'complete' if not missing else f'{missing} to translate'}")


@i18n.command("check")
@locales_option
def i18n_check(locales_dir: Path | None) -> None:
    """Fail unless every language's catalogs are complete, in sync, correct and compilable."""
    from survey.catalogs import check_all

    results = check_all(locales_dir or get_settings().locales_dir)
    for code, problems in results.items():
        click.echo(f"{code}: {'complete' if not problems else f'{len(problems)} problem(s)'}")
        for problem in problems:
            click.echo(f"  {problem}", err=True)
    if not results or any(results.values()):
        sys.exit(1)
