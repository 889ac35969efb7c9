"""Workshop data layer: join codes, lookup, organisation scoping, closing, paper forms and votes."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime

import pytest
from alembic import command
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from survey import workshops
from survey.db import alembic_config, make_engine, upgrade
from survey.models import (
    Channel,
    QuestionnaireVersion,
    Response,
    Role,
    StatementVote,
    User,
    Vote,
    Wave,
    Workshop,
    WorkshopStatement,
    WorkshopStatus,
)
from survey.users import add_user
from survey.workshops import (
    JOIN_CODE_ALPHABET,
    WorkshopError,
    accepts_answers,
    close_workshop,
    create_workshop,
    managed_workshop,
    new_join_code,
    workshop_by_code,
    workshops_for,
)
from tests.conftest import PASSWORD

TODAY = date(2025, 5, 20)


def make(db: Session, wave: Wave, organisation: str = "Verein A", **overrides) -> Workshop:
    options = {"title": "Abendrunde", "held_on": TODAY, "languages": ["de"], "questionnaire": "workshop"}
    return create_workshop(db, wave=wave, organisation=organisation, **(options | overrides))


def response(db: Session, wave: Wave, workshop: Workshop | None, paper_form: str | None = None) -> Response:
    row = Response(
        wave_id=wave.id,
        questionnaire_version_id=workshop.questionnaire_version_id if workshop else wave.questionnaire_version_id,
        channel=Channel.paper if paper_form else Channel.workshop,
        language="de",
        code_hash=uuid.uuid4().hex,
        workshop_id=workshop.id if workshop else None,
        paper_form=paper_form,
    )
    db.add(row)
    db.commit()
    return row


def test_join_codes_are_six_unambiguous_characters() -> None:
    codes = [new_join_code() for _ in range(3000)]
    assert all(len(code) == 6 for code in codes)
    used = set("".join(codes))
    assert used <= set(JOIN_CODE_ALPHABET)
    assert not used & set("0O1lIL")
    assert used == set(JOIN_CODE_ALPHABET)  # every character is drawn (18,000 draws from 31)
    assert len(set(codes)) > 2990


def test_create_freezes_the_workshop_questionnaire_or_reuses_the_waves(db: Session, wave: Wave) -> None:
    facilitator = add_user(db, "moderation@example.org", Role.facilitator, PASSWORD, "Verein A")
    own = make(db, wave, "  Verein   A ", title=" Abend ", languages=["en", "de", "en"], facilitator=facilitator)
    assert (own.organisation, own.title, own.languages) == ("Verein A", "Abend", ["en", "de"])
    assert own.status == WorkshopStatus.open
    assert own.closed_at is None
    assert own.facilitator_id == facilitator.id
    version = db.get(QuestionnaireVersion, own.questionnaire_version_id)
    assert version.questionnaire_id == "workshop"
    assert own.questionnaire_version_id != wave.questionnaire_version_id
    assert make(db, wave).questionnaire_version_id == own.questionnaire_version_id  # one snapshot per content

    default = make(db, wave, questionnaire="default")
    assert default.questionnaire_version_id == wave.questionnaire_version_id
    assert default.facilitator_id is None


@pytest.mark.parametrize(
    ("overrides", "reason"),
    [
        ({"languages": ["tr"]}, "language_not_in_wave"),
        ({"languages": ["de", "ar"]}, "language_not_in_wave"),
        ({"languages": []}, "no_language"),
        ({"title": "  "}, "no_title"),
        ({"questionnaire": "other"}, "unknown_questionnaire"),
    ],
)
def test_create_refuses_what_the_wave_does_not_offer(db: Session, wave: Wave, overrides: dict, reason: str) -> None:
    with pytest.raises(WorkshopError) as refused:
        make(db, wave, **overrides)
    assert refused.value.code == reason
    assert db.exec(select(Workshop)).all() == []


def test_create_draws_again_when_a_code_is_taken(db: Session, wave: Wave, monkeypatch: pytest.MonkeyPatch) -> None:
    first = make(db, wave)
    drawn = iter([first.join_code, first.join_code, "ZXCV23"])
    monkeypatch.setattr(workshops, "new_join_code", lambda: next(drawn))
    assert make(db, wave).join_code == "ZXCV23"

    monkeypatch.setattr(workshops, "new_join_code", lambda: first.join_code)
    with pytest.raises(WorkshopError) as refused:
        make(db, wave)
    assert refused.value.code == "no_free_code"


def test_join_codes_are_unique_in_the_database(db: Session, wave: Wave) -> None:
    first = make(db, wave)
    db.add(Workshop(**first.model_dump(exclude={"id"})))
    with pytest.raises(IntegrityError):
        db.commit()
    db.rollback()


def test_lookup_ignores_case_spaces_and_hyphens(db: Session, wave: Wave) -> None:
    workshop = make(db, wave)
    code = workshop.join_code
    for typed in (code, code.lower(), f" {code[:3]} {code[3:]} ", f"{code[:3]}-{code[3:].lower()}"):
        assert workshop_by_code(db, typed).id == workshop.id, typed
    assert workshop_by_code(db, "") is None
    assert workshop_by_code(db, " - ") is None
    assert workshop_by_code(db, "ZZZZZZ" if code != "ZZZZZZ" else "YYYYYY") is None


def test_staff_see_only_the_workshops_of_their_organisation(db: Session, wave: Wave) -> None:
    a1, a2 = make(db, wave, "Verein A"), make(db, wave, "verein a", held_on=date(2025, 6, 1))
    b = make(db, wave, "Kulturzentrum B")

    def person(email: str, role: Role, organisation: str | None = None) -> User:
        return add_user(db, email, role, PASSWORD, organisation)

    def ids(user: User, organisation: str | None = None) -> list[int]:
        return [w.id for w in workshops_for(db, user, organisation)]

    assert ids(person("a@example.org", Role.facilitator, "Verein A")) == [a2.id, a1.id]
    assert ids(person("b@example.org", Role.facilitator, "Kulturzentrum B")) == [b.id]
    assert ids(person("b2@example.org", Role.facilitator, "Kulturzentrum B"), "Verein A") == []  # no widening
    assert ids(person("none@example.org", Role.facilitator)) == []
    admin = person("admin@example.org", Role.admin)
    assert set(ids(admin)) == {a1.id, a2.id, b.id}
    assert ids(admin, "VEREIN  A") == [a2.id, a1.id]
    assert ids(person("coder@example.org", Role.coder, "Verein A")) == []
    assert ids(person("author@example.org", Role.author, "Verein A")) == []


def test_organisations_match_beyond_ascii(db: Session, wave: Wave) -> None:
    """SQLite's lower() leaves Ü alone; the match must not depend on the database."""
    workshop = make(db, wave, "Über Brücken e.V.")
    facilitator = add_user(db, "u@example.org", Role.facilitator, PASSWORD, "über  brücken E.V.")
    assert [w.id for w in workshops_for(db, facilitator)] == [workshop.id]
    assert managed_workshop(db, facilitator, workshop.id) == workshop
    other = add_user(db, "o@example.org", Role.facilitator, PASSWORD, "Über Brücken")
    assert managed_workshop(db, other, workshop.id) is None


