"""Writing expression trees: Stimmen's canonical text, and XLSForm's XPath.

Canonical text makes a round trip checkable by comparing strings; XPath precedence differs from Python's
(``not`` is a function, ``=`` binds looser than ``<``), so both writers add only the parentheses needed.
"""

from __future__ import annotations

import ast
from collections.abc import Mapping

from survey.xlsform.xpath import XPathError, call


def python_source(tree: ast.expr | None) -> str | None:
    """Stimmen's canonical spelling of an expression (``ast.unparse`` brackets chained ``and`` oddly)."""
    return None if tree is None else _python(tree)[0]


_PY_BOOL = {ast.Or: ("or", 1), ast.And: ("and", 2)}
_PY_COMPARE = {
    ast.Eq: "==",
    ast.NotEq: "!=",
    ast.Lt: "<",
    ast.LtE: "<=",
    ast.Gt: ">",
    ast.GtE: ">=",
    ast.In: "in",
    ast.NotIn: "not in",
}
_PY_BINARY = {ast.Add: ("+", 5), ast.Sub: ("-", 5), ast.Mult: ("*", 6), ast.Div: ("/", 6)}


def _python(node: ast.expr) -> tuple[str, int]:
    def wrap(child: ast.expr, needed: int) -> str:
        text, precedence = _python(child)
        return text if precedence >= needed else f"({text})"

    match node:
        case ast.Constant(value=value):
            return repr(value), 9
        case ast.Name(id=name):
            return name, 9
        case ast.Attribute(value=base, attr=attr):
            return f"{wrap(base, 9)}.{attr}", 9
        case ast.List(elts=elts) | ast.Tuple(elts=elts):
            text = ", ".join(_python(elt)[0] for elt in elts)
            return (f"[{text}]" if isinstance(node, ast.List) else f"({text}{',' if len(elts) == 1 else ''})"), 9
        case ast.Call(func=func, args=args):
            return f"{wrap(func, 9)}({', '.join(_python(arg)[0] for arg in args)})", 9
        case ast.BoolOp(op=op, values=values):
            word, own = _PY_BOOL[type(op)]
            return f" {word} ".join(wrap(value, own + 1) for value in values), own
        case ast.UnaryOp(op=ast.Not(), operand=operand):
            return f"not {wrap(operand, 3)}", 3
        case ast.UnaryOp(op=ast.USub(), operand=operand):
            return f"-{wrap(operand, 7)}", 7
        case ast.BinOp(op=op, left=left, right=right):
            symbol, own = _PY_BINARY[type(op)]
            return f"{wrap(left, own)} {symbol} {wrap(right, own + 1)}", own
        case ast.Compare(left=left, ops=ops, comparators=comparators):
            parts = [wrap(left, 5)]
            for op, right in zip(ops, comparators, strict=True):
                parts += [_PY_COMPARE[type(op)], wrap(right, 5)]
            return " ".join(parts), 4
    return ast.unparse(node), 0


_PRECEDENCE = {ast.Or: 1, ast.And: 2, ast.Eq: 3, ast.NotEq: 3, ast.Lt: 4, ast.LtE: 4, ast.Gt: 4, ast.GtE: 4}
_SYMBOL = {ast.Eq: "=", ast.NotEq: "!=", ast.Lt: "<", ast.LtE: "<=", ast.Gt: ">", ast.GtE: ">="}
_BINARY = {ast.Add: ("+", 5), ast.Sub: ("-", 5), ast.Mult: ("*", 6), ast.Div: ("div", 6)}
_ATOM = 8


def to_xpath(tree: ast.expr | str, names: Mapping[str, str]) -> str:
    """Stimmen expression → XLSForm; ``names`` maps a question id or ``matrix.item`` to its form name."""
    if isinstance(tree, str):
        tree = ast.parse(tree.strip(), mode="eval").body
    return _Writer(names).emit(tree)[0]


