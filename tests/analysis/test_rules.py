"""The rule coder: lemma patterns, evidence spans, negation."""

from __future__ import annotations

import copy

import pytest

from analysis.codebook import Codebook
from analysis.rules import RuleCoder
from tests.analysis.test_codebook import SMALL

BOOK = copy.deepcopy(SMALL)
BOOK["negation"]["cues"]["ru"] = ["не", "нет"]
BOOK["negation"]["skip"]["en"] = ["my", "the", "a"]
BOOK["codes"][0]["children"][0]["patterns"].update(fa=["خانه", "صاحبخانه"], tr=["ev sahip", "kira"], ru=["квартира"])


@pytest.fixture(scope="module")
def coder() -> RuleCoder:
    return RuleCoder(Codebook.model_validate(BOOK))


def codes(coder: RuleCoder, text: str, language: str) -> list[str]:
    return [e.code for e in next(coder.code([text], language))]


def test_matches_lemmas_and_records_the_span(coder: RuleCoder) -> None:
    text = "Die Vermieter wollten mich nicht, und auf der Arbeit war es auch schwer."
    [evidence] = [e for e in next(coder.code([text], "de")) if e.code == "domain.housing"]
    assert evidence.text == "Vermieter"
    assert text[evidence.start : evidence.end] == "Vermieter"
    assert codes(coder, text, "de") == ["domain.housing", "domain.work"]


@pytest.mark.parametrize(
    ("text", "language", "expected"),
    [
        ("Keine Probleme bei der Wohnung.", "de", []),
        ("Nie Ärger mit der Arbeit, aber die Wohnung bekam ich nicht.", "de", ["domain.housing"]),
        ("I never had trouble with my landlord.", "en", []),
        ("No problems at work, but the landlord refused me.", "en", ["domain.housing"]),
    ],
)
def test_negation_within_the_clause(coder: RuleCoder, text: str, language: str, expected: list[str]) -> None:
    assert codes(coder, text, language) == expected


def test_multiword_and_other_scripts(coder: RuleCoder) -> None:
    assert codes(coder, "Ev sahibi beni aramadı.", "tr") == ["domain.housing"]
    assert codes(coder, "صاحب‌خانه‌ها و خانه‌ها گران هستند", "fa") == ["domain.housing"]
    assert codes(coder, "Мне не сдали квартиры.", "ru") == []  # "не" negates within the window
    assert codes(coder, "Квартиры дорогие.", "ru") == ["domain.housing"]


def test_streams_many_texts_in_order(coder: RuleCoder) -> None:
    texts = ["Nothing happened.", "Landlord was rude."] * 300
    results = list(coder.code(texts, "en", batch_size=64))
    assert len(results) == 600
    assert [r[0].code if r else None for r in results[:2]] == [None, "domain.housing"]
