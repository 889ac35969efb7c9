"""Languages, gettext catalogs (UI and questionnaire text), locale negotiation and Babel formatting."""

from __future__ import annotations

import io
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

from babel import Locale
from babel.dates import format_date
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal, format_percent
from babel.support import NullTranslations, Translations

from survey.catalogs import DOMAINS, catalog_path, is_complete

LANGUAGE_COOKIE = "stimmen_lang"


@dataclass(frozen=True)
class Language:
    """A selectable language; ``locale`` is what Babel formats with (Einfache Sprache formats as German)."""

    code: str
    locale: Locale
    native_name: str

    @property
    def direction(self) -> str:
        return self.locale.text_direction

    @property
    def html_lang(self) -> str:
        """BCP 47 tag of the text's language (Einfache Sprache is German to screen readers)."""
        return str(self.locale).replace("_", "-")


# Languages whose code is not a Babel locale name map to the locale they are formatted with.
_LOCALE_OF = {"de-simple": "de"}
_NATIVE_NAME_OF = {"de-simple": "Einfache Sprache"}


@cache
def language(code: str) -> Language:
    locale = Locale.parse(_LOCALE_OF.get(code, code), sep="-")
    name = _NATIVE_NAME_OF.get(code) or locale.get_display_name(locale) or code
    return Language(code=code, locale=locale, native_name=name[:1].upper() + name[1:])


def available_languages(locales_dir: Path) -> tuple[str, ...]:
    """Languages whose two catalogs are complete, in switcher order; rescanned every few seconds at most."""
    now = time.monotonic()
    known = _scanned.get(locales_dir)
    if known is None or now - known[0] > RESCAN_SECONDS:
        known = (now, _languages_with_catalogs(locales_dir))
        _scanned[locales_dir] = known
    return known[1]


RESCAN_SECONDS = 5.0
SWITCHER_ORDER = ("de", "de-simple", "en", "tr", "ar", "fa", "ru", "uk")
"""German and Einfache Sprache first, then the languages most asked for in German municipalities."""
_scanned: dict[Path, tuple[float, tuple[str, ...]]] = {}


def _languages_with_catalogs(locales_dir: Path) -> tuple[str, ...]:
    codes = [
        path.name
        for path in sorted(locales_dir.iterdir())
        if path.is_dir() and all(is_complete(catalog_path(locales_dir, path.name, domain)) for domain in DOMAINS)
    ]
    return tuple(sorted(codes, key=lambda code: (SWITCHER_ORDER.index(code) if code in SWITCHER_ORDER else 99, code)))


@cache
def _compiled(po_path: Path, mtime: float) -> Translations:
    """Compile a .po file in memory, so there is no build step to forget and no stale .mo to serve."""
    with po_path.open("rb") as handle:
        catalog = read_po(handle)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return Translations(fp=buffer, domain=po_path.stem)


def translations(locales_dir: Path, code: str, domain: str) -> NullTranslations:
    path = locales_dir / code / "LC_MESSAGES" / f"{domain}.po"
    if not path.exists():
        return NullTranslations()
    return _compiled(path, path.stat().st_mtime)


def parse_accept_language(header: str) -> list[str]:
    """Language tags from an Accept-Language header, best first (q=0 means "not this one")."""
    weighted: list[tuple[float, int, str]] = []
    for position, part in enumerate(header.split(",")):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                quality = 0.0
        if tag and quality > 0:
            weighted.append((-quality, position, tag.strip()))
    return [tag for _, _, tag in sorted(weighted)]


def negotiate(
    available: Sequence[str], *, query: str | None, cookie: str | None, accept_language: str | None, default: str
) -> str:
    """``?lang=`` → cookie → Accept-Language → default; each only if the language is available.

    With no complete catalog at all (a translator saving one mid-edit) the default stands, so pages still answer.
    """
    for candidate in (query, cookie):
        if candidate in available:
            return candidate
    if accept_language:
        for tag in parse_accept_language(accept_language):
            tag = tag.lower()
            if tag in available:
                return tag
            if tag.split("-")[0] in available:
                return tag.split("-")[0]
    return default if default in available or not available else available[0]


@dataclass(frozen=True)
class Translator:
    """Everything a page needs to speak one language."""

    language: Language
    ui: NullTranslations
    content: NullTranslations

    def gettext(self, message: str, **params: Any) -> str:
        text = self.ui.gettext(message)
        return text % params if params else text

    def ngettext(self, singular: str, plural: str, n: int, **params: Any) -> str:
        return self.ui.ngettext(singular, plural, n) % {"num": n, **params}

    def format_number(self, value: float) -> str:
        return format_decimal(value, locale=self.language.locale)

    def format_percent(self, share: float) -> str:
        """A share (0.253) as the language writes percentages, to one decimal ("25,3 %", "%25,3")."""
        return format_percent(round(share, 3), locale=self.language.locale, decimal_quantization=False)

    def error(self, message: str, params: dict[str, Any]) -> str:
        """An error message with its numbers written the way the language writes them."""
        shown = {k: self.format_number(v) if isinstance(v, int | float) else v for k, v in params.items()}
        return self.gettext(message, **shown)

    def format_date(self, value: date) -> str:
        return format_date(value, format="long", locale=self.language.locale)

    def content_text(self, source: str | None) -> str:
        """Questionnaire text: German source, translated through the questionnaires catalog."""
        return self.content.gettext(source) if source else ""


def translator(locales_dir: Path, code: str) -> Translator:
    return Translator(
        language=language(code),
        ui=translations(locales_dir, code, "messages"),
        content=translations(locales_dir, code, "questionnaires"),
    )
