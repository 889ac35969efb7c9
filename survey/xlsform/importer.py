"""XLSForm file → Stimmen questionnaire (YAML-ready dict) and translations per language.

The result is validated with Stimmen's own loader, and its problems are pointed back at sheet rows,
so an author fixes the spreadsheet rather than YAML they never wrote.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from survey.questionnaire import Questionnaire, QuestionnaireError, parse
from survey.xlsform.choices import read_choice_lists
from survey.xlsform.errors import Location, Report, XLSFormError
from survey.xlsform.languages import analyse_languages
from survey.xlsform.logic import Logic
from survey.xlsform.names import questionnaire_id
from survey.xlsform.questions import Context
from survey.xlsform.structure import Builder, Shape
from survey.xlsform.texts import Translations
from survey.xlsform.tree import build_tree
from survey.xlsform.workbook import read_workbook


@dataclass
class Conversion:
    questionnaire: dict[str, Any]
    translations: dict[str, dict[str, str]]
    """Language code → {German (source) text: translation}; the source language maps texts to themselves."""
    source_language: str | None
    warnings: list[str] = field(default_factory=list)
    filename: str = ""

    @property
    def id(self) -> str:
        return str(self.questionnaire["id"])

    def yaml(self) -> str:
        header = (
            f"# Imported from {self.filename} by `stimmen questionnaire import`.\n"
            f"# Source text language: {self.source_language or 'not tagged'}; translations live in the catalogs.\n\n"
        )
        body = yaml.dump(self.questionnaire, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=4096)
        return header + body


def import_xlsform(path: Path) -> tuple[Conversion, Questionnaire]:
    """Convert and validate; raises XLSFormError naming sheet, row and column for every problem."""
    report = Report()
    book = read_workbook(path, report)
    languages = analyse_languages(book, report)
    lists = read_choice_lists(book, report)
    tree = build_tree(book.survey, report)
    report.raise_errors()
    texts = Translations(languages, report)
    ctx = Context(texts, Logic({}, tree.skipped, report), lists, set(), report)
    form_id = book.setting("form_id") or path.stem
    form_title = book.setting("form_title") or form_id
    builder = Builder(tree, ctx, report, form_title)
    symbols, shared = builder.plan(lists)
    report.raise_errors()
    ctx.logic.symbols.update(symbols)
    ctx.shared |= shared
    shape = builder.build()
    report.raise_errors()
    data = _questionnaire(form_id, form_title, book.setting("stimmen::estimated_minutes"), shape, ctx)
    if data["id"] != form_id:
        report.warn(Location(book.settings.name if book.settings else "settings"), f"form id stored as '{data['id']}'")
    conversion = Conversion(data, texts.by_code, languages.source_code, report.warnings, path.name)
    return conversion, _validate(conversion, shape, book.survey.name)


def _questionnaire(form_id: str, form_title: str, minutes: str, shape: Shape, ctx: Context) -> dict[str, Any]:
    data: dict[str, Any] = {"id": questionnaire_id(form_id), "title": shape.title}
    if data["title"] is None:  # settings' form_title has no language columns
        data["title"] = form_title
        ctx.texts.plain(form_title)
    if shape.description:
        data["description"] = shape.description
    if re.fullmatch(r"\d+", minutes.strip()):
        data["estimated_minutes"] = int(minutes)
    data["consent"] = shape.consent
    if ctx.choice_lists:
        data["choice_lists"] = ctx.choice_lists
    data["pages"] = shape.pages
    return data


def _validate(conversion: Conversion, shape: Shape, sheet: str) -> Questionnaire:
    try:
        return parse(conversion.yaml(), conversion.filename)
    except QuestionnaireError as exc:
        problems = []
        for problem in exc.problems:
            match = re.fullmatch(r"(?:page|question) '([^']+)'", problem.where)
            row = shape.rows.get(match[1]) if match else None
            column = next((c for c in ("relevant", "constraint") if problem.message.startswith(f"{c}:")), None)
            where = row.at(column) if row is not None else Location(sheet)
            subject = f"{problem.where}: " if problem.where else ""
            problems.append(f"{where}: {subject}{problem.message}")
        raise XLSFormError(problems) from None


class _Dumper(yaml.SafeDumper):
    """Multi-line text as ``|`` blocks, like hand-written questionnaires."""


def _text(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style="|" if "\n" in value else None)


_Dumper.add_representer(str, _text)
