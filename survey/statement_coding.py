"""Coding the collective statements of a wave's workshops, like free-text answers but one decision each.

A statement is short and written by a group, so it gets no segments, no double coding and no quote approval:
the machine suggests codes (the same :class:`analysis.coding.Coder` as for answers), one coder confirms or
corrects them, and that decision replaces the suggestions in the report.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from sqlmodel import Session, func, select

from analysis.coding import Coder
from survey.coding_form import CodeGroup, code_groups, codebook
from survey.models import User, Wave, Workshop, WorkshopStatement


@dataclass(frozen=True)
class Progress:
    statements: int
    decided: int


def _of_wave(wave: Wave):
    return (
        select(WorkshopStatement, Workshop)
        .join(Workshop, Workshop.id == WorkshopStatement.workshop_id)
        .where(Workshop.wave_id == wave.id)
    )


def wave_statements(db: Session, wave: Wave) -> list[tuple[WorkshopStatement, Workshop]]:
    """Every statement of the wave's workshops with its workshop, in the order the workshops were held."""
    query = _of_wave(wave).order_by(Workshop.held_on, Workshop.id, WorkshopStatement.position, WorkshopStatement.id)
    return [(statement, workshop) for statement, workshop in db.exec(query)]


def statement_in_wave(db: Session, wave: Wave, statement_id: str) -> WorkshopStatement | None:
    """The statement with this (posted) id if it belongs to one of the wave's workshops."""
    if not re.fullmatch(r"[0-9]{1,9}", statement_id):
        return None
    row = db.exec(_of_wave(wave).where(WorkshopStatement.id == int(statement_id))).first()
    return row[0] if row else None


def progress(db: Session, wave: Wave) -> Progress:
    query = (
        select(func.count(), func.count(WorkshopStatement.codes))
        .join(Workshop, Workshop.id == WorkshopStatement.workshop_id)
        .where(Workshop.wave_id == wave.id)
    )
    statements, decided = db.exec(query).one()
    return Progress(statements, decided)


@dataclass(frozen=True)
class StatementForm:
    """One statement on the coder's page: its suggestions, the rest of the codebook, and what is ticked."""

    statement: WorkshopStatement
    workshop: Workshop
    groups: list[CodeGroup]
    """The codebook's codes without the suggested ones, so every code has one checkbox."""
    checked: set[str]
    codebook_open: bool
    """A ticked code is among the groups: show them unfolded."""


def statement_forms(db: Session, wave: Wave, posted: dict[int, list[str]] | None = None) -> list[StatementForm]:
    """The page's forms; ``posted`` keeps what a coder sent for a statement whose form had errors."""
    groups = code_groups(codebook(), None)
    forms = []
    for statement, workshop in wave_statements(db, wave):
        suggested = set(suggested_codes(statement))
        checked = set((posted or {}).get(statement.id, ticked(statement)))
        rest = [CodeGroup(g.code, [c for c in g.leaves if c.id not in suggested]) for g in groups]
        forms.append(
            StatementForm(statement, workshop, [g for g in rest if g.leaves], checked, bool(checked - suggested))
        )
    return forms


def suggested_codes(statement: WorkshopStatement) -> list[str]:
    return [suggestion["code"] for suggestion in statement.suggestions or []]


def ticked(statement: WorkshopStatement) -> list[str]:
    """The coder's codes once decided; until then the machine's suggestions, for the coder to confirm."""
    return statement.codes if statement.codes is not None else suggested_codes(statement)


def save_codes(db: Session, statement: WorkshopStatement, user: User, codes: Iterable[str]) -> None:
    """Record a coder's decision; no code at all is a decision too (an empty list, not None)."""
    statement.codes = list(dict.fromkeys(codes))
    statement.coded_by = user.id
    db.add(statement)
    db.commit()


def suggest_statements(db: Session, wave: Wave, coder: Coder) -> int:
    """Suggest codes for every statement no coder has decided on; returns how many statements were coded.

    Statements are not scoped to a question: a group may say what concerns it, what works and what it wishes.
    """
    undecided = [statement for statement, _ in wave_statements(db, wave) if statement.codes is None]
    if not undecided:
        return 0
    coded = coder.code([s.text for s in undecided], [s.language for s in undecided])
    for statement, answer in zip(undecided, coded, strict=True):
        statement.suggestions = [
            {"code": s.code, "confidence": round(s.confidence, 3), "source": s.source} for s in answer.suggestions
        ]
        db.add(statement)
    db.commit()
    return len(undecided)
