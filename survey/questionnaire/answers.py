"""Turning a submitted page (form fields) into checked answer cells, and cells back into form fields.

Pure functions over plain data, so the web layer, paper entry and imports check answers the same way.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from babel import Locale
from babel.numbers import NumberFormatError, format_decimal, parse_decimal

from survey.questionnaire.expressions import Expression
from survey.questionnaire.schema import (
    NO_ANSWER,
    OTHER,
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


def N_(message: str) -> str:
    return message


ERROR_MESSAGES = {
    "required": N_("Please answer this question."),
    "required_item": N_("Please answer this line."),
    "invalid_choice": N_("Please choose one of the options shown."),
    "other_missing": N_("Please say what “other” means for you, or untick it."),
    "exclusive": N_("“%(choice)s” cannot be combined with other answers."),
    "too_few": N_("Please choose at least %(min)s answers."),
    "too_many": N_("Please choose at most %(max)s answers."),
    "not_a_number": N_("Please enter a number, for example %(example)s."),
    "not_integer": N_("Please enter a whole number."),
    "too_small": N_("Please enter a number of at least %(min)s."),
    "too_large": N_("Please enter a number of at most %(max)s."),
    "too_long": N_("Please shorten your answer to at most %(max)s characters (now %(length)s)."),
    "consent_required": N_("Please tick this box to continue."),
    "constraint": N_("Please check this answer."),
}


@dataclass(frozen=True)
class FieldError:
    code: str
    params: dict[str, Any] = field(default_factory=dict)
    custom: str | None = None
    """A questionnaire's own constraint message (questionnaire text, translated via its catalog)."""


@dataclass(frozen=True)
class Cell:
    """One stored value: a question (and matrix item) with a value and/or free text."""

    question_id: str
    item: str = ""
    value: Any = None
    text: str | None = None


@dataclass
class PageResult:
    cells: list[Cell]
    errors: dict[str, FieldError]
    """Keyed by form field name (question id, or ``question.item`` for matrix lines)."""

    @property
    def valid(self) -> bool:
        return not self.errors


Form = Mapping[str, str | Sequence[str]]


def _all(form: Form, name: str) -> list[str]:
    raw = form.get(name)
    if raw is None:
        return []
    return [raw] if isinstance(raw, str) else list(raw)


def _one(form: Form, name: str) -> str:
    values = _all(form, name)
    return values[-1].strip() if values else ""


def clean_text(raw: str) -> str:
    """NFC, no control characters except line breaks and tabs, trimmed."""
    text = unicodedata.normalize("NFC", raw.replace("\r\n", "\n"))
    return "".join(ch for ch in text if ch in "\n\t" or unicodedata.category(ch)[0] != "C" or ch == "\u200c").strip()


def values_of(cells: Sequence[Cell]) -> dict[str, Any]:
    """The answers as expressions see them: matrix → {item: value}, free text → its text."""
    values: dict[str, Any] = {}
    for cell in cells:
        if cell.item:
            values.setdefault(cell.question_id, {})[cell.item] = cell.value
        else:
            values[cell.question_id] = cell.value if cell.value is not None else cell.text
    return values


def is_shown(condition: str | None, values: Mapping[str, Any]) -> bool:
    return condition is None or Expression.parse(condition).holds(values)


def relevant_questions(page: Page, values: Mapping[str, Any]) -> list[Any]:
    return [q for q in page.questions if is_shown(q.relevant, values)]


def parse_page(
    questionnaire: Questionnaire,
    page: Page,
    form: Form,
    *,
    values: Mapping[str, Any],
    districts: Sequence[str],
    locale: Locale,
    check_required: bool = True,
) -> PageResult:
    """Check every shown question of a page; ``values`` are the answers from earlier pages."""
    result = PageResult(cells=[], errors={})
    for question in relevant_questions(page, values):
        if isinstance(question, Note):
            continue
        _parse_question(questionnaire, question, form, districts, locale, result)
    if not check_required:
        result.errors = {name: err for name, err in result.errors.items() if not err.code.startswith("required")}
    return result


