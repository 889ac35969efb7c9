"""The indicator page: authors upload tables, see what is stored, and read errors with file, line and column."""

from __future__ import annotations

from litestar.testing import TestClient
from sqlmodel import Session, select

from survey.models import IndicatorValue, Role
from tests.conftest import DATA, csrf_token, login

INDICATORS = DATA / "indicators"


def _upload(client: TestClient, name: str, fields: dict[str, str] | None = None, districts: str | None = None):
    token = csrf_token(client.get("/admin/indicators").text)
    files = {"file": (name, (INDICATORS / name).read_bytes(), "text/csv")}
    if districts:
        files["districts"] = (districts, (INDICATORS / districts).read_bytes(), "text/csv")
    return client.post(
        "/admin/indicators", data={"_csrf_token": token, **(fields or {})}, files=files, follow_redirects=False
    )


def test_author_uploads_an_official_table(client: TestClient, db: Session, users: dict[Role, str]) -> None:
    login(client, users[Role.author])
    assert "No indicators imported yet" in client.get("/admin/indicators?lang=en").text
    fields = {"field_of_action": "Arbeit und Beschäftigung", "unit": "%", "direction": "lower"}
    response = _upload(client, "genesis_arbeitslosenquote.csv", fields, districts="districts.csv")
    assert response.status_code == 303
    assert response.headers["location"] == "/admin/indicators?inserted=24&replaced=0&missing=6"
    page = client.get(response.headers["location"] + "&lang=en")
    assert "data-import-summary" in page.text
    assert "24 new values, 0 replaced, 6 without a value" in page.text
    assert 'data-indicator="Arbeitslosenquote aller zivilen Erwerbspersonen: Stadtteile: Ausländer"' in page.text
    assert len(db.exec(select(IndicatorValue)).all()) == 24
    assert 'href="/admin/indicators"' in page.text  # in the admin navigation


def test_errors_are_shown_with_file_line_and_column_and_nothing_is_stored(
    client: TestClient, db: Session, users: dict[Role, str]
) -> None:
    login(client, users[Role.admin])
    response = _upload(client, "broken_value.csv")
    assert response.status_code == 400
    assert 'class="error-summary"' in response.text
    assert 'href="#q-file"' in response.text
    assert "<dd data-problem-file>broken_value.csv</dd>" in response.text
    assert "<dd data-problem-line>3</dd>" in response.text
    assert "<dd data-problem-column>value</dd>" in response.text
    assert "&#39;abc&#39; is not a number" in response.text
    assert db.exec(select(IndicatorValue)).all() == []


def test_official_table_without_metadata_is_refused(client: TestClient, db: Session, users: dict[Role, str]) -> None:
    login(client, users[Role.author])
    response = _upload(client, "genesis_arbeitslosenquote.csv", {"direction": "lower"})
    assert response.status_code == 400
    assert "no field of action given" in response.text
    assert db.exec(select(IndicatorValue)).all() == []


def test_missing_file(client: TestClient, users: dict[Role, str]) -> None:
    login(client, users[Role.author])
    token = csrf_token(client.get("/admin/indicators").text)
    response = client.post("/admin/indicators?lang=en", data={"_csrf_token": token, "unit": "%"})
    assert response.status_code == 400
    assert "Please choose a CSV or XLSX file." in response.text
    assert 'value="%"' in response.text  # what was entered is kept


def test_coders_and_facilitators_may_not_import(client: TestClient, users: dict[Role, str]) -> None:
    for role in (Role.coder, Role.facilitator):
        login(client, users[role])
        assert client.get("/admin/indicators", follow_redirects=False).status_code == 403
        token = csrf_token(client.get("/admin/login").text)
        files = {"file": ("x.csv", (INDICATORS / "long_semikolon.csv").read_bytes(), "text/csv")}
        posted = client.post("/admin/indicators", data={"_csrf_token": token}, files=files, follow_redirects=False)
        assert posted.status_code == 403
