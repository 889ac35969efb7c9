"""API tokens in the admin area: created and shown once, listed, revoked; authors see only their own."""

from __future__ import annotations

import hashlib
import re

from litestar.testing import TestClient
from sqlmodel import Session, select

from survey.models import ApiToken, Role, User
from survey.tokens import create_token
from tests.conftest import csrf_token, login


def user(db: Session, email: str) -> User:
    return db.exec(select(User).where(User.email == email)).one()


def create(client: TestClient, name: str, lang: str = "en"):
    token = csrf_token(client.get("/admin/tokens").text)
    return client.post(f"/admin/tokens?lang={lang}", data={"_csrf_token": token, "name": name})


def shown_token(html: str) -> str:
    match = re.search(r'value="([^"]+)" data-api-token', html)
    assert match, "the new token is not shown"
    return match.group(1)


def test_an_author_creates_a_token_that_is_shown_once_and_works(
    client: TestClient, db: Session, users: dict[Role, str]
) -> None:
    login(client, users[Role.author])
    page = create(client, "Auswertung 2026")
    assert page.status_code == 200, page.text
    token = shown_token(page.text)
    row = db.exec(select(ApiToken)).one()
    assert (row.name, row.user_id) == ("Auswertung 2026", user(db, users[Role.author]).id)
    assert row.token_hash == hashlib.sha256(token.encode()).hexdigest()
    again = client.get("/admin/tokens").text
    assert "Auswertung 2026" in again
    assert token not in again  # never shown again
    assert "data-api-token" not in again
    client.cookies.clear()
    assert client.get("/api/v1/waves", headers={"Authorization": f"Bearer {token}"}).status_code == 200


def test_a_token_needs_a_name(client: TestClient, db: Session, users: dict[Role, str]) -> None:
    login(client, users[Role.admin])
    for name in ("", "   ", "x" * 101):
        refused = create(client, name)
        assert refused.status_code == 400
        assert 'class="error-summary"' in refused.text
        assert "at most 100 characters" in refused.text
    assert db.exec(select(ApiToken)).first() is None


def test_authors_see_and_revoke_only_their_own(client: TestClient, db: Session, users: dict[Role, str]) -> None:
    admin_row, _ = create_token(db, user(db, users[Role.admin]), "Admin-Skript")
    author_row, author_token = create_token(db, user(db, users[Role.author]), "Autorin-Skript")
    login(client, users[Role.author])
    page = client.get("/admin/tokens?lang=en").text
    assert "Autorin-Skript" in page
    assert "Admin-Skript" not in page
    token = csrf_token(page)
    refused = client.post("/admin/tokens/revoke?lang=en", data={"_csrf_token": token, "id": str(admin_row.id)})
    assert refused.status_code == 400
    assert "does not exist or is not yours" in refused.text
    db.expire_all()
    assert db.get(ApiToken, admin_row.id).revoked is False

    done = client.post(
        "/admin/tokens/revoke", data={"_csrf_token": token, "id": str(author_row.id)}, follow_redirects=False
    )
    assert done.status_code == 303
    assert done.headers["location"] == "/admin/tokens"
    db.expire_all()
    assert db.get(ApiToken, author_row.id).revoked is True
    row = re.search(rf'<tr data-token="{author_row.id}">(.*?)</tr>', client.get("/admin/tokens?lang=en").text, re.S)
    assert "revoked" in row.group(1)
    assert "/admin/tokens/revoke" not in row.group(1)
    client.cookies.clear()
    response = client.get("/api/v1/waves", headers={"Authorization": f"Bearer {author_token}"})
    assert response.status_code == 401


def test_admins_see_and_revoke_every_token(client: TestClient, db: Session, users: dict[Role, str]) -> None:
    author_row, _ = create_token(db, user(db, users[Role.author]), "Autorin-Skript")
    login(client, users[Role.admin])
    page = client.get("/admin/tokens").text
    assert "Autorin-Skript" in page
    assert users[Role.author] in page
    client.post("/admin/tokens/revoke", data={"_csrf_token": csrf_token(page), "id": str(author_row.id)})
    db.expire_all()
    assert db.get(ApiToken, author_row.id).revoked is True


def test_forms_need_the_csrf_token(client: TestClient, db: Session, users: dict[Role, str]) -> None:
    row, _ = create_token(db, user(db, users[Role.author]), "Skript")
    login(client, users[Role.author])
    assert client.post("/admin/tokens", data={"name": "ohne"}).status_code == 403
    assert client.post("/admin/tokens/revoke", data={"id": str(row.id)}).status_code == 403
    db.expire_all()
    assert [t.name for t in db.exec(select(ApiToken)).all()] == ["Skript"]
    assert db.get(ApiToken, row.id).revoked is False


def test_the_navigation_links_tokens_for_authors_and_admins(client: TestClient, users: dict[Role, str]) -> None:
    for role in Role:
        login(client, users[role])
        linked = 'href="/admin/tokens"' in client.get("/admin").text
        assert linked is (role in (Role.admin, Role.author)), role
