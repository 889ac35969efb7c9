"""Reading XLSForm expressions (an XPath subset with ``${name}`` references) as Stimmen expression trees.

The tree is Python's :mod:`ast`, like Stimmen's own expressions; :mod:`survey.xlsform.spelling` writes it
out again, as Stimmen text or as XLSForm.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

LENGTH = "string_length"
"""Placeholder call for ``string-length()``: only a few patterns of it have a Stimmen meaning."""

_SMART_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"'})
_TOKEN = re.compile(
    r"""\s*(?:
      (?P<ref>\$\{[^}]*\})
    | (?P<number>\d+(?:\.\d*)?|\.\d+)
    | (?P<string>'[^']*'|"[^"]*")
    | (?P<op>!=|<=|>=|=|<|>|\+|-|\*|\(|\)|,|\.\.|\.|/|\|)
    | (?P<name>[A-Za-z_][\w.-]*(?::[A-Za-z_][\w.-]*)?)
    )""",
    re.VERBOSE,
)
_EQUALITY = {"=": ast.Eq, "!=": ast.NotEq}
_RELATIONAL = {"<": ast.Lt, "<=": ast.LtE, ">": ast.Gt, ">=": ast.GtE}
_ARITHMETIC = {"+": ast.Add, "-": ast.Sub, "*": ast.Mult, "div": ast.Div}


class XPathError(ValueError):
    """An expression with no Stimmen equivalent, worded for form authors."""


@dataclass(frozen=True)
class Symbol:
    """What ``${name}`` means in Stimmen: a question id or ``matrix.item``, and its choice values."""

    path: str
    values: Mapping[str, str] = field(default_factory=dict)
    """Choice name in the form → Stimmen choice value (they differ when a name was not a valid id)."""

    def node(self) -> ast.expr:
        base, _, item = self.path.partition(".")
        return ast.Attribute(ast.Name(base, ast.Load()), item, ast.Load()) if item else ast.Name(base, ast.Load())


Resolver = Callable[[str], Symbol]
"""Looks up ``${name}``; raises XPathError for names that are not (importable) questions."""


def to_python(source: str, resolve: Resolver, own: Symbol | None = None) -> ast.expr:
    """Parse an XLSForm expression into Stimmen's expression tree; ``.`` is ``value`` when ``own`` is given."""
    parser = _Parser(_tokens(source.translate(_SMART_QUOTES)), resolve, own)
    tree = parser.expression()
    if parser.peek() is not None:
        raise XPathError(f"unexpected '{parser.peek()[1]}'")
    return ast.fix_missing_locations(tree)


def _tokens(source: str) -> list[tuple[str, str]]:
    tokens: list[tuple[str, str]] = []
    position = 0
    source = source.rstrip()
    while position < len(source):
        match = _TOKEN.match(source, position)
        if match is None or match.end() == position:
            raise XPathError(f"cannot read {source[position:].strip()[:20]!r}")
        kind = match.lastgroup
        assert kind is not None
        tokens.append((kind, match[kind]))
        position = match.end()
    return tokens


