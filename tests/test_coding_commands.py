"""Coding a wave in the database and measuring coder agreement from the command line."""

from __future__ import annotations

from click.testing import CliRunner
from sqlmodel import Session, select

from analysis.reliability import Decision
from survey.cli import main
from survey.coding import decisions, final_codes, in_double_sample, next_answer, save_review
from survey.models import Answer, Coding, CodingReview, CodingStatus, Role, User, Wave
from survey.users import add_user
from tests.conftest import PASSWORD, add_text_answers

TEXTS = [
    ("discrimination_experience", "Der Vermieter hat mich wegen meines Namens abgelehnt.", "de"),
    ("discrimination_experience", "Keine Probleme bei der Wohnungssuche, zum Glück.", "de"),
    ("discrimination_experience", "На работе начальник кричал на меня из-за акцента.", "de"),
    ("city_wishes", "Mehr bezahlbare Wohnungen und schnellere Termine im Amt.", "de"),
]


def _suggestions(db: Session, answer_id: int) -> dict[str, Coding]:
    db.expire_all()
    rows = db.exec(select(Coding).where(Coding.answer_id == answer_id, Coding.source != "user")).all()
    return {row.code: row for row in rows}


def test_code_wave_stores_suggestions_with_evidence_and_language(env: str, db: Session, wave: Wave) -> None:
    housing, negated, russian, wish = add_text_answers(db, wave, TEXTS)
    result = CliRunner().invoke(main, ["code", "--wave", wave.slug])
    assert result.exit_code == 0, result.output

    found = _suggestions(db, housing)
    assert {"domain.housing", "ground.name"} <= found.keys()
    text = TEXTS[0][1]
    evidence = found["domain.housing"]
    assert text[evidence.start : evidence.end] == "Vermieter"
    assert evidence.source == "rules"
    assert evidence.status == CodingStatus.suggested
    assert "domain.housing" not in _suggestions(db, negated)
    assert "domain.work" in _suggestions(db, russian)
    assert db.get(Answer, russian).language == "ru"  # the text's language, not the survey's
    wish_codes = _suggestions(db, wish).keys()
    assert "wish.housing" in wish_codes
    assert not any(code.startswith("domain.") for code in wish_codes)  # scoped out of wishes

    again = CliRunner().invoke(main, ["code", "--wave", wave.slug])
    assert again.exit_code == 0, again.output
    assert sorted(_suggestions(db, housing)) == sorted(found)  # replaced, not duplicated


def test_code_wave_leaves_decided_answers_alone(env: str, db: Session, wave: Wave) -> None:
    housing, *_ = add_text_answers(db, wave, TEXTS[:1])
    coder = add_user(db, "coder@example.org", Role.coder, PASSWORD)
    save_review(db, db.get(Answer, housing), coder, {"ground.name": None}, "")
    CliRunner().invoke(main, ["code", "--wave", wave.slug])
    assert _suggestions(db, housing) == {}


def test_unknown_wave_is_a_clear_error(env: str) -> None:
    result = CliRunner().invoke(main, ["code", "--wave", "nope"])
    assert result.exit_code != 0
    assert "no wave with the slug 'nope'" in result.output


def test_code_needs_input_or_wave(env: str) -> None:
    result = CliRunner().invoke(main, ["code"])
    assert result.exit_code == 2
    assert "--input" in result.output
    assert "--wave" in result.output


def _coders(db: Session) -> tuple[User, User]:
    return (
        add_user(db, "first@example.org", Role.coder, PASSWORD),
        add_user(db, "second@example.org", Role.coder, PASSWORD),
    )


def test_agreement_command_reports_kappa_and_disagreements(env: str, db: Session, wave: Wave) -> None:
    ids = add_text_answers(db, wave, TEXTS)
    first, second = _coders(db)
    # housing: both yes on a, yes/no on b, no/no on c, no/yes on d -> p_o = 2/4, p_e = 0.5, kappa = 0.
    for answer_id, (one, two) in zip(ids, [(True, True), (True, False), (False, False), (False, True)], strict=True):
        answer = db.get(Answer, answer_id)
        save_review(db, answer, first, {"domain.housing": None} if one else {}, "")
        save_review(db, answer, second, {"domain.housing": None} if two else {}, "")
    result = CliRunner().invoke(main, ["agreement", "--wave", wave.slug])
    assert result.exit_code == 0, result.output
    line = next(row for row in result.output.splitlines() if "domain.housing" in row)
    assert "0.50" in line  # percent agreement
    assert "0.00" in line  # kappa
    assert "2 disagreement(s) to discuss." in result.output


