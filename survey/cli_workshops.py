"""``stimmen workshop``: workshops created, listed and closed from the shell (e.g. before a session)."""

from __future__ import annotations

from datetime import date, datetime

import click
from rich.console import Console
from rich.table import Table
from sqlmodel import func, select

from survey.db import configured_session

console = Console()


@click.group()
def workshop() -> None:
    """Workshops: group sessions of a wave that participants join with a short code."""


@workshop.command("create")
@click.option("--wave", "slug", required=True, help="Slug of the wave the answers belong to.")
@click.option("--org", "organisation", required=True, help="Organisation that holds the workshop.")
@click.option("--title", required=True, help="Title shown to participants.")
@click.option("--date", "held_on", type=click.DateTime(formats=["%Y-%m-%d"]), default=None, help="Default: today.")
@click.option(
    "--language", "languages", multiple=True, help="Language offered (repeatable; default: the wave's first)."
)
@click.option(
    "--questionnaire",
    type=click.Choice(["default", "workshop"]),
    default="workshop",
    show_default=True,
    help="The wave's questionnaire or the shorter workshop questionnaire.",
)
def workshop_create(
    slug: str,
    organisation: str,
    title: str,
    held_on: datetime | None,
    languages: tuple[str, ...],
    questionnaire: str,
) -> None:
    """Create a workshop and print its join code (the last word of the output)."""
    from survey.models import Wave
    from survey.waves import wave_by_slug
    from survey.workshops import WorkshopError, create_workshop

    with configured_session() as db:
        wave = wave_by_slug(db, slug)
        if wave is None:
            slugs = ", ".join(db.exec(select(Wave.slug).order_by(Wave.slug)).all()) or "none"
            raise click.BadParameter(f"no wave {slug!r} (existing waves: {slugs})", param_hint="--wave")
        chosen = list(languages) or wave.languages[:1]
        foreign = [code for code in chosen if code not in wave.languages]
        if foreign:
            raise click.BadParameter(
                f"{', '.join(foreign)} not offered by wave {slug} (its languages: {', '.join(wave.languages)})",
                param_hint="--language",
            )
        try:
            created = create_workshop(
                db,
                wave=wave,
                organisation=organisation,
                title=title,
                held_on=held_on.date() if held_on else date.today(),
                languages=chosen,
                questionnaire=questionnaire,
            )
        except WorkshopError as exc:
            raise click.ClickException(f"cannot create workshop: {exc.code.replace('_', ' ')}") from None
    click.echo(
        f"Created workshop {created.title!r} of {created.organisation} for wave {slug} on "
        f"{created.held_on.isoformat()} ({', '.join(created.languages)}). Join code: {created.join_code}"
    )


@workshop.command("list")
@click.option("--org", "organisation", default=None, help="Only this organisation's workshops.")
def workshop_list(organisation: str | None) -> None:
    """List workshops with their join codes, newest first."""
    from survey.models import Wave, Workshop

    with configured_session() as db:
        query = select(Workshop, Wave.slug).join(Wave, Wave.id == Workshop.wave_id)
        if organisation:
            query = query.where(func.lower(Workshop.organisation) == " ".join(organisation.split()).lower())
        rows = db.exec(query.order_by(Workshop.held_on.desc(), Workshop.id.desc())).all()
    if not rows:
        click.echo("No workshops.")
        return
    table = Table("code", "date", "organisation", "title", "wave", "languages", "status")
    table.columns[0].no_wrap = True
    for row, slug in rows:
        table.add_row(
            row.join_code,
            row.held_on.isoformat(),
            row.organisation,
            row.title,
            slug,
            ", ".join(row.languages),
            row.status.value,
        )
    console.print(table)


@workshop.command("close")
@click.argument("code")
def workshop_close(code: str) -> None:
    """Close a workshop: its code no longer takes answers."""
    from survey.workshops import close_workshop, workshop_by_code

    with configured_session() as db:
        found = workshop_by_code(db, code)
        if found is None:
            raise click.ClickException(f"no workshop with the join code {code!r}")
        close_workshop(db, found)
    click.echo(f"Closed workshop {found.join_code} ({found.title}).")
