"""Loading a wave for the report: the tables ``analysis.report`` builds the section from."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import event
from sqlmodel import Session, select

from analysis.report_input import CLOSED_COLUMNS, CODING_COLUMNS, RESPONSE_COLUMNS, TEXT_COLUMNS, ReportInput
from survey.coding import save_review
from survey.demo.seed import DEMO_SLUG, SMALL_DISTRICT, seed_demo
from survey.models import (
    Answer,
    Coding,
    CodingReview,
    CodingStatus,
    IndicatorValue,
    Response,
    ResponseStatus,
    Role,
    User,
    Wave,
)
from survey.report_data import load_report_input, population_margins, previous_wave, wave_year
from survey.settings import Settings
from survey.users import add_user
from survey.waves import create_wave, wave_by_slug
from tests.conftest import DEFAULT_QUESTIONNAIRE, PASSWORD

RESPONSES = 150


@pytest.fixture
def demo(db: Session, settings: Settings) -> Wave:
    seed_demo(db, settings, responses=RESPONSES)
    return wave_by_slug(db, DEMO_SLUG)


def _coders(db: Session) -> tuple[User, User]:
    return tuple(add_user(db, f"coder{n}@example.org", Role.coder, PASSWORD) for n in (1, 2))


def _set_quote_consent(db: Session, response_id: str, given: bool) -> None:
    answer = db.exec(
        select(Answer).where(Answer.response_id == response_id, Answer.question_id == "quote_consent")
    ).first() or Answer(response_id=response_id, question_id="quote_consent")
    answer.value = given
    db.add(answer)
    db.commit()


def _text_answers(db: Session, wave: Wave, count: int) -> list[Answer]:
    return list(
        db.exec(
            select(Answer)
            .join(Response, Response.id == Answer.response_id)
            .where(
                Response.wave_id == wave.id,
                Response.status == ResponseStatus.submitted,
                Answer.question_id == "discrimination_experience",
                Answer.text.is_not(None),
            )
            .order_by(Answer.id)
            .limit(count)
        ).all()
    )


def test_only_submitted_responses_with_district_and_groups(db: Session, demo: Wave) -> None:
    data = load_report_input(db, demo)
    submitted = set(
        db.exec(select(Response.id).where(Response.status == ResponseStatus.submitted, Response.wave_id == demo.id))
    )
    online = set(db.exec(select(Response.id).where(Response.workshop_id.is_(None))))
    assert 0 < len(submitted & online) < RESPONSES  # the demo leaves some unfinished online
    assert list(data.responses.columns) == [*RESPONSE_COLUMNS, *data.groups]
    assert data.groups == ["age_group", "gender", "years_in_germany", "migration_experience"]
    assert set(data.responses["response_id"]) == submitted
    assert set(data.closed["response_id"]) <= submitted
    assert set(data.texts["response_id"]) <= submitted
    stored = dict(
        db.exec(
            select(Answer.response_id, Answer.value).where(
                Answer.question_id == "district", Answer.response_id.in_(submitted)
            )
        ).all()
    )
    districts = dict(zip(data.responses["response_id"], data.responses["district"], strict=True))
    assert districts == {rid: stored.get(rid) if stored.get(rid) != "_na" else None for rid in submitted}
    assert 0 < list(districts.values()).count(SMALL_DISTRICT) < 5
    assert set(data.responses["channel"]) == {"online", "workshop"}  # the demo workshops answered too
    ages = {"under_18", "age_18_29", "age_30_44", "age_45_64", "age_65_plus"}
    assert set(data.responses["age_group"]) - {None} <= ages


def test_closed_answers_one_row_per_chosen_value(db: Session, demo: Wave) -> None:
    data = load_report_input(db, demo)
    assert list(data.closed.columns) == CLOSED_COLUMNS
    several = db.exec(select(Answer).where(Answer.question_id == "helps_at_home")).all()
    answer = next(
        a for a in several if len(a.value) >= 3 and db.get(Response, a.response_id).status == ResponseStatus.submitted
    )
    closed = data.closed
    rows = closed[(closed["response_id"] == answer.response_id) & (closed["question_id"] == "helps_at_home")]
    assert sorted(rows["value"]) == sorted(answer.value)
    assert set(rows["item"]) == {""}
    matrix = data.closed[data.closed["question_id"] == "attachment"]
    assert set(matrix["item"]) == {"district", "city", "germany", "europe"}
    scale = data.closed[data.closed["question_id"] == "welcome"]
    assert set(scale["value"]) <= {"1", "2", "3", "4", "5", "_na"}
    assert len(scale) > 0
    assert not data.closed["question_id"].isin(["district", "quote_consent", "household_size"]).any()


def test_labels_in_the_report_language(db: Session, demo: Wave) -> None:
    english = {q.id: q for q in load_report_input(db, demo, "en").questions}
    german = {q.id: q for q in load_report_input(db, demo, "de").questions}
    assert german["welcome"].label == "Wie willkommen fühlen Sie sich in unserer Stadt?"
    assert english["welcome"].label == "How welcome do you feel in our city?"
    assert english["welcome"].kind == "scale"
    assert english["welcome"].options[0] == ("1", "1 – not welcome at all")
    assert dict(english["other_country"].options) == {"yes": "Yes", "no": "No", "_na": "Prefer not to say"}
    assert dict(german["other_country"].options)["_na"] == "Keine Angabe"
    assert english["attachment"].items[1] == ("city", "our city")
    assert "other" in dict(english["helps_at_home"].options)
    assert set(english) >= {"age_group", "helps_at_home", "attachment"}
    assert "district" not in english
    assert load_report_input(db, demo, "en").text_questions["city_wishes"].startswith("What should the city do")


def test_final_and_suggested_codings(db: Session, demo: Wave) -> None:
    first, second = _coders(db)
    decided, undecided, rejected = _text_answers(db, demo, 3)
    for answer, code in ((decided, "domain.work"), (undecided, "domain.housing"), (rejected, "domain.health")):
        db.add(Coding(answer_id=answer.id, code=code, source="rules", confidence=0.9, status=CodingStatus.suggested))
    db.commit()
    save_review(db, decided, first, {"domain.work": None, "ground.origin": None}, "")
    save_review(db, decided, second, {"domain.work": None}, "")
    save_review(db, rejected, first, {}, "")
    codings = load_report_input(db, demo).codings
    assert list(codings.columns) == CODING_COLUMNS
    rows = set(codings.itertuples(index=False, name=None))
    # ground.origin has one of two coders: half is enough for a final code
    assert {(decided.id, "domain.work", "accepted"), (decided.id, "ground.origin", "accepted")} <= rows
    assert (undecided.id, "domain.housing", "suggested") in rows
    # deciding on no code is a decision: the answer stays in the base of the codes, with none of them
    assert [(code, status) for answer_id, code, status in rows if answer_id == rejected.id] == [(None, "decided")]
    assert (decided.id, None, "decided") in rows
    assert not any(answer_id == undecided.id and status == "decided" for answer_id, _, status in rows)
    assert not any(answer_id == decided.id and status == "suggested" for answer_id, _, status in rows)


def test_quotable_needs_coder_approval_and_consent(db: Session, demo: Wave) -> None:
    coder, _ = _coders(db)
    both, no_consent, not_approved = _text_answers(db, demo, 3)
    for answer, approved, consent in ((both, True, True), (no_consent, True, False), (not_approved, False, True)):
        save_review(db, answer, coder, {}, "")
        review = db.exec(select(CodingReview).where(CodingReview.answer_id == answer.id)).one()
        review.quotable = approved
        db.add(review)
        _set_quote_consent(db, answer.response_id, consent)
    texts = load_report_input(db, demo).texts
    assert list(texts.columns) == TEXT_COLUMNS
    quotable = dict(zip(texts["answer_id"], texts["quotable"], strict=True))
    assert quotable[both.id]
    assert not quotable[no_consent.id]
    assert not quotable[not_approved.id]
    assert texts["quotable"].sum() == 1


def test_text_language_prefers_the_detected_one(db: Session, demo: Wave) -> None:
    (answer,) = _text_answers(db, demo, 1)
    answer.language = "uk"
    db.add(answer)
    response = db.get(Response, answer.response_id)
    response.language = "de-simple"
    db.add(response)
    other = db.exec(
        select(Answer).where(Answer.response_id == response.id, Answer.text.is_not(None), Answer.id != answer.id)
    ).all()
    for text_answer in other:
        text_answer.language = None
        db.add(text_answer)
    db.commit()
    texts = load_report_input(db, demo).texts.set_index("answer_id")
    assert texts.loc[answer.id, "language"] == "uk"
    for text_answer in other:
        if text_answer.question_id in set(texts["question_id"]):
            assert texts.loc[text_answer.id, "language"] == "de"  # Einfache Sprache is read as German


def test_population_margins_from_the_latest_year_up_to_the_survey(db: Session, wave: Wave) -> None:
    assert population_margins(db, wave) is None
    year = wave_year(wave)
    for district, values in (("Altstadt", (900, 1000, 5000)), ("Hafen", (100, 3000, 5000)), ("Anderswo", (9, 9, 9))):
        for offset, value in zip((-2, -1, 1), values, strict=True):
            db.add(
                IndicatorValue(
                    indicator="Einwohnerinnen und Einwohner",
                    field_of_action="Bevölkerung",
                    district=district,
                    year=year + offset,
                    value=value,
                )
            )
    db.commit()
    margins = population_margins(db, wave)
    assert list(margins.columns) == ["variable", "value", "share"]
    assert margins.to_dict("records") == [
        {"variable": "district", "value": "Altstadt", "share": 0.25},
        {"variable": "district", "value": "Hafen", "share": 0.75},
    ]
    data = load_report_input(db, wave)
    assert data.population is not None
    assert set(data.indicators["district"]) == {"Altstadt", "Hafen", "Anderswo"}


def test_the_demo_can_be_weighted(db: Session, demo: Wave) -> None:
    margins = load_report_input(db, demo).population
    assert margins is not None
    assert list(margins["value"]) == demo.districts
    assert margins["share"].sum() == pytest.approx(1)


def test_previous_wave_of_the_same_questionnaire(db: Session, demo: Wave) -> None:
    later = create_wave(
        db,
        questionnaire_path=DEFAULT_QUESTIONNAIRE,
        slug="demo-next",
        title="Nächste Welle",
        districts=["Altstadt"],
        languages=["de"],
        opens_on=(demo.opens_on or date.today()) + timedelta(days=365),
    )
    assert previous_wave(db, later).id == demo.id
    assert previous_wave(db, demo) is None
    data = load_report_input(db, later, previous=previous_wave(db, later))
    assert isinstance(data.previous, ReportInput)
    assert data.previous.wave == DEMO_SLUG
    assert data.previous.previous is None
    assert len(data.previous.responses) > 0
    assert data.responses.empty
    assert list(data.closed.columns) == CLOSED_COLUMNS
    assert list(data.texts.columns) == TEXT_COLUMNS
    assert data.year == wave_year(later) == later.opens_on.year


def test_queries_do_not_grow_with_the_responses(db: Session, demo: Wave) -> None:
    statements: list[str] = []

    def count(_conn, _cursor, statement, *_args) -> None:
        statements.append(statement)

    engine = db.get_bind()
    event.listen(engine, "before_cursor_execute", count)
    try:
        load_report_input(db, demo)
    finally:
        event.remove(engine, "before_cursor_execute", count)
    assert len(statements) < 25, statements
