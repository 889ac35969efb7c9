"""XLSForm rows → an .xlsx workbook (openpyxl), columns in the order form authors expect."""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from survey.xlsform.exporter import Sheets

SURVEY_ORDER = (
    "type",
    "name",
    "label",
    "hint",
    "required",
    "relevant",
    "constraint",
    "constraint_message",
    "appearance",
    "stimmen::type",
    "stimmen::list",
    "stimmen::no_answer",
    "stimmen::rotate",
    "stimmen::max_length",
    "stimmen::min",
    "stimmen::max",
    "stimmen::min_selected",
    "stimmen::max_selected",
    "stimmen::unit",
    "stimmen::relevant",
    "stimmen::constraint",
)
CHOICES_ORDER = ("list_name", "name", "label", "stimmen_exclusive")
SETTINGS_ORDER = ("form_title", "form_id", "version", "default_language", "stimmen::estimated_minutes")


def write_workbook(sheets: Sheets, path: Path) -> None:
    book = Workbook()
    book.remove(book.active)
    for title, rows, order in (
        ("survey", sheets.survey, SURVEY_ORDER),
        ("choices", sheets.choices, CHOICES_ORDER),
        ("settings", sheets.settings, SETTINGS_ORDER),
    ):
        _sheet(book.create_sheet(title), rows, _columns(rows, order, sheets.languages))
    book.save(path)


def _columns(rows: list[dict[str, str]], order: tuple[str, ...], languages: list[str]) -> list[str]:
    """Known columns in order, each language column right after its siblings; only columns in use."""
    used = {key for row in rows for key, value in row.items() if value != ""}
    columns: list[str] = []
    for name in order:
        tagged = [f"{name}::{tag}" for tag in languages]
        if any(column in used for column in tagged):
            columns += tagged
        elif name in used or name in ("type", "name", "list_name"):
            columns.append(name)
    return columns + sorted(used - set(columns))


def _sheet(sheet: Worksheet, rows: list[dict[str, str]], columns: list[str]) -> None:
    sheet.append(columns)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([row.get(column, "") or None for column in columns])
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            if isinstance(cell.value, str) and cell.value.startswith("="):
                cell.data_type = "s"  # text, never a formula
            if isinstance(cell.value, str) and "\n" in cell.value:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "C2" if "name" in columns else "A2"
    for index, column in enumerate(columns, start=1):
        width = max([len(column), *(min(len(str(row.get(column, ""))), 60) for row in rows)]) + 2
        sheet.column_dimensions[get_column_letter(index)].width = min(width, 62)
