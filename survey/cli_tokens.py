"""``stimmen token``: API tokens for report authors, created, listed and revoked from the shell."""

from __future__ import annotations

import click
from rich.console import Console
from rich.table import Table
from sqlmodel import Session, select

from survey.db import configured_session

console = Console()


def _user(db: Session, email: str):
    from survey.models import User

    user = db.exec(select(User).where(User.email == email.strip().lower())).first()
    if user is None:
        raise click.ClickException(f"no user with the e-mail address {email!r}")
    return user


@click.group()
def token() -> None:
    """API tokens for report authors (only their hashes are stored)."""


@token.command("create")
@click.argument("email")
@click.option("--name", required=True, help="What the token is for, e.g. the laptop or script that uses it.")
def token_create(email: str, name: str) -> None:
    """Create a token for an author or admin and print it once (the last word of the output)."""
    from survey.tokens import TokenError, create_token

    with configured_session() as db:
        user = _user(db, email)
        try:
            row, plain = create_token(db, user, name)
        except TokenError as exc:
            raise click.ClickException(f"cannot create token: {exc.code.replace('_', ' ')}") from None
    click.echo(f"Created token {row.id} ({row.name}) for {user.email}. It is shown only now; keep it secret:")
    click.echo(plain)


@token.command("list")
@click.argument("email", required=False)
def token_list(email: str | None) -> None:
    """List tokens (never the tokens themselves), of one user or of everyone."""
    from survey.tokens import tokens

    with configured_session() as db:
        rows = tokens(db, _user(db, email) if email else None)
        table = Table("id", "user", "name", "created", "status")
        for row, user in rows:
            status = "revoked" if row.revoked else "active"
            table.add_row(str(row.id), user.email, row.name, row.created_at.date().isoformat(), status)
    if rows:
        console.print(table)
    else:
        click.echo("No tokens.")


@token.command("revoke")
@click.argument("token_id", metavar="ID", type=int)
def token_revoke(token_id: int) -> None:
    """Revoke a token: requests with it are refused from now on."""
    from survey.tokens import TokenError, revoke_token

    with configured_session() as db:
        try:
            revoke_token(db, token_id)
        except TokenError:
            raise click.ClickException(f"no token with the id {token_id}") from None
    click.echo(f"Revoked token {token_id}.")
