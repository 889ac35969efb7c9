"""One XLSForm field (or table-list group) → one Stimmen question as a plain dict, in YAML key order."""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from typing import Any

from survey.questionnaire.schema import OTHER
from survey.xlsform.choices import ChoiceList
from survey.xlsform.errors import Report
from survey.xlsform.logic import Logic
from survey.xlsform.spelling import python_source
from survey.xlsform.texts import Translations, row_text
from survey.xlsform.tree import Field, Group
from survey.xlsform.workbook import Row, flag
from survey.xlsform.xpath import Symbol

KIND_TYPES: dict[str, tuple[str, set[str]]] = {
    "text": ("short_text", {"short_text", "long_text", "district"}),
    "integer": ("number", {"number"}),
    "decimal": ("number", {"number"}),
    "select_one": ("single_choice", {"single_choice", "scale"}),
    "select_multiple": ("multiple_choice", {"multiple_choice"}),
    "acknowledge": ("consent", {"consent"}),
    "note": ("note", {"note"}),
}
CLOSED = {"single_choice", "multiple_choice", "scale", "matrix", "district"}


@dataclass
class Context:
    """What converting a question needs from the whole form."""

    texts: Translations
    logic: Logic
    lists: dict[str, ChoiceList]
    shared: set[str]
    """Form list names that become named ``choice_lists`` (the rest are written inline)."""
    report: Report
    choice_lists: dict[str, list[dict[str, Any]]] = field(default_factory=dict)


def stimmen_type(field_: Field, report: Report) -> str:
    default, allowed = KIND_TYPES[field_.kind]
    if field_.kind == "text" and "multiline" in field_.row.word("appearance").lower().split():
        default = "long_text"
    wanted = field_.stimmen_type
    if wanted and wanted not in allowed:
        report.warn(field_.row.at("stimmen::type"), f"'{wanted}' does not fit type '{field_.kind}'; ignored")
        return default
    return wanted or default


def question(ctx: Context, field_: Field, qid: str, outer_relevant: str | None = None) -> dict[str, Any] | None:
    row, kind = field_.row, stimmen_type(field_, ctx.report)
    result: dict[str, Any] = {"id": qid, "type": kind}
    text = ctx.texts.source(row, "label", required=True, what="the question text (label)")
    if text is None:
        return None
    result["text"] = text
    relevant = both(outer_relevant, ctx.logic.relevant(row))
    if kind == "note":
        if row_text(row, "hint"):
            ctx.report.warn(row.at("hint"), "a Stimmen note has no hint; the hint is dropped")
        return {**result, **({"relevant": relevant} if relevant else {})}
    _common(ctx, row, result, relevant)
    bounds, constraint = ctx.logic.constraint(row, kind, ctx.logic.symbols[field_.name])
    if constraint:
        result["constraint"] = constraint
    if (
        row_text(row, "constraint_message")
        and row.word("constraint")
        and not constraint
        and not row.word("stimmen::type")
    ):
        ctx.report.warn(
            row.at("constraint_message"),
            "the constraint became limits (min, max, …), which Stimmen checks with its own translated messages; "
            "the constraint message is dropped",
        )
    elif message := ctx.texts.source(row, "constraint_message"):
        result["constraint_message"] = message
    if kind in ("single_choice", "multiple_choice"):
        _choices(ctx, field_, result)
        if kind == "multiple_choice":
            result.update({k: int(v) for k, v in bounds.items() if k in ("min_selected", "max_selected")})
    elif kind == "scale":
        _scale(ctx, field_, result)
    elif kind == "number":
        result.update({k: v for k, v in bounds.items() if k in ("min", "max")})
        result["integer"] = field_.kind == "integer"
        if unit := ctx.texts.source(row, "stimmen::unit"):
            result["unit"] = unit
    elif kind in ("short_text", "long_text") and "max_length" in bounds:
        result["max_length"] = int(bounds["max_length"])
    if kind in CLOSED:
        _no_answer(ctx, row, result, ctx.lists.get(field_.list_name or ""))
    return _lists_last(result)


