"""Reading questionnaire YAML with line numbers, and validating it beyond what the schema can say."""

from __future__ import annotations

import ast
import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from survey.questionnaire.expressions import FUNCTIONS, Expression, ExpressionError
from survey.questionnaire.schema import (
    NO_ANSWER,
    OTHER,
    QUESTION_TYPES,
    Matrix,
    MultipleChoice,
    Number,
    Questionnaire,
    Scale,
    SingleChoice,
)

RESERVED_IDS = {"value", *FUNCTIONS}
TYPE_TAGS = set(QUESTION_TYPES)
Report = Callable[[str, str, str], None]


@dataclass(frozen=True)
class Problem:
    """One error, located so an author can jump to it."""

    file: str
    line: int | None
    where: str
    message: str

    def __str__(self) -> str:
        location = f"{self.file}:{self.line}" if self.line else self.file
        return f"{location}: {self.where}: {self.message}" if self.where else f"{location}: {self.message}"


class QuestionnaireError(ValueError):
    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


class _Mapping(dict):
    """A YAML mapping that remembers on which line each key stands."""

    line: int
    key_lines: dict[str, int]


class _LineLoader(yaml.SafeLoader):
    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> _Mapping:  # type: ignore[override]
        mapping = _Mapping(super().construct_mapping(node, deep=True))
        mapping.line = node.start_mark.line + 1
        mapping.key_lines = {k.value: k.start_mark.line + 1 for k, _ in node.value if isinstance(k, yaml.ScalarNode)}
        return mapping


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _LineLoader.construct_mapping)


def content_hash(source: str) -> str:
    return hashlib.sha256(source.encode("utf-8")).hexdigest()


def parse(source: str, filename: str = "<questionnaire>") -> Questionnaire:
    """Parse and validate questionnaire YAML; raises QuestionnaireError listing every problem found."""
    try:
        raw = yaml.load(source, Loader=_LineLoader)  # noqa: S506 - SafeLoader subclass
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark else None
        raise QuestionnaireError([Problem(filename, line, "", f"not valid YAML: {exc}")]) from None
    if not isinstance(raw, dict):
        raise QuestionnaireError([Problem(filename, 1, "", "expected a mapping with id, title, consent and pages")])
    try:
        questionnaire = Questionnaire.model_validate(raw)
    except ValidationError as exc:
        raise QuestionnaireError([_schema_problem(filename, raw, err) for err in exc.errors()]) from None
    problems = _semantic_problems(questionnaire, raw, filename)
    if problems:
        raise QuestionnaireError(problems)
    return questionnaire


def load(path: Path) -> Questionnaire:
    return parse(path.read_text(encoding="utf-8"), str(path))


def _locate(raw: Any, loc: tuple[Any, ...]) -> tuple[int | None, str, Any]:
    """Follow a pydantic error location into the YAML tree: the nearest line and question/page id."""
    node, line, where = raw, getattr(raw, "line", None), ""
    for part in loc:
        if isinstance(node, dict):
            if part in getattr(node, "key_lines", {}):
                line = node.key_lines[part]
            if part not in node:
                continue  # discriminator and union tags are not part of the YAML path
            node = node[part]
        elif isinstance(node, list) and isinstance(part, int) and part < len(node):
            node = node[part]
        else:
            continue
        if isinstance(node, dict):
            line = getattr(node, "line", line)
            if isinstance(node.get("id"), str):
                where = f"{'page' if 'questions' in node else 'question'} '{node['id']}'"
    return line, where, node


def _schema_problem(filename: str, raw: Any, err: dict[str, Any]) -> Problem:
    loc = tuple(err["loc"])
    line, where, node = _locate(raw, loc)
    field = ".".join(str(p) for p in loc if p not in TYPE_TAGS)
    message = err["msg"]
    if err["type"] == "union_tag_invalid":
        message = f"unknown question type {err['input'].get('type')!r}; expected one of {err['ctx']['expected_tags']}"
        line = getattr(node, "key_lines", {}).get("type", line)
    elif err["type"] == "extra_forbidden":
        message = f"unknown field {loc[-1]!r}"
    elif err["type"] == "missing":
        message = f"missing required field {loc[-1]!r}"
    return Problem(filename, line, where, f"{field}: {message}" if field else message)


def _semantic_problems(q: Questionnaire, raw: Any, filename: str) -> list[Problem]:
    problems: list[Problem] = []
    seen: set[str] = set()
    earlier: dict[str, Any] = {}  # question id -> question, for questions on pages before the current one
    for page, raw_page in zip(q.pages, raw["pages"], strict=True):

        def report(owner: str, kind: str, message: str, line: int = raw_page.line) -> None:
            problems.append(Problem(filename, line, f"{kind} '{owner}'", message))

        if page.id in seen:
            report(page.id, "page", "id used twice")
        seen.add(page.id)
        _check_expression(q, page.relevant, earlier, page.id, "page", "relevant", report)
        on_page: dict[str, Any] = {}
        for question, raw_question in zip(page.questions, raw_page["questions"], strict=True):

            def problem(owner: str, kind: str, message: str, line: int = raw_question.line) -> None:
                problems.append(Problem(filename, line, f"{kind} '{owner}'", message))

            if question.id in seen:
                problem(question.id, "question", "id used twice")
            if question.id in RESERVED_IDS:
                problem(question.id, "question", f"'{question.id}' is reserved in expressions; choose another id")
            seen.add(question.id)
            _check_expression(q, question.relevant, earlier, question.id, "question", "relevant", problem)
            if question.collects_answer:
                own = {**earlier, **on_page, "value": question}
                _check_expression(q, question.constraint, own, question.id, "question", "constraint", problem)
                _check_question(q, question, problem)
                on_page[question.id] = question
        earlier.update(on_page)
    return problems


