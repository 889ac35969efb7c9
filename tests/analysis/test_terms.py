"""Frequent terms for inductive coding: lemma counts, phrases from adjacent content words, no lone answers."""

from __future__ import annotations

from collections import Counter

import pytest

from analysis.terms import Term, frequent_terms, word_frequencies
from analysis.text import pipeline

GERMAN = [
    "Die Wohnungssuche war sehr schwer.",
    "Bei der Wohnungssuche wurde ich abgelehnt. Die Wohnungssuche ist frustrierend.",
    "Meine Wohnungssuche dauerte zwei Jahre.",
    "Ich musste lange eine Wohnung suchen.",
    "Wir wollten eine Wohnung suchen, aber niemand antwortete.",
    "Beim Amt wurde ich unfreundlich behandelt.",
]

FARSI = [
    "من نمی‌خواهم اینجا بمانم چون خانه‌ها گران هستند.",
    "می‌خواهم کار پیدا کنم ولی خانه‌ها خیلی گران است.",
    "صاحبخانه گفت خانه را به خارجی‌ها اجاره نمی‌دهد.",
    "می‌خواهم با خانواده‌ام زندگی کنم.",
]

SAMPLES = {
    "de": GERMAN,
    "fa": FARSI,
    "ar": [
        "البحث عن شقة صعب جداً بسبب اسمي.",
        "رفض صاحب الشقة أن يؤجرني الشقة لأنني أجنبي.",
        "لم أجد شقة مناسبة في المدينة.",
        "في العمل يعاملونني بشكل سيء بسبب الحجاب.",
    ],
    "ru": [
        "Поиск квартиры занял два года.",
        "Арендодатель не хотел сдавать квартиру иностранцам.",
        "Мне отказали в квартире из-за моего акцента.",
        "На работе коллеги смеются над моим акцентом.",
    ],
    "tr": [
        "Ev ararken ev sahipleri yabancılara kira vermiyor.",
        "Ev sahibi adımı duyunca evi kiralamadı.",
        "İşyerinde aksanım yüzünden alay ediyorlar.",
        "Aksanım yüzünden ev bulamadım.",
    ],
}


def test_terms_shared_across_answers_rank_first_in_their_surface_form() -> None:
    terms = frequent_terms(GERMAN, "de")
    assert terms[0] == Term("Wohnungssuche", "wohnungssuche", n=1, count=4, answers=3)
    assert Term("Wohnung suchen", "wohnung suchen", n=2, count=2, answers=2) in terms
    assert [term.answers for term in terms] == sorted((term.answers for term in terms), reverse=True)


@pytest.mark.parametrize("language", SAMPLES)
def test_stop_words_punctuation_and_numbers_never_appear(language: str) -> None:
    nlp = pipeline(language)
    stop_words = nlp.Defaults.stop_words
    for term in frequent_terms(SAMPLES[language], language, min_answers=1, top=1000):
        for token in nlp(term.text):
            assert token.lower_ not in stop_words
            assert token.norm_ not in stop_words
            assert any(ch.isalpha() for ch in token.text)
    assert "zwei" not in {term.lemma for term in frequent_terms(GERMAN, "de", min_answers=1, top=1000)}


@pytest.mark.parametrize("language", SAMPLES)
def test_words_are_counted_as_their_tokens_read(language: str) -> None:
    """Answers are read as string ids for speed; the counts are those of the tokens' own attributes."""
    nlp = pipeline(language)
    stop_words = nlp.Defaults.stop_words
    expected = Counter(
        token.norm_
        for doc in nlp.pipe(SAMPLES[language])
        for token in doc
        if any(ch.isalpha() for ch in token.text)
        and not token.like_num
        and token.lower_ not in stop_words
        and token.norm_ not in stop_words
    )
    terms = frequent_terms(SAMPLES[language], language, max_n=1, top=1000, min_answers=1)
    assert {term.lemma: term.count for term in terms} == expected


def test_terms_from_a_single_answer_are_left_out() -> None:
    texts = ["Das Jobcenter, das Jobcenter und wieder das Jobcenter.", "Die Wohnung ist klein.", "Wohnung gefunden."]
    assert [term.lemma for term in frequent_terms(texts, "de")] == ["wohnung"]
    single = frequent_terms(texts, "de", min_answers=1)
    assert Term("Jobcenter", "jobcenter", n=1, count=3, answers=1) in single
    assert word_frequencies(texts, "de") == {"Wohnung": 2}


def test_phrases_join_only_adjacent_content_words() -> None:
    texts = ["Wohnung in Berlin suchen", "Wohnung, Berlin suchen", "Berlin suchen"]
    phrases = {term.lemma: term.answers for term in frequent_terms(texts, "de", min_answers=1) if term.n > 1}
    assert phrases == {"berlin suchen": 3}


def test_top_limits_and_max_n_bounds_phrase_length() -> None:
    texts = ["Wohnung suchen Berlin teuer"] * 2
    assert {term.n for term in frequent_terms(texts, "de", max_n=2, top=100)} == {1, 2}
    assert len(frequent_terms(texts, "de", top=3)) == 3


def test_farsi_words_keep_the_zero_width_non_joiner() -> None:
    texts = {term.text for term in frequent_terms(FARSI, "fa")}
    assert {"خانه\u200cها", "می\u200cخواهم"} <= texts
    assert not {"می", "خواهم", "ها"} & texts


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("ar", {"شقة": ("شقة", 4, 3)}),
        ("ru", {"квартира": ("квартиры", 3, 3), "акцент": ("акцента", 2, 2)}),
        ("tr", {"ev": ("Ev", 5, 3), "aksan": ("aksanım", 2, 2), "ev sahip": ("ev sahipleri", 2, 2)}),
        ("fa", {"خانه": ("خانه\u200cها", 3, 3)}),
    ],
)
def test_other_languages_count_on_lemmas(language: str, expected: dict[str, tuple[str, int, int]]) -> None:
    terms = {term.lemma: (term.text, term.count, term.answers) for term in frequent_terms(SAMPLES[language], language)}
    assert expected.items() <= terms.items()


def test_word_frequencies_are_unigram_counts_by_surface_form() -> None:
    assert word_frequencies(GERMAN, "de") == {"Wohnungssuche": 4, "suchen": 2, "Wohnung": 2}


def test_texts_are_streamed_once() -> None:
    answers = iter(GERMAN)
    assert frequent_terms(answers, "de")[0].lemma == "wohnungssuche"
