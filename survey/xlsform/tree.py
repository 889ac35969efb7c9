"""Survey rows → a tree of groups and fields, skipping what Stimmen cannot ask (with a warning).

Only the shape is decided here (nesting, types, list names); what a group or field becomes in Stimmen
is decided by :mod:`survey.xlsform.structure`.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from survey.xlsform.errors import Location, Report
from survey.xlsform.workbook import Row, Sheet

QUESTION_TYPES = {"text", "integer", "decimal", "note", "acknowledge"}
ALIASES = {"int": "integer", "trigger": "acknowledge", "string": "text"}
METADATA = {
    "start",
    "end",
    "today",
    "deviceid",
    "subscriberid",
    "simserial",
    "phonenumber",
    "username",
    "email",
    "audit",
    "start-geopoint",
    "background-audio",
    "instanceid",
}
UNSUPPORTED = {
    "geopoint",
    "geotrace",
    "geoshape",
    "date",
    "time",
    "datetime",
    "image",
    "audio",
    "video",
    "file",
    "barcode",
    "calculate",
    "hidden",
    "range",
    "rank",
    "xml-external",
    "csv-external",
    "begin_repeat",
    "begin_loop",
}
_SELECT = re.compile(
    r"^(?P<kind>select_one|select one|select1|select_multiple|select multiple|select all that apply)"
    r" (?P<list>\S+)(?P<other> (or_other|or specify other|or other))?$",
    re.IGNORECASE,
)
_FROM_FILE = re.compile(r"^(select_one_from_file|select_multiple_from_file|select_one_external|rank)\b")
_BEGIN = re.compile(r"^begin[ _](?P<kind>group|repeat|loop|looped group)\b")
_END = re.compile(r"^end[ _](?P<kind>group|repeat|loop|looped group)$")


@dataclass
class Field:
    row: Row
    kind: str
    """text, integer, decimal, note, acknowledge, select_one or select_multiple."""
    name: str
    list_name: str | None = None
    or_other: bool = False

    @property
    def stimmen_type(self) -> str:
        return self.row.word("stimmen::type").lower()


@dataclass
class Group:
    row: Row | None
    """None for the form itself."""
    name: str
    children: list[Field | Group] = field(default_factory=list)

    @property
    def stimmen_type(self) -> str:
        return self.row.word("stimmen::type").lower() if self.row else ""

    @property
    def appearance(self) -> set[str]:
        return set(self.row.word("appearance").lower().split()) if self.row else set()


@dataclass
class Tree:
    root: Group
    skipped: dict[str, str]
    """Names of skipped rows → why, so skip logic that reads them fails with a clear reason."""


def build_tree(sheet: Sheet, report: Report) -> Tree:
    root = Group(None, "")
    stack = [root]
    skipped: dict[str, str] = {}
    metadata: list[str] = []
    rows = iter(sheet.rows)
    for row in rows:
        kind = " ".join(row.word("type").lower().split())
        name = row.word("name")
        if not kind:
            report.error(row.at("type"), f"empty type{f' for {name!r}' if name else ''}; every row needs one")
            continue
        if (end := _END.match(kind)) is not None:
            if len(stack) == 1:
                report.error(row.at("type"), f"'{row.word('type')}' without a matching begin_{end['kind']}")
            else:
                stack.pop()
            continue
        if not name:
            report.error(row.at("name"), f"empty name for a row of type '{row.word('type')}'")
            continue
        begin = _BEGIN.match(kind)
        if begin is not None and begin["kind"] == "group":
            group = Group(row, name)
            stack[-1].children.append(group)
            stack.append(group)
        elif begin is not None:
            last = _skip_block(row, rows)
            skipped[name] = f"it is inside the repeat '{name}'"
            report.warn(
                row.at("type"),
                f"repeats have no Stimmen equivalent; '{name}' and its rows up to row {last} are skipped",
            )
        elif kind in METADATA or (kind == "calculate" and name.strip("_") == "version"):  # KoboToolbox's __version__
            metadata.append(f"{name} (row {row.number})")
            skipped[name] = f"'{kind}' is form metadata that Stimmen does not collect"
        elif (field_ := _field(row, kind, name)) is not None:
            stack[-1].children.append(field_)
        elif kind in UNSUPPORTED or _FROM_FILE.match(kind):
            skipped[name] = f"its type '{kind}' has no Stimmen equivalent and was skipped"
            report.warn(row.at("type"), f"type '{kind}' ('{name}') has no Stimmen equivalent; the row is skipped")
        else:
            known = [*QUESTION_TYPES, "select_one", "select_multiple", "begin_group", "end_group", *UNSUPPORTED]
            similar = difflib.get_close_matches(kind, known, n=1)
            report.error(
                row.at("type"),
                f"unknown type '{row.word('type')}'" + (f"; did you mean '{similar[0]}'?" if similar else ""),
            )
    for group in stack[1:]:
        assert group.row is not None
        report.error(group.row.at("type"), f"group '{group.name}' is never closed with end_group")
    if metadata:
        report.warn(
            Location(sheet.name),
            f"metadata fields are not collected by Stimmen and were skipped: {', '.join(metadata)}",
        )
    return Tree(root, skipped)


def _field(row: Row, kind: str, name: str) -> Field | None:
    kind = ALIASES.get(kind, kind)
    if kind in QUESTION_TYPES:
        return Field(row, kind, name)
    select = _SELECT.match(" ".join(row.word("type").split()))  # list names keep their case
    if select is None:
        return None
    single = select["kind"].lower() in ("select_one", "select one", "select1")
    return Field(row, "select_one" if single else "select_multiple", name, select["list"], bool(select["other"]))


def _skip_block(begin: Row, rows: Iterator[Row]) -> int:
    """Consume rows up to the matching end; returns the last row number skipped."""
    depth, last = 1, begin.number
    for row in rows:
        last = row.number
        kind = " ".join(row.word("type").lower().split())
        if _BEGIN.match(kind):
            depth += 1
        elif _END.match(kind):
            depth -= 1
            if depth == 0:
                break
    return last
