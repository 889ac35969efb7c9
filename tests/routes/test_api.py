"""The JSON API for report authors, on SQLite and PostgreSQL: authentication, roles, shapes, privacy."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
from litestar.testing import TestClient
from sqlmodel import Session, select

from survey import report_data
from survey.coding import save_review
from survey.demo.seed import DEMO_SLUG, SMALL_DISTRICT, seed_demo
from survey.models import Answer, ApiToken, Coding, CodingStatus, Role, User, Wave
from survey.settings import Settings
from survey.tokens import create_token
from survey.waves import wave_by_slug
from survey.workshops import create_workshop
from tests.conftest import add_text_answers, login

FIGURE_ROUTES = ("results", "codes", "quotes", "report")
ROUTES = ("/api/v1/waves", *(f"/api/v1/waves/{{slug}}/{name}" for name in ("questions", *FIGURE_ROUTES)))


def user(db: Session, email: str) -> User:
    return db.exec(select(User).where(User.email == email)).one()


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
def author_token(db: Session, users: dict[Role, str]) -> str:
    return create_token(db, user(db, users[Role.author]), "Skript")[1]


def assert_refused(response, status: int, detail: str) -> None:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    assert response.json() == {"status_code": status, "detail": detail}


# ---------------------------------------------------------------------------------------------- authentication


def test_a_valid_token_lists_the_waves(client: TestClient, db: Session, wave: Wave, author_token: str) -> None:
    add_text_answers(db, wave, [("discrimination_experience", "Eins.", "de"), ("city_wishes", "Zwei.", "en")])
    response = client.get("/api/v1/waves", headers=bearer(author_token))
    assert response.status_code == 200, response.text
    assert response.json() == [
        {
            "slug": "test-wave",
            "title": "Testwelle",
            "opens_on": None,
            "closes_on": None,
            "is_open": True,
            "districts": ["Altstadt", "Hafen", "Westend"],
            "languages": ["de", "en"],
            "min_cell_size": 5,
            "respondents": 2,
        }
    ]
    assert "set-cookie" not in response.headers  # neither a session nor a CSRF cookie for programs


@pytest.mark.parametrize(
    ("headers", "detail"),
    [
        ({}, "authentication_required"),
        ({"Authorization": "Bearer not-a-token"}, "invalid_token"),
        ({"Authorization": "Bearer "}, "invalid_authorization_header"),
        ({"Authorization": "Basic YWRtaW46YWRtaW4="}, "invalid_authorization_header"),
    ],
)
def test_missing_or_unknown_tokens_are_refused(
    client: TestClient, wave: Wave, author_token: str, headers: dict, detail: str
) -> None:
    response = client.get("/api/v1/waves", headers=headers)
    assert_refused(response, 401, detail)
    assert response.headers["www-authenticate"].startswith("Bearer")


def test_revoked_tokens_and_inactive_users_are_refused(
    client: TestClient, db: Session, users: dict[Role, str], author_token: str
) -> None:
    assert client.get("/api/v1/waves", headers=bearer(author_token)).status_code == 200
    row = db.exec(select(ApiToken)).one()
    row.revoked = True
    db.add(row)
    db.commit()
    assert_refused(client.get("/api/v1/waves", headers=bearer(author_token)), 401, "invalid_token")

    author = user(db, users[Role.author])
    _, fresh = create_token(db, author, "Neu")
    assert client.get("/api/v1/waves", headers=bearer(fresh)).status_code == 200
    author.is_active = False
    db.add(author)
    db.commit()
    assert_refused(client.get("/api/v1/waves", headers=bearer(fresh)), 401, "invalid_token")


def test_a_token_whose_user_is_no_longer_an_author_is_forbidden(
    client: TestClient, db: Session, users: dict[Role, str], author_token: str
) -> None:
    author = user(db, users[Role.author])
    author.role = Role.coder
    db.add(author)
    db.commit()
    assert_refused(client.get("/api/v1/waves", headers=bearer(author_token)), 403, "role_not_allowed")


@pytest.mark.parametrize("role", list(Role))
def test_sessions_of_authors_and_admins_work(
    client: TestClient, users: dict[Role, str], wave: Wave, role: Role
) -> None:
    login(client, users[role])
    response = client.get("/api/v1/waves")
    if role in (Role.author, Role.admin):
        assert response.status_code == 200, response.text
        assert [w["slug"] for w in response.json()] == [wave.slug]
    else:
        assert_refused(response, 403, "role_not_allowed")


def test_a_bad_token_is_refused_even_with_a_session(client: TestClient, users: dict[Role, str], wave: Wave) -> None:
    login(client, users[Role.author])
    assert_refused(client.get("/api/v1/waves", headers=bearer("wrong")), 401, "invalid_token")


def test_every_route_needs_authentication(client: TestClient, wave: Wave) -> None:
    for route in ROUTES:
        assert_refused(client.get(route.format(slug=wave.slug)), 401, "authentication_required")


# ---------------------------------------------------------------------------------------------- questions


def test_questions_with_labels_in_german_and_english(client: TestClient, wave: Wave, author_token: str) -> None:
    german = client.get(f"/api/v1/waves/{wave.slug}/questions", headers=bearer(author_token)).json()
    english = client.get(f"/api/v1/waves/{wave.slug}/questions?lang=en", headers=bearer(author_token)).json()
    assert (german["wave"], german["language"], english["language"]) == (wave.slug, "de", "en")
    de = {q["id"]: q for q in german["questions"]}
    en = {q["id"]: q for q in english["questions"]}
    assert de["welcome"]["label"] == "Wie willkommen fühlen Sie sich in unserer Stadt?"
    assert en["welcome"]["label"] == "How welcome do you feel in our city?"
    assert (de["welcome"]["kind"], de["welcome"]["type"]) == ("closed", "scale")
    assert {"value": "_na", "label": "Prefer not to say"} in en["welcome"]["options"]
    assert [item["value"] for item in de["attachment"]["items"]] == ["district", "city", "germany", "europe"]
    assert [o["value"] for o in de["district"]["options"]] == wave.districts
    experience = de["discrimination_experience"]
    assert (experience["kind"], experience["coded"], experience["options"]) == ("free_text", True, [])
    assert "quote_consent" not in de  # consent and notes are not questions about the city
    assert "about_you_note" not in de


def test_free_texts_asked_only_in_workshops_are_listed(
    client: TestClient, db: Session, wave: Wave, author_token: str
) -> None:
    before = client.get(f"/api/v1/waves/{wave.slug}/questions", headers=bearer(author_token)).json()
    assert "community_concerns" not in {q["id"] for q in before["questions"]}
    create_workshop(db, wave=wave, organisation="Verein A", title="Runde", held_on=date(2026, 5, 1), languages=["de"])
    after = client.get(f"/api/v1/waves/{wave.slug}/questions", headers=bearer(author_token)).json()
    listed = [q["id"] for q in after["questions"]]
    concerns = next(q for q in after["questions"] if q["id"] == "community_concerns")
    assert (concerns["kind"], concerns["coded"]) == ("free_text", True)
    assert concerns["label"].startswith("Was beschäftigt Sie")
    assert listed.count("city_wishes") == 1  # asked by both questionnaires, listed once
    assert listed[: len(before["questions"])] == [q["id"] for q in before["questions"]]


def test_unknown_waves_and_languages(client: TestClient, wave: Wave, author_token: str) -> None:
    assert_refused(
        client.get("/api/v1/waves/no-such-wave/questions", headers=bearer(author_token)), 404, "wave_not_found"
    )
    refused = client.get(f"/api/v1/waves/{wave.slug}/questions?lang=fr", headers=bearer(author_token))
    assert refused.status_code == 400
    assert refused.headers["content-type"].startswith("application/json")


# ---------------------------------------------------------------------------------------------- figures


def suppressed_objects(data: Any) -> Iterator[dict]:
    """Every object in the JSON that carries ``suppressed: true``."""
    if isinstance(data, dict):
        if data.get("suppressed") is True:
            yield data
        for value in data.values():
            yield from suppressed_objects(value)
    elif isinstance(data, list):
        for value in data:
            yield from suppressed_objects(value)


@pytest.fixture
def demo(db: Session, settings: Settings) -> Wave:
    seed_demo(db, settings, responses=150)
    return wave_by_slug(db, DEMO_SLUG)


def quotable_answer(db: Session, demo: Wave, users: dict[Role, str]) -> None:
    """An answer a coder approved for quoting, whose author consented, holding an e-mail address."""
    (answer_id,) = add_text_answers(
        db, demo, [("discrimination_experience", "Bei der Wohnungssuche, schreiben Sie an max@example.org.", "de")]
    )
    answer = db.get(Answer, answer_id)
    db.add(Answer(response_id=answer.response_id, question_id="quote_consent", value=True))
    db.commit()
    save_review(db, answer, user(db, users[Role.admin]), {"domain.housing": None}, "", quotable=True)


def machine_suggestions(db: Session, demo: Wave, code: str, count: int) -> None:
    """Rule suggestions of ``code`` on answers no coder has decided on: counted apart from accepted codes."""
    answers = db.exec(
        select(Answer.id).where(Answer.question_id == "discrimination_experience", Answer.text.is_not(None))
    ).all()
    for answer_id in answers[:count]:
        db.add(Coding(answer_id=answer_id, code=code, source="rules", confidence=0.8, status=CodingStatus.suggested))
    db.commit()


def test_figures_come_from_the_report_section_with_small_cells_suppressed(
    client: TestClient,
    db: Session,
    users: dict[Role, str],
    demo: Wave,
    author_token: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    quotable_answer(db, demo, users)
    machine_suggestions(db, demo, "domain.work", 8)
    built = []
    real = report_data.section_for

    def counted(*args, **kwargs):
        built.append((args[2], kwargs))
        return real(*args, **kwargs)

    monkeypatch.setattr(report_data, "section_for", counted)
    got = {
        name: client.get(f"/api/v1/waves/{demo.slug}/{name}", headers=bearer(author_token)) for name in FIGURE_ROUTES
    }
    for name, response in got.items():
        assert response.status_code == 200, f"{name}: {response.text}"
    assert built == [("de", {"weighted": False, "figures": False})]  # one section, cached, without charts

    results, codes, quotes, report = (got[name].json() for name in FIGURE_ROUTES)
    head = results["section"]
    assert (head["wave"], head["language"], head["weighted"]) == (demo.slug, "de", False)
    assert head["respondents"] == report["respondents"] > 100
    assert SMALL_DISTRICT in head["suppressed_districts"]

    welcome = next(q for f in results["fields"] for q in f["questions"] if q["question"] == "welcome")
    option = welcome["options"][0]
    assert set(option["overall"]) >= {"count", "n", "share", "low", "high", "suppressed", "small_base"}
    assert option["by_district"][SMALL_DISTRICT]["suppressed"] is True

    for name, data in (("results", results), ("codes", codes), ("report", report)):
        hidden = list(suppressed_objects(data))
        assert hidden, f"{name}: the small district should have suppressed cells"
        for cell in hidden:
            assert all(cell.get(key) is None for key in ("count", "n", "share", "low", "high")), (name, cell)

    counts = [c for f in codes["fields"] for c in (*f["strengths"], *f["barriers"])]
    assert counts
    assert all({"count", "suggested", "kind"} <= set(c) for c in counts)
    assert {c["kind"] for f in codes["fields"] for c in f["strengths"]} <= {"strength"}
    work = next(c for c in counts if c["code"] == "domain.work")
    assert (work["count"], work["suggested"]) == (0, 8)  # machine suggestions are labelled, never counted

    shown = [q for f in quotes["fields"] for q in f["quotes"]]
    assert any("Wohnungssuche" in q["text"] for q in shown)
    assert "max@example.org" not in json.dumps(quotes)
    assert "max@example.org" not in json.dumps(report)

    fresh = real(db, demo, "de", figures=False).to_dict()
    for data in (fresh, report):
        data.pop("generated_at")
    assert report == json.loads(json.dumps(fresh, default=lambda value: value.item()))  # NumPy numbers as numbers


def test_english_and_weighted_sections_are_built_apart(
    client: TestClient,
    db: Session,
    users: dict[Role, str],
    demo: Wave,
    author_token: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    quotable_answer(db, demo, users)
    built = []
    real = report_data.section_for
    monkeypatch.setattr(
        report_data, "section_for", lambda *a, **k: built.append((a[2], k["weighted"])) or real(*a, **k)
    )
    for query in ("?lang=en", "?lang=en&weighted=true", "?lang=en", "?lang=en&weighted=true"):
        response = client.get(f"/api/v1/waves/{demo.slug}/results{query}", headers=bearer(author_token))
        assert response.status_code == 200, response.text
    assert built == [("en", False), ("en", True)]
    assert response.json()["section"]["language"] == "en"
    assert response.json()["section"]["weighted"] is (response.json()["section"]["weighting"] is not None)


# ---------------------------------------------------------------------------------------------- OpenAPI


def test_openapi_lists_the_routes_with_response_schemas(client: TestClient) -> None:
    schema = client.get("/schema/openapi.json")
    assert schema.status_code == 200
    spec = schema.json()
    assert spec["info"]["title"] == "Stimmen API"
    paths = spec["paths"]
    for route in ROUTES:
        path = route.format(slug="{slug}")
        assert path in paths, path
        ok = paths[path]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
        assert ok.get("$ref") or ok.get("items", {}).get("$ref"), path
    components = spec["components"]["schemas"]
    assert {"WaveOut", "QuestionOut", "ResultsOut", "CodesOut", "QuotesOut", "Section", "Share"} <= set(components)
    assert set(components["Share"]["properties"]) >= {"count", "n", "share", "suppressed"}
    lang = next(p for p in paths["/api/v1/waves/{slug}/results"]["get"]["parameters"] if p["name"] == "lang")
    assert "en" in json.dumps(lang["schema"])
