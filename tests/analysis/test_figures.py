"""Report figures: decodable PNGs at report size, alt texts that carry the finding, nothing suppressed drawn."""

from __future__ import annotations

import io
from dataclasses import replace

import pytest
from matplotlib import pyplot
from PIL import Image

from analysis.figures import (
    BARRIER,
    CITY,
    DISTRICT,
    DPI,
    STRENGTH,
    cloud_figure,
    codes_chart,
    indicator_chart,
    shares_chart,
)
from analysis.report_model import IndicatorValue
from tests.analysis.report_section import barriers, belonging, indicator_rows, strengths, suppressed

NBSP = "\u00a0"


def _image(png: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(png))
    image.load()
    return image


def test_indicator_chart_is_a_report_sized_png_with_the_numbers_in_its_alt_text() -> None:
    figure = indicator_chart(indicator_rows(), "Arbeit und Einbürgerung", "de")
    assert figure is not None
    image = _image(figure.png)
    assert image.format == "PNG"
    width, height = image.size
    assert abs(width - 16 / 2.54 * DPI) <= 1
    assert abs(height - 9 / 2.54 * DPI) <= 1
    assert figure.id.startswith("indicators-")
    assert f"2021 14,2{NBSP}%" in figure.alt
    assert f"2023 12,5{NBSP}%" in figure.alt
    assert f"Ziel 10{NBSP}%" in figure.alt
    assert "keine Werte für 2022" in figure.alt  # a gap, not a zero
    assert "Nordstadt" not in figure.alt  # city-wide rows only


def _pixels(png: bytes, colour: str, tolerance: int = 48) -> int:
    """How many pixels are (nearly) ``colour``: thin lines are antialiased, so exact matches are rare."""
    image = _image(png).convert("RGB")
    rgb = tuple(int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return sum(
        n
        for n, found in image.getcolors(image.width * image.height)
        if sum(abs(a - b) for a, b in zip(found, rgb, strict=True)) <= tolerance
    )


def test_indicator_chart_draws_target_and_threshold_lines() -> None:
    figure = indicator_chart(indicator_rows(), "Arbeit", "de")
    assert figure is not None
    assert _pixels(figure.png, CITY) > 0
    assert _pixels(figure.png, STRENGTH) > 0  # target
    assert _pixels(figure.png, BARRIER) > 0  # threshold


def test_indicator_chart_speaks_english_on_request() -> None:
    figure = indicator_chart(indicator_rows(), "Work", "en")
    assert figure is not None
    assert "2021 14.2%" in figure.alt
    assert "target 10%" in figure.alt


def test_indicator_chart_without_city_values_is_none() -> None:
    rows = [replace(row, values=[IndicatorValue(2023, None)]) for row in indicator_rows()]
    assert indicator_chart(rows, "leer", "de") is None


def test_shares_chart_names_numbers_small_bases_and_withheld_districts() -> None:
    figure = shares_chart(belonging(), "very_close", "de")
    assert figure is not None
    assert _image(figure.png).format == "PNG"
    assert f"Gesamtstadt 41{NBSP}% (n = 512)" in figure.alt
    assert f"Nordstadt 44{NBSP}% (n = 140)" in figure.alt
    assert f"37{NBSP}% bis 46{NBSP}%" in figure.alt
    assert "Mit Vorsicht zu lesen, weil auf weniger als 30 Antworten: Weststadt." in figure.alt
    assert "Aus Datenschutzgründen nicht ausgewiesen: Südstadt." in figure.alt


def test_shares_chart_hatches_small_bases_over_okabe_ito_bars() -> None:
    hatched = shares_chart(belonging(), "very_close", "de")
    result = belonging()
    west = result.options[0].by_district["Weststadt"]
    result.options[0].by_district["Weststadt"] = replace(west, small_base=False)
    plain = shares_chart(result, "very_close", "de")
    assert hatched is not None
    assert plain is not None
    assert _pixels(hatched.png, CITY) > 0
    assert 0 < _pixels(hatched.png, DISTRICT) < _pixels(plain.png, DISTRICT)  # hatch lines over the bar


def test_shares_chart_is_deterministic_and_leaves_no_pyplot_figures_open() -> None:
    before = pyplot.get_fignums()
    first = shares_chart(belonging(), "very_close", "de")
    second = shares_chart(belonging(), "very_close", "de")
    assert first is not None
    assert second is not None
    assert first.png == second.png
    assert first.id == second.id
    assert pyplot.get_fignums() == before


def test_shares_chart_with_everything_suppressed_is_none() -> None:
    result = belonging()
    option = result.options[0]
    option.overall = suppressed(option.overall)
    option.by_district = {name: suppressed(share) for name, share in option.by_district.items()}
    assert shares_chart(result, "very_close", "de") is None
    assert shares_chart(belonging(), "no_such_option", "de") is None


def test_codes_chart_shows_strengths_and_barriers_and_leaves_out_suppressed_codes() -> None:
    figure = codes_chart(strengths(), barriers(), "Stärken und Hürden", "de")
    assert figure is not None
    assert _image(figure.png).format == "PNG"
    assert f"Nachbarschaft 32{NBSP}% (n = 300)" in figure.alt
    assert f"Wohnungssuche 27{NBSP}% (n = 300)" in figure.alt
    assert "Nicht gezeigt, weil zu wenige Antworten: Polizei." in figure.alt
    assert "Polizei 0" not in figure.alt


def test_codes_chart_with_only_suppressed_codes_is_none() -> None:
    only_withheld = [code for code in barriers() if code.suppressed]
    assert codes_chart([], only_withheld, "leer", "de") is None


def test_cloud_figure_lists_the_most_frequent_words() -> None:
    figure = cloud_figure({"Nachbarn": 14, "Wohnung": 11, "Verein": 6}, "de", "Häufige Wörter", "de")
    assert figure is not None
    assert _image(figure.png).format == "PNG"
    assert figure.id.startswith("cloud-de-")
    assert "aus Antworten auf Deutsch" in figure.alt
    assert figure.alt.index("„Nachbarn“ (14-mal)") < figure.alt.index("„Wohnung“ (11-mal)")


def test_cloud_figure_is_as_large_as_the_charts() -> None:
    cloud = cloud_figure({"Nachbarn": 14, "Wohnung": 11, "Verein": 6}, "de", "Häufige Wörter", "de")
    chart = codes_chart(strengths(), barriers(), "Stärken und Hürden", "de")
    assert cloud is not None
    assert chart is not None
    assert _image(cloud.png).width == _image(chart.png).width


def test_cloud_figure_without_words_is_none() -> None:
    assert cloud_figure({}, "de", "leer", "de") is None


@pytest.mark.parametrize("language", ["de", "en"])
def test_figure_ids_are_safe_file_names(language: str) -> None:
    figure = codes_chart(strengths(), barriers(), "Stärken / Hürden: <alle>", language)
    assert figure is not None
    assert figure.id.replace("-", "").isalnum()
    assert figure.id.isascii()