class _Writer:
    def __init__(self, names: Mapping[str, str]) -> None:
        self.names = names

    def emit(self, node: ast.expr) -> tuple[str, int]:
        """The XPath text and its precedence, so parents add parentheses only where needed."""
        match node:
            case ast.Constant(value=bool() as flag):
                return ("true()" if flag else "false()"), _ATOM
            case ast.Constant(value=None):
                return "''", _ATOM
            case ast.Constant(value=str() as text):
                if "'" in text and '"' in text:
                    raise XPathError(f"the text {text!r} holds both kinds of quotes")
                return (f'"{text}"' if "'" in text else f"'{text}'"), _ATOM
            case ast.Constant(value=int() | float() as number):
                return number_text(number), _ATOM
            case ast.Name(id="value"):
                return ".", _ATOM
            case ast.Name(id=name):
                return f"${{{self.names.get(name, name)}}}", _ATOM
            case ast.Attribute(value=ast.Name(id=base), attr=item):
                return f"${{{self.names.get(f'{base}.{item}', f'{base}_{item}')}}}", _ATOM
            case ast.BoolOp(op=op, values=values):
                own = _PRECEDENCE[type(op)]
                word = " and " if isinstance(op, ast.And) else " or "
                return word.join(self.wrap(value, own + 1) for value in values), own
            case ast.UnaryOp(op=ast.Not(), operand=ast.Call(func=ast.Name(id="answered"), args=[target])):
                return f"{self.wrap(target, 4)} = ''", 3
            case ast.UnaryOp(op=ast.Not(), operand=operand):
                return f"not({self.emit(operand)[0]})", _ATOM
            case ast.UnaryOp(op=ast.USub(), operand=operand):
                return f"-{self.wrap(operand, 7)}", 7
            case ast.BinOp(op=op, left=left, right=right) if type(op) in _BINARY:
                symbol, own = _BINARY[type(op)]
                return f"{self.wrap(left, own)} {symbol} {self.wrap(right, own + 1)}", own
            case ast.Compare(left=left, ops=ops, comparators=comparators):
                return self.compare(left, ops, comparators)
            case ast.Call(func=ast.Name(id="selected"), args=[target, choice]):
                return f"selected({self.emit(target)[0]}, {self.emit(choice)[0]})", _ATOM
            case ast.Call(func=ast.Name(id="count"), args=[target]):
                return f"count-selected({self.emit(target)[0]})", _ATOM
            case ast.Call(func=ast.Name(id="answered"), args=[target]):
                return f"{self.wrap(target, 4)} != ''", 3
        raise XPathError(f"{ast.unparse(node)!r} has no XLSForm equivalent")

    def wrap(self, node: ast.expr, needed: int) -> str:
        text, precedence = self.emit(node)
        return text if precedence >= needed else f"({text})"

    def compare(self, left: ast.expr, ops: list[ast.cmpop], comparators: list[ast.expr]) -> tuple[str, int]:
        if len(ops) > 1:  # a < b < c is "a < b and b < c" in XPath
            operands = [left, *comparators]
            parts = [ast.Compare(operands[i], [op], [operands[i + 1]]) for i, op in enumerate(ops)]
            return self.emit(ast.BoolOp(ast.And(), parts))
        op, right = ops[0], comparators[0]
        if isinstance(op, ast.In | ast.NotIn):
            if isinstance(right, ast.List | ast.Tuple):
                either = ast.BoolOp(ast.Or(), [ast.Compare(left, [ast.Eq()], [option]) for option in right.elts])
                text = self.emit(either if len(right.elts) > 1 else either.values[0])[0] if right.elts else "false()"
            else:
                text = self.emit(call("selected", right, left))[0]
            return (f"not({text})", _ATOM) if isinstance(op, ast.NotIn) else (f"({text})", _ATOM)
        own = _PRECEDENCE[type(op)]
        return f"{self.wrap(left, own)} {_SYMBOL[type(op)]} {self.wrap(right, own + 1)}", own


def number_text(number: float) -> str:
    """3.0 → '3': spreadsheets and YAML both read whole numbers back as integers."""
    if isinstance(number, float) and number.is_integer():
        return str(int(number))
    return repr(number)
