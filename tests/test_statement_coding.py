"""Machine suggestions for workshop texts: participants' free texts and the groups' statements, by ``stimmen code``."""

from __future__ import annotations

from click.testing import CliRunner
from sqlmodel import Session, select

from analysis.coding import load_coder
from survey.cli import main
from survey.models import Answer, Coding, CodingStatus, Role, Wave, WorkshopStatement
from survey.statement_coding import Progress, progress, save_codes, suggest_statements, ticked
from survey.users import add_user
from tests.conftest import PASSWORD
from tests.workshop_data import CONCERN, HOUSING_STATEMENT, participant, statement, workshop


def test_code_wave_suggests_for_workshop_answers_and_statements(env: str, db: Session, wave: Wave) -> None:
    held = workshop(db, wave)
    response = participant(db, wave, held, {"community_concerns": CONCERN})
    open_statement = statement(db, wave, held, HOUSING_STATEMENT)
    decided = statement(db, wave, held, "Die Ämter sollen schneller arbeiten.", codes=["wish.faster_authorities"])
    result = CliRunner().invoke(main, ["code", "--wave", wave.slug])
    assert result.exit_code == 0, result.output
    assert "Suggested codes for 1 workshop statements" in result.output
    db.expire_all()
    suggested = db.exec(
        select(Coding.code)
        .join(Answer, Answer.id == Coding.answer_id)
        .where(Answer.response_id == response.id, Coding.status == CodingStatus.suggested)
    ).all()
    assert {"domain.housing", "ground.origin"} <= set(suggested)  # the concern, scoped to community_concerns
    coded = db.get(WorkshopStatement, open_statement.id)
    assert {"domain.housing", "wish.housing"} <= {s["code"] for s in coded.suggestions}  # no question: any code
    assert all(s["source"] == "rules" and 0 < s["confidence"] <= 1 for s in coded.suggestions)
    assert db.get(WorkshopStatement, decided.id).suggestions is None  # a coder's decision is left alone


def test_suggestions_are_ticked_until_a_coder_decides(db: Session, wave: Wave) -> None:
    coder = add_user(db, "coder@example.org", Role.coder, PASSWORD)
    row = statement(db, wave, workshop(db, wave), HOUSING_STATEMENT)
    assert suggest_statements(db, wave, load_coder()) == 1
    assert "domain.housing" in ticked(row)
    assert progress(db, wave) == Progress(statements=1, decided=0)
    save_codes(db, row, coder, ["wish.housing", "wish.housing"])
    assert (row.codes, row.coded_by) == (["wish.housing"], coder.id)
    assert ticked(row) == ["wish.housing"]
    assert progress(db, wave) == Progress(statements=1, decided=1)
    assert suggest_statements(db, wave, load_coder()) == 0
