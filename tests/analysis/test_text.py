"""Language detection and lemmatising pipelines for every text language, with no model download."""

from __future__ import annotations

import pytest

from analysis.text import TEXT_LANGUAGES, detect_language, pipeline

SAMPLES = {
    "de": "Bei der Wohnungssuche hat mich der Vermieter nie zurückgerufen, als er meinen Namen hörte.",
    "en": "The landlord never called me back after he heard my name on the phone.",
    "tr": "Ev sahibi telefonda ismimi duyunca bir daha beni hiç aramadı.",
    "ar": "لم يتصل بي صاحب الشقة مرة أخرى بعد أن سمع اسمي على الهاتف.",
    "fa": "صاحبخانه بعد از شنیدن اسمم پشت تلفن دیگر هیچ‌وقت به من زنگ نزد.",
    "ru": "Арендодатель больше не перезвонил мне, когда услышал моё имя по телефону.",
    "uk": "Орендодавець більше не передзвонив мені, коли почув моє ім’я по телефону.",
}


@pytest.mark.parametrize("language", TEXT_LANGUAGES)
def test_detects_each_language(language: str) -> None:
    assert detect_language(SAMPLES[language]) == language


def test_short_or_empty_answers_keep_the_survey_language() -> None:
    assert detect_language("", fallback="tr") == "tr"
    assert detect_language("ok", fallback="de") == "de"


@pytest.mark.parametrize(
    ("language", "text", "lemmas"),
    [
        ("de", "Die Wohnungen waren teuer", ["der", "wohnung", "sein", "teuer"]),
        ("en", "Landlords were rude", ["landlord", "be", "rude"]),
        ("tr", "evlerde kira", ["ev", "kira"]),
        ("ar", "الشقق", ["شقة"]),
        ("ru", "квартиры", ["квартира"]),
        ("uk", "квартири", ["квартира"]),
    ],
)
def test_lemmas(language: str, text: str, lemmas: list[str]) -> None:
    assert [token.norm_ for token in pipeline(language)(text)] == lemmas


def test_farsi_keeps_the_zero_width_non_joiner_inside_words() -> None:
    doc = pipeline("fa")("من نمی‌خواهم خانه‌ها را ببینم")
    assert [token.text for token in doc] == ["من", "نمی\u200cخواهم", "خانه\u200cها", "را", "ببینم"]
    assert doc[2].norm_ == "خانه"


def test_unsupported_language_is_refused() -> None:
    with pytest.raises(ValueError, match="unsupported text language"):
        pipeline("xx")
