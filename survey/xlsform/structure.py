"""The form's shape → Stimmen's: groups become pages, table-lists matrices, the consent group the consent block.

Stimmen evaluates skip logic between pages, so a question whose condition reads an answer from its own
page starts a new page (with the same title) instead of failing validation.
"""

from __future__ import annotations

import ast
import difflib
from dataclasses import dataclass, field
from typing import Any

from survey.xlsform.choices import ChoiceList
from survey.xlsform.errors import Location, Report
from survey.xlsform.names import identifier
from survey.xlsform.questions import Context, both, choice_dicts, matrix, question, stimmen_type
from survey.xlsform.texts import row_text
from survey.xlsform.tree import Field, Group, Tree
from survey.xlsform.workbook import Row
from survey.xlsform.xpath import Symbol

FORM_TEXTS = {"title", "description"}
PLACEHOLDER_CONSENT = {
    "title": "Einwilligung",
    "text": "Bitte ergänzen Sie hier, wer die Befragung durchführt, wozu die Antworten dienen und wie sie "
    "geschützt werden.",
    "statements": [{"id": "participation", "text": "Ich nehme freiwillig an der Befragung teil."}],
}


@dataclass
class Shape:
    """Result of the structural pass, with rows to point problems at."""

    title: str | None = None
    description: str | None = None
    consent: dict[str, Any] | None = None
    pages: list[dict[str, Any]] = field(default_factory=list)
    rows: dict[str, Row] = field(default_factory=dict)
    """Stimmen page or question id → its row."""


@dataclass
class _Roles:
    """Decisions about every node, made before anything is converted (ids are needed by skip logic)."""

    ids: dict[int, str] = field(default_factory=dict)
    matrices: dict[int, list[Field]] = field(default_factory=dict)
    item_ids: dict[int, list[str]] = field(default_factory=dict)


def is_matrix(group: Group, nested: bool, report: Report) -> list[Field] | None:
    """The item rows if the group is a matrix (table-list, or field-list of one select_one list), else None."""
    fields = [child for child in group.children if isinstance(child, Field)]
    items = [f for f in fields if "label" not in f.row.word("appearance").lower().split()]  # header rows
    fits = (
        bool(items)
        and len(fields) == len(group.children)
        and all(f.kind == "select_one" and not f.or_other and f.stimmen_type in ("", "single_choice") for f in fields)
        and len({f.list_name for f in fields}) == 1
    )
    wanted = group.stimmen_type
    if wanted == "matrix" or (not wanted and "table-list" in group.appearance):
        if not fits:
            report.warn(
                group.row.at("appearance") if group.row else Location("survey"),
                f"group '{group.name}' is marked as a table/matrix, but only groups of select_one questions on one "
                "list can be; it is treated as a plain group",
            )
            return None
        return items
    if not wanted and "field-list" in group.appearance and fits:
        classic = any(f.row.word("appearance").lower() in ("label", "list-nolabel") for f in fields)
        return items if nested or classic else None
    return None


