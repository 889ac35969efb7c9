"""Checking a submitted page, one question type at a time, without any web layer."""

from __future__ import annotations

import pytest
from babel import Locale

from survey.questionnaire import load
from survey.questionnaire.answers import Cell, form_of, parse_page, values_of
from survey.questionnaire.flow import first_missing, item_order, next_page, shown_pages, shown_question_ids
from tests.conftest import DATA

Q = load(DATA / "all-types.yaml")
DE, EN = Locale("de"), Locale("en")
FIRST_OK = {"colour": "blue", "ties.city": "yes", "ties.country": "no"}


def check(page: int, form: dict, values: dict | None = None, locale: Locale = DE, **kw):
    return parse_page(Q, Q.pages[page], form, values=values or {}, districts=["Nord", "Süd"], locale=locale, **kw)


def cells(result) -> dict:
    return {(c.question_id, c.item): (c.value, c.text) for c in result.cells}


def test_valid_first_page() -> None:
    result = check(0, {**FIRST_OK, "pets": ["cat", "dog"], "mood": "4"})
    assert result.valid, result.errors
    assert cells(result) == {
        ("colour", ""): ("blue", None),
        ("pets", ""): (["cat", "dog"], None),
        ("mood", ""): (4, None),
        ("ties", "city"): ("yes", None),
        ("ties", "country"): ("no", None),
    }


def test_required_single_choice_and_matrix_lines() -> None:
    result = check(0, {"ties.city": "yes"})
    assert result.errors["colour"].code == "required"
    assert result.errors["ties.country"].code == "required_item"
    assert "ties.city" not in result.errors


def test_required_is_not_checked_when_going_back() -> None:
    assert check(0, {"ties.city": "yes"}, check_required=False).valid


def test_other_needs_its_text() -> None:
    assert check(0, {**FIRST_OK, "colour": "other"}).errors["colour.other"].code == "other_missing"
    result = check(0, {**FIRST_OK, "colour": "other", "colour.other": "  Grün\x00 "})
    assert cells(result)[("colour", "")] == ("other", "Grün")


@pytest.mark.parametrize(
    ("pets", "code"),
    [
        (["cat", "none"], "exclusive"),
        (["cat", "_na"], "exclusive"),
        (["cat", "dog", "fish"], "too_many"),
        (["unicorn"], "invalid_choice"),
    ],
)
def test_multiple_choice_rules(pets: list[str], code: str) -> None:
    assert check(0, {**FIRST_OK, "pets": pets}).errors["pets"].code == code


def test_prefer_not_to_say_is_a_stored_answer() -> None:
    result = check(0, {**FIRST_OK, "pets": ["_na"], "mood": "_na", "ties.country": "_na"})
    assert result.valid
    assert cells(result)[("pets", "")] == (["_na"], None)
    assert cells(result)[("mood", "")] == ("_na", None)
    assert cells(result)[("ties", "country")] == ("_na", None)


@pytest.mark.parametrize("mood", ["0", "6", "3.5", "three"])
def test_scale_outside_points(mood: str) -> None:
    assert check(0, {**FIRST_OK, "mood": mood}).errors["mood"].code == "invalid_choice"


def test_forged_choice_is_refused() -> None:
    assert check(0, {**FIRST_OK, "colour": "<script>"}).errors["colour"].code == "invalid_choice"
    assert check(0, {**FIRST_OK, "ties.city": "maybe"}).errors["ties.city"].code == "invalid_choice"


RED = {"colour": "red", "pets": ["cat"]}


@pytest.mark.parametrize(
    ("age", "locale", "expected", "code"),
    [
        ("42", DE, 42, None),
        (" 42 ", EN, 42, None),
        ("15", DE, None, "too_small"),
        ("121", DE, None, "too_large"),
        ("42,5", DE, None, "not_integer"),
        ("vierzig", DE, None, "not_a_number"),
        ("99", DE, None, "constraint"),
    ],
)
def test_number_bounds_and_constraint(age: str, locale: Locale, expected: int | None, code: str | None) -> None:
    result = check(1, {"age": age}, values=RED, locale=locale)
    if code:
        assert result.errors["age"].code == code
    else:
        assert cells(result)[("age", "")] == (expected, None)


