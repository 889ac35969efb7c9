"""Charts and word clouds for the report section, as ``Figure``s with PNG bytes and an alt text.

The alt text carries the finding in words — key numbers, and which districts are withheld — so a screen-reader
user loses nothing without the picture. Charts use matplotlib's object API (``matplotlib.figure.Figure``
rendered by Agg), never pyplot: nothing is registered globally, so a figure is freed as soon as it is saved.
Colours are the Okabe–Ito palette, which stays distinguishable with colour-vision deficiencies, and caution
is shown by hatching, never by colour alone.

Drawing is the slowest part of a report, so the charts skip matplotlib work that leaves the picture as it is:
titles at a given height, bar names as plain texts, no ticks beyond the axis ends, margins worked out in advance.

Figure ids start with their kind — ``indicators-``, ``shares-``, ``codes-``, ``cloud-`` — which the renderers
use to place a figure under its subheading; the rest of the id is a slug plus a digest, so ids are unique
and safe as file names.
"""

from __future__ import annotations

import hashlib
import io
import math
import re
import textwrap
import unicodedata
from collections.abc import Callable

import numpy as np
from matplotlib import rcParams
from matplotlib.axes import Axes
from matplotlib.figure import Figure as Canvas
from matplotlib.lines import TICKLEFT, Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import FuncFormatter, MaxNLocator
from matplotlib.transforms import blended_transform_factory

from analysis.clouds import word_cloud
from analysis.report_model import ClosedResult, CodeCount, Figure, IndicatorRow, Share
from analysis.report_text import language_name, listing, percent, quantity, text

OKABE_ITO = ("#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7", "#000000")
"""Orange, sky blue, bluish green, yellow, blue, vermillion, reddish purple, black (Okabe & Ito 2008)."""
CITY, DISTRICT, STRENGTH, BARRIER = OKABE_ITO[4], OKABE_ITO[1], OKABE_ITO[2], OKABE_ITO[5]
SIZE_CM = (16, 9)
DPI = 110
"""Report size (16 × 9 cm) at a resolution that prints cleanly; higher only makes encoding slower."""
FONT_SIZE = 9
TITLE_Y = 1.0
"""Panel titles at matplotlib's own height, but given: otherwise every draw measures all tick labels to move the
titles clear of them (a fifth of the drawing time), though nothing is ever drawn above the axes."""
SMALL_BASE_HATCH = "///"
CHAR_CM = 0.16
"""Average width of a tick-label character (8 pt) in centimetres, for margins that fit the labels."""
CHAR_EM = 0.62
"""Average width of a character in ems, a little over DejaVu Sans' own, for wrapping titles to a width."""
LINE_CM = 1.2 * 2.54 / 72
"""Height of a text line per point of font size, in centimetres (matplotlib's line spacing of 1.2)."""
TITLE_LINES = 3
"""Longest titles wrapped to this many lines, the rest elided: the full title is in the alt text and caption."""
EDGE_CM = 0.3
"""Space kept free at the figure's edges, in centimetres."""
LEGEND_CM = 0.7
"""Height of a one-row figure legend below the axes, in centimetres."""
BOLD_HEADING_CHARS = 1.3
"""Width of a bold heading character (9 pt) in tick-label characters (8 pt), for a label column that fits it."""
MAX_INDICATORS = 6
MAX_CODES = 8
"""Codes drawn per group (strengths, barriers), the most frequent: more make bars too thin to read, and the
table beside the chart lists them all."""
CODE_LABEL_CHARS = 36
"""Code labels wrapped at this many characters (on two lines at most): about as wide as the group headings."""
CLOUD_WORDS = 10
"""How many of the most frequent words a cloud's alt text names."""
CLOUD_MAX_WORDS = 40
"""Words drawn in a cloud: more are unreadable at report size and slow to place."""
CLOUD_LARGEST = 0.22
"""Largest word's height as a share of the cloud's: one word must not fill the picture."""


