"""Skip logic and constraints of one row, with the ``stimmen::`` columns that keep Stimmen's exact text.

An exported form carries the XLSForm expression (so KoboToolbox and ODK work) and, where converting it back
would not give Stimmen's text character for character, the original in ``stimmen::relevant`` or
``stimmen::constraint``. The original is trusted only while the XLSForm cell is still what Stimmen would
write for it, so an edit in the spreadsheet always wins.
"""

from __future__ import annotations

import ast
from collections.abc import Mapping

from survey.xlsform.bounds import BOUNDS, EXPORTED, conjuncts, extract, join, strip_prefix, terms
from survey.xlsform.errors import Report
from survey.xlsform.spelling import python_source, to_xpath
from survey.xlsform.workbook import Row
from survey.xlsform.xpath import Resolver, Symbol, XPathError, to_python, uses_length

Bounds = dict[str, float]


def constraint_cell(
    kind: str, bounds: Mapping[str, float | None], constraint: str | None, names: Mapping[str, str]
) -> str:
    """The XLSForm constraint Stimmen writes: its limits first (``. >= 1``), then its own constraint."""
    own = conjuncts(ast.parse(constraint.strip(), mode="eval").body) if constraint else []
    tree = join(terms(kind, dict(bounds)) + own)
    return to_xpath(tree, names) if tree is not None else ""


def reads_back(
    cell: str, original: str | None, resolve: Resolver, own: Symbol | None = None, limits: list[ast.expr] | None = None
) -> bool:
    """Whether importing ``cell`` gives ``original`` back exactly (else Stimmen keeps the original aside)."""
    try:
        tree = to_python(cell, resolve, own) if cell else None
    except XPathError:
        return False
    rest = strip_prefix(limits or [], tree)
    return rest is not False and python_source(rest) == original


class Logic:
    """Converts the expressions of rows against the form's names (``${name}`` → Stimmen id)."""

    def __init__(self, symbols: dict[str, Symbol], skipped: dict[str, str], report: Report) -> None:
        self.symbols = symbols
        self.skipped = skipped
        self.report = report

    def resolve(self, name: str) -> Symbol:
        if name in self.symbols:
            return self.symbols[name]
        if name in self.skipped:
            raise XPathError(f"${{{name}}} cannot be used: {self.skipped[name]}")
        raise XPathError(f"${{{name}}} is not a question of this form")

    @property
    def names(self) -> dict[str, str]:
        """Stimmen id (or ``matrix.item``) → form name."""
        return {symbol.path: name for name, symbol in self.symbols.items()}

    def parse(self, row: Row, column: str, own: Symbol | None = None) -> ast.expr | bool | None:
        """The cell as a Stimmen expression tree; None when empty, False after reporting an error."""
        cell = row.get(column).strip()
        if not cell:
            return None
        try:
            return to_python(cell, self.resolve, own)
        except XPathError as exc:
            self.report.error(row.at(column), f"cannot translate {cell!r}: {exc}")
            return False

    def relevant(self, row: Row) -> str | None:
        tree = self.parse(row, "relevant")
        if tree is False:
            return None
        if uses_length(tree):
            self.report.error(row.at("relevant"), _LENGTH_MESSAGE)
            return None
        text = python_source(tree)
        original = row.get("stimmen::relevant").strip()
        if original:
            if tree is not None and self._same(to_xpath_safe(original, self.names), tree, None):
                return original
            self.report.warn(row.at("stimmen::relevant"), "no longer matches 'relevant' (edited?); 'relevant' is used")
        return text

    def constraint(self, row: Row, kind: str, own: Symbol) -> tuple[Bounds, str | None]:
        """Limits for Stimmen's own fields (min, max, max_selected, max_length) and the remaining constraint."""
        tree = self.parse(row, "constraint", own)
        if tree is False:
            return {}, None
        given = {
            b.field: v for b in BOUNDS.get(kind, ()) if (v := _number(row.word(f"stimmen::{b.field}"))) is not None
        }
        if row.word("stimmen::type"):
            rest = strip_prefix(terms(kind, given), tree)
            bounds: Bounds = dict(given)
            if rest is False:
                self.report.warn(
                    row.at("constraint"),
                    "does not start with the limits of the stimmen:: columns any more (edited?); limits are read "
                    "from the constraint",
                )
                found, rest = extract(kind, tree)
                bounds = {
                    **{k: v for k, v in given.items() if k not in {b.field for b in EXPORTED.get(kind, ())}},
                    **found,
                }
            elif kind not in EXPORTED:  # e.g. string-length(.) <= 40 added to an exported text question
                found, rest = extract(kind, rest)
                bounds |= found
        else:
            found, rest = extract(kind, tree)
            bounds = {**given, **found}
        if rest is not None and uses_length(rest):
            self.report.error(row.at("constraint"), _LENGTH_MESSAGE)
            return bounds, None
        text = python_source(rest)
        original = row.get("stimmen::constraint").strip()
        if original:
            expected = to_xpath_safe(original, self.names, kind, bounds)
            if tree is not None and self._same(expected, tree, own):
                return bounds, original
            self.report.warn(
                row.at("stimmen::constraint"), "no longer matches 'constraint' (edited?); 'constraint' is used"
            )
        return bounds, text

    def _same(self, cell: str | None, tree: ast.expr, own: Symbol | None) -> bool:
        if cell is None:
            return False
        try:
            return ast.dump(to_python(cell, self.resolve, own)) == ast.dump(tree)
        except XPathError:
            return False


_LENGTH_MESSAGE = (
    'string-length() only translates as "string-length(${q}) > 0" (answered) or, in a text question\'s '
    'constraint, as "string-length(.) <= N" (its maximum length)'
)


def to_xpath_safe(
    source: str, names: Mapping[str, str], kind: str | None = None, bounds: Mapping[str, float] | None = None
) -> str | None:
    """What Stimmen would write for an expression; None when it is not a valid expression at all."""
    try:
        if kind is None:
            return to_xpath(source, names)
        return constraint_cell(kind, bounds or {}, source, names)
    except (SyntaxError, XPathError):
        return None


def _number(text: str) -> float | None:
    try:
        value = float(text)
    except ValueError:
        return None
    return int(value) if value.is_integer() else value