def _check_question(q: Questionnaire, question: Any, problem: Report) -> None:
    if isinstance(question, SingleChoice | MultipleChoice | Matrix):
        if isinstance(question.choices, str) and question.choices not in q.choice_lists:
            problem(question.id, "question", f"unknown choice list '{question.choices}'")
            return
        values = [c.value for c in q.choices_of(question)]
        if len(values) != len(set(values)):
            problem(question.id, "question", "choice values must be unique")
        if getattr(question, "other", False) and OTHER in values:
            problem(question.id, "question", f"'other: true' adds the choice '{OTHER}' itself; remove it from choices")
        if len(values) < 2 and not isinstance(question, MultipleChoice):
            problem(question.id, "question", "needs at least two choices")
    if isinstance(question, Matrix):
        ids = [item.id for item in question.items]
        if len(ids) != len(set(ids)):
            problem(question.id, "question", "matrix item ids must be unique")
    bounds = (question.min_selected, question.max_selected) if isinstance(question, MultipleChoice) else (None, None)
    if None not in bounds and bounds[0] > bounds[1]:
        problem(question.id, "question", "min_selected is larger than max_selected")
    bounds = (question.min, question.max) if isinstance(question, Number | Scale) else (None, None)
    if None not in bounds and bounds[0] >= bounds[1]:
        problem(question.id, "question", "min must be smaller than max")


def _check_expression(
    q: Questionnaire, source: str | None, known: dict[str, Any], owner: str, kind: str, field: str, problem: Report
) -> None:
    if source is None:
        return
    try:
        expression = Expression.parse(source)
    except ExpressionError as exc:
        problem(owner, kind, f"{field}: {exc}")
        return
    for name in sorted(expression.names - set(known)):
        hint = " (skip logic can only use answers from earlier pages)" if field == "relevant" else ""
        problem(owner, kind, f"{field}: unknown question '{name}'{hint}")
    _check_attributes(expression, known, owner, kind, field, problem)
    _check_choice_literals(q, expression, known, owner, kind, field, problem)


def _check_attributes(
    expression: Expression, known: dict[str, Any], owner: str, kind: str, field: str, problem: Report
) -> None:
    for node in ast.walk(expression.tree):
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
            target = known.get(node.value.id)
            if target is None:
                continue
            if not isinstance(target, Matrix):
                problem(owner, kind, f"{field}: '{node.value.id}' is not a matrix, so '.{node.attr}' is meaningless")
            elif node.attr not in {item.id for item in target.items}:
                problem(owner, kind, f"{field}: matrix '{node.value.id}' has no item '{node.attr}'")


def _choice_values(q: Questionnaire, question: Any) -> set[str] | None:
    """Values a choice question can hold, or None where any value is possible."""
    if isinstance(question, SingleChoice | MultipleChoice | Matrix):
        if isinstance(question.choices, str) and question.choices not in q.choice_lists:
            return None  # reported as an unknown choice list already
        return {c.value for c in q.choices_of(question)} | {OTHER, NO_ANSWER}
    return None


def _check_choice_literals(
    q: Questionnaire, expression: Expression, known: dict[str, Any], owner: str, kind: str, field: str, problem: Report
) -> None:
    """``q == 'ja'`` when the choice is 'yes' would silently never hold: catch it on load."""

    def question_of(node: ast.AST) -> Any:
        if isinstance(node, ast.Name):
            return known.get(node.id)
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
            return known.get(node.value.id)
        return None

    def literals(node: ast.AST) -> list[str]:
        nodes = node.elts if isinstance(node, ast.List | ast.Tuple) else [node]
        return [n.value for n in nodes if isinstance(n, ast.Constant) and isinstance(n.value, str)]

    pairs: list[tuple[ast.AST, ast.AST]] = []
    for node in ast.walk(expression.tree):
        if isinstance(node, ast.Compare):
            operands = [node.left, *node.comparators]
            for a, b in pairwise(operands):
                pairs += [(a, b), (b, a)]
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "selected":
            pairs.append((node.args[0], node.args[1]))
    for target, other in pairs:
        question = question_of(target)
        allowed = _choice_values(q, question) if question is not None else None
        if allowed is None:
            continue
        for literal in literals(other):
            if literal not in allowed:
                problem(owner, kind, f"{field}: '{question.id}' has no choice '{literal}'")
