"""Cloud words for a group: personal data is masked before counting, and rare words stay out."""

from __future__ import annotations

from analysis.cloud_words import masked_word_frequencies, top_words

ANSWER = "Die Miete ist zu hoch. Schreiben Sie an lena.kaya@example.org oder 0171 2345678, Frau Lena Kaya hilft."


def test_contacts_and_names_never_become_words_nor_do_their_placeholders() -> None:
    words = masked_word_frequencies([ANSWER] * 5, "de", min_answers=5)
    assert words == {"Miete": 5, "Schreiben": 5, "Frau": 5, "hilft": 5}


def test_words_from_fewer_answers_than_the_minimum_are_left_out() -> None:
    texts = ["Die Miete ist zu hoch.", "Die Miete steigt.", "Busse fahren selten."]
    assert masked_word_frequencies(texts, "de", min_answers=2) == {"Miete": 2}


def test_top_words_go_by_count_then_alphabet() -> None:
    assert top_words({"b": 2, "a": 2, "c": 5, "d": 1}, 3) == ["c", "a", "b"]
