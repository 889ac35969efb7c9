"""Language columns: which tag is which language, which one is the source text, and no mixing.

XLSForm tags a column with a language name (``label::English (en)``); Stimmen keys catalogs by code and
keeps German source text in its YAML. A form that mixes ``label`` with ``label::English (en)`` is ambiguous
(pyxform calls the untagged one "default"), so it is rejected instead of silently losing a language.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from babel import Locale, UnknownLocaleError
from babel.localedata import locale_identifiers

from survey.i18n import language
from survey.xlsform.errors import Location, Report
from survey.xlsform.workbook import TEXT_COLUMNS, Workbook

SOURCE_CODE = "de"
_TAG = re.compile(r"^(?P<name>.*?)\s*\((?P<code>[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})*)\)\s*$")
_EXTRA_NAMES = {"einfache sprache": "de-simple"}


@dataclass(frozen=True)
class Languages:
    """The form's language tags (None: columns without a tag) and the one holding the source text."""

    codes: dict[str | None, str | None]
    source: str | None

    @property
    def source_code(self) -> str | None:
        return self.codes.get(self.source)


def column_tag(code: str) -> str:
    """How Stimmen writes a language in a column header: ``Deutsch (de)``, ``العربية (ar)``."""
    try:
        name = language(code).native_name
    except (UnknownLocaleError, ValueError):
        name = code
    return f"{name} ({code})"


def tag_code(tag: str) -> str | None:
    """``English (en)`` → ``en``; a bare known name (``English``, ``Deutsch``) works too."""
    match = _TAG.match(tag)
    if match:
        return match["code"].lower().replace("_", "-")
    return _EXTRA_NAMES.get(tag.strip().lower()) or _codes_by_name().get(tag.strip().lower())


@cache
def _codes_by_name() -> dict[str, str]:
    names: dict[str, str] = {}
    for identifier in locale_identifiers():
        locale = Locale.parse(identifier)
        if locale.territory or locale.script or locale.variant:
            continue
        for display in (locale.get_display_name("en"), locale.get_display_name(locale), locale.get_display_name("de")):
            if display:
                names.setdefault(display.lower(), locale.language)
    return names


def analyse_languages(book: Workbook, report: Report) -> Languages:
    """Check the language columns of the survey and choices sheets and pick the source language."""
    tagged: list[tuple[str, str, str]] = []  # (sheet, header, tag)
    untagged: list[tuple[str, int, str, str]] = []  # (sheet, header row, header, column)
    codes: dict[str | None, str | None] = {}
    for sheet in (book.survey, book.choices):
        if sheet is None:
            continue
        for column in sheet.columns:
            name, tag = column.key
            if name not in TEXT_COLUMNS:
                continue
            if tag is None:
                untagged.append((sheet.name, sheet.header_row, column.header, name))
                codes[None] = None
                continue
            tagged.append((sheet.name, column.header, tag))
            code = tag_code(tag)
            if code is None:
                report.error(
                    Location(sheet.name, sheet.header_row, column.header),
                    f"cannot tell which language '{tag}' is; write it with its code, e.g. '{name}::{tag} (xx)'",
                )
            codes.setdefault(tag, code)
    if tagged and untagged:
        example_sheet, example_header, example_tag = tagged[0]
        for sheet_name, header_row, header, name in untagged:
            report.error(
                Location(sheet_name, header_row, header),
                f"column has no language while '{example_header}' (sheet '{example_sheet}') has one; "
                f"mixed tagged and untagged language columns lose text - rename it to '{name}::{example_tag}' "
                "or to the language it is written in",
            )
    return Languages(codes, _source(book, codes, report))


def _source(book: Workbook, codes: dict[str | None, str | None], report: Report) -> str | None:
    default = book.setting("default_language")
    if None in codes or not codes:
        code = tag_code(default) if default else None
        codes[None] = code
        if code is None:
            report.warn(
                Location(book.survey.name),
                "the labels have no language tag, so their text becomes the source text as it is; Stimmen "
                "questionnaires are written in German - tag the columns (e.g. 'label::Deutsch (de)') to import "
                "translations",
            )
        elif code != SOURCE_CODE:
            report.warn(Location(book.survey.name), _not_german(default))
        return None
    by_code = {code: tag for tag, code in codes.items() if code}
    if SOURCE_CODE in by_code:
        return by_code[SOURCE_CODE]
    if default and (default in codes or tag_code(default) in by_code):
        source = default if default in codes else by_code[tag_code(default)]
    else:
        labels = [tag for tag in book.survey.languages("label") if tag in codes] or list(codes)
        source = labels[0]
    report.warn(Location(book.survey.name), _not_german(source))
    return source


def _not_german(tag: str) -> str:
    return (
        f"the form has no German column, so the '{tag}' text becomes the source text of the questionnaire "
        "(Stimmen's YAML is German) and no German catalog is written; translate it to German before use"
    )
