"""Skip logic and constraints: a tiny expression language checked on load and never passed to ``eval``.

The syntax is a small subset of Python expressions, parsed with :mod:`ast` and walked by a whitelist
interpreter. Names are question ids (``value`` is the question's own answer inside a constraint), a
matrix item is ``question.item``; unanswered questions are ``None`` and make every comparison false.
Functions: ``selected(q, 'choice')``, ``count(q)``, ``answered(q)``.
"""

from __future__ import annotations

import ast
import operator
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

MAX_LENGTH = 500


class ExpressionError(ValueError):
    """A syntax or vocabulary error in an expression, worded for questionnaire authors."""


def _selected(value: Any, choice: Any) -> bool:
    if isinstance(value, list):
        return choice in value
    return value is not None and value == choice


def _count(value: Any) -> int:
    if value is None:
        return 0
    return len(value) if isinstance(value, list | dict) else 1


def _answered(value: Any) -> bool:
    return _count(value) > 0 and value != ""


FUNCTIONS: dict[str, Callable[..., Any]] = {"selected": _selected, "count": _count, "answered": _answered}
ARITY = {"selected": 2, "count": 1, "answered": 1}

_COMPARE: dict[type[ast.cmpop], Callable[[Any, Any], bool]] = {
    ast.Eq: operator.eq,
    ast.NotEq: operator.ne,
    ast.Lt: operator.lt,
    ast.LtE: operator.le,
    ast.Gt: operator.gt,
    ast.GtE: operator.ge,
    ast.In: lambda a, b: b is not None and a in b,
    ast.NotIn: lambda a, b: b is None or a not in b,
}
_ARITH: dict[type[ast.operator], Callable[[Any, Any], Any]] = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.Div: operator.truediv,
}


@dataclass(frozen=True)
class Expression:
    """A parsed, validated expression with the question ids it reads."""

    source: str
    tree: ast.Expression
    names: frozenset[str]

    @classmethod
    def parse(cls, source: str) -> Expression:
        """Parsed once per distinct source: questionnaires repeat the same conditions on every request."""
        return _parse(source)

    @classmethod
    def _parse_uncached(cls, source: str) -> Expression:
        if len(source) > MAX_LENGTH:
            raise ExpressionError(f"expression longer than {MAX_LENGTH} characters")
        try:
            tree = ast.parse(source.strip(), mode="eval")
        except SyntaxError as exc:
            raise ExpressionError(f"syntax error in {source!r}: {exc.msg}") from None
        names: set[str] = set()
        _check(tree.body, names)
        return cls(source=source, tree=tree, names=frozenset(names))

    def evaluate(self, values: Mapping[str, Any]) -> Any:
        try:
            return _eval(self.tree.body, values)
        except (TypeError, ZeroDivisionError):
            return None  # e.g. comparing a number with text: the condition is simply not met

    def holds(self, values: Mapping[str, Any]) -> bool:
        return bool(self.evaluate(values))


@lru_cache(maxsize=4096)
def _parse(source: str) -> Expression:
    return Expression._parse_uncached(source)


def _check(node: ast.AST, names: set[str]) -> None:
    """Reject every construct outside the whitelist, before anything is evaluated."""
    match node:
        case ast.Constant(value=v) if v is None or isinstance(v, bool | int | float | str):
            return
        case ast.Name(id=name):
            if name in FUNCTIONS:
                raise ExpressionError(f"{name}() must be called with arguments")
            names.add(name)
        case ast.Attribute(value=ast.Name(id=name), attr=_):
            names.add(name)
        case ast.List(elts=elts) | ast.Tuple(elts=elts):
            for elt in elts:
                _check(elt, names)
        case ast.BoolOp(values=values):
            for value in values:
                _check(value, names)
        case ast.UnaryOp(op=ast.Not() | ast.USub(), operand=operand):
            _check(operand, names)
        case ast.BinOp(op=op, left=left, right=right) if type(op) in _ARITH:
            _check(left, names)
            _check(right, names)
        case ast.Compare(left=left, ops=ops, comparators=comparators):
            if any(type(op) not in _COMPARE for op in ops):
                raise ExpressionError("only ==, !=, <, <=, >, >=, in and not in compare values")
            for part in (left, *comparators):
                _check(part, names)
        case ast.Call(func=ast.Name(id=fname), args=args, keywords=[]) if fname in FUNCTIONS:
            if len(args) != ARITY[fname]:
                raise ExpressionError(f"{fname}() takes {ARITY[fname]} argument(s), got {len(args)}")
            for arg in args:
                _check(arg, names)
        case ast.Call(func=ast.Name(id=fname)):
            raise ExpressionError(f"unknown function {fname}(); known: {', '.join(sorted(FUNCTIONS))}")
        case _:
            raise ExpressionError(f"{type(node).__name__} is not allowed in expressions")


def _eval(node: ast.AST, values: Mapping[str, Any]) -> Any:
    match node:
        case ast.Constant(value=v):
            return v
        case ast.Name(id=name):
            return values.get(name)
        case ast.Attribute(value=ast.Name(id=name), attr=attr):
            parent = values.get(name)
            return parent.get(attr) if isinstance(parent, dict) else None
        case ast.List(elts=elts) | ast.Tuple(elts=elts):
            return [_eval(elt, values) for elt in elts]
        case ast.BoolOp(op=ast.And(), values=parts):
            return all(_eval(part, values) for part in parts)
        case ast.BoolOp(op=ast.Or(), values=parts):
            return any(_eval(part, values) for part in parts)
        case ast.UnaryOp(op=ast.Not(), operand=operand):
            return not _eval(operand, values)
        case ast.UnaryOp(op=ast.USub(), operand=operand):
            return -_eval(operand, values)
        case ast.BinOp(op=op, left=left, right=right):
            return _ARITH[type(op)](_eval(left, values), _eval(right, values))
        case ast.Compare(left=left, ops=ops, comparators=comparators):
            current = _eval(left, values)
            for op, comparator in zip(ops, comparators, strict=True):
                other = _eval(comparator, values)
                if type(op) not in (ast.In, ast.NotIn, ast.Eq, ast.NotEq) and (current is None or other is None):
                    return False
                if not _COMPARE[type(op)](current, other):
                    return False
                current = other
            return True
        case ast.Call(func=ast.Name(id=fname), args=args):
            return FUNCTIONS[fname](*(_eval(arg, values) for arg in args))
    raise ExpressionError(f"cannot evaluate {type(node).__name__}")  # unreachable after _check