class _ShownTicks(MaxNLocator):
    """``MaxNLocator`` without the locations past the axis ends, which matplotlib never draws but still builds
    a tick for (two lines and two texts, dearer than drawing them): a quarter of the ticks on these small axes."""

    def __call__(self) -> np.ndarray:
        low, high = sorted(self.axis.get_view_interval())
        ticks = np.asarray(super().__call__())
        slack = (high - low) * 1e-10  # matplotlib's own tolerance for a tick at an end
        return ticks[(ticks >= low - slack) & (ticks <= high + slack)]

    @classmethod
    def auto(cls) -> _ShownTicks:
        """Ticks chosen as by matplotlib's default locator (``AutoLocator``)."""
        return cls(nbins="auto", steps=[1, 2, 2.5, 5, 10])


def indicator_chart(rows: list[IndicatorRow], title: str, language: str) -> Figure | None:
    """One small panel per city-wide indicator, so indicators on different scales stay readable."""
    city = [row for row in rows if row.district is None and any(v.value is not None for v in row.values)]
    city = city[:MAX_INDICATORS]
    if not city:
        return None
    columns = min(3, len(city))
    panel_rows = math.ceil(len(city) / columns)
    canvas = _canvas(height_cm=SIZE_CM[1] if panel_rows == 1 else 14)
    width_cm, height_cm = canvas.get_figwidth() * 2.54, canvas.get_figheight() * 2.54
    # margins in centimetres, worked out before drawing (see _layout): y tick labels as long as the longest value
    tick_cm = 0.35 + CHAR_CM * max(_tick_chars(row, language) for row in city)
    left_cm, right_cm, gap_cm = max(1.1, tick_cm + 0.1), 0.6, max(1.2, tick_cm + 0.3)
    axes_cm = (width_cm - left_cm - right_cm - (columns - 1) * gap_cm) / columns
    title_chars = _chars(axes_cm + 2 * min(gap_cm / 2 - 0.15, right_cm - 0.1), FONT_SIZE)
    titles = [_wrap(row.indicator + (f" ({row.unit})" if row.unit else ""), title_chars) for row in city]
    title_cm = [
        _title_cm(max(t.count("\n") + 1 for t in titles[r * columns : (r + 1) * columns])) for r in range(panel_rows)
    ]
    legend = [
        Line2D([], [], color=colour, linestyle=style, linewidth=width, label=text(language, key))
        for key, colour, style, width in (("target", STRENGTH, "--", 1.2), ("threshold", BARRIER, ":", 1.5))
        if any(getattr(row, key) is not None for row in city)
    ]
    ticks_cm = 0.7  # x tick labels under a panel
    bottom_cm = ticks_cm + 0.3 + (LEGEND_CM if legend else 0)
    top_cm = title_cm[0] + 0.1
    row_gap_cm = max(title_cm[1:], default=0) + ticks_cm
    axes_height_cm = (height_cm - top_cm - bottom_cm - (panel_rows - 1) * row_gap_cm) / panel_rows
    canvas.subplots_adjust(
        left=left_cm / width_cm,
        right=1 - right_cm / width_cm,
        bottom=bottom_cm / height_cm,
        top=1 - top_cm / height_cm,
        wspace=gap_cm / axes_cm,
        hspace=row_gap_cm / axes_height_cm,
    )
    grid = canvas.add_gridspec(panel_rows, columns)
    lines = [text(language, "alt_indicators", title=title)]
    for i, (row, panel_title) in enumerate(zip(city, titles, strict=True)):
        axes = canvas.add_subplot(grid[divmod(i, columns)])  # no empty panels: each costs as much to build
        years = [v.year for v in row.values]
        values = [math.nan if v.value is None else v.value for v in row.values]
        axes.plot(years, values, color=CITY, marker="o", linewidth=2)
        shown = [v.year for v in row.values if v.value is not None]
        if min(shown) == max(shown):  # one point: all its years, not matplotlib's ±5 % of the year number
            axes.set_xlim(*_year_span(years))
        if row.target is not None:
            axes.axhline(row.target, color=STRENGTH, linestyle="--", linewidth=1.2)
        if row.threshold is not None:
            axes.axhline(row.threshold, color=BARRIER, linestyle=":", linewidth=1.5)
        axes.set_title(panel_title, fontsize=FONT_SIZE, y=TITLE_Y)
        axes.xaxis.set_major_locator(_ShownTicks(integer=True, nbins=5))
        axes.yaxis.set_major_locator(_ShownTicks.auto())
        axes.yaxis.set_major_formatter(FuncFormatter(lambda y, _: quantity(y, None, language)))
        axes.grid(axis="y", color="#dddddd")
        lines.append(_indicator_alt(row, language))
    if legend:  # one legend for all panels, below them, where it can never cover a line
        canvas.legend(handles=legend, fontsize=FONT_SIZE - 1, loc="lower center", ncols=len(legend), frameon=False)
    return _figure("indicators", title, title, " ".join(lines), canvas)