def test_closing_stops_answers(db: Session, wave: Wave) -> None:
    workshop = make(db, wave)
    assert accepts_answers(workshop, TODAY)
    close_workshop(db, workshop)
    closed_at = db.get(Workshop, workshop.id).closed_at
    assert workshop.status == WorkshopStatus.closed
    assert closed_at is not None
    assert not accepts_answers(workshop, TODAY)
    close_workshop(db, workshop)
    assert db.get(Workshop, workshop.id).closed_at == closed_at


def test_a_closed_wave_closes_its_workshops(db: Session, wave: Wave) -> None:
    workshop = make(db, wave)
    wave.closes_on = date(2025, 5, 1)
    db.add(wave)
    db.commit()
    assert not accepts_answers(workshop, TODAY)
    assert accepts_answers(workshop, date(2025, 4, 30), wave)


def test_a_paper_form_is_entered_once_per_workshop(db: Session, wave: Wave) -> None:
    first, second = make(db, wave), make(db, wave, "Kulturzentrum B")
    response(db, wave, first, "17")
    response(db, wave, second, "17")  # numbering restarts in every workshop
    response(db, wave, first, None)
    response(db, wave, first, None)  # phone answers carry no form number
    response(db, wave, None, "17")
    with pytest.raises(IntegrityError):
        response(db, wave, first, "17")
    db.rollback()
    assert len(db.exec(select(Response).where(Response.paper_form == "17")).all()) == 3


