"""Workshops and their collective statements in the report: who held them, what the groups said, how they voted.

Counts pass through ``analysis.privacy`` like every other figure: a statement's votes are shown only from the
minimum number of voters on, and then without the vote counts under the minimum (with the secondary
suppression that keeps them from being worked out from the number of voters); a workshop's participants under
the minimum are withheld. Statements are written by groups, yet names and contacts are masked as in quotes.
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from analysis.codebook import Codebook
from analysis.fields import FieldOfAction
from analysis.privacy import ENGLISH_PLACEHOLDERS, mask_personal_data, suppress_counts
from analysis.report_model import Statement, WorkshopHeld

VOTES = ("agree", "disagree", "pass")


def shown_votes(counts: dict[str, int], min_cell: int) -> dict[str, int | None] | None:
    """A statement's vote counts as they may be shown: None under ``min_cell`` voters, else withheld counts None."""
    voters = sum(counts.values())
    if voters < min_cell:
        return None
    withheld = suppress_counts(counts, min_cell, voters)
    return {vote: None if vote in withheld else n for vote, n in counts.items()}


def workshops_held(workshops: pd.DataFrame, statements: pd.DataFrame, min_cell: int) -> list[WorkshopHeld]:
    """Each workshop with its participants (withheld under the minimum) and how many statements it wrote."""
    participants = {
        str(key): int(n) for key, n in zip(workshops["workshop_id"], workshops["participants"], strict=True)
    }
    withheld = suppress_counts(participants, min_cell)  # no total of workshop participants is published
    written = statements["workshop_id"].astype(str).value_counts()
    return [
        WorkshopHeld(
            organisation=str(organisation),
            held_on=str(held_on),
            participants=None if key in withheld else participants[key],
            suppressed=key in withheld,
            statements=int(written.get(key, 0)),
        )
        for key, organisation, held_on in zip(
            participants, workshops["organisation"], workshops["held_on"], strict=True
        )
    ]


def collective_statements(
    statements: pd.DataFrame, codebook: Codebook, min_cell: int, language: str
) -> list[Statement]:
    """The statements for the report, masked, with code labels in ``language`` and votes through the privacy rules."""
    labels = {code.id: code.label for code in codebook.all_codes()}
    placeholders = ENGLISH_PLACEHOLDERS if language == "en" else None
    result = []
    for row in statements.to_dict("records"):  # a few dozen rows
        shown = shown_votes({vote: int(row[vote]) for vote in VOTES}, min_cell)
        codes = [str(code) for code in row["codes"]]
        result.append(
            Statement(
                text=mask_personal_data(str(row["text"]), str(row["language"]), placeholders=placeholders),
                language=str(row["language"]),
                organisation=str(row["organisation"]),
                held_on=str(row["held_on"]),
                codes=codes,
                code_labels=[
                    labels.get(code, {}).get(language) or labels.get(code, {}).get("de") or code for code in codes
                ],
                decided=bool(row["decided"]),
                voters=None if shown is None else int(row["voters"]),
                votes=shown or dict.fromkeys(VOTES),
                suppressed=shown is None,
            )
        )
    return result


def in_field(statements: list[Statement], item: FieldOfAction) -> list[Statement]:
    """The statements with a code of the field: a statement about housing and language stands in both."""
    return [statement for statement in statements if any(item.has_code(code) for code in statement.codes)]


def unplaced(statements: list[Statement], fields: Iterable[FieldOfAction]) -> list[Statement]:
    """The statements no field of action takes (no code yet, or only codes of no field)."""
    fields = list(fields)
    return [s for s in statements if not any(item.has_code(code) for item in fields for code in s.codes)]