class Builder:
    def __init__(self, tree: Tree, ctx: Context, report: Report, form_title: str) -> None:
        self.tree = tree
        self.ctx = ctx
        self.report = report
        self.roles = _Roles()
        self.shape = Shape()
        self.used: set[str] = set()
        self.form_title = form_title
        self.list_users: set[str] = set()
        """Form lists some question uses; the others are kept as named choice lists if complete."""

    # ------------------------------------------------------------------ pass 1: names, ids, symbols

    def plan(self, lists: dict[str, ChoiceList]) -> tuple[dict[str, Symbol], set[str]]:
        """Give every page and question its Stimmen id; returns the symbols for skip logic and shared lists."""
        seen: dict[str, Row] = {}
        symbols: dict[str, Symbol] = {}
        renamed: list[str] = []
        uses: dict[str, int] = {}
        shared: set[str] = set()

        def claim(node: Field | Group, prefix: str) -> str:
            assert node.row is not None
            new = identifier(node.name, prefix)
            if new in self.used:
                other = self.shape.rows.get(new)
                where = f" (row {other.number})" if other else ""
                self.report.error(
                    node.row.at("name"), f"'{node.name}' would become the id '{new}', already used{where}"
                )
            self.used.add(new)
            self.shape.rows.setdefault(new, node.row)
            self.roles.ids[id(node)] = new
            if new != node.name:
                renamed.append(f"'{node.name}' → '{new}' (row {node.row.number})")
            return new

        def symbol(node: Field, path: str) -> None:
            values = lists[node.list_name].values if node.list_name in lists else {}
            symbols[node.name] = Symbol(path, values)
            if node.list_name in lists:
                self.list_users.add(node.list_name or "")
            if node.list_name in lists and stimmen_type(node, Report()) != "scale":
                uses[node.list_name or ""] = uses.get(node.list_name or "", 0) + 1
                if node.row.word("stimmen::list").lower() == "shared":
                    shared.add(node.list_name or "")

        def register(node: Field | Group) -> None:
            """Every row's name is unique, whatever it becomes; every list it names exists."""
            if node.row is not None:
                if node.name in seen:
                    self.report.error(
                        node.row.at("name"), f"duplicate name '{node.name}' (also row {seen[node.name].number})"
                    )
                seen.setdefault(node.name, node.row)
            if isinstance(node, Field) and node.list_name is not None and node.list_name not in lists:
                self._unknown_list(node, lists)
            for child in node.children if isinstance(node, Group) else []:
                register(child)

        def walk(group: Group, depth: int) -> None:
            for child in group.children:
                if isinstance(child, Field):
                    if (depth == 0 and child.stimmen_type in FORM_TEXTS) or (
                        child.kind == "note" and child.stimmen_type in ("intro", "consent_text")
                    ):
                        continue
                    qid = claim(child, "q_")
                    if child.kind != "note":
                        symbol(child, qid)
                    continue
                if child.stimmen_type == "consent_block" and depth == 0:
                    continue
                items = is_matrix(child, depth > 0, self.report)
                if items is None:
                    claim(child, "page_")
                    walk(child, depth + 1)
                    continue
                matrix_id = claim(child, "q_")
                self.roles.matrices[id(child)] = items
                item_ids = [identifier(_strip(m.name, child.name), "item_") for m in items]
                self.roles.item_ids[id(child)] = item_ids
                for member, item_id in zip(items, item_ids, strict=True):
                    symbol(member, f"{matrix_id}.{item_id}")
                list_name = items[0].list_name or ""
                if child.row is not None and child.row.word("stimmen::list").lower() == "shared":
                    shared.add(list_name)
                if list_name in uses:
                    uses[list_name] -= len(items) - 1  # one matrix, one use

        register(self.tree.root)
        if self.report.errors:
            return symbols, shared
        walk(self.tree.root, 0)
        if renamed:
            self.report.warn(
                Location("survey"),
                "names stored as Stimmen ids (lowercase letters, digits and _, starting with a letter): "
                + ", ".join(renamed[:12])
                + (f" and {len(renamed) - 12} more" if len(renamed) > 12 else ""),
            )
        shared |= {name for name, count in uses.items() if count > 1}
        return symbols, shared

    def _unknown_list(self, node: Field, lists: dict[str, ChoiceList]) -> None:
        similar = difflib.get_close_matches(node.list_name or "", list(lists), n=1)
        hint = f"; did you mean '{similar[0]}'?" if similar else ""
        if not lists:
            hint = " (the form has no 'choices' sheet, or it is empty)"
        self.report.error(node.row.at("type"), f"unknown list name '{node.list_name}' in the choices sheet{hint}")

    # ------------------------------------------------------------------ pass 2: conversion

    def build(self) -> Shape:
        run: list[Field] = []
        for child in self.tree.root.children:
            if isinstance(child, Field) and child.stimmen_type in FORM_TEXTS:
                text = self.ctx.texts.source(child.row, "label", required=True)
                setattr(self.shape, child.stimmen_type, text)
            elif isinstance(child, Field):
                run.append(child)
            else:
                self._flush(run)
                run = []
                if child.stimmen_type == "consent_block":
                    self._consent(child)
                elif id(child) in self.roles.matrices:
                    self._matrix_page(child)
                else:
                    self._group_page(child)
        self._flush(run)
        self._unused_lists()
        if self.shape.consent is None:
            self.report.warn(
                Location("survey"),
                "the form has no consent group (stimmen::type consent_block), which Stimmen requires before "
                "anything is stored; a German placeholder was added - replace it before use",
            )
            self.shape.consent = PLACEHOLDER_CONSENT
        if not self.shape.pages:
            self.report.error(Location("survey"), "the form has no question Stimmen can ask")
        return self.shape

    def _unused_lists(self) -> None:
        """Lists no question uses: kept (Stimmen allows spare choice lists) when their texts are complete."""
        for name, choices in self.ctx.lists.items():
            if name in self.list_users or choices.id in self.ctx.choice_lists:
                continue
            if all(row_text(c.row, "label").get(self.ctx.texts.languages.source) for c in choices.choices):
                self.ctx.choice_lists[choices.id] = choice_dicts(self.ctx, choices)
            else:
                self.report.warn(choices.row.at("list_name"), f"list '{name}' is used by no question; skipped")

    def _flush(self, run: list[Field]) -> None:
        """Questions outside any group: a page of their own, titled like the form."""
        if not run:
            return
        entries = [(q, f.row) for f in run if (q := self._question(f)) is not None]
        title = self.shape.title or self._form_title()
        page_id = self._unique("page")
        self.shape.rows.setdefault(page_id, run[0].row)
        self._pages(page_id, title, None, None, entries, split_warning=False)

    def _form_title(self) -> str:
        self.ctx.texts.plain(self.form_title)
        return self.form_title

    def _group_page(self, group: Group) -> None:
        assert group.row is not None
        page_id = self.roles.ids[id(group)]
        title = self.ctx.texts.source(group.row, "label")
        if title is None:
            self.report.warn(group.row.at("label"), f"group '{group.name}' has no label; its name is the page title")
            title = group.name
        relevant = self.ctx.logic.relevant(group.row)
        children = list(group.children)
        intro = None
        first = children[0] if children else None
        if isinstance(first, Field) and first.kind == "note" and first.stimmen_type == "intro":
            intro = self.ctx.texts.source(first.row, "label")
            children = children[1:]
        entries = self._entries(children, None)
        if not entries:
            self.report.warn(group.row.at(), f"group '{group.name}' has no question Stimmen can ask; it is skipped")
            return
        self._pages(page_id, title, intro, relevant, entries, split_warning=True)

    def _entries(self, children: list[Field | Group], relevant: str | None) -> list[tuple[dict[str, Any], Row]]:
        entries: list[tuple[dict[str, Any], Row]] = []
        for child in children:
            if isinstance(child, Field):
                if (converted := self._question(child, relevant)) is not None:
                    entries.append((converted, child.row))
            elif id(child) in self.roles.matrices:
                if (converted := self._matrix(child)) is not None:
                    assert child.row is not None
                    entries.append((converted, child.row))
            else:
                assert child.row is not None
                self.report.warn(
                    child.row.at("type"),
                    f"group '{child.name}' inside a group is flattened into the page (Stimmen pages do not nest); "
                    "its label is dropped and its condition applies to each of its questions",
                )
                entries += self._entries(child.children, both(relevant, self.ctx.logic.relevant(child.row)))
        return entries

    def _matrix_page(self, group: Group) -> None:
        assert group.row is not None
        converted = self._matrix(group)
        if converted is None:
            return
        relevant = converted.pop("relevant", None)
        page_id = self._unique(f"{converted['id']}_page")
        self.shape.rows.setdefault(page_id, group.row)
        self._pages(page_id, converted["text"], None, relevant, [(converted, group.row)], split_warning=False)

    def _matrix(self, group: Group) -> dict[str, Any] | None:
        return matrix(
            self.ctx, group, self.roles.ids[id(group)], self.roles.matrices[id(group)], self.roles.item_ids[id(group)]
        )

    def _question(self, node: Field, relevant: str | None = None) -> dict[str, Any] | None:
        if node.kind == "note" and node.stimmen_type in ("intro", "consent_text"):
            self.report.warn(node.row.at("stimmen::type"), f"'{node.stimmen_type}' is out of place here; ignored")
            return None
        return question(self.ctx, node, self.roles.ids[id(node)], relevant)

    def _pages(
        self,
        page_id: str,
        title: str,
        intro: str | None,
        relevant: str | None,
        entries: list[tuple[dict[str, Any], Row]],
        split_warning: bool,
    ) -> None:
        current: list[dict[str, Any]] = []
        on_page: set[str] = set()
        base, part = page_id, 1
        for converted, row in entries:
            reads = _names(converted.get("relevant"))
            if current and reads & on_page:
                self._add_page(page_id, title, intro, relevant, current)
                part += 1
                new_id = self._unique(f"{base}_{part}")
                self.shape.rows.setdefault(new_id, row)
                if split_warning:
                    self.report.warn(
                        row.at("relevant"),
                        f"'{converted['id']}' depends on an answer on the same page; Stimmen evaluates skip logic "
                        f"between pages, so it starts the new page '{new_id}' with the same title",
                    )
                page_id, intro, current, on_page = new_id, None, [], set()
            current.append(converted)
            on_page.add(converted["id"])
        if current:
            self._add_page(page_id, title, intro, relevant, current)

    def _add_page(
        self, page_id: str, title: str, intro: str | None, relevant: str | None, questions: list[dict[str, Any]]
    ) -> None:
        page: dict[str, Any] = {"id": page_id, "title": title}
        if intro:
            page["intro"] = intro
        if relevant:
            page["relevant"] = relevant
        page["questions"] = questions
        self.shape.pages.append(page)

    def _unique(self, base: str) -> str:
        candidate, number = base, 1
        while candidate in self.used:
            number += 1
            candidate = f"{base}_{number}"
        self.used.add(candidate)
        return candidate

    def _consent(self, group: Group) -> None:
        assert group.row is not None
        if self.shape.consent is not None:
            self.report.error(group.row.at("stimmen::type"), "a second consent group; Stimmen has one consent block")
            return
        texts = self.ctx.texts
        block: dict[str, Any] = {"title": texts.source(group.row, "label", required=True, what="the consent title")}
        statements = []
        for child in group.children:
            if isinstance(child, Field) and child.kind == "note" and "text" not in block:
                block["text"] = texts.source(child.row, "label", required=True, what="the consent text")
            elif isinstance(child, Field) and child.kind == "acknowledge":
                text = texts.source(child.row, "label", required=True, what="the consent statement")
                statements.append({"id": identifier(_strip(child.name, group.name), "s_"), "text": text})
            else:
                assert child.row is not None
                self.report.warn(child.row.at("type"), "the consent group holds a note and acknowledge rows; ignored")
        if "text" not in block:
            self.report.error(group.row.at(), "the consent group needs a note with the consent text")
        if not statements:
            self.report.error(group.row.at(), "the consent group needs at least one acknowledge row (a statement)")
        block["statements"] = statements
        self.shape.consent = block


def _strip(name: str, prefix: str) -> str:
    """Member ``attachment_city`` of group ``attachment`` is item ``city``."""
    rest = name[len(prefix) + 1 :] if name.startswith(f"{prefix}_") else ""
    return rest if rest and rest[0].isalpha() else name


def _names(expression: str | None) -> set[str]:
    """Question ids an expression reads (the matrix for ``matrix.item``)."""
    if not expression:
        return set()
    try:
        tree = ast.parse(expression, mode="eval")
    except SyntaxError:
        return set()
    return {node.id for node in ast.walk(tree) if isinstance(node, ast.Name)}
