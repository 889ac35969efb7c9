"""API tokens from the shell: ``stimmen token create|list|revoke``; only hashes reach the database."""

from __future__ import annotations

import hashlib

import pytest
from click.testing import CliRunner
from sqlmodel import Session, select

from survey.cli import main
from survey.models import ApiToken, Role, User
from survey.tokens import TokenError, create_token, revoke_token, tokens, user_for_token


def invoke(*args: str):
    return CliRunner().invoke(main, list(args))


def user(db: Session, email: str) -> User:
    return db.exec(select(User).where(User.email == email)).one()


def test_create_prints_the_token_once_and_stores_only_its_hash(env: str, db: Session, users: dict[Role, str]) -> None:
    result = invoke("token", "create", users[Role.author].upper(), "--name", "Laptop  Berichte")
    assert result.exit_code == 0, result.output
    token = result.output.split()[-1]
    assert len(token) >= 43
    row = db.exec(select(ApiToken)).one()
    assert row.name == "Laptop Berichte"
    assert row.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in row.token_hash
    assert row.user_id == user(db, users[Role.author]).id
    assert user_for_token(db, token).email == users[Role.author]

    listed = invoke("token", "list")
    assert listed.exit_code == 0, listed.output
    assert "Laptop Berichte" in listed.output
    assert users[Role.author] in listed.output
    assert "active" in listed.output
    assert token not in listed.output
    assert row.token_hash not in listed.output


def test_list_one_user_and_revoke(env: str, db: Session, users: dict[Role, str]) -> None:
    author_token = invoke("token", "create", users[Role.author], "--name", "eins").output.split()[-1]
    invoke("token", "create", users[Role.admin], "--name", "zwei")
    mine = invoke("token", "list", users[Role.author]).output
    assert "eins" in mine
    assert "zwei" not in mine
    row = db.exec(select(ApiToken).where(ApiToken.name == "eins")).one()

    revoked = invoke("token", "revoke", str(row.id))
    assert revoked.exit_code == 0, revoked.output
    db.expire_all()
    assert db.get(ApiToken, row.id).revoked is True
    assert user_for_token(db, author_token) is None
    assert "revoked" in invoke("token", "list", users[Role.author]).output

    missing = invoke("token", "revoke", "9999")
    assert missing.exit_code != 0
    assert "no token" in missing.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["nobody@example.org", "--name", "x"], "no user"),
        (["coder@example.org", "--name", "x"], "role not allowed"),
        (["author@example.org", "--name", "   "], "name invalid"),
        (["author@example.org", "--name", "x" * 101], "name invalid"),
    ],
)
def test_create_refuses(env: str, db: Session, users: dict[Role, str], args: list[str], message: str) -> None:
    result = invoke("token", "create", *args)
    assert result.exit_code != 0
    assert message in result.output
    assert db.exec(select(ApiToken)).first() is None


def test_tokens_of_inactive_users_are_refused(db: Session, users: dict[Role, str]) -> None:
    author = user(db, users[Role.author])
    _, token = create_token(db, author, "Skript")
    assert user_for_token(db, token).id == author.id
    assert user_for_token(db, token + "x") is None
    author.is_active = False
    db.add(author)
    db.commit()
    assert user_for_token(db, token) is None


def test_authors_revoke_only_their_own(db: Session, users: dict[Role, str]) -> None:
    author, admin = user(db, users[Role.author]), user(db, users[Role.admin])
    row, _ = create_token(db, admin, "Admin")
    with pytest.raises(TokenError):
        revoke_token(db, row.id, author)
    assert db.get(ApiToken, row.id).revoked is False
    assert [t.name for t, _ in tokens(db, author)] == []
    assert [(t.name, u.email) for t, u in tokens(db)] == [("Admin", admin.email)]
    revoke_token(db, row.id, admin)
    assert db.get(ApiToken, row.id).revoked is True
