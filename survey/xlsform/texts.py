"""Translatable text: one cell per language in XLSForm, German source text plus catalogs in Stimmen."""

from __future__ import annotations

from survey.xlsform.errors import Report
from survey.xlsform.languages import Languages
from survey.xlsform.workbook import Row

Text = dict[str | None, str]
"""Language tag (None: untagged column) → text, only for cells that hold something."""


def row_text(row: Row, column: str) -> Text:
    text: Text = {}
    for tag in row.sheet.languages(column):
        value = row.get(column, tag).replace("\r\n", "\n")
        if value.strip():
            text[tag] = value
    return text


class Translations:
    """Turns texts into source strings and gathers their translations per language code."""

    def __init__(self, languages: Languages, report: Report) -> None:
        self.languages = languages
        self.report = report
        self.by_code: dict[str, dict[str, str]] = {}

    def source(self, row: Row, column: str, *, required: bool = False, what: str = "") -> str | None:
        """The source text of a cell group, recording its translations; None when there is none."""
        return self.text(row_text(row, column), row, column, required=required, what=what)

    def text(self, text: Text, row: Row, column: str, *, required: bool = False, what: str = "") -> str | None:
        source_tag = self.languages.source
        source = text.get(source_tag)
        if source is None:
            if text or required:
                header = f"{column}::{source_tag}" if source_tag else column
                found = f" (it has text in {', '.join(repr(t) for t in text)})" if text else ""
                self.report.error(row.at(column, source_tag), f"{what or column} is missing in '{header}'{found}")
            return None
        if any("${" in value for value in text.values()):
            self.report.warn(
                row.at(column, source_tag), "refers to an answer with ${…}, which Stimmen shows literally (no piping)"
            )
        source_code = self.languages.source_code
        if source_code:
            self._add(source_code, source, source, row, column)
        for tag, value in text.items():
            code = self.languages.codes.get(tag)
            if tag != source_tag and code:
                self._add(code, source, value, row, column, tag)
        return source

    def plain(self, source: str) -> None:
        """Text without language columns (e.g. settings' form_title): the source language's own entry only."""
        if self.languages.source_code:
            self.by_code.setdefault(self.languages.source_code, {}).setdefault(source, source)

    def _add(self, code: str, source: str, value: str, row: Row, column: str, tag: str | None = None) -> None:
        catalog = self.by_code.setdefault(code, {})
        known = catalog.setdefault(source, value)
        if known != value:
            self.report.warn(
                row.at(column, tag),
                f"{source[:40]!r} is translated differently elsewhere ({known[:40]!r}); a catalog holds one "
                "translation per source text, so the first is kept",
            )