def shares_chart(result: ClosedResult, option: str, language: str) -> Figure | None:
    """One option's share per district next to the city, so differences between districts stand out."""
    chosen = next((o for o in result.options if o.option == option), None)
    if chosen is None:
        return None
    city_name = text(language, "city")
    bars = [(city_name, chosen.overall)] if _showable(chosen.overall) else []
    bars += [(name, share) for name, share in chosen.by_district.items() if _showable(share)]
    withheld = [name for name, share in chosen.by_district.items() if not _showable(share)]
    if not _showable(chosen.overall):
        withheld.insert(0, city_name)
    if not bars:
        return None
    canvas = _canvas(height_cm=max(SIZE_CM[1], 2.5 + 0.8 * len(bars)))
    axes = canvas.subplots()
    positions = list(range(len(bars)))[::-1]
    shares = [share for _, share in bars]
    _bars(axes, positions, shares, [CITY if name == city_name else DISTRICT for name, _ in bars])
    intervals = [(y, s) for y, s in zip(positions, shares, strict=True) if s.low is not None and s.high is not None]
    if intervals:
        axes.errorbar(
            [share.share for _, share in intervals],
            [y for y, _ in intervals],
            xerr=[[s.share - s.low for _, s in intervals], [s.high - s.share for _, s in intervals]],
            fmt="none",
            color="#000000",
            capsize=3,
            linewidth=1,
        )
    for y, share in zip(positions, shares, strict=True):
        axes.text(
            (share.high if share.high is not None else share.share) + 0.01,
            y,
            percent(share.share, language),
            va="center",
            fontsize=FONT_SIZE - 1,
        )
    labels = [f"{name} (n = {share.n})" for name, share in bars]
    _bar_labels(axes, positions, labels)
    _share_axis(axes, language, max(s.high or s.share for _, s in bars))
    top_cm = _figure_title(canvas, f"{result.label}: {chosen.label}")
    small_bases = any(share.small_base for _, share in bars)
    if small_bases:
        _small_base_legend(canvas, language)
    _layout(canvas, label_chars=_label_chars(labels), legend=small_bases, top_cm=top_cm)
    alt = [text(language, "alt_shares", option=chosen.label, question=result.label)]
    alt.append(listing([_share_alt(name, share, language) for name, share in bars]) + ".")
    if _showable(chosen.overall) and chosen.overall.low is not None and chosen.overall.high is not None:
        low, high = percent(chosen.overall.low, language), percent(chosen.overall.high, language)
        alt.append(f"{city_name}: {text(language, 'alt_interval', low=low, high=high)}.")
    alt += _caution_alt([name for name, share in bars if share.small_base], withheld, language)
    title = f"{result.label}: {chosen.label}"
    return _figure("shares", f"{result.question}-{option}", title, " ".join(alt), canvas)