def matrix(ctx: Context, group: Group, qid: str, members: list[Field], item_ids: list[str]) -> dict[str, Any] | None:
    """A table-list group: the group is the question, each select_one in it an item on the shared scale."""
    assert group.row is not None
    row = group.row
    text = ctx.texts.source(row, "label", required=True, what="the matrix question text (group label)")
    if text is None:
        return None
    result: dict[str, Any] = {"id": qid, "type": "matrix", "text": text}
    _common(ctx, row, result, ctx.logic.relevant(row))
    required = [flag(m.row.get("required")) is True for m in members]
    if any(required) and not all(required):
        ctx.report.warn(row.at(), f"matrix '{group.name}': only some rows are required; Stimmen requires all or none")
    if all(required):
        result["required"] = True
    if flag(row.get("stimmen::rotate")):
        result["rotate"] = True
    _, constraint = ctx.logic.constraint(row, "matrix", Symbol(qid))
    if constraint:
        result["constraint"] = constraint
    if message := ctx.texts.source(row, "constraint_message"):
        result["constraint_message"] = message
    items = []
    for member, item_id in zip(members, item_ids, strict=True):
        for column in ("relevant", "constraint", "hint"):
            if member.row.get(column).strip() or (column == "hint" and row_text(member.row, "hint")):
                ctx.report.warn(member.row.at(column), f"a matrix row has no {column} in Stimmen; it is dropped")
        item_text = ctx.texts.source(member.row, "label", required=True, what="the matrix row text (label)")
        items.append({"id": item_id, "text": item_text})
    result["items"] = items
    _choices(ctx, members[0], result)
    result.pop("other", None)
    _no_answer(ctx, row, result, ctx.lists.get(members[0].list_name or ""))
    return _lists_last(result)


def _lists_last(result: dict[str, Any]) -> dict[str, Any]:
    """Short settings first, long lists of items and choices at the end, as in hand-written YAML."""
    return {k: v for k, v in result.items() if k not in ("items", "choices")} | {
        k: result[k] for k in ("items", "choices") if k in result
    }


IGNORED = {
    "choice_filter": "all choices are shown",
    "default": "Stimmen starts every answer empty",
    "calculation": "Stimmen does not calculate",
    "read_only": "every Stimmen question can be answered",
}


def _common(ctx: Context, row: Row, result: dict[str, Any], relevant: str | None) -> None:
    for column, consequence in IGNORED.items():
        if row.word(column):
            ctx.report.warn(row.at(column), f"{column} has no Stimmen equivalent and is ignored: {consequence}")
    if hint := ctx.texts.source(row, "hint"):
        result["hint"] = hint
    required = flag(row.get("required"))
    if required is None:
        ctx.report.warn(
            row.at("required"),
            f"'{row.word('required')}' is a condition; Stimmen requires an answer always or never (here: never)",
        )
    if required:
        result["required"] = True
    if relevant:
        result["relevant"] = relevant


def both(first: str | None, second: str | None) -> str | None:
    if not first or not second:
        return first or second
    parts = [ast.parse(part, mode="eval").body for part in (first, second)]
    return python_source(ast.BoolOp(ast.And(), parts))


def _choices(ctx: Context, field_: Field, result: dict[str, Any]) -> None:
    choices = ctx.lists[field_.list_name or ""]
    if field_.list_name in ctx.shared:
        if choices.id not in ctx.choice_lists:
            ctx.choice_lists[choices.id] = choice_dicts(ctx, choices)
        result["choices"] = choices.id
    else:
        result["choices"] = choice_dicts(ctx, choices)
    if field_.or_other:
        if any(choice.value == OTHER for choice in choices.choices):
            ctx.report.warn(
                field_.row.at("type"),
                f"list '{choices.name}' already has a choice '{OTHER}', so or_other adds nothing (no free text)",
            )
        else:
            result["other"] = True


def choice_dicts(ctx: Context, choices: ChoiceList) -> list[dict[str, Any]]:
    if note := choices.renamed():
        ctx.report.warn(choices.row.at("name"), note)
    result = []
    for choice in choices.choices:
        text = ctx.texts.source(choice.row, "label", required=True, what=f"the text of choice '{choice.name}'")
        result.append(
            {"value": choice.value, "text": text or choice.name, **({"exclusive": True} if choice.exclusive else {})}
        )
    return result


def _scale(ctx: Context, field_: Field, result: dict[str, Any]) -> None:
    choices = ctx.lists[field_.list_name or ""].choices
    try:
        points = [int(choice.name) for choice in choices]
    except ValueError:
        points = []
    if len(points) < 2 or points != list(range(points[0], points[0] + len(points))):
        ctx.report.error(field_.row.at("type"), "a scale needs a list of consecutive whole numbers (1, 2, 3, …)")
        return
    result["min"], result["max"] = points[0], points[-1]
    result["min_label"] = ctx.texts.source(choices[0].row, "label", required=True, what="the scale's lowest label")
    result["max_label"] = ctx.texts.source(choices[-1].row, "label", required=True, what="the scale's highest label")


def _no_answer(ctx: Context, row: Row, result: dict[str, Any], choices: ChoiceList | None) -> None:
    """Explicit ``stimmen::no_answer`` wins; otherwise only a form's own prefer-not-to-say choice turns it on."""
    given = flag(row.get("stimmen::no_answer")) if row.word("stimmen::no_answer") else None
    offered = given if given is not None else (choices is not None and choices.no_answer is not None)
    if not offered:
        result["no_answer"] = False
