"""``stimmen workshop create|list|close`` against the test database."""

from __future__ import annotations

from datetime import date

from click.testing import CliRunner, Result
from sqlmodel import Session, select

from survey.cli import main
from survey.models import QuestionnaireVersion, Wave, Workshop, WorkshopStatus
from survey.workshops import JOIN_CODE_ALPHABET, workshop_by_code


def invoke(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


def create(*extra: str) -> Result:
    return invoke("workshop", "create", "--wave", "test-wave", "--org", "Verein A", "--title", "Abendrunde", *extra)


def test_create_prints_the_join_code_last(env: str, db: Session, wave: Wave) -> None:
    result = create()
    assert result.exit_code == 0, result.output
    code = result.output.split()[-1]
    assert len(code) == 6
    assert set(code) <= set(JOIN_CODE_ALPHABET)
    workshop = workshop_by_code(db, code.lower())
    assert (workshop.organisation, workshop.title, workshop.wave_id) == ("Verein A", "Abendrunde", wave.id)
    assert (workshop.held_on, workshop.languages) == (date.today(), ["de"])
    assert db.get(QuestionnaireVersion, workshop.questionnaire_version_id).questionnaire_id == "workshop"


def test_create_with_date_languages_and_the_waves_questionnaire(env: str, db: Session, wave: Wave) -> None:
    result = create("--date", "2025-03-01", "--language", "en", "--language", "de", "--questionnaire", "default")
    assert result.exit_code == 0, result.output
    workshop = workshop_by_code(db, result.output.split()[-1])
    assert (workshop.held_on, workshop.languages) == (date(2025, 3, 1), ["en", "de"])
    assert workshop.questionnaire_version_id == wave.questionnaire_version_id


def test_create_names_the_existing_waves(env: str, db: Session, wave: Wave) -> None:
    result = invoke("workshop", "create", "--wave", "nope", "--org", "Verein A", "--title", "T")
    assert result.exit_code == 2
    assert "no wave 'nope'" in result.output
    assert "existing waves: test-wave" in result.output
    assert db.exec(select(Workshop)).all() == []


def test_create_names_the_waves_languages(env: str, db: Session, wave: Wave) -> None:
    result = create("--language", "de", "--language", "tr")
    assert result.exit_code == 2
    assert "tr not offered by wave test-wave (its languages: de, en)" in result.output
    bad_date = create("--date", "1.3.2025")
    assert bad_date.exit_code == 2
    assert "--date" in bad_date.output
    assert db.exec(select(Workshop)).all() == []


def test_list_and_close(env: str, db: Session, wave: Wave) -> None:
    first = create().output.split()[-1]
    second = invoke(
        "workshop", "create", "--wave", "test-wave", "--org", "Kulturzentrum B", "--title", "Frauencafé"
    ).output.split()[-1]

    listed = invoke("workshop", "list")
    assert listed.exit_code == 0, listed.output
    assert first in listed.output
    assert second in listed.output
    only_b = invoke("workshop", "list", "--org", "kulturzentrum b")
    assert second in only_b.output
    assert first not in only_b.output
    assert invoke("workshop", "list", "--org", "Niemand").output.strip() == "No workshops."

    closed = invoke("workshop", "close", f"{first[:3].lower()}-{first[3:]}")
    assert closed.exit_code == 0, closed.output
    assert first in closed.output
    db.expire_all()
    assert workshop_by_code(db, first).status == WorkshopStatus.closed
    assert workshop_by_code(db, second).status == WorkshopStatus.open
    assert "closed" in invoke("workshop", "list").output

    unknown = invoke("workshop", "close", "ZZZZZZ" if "ZZZZZZ" not in (first, second) else "YYYYYY")
    assert unknown.exit_code == 1
    assert "no workshop with the join code" in unknown.output
