"""Word clouds: readable PNGs per language, Arabic script shaped by raqm, colours with enough contrast."""

from __future__ import annotations

import io

import pytest
from PIL import Image, ImageDraw, ImageFont, features

import analysis.clouds
from analysis.clouds import PALETTE, CloudUnavailableError, font_path, word_cloud
from analysis.terms import word_frequencies

FREQUENCIES = {
    "de": {"Wohnungssuche": 12, "Vermieter": 8, "Jobcenter": 5, "Ausländerbehörde": 4, "Sprache": 3},
    "ru": {"квартира": 10, "акцент": 6, "работа": 4, "документы": 3},
    "ar": {"شقة": 10, "الحجاب": 6, "العمل": 4, "اسمي": 3},
    "fa": {"می\u200cخواهم": 9, "خانه\u200cها": 7, "کار": 4, "صاحبخانه": 3},
}


def _luminance(colour: str) -> float:
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    r, g, b = (c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


@pytest.mark.parametrize("colour", PALETTE)
def test_palette_meets_wcag_aa_on_white(colour: str) -> None:
    assert 1.05 / (_luminance(colour) + 0.05) >= 4.5


@pytest.mark.parametrize("language", FREQUENCIES)
def test_renders_a_png_of_the_requested_size(language: str) -> None:
    image = Image.open(io.BytesIO(word_cloud(FREQUENCIES[language], language, width=600, height=300)))
    assert image.format == "PNG"
    assert image.size == (600, 300)
    inked = sorted((n, colour) for n, colour in image.getcolors(600 * 300) if colour != (255, 255, 255))
    assert sum(n for n, _ in inked) > 1000
    assert "#{:02x}{:02x}{:02x}".format(*inked[-1][1]) in PALETTE


def test_same_counts_give_the_same_picture() -> None:
    assert word_cloud(FREQUENCIES["de"], "de") == word_cloud(FREQUENCIES["de"], "de")


def test_farsi_answers_make_a_cloud() -> None:
    answers = ["می‌خواهم کار پیدا کنم.", "می‌خواهم خانه بخرم.", "خانه‌ها گران هستند."]
    frequencies = word_frequencies(answers, "fa")
    assert "می\u200cخواهم" in frequencies
    assert Image.open(io.BytesIO(word_cloud(frequencies, "fa"))).size == (800, 400)


def test_arabic_script_uses_an_arabic_font() -> None:
    assert "Arabic" in font_path("fa")
    assert "Arabic" in font_path("ar")
    assert font_path("ru").endswith("NotoSans-Regular.ttf")


@pytest.mark.parametrize("word", ["مرحبا", "خانه", "می\u200cخواهم"])
def test_raqm_joins_arabic_letters(word: str) -> None:
    assert features.check("raqm")
    shaped, unshaped = (
        ImageFont.truetype(font_path("fa"), 48, layout_engine=engine)
        for engine in (ImageFont.Layout.RAQM, ImageFont.Layout.BASIC)
    )
    assert shaped.getlength(word) != unshaped.getlength(word)
    drawn = []
    for font in (shaped, unshaped):
        image = Image.new("L", (300, 100), 255)
        ImageDraw.Draw(image).text((10, 10), word, font=font, fill=0)
        drawn.append(image.tobytes())
    assert drawn[0] != drawn[1]


def test_wordcloud_draws_with_raqm(monkeypatch: pytest.MonkeyPatch) -> None:
    engines = []
    truetype = ImageFont.truetype

    def spy(*args, **kwargs):
        font = truetype(*args, **kwargs)
        engines.append(font.layout_engine)
        return font

    monkeypatch.setattr(ImageFont, "truetype", spy)
    word_cloud(FREQUENCIES["ar"], "ar")
    assert engines
    assert set(engines) == {ImageFont.Layout.RAQM}


def test_arabic_script_is_refused_without_raqm(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(analysis.clouds.features, "check", lambda feature: False)
    with pytest.raises(CloudUnavailableError, match="raqm"):
        word_cloud(FREQUENCIES["fa"], "fa")


def test_missing_font_is_reported(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(analysis.clouds, "FONTS", ("NoSuchFont-Regular.ttf",))
    font_path.cache_clear()
    try:
        with pytest.raises(CloudUnavailableError, match=r"NoSuchFont-Regular\.ttf"):
            font_path("de")
    finally:
        font_path.cache_clear()


def test_no_words_no_cloud() -> None:
    with pytest.raises(ValueError, match="at least 1 word"):
        word_cloud({}, "de")


def test_words_in_a_script_the_font_lacks_are_left_out() -> None:
    """A Latin loanword in Arabic answers would be empty boxes in the Arabic font, and the reverse: not drawn."""
    assert word_cloud({"Jobcenter": 5, "عمل": 3, "شقة": 2}, "ar") == word_cloud({"عمل": 3, "شقة": 2}, "ar")
    assert word_cloud({"Wohnung": 4, "Miete": 2, "خانه": 3}, "de") == word_cloud({"Wohnung": 4, "Miete": 2}, "de")
    assert word_cloud({"می‌خواهم": 2, "Termin": 5}, "fa") == word_cloud({"می‌خواهم": 2}, "fa")  # ZWNJ is no letter


def test_quotes_left_on_arabic_words_are_stripped_not_drawn_as_boxes() -> None:
    assert word_cloud({"بلدكم'.": 2, "«عمل»": 3, "بلدكم": 1}, "ar") == word_cloud({"بلدكم": 3, "عمل": 3}, "ar")
