"""Report figures: decodable PNGs at report size, alt texts that carry the finding, nothing suppressed drawn."""

from __future__ import annotations

import io
from dataclasses import replace

import pytest
from matplotlib import pyplot
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure as Canvas
from matplotlib.patches import Rectangle
from matplotlib.text import Text
from matplotlib.ticker import AutoLocator
from PIL import Image

from analysis import figures
from analysis.figures import (
    BARRIER,
    CITY,
    DISTRICT,
    DPI,
    MAX_CODES,
    STRENGTH,
    _ShownTicks,
    cloud_figure,
    codes_chart,
    indicator_chart,
    shares_chart,
)
from analysis.report_model import CodeCount, Figure, IndicatorValue
from tests.analysis.report_section import barriers, belonging, code, indicator_rows, strengths, suppressed

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


def _many_barriers(count: int) -> list[CodeCount]:
    """Barrier codes with distinct shares, the most frequent last so the chart has to sort them."""
    return [code(f"barrier.{i}", f"Hürde Nummer {i}", "barrier", 10 + i) for i in range(count)]


def _canvases(monkeypatch: pytest.MonkeyPatch) -> list[Canvas]:
    """The matplotlib figures the charts save from now on, to look into what they draw."""
    made: list[Canvas] = []
    save = figures._figure

    def keep(kind: str, name: str, title: str, alt: str, canvas: Canvas) -> Figure:
        made.append(canvas)
        return save(kind, name, title, alt, canvas)

    monkeypatch.setattr(figures, "_figure", keep)
    return made


def _texts(canvas: Canvas) -> list[Text]:
    return [t for t in canvas.findobj(Text) if t.get_visible() and t.get_text().strip()]


