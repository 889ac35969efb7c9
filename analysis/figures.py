"""Charts and word clouds for the report section, as ``Figure``s with PNG bytes and an alt text.

The alt text carries the finding in words — key numbers, and which districts are withheld — so a screen-reader
user loses nothing without the picture. Charts use matplotlib's object API (``matplotlib.figure.Figure``
rendered by Agg), never pyplot: nothing is registered globally, so a figure is freed as soon as it is saved.
Colours are the Okabe–Ito palette, which stays distinguishable with colour-vision deficiencies, and caution
is shown by hatching, never by colour alone.

Figure ids start with their kind — ``indicators-``, ``shares-``, ``codes-``, ``cloud-`` — which the renderers
use to place a figure under its subheading; the rest of the id is a slug plus a digest, so ids are unique
and safe as file names.
"""

from __future__ import annotations

import hashlib
import io
import math
import re
import unicodedata
from collections.abc import Callable

from matplotlib.axes import Axes
from matplotlib.figure import Figure as Canvas
from matplotlib.patches import Patch
from matplotlib.ticker import FuncFormatter, MaxNLocator

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
SMALL_BASE_HATCH = "///"
CHAR_CM = 0.16
"""Average width of a tick-label character (8 pt) in centimetres, for margins that fit the labels."""
MAX_INDICATORS = 6
CLOUD_WORDS = 10
"""How many of the most frequent words a cloud's alt text names."""
CLOUD_MAX_WORDS = 40
"""Words drawn in a cloud: more are unreadable at report size and slow to place."""
CLOUD_LARGEST = 0.22
"""Largest word's height as a share of the cloud's: one word must not fill the picture."""


def indicator_chart(rows: list[IndicatorRow], title: str, language: str) -> Figure | None:
    """One small panel per city-wide indicator, so indicators on different scales stay readable."""
    city = [row for row in rows if row.district is None and any(v.value is not None for v in row.values)]
    city = city[:MAX_INDICATORS]
    if not city:
        return None
    columns = min(3, len(city))
    panel_rows = math.ceil(len(city) / columns)
    canvas = _canvas(height_cm=SIZE_CM[1] if panel_rows == 1 else 14)
    axes_grid = canvas.subplots(panel_rows, columns, squeeze=False)
    lines = [text(language, "alt_indicators", title=title)]
    for axes, row in zip(axes_grid.flat, city, strict=False):
        years = [v.year for v in row.values]
        values = [math.nan if v.value is None else v.value for v in row.values]
        axes.plot(years, values, color=CITY, marker="o", linewidth=2)
        if row.target is not None:
            axes.axhline(row.target, color=STRENGTH, linestyle="--", linewidth=1.2, label=text(language, "target"))
        if row.threshold is not None:
            axes.axhline(row.threshold, color=BARRIER, linestyle=":", linewidth=1.5, label=text(language, "threshold"))
        axes.set_title(_wrap(row.indicator + (f" ({row.unit})" if row.unit else ""), 26), fontsize=FONT_SIZE)
        axes.xaxis.set_major_locator(MaxNLocator(integer=True, nbins=5))
        axes.yaxis.set_major_formatter(FuncFormatter(lambda y, _: quantity(y, None, language)))
        axes.grid(axis="y", color="#dddddd")
        if row.target is not None or row.threshold is not None:
            axes.legend(fontsize=FONT_SIZE - 2, frameon=False)
        lines.append(_indicator_alt(row, language))
    for axes in list(axes_grid.flat)[len(city) :]:
        axes.set_visible(False)
    height_cm = canvas.get_figheight() * 2.54
    canvas.subplots_adjust(  # room for three-line panel titles and numeric tick labels
        left=0.08, right=0.98, bottom=1.0 / height_cm, top=1 - 1.4 / height_cm, wspace=0.4, hspace=0.75
    )
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
    for y, (name, share) in zip(positions, bars, strict=True):
        axes.barh(
            y,
            share.share,
            color=CITY if name == city_name else DISTRICT,
            hatch=SMALL_BASE_HATCH if share.small_base else None,
            edgecolor="#333333" if share.small_base else "none",
            height=0.65,
        )
        if share.low is not None and share.high is not None:
            axes.errorbar(
                share.share,
                y,
                xerr=[[share.share - share.low], [share.high - share.share]],
                color="#000000",
                capsize=3,
                linewidth=1,
            )
        axes.text(
            (share.high if share.high is not None else share.share) + 0.01,
            y,
            percent(share.share, language),
            va="center",
            fontsize=FONT_SIZE - 1,
        )
    labels = [f"{name} (n = {share.n})" for name, share in bars]
    axes.set_yticks(positions, labels, fontsize=FONT_SIZE - 1)
    _share_axis(axes, language, max(s.high or s.share for _, s in bars))
    axes.set_title(_wrap(f"{result.label}: {chosen.label}", 80), fontsize=FONT_SIZE + 1)
    small_bases = any(share.small_base for _, share in bars)
    if small_bases:
        _small_base_legend(canvas, language)
    _layout(canvas, label_chars=_label_chars(labels), legend=small_bases)
    alt = [text(language, "alt_shares", option=chosen.label, question=result.label)]
    alt.append(listing([_share_alt(name, share, language) for name, share in bars]) + ".")
    if _showable(chosen.overall) and chosen.overall.low is not None and chosen.overall.high is not None:
        low, high = percent(chosen.overall.low, language), percent(chosen.overall.high, language)
        alt.append(f"{city_name}: {text(language, 'alt_interval', low=low, high=high)}.")
    alt += _caution_alt([name for name, share in bars if share.small_base], withheld, language)
    title = f"{result.label}: {chosen.label}"
    return _figure("shares", f"{result.question}-{option}", title, " ".join(alt), canvas)


