"""Workshops in the report's input: participants' free texts coded and counted, the groups' statements and votes."""

from __future__ import annotations

from datetime import date

from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from analysis.coding import load_coder
from analysis.report import build_section
from analysis.report_input import STATEMENT_COLUMNS, WORKSHOP_COLUMNS
from survey.coding import save_review
from survey.models import Answer, ResponseStatus, Role, StatementVote, Vote, Wave
from survey.report_data import load_report_input
from survey.suggestions import suggest_wave
from survey.users import add_user
from tests.conftest import PASSWORD
from tests.workshop_data import CONCERN, HOUSING_STATEMENT, participant, statement, workshop

HOUSING = "domain.housing"


def test_workshop_free_texts_are_coded_and_counted(engine: Engine, db: Session, wave: Wave) -> None:
    wave.min_cell_size = 1  # one coded answer is enough to see its count here
    db.add(wave)
    held = workshop(db, wave)
    response = participant(db, wave, held, {"community_concerns": CONCERN})
    assert suggest_wave(engine, wave, load_coder()) > 0
    answer = db.exec(select(Answer).where(Answer.response_id == response.id)).one()
    save_review(db, answer, add_user(db, "coder@example.org", Role.coder, PASSWORD), {HOUSING: None}, "")

    data = load_report_input(db, wave)
    assert data.text_questions["community_concerns"].startswith("Was beschäftigt Sie")
    assert (
        data.text_questions["city_wishes"] == "Was sollte die Stadt tun, damit sich alle hier zu Hause fühlen können?"
    )
    assert list(data.texts.loc[data.texts["answer_id"] == answer.id, "question_id"]) == ["community_concerns"]
    section = build_section(data, figures=False)
    housing = next(code for field in section.fields for code in field.barriers if code.code == HOUSING)
    assert (housing.count, housing.n) == (1, 1)


def test_statements_and_workshops_with_their_votes(db: Session, wave: Wave) -> None:
    first = workshop(db, wave, organisation="Verein Brücke", held_on=date(2025, 5, 20))
    votes = [Vote.agree] * 6 + [Vote.disagree] * 2 + [Vote.pass_]
    decided = statement(db, wave, first, HOUSING_STATEMENT, votes, codes=[HOUSING])
    withdrawn = participant(db, wave, first, status=ResponseStatus.withdrawn)
    db.add(StatementVote(statement_id=decided.id, response_id=withdrawn.id, vote=Vote.agree))
    db.commit()
    suggested = [{"code": "wish.faster_authorities", "confidence": 0.7, "source": "rules"}]
    statement(db, wave, first, "Mehr Termine im Bürgeramt, Frau Meier sagte nein.", [Vote.agree], suggestions=suggested)
    later = workshop(db, wave, organisation="Elternnetzwerk", held_on=date(2025, 6, 3))
    participant(db, wave, later)

    data = load_report_input(db, wave)
    assert list(data.workshops.columns) == WORKSHOP_COLUMNS
    assert data.workshops[["organisation", "held_on", "participants"]].values.tolist() == [
        ["Verein Brücke", "2025-05-20", 10],  # nine voters and the second statement's voter, not the withdrawn one
        ["Elternnetzwerk", "2025-06-03", 1],
    ]
    assert list(data.statements.columns) == STATEMENT_COLUMNS
    rows = data.statements.to_dict("records")
    assert [row["text"] for row in rows] == [HOUSING_STATEMENT, "Mehr Termine im Bürgeramt, Frau Meier sagte nein."]
    assert (rows[0]["codes"], rows[0]["decided"]) == ([HOUSING], True)
    assert (rows[1]["codes"], rows[1]["decided"]) == (["wish.faster_authorities"], False)
    assert [rows[0][key] for key in ("agree", "disagree", "pass", "voters")] == [6, 2, 1, 9]

    section = build_section(data, figures=False)
    housing = next(field for field in section.fields if field.id == "housing")
    (shown,) = housing.statements
    assert (shown.voters, shown.votes) == (9, {"agree": 6, "disagree": None, "pass": None})
    authorities = [s for field in section.fields for s in field.statements if not s.decided]
    assert authorities
    assert all(s.suppressed and s.voters is None for s in authorities)  # one voter: nothing shown
    assert "Meier" not in authorities[0].text
    assert [(w.organisation, w.participants, w.statements) for w in section.workshops] == [
        ("Verein Brücke", 10, 2),
        ("Elternnetzwerk", None, 0),
    ]