def _parse_question(
    questionnaire: Questionnaire,
    question: Any,
    form: Form,
    districts: Sequence[str],
    locale: Locale,
    result: PageResult,
) -> None:
    qid = question.id
    errors = result.errors
    if isinstance(question, Matrix):
        allowed = {c.value for c in questionnaire.choices_of(question)} | ({NO_ANSWER} if question.no_answer else set())
        for item in question.items:
            name = f"{qid}.{item.id}"
            chosen = _one(form, name)
            if not chosen:
                if question.required:
                    errors[name] = FieldError("required_item")
                continue
            if chosen not in allowed:
                errors[name] = FieldError("invalid_choice")
                continue
            result.cells.append(Cell(qid, item.id, chosen))
        return

    cell: Cell | None = None
    if isinstance(question, SingleChoice | District):
        chosen = _one(form, qid)
        allowed = _allowed(questionnaire, question, districts)
        if chosen and chosen not in allowed:
            errors[qid] = FieldError("invalid_choice")
            return
        if chosen:
            cell = Cell(qid, value=chosen)
            if chosen == OTHER:
                cell = _with_other_text(question, form, cell, errors)
    elif isinstance(question, MultipleChoice):
        chosen_list = list(dict.fromkeys(v.strip() for v in _all(form, qid) if v.strip()))
        allowed = _allowed(questionnaire, question, districts)
        if any(v not in allowed for v in chosen_list):
            errors[qid] = FieldError("invalid_choice")
            return
        exclusive = [c for c in questionnaire.choices_of(question) if c.exclusive and c.value in chosen_list]
        if len(chosen_list) > 1 and (exclusive or NO_ANSWER in chosen_list):
            text = exclusive[0].text if exclusive else None
            errors[qid] = FieldError("exclusive", {"choice": text} if text else {"choice": NO_ANSWER})
            return
        real = [v for v in chosen_list if v != NO_ANSWER]
        if real and question.min_selected and len(real) < question.min_selected:
            errors[qid] = FieldError("too_few", {"min": question.min_selected})
            return
        if real and question.max_selected and len(real) > question.max_selected:
            errors[qid] = FieldError("too_many", {"max": question.max_selected})
            return
        if chosen_list:
            cell = Cell(qid, value=chosen_list)
            if OTHER in chosen_list:
                cell = _with_other_text(question, form, cell, errors)
    elif isinstance(question, Scale):
        chosen = _one(form, qid)
        allowed = {str(n) for n in range(question.min, question.max + 1)}
        if (chosen and chosen != NO_ANSWER and chosen not in allowed) or (
            chosen == NO_ANSWER and not question.no_answer
        ):
            errors[qid] = FieldError("invalid_choice")
            return
        if chosen:
            cell = Cell(qid, value=chosen if chosen == NO_ANSWER else int(chosen))
    elif isinstance(question, ShortText | LongText):
        text = clean_text(_one(form, qid))
        if len(text) > question.max_length:
            errors[qid] = FieldError("too_long", {"max": question.max_length, "length": len(text)})
            return
        if text:
            cell = Cell(qid, text=text)
    elif isinstance(question, Number):
        raw = _one(form, qid)
        if raw:
            number = _parse_number(question, raw, locale, errors)
            if number is None:
                return
            cell = Cell(qid, value=number)
    elif isinstance(question, Consent):
        ticked = _one(form, qid) == "yes"
        if question.required and not ticked:
            errors[qid] = FieldError("consent_required")
            return
        cell = Cell(qid, value=ticked)

    if cell is None:
        if question.required:
            errors[qid] = FieldError("required")
        return
    if qid in errors:
        return
    if question.constraint and cell.value not in (None, NO_ANSWER):
        own = {**values_of(result.cells), "value": cell.value if cell.value is not None else cell.text}
        if not Expression.parse(question.constraint).holds(own):
            errors[qid] = FieldError("constraint", custom=question.constraint_message)
            return
    result.cells.append(cell)


def _allowed(questionnaire: Questionnaire, question: Any, districts: Sequence[str]) -> set[str]:
    if isinstance(question, District):
        values = set(districts)
    else:
        values = {c.value for c in questionnaire.choices_of(question)}
        if question.other:
            values.add(OTHER)
    if question.no_answer:
        values.add(NO_ANSWER)
    return values


def _with_other_text(question: Any, form: Form, cell: Cell, errors: dict[str, FieldError]) -> Cell:
    text = clean_text(_one(form, f"{question.id}.other"))[:500]
    if not text:
        errors[f"{question.id}.other"] = FieldError("other_missing")
    return Cell(cell.question_id, value=cell.value, text=text or None)


def _parse_number(question: Number, raw: str, locale: Locale, errors: dict[str, FieldError]) -> float | int | None:
    example = format_decimal(Decimal("12") if question.integer else Decimal("2.5"), locale=locale)
    try:
        number = parse_decimal(raw.replace(" ", ""), locale=locale)
    except NumberFormatError:
        errors[question.id] = FieldError("not_a_number", {"example": example})
        return None
    if not number.is_finite():
        errors[question.id] = FieldError("not_a_number", {"example": example})
        return None
    if question.integer and number != number.to_integral_value():
        errors[question.id] = FieldError("not_integer")
        return None
    if question.min is not None and number < Decimal(str(question.min)):
        errors[question.id] = FieldError("too_small", {"min": format_decimal(question.min, locale=locale)})
        return None
    if question.max is not None and number > Decimal(str(question.max)):
        errors[question.id] = FieldError("too_large", {"max": format_decimal(question.max, locale=locale)})
        return None
    return int(number) if question.integer else float(number)


def form_of(cells: Sequence[Cell], locale: Locale) -> dict[str, list[str]]:
    """Stored cells as the form fields that would have produced them (to prefill a page)."""
    form: dict[str, list[str]] = {}
    for cell in cells:
        name = f"{cell.question_id}.{cell.item}" if cell.item else cell.question_id
        if isinstance(cell.value, bool):
            form[name] = ["yes"] if cell.value else []
        elif isinstance(cell.value, list):
            form[name] = [str(v) for v in cell.value]
        elif isinstance(cell.value, int | float):
            form[name] = [format_decimal(cell.value, locale=locale)]
        elif cell.value is not None:
            form[name] = [str(cell.value)]
        if cell.text is not None:
            form[f"{name}.other" if cell.value is not None else name] = [cell.text]
    return form