def codes_chart(strengths: list[CodeCount], barriers: list[CodeCount], title: str, language: str) -> Figure | None:
    """Strengths beside barriers, so a field is never shown only through what goes wrong."""
    sides = [
        (text(language, "strengths"), [c for c in strengths if _code_showable(c)], STRENGTH),
        (text(language, "barriers"), [c for c in barriers if _code_showable(c)], BARRIER),
    ]
    if not any(codes for _, codes, _ in sides):
        return None
    longest = max(len(codes) for _, codes, _ in sides)
    canvas = _canvas(height_cm=max(SIZE_CM[1], 3 + 0.7 * longest))
    panels = canvas.subplots(1, 2)
    top = max((c.share for _, codes, _ in sides for c in codes), default=0)
    alt = [text(language, "alt_codes", title=title)]
    for axes, (heading, codes, colour) in zip(panels, sides, strict=True):
        codes = sorted(codes, key=lambda c: -c.share)
        axes.set_title(heading, fontsize=FONT_SIZE + 1, color="#000000")
        if not codes:
            axes.text(0.5, 0.5, text(language, "no_codes"), ha="center", va="center", transform=axes.transAxes)
            axes.set_axis_off()
            continue
        positions = list(range(len(codes)))[::-1]
        for y, code in zip(positions, codes, strict=True):
            axes.barh(
                y,
                code.share,
                color=colour,
                hatch=SMALL_BASE_HATCH if code.small_base else None,
                edgecolor="#333333" if code.small_base else "none",
                height=0.65,
            )
            axes.text(code.share + 0.01, y, percent(code.share, language), va="center", fontsize=FONT_SIZE - 1)
        axes.set_yticks(positions, [_wrap(c.label, 28) for c in codes], fontsize=FONT_SIZE - 1)
        axes.set_ylim(-0.6, longest - 0.4)  # same bar thickness in both panels
        _share_axis(axes, language, top)
        alt.append(f"{heading}: " + listing([_code_alt(c, language) for c in codes]) + ".")
    small_bases = any(c.small_base for _, codes, _ in sides for c in codes)
    if small_bases:
        _small_base_legend(canvas, language)
    wrapped = [_wrap(c.label, 28) for _, codes, _ in sides for c in codes]
    _layout(canvas, label_chars=_label_chars(wrapped), panels=2, legend=small_bases)
    small = [c.label for _, codes, _ in sides for c in codes if c.small_base]
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
    buffer = io.BytesIO()
    canvas.savefig(buffer, format="png", dpi=DPI, metadata={"Software": None}, pil_kwargs={"compress_level": 1})
    png = buffer.getvalue()
    return Figure(id=_figure_id(kind, name, png), title=title, alt=alt, png=png)


def _figure_id(kind: str, name: str, png: bytes) -> str:
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")[:40].strip("-")
    return f"{kind}-{slug}-{hashlib.sha256(png).hexdigest()[:8]}"


def _layout(canvas: Canvas, *, label_chars: int, panels: int = 1, legend: bool = False) -> None:
    """Margins worked out from the longest bar label, the title and the legend: matplotlib's constrained layout
    would fit them exactly but draws every chart twice, which doubled the report's chart time."""
    width_cm, height_cm = canvas.get_figwidth() * 2.54, canvas.get_figheight() * 2.54
    label = min(0.45, (0.5 + label_chars * CHAR_CM) / width_cm)
    right = 0.97
    axes_width = (right - label - (panels - 1) * label) / panels
    bottom = (1.1 + (0.7 if legend else 0)) / height_cm
    canvas.subplots_adjust(
        left=label, right=right, bottom=bottom, top=1 - 1.1 / height_cm, wspace=label / axes_width if panels > 1 else 0
    )


def _label_chars(labels: list[str]) -> int:
    return max((len(line) for label in labels for line in label.split("\n")), default=0)


def _share_axis(axes: Axes, language: str, top: float) -> None:
    axes.set_xlim(0, min(1.0, top + 0.15) if top < 0.85 else 1.12)
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


def _wrap(label: str, width: int) -> str:
    """Long labels on two lines rather than squeezing the plot."""
    if len(label) <= width or " " not in label:
        return label
    cut = label.rfind(" ", 0, width)
    cut = cut if cut > 0 else label.find(" ")
    return label[:cut] + "\n" + label[cut + 1 :]