def codes_chart(strengths: list[CodeCount], barriers: list[CodeCount], title: str, language: str) -> Figure | None:
    """Strengths above barriers in one panel, so a field is never shown only through what goes wrong: a heading
    row per group, then its most frequent codes, the labels in one column and the bars across the rest."""
    groups = [
        (text(language, "strengths"), _top_codes(strengths), STRENGTH),
        (text(language, "barriers"), _top_codes(barriers), BARRIER),
    ]
    if not any(codes for _, codes, _ in groups):
        return None
    rows = sum(1 + max(1, min(len(codes), MAX_CODES)) for _, codes, _ in groups)
    canvas = _canvas(height_cm=max(5.5, 2.4 + 0.7 * rows))
    axes = canvas.subplots()
    headings: list[tuple[int, str]] = []
    empty: list[int] = []
    shown: list[tuple[int, CodeCount, str]] = []
    alt = [text(language, "alt_codes", title=title)]
    y = rows - 1
    for heading, codes, colour in groups:
        headings.append((y, heading))
        y -= 1
        if not codes:
            empty.append(y)
            y -= 1
            alt.append(f"{heading}: {text(language, 'no_codes')}.")
            continue
        for code in codes[:MAX_CODES]:
            shown.append((y, code, colour))
            y -= 1
        alt.append(f"{heading}: " + listing([_code_alt(c, language) for c in codes[:MAX_CODES]]) + ".")
        if len(codes) > MAX_CODES:
            alt.append(text(language, "alt_codes_more", group=heading, count=len(codes) - MAX_CODES))
    positions = [y for y, _, _ in shown]
    codes = [code for _, code, _ in shown]
    _bars(axes, positions, codes, [colour for _, _, colour in shown])
    for y, code in zip(positions, codes, strict=True):
        axes.text(code.share + 0.01, y, percent(code.share, language), va="center", fontsize=FONT_SIZE - 1)
    labels = [_wrap(c.label, CODE_LABEL_CHARS, lines=2) for c in codes]
    _bar_labels(axes, positions, labels)
    width_cm = canvas.get_figwidth() * 2.54
    heading_place = blended_transform_factory(canvas.transFigure, axes.transData)
    for y, heading in headings:  # in the label column, made as wide as the headings; nearer its codes than above
        axes.text(
            EDGE_CM / width_cm,
            y - 0.15,
            heading,
            transform=heading_place,
            va="center",
            fontsize=FONT_SIZE,
            weight="bold",
        )
    for y in empty:
        axes.text(
            0.01,
            y,
            text(language, "no_codes"),
            transform=axes.get_yaxis_transform(),
            va="center",
            fontsize=FONT_SIZE - 1,
            color="#555555",
            style="italic",
        )
    axes.set_ylim(-0.6, rows - 0.4)
    _share_axis(axes, language, max(code.share for code in codes) if codes else 0)
    small_bases = any(c.small_base for c in codes)
    if small_bases:
        _small_base_legend(canvas, language)
    heading_chars = math.ceil(max(len(h) for _, h in headings) * BOLD_HEADING_CHARS)
    _layout(canvas, label_chars=max(_label_chars(labels), heading_chars), legend=small_bases, top_cm=0.3)
    small = [c.label for c in codes if c.small_base]
    if small:
        alt.append(text(language, "alt_small_base", names=listing(small)))
    left_out = [c.label for c in strengths + barriers if not _code_showable(c)]
    if left_out:
        alt.append(text(language, "alt_codes_withheld", names=listing(left_out)))
    return _figure("codes", title, title, " ".join(alt), canvas)


def cloud_figure(frequencies: dict[str, int], text_language: str, title: str, language: str) -> Figure | None:
    """A word cloud at the charts' size with its most frequent words in the alt text; raises
    ``CloudUnavailableError`` like ``word_cloud`` when the system cannot draw the language, so a missing font
    is noticed, not hidden."""
    if not frequencies:
        return None
    top = sorted(frequencies.items(), key=lambda item: (-item[1], item[0]))
    width, height = (int(cm / 2.54 * DPI) for cm in SIZE_CM)  # as matplotlib sizes the charts
    try:
        largest = round(height * CLOUD_LARGEST)
        png = word_cloud(dict(top[:CLOUD_MAX_WORDS]), text_language, width, height, max_font_size=largest)
    except ValueError:  # nothing drawable in this script
        return None
    words = listing([text(language, "alt_word", word=word, count=count) for word, count in top[:CLOUD_WORDS]])
    alt = text(language, "alt_cloud", title=title, language=language_name(text_language, language), words=words)
    return Figure(id=_figure_id("cloud", f"{text_language}-{title}", png), title=title, alt=alt, png=png)