class _Parser:
    """Recursive descent over XPath 1.0 precedence: or < and < = != < relational < + - < * div < unary."""

    def __init__(self, tokens: list[tuple[str, str]], resolve: Resolver, own: Symbol | None) -> None:
        self.tokens = tokens
        self.position = 0
        self.resolve = resolve
        self.own = own
        self.symbols: dict[int, Symbol] = {}

    def peek(self) -> tuple[str, str] | None:
        return self.tokens[self.position] if self.position < len(self.tokens) else None

    def take(self, *texts: str) -> str | None:
        token = self.peek()
        if token is not None and token[0] in ("op", "name") and token[1] in texts:
            self.position += 1
            return token[1]
        return None

    def expect(self, text: str) -> None:
        if self.take(text) is None:
            found = self.peek()
            raise XPathError(f"expected '{text}' but found {repr(found[1]) if found else 'the end'}")

    def expression(self) -> ast.expr:
        return self._boolean("or", ast.Or, self._and)

    def _and(self) -> ast.expr:
        return self._boolean("and", ast.And, self._equality)

    def _boolean(self, word: str, op: type[ast.boolop], operand: Callable[[], ast.expr]) -> ast.expr:
        values = [operand()]
        while self.take(word):
            values.append(operand())
        return values[0] if len(values) == 1 else ast.BoolOp(op(), values)

    def _equality(self) -> ast.expr:
        left = self._relational()
        while (op := self.take(*_EQUALITY)) is not None:
            left = self._compare(op, left, self._relational())
        return left

    def _relational(self) -> ast.expr:
        left = self._additive()
        while (op := self.take(*_RELATIONAL)) is not None:
            left = self._compare(op, left, self._additive())
        return left

    def _additive(self) -> ast.expr:
        left = self._multiplicative()
        while (op := self.take("+", "-")) is not None:
            left = ast.BinOp(left, _ARITHMETIC[op](), self._multiplicative())
        return left

    def _multiplicative(self) -> ast.expr:
        left = self._unary()
        while (op := self.take("*", "div", "mod")) is not None:
            if op == "mod":
                raise XPathError("'mod' has no Stimmen equivalent")
            left = ast.BinOp(left, _ARITHMETIC[op](), self._unary())
        return left

    def _unary(self) -> ast.expr:
        if self.take("-"):
            return ast.UnaryOp(ast.USub(), self._unary())
        return self._primary()

    def _primary(self) -> ast.expr:
        token = self.peek()
        if token is None:
            raise XPathError("the expression ends too early")
        kind, text = token
        self.position += 1
        if kind == "ref":
            return self._symbol(self.resolve(text[2:-1].strip()))
        if kind == "number":
            return ast.Constant(float(text) if "." in text else int(text))
        if kind == "string":
            return ast.Constant(text[1:-1])
        if text == ".":
            if self.own is None:
                raise XPathError("'.' (the answer itself) only works in a constraint")
            return self._symbol(self.own, value=True)
        if text == "(":
            inner = self.expression()
            self.expect(")")
            return inner
        if kind == "name" and self.take("("):
            return self._function(text)
        if text in ("..", "/", "|") or kind == "name":
            raise XPathError(f"'{text}' is not supported; refer to questions as ${{name}}")
        raise XPathError(f"unexpected '{text}'")

    def _symbol(self, symbol: Symbol, value: bool = False) -> ast.expr:
        node = ast.Name("value", ast.Load()) if value else symbol.node()
        self.symbols[id(node)] = symbol
        return node

    def _function(self, name: str) -> ast.expr:
        args: list[ast.expr] = []
        if not self.take(")"):
            args.append(self.expression())
            while self.take(","):
                args.append(self.expression())
            self.expect(")")
        arity = {"selected": 2, "count-selected": 1, "not": 1, "true": 0, "false": 0, "string-length": 1}
        if name not in arity:
            raise XPathError(f"the function {name}() has no Stimmen equivalent")
        if len(args) != arity[name]:
            raise XPathError(f"{name}() takes {arity[name]} argument(s), got {len(args)}")
        if name in ("true", "false"):
            return ast.Constant(name == "true")
        if name == "not":
            return ast.UnaryOp(ast.Not(), args[0])
        if id(args[0]) not in self.symbols:
            raise XPathError(f"{name}() needs a question, written as ${{name}} or '.'")
        if name == "selected":
            return call("selected", args[0], self._literal(args[0], args[1]))
        return call("count" if name == "count-selected" else LENGTH, args[0])

    def _literal(self, reference: ast.expr, other: ast.expr) -> ast.expr:
        """Choice names compared with a question become that question's Stimmen choice values."""
        symbol = self.symbols.get(id(reference))
        if symbol is not None and isinstance(other, ast.Constant) and isinstance(other.value, str):
            return ast.Constant(symbol.values.get(other.value, other.value))
        return other

    def _compare(self, op: str, left: ast.expr, right: ast.expr) -> ast.expr:
        for a, b in ((left, right), (right, left)):
            answered = self._answered(op if a is left else _MIRROR.get(op, op), a, b)
            if answered is not None:
                return answered
        left, right = self._literal(right, left), self._literal(left, right)
        operator = (_EQUALITY | _RELATIONAL)[op]()
        return ast.Compare(left, [operator], [right])

    def _answered(self, op: str, a: ast.expr, b: ast.expr) -> ast.expr | None:
        """``${q} != ''`` and ``string-length(${q}) > 0`` mean "answered" in Stimmen."""
        target: ast.expr | None = None
        if id(a) in self.symbols and _is_constant(b, "") and op in ("=", "!="):
            target, present = a, op == "!="
        elif _is_length(a) and _is_constant(b, 0) and op in ("=", "!=", ">"):
            target, present = a.args[0], op != "="  # type: ignore[attr-defined]
        elif _is_length(a) and _is_constant(b, 1) and op == ">=":
            target, present = a.args[0], True  # type: ignore[attr-defined]
        if target is None:
            return None
        answered = call("answered", target)
        return answered if present else ast.UnaryOp(ast.Not(), answered)


_MIRROR = {"<": ">", "<=": ">=", ">": "<", ">=": "<="}


def call(name: str, *args: ast.expr) -> ast.Call:
    return ast.Call(ast.Name(name, ast.Load()), list(args), [])


def _is_constant(node: ast.expr, value: object) -> bool:
    return isinstance(node, ast.Constant) and type(node.value) is type(value) and node.value == value


def _is_length(node: ast.expr) -> bool:
    return isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == LENGTH


def uses_length(tree: ast.expr | None) -> bool:
    return tree is not None and any(isinstance(node, ast.Call) and _is_length(node) for node in ast.walk(tree))
