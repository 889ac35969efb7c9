"""Loading questionnaires: good files load, broken ones fail with file, line and question id."""

from __future__ import annotations

from pathlib import Path

import pytest

from survey.questionnaire import QuestionnaireError, load, parse
from tests.conftest import DATA, DEFAULT_QUESTIONNAIRE

GOOD = (DATA / "all-types.yaml").read_text(encoding="utf-8")


def test_default_questionnaire_loads_and_asks_everyone_about_belonging() -> None:
    q = load(DEFAULT_QUESTIONNAIRE)
    ids = {question.id for question in q.questions()}
    assert {
        "attachment",
        "discrimination_any",
        "belonging_situation_positive",
        "belonging_situation_negative",
        "discrimination_experience",
        "city_wishes",
        "district",
        "age_group",
        "gender",
    } <= ids
    attachment = q.question("attachment")
    assert attachment.relevant is None  # asked of everyone, not only of migrants
    assert [item.id for item in attachment.items][:3] == ["district", "city", "germany"]
    assert len(q.choices_of(attachment)) == 4  # the established four-point scale
    assert 10 <= q.estimated_minutes <= 15


def test_every_question_type_is_exercised_by_the_fixture() -> None:
    from survey.questionnaire.schema import QUESTION_TYPES

    q = load(DATA / "all-types.yaml")
    assert {question.type for question in q.questions()} == set(QUESTION_TYPES)


def _broken(old: str, new: str) -> str:
    assert old in GOOD, old
    return GOOD.replace(old, new, 1)


def _line_of(source: str, needle: str) -> int:
    """The last line containing ``needle`` (a duplicate is reported where it repeats)."""
    return max(number for number, line in enumerate(source.splitlines(), 1) if needle in line)


@pytest.mark.parametrize(
    ("old", "new", "where", "message", "line_needle"),
    [
        ("type: scale", "type: slider", "question 'mood'", "unknown question type 'slider'", "type: slider"),
        ("id: pets", "id: colour", "question 'colour'", "id used twice", "id: colour"),
        ("        text: Wie verbunden?\n", "", "question 'ties'", "missing required field 'text'", "id: ties"),
        ("max_length: 20", "max_lenght: 20", "question 'nickname'", "unknown field 'max_lenght'", "max_lenght"),
        (
            "relevant: \"colour == 'red'\"",
            "relevant: \"colour = 'red'\"",
            "page 'second'",
            "syntax error",
            "id: second",
        ),
        (
            "relevant: \"colour == 'red'\"",
            "relevant: \"nickname == 'x'\"",
            "page 'second'",
            "unknown question 'nickname' (skip logic can only use answers from earlier pages)",
            "id: second",
        ),
        (
            "relevant: \"selected(pets, 'cat')\"",
            "relevant: \"__import__('os')\"",
            "question 'story'",
            "unknown function __import__()",
            "id: story",
        ),
        (
            "relevant: \"selected(pets, 'cat')\"",
            'relevant: "pets.__class__"',
            "question 'story'",
            "'pets' is not a matrix",
            "id: story",
        ),
        (
            "relevant: \"colour == 'red'\"",
            "relevant: \"colour == 'rot'\"",
            "page 'second'",
            "'colour' has no choice 'rot'",
            "id: second",
        ),
        (
            "relevant: \"selected(pets, 'cat')\"",
            "relevant: \"selected(pets, 'cow')\"",
            "question 'story'",
            "'pets' has no choice 'cow'",
            "id: story",
        ),
        ("choices: yes_no", "choices: yes_nope", "question 'ties'", "unknown choice list 'yes_nope'", "id: ties"),
        ("max: 120", "max: 10", "question 'age'", "min must be smaller than max", "id: age"),
        (
            "- {value: blue, text: Blau}",
            "- {value: red, text: Blau}",
            "question 'colour'",
            "choice values must be unique",
            "id: colour",
        ),
        (
            "- {value: blue, text: Blau}",
            "- {value: Blue Sky, text: Blau}",
            "question 'colour'",
            "String should match pattern",
            "Blue Sky",
        ),
    ],
)
def test_broken_files_name_file_line_and_question(
    old: str, new: str, where: str, message: str, line_needle: str
) -> None:
    source = _broken(old, new)
    with pytest.raises(QuestionnaireError) as caught:
        parse(source, "broken.yaml")
    rendered = str(caught.value)
    assert message in rendered
    problem = next(p for p in caught.value.problems if message in p.message)
    assert problem.file == "broken.yaml"
    assert problem.where == where
    assert problem.line == _line_of(source, line_needle), rendered


def test_invalid_yaml_reports_its_line() -> None:
    source = GOOD.replace("title: Erste Seite", "title: [Erste Seite", 1)
    with pytest.raises(QuestionnaireError) as caught:
        parse(source, "bad.yaml")
    assert "not valid YAML" in str(caught.value)
    assert caught.value.problems[0].line is not None


def test_all_problems_are_reported_at_once() -> None:
    source = _broken("type: scale", "type: slider").replace("max_length: 20", "max_lenght: 20")
    with pytest.raises(QuestionnaireError) as caught:
        parse(source, "broken.yaml")
    assert len(caught.value.problems) >= 2


def test_not_a_mapping() -> None:
    with pytest.raises(QuestionnaireError, match="expected a mapping"):
        parse("- just\n- a list\n", "list.yaml")


def test_load_names_the_path(tmp_path: Path) -> None:
    path = tmp_path / "x.yaml"
    path.write_text(_broken("type: scale", "type: slider"), encoding="utf-8")
    with pytest.raises(QuestionnaireError) as caught:
        load(path)
    assert str(caught.value).startswith(f"{path}:")