def _canvas(height_cm: float) -> Canvas:
    canvas = Canvas(figsize=(SIZE_CM[0] / 2.54, height_cm / 2.54), dpi=DPI)
    canvas.set_facecolor("white")
    return canvas


def _figure(kind: str, name: str, title: str, alt: str, canvas: Canvas) -> Figure:
    for axes in canvas.axes:
        axes.tick_params(labelsize=FONT_SIZE - 1)
        axes.spines[["top", "right"]].set_visible(False)
        for axis in (axes.xaxis, axes.yaxis):
            if not axis.label.get_text():  # a fixed place for no label spares measuring all tick labels again
                axis.set_label_coords(0, 0)
    buffer = io.BytesIO()
    canvas.savefig(buffer, format="png", dpi=DPI, metadata={"Software": None}, pil_kwargs={"compress_level": 1})
    png = buffer.getvalue()
    return Figure(id=_figure_id(kind, name, png), title=title, alt=alt, png=png)


def _figure_id(kind: str, name: str, png: bytes) -> str:
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")[:40].strip("-")
    return f"{kind}-{slug}-{hashlib.sha256(png).hexdigest()[:8]}"


def _layout(canvas: Canvas, *, label_chars: int, legend: bool = False, top_cm: float = 1.1) -> None:
    """Margins worked out from the longest bar label, the title and the legend: matplotlib's constrained layout
    would fit them exactly but draws every chart twice, which doubled the report's chart time."""
    width_cm, height_cm = canvas.get_figwidth() * 2.54, canvas.get_figheight() * 2.54
    label = min(0.45, (0.5 + label_chars * CHAR_CM) / width_cm)
    bottom = (1.1 + (LEGEND_CM if legend else 0)) / height_cm
    canvas.subplots_adjust(left=label, right=0.97, bottom=bottom, top=1 - top_cm / height_cm)


def _figure_title(canvas: Canvas, title: str) -> float:
    """A chart title at the figure's top left, wrapped to the figure's width; returns the top margin it needs in
    centimetres. Left-aligned at the edge, a long title can never be cut off as a centred one over the axes is."""
    width_cm, height_cm = canvas.get_figwidth() * 2.54, canvas.get_figheight() * 2.54
    size = FONT_SIZE + 1
    wrapped = _wrap(title, _chars(width_cm - 2 * EDGE_CM, size))
    canvas.text(EDGE_CM / width_cm, 1 - 0.25 / height_cm, wrapped, ha="left", va="top", fontsize=size)
    return 0.25 + (wrapped.count("\n") + 1) * size * LINE_CM + 0.35


def _chars(width_cm: float, size: float) -> int:
    """How many characters of a ``size``-point text fit into ``width_cm``."""
    return max(8, int(width_cm / (CHAR_EM * size * 2.54 / 72)))


def _title_cm(lines: int) -> float:
    """Height above a panel for its title of ``lines`` lines at the panel title size, with matplotlib's pad."""
    return rcParams["axes.titlepad"] * 2.54 / 72 + lines * FONT_SIZE * LINE_CM + 0.1


def _tick_chars(row: IndicatorRow, language: str) -> int:
    """Characters in the longest y tick label an indicator's panel is likely to get (one more than its values,
    for rounder tick numbers)."""
    values = [v.value for v in row.values if v.value is not None] + [row.target, row.threshold]
    return 1 + max(len(quantity(value, None, language)) for value in values if value is not None)


def _year_span(years: list[int]) -> tuple[float, float]:
    """The x range for a panel with a single point: all its years with matplotlib's margins, or the neighbouring
    years when there is only one."""
    low, high = min(years), max(years)
    return (low - 1, high + 1) if low == high else (low - 0.05 * (high - low), high + 0.05 * (high - low))


def _top_codes(codes: list[CodeCount]) -> list[CodeCount]:
    """A group's showable codes, most frequent first."""
    return sorted((c for c in codes if _code_showable(c)), key=lambda c: -c.share)


