"""Limits hidden in XLSForm constraints: ``. >= 1 and . <= 20`` is Stimmen's ``min``/``max``.

XLSForm has no fields for a number's range, a multiple choice's number of answers or a text's length;
forms write them as constraint terms. Stimmen has fields for them, with built-in, translated messages.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass

from survey.xlsform.xpath import LENGTH


@dataclass(frozen=True)
class Bound:
    field: str
    lower: bool
    """``>=`` (a lower limit) or ``<=``."""
    function: str | None
    """What is limited: the answer itself (None), ``count`` of choices or the text's length."""


BOUNDS: dict[str, tuple[Bound, ...]] = {
    "number": (Bound("min", True, None), Bound("max", False, None)),
    "multiple_choice": (Bound("min_selected", True, "count"), Bound("max_selected", False, "count")),
    "short_text": (Bound("max_length", False, LENGTH),),
    "long_text": (Bound("max_length", False, LENGTH),),
}
EXPORTED = {"number": BOUNDS["number"], "multiple_choice": BOUNDS["multiple_choice"]}
"""Bounds Stimmen writes into the constraint of an exported form, so XLSForm tools enforce them too."""


def conjuncts(tree: ast.expr | None) -> list[ast.expr]:
    if tree is None:
        return []
    if isinstance(tree, ast.BoolOp) and isinstance(tree.op, ast.And):
        return list(tree.values)
    return [tree]


def join(parts: list[ast.expr]) -> ast.expr | None:
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else ast.BoolOp(ast.And(), parts)


def term(bound: Bound, number: float) -> ast.expr:
    subject: ast.expr = ast.Name("value", ast.Load())
    if bound.function:
        subject = ast.Call(ast.Name(bound.function, ast.Load()), [subject], [])
    op = ast.GtE() if bound.lower else ast.LtE()
    number = int(number) if float(number).is_integer() else number
    return ast.Compare(subject, [op], [ast.Constant(number)])


def terms(
    kind: str, values: dict[str, float | None], bounds: dict[str, tuple[Bound, ...]] = EXPORTED
) -> list[ast.expr]:
    return [term(b, values[b.field]) for b in bounds.get(kind, ()) if values.get(b.field) is not None]


def extract(kind: str, tree: ast.expr | None) -> tuple[dict[str, float], ast.expr | None]:
    """Take the first matching term per bound out of a constraint; what remains stays a constraint."""
    found: dict[str, float] = {}
    rest: list[ast.expr] = []
    for part in conjuncts(tree):
        for bound in BOUNDS.get(kind, ()):
            number = _limit(part, bound)
            if number is not None and bound.field not in found:
                found[bound.field] = number
                break
        else:
            rest.append(part)
    return found, join(rest)


def strip_prefix(expected: list[ast.expr], tree: ast.expr | None) -> ast.expr | bool | None:
    """The constraint after the bound terms Stimmen wrote first; False when they are not there unchanged."""
    parts = conjuncts(tree)
    if [ast.dump(p) for p in parts[: len(expected)]] != [ast.dump(e) for e in expected]:
        return False
    return join(parts[len(expected) :])


def _limit(part: ast.expr, bound: Bound) -> float | None:
    if not (isinstance(part, ast.Compare) and len(part.ops) == 1):
        return None
    op, left, right = part.ops[0], part.left, part.comparators[0]
    if _number(left) is not None:  # 1 <= . is . >= 1
        op, left, right = _MIRRORED.get(type(op), ast.Eq)(), right, left
    want = ast.GtE if bound.lower else ast.LtE
    if not isinstance(op, want) or not _is_subject(left, bound.function):
        return None
    return _number(right)


_MIRRORED: dict[type[ast.cmpop], type[ast.cmpop]] = {ast.LtE: ast.GtE, ast.GtE: ast.LtE}


def _is_subject(node: ast.expr, function: str | None) -> bool:
    if function is None:
        return isinstance(node, ast.Name) and node.id == "value"
    return (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id == function
        and len(node.args) == 1
        and _is_subject(node.args[0], None)
    )


def _number(node: ast.expr) -> float | None:
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        inner = _number(node.operand)
        return None if inner is None else -inner
    if isinstance(node, ast.Constant) and isinstance(node.value, int | float) and not isinstance(node.value, bool):
        return node.value
    return None
