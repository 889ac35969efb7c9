"""XLSForm fixtures built the way KoboToolbox and ODK users build them: a spreadsheet of rows.

``Form`` holds the sheets as lists of rows (first row = headers); tests change a copy and write it as
.xlsx (openpyxl) or legacy .xls (xlwt).
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import openpyxl
import xlwt

Cell = str | int | float | bool | None
EN, DE, AR = "English (en)", "Deutsch (de)", "العربية (ar)"


@dataclass
class Form:
    sheets: dict[str, list[list[Cell]]] = field(default_factory=dict)

    def copy(self) -> Form:
        return Form(copy.deepcopy(self.sheets))

    def column(self, sheet: str, header: str) -> int:
        return self.sheets[sheet][0].index(header)

    def set(self, sheet: str, name: str, header: str, value: Cell) -> Form:
        """Set one cell of the row whose ``name`` column is ``name``."""
        rows = self.sheets[sheet]
        name_column, target = self.column(sheet, "name"), self.column(sheet, header)
        row = next(r for r in rows[1:] if r[name_column] == name)
        row[target] = value
        return self

    def row_number(self, sheet: str, name: str) -> int:
        """Spreadsheet row number (header = 1) of the row named ``name``."""
        name_column = self.column(sheet, "name")
        return next(i for i, row in enumerate(self.sheets[sheet], start=1) if row[name_column] == name)

    def add_column(self, sheet: str, header: str, values: dict[str, Cell] | None = None) -> Form:
        rows = self.sheets[sheet]
        rows[0].append(header)
        name_column = self.column(sheet, "name") if "name" in rows[0] else None
        for row in rows[1:]:
            row.append((values or {}).get(str(row[name_column]) if name_column is not None else "", None))
        return self

    def write_xlsx(self, path: Path) -> Path:
        book = openpyxl.Workbook()
        book.remove(book.active)
        for title, rows in self.sheets.items():
            sheet = book.create_sheet(title)
            for row in rows:
                sheet.append(list(row))
        book.save(path)
        return path

    def write_xls(self, path: Path) -> Path:
        book = xlwt.Workbook(encoding="utf-8")
        for title, rows in self.sheets.items():
            sheet = book.add_sheet(title)
            for r, row in enumerate(rows):
                for c, value in enumerate(row):
                    if value is not None:
                        sheet.write(r, c, value)
        book.save(str(path))
        return path


def _labels(en: str, de: str, ar: str) -> list[Any]:
    return [en, de, ar]


def city_life() -> Form:
    """A multilingual community survey as a KoboToolbox user would write it."""
    survey: list[list[Cell]] = [
        [
            "type",
            "name",
            f"label::{EN}",
            f"label::{DE}",
            f"label::{AR}",
            f"hint::{EN}",
            f"hint::{DE}",
            f"hint::{AR}",
            "required",
            "relevant",
            "constraint",
            f"constraint_message::{EN}",
            f"constraint_message::{DE}",
            f"constraint_message::{AR}",
            "appearance",
        ],
        ["start", "start", None, None, None, None, None, None, None, None, None, None, None, None, None],
        ["end", "end", None, None, None, None, None, None, None, None, None, None, None, None, None],
        [
            "begin_group",
            "about",
            *_labels("About you", "Über Sie", "عنك"),
            *[None] * 9,
            "field-list",
        ],
        [
            "select_one yes_no",
            "lives_here",
            *_labels("Do you live in the city?", "Wohnen Sie in der Stadt?", "هل تعيش في المدينة؟"),
            None,
            None,
            None,
            "yes",
            *[None] * 6,
        ],
        [
            "integer",
            "household",
            *_labels(
                "How many people live in your household?",
                "Wie viele Personen leben in Ihrem Haushalt?",
                "كم شخصًا يعيش في منزلك؟",
            ),
            *_labels("Including yourself.", "Sie selbst eingeschlossen.", "بما في ذلك أنت."),
            True,
            None,
            ". >= 1 and . <= 20",
            *_labels("Between 1 and 20, please.", "Bitte eine Zahl zwischen 1 und 20.", "من 1 إلى 20 من فضلك."),
            None,
        ],
        [
            "select_one age",
            "age_group",
            *_labels("How old are you?", "Wie alt sind Sie?", "كم عمرك؟"),
            *[None] * 10,
        ],
        ["end_group", "about", *[None] * 13],
        [
            "begin_group",
            "experiences",
            *_labels("Feeling at home", "Sich zu Hause fühlen", "الشعور بالانتماء"),
            None,
            None,
            None,
            None,
            "${lives_here} = 'yes'",
            *[None] * 5,
        ],
        [
            "note",
            "experiences_note",
            *_labels("A few questions about home.", "Einige Fragen zum Zuhause.", "بعض الأسئلة عن البيت."),
            *[None] * 10,
        ],
        [
            "select_multiple places or_other",
            "where_felt",
            *_labels("Where do you feel at home?", "Wo fühlen Sie sich zu Hause?", "أين تشعر أنك في بيتك؟"),
            *_labels("Select all that apply.", "Mehrere Antworten möglich.", "اختر كل ما ينطبق."),
            *[None] * 7,
        ],
        [
            "text",
            "why_home",
            *_labels("What makes it home?", "Was macht es zum Zuhause?", "ما الذي يجعله بيتًا؟"),
            None,
            None,
            None,
            None,
            "selected(${where_felt}, 'neighbourhood')",
            None,
            None,
            None,
            None,
            "multiline",
        ],
        ["end_group", "experiences", *[None] * 13],
        [
            "begin_group",
            "ratings",
            *_labels("How satisfied are you with …", "Wie zufrieden sind Sie mit …", "ما مدى رضاك عن …"),
            *[None] * 9,
            "table-list",
        ],
        [
            "select_one satisfaction",
            "ratings_parks",
            *_labels("Parks", "Parks und Grünflächen", "الحدائق"),
            None,
            None,
            None,
            "yes",
            *[None] * 6,
        ],
        [
            "select_one satisfaction",
            "ratings_transport",
            *_labels("Public transport", "Bus und Bahn", "المواصلات العامة"),
            None,
            None,
            None,
            "yes",
            *[None] * 6,
        ],
        ["end_group", "ratings", *[None] * 13],
        [
            "text",
            "comments",
            *_labels("Anything else?", "Möchten Sie noch etwas sagen?", "هل هناك شيء آخر؟"),
            None,
            None,
            None,
            None,
            "${age_group} != 'prefer_not' and count-selected(${where_felt}) > 0",
            *[None] * 5,
        ],
        [
            "acknowledge",
            "quote_ok",
            *_labels("You may quote my answers.", "Sie dürfen meine Antworten zitieren.", "يمكنكم اقتباس إجاباتي."),
            *[None] * 10,
        ],
    ]
    choices: list[list[Cell]] = [
        ["list_name", "name", f"label::{EN}", f"label::{DE}", f"label::{AR}"],
        ["yes_no", "yes", "Yes", "Ja", "نعم"],
        ["yes_no", "no", "No", "Nein", "لا"],
        ["age", "under_30", "under 30", "unter 30", "أقل من 30"],
        ["age", "30_plus", "30 or older", "30 oder älter", "30 أو أكثر"],
        ["age", "prefer_not", "Prefer not to say", "Keine Angabe", "أفضل عدم القول"],
        ["places", "neighbourhood", "Neighbourhood", "Nachbarschaft", "الحي"],
        ["places", "work", "Work", "Arbeit", "العمل"],
        ["places", "family", "Family", "Familie", "العائلة"],
        ["satisfaction", "satisfied", "satisfied", "zufrieden", "راضٍ"],
        ["satisfaction", "unsatisfied", "not satisfied", "unzufrieden", "غير راضٍ"],
    ]
    settings: list[list[Cell]] = [
        ["form_title", "form_id", "version", "default_language"],
        ["Leben in der Stadt", "city_life", "2024061201", EN],
    ]
    return Form({"survey": survey, "choices": choices, "settings": settings})
