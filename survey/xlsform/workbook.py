"""Reading an XLSForm workbook (.xlsx or legacy .xls) into rows keyed by normalised column names.

XLSForm tools treat sheet and column names case-insensitively and accept a few historical aliases, so this
module hides those spellings; everything after it sees ``label`` with an optional language tag.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path

from openpyxl.utils import get_column_letter
from python_calamine import CalamineError, CalamineWorkbook

from survey.xlsform.errors import Location, Report, XLSFormError

Key = tuple[str, str | None]
"""(column, language tag as written) — the tag is None for columns without a language."""

LANGUAGE_COLUMNS = {
    "label",
    "hint",
    "constraint_message",
    "required_message",
    "guidance_hint",
    "image",
    "big-image",
    "audio",
    "video",
    "stimmen::unit",
}
TEXT_COLUMNS = ("label", "hint", "constraint_message", "stimmen::unit")
"""Language columns whose text Stimmen keeps (media and ODK-only messages are ignored)."""

_ALIASES = {
    "survey": {
        "caption": "label",
        "relevance": "relevant",
        "constraining_message": "constraint_message",
        "command": "type",
        "tag": "name",
        "value": "name",
    },
    "choices": {
        "caption": "label",
        "value": "name",
        "list name": "list_name",
        "stimmen_exclusive": "stimmen::exclusive",
    },
    "settings": {"set_form_title": "form_title", "set_form_id": "form_id"},
}


@dataclass(frozen=True)
class Column:
    header: str
    """As written in the file, for messages."""
    index: int
    key: Key

    @property
    def letter(self) -> str:
        return get_column_letter(self.index + 1)


@dataclass
class Row:
    sheet: Sheet
    number: int
    values: dict[Key, str]

    def get(self, column: str, language: str | None = None) -> str:
        """The cell's text as written (labels keep their spacing), '' when empty."""
        return self.values.get((column, language), "")

    def word(self, column: str) -> str:
        """A cell holding a name, type or flag: surrounding space means nothing there."""
        return self.get(column).strip()

    def at(self, column: str | None = None, language: str | None = None) -> Location:
        header = None
        if column is not None:
            found = self.sheet.column(column, language) or next(
                (c for c in self.sheet.columns if c.key[0] == column), None
            )
            header = found.header if found else (f"{column}::{language}" if language else column)
        return Location(self.sheet.name, self.number, header)


@dataclass
class Sheet:
    name: str
    header_row: int
    columns: list[Column] = field(default_factory=list)
    rows: list[Row] = field(default_factory=list)

    def column(self, column: str, language: str | None = None) -> Column | None:
        return next((c for c in self.columns if c.key == (column, language)), None)

    def languages(self, column: str) -> list[str | None]:
        """Language tags of one column, in sheet order (None: the column without a tag)."""
        return [c.key[1] for c in self.columns if c.key[0] == column]

    def has(self, column: str) -> bool:
        return any(c.key[0] == column for c in self.columns)


@dataclass
class Workbook:
    path: Path
    survey: Sheet
    choices: Sheet | None
    settings: Sheet | None
    sheet_names: list[str]

    def setting(self, name: str) -> str:
        if self.settings is None or not self.settings.rows:
            return ""
        return self.settings.rows[0].word(name)


def read_workbook(path: Path, report: Report) -> Workbook:
    """Open the file and normalise its three sheets; raises XLSFormError for unreadable or misshapen files."""
    try:
        book = CalamineWorkbook.from_path(str(path))
    except (CalamineError, OSError, ValueError) as exc:
        raise XLSFormError([f"{path.name}: cannot be read as a spreadsheet (.xlsx or .xls): {exc}"]) from None
    by_name = {name.strip().lower(): name for name in book.sheet_names}
    if "survey" not in by_name:
        similar = difflib.get_close_matches("survey", list(by_name), n=1, cutoff=0.6)
        hint = f"; did you mean '{by_name[similar[0]]}'? Rename it to 'survey'" if similar else ""
        found = ", ".join(f"'{name}'" for name in book.sheet_names) or "none"
        raise XLSFormError([f"{path.name}: no sheet named 'survey' (sheets found: {found}){hint}"])
    sheets = {
        kind: _read_sheet(book, by_name[kind], kind, report) if kind in by_name else None
        for kind in ("survey", "choices", "settings")
    }
    report.raise_errors()
    survey = sheets["survey"]
    assert survey is not None
    return Workbook(path, survey, sheets["choices"], sheets["settings"], list(book.sheet_names))


def _read_sheet(book: CalamineWorkbook, name: str, kind: str, report: Report) -> Sheet:
    cells = book.get_sheet_by_name(name).to_python(skip_empty_area=False)
    header_index = next((i for i, row in enumerate(cells) if any(_text(v).strip() for v in row)), None)
    if header_index is None:
        return Sheet(name, 1)
    sheet = Sheet(name, header_index + 1)
    headers = [_text(v).strip() for v in cells[header_index]]
    single_colon = not any("::" in h for h in headers)
    seen: dict[Key, Column] = {}
    for index, header in enumerate(headers):
        if not header:
            continue
        column = Column(header, index, parse_header(header, kind, single_colon))
        if column.key in seen:
            first = seen[column.key]
            report.error(
                Location(name, sheet.header_row, header),
                f"duplicate column (column {column.letter} repeats column {first.letter} '{first.header}'); "
                "delete or rename one of them",
            )
            continue
        seen[column.key] = column
        sheet.columns.append(column)
    for offset, raw in enumerate(cells[header_index + 1 :], start=header_index + 2):
        values = {
            column.key: text
            for column in sheet.columns
            if column.index < len(raw) and (text := _text(raw[column.index])).strip()
        }
        if values:
            sheet.rows.append(Row(sheet, offset, values))
    return sheet


def parse_header(header: str, kind: str, single_colon: bool = False) -> Key:
    """``Label::English (en)`` → ('label', 'English (en)'); ``stimmen::no_answer`` → ('stimmen::no_answer', None)."""
    separator = "::" if "::" in header or not single_colon else ":"
    tokens = [token.strip() for token in header.split(separator)]
    first = _ALIASES.get(kind, {}).get(tokens[0].lower(), "_".join(tokens[0].lower().split()))
    first = _ALIASES.get(kind, {}).get(first, first)
    if first in ("stimmen", "media", "bind", "instance") and len(tokens) >= 2:
        first, tokens = f"{first}::{'_'.join(tokens[1].lower().split())}", [first, *tokens[2:]]
    rest = tokens[1:]
    if separator == ":" and first not in LANGUAGE_COLUMNS:
        return ("_".join(header.lower().split()), None)  # a colon inside another column name is part of it
    if rest and first in LANGUAGE_COLUMNS:
        return (first, separator.join(rest))
    if rest:
        return ("::".join([first, *(token.lower() for token in rest)]), None)
    return (first, None)


def _text(value: object) -> str:
    """Cell values as text: spreadsheets store 3 as 3.0 and TRUE as a boolean."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    return str(value)


def flag(value: str) -> bool | None:
    """XLSForm yes/no cells (``yes``, ``TRUE``, ``true()``, 1); None when the cell says something else."""
    word = value.strip().lower()
    if word in ("yes", "y", "true", "true()", "1"):
        return True
    if word in ("", "no", "n", "false", "false()", "0"):
        return False
    return None