def test_one_vote_per_participant_and_statement(db: Session, wave: Wave) -> None:
    workshop = make(db, wave)
    participant = response(db, wave, workshop)
    statements = [
        WorkshopStatement(workshop_id=workshop.id, text=f"Aussage {n}", language="de", position=n) for n in range(2)
    ]
    db.add_all(statements)
    db.commit()
    for statement in statements:
        db.add(StatementVote(statement_id=statement.id, response_id=participant.id, vote=Vote.agree))
    db.commit()
    db.add(StatementVote(statement_id=statements[0].id, response_id=participant.id, vote=Vote.pass_))
    with pytest.raises(IntegrityError):
        db.commit()
    db.rollback()
    stored = db.exec(select(StatementVote.vote).where(StatementVote.statement_id == statements[0].id)).all()
    assert stored == [Vote.agree]


def test_deleting_a_workshop_keeps_its_responses_but_not_its_statements(db: Session, wave: Wave) -> None:
    """Answers belong to the wave (ON DELETE SET NULL); statements and votes exist only for the workshop."""
    workshop = make(db, wave)
    participant = response(db, wave, workshop, "3")
    statement = WorkshopStatement(workshop_id=workshop.id, text="Mehr Sprachkurse", language="de")
    db.add(statement)
    db.commit()
    db.add(StatementVote(statement_id=statement.id, response_id=participant.id, vote=Vote.disagree))
    db.commit()
    db.execute(text("DELETE FROM workshop WHERE id = :id"), {"id": workshop.id})
    db.commit()
    db.expire_all()
    kept = db.get(Response, participant.id)
    assert kept is not None
    assert kept.workshop_id is None
    assert kept.paper_form == "3"
    assert db.exec(select(WorkshopStatement)).all() == []
    assert db.exec(select(StatementVote)).all() == []


def test_migrating_to_workshops_keeps_existing_answers(database_url: str) -> None:
    """SQLite rebuilds the response table for the new columns; the cascade to answers must not fire."""
    engine = make_engine(database_url)
    command.upgrade(alembic_config(engine), "0003")
    now = datetime(2025, 1, 2, tzinfo=UTC)
    with engine.begin() as connection:
        version_id = connection.execute(
            text(
                "INSERT INTO questionnaire_version (questionnaire_id, content_hash, source, created_at)"
                " VALUES ('q', 'h', 's', :now) RETURNING id"
            ),
            {"now": now},
        ).scalar_one()
        wave_id = connection.execute(
            text(
                "INSERT INTO wave (slug, title, questionnaire_version_id, districts, languages, is_open,"
                " min_cell_size, created_at, double_coding_share)"
                " VALUES ('w', 'W', :version, '[]', '[\"de\"]', :yes, 5, :now, 0.2) RETURNING id"
            ),
            {"version": version_id, "yes": True, "now": now},
        ).scalar_one()
        connection.execute(
            text(
                "INSERT INTO response (id, wave_id, questionnaire_version_id, channel, language, status,"
                " code_hash, page_reached, started_on, updated_on)"
                " VALUES ('r1', :wave, :version, 'online', 'de', 'submitted', 'x', 3, :day, :day)"
            ),
            {"wave": wave_id, "version": version_id, "day": now.date()},
        )
        connection.execute(text("INSERT INTO answer (response_id, question_id, item) VALUES ('r1', 'q1', '')"))
    upgrade(engine)
    with engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM answer")).scalar_one() == 1
        assert connection.execute(text("SELECT workshop_id FROM response")).all() == [(None,)]
        if engine.dialect.name == "sqlite":
            assert connection.execute(text("PRAGMA foreign_keys")).scalar_one() == 1
    engine.dispose()