def test_decisions_keep_review_order_and_empty_reviews(db: Session, wave: Wave) -> None:
    a, b = add_text_answers(db, wave, TEXTS[:2])
    first, second = _coders(db)
    save_review(db, db.get(Answer, a), second, {}, "nothing to code")
    save_review(db, db.get(Answer, a), first, {"ground.name": (4, 13)}, "")
    save_review(db, db.get(Answer, b), first, {"experience.none": None}, "")
    assert decisions(db, wave) == [
        Decision(str(a), str(second.id), frozenset()),
        Decision(str(a), str(first.id), frozenset({"ground.name"})),
        Decision(str(b), str(first.id), frozenset({"experience.none"})),
    ]
    review = db.exec(select(CodingReview).where(CodingReview.user_id == second.id)).one()
    assert review.memo == "nothing to code"


def test_saving_again_replaces_the_coders_decisions(db: Session, wave: Wave) -> None:
    (a,) = add_text_answers(db, wave, TEXTS[:1])
    first, _ = _coders(db)
    db.add(Coding(answer_id=a, code="domain.housing", start=4, end=13, source="rules", status="suggested"))
    db.commit()
    answer = db.get(Answer, a)
    save_review(db, answer, first, {"domain.housing": None, "ground.name": (22, 39)}, "")
    save_review(db, answer, first, {"ground.name": (22, 39)}, "")
    mine = db.exec(select(Coding).where(Coding.user_id == first.id)).all()
    assert {(c.code, c.status, c.start, c.end) for c in mine} == {
        ("ground.name", CodingStatus.accepted, 22, 39),
        ("domain.housing", CodingStatus.rejected, None, None),
    }
    assert _suggestions(db, a)["domain.housing"].status == CodingStatus.rejected


def test_double_sample_is_stable_and_close_to_the_share() -> None:
    chosen = [i for i in range(1, 5001) if in_double_sample(i, 0.2)]
    assert 900 < len(chosen) < 1100
    assert set(chosen) <= {i for i in range(1, 5001) if in_double_sample(i, 0.3)}  # raising only adds


def test_queue_offers_double_sample_answers_to_two_coders(db: Session, wave: Wave) -> None:
    wave.double_coding_share = 1.0
    db.add(wave)
    db.commit()
    (a,) = add_text_answers(db, wave, TEXTS[:1])
    first, second = _coders(db)
    third = add_user(db, "third@example.org", Role.coder, PASSWORD)
    assert next_answer(db, wave, first) == a
    save_review(db, db.get(Answer, a), first, {}, "")
    assert next_answer(db, wave, first) is None
    assert next_answer(db, wave, second) == a
    save_review(db, db.get(Answer, a), second, {}, "")
    assert next_answer(db, wave, third) is None


def test_final_codes_need_half_of_the_coders() -> None:
    reviews = [
        Decision("1", "a", frozenset({"x", "y"})),
        Decision("1", "b", frozenset({"x"})),
        Decision("1", "c", frozenset({"z"})),
        Decision("2", "a", frozenset({"y"})),
        Decision("2", "b", frozenset()),
    ]
    assert dict(final_codes(reviews)) == {"1": frozenset({"x"}), "2": frozenset({"y"})}


def test_agreement_from_another_tools_codings(tmp_path) -> None:
    """Codings exported from elsewhere: same figures as from the database (kappa 0 for this table)."""
    source = tmp_path / "codings.csv"
    source.write_text(
        "unit,coder,codes\n"
        "1,a,domain.housing\n1,b,domain.housing\n"
        "2,a,domain.housing\n2,b,\n"
        "3,a,\n3,b,\n"
        "4,a,\n4,b,domain.housing ; ground.name\n",
        encoding="utf-8",
    )
    result = CliRunner().invoke(main, ["agreement", "--input", str(source)], env={"COLUMNS": "160"})
    assert result.exit_code == 0, result.output
    line = next(row for row in result.output.splitlines() if "domain.housing" in row)
    assert "0.50" in line
    assert "0.00" in line
    assert "3 disagreement(s) to discuss." in result.output


def test_agreement_refuses_a_coder_judging_an_answer_twice(tmp_path) -> None:
    source = tmp_path / "codings.csv"
    source.write_text("unit,coder,codes\n1,a,domain.housing\n1,a,\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["agreement", "--input", str(source)])
    assert result.exit_code == 1
    assert "judged unit '1' twice" in result.output
    assert "Traceback" not in result.output


def test_agreement_needs_a_wave_or_an_input() -> None:
    result = CliRunner().invoke(main, ["agreement"])
    assert result.exit_code == 2
    assert "give either --wave or --input" in result.output
