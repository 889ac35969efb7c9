"""Stimmen questionnaire + catalogs → XLSForm rows, every language as ``label::<Native name> (<code>)``.

What XLSForm has no column for travels in ``stimmen::`` columns that XLSForm tools ignore, so
exporting and importing again gives the same questionnaire and translations.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

from survey.questionnaire.schema import (
    Choice,
    ClosedQuestion,
    Consent,
    District,
    LongText,
    Matrix,
    MultipleChoice,
    Note,
    Number,
    Page,
    Questionnaire,
    Scale,
    ShortText,
    SingleChoice,
)
from survey.xlsform.bounds import terms
from survey.xlsform.languages import SOURCE_CODE, column_tag
from survey.xlsform.logic import constraint_cell, reads_back
from survey.xlsform.spelling import number_text, to_xpath
from survey.xlsform.xpath import Symbol, XPathError

CONSENT_GROUP = "consent"
Row = dict[str, str]


class ExportError(ValueError):
    """The questionnaire uses something that cannot be written as an XLSForm."""


@dataclass
class Sheets:
    survey: list[Row] = field(default_factory=list)
    choices: list[Row] = field(default_factory=list)
    settings: list[Row] = field(default_factory=list)
    languages: list[str] = field(default_factory=list)
    """Column tags in order, e.g. ``Deutsch (de)``."""


def export_rows(questionnaire: Questionnaire, catalogs: dict[str, dict[str, str]]) -> Sheets:
    return _Exporter(questionnaire, catalogs).run()


class _Exporter:
    def __init__(self, questionnaire: Questionnaire, catalogs: dict[str, dict[str, str]]) -> None:
        self.q = questionnaire
        self.codes = [SOURCE_CODE, *sorted(code for code in catalogs if code != SOURCE_CODE)]
        self.catalogs = catalogs
        self.tags = {code: column_tag(code) for code in self.codes}
        self.sheets = Sheets(languages=list(self.tags.values()))
        self.names: dict[str, str] = {}
        self.taken: dict[str, str] = {}
        self.lists: dict[str, str] = {}  # named choice list → list_name
        self.written_lists: set[str] = set()

    # ------------------------------------------------------------------ names

    def _name(self, name: str, what: str) -> str:
        if name in self.taken:
            raise ExportError(f"the form name '{name}' would stand for both {self.taken[name]} and {what}; rename one")
        self.taken[name] = what
        return name

    def _plan_names(self) -> None:
        for special, what in (("form_title", "the title"), ("form_description", "the description")):
            self._name(special, what)
        self._name(CONSENT_GROUP, "the consent group")
        self._name(f"{CONSENT_GROUP}_text", "the consent text")
        for statement in self.q.consent.statements:
            self._name(f"{CONSENT_GROUP}_{statement.id}", f"consent statement '{statement.id}'")
        for page in self.q.pages:
            self._name(page.id, f"page '{page.id}'")
            if page.intro:
                self._name(f"{page.id}_intro", f"the intro of page '{page.id}'")
            for question in page.questions:
                self.names[question.id] = self._name(question.id, f"question '{question.id}'")
                if isinstance(question, Matrix):
                    for item in question.items:
                        member = self._name(f"{question.id}_{item.id}", f"item '{item.id}' of '{question.id}'")
                        self.names[f"{question.id}.{item.id}"] = member
        self.lists = {name: name for name in self.q.choice_lists}
        self.symbols = {name: Symbol(path) for path, name in self.names.items()}

    def _list_name(self, question_id: str) -> str:
        name, number = question_id, 1
        while name in self.lists.values():
            number += 1
            name = f"{question_id}_choices" + (str(number) if number > 2 else "")
        self.lists[f"#{question_id}"] = name
        return name

    # ------------------------------------------------------------------ text

    def text(self, column: str, source: str | None) -> Row:
        if not source:
            return {}
        row = {f"{column}::{self.tags[SOURCE_CODE]}": source}
        for code in self.codes[1:]:
            row[f"{column}::{self.tags[code]}"] = self.catalogs.get(code, {}).get(source, "")
        return row

    def same(self, column: str, value: str) -> Row:
        """A cell that reads the same in every language (a scale's middle numbers)."""
        return {f"{column}::{tag}": value for tag in self.tags.values()}

    # ------------------------------------------------------------------ rows

    def run(self) -> Sheets:
        self._plan_names()
        survey = self.sheets.survey
        survey.append(
            {"type": "note", "name": "form_title", **self.text("label", self.q.title), "stimmen::type": "title"}
        )
        if self.q.description:
            survey.append(
                {"type": "note", "name": "form_description", **self.text("label", self.q.description)}
                | {"stimmen::type": "description"}
            )
        self._consent()
        for page in self.q.pages:
            self._page(page)
        for name, choices in self.q.choice_lists.items():
            if name not in self.written_lists:
                self._choices(name, choices)
        digest = hashlib.sha256(self.q.model_dump_json().encode()).hexdigest()[:10]
        settings: Row = {
            "form_title": self.q.title,
            "form_id": self.q.id,
            "version": digest,
            "default_language": self.tags[SOURCE_CODE],
        }
        if self.q.estimated_minutes:
            settings["stimmen::estimated_minutes"] = str(self.q.estimated_minutes)
        self.sheets.settings.append(settings)
        return self.sheets

    def _consent(self) -> None:
        consent = self.q.consent
        survey = self.sheets.survey
        survey.append(
            {"type": "begin_group", "name": CONSENT_GROUP, **self.text("label", consent.title)}
            | {"appearance": "field-list", "stimmen::type": "consent_block"}
        )
        survey.append(
            {"type": "note", "name": f"{CONSENT_GROUP}_text", **self.text("label", consent.text)}
            | {"stimmen::type": "consent_text"}
        )
        for statement in consent.statements:
            survey.append(
                {"type": "acknowledge", "name": f"{CONSENT_GROUP}_{statement.id}", **self.text("label", statement.text)}
                | {"required": "yes", "stimmen::type": "consent_statement"}
            )
        survey.append({"type": "end_group", "name": CONSENT_GROUP})

    def _page(self, page: Page) -> None:
        survey = self.sheets.survey
        survey.append(
            {"type": "begin_group", "name": page.id, **self.text("label", page.title)}
            | self._relevant(page.relevant)
            | {"appearance": "field-list", "stimmen::type": "page"}
        )
        if page.intro:
            survey.append(
                {"type": "note", "name": f"{page.id}_intro", **self.text("label", page.intro), "stimmen::type": "intro"}
            )
        for question in page.questions:
            if isinstance(question, Matrix):
                self._matrix(question)
            else:
                survey.append(self._question(question))
        survey.append({"type": "end_group", "name": page.id})

    def _relevant(self, relevant: str | None) -> Row:
        if not relevant:
            return {}
        cell = self._xpath(lambda: to_xpath(relevant, self.names), relevant)
        row = {"relevant": cell}
        if not reads_back(cell, relevant, self._resolve):
            row["stimmen::relevant"] = relevant
        return row

    def _constraint(self, kind: str, question: Any, bounds: dict[str, float | None]) -> Row:
        constraint = getattr(question, "constraint", None)
        cell = self._xpath(lambda: constraint_cell(kind, bounds, constraint, self.names), constraint or "")
        row: Row = {"constraint": cell} if cell else {}
        limits = terms(kind, dict(bounds))
        if not reads_back(cell, constraint, self._resolve, Symbol(question.id), limits):
            row["stimmen::constraint"] = constraint or ""
        row |= {f"stimmen::{name}": number_text(value) for name, value in bounds.items() if value is not None}
        return row | self.text("constraint_message", getattr(question, "constraint_message", None))

    def _xpath(self, convert: Any, source: str) -> str:
        try:
            return convert()
        except XPathError as exc:
            raise ExportError(f"cannot write {source!r} as an XLSForm expression: {exc}") from None

    def _resolve(self, name: str) -> Symbol:
        if name not in self.symbols:
            raise XPathError(name)
        return self.symbols[name]

    def _question(self, question: Any) -> Row:
        row: Row = {"type": "", "name": question.id, **self.text("label", question.text)}
        row |= self.text("hint", getattr(question, "hint", None))
        if getattr(question, "required", False):
            row["required"] = "yes"
        row |= self._relevant(question.relevant)
        row["stimmen::type"] = question.type
        if isinstance(question, Note):
            row["type"] = "note"
            return row
        bounds: dict[str, float | None] = {}
        if isinstance(question, SingleChoice | MultipleChoice):
            row["type"] = f"{'select_one' if isinstance(question, SingleChoice) else 'select_multiple'} "
            row["type"] += self._choices_of(question, row) + (" or_other" if question.other else "")
            if isinstance(question, MultipleChoice):
                bounds = {"min_selected": question.min_selected, "max_selected": question.max_selected}
        elif isinstance(question, Scale):
            row["type"] = f"select_one {self._scale(question)}"
            row["appearance"] = "likert"
        elif isinstance(question, ShortText | LongText):
            row["type"] = "text"
            row["stimmen::max_length"] = str(question.max_length)
            if isinstance(question, LongText):
                row["appearance"] = "multiline"
        elif isinstance(question, Number):
            row["type"] = "integer" if question.integer else "decimal"
            bounds = {"min": question.min, "max": question.max}
            row |= self.text("stimmen::unit", question.unit)
        elif isinstance(question, District):
            row["type"] = "text"
        elif isinstance(question, Consent):
            row["type"] = "acknowledge"
        row |= self._constraint(question.type, question, bounds)
        if isinstance(question, ClosedQuestion):
            row["stimmen::no_answer"] = "true" if question.no_answer else "false"
        return row

    def _matrix(self, question: Matrix) -> None:
        survey = self.sheets.survey
        group: Row = {"type": "begin_group", "name": question.id, **self.text("label", question.text)}
        group |= self.text("hint", question.hint) | self._relevant(question.relevant)
        group |= {"appearance": "table-list", "stimmen::type": "matrix"}
        list_name = self._choices_of(question, group)
        group |= self._constraint("matrix", question, {})
        group["stimmen::no_answer"] = "true" if question.no_answer else "false"
        if question.rotate:
            group["stimmen::rotate"] = "true"
        survey.append(group)
        for item in question.items:
            member: Row = {"type": f"select_one {list_name}", "name": self.names[f"{question.id}.{item.id}"]}
            member |= self.text("label", item.text)
            if question.required:
                member["required"] = "yes"
            survey.append(member)
        survey.append({"type": "end_group", "name": question.id})

    def _choices_of(self, question: SingleChoice | MultipleChoice | Matrix, row: Row) -> str:
        if isinstance(question.choices, str):
            row["stimmen::list"] = "shared"
            if question.choices not in self.written_lists:
                self._choices(question.choices, self.q.choice_lists[question.choices])
            return self.lists[question.choices]
        name = self._list_name(question.id)
        self._write_choices(name, question.choices)
        return name

    def _choices(self, name: str, choices: list[Choice]) -> None:
        self.written_lists.add(name)
        self._write_choices(self.lists[name], choices)

    def _write_choices(self, list_name: str, choices: list[Choice]) -> None:
        for choice in choices:
            row = {"list_name": list_name, "name": choice.value, **self.text("label", choice.text)}
            if choice.exclusive:
                row["stimmen_exclusive"] = "true"  # pyxform turns "::" in choice columns into XML
            self.sheets.choices.append(row)

    def _scale(self, question: Scale) -> str:
        """Points as choices named 1…n; the end labels are the first and last choice labels."""
        name = self._list_name(question.id)
        for point in range(question.min, question.max + 1):
            label = self.text("label", question.min_label) if point == question.min else {}
            label = self.text("label", question.max_label) if point == question.max else label
            self.sheets.choices.append(
                {"list_name": name, "name": str(point), **(label or self.same("label", str(point)))}
            )
        return name
