"""``GET /w/{code}/results.json``: a workshop's own aggregates, through the privacy layer, on both databases."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from litestar.testing import TestClient
from sqlmodel import Session, select

from survey.models import Answer, Channel, Response, ResponseStatus, Vote, Wave, Workshop
from survey.statements import add_statement, cast_votes
from survey.workshops import create_workshop


def workshop(db: Session, wave: Wave, title: str = "Abendrunde", questionnaire: str = "workshop") -> Workshop:
    return create_workshop(
        db,
        wave=wave,
        organisation="Verein A",
        title=title,
        held_on=date(2025, 5, 20),
        languages=["de", "en"],
        questionnaire=questionnaire,
    )


def participant(
    db: Session,
    room: Workshop,
    answers: dict[str, Any],
    status: ResponseStatus = ResponseStatus.submitted,
    texts: dict[str, str] | None = None,
    language: str = "de",
) -> Response:
    """A response of the workshop with closed ``answers`` (values) and free ``texts``, in ``language``."""
    response = Response(
        wave_id=room.wave_id,
        questionnaire_version_id=room.questionnaire_version_id,
        channel=Channel.workshop,
        language=language,
        status=status,
        code_hash=uuid.uuid4().hex,
        workshop_id=room.id,
    )
    db.add(response)
    db.flush()
    db.add_all(Answer(response_id=response.id, question_id=q, value=v) for q, v in answers.items())
    db.add_all(Answer(response_id=response.id, question_id=q, text=text) for q, text in (texts or {}).items())
    db.commit()
    return response


def question(body: dict, question_id: str) -> dict:
    return next(q for q in body["questions"] if q["id"] == question_id)


def option(line: dict, value: str) -> dict:
    return next(o for o in line["options"] if o["value"] == value)


def test_an_unknown_code_is_not_found(client: TestClient) -> None:
    response = client.get("/w/ZZZZZZ/results.json")
    assert response.status_code == 404
    assert response.json()["detail"] == "no workshop with this code"


def test_nothing_is_shown_until_the_minimum_has_answered(client: TestClient, db: Session, wave: Wave) -> None:
    room = workshop(db, wave)
    for _ in range(4):
        participant(db, room, {"age_group": "age_30_44"})
    body = client.get(f"/w/{room.join_code}/results.json").json()
    assert body["participants"] == 4
    assert body["minimum"] == 5
    assert body["shown"] is False
    assert body["questions"] == []


def test_counts_come_from_this_workshops_submitted_answers_only(client: TestClient, db: Session, wave: Wave) -> None:
    room, other = workshop(db, wave), workshop(db, wave, "Andere Runde")
    for _ in range(6):
        participant(db, room, {"city_priorities": ["meeting_places", "affordable_housing"]})
    participant(db, room, {"city_priorities": ["meeting_places"]}, status=ResponseStatus.in_progress)
    for _ in range(5):
        participant(db, other, {"city_priorities": ["meeting_places"]})
    body = client.get(f"/w/{room.join_code.lower()}/results.json").json()
    assert (body["participants"], body["counted"], body["shown"], body["title"]) == (6, 6, True, "Abendrunde")
    priorities = question(body, "city_priorities")
    assert priorities["n"] == 6
    assert option(priorities, "meeting_places")["count"] == 6
    assert option(priorities, "affordable_housing")["count"] == 6
    assert [o["count"] for o in priorities["options"]].count(0) == len(priorities["options"]) - 2


def test_results_grow_in_steps_of_the_minimum(client: TestClient, db: Session, wave: Wave) -> None:
    """The screen must not move with one submission: the room would see what that person answered."""
    room = workshop(db, wave)
    for _ in range(5):
        participant(db, room, {"concern_domains": ["work"]})
    first = client.get(f"/w/{room.join_code}/results.json").json()
    assert (first["participants"], first["counted"]) == (5, 5)
    for _ in range(4):
        participant(db, room, {"concern_domains": ["housing"]})
    waiting = client.get(f"/w/{room.join_code}/results.json").json()
    assert (waiting["participants"], waiting["counted"]) == (9, 5)
    assert option(question(waiting, "concern_domains"), "work")["count"] == 5
    assert option(question(waiting, "concern_domains"), "housing")["count"] == 0  # the four are not counted yet
    participant(db, room, {"concern_domains": ["housing"]})
    stepped = client.get(f"/w/{room.join_code}/results.json").json()
    assert (stepped["participants"], stepped["counted"]) == (10, 10)
    assert option(question(stepped, "concern_domains"), "housing")["count"] == 5
    steps = {r.room_step for r in db.exec(select(Response).where(Response.workshop_id == room.id)).all()}
    assert steps == {1, 2}


def test_small_counts_are_withheld_so_totals_do_not_reveal_them(client: TestClient, db: Session, wave: Wave) -> None:
    room = workshop(db, wave, questionnaire="default")
    for welcome in ["4"] * 7 + ["1"] * 2:
        participant(db, room, {"welcome": welcome})
    body = client.get(f"/w/{room.join_code}/results.json").json()
    welcome = question(body, "welcome")
    assert welcome["n"] == 9
    assert option(welcome, "1") == {
        "value": "1",
        "label": "1 – überhaupt nicht willkommen",
        "count": None,
        "suppressed": True,
    }
    # 9 - 7 would give the 2 away: the next count is withheld too
    assert option(welcome, "4")["suppressed"] is True
    assert all(o["count"] in (0, None) for o in welcome["options"])


def test_a_question_answered_by_too_few_is_withheld_whole(client: TestClient, db: Session, wave: Wave) -> None:
    room = workshop(db, wave)
    for i in range(6):
        participant(
            db, room, {"city_priorities": ["meeting_places"]} | ({"concern_domains": ["work"]} if i < 2 else {})
        )
    body = client.get(f"/w/{room.join_code}/results.json", params={"lang": "en"}).json()
    domains = question(body, "concern_domains")
    assert (domains["n"], domains["suppressed"]) == (None, True)
    assert all(o["count"] is None for o in domains["options"])
    assert body["language"] == "en"
    assert option(question(body, "city_priorities"), "meeting_places")["count"] == 6


def test_statements_come_with_their_votes_withheld_under_the_minimum(
    client: TestClient, db: Session, wave: Wave
) -> None:
    room = workshop(db, wave)
    shared = add_statement(db, room, "Wir brauchen mehr Treffpunkte.", "de")
    quiet = add_statement(db, room, "Die Busse fahren zu selten.", "de")
    for i in range(7):
        person = participant(db, room, {"age_group": "age_30_44"})
        votes = {shared.id: Vote.agree if i < 6 else Vote.disagree}
        cast_votes(db, room, person.id, votes | ({quiet.id: Vote.pass_} if i < 3 else {}))
    first, second = client.get(f"/w/{room.join_code}/results.json").json()["statements"]
    assert (first["text"], first["language"], first["voters"], first["suppressed"]) == (
        "Wir brauchen mehr Treffpunkte.",
        "de",
        7,
        False,
    )
    # one disagreement is withheld, and so is the 6 that would give it away; nobody passed
    assert first["votes"] == [
        {"vote": "agree", "count": None, "suppressed": True},
        {"vote": "disagree", "count": None, "suppressed": True},
        {"vote": "pass", "count": 0, "suppressed": False},
    ]
    assert (second["voters"], second["suppressed"]) == (None, True)
    assert all(vote["count"] is None for vote in second["votes"])