def test_constraint_carries_the_questionnaires_own_message() -> None:
    error = check(1, {"age": "99"}, values=RED).errors["age"]
    assert error.custom == "Bitte geben Sie Ihr echtes Alter an."


@pytest.mark.parametrize(("raw", "locale", "expected"), [("1.234,5", DE, 1234.5), ("1,234.5", EN, 1234.5)])
def test_decimal_numbers_follow_the_locale(raw: str, locale: Locale, expected: float) -> None:
    result = check(2, {"budget": raw}, locale=locale)
    assert cells(result)[("budget", "")] == (expected, None)


def test_text_length_and_cleaning() -> None:
    result = check(1, {"nickname": "x" * 21}, values=RED)
    assert result.errors["nickname"].code == "too_long"
    assert result.errors["nickname"].params == {"max": 20, "length": 21}
    farsi = "می\u200cخواهم"
    result = check(1, {"nickname": f"  {farsi}\u0007 ", "story": "Zeile 1\r\nZeile 2"}, values=RED)
    assert cells(result)[("nickname", "")] == (None, farsi)  # the zero-width non-joiner stays
    assert cells(result)[("story", "")] == (None, "Zeile 1\nZeile 2")


def test_district_comes_from_the_wave() -> None:
    assert cells(check(2, {"where": "Süd"}))[("where", "")] == ("Süd", None)
    assert check(2, {"where": "Elsewhere"}).errors["where"].code == "invalid_choice"


def test_consent_question_is_a_boolean() -> None:
    assert cells(check(2, {"quote_ok": "yes"}))[("quote_ok", "")] == (True, None)
    assert cells(check(2, {}))[("quote_ok", "")] == (False, None)


def test_questions_hidden_by_skip_logic_are_ignored() -> None:
    result = check(1, {"story": "x"}, values={"colour": "red", "pets": ["dog"]})
    assert ("story", "") not in cells(result)


def test_page_skip_logic_and_navigation() -> None:
    assert shown_pages(Q, {"colour": "blue"}) == [0, 2]
    assert shown_pages(Q, {"colour": "red"}) == [0, 1, 2]
    assert next_page(Q, {"colour": "blue"}, 0) == 2
    assert next_page(Q, {"colour": "red"}, 0) == 1
    assert next_page(Q, {}, 2) is None
    assert "story" in shown_question_ids(Q, RED)
    assert "story" not in shown_question_ids(Q, {"colour": "red"})


def test_first_missing_required() -> None:
    assert first_missing(Q, {}) == 0
    assert first_missing(Q, {"colour": "red", "ties": {"city": "yes"}}) == 0
    assert first_missing(Q, {"colour": "red", "ties": {"city": "yes", "country": "no"}}) is None


def test_rotation_is_stable_per_respondent_and_varies_between_them() -> None:
    ties = Q.question("ties")
    assert [i.id for i in item_order(ties, "a")] == [i.id for i in item_order(ties, "a")]
    orders = {tuple(i.id for i in item_order(ties, str(seed))) for seed in range(20)}
    assert orders == {("city", "country"), ("country", "city")}


def test_form_round_trip_prefills_the_page() -> None:
    stored = [
        Cell("colour", value="other", text="Grün"),
        Cell("pets", value=["cat"]),
        Cell("ties", "city", "yes"),
        Cell("budget", value=2.5),
        Cell("quote_ok", value=True),
        Cell("nickname", text="Kim"),
    ]
    form = form_of(stored, DE)
    assert form == {
        "colour": ["other"],
        "colour.other": ["Grün"],
        "pets": ["cat"],
        "ties.city": ["yes"],
        "budget": ["2,5"],
        "quote_ok": ["yes"],
        "nickname": ["Kim"],
    }
    assert values_of(stored)["ties"] == {"city": "yes"}
