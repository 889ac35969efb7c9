"""The questionnaire as a numbered paper form: question numbers and skip instructions people can follow."""

from __future__ import annotations

import ast
from dataclasses import dataclass
from typing import Any

from survey.questionnaire.expressions import Expression
from survey.questionnaire.schema import Matrix, MultipleChoice, Note, Page, Questionnaire, SingleChoice


@dataclass(frozen=True)
class Condition:
    """When to answer, in words: "only if you answered <choice> to question <number>"."""

    number: int
    choice_text: str | None
    """None: "only if you answered question <number>"."""


@dataclass(frozen=True)
class PaperQuestion:
    number: int | None
    question: Any
    conditions: list[Condition] | None
    """None: no condition; []: a condition too complex to put in words ("only if it applies to you")."""


@dataclass(frozen=True)
class PaperPage:
    page: Page
    conditions: list[Condition] | None
    questions: list[PaperQuestion]


def paper_form(questionnaire: Questionnaire) -> list[PaperPage]:
    numbers: dict[str, int] = {}
    pages: list[PaperPage] = []
    for page in questionnaire.pages:
        items = []
        for question in page.questions:
            number = None
            if not isinstance(question, Note):
                number = numbers[question.id] = len(numbers) + 1
            items.append(PaperQuestion(number, question, _conditions(questionnaire, question.relevant, numbers)))
        pages.append(PaperPage(page, _conditions(questionnaire, page.relevant, numbers), items))
    return pages


def _conditions(q: Questionnaire, source: str | None, numbers: dict[str, int]) -> list[Condition] | None:
    """Simple conditions (one or several alternatives joined by "or") in words; [] when too complex."""
    if source is None:
        return None
    body = Expression.parse(source).tree.body
    parts = body.values if isinstance(body, ast.BoolOp) and isinstance(body.op, ast.Or) else [body]
    conditions = [_condition(q, part, numbers) for part in parts]
    return [] if None in conditions else conditions


def _condition(q: Questionnaire, node: ast.AST, numbers: dict[str, int]) -> Condition | None:
    match node:
        case ast.Compare(left=ast.Name(id=name), ops=[ast.Eq()], comparators=[ast.Constant(value=str() as value)]):
            return _choice(q, name, value, numbers)
        case ast.Call(func=ast.Name(id="selected"), args=[ast.Name(id=name), ast.Constant(value=str() as value)]):
            return _choice(q, name, value, numbers)
        case ast.Call(func=ast.Name(id="answered" | "count"), args=[ast.Name(id=name)]) if name in numbers:
            return Condition(numbers[name], None)
        case ast.Compare(
            left=ast.Call(func=ast.Name(id="count"), args=[ast.Name(id=name)]),
            ops=[ast.Gt()],
            comparators=[ast.Constant(value=0)],
        ) if name in numbers:
            return Condition(numbers[name], None)
    return None


def _choice(q: Questionnaire, name: str, value: str, numbers: dict[str, int]) -> Condition | None:
    question = q.question(name) if name in numbers else None
    if not isinstance(question, SingleChoice | MultipleChoice | Matrix):
        return None
    text = next((c.text for c in q.choices_of(question) if c.value == value), None)
    return Condition(numbers[name], text) if text else None
