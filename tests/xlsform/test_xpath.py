"""XLSForm expressions ↔ Stimmen expressions."""

from __future__ import annotations

import pytest

from survey.questionnaire.expressions import Expression
from survey.xlsform.spelling import python_source, to_xpath
from survey.xlsform.xpath import Symbol, XPathError, to_python

SYMBOLS = {
    "q": Symbol("q", {"Yes": "yes", "prefer_not": "_na"}),
    "pets": Symbol("pets"),
    "age": Symbol("age"),
    "ties_city": Symbol("ties.city"),
}


def _resolve(name: str) -> Symbol:
    if name not in SYMBOLS:
        raise XPathError(f"${{{name}}} is not a question of this form")
    return SYMBOLS[name]


def _stimmen(source: str) -> str:
    result = python_source(to_python(source, _resolve, Symbol("age")))
    assert result is not None
    Expression.parse(result)  # Stimmen accepts it
    return result


@pytest.mark.parametrize(
    ("xlsform", "stimmen"),
    [
        ("${q} = 'a'", "q == 'a'"),
        ('${q}="a"', "q == 'a'"),
        ("${q} = 'Yes'", "q == 'yes'"),  # choice names follow their renamed values
        ("${q} != 'prefer_not'", "q != '_na'"),
        ("selected(${pets}, 'cat')", "selected(pets, 'cat')"),
        ("not(selected(${pets}, 'cat'))", "not selected(pets, 'cat')"),
        ("count-selected(${pets}) > 1", "count(pets) > 1"),
        ("${age} >= 18 and ${age} < 65", "age >= 18 and age < 65"),
        ("${age} > 1 or ${q} = 'a' and ${pets} != ''", "age > 1 or q == 'a' and answered(pets)"),
        ("(${age} > 1 or ${age} < 0) and ${q} = 'a'", "(age > 1 or age < 0) and q == 'a'"),
        ("${age} = ''", "not answered(age)"),
        ("string-length(${age}) > 0", "answered(age)"),
        (". >= 1 and . <= 20", "value >= 1 and value <= 20"),
        (". != 99", "value != 99"),
        ("${age} div 2 + 1.5 > -3", "age / 2 + 1.5 > -3"),
        ("${ties_city} = 'yes'", "ties.city == 'yes'"),
        ("true()", "True"),
        ("${q} = ‘a’", "q == 'a'"),  # smart quotes from word processors
    ],
)
def test_xlsform_to_stimmen(xlsform: str, stimmen: str) -> None:
    assert _stimmen(xlsform) == stimmen


@pytest.mark.parametrize(
    ("stimmen", "xlsform"),
    [
        ("other_country == 'yes'", "${other_country} = 'yes'"),
        ("selected(pets, 'cat')", "selected(${pets}, 'cat')"),
        ("count(pets) > 0", "count-selected(${pets}) > 0"),
        ("answered(a) or answered(b)", "${a} != '' or ${b} != ''"),
        ("not answered(a)", "${a} = ''"),
        ("value <= 20", ". <= 20"),
        ("not (a == 1 or b == 2)", "not(${a} = 1 or ${b} = 2)"),
        ("q in ['a', 'b']", "(${q} = 'a' or ${q} = 'b')"),
        ("'cat' in pets", "(selected(${pets}, 'cat'))"),
        ("1 < age < 3", "1 < ${age} and ${age} < 3"),
        ("ties.city == 'yes'", "${ties_city} = 'yes'"),
        ('a == "it\'s"', '${a} = "it\'s"'),
    ],
)
def test_stimmen_to_xlsform(stimmen: str, xlsform: str) -> None:
    assert to_xpath(stimmen, {"ties.city": "ties_city"}) == xlsform


@pytest.mark.parametrize(
    "stimmen",
    [
        "other_country == 'yes'",
        "answered(a) or answered(b) or answered(c) or answered(d)",
        "value <= 20",
        "selected(pets, 'cat') and not (age > 3 or age < 1)",
        "count(pets) >= 2 and count(pets) <= 3",
        "-(age - 2) > 1 - (2 - 3)",
    ],
)
def test_canonical_expressions_survive_the_round_trip(stimmen: str) -> None:
    symbols = {name: Symbol(name) for name in ("other_country", "a", "b", "c", "d", "pets", "age")}
    back = to_python(to_xpath(stimmen, {}), symbols.__getitem__, Symbol("x"))
    assert python_source(back) == stimmen


@pytest.mark.parametrize(
    ("xlsform", "message"),
    [
        ("${age} mod 2 = 0", "'mod' has no Stimmen equivalent"),
        ("today() > ${age}", "the function today() has no Stimmen equivalent"),
        ("${nowhere} = 1", "${nowhere} is not a question of this form"),
        ("/data/age > 1", "'/' is not supported"),
        ("${age} > ", "the expression ends too early"),
        ("${age} > 1)", "unexpected ')'"),
        ("selected('a', 'b')", "selected() needs a question"),
    ],
)
def test_untranslatable_expressions_fail_clearly(xlsform: str, message: str) -> None:
    with pytest.raises(XPathError, match=message.replace("(", r"\(").replace(")", r"\)").replace("$", r"\$")):
        to_python(xlsform, _resolve, Symbol("age"))


def test_dot_outside_a_constraint_is_an_error() -> None:
    with pytest.raises(XPathError, match="only works in a constraint"):
        to_python(". > 1", _resolve)
