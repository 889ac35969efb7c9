"""Word clouds as PNG bytes, per language or per code, drawn by the wordcloud package from given frequencies.

wordcloud never tokenises here (its word regex splits Farsi words at U+200C): callers pass counts from
``analysis.terms.word_frequencies``. The function draws whatever it is given; leaving out words from too few
answers (privacy) is the caller's job, which ``word_frequencies`` does with ``min_answers``.

Arabic and Farsi need shaping (joined letter forms) and right-to-left ordering. Pillow does both only through
libraqm with FriBiDi (Debian: libfribidi0), and picks that layout by default when it is available; wordcloud
loads its fonts without choosing a layout engine, so it gets raqm too. Without raqm the words would come out as
disconnected letters in reverse order, so those languages raise ``CloudUnavailableError`` instead.

Each font covers one script family, so words in another script (a German "Jobcenter" inside an Arabic answer)
would be drawn as empty boxes; they are left out of that cloud.

Colours come from a fixed palette with at least 4.5:1 contrast on white (WCAG AA even for the smallest
words), words stay horizontal to be readable, and a fixed seed makes the same counts give the same picture.
"""

from __future__ import annotations

import io
import re
from collections import Counter
from collections.abc import Mapping
from functools import cache
from random import Random

from PIL import Image, ImageFont, features
from wordcloud import WordCloud

from analysis.text import TEXT_LANGUAGES

ARABIC_SCRIPT = frozenset({"ar", "fa"})
ARABIC_FONTS = ("NotoSansArabic-Regular.ttf", "NotoNaskhArabic-Regular.ttf")
FONTS = ("NotoSans-Regular.ttf",)
"""Font files by name; Noto Sans covers Latin and Cyrillic (Debian package fonts-noto-core ships all three)."""

PALETTE = ("#1f4e79", "#b2182b", "#1b7837", "#762a83", "#8c2d04", "#005f73")
"""Blue, red, green, purple, brown, teal: each at least 4.5:1 against white."""

SEED = 7
MIN_FONT_SIZE = 12
"""Words that would be smaller than this many pixels are left out rather than drawn illegibly."""
LAYOUT_SCALE = 2
"""The words are placed on a grid this many times coarser than the image and drawn at full size (wordcloud's
``scale``): placing is the slow part and grows with the area, so this is several times faster, for a slightly
looser fit."""


_ARABIC_BLOCKS = "\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff"
ARABIC_LETTERS = re.compile(f"[{_ARABIC_BLOCKS}]")
ARABIC_WORD = re.compile(f"[{_ARABIC_BLOCKS}\u200c\u200d]+")
"""What the Arabic fonts draw: Arabic-script letters and digits, and the joiners Farsi writes inside words."""
EDGE_PUNCTUATION = "'\"«»“”„‘’‚.,:;!?()[]-–—…"
"""Quotes and stops the Arabic-script tokenisers leave on a word ("بلدكم'."), stripped before drawing."""


class CloudUnavailableError(RuntimeError):
    """The system lacks what a cloud in this language needs: a font, or raqm shaping for Arabic script."""


def word_cloud(
    frequencies: Mapping[str, int], language: str, width: int = 800, height: int = 400, max_font_size: int | None = None
) -> bytes:
    """PNG of the words sized by their counts; wordcloud raises ValueError when there are no words.

    Without ``max_font_size`` (pixels) the largest word is made as big as fits, which takes a second layout pass.
    """
    if language in ARABIC_SCRIPT and not features.check("raqm"):
        raise CloudUnavailableError(
            f"word clouds in {language!r} need Pillow with raqm shaping: install libfribidi0 (Debian) so raqm can load"
        )
    arabic = language in ARABIC_SCRIPT
    drawable: Counter[str] = Counter()
    for word, n in frequencies.items():
        word = word.strip(EDGE_PUNCTUATION)
        if word and (ARABIC_WORD.fullmatch(word) if arabic else not ARABIC_LETTERS.search(word)):
            drawable[word] += n
    cloud = WordCloud(
        font_path=font_path(language),
        width=width // LAYOUT_SCALE,
        height=height // LAYOUT_SCALE,
        scale=LAYOUT_SCALE,
        background_color="white",
        mode="RGB",
        color_func=_colour,
        prefer_horizontal=1.0,
        min_font_size=MIN_FONT_SIZE // LAYOUT_SCALE,
        max_font_size=None if max_font_size is None else max_font_size // LAYOUT_SCALE,
        random_state=SEED,
    ).generate_from_frequencies(drawable)
    image = Image.new("RGB", (width, height), "white")  # an odd width or height loses a pixel to the grid
    image.paste(cloud.to_image())
    png = io.BytesIO()
    image.save(png, format="PNG", compress_level=1)  # fast zlib: flat colours compress well anyway
    return png.getvalue()


@cache
def font_path(language: str) -> str:
    """Full path of the first installed font for the language's script (Pillow searches the system font folders)."""
    if language not in TEXT_LANGUAGES:
        raise ValueError(f"unsupported text language {language!r}; supported: {', '.join(TEXT_LANGUAGES)}")
    names = ARABIC_FONTS if language in ARABIC_SCRIPT else FONTS
    for name in names:
        try:
            return ImageFont.truetype(name).path
        except OSError:
            continue
    raise CloudUnavailableError(
        f"no font for {language!r} word clouds: install one of {', '.join(names)} (Debian: fonts-noto-core)"
    )


def _colour(*_: object, random_state: Random, **__: object) -> str:
    return random_state.choice(PALETTE)