def test_codes_chart_draws_at_most_eight_codes_per_group_and_says_how_many_more(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    canvases = _canvases(monkeypatch)
    figure = codes_chart(strengths(), _many_barriers(12), "Hürden", "de")
    assert figure is not None
    (axes,) = canvases[0].axes  # one panel: headings and codes in rows
    bars = [patch for patch in axes.patches if isinstance(patch, Rectangle)]
    assert len(bars) == len(strengths()) + MAX_CODES
    drawn = {t.get_text() for t in _texts(canvases[0])}
    assert {"Was Menschen stärkt", "Hürden und Diskriminierung", "Nachbarschaft"} <= drawn
    assert {f"Hürde Nummer {i}" for i in range(4, 12)} <= drawn  # the eight most frequent
    assert not {f"Hürde Nummer {i}" for i in range(4)} & drawn
    assert f"Hürde Nummer 11 {21 / 300:.0%}".replace("%", f"{NBSP}%") in figure.alt
    assert "Hürde Nummer 3 " not in figure.alt
    assert "Aus Platzgründen nicht gezeigt, in der Tabelle: 4 weitere unter „Hürden und Diskriminierung“." in figure.alt
    assert "weitere unter „Was Menschen stärkt“" not in figure.alt  # two strengths: all shown


def test_codes_chart_says_how_many_more_in_english() -> None:
    figure = codes_chart(_many_barriers(9), _many_barriers(10), "Barriers", "en")
    assert figure is not None
    assert "Left out for space, in the table: 1 more under “Strengths”." in figure.alt
    assert "Left out for space, in the table: 2 more under “Barriers”." in figure.alt


def test_codes_chart_with_all_codes_shown_has_no_more_sentence() -> None:
    figure = codes_chart(strengths(), _many_barriers(MAX_CODES), "Hürden", "de")
    assert figure is not None
    assert "Aus Platzgründen" not in figure.alt


def test_codes_chart_shows_an_empty_group_by_its_heading(monkeypatch: pytest.MonkeyPatch) -> None:
    canvases = _canvases(monkeypatch)
    figure = codes_chart([], barriers(), "Hürden", "de")
    assert figure is not None
    drawn = [t.get_text() for t in _texts(canvases[0])]
    assert "Was Menschen stärkt" in drawn
    assert "keine ausweisbaren Codes" in drawn
    assert "Was Menschen stärkt: keine ausweisbaren Codes." in figure.alt
    assert f"Wohnungssuche 27{NBSP}% (n = 300)" in figure.alt


def test_indicator_chart_has_one_legend_below_the_panels(monkeypatch: pytest.MonkeyPatch) -> None:
    canvases = _canvases(monkeypatch)
    assert indicator_chart(indicator_rows(), "Arbeit", "de") is not None
    canvas = canvases[0]
    assert all(axes.get_legend() is None for axes in canvas.axes)
    (legend,) = canvas.legends
    assert [t.get_text() for t in legend.get_texts()] == ["Ziel", "Schwelle"]
    renderer = FigureCanvasAgg(canvas).get_renderer()
    canvas.canvas.draw()
    lowest_axes = min(axes.get_window_extent(renderer).y0 for axes in canvas.axes)
    assert legend.get_window_extent(renderer).y1 <= lowest_axes


def test_indicator_chart_without_targets_has_no_legend(monkeypatch: pytest.MonkeyPatch) -> None:
    canvases = _canvases(monkeypatch)
    rows = [replace(row, target=None, threshold=None) for row in indicator_rows()]
    assert indicator_chart(rows, "Arbeit", "de") is not None
    assert not canvases[0].legends


def test_indicator_chart_with_a_single_year_keeps_years_on_the_axis(monkeypatch: pytest.MonkeyPatch) -> None:
    canvases = _canvases(monkeypatch)
    rows = [replace(indicator_rows()[1], values=[IndicatorValue(2021, None), IndicatorValue(2025, 11.0)])]
    assert indicator_chart(rows, "Wahl", "de") is not None
    low, high = canvases[0].axes[0].get_xlim()
    assert 2020 < low <= 2021
    assert 2025 <= high < 2026


LONG = "Teilnahme an der U8-Vorsorgeuntersuchung, Kinder mit Migrationsgeschichte und einem sehr langen Namen"


def _long_indicators(count: int) -> list:
    row = indicator_rows()[0]
    return [replace(row, indicator=f"{LONG} {i}", values=[IndicatorValue(2023, 151000.0 + i)]) for i in range(count)]


def _long_shares():
    result = belonging()
    return replace(result, label="Wie eng fühlen Sie sich verbunden mit … – Ihrem Stadtteil, Ihrer Stadt und " * 3)


def _long_codes(count: int) -> list[CodeCount]:
    return [code(f"c{i}", f"{LONG} {i}", "barrier", 20 + i) for i in range(count)]


CHARTS = {
    "one indicator": lambda language: indicator_chart(_long_indicators(1), "Gesundheit", language),
    "two indicators": lambda language: indicator_chart(_long_indicators(2), "Gesundheit", language),
    "three indicators": lambda language: indicator_chart(_long_indicators(3), "Gesundheit", language),
    "five indicators": lambda language: indicator_chart(_long_indicators(5), "Gesundheit", language),
    "example indicators": lambda language: indicator_chart(indicator_rows(), "Arbeit", language),
    "shares": lambda language: shares_chart(belonging(), "very_close", language),
    "long shares title": lambda language: shares_chart(_long_shares(), "very_close", language),
    "codes": lambda language: codes_chart(strengths(), barriers(), "Stärken", language),
    "one code per group": lambda language: codes_chart(strengths()[:1], barriers()[:1], "Stärken", language),
    "no strengths": lambda language: codes_chart([], barriers(), "Stärken", language),
    "many long codes": lambda language: codes_chart(_long_codes(3), _long_codes(20), "Hürden", language),
}


@pytest.mark.parametrize("language", ["de", "en"])
@pytest.mark.parametrize("chart", list(CHARTS))
def test_chart_texts_lie_within_the_figure_and_apart(
    chart: str, language: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    canvases = _canvases(monkeypatch)
    assert CHARTS[chart](language) is not None
    canvas = canvases[0]
    renderer = FigureCanvasAgg(canvas).get_renderer()
    canvas.canvas.draw()
    inside = canvas.bbox.padded(0.5)
    extents = [(t.get_text(), t.get_window_extent(renderer)) for t in _texts(canvas)]
    for label, extent in extents:
        assert inside.x0 <= extent.x0, label
        assert extent.x1 <= inside.x1, label
        assert inside.y0 <= extent.y0, label
        assert extent.y1 <= inside.y1, label
    for i, (label, extent) in enumerate(extents):
        for other, other_extent in extents[i + 1 :]:
            overlap = extent.intersection(extent, other_extent)
            assert overlap is None or overlap.width < 1 or overlap.height < 1, (label, other)


def test_long_titles_are_wrapped_and_elided(monkeypatch: pytest.MonkeyPatch) -> None:
    canvases = _canvases(monkeypatch)
    figure = shares_chart(_long_shares(), "very_close", "de")
    assert figure is not None
    assert indicator_chart(_long_indicators(3), "Gesundheit", "de") is not None
    (title,) = canvases[0].texts  # the shares title, at the figure's top left
    assert 2 <= title.get_text().count("\n") + 1 <= 3
    assert title.get_text().endswith("…")
    assert figure.title == f"{_long_shares().label}: sehr verbunden"  # the full title stays with the figure
    for axes in canvases[1].axes:
        assert axes.get_title().count("\n") + 1 <= 3


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


@pytest.mark.parametrize(("low", "high"), [(0.0, 0.38), (0.0, 1.12), (10.75, 16.25), (-3.4, 1.7), (151000, 161000)])
def test_numeric_axes_keep_matplotlibs_ticks_within_the_axis(low: float, high: float) -> None:
    axes = Canvas().subplots()
    axes.set_ylim(low, high)
    axes.yaxis.set_major_locator(AutoLocator())
    default = [tick for tick in axes.yaxis.get_majorticklocs() if low <= tick <= high]
    axes.yaxis.set_major_locator(_ShownTicks.auto())
    assert list(axes.yaxis.get_majorticklocs()) == pytest.approx(default)