def _bars(axes: Axes, positions: list[int], shares: list[Share] | list[CodeCount], colours: list[str]) -> None:
    """All of a panel's bars in one call (one per bar costs a container and autoscaling each), small bases
    hatched."""
    small = [share.small_base for share in shares]
    axes.barh(
        positions,
        [share.share for share in shares],
        height=0.65,
        color=colours,
        hatch=[SMALL_BASE_HATCH if s else None for s in small],
        edgecolor=["#333333" if s else "none" for s in small],
    )


def _bar_labels(axes: Axes, positions: list[int], labels: list[str]) -> None:
    """Bar names placed and styled as y tick labels, with tick marks, but as plain texts and one line of marks:
    a matplotlib tick is two lines and two texts, and making and drawing one per bar cost more than the bars."""
    axes.set_yticks([])
    size, pad = rcParams["ytick.major.size"], rcParams["ytick.major.pad"]
    axes.plot(
        [0] * len(positions),
        positions,
        linestyle="none",
        marker=TICKLEFT,
        markersize=size,
        markeredgewidth=rcParams["ytick.major.width"],
        color=rcParams["ytick.color"],
        transform=axes.get_yaxis_transform(),
        clip_on=False,
    )
    transform, va, ha = axes.get_yaxis_text1_transform(size + pad)
    for y, label in zip(positions, labels, strict=True):
        axes.text(0, y, label, transform=transform, va=va, ha=ha, fontsize=FONT_SIZE - 1)


def _label_chars(labels: list[str]) -> int:
    return max((len(line) for label in labels for line in label.split("\n")), default=0)


def _share_axis(axes: Axes, language: str, top: float) -> None:
    axes.set_xlim(0, min(1.0, top + 0.15) if top < 0.85 else 1.12)
    axes.xaxis.set_major_locator(_ShownTicks.auto())
    axes.xaxis.set_major_formatter(FuncFormatter(_percent_formatter(language)))
    axes.set_xlabel(text(language, "share_axis"), fontsize=FONT_SIZE - 1)
    axes.grid(axis="x", color="#dddddd")
    axes.set_axisbelow(True)


def _percent_formatter(language: str) -> Callable[[float, object], str]:
    return lambda x, _: percent(x, language) if x <= 1.0 else ""


def _small_base_legend(canvas: Canvas, language: str) -> None:
    patch = Patch(
        facecolor="white", edgecolor="#333333", hatch=SMALL_BASE_HATCH, label=text(language, "small_base_note")
    )
    canvas.legend(handles=[patch], fontsize=FONT_SIZE - 1, loc="lower center", frameon=False)


def _showable(share: Share) -> bool:
    return not share.suppressed and share.share is not None


def _code_showable(code: CodeCount) -> bool:
    return not code.suppressed and code.share is not None


def _share_alt(name: str, share: Share, language: str) -> str:
    return text(language, "alt_share", name=name, share=percent(share.share, language), n=share.n)


def _code_alt(code: CodeCount, language: str) -> str:
    return text(language, "alt_share", name=code.label, share=percent(code.share, language), n=code.n)


def _caution_alt(small: list[str], withheld: list[str], language: str) -> list[str]:
    notes = [text(language, "alt_small_base", names=listing(small))] if small else []
    return notes + ([text(language, "alt_withheld", names=listing(withheld))] if withheld else [])


def _indicator_alt(row: IndicatorRow, language: str) -> str:
    shown = [f"{v.year} {quantity(v.value, row.unit, language)}" for v in row.values if v.value is not None]
    parts = [listing(shown)]
    if row.target is not None:
        parts.append(text(language, "alt_target", value=quantity(row.target, row.unit, language)))
    if row.threshold is not None:
        parts.append(text(language, "alt_threshold", value=quantity(row.threshold, row.unit, language)))
    gaps = [str(v.year) for v in row.values if v.value is None]
    if gaps:
        parts.append(text(language, "alt_gaps", years=listing(gaps)))
    return text(language, "alt_indicator_line", indicator=row.indicator, values="; ".join(parts)) + "."


def _wrap(label: str, width: int, lines: int = TITLE_LINES) -> str:
    """A long label on up to ``lines`` lines of ``width`` characters rather than squeezing or overflowing the
    plot; what does not fit is elided."""
    return "\n".join(textwrap.wrap(label, width, max_lines=lines, placeholder=" …")) or label
