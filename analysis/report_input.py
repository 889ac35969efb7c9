"""What the combined report is made from, as plain tables: the server fills it from its database, other
tools can fill it from their own exports.

All frames hold only submitted responses. Column names are part of the contract between the survey layer
(``survey.report_data``) and ``analysis.report``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from analysis.codebook import Codebook

RESPONSE_COLUMNS = ["response_id", "district", "language", "channel"]
"""Plus one column per group variable named in :attr:`ReportInput.groups` (e.g. ``age_group``, ``gender``);
``district`` is None where the respondent did not say."""
CLOSED_COLUMNS = ["response_id", "question_id", "item", "value"]
"""Closed answers, one row per chosen value: a multiple-choice answer with three ticks is three rows; ``item``
is the matrix line ("" elsewhere); ``value`` is the option's value as a string. Columns may be plain strings or
categoricals of strings (the server's loader gives categoricals; see :func:`positions`). Questions a respondent
was shown but skipped are absent; "no answer" options are rows like any other."""
TEXT_COLUMNS = ["answer_id", "response_id", "question_id", "text", "language", "quotable"]
"""Free-text answers; ``language`` is the text's language (detected, else the survey language);
``quotable`` is True when a coder approved it for quoting *and* the respondent consented to quotes."""
CODING_COLUMNS = ["answer_id", "code", "status"]
"""``status`` "decided": the answer has a final human decision (one row per answer, ``code`` None — deciding
on no code is a decision too, and the answer counts in the base of every code it could have had);
"accepted": a final human code (majority of the coders who decided on the answer); "suggested": a machine
suggestion on an answer no coder has decided on yet."""

WORKSHOP_COLUMNS = ["workshop_id", "organisation", "held_on", "participants"]
"""The wave's workshops (e.g. of migrant self-organisations): ``held_on`` an ISO date, ``participants`` the
workshop's submitted responses (a raw count: the report withholds it under the minimum)."""
STATEMENT_COLUMNS = [
    "statement_id",
    "workshop_id",
    "organisation",
    "held_on",
    "text",
    "language",
    "codes",
    "decided",
    "agree",
    "disagree",
    "pass",
    "voters",
]
"""Collective statements of the workshops, in the order they were written: ``codes`` a list of code ids, a
coder's if ``decided``, else the machine's suggestions; raw vote counts (``voters`` is their sum), which the
report withholds under the minimum."""


def positions(keys: pd.Series | list[str], column: pd.Series) -> np.ndarray:
    """Where each value of ``column`` stands in ``keys`` (-1: not there). A categorical column (as the server
    loads its millions of closed answers) is looked up once per category instead of once per row."""
    index = pd.Index(keys)
    if isinstance(column.dtype, pd.CategoricalDtype):
        found = np.append(index.get_indexer(column.cat.categories), -1)  # code -1 (missing) picks the last
        return found[column.cat.codes.to_numpy()]
    return index.get_indexer(column)


@dataclass
class ClosedQuestion:
    """A closed question as the report needs it: labels in the report language, options in order."""

    id: str
    label: str
    kind: str
    """single_choice, multiple_choice, scale or matrix."""
    options: list[tuple[str, str]]
    """(value, label) in questionnaire order."""
    items: list[tuple[str, str]] = field(default_factory=list)
    """Matrix lines as (item id, label); empty for other kinds."""


@dataclass
class ReportInput:
    wave: str
    """The wave's slug."""
    title: str
    year: int
    """The year the survey ran, to line it up with the indicators."""
    min_cell_size: int
    districts: list[str]
    questions: list[ClosedQuestion]
    text_questions: dict[str, str]
    """Free-text question id → label."""
    responses: pd.DataFrame
    closed: pd.DataFrame
    texts: pd.DataFrame
    codings: pd.DataFrame
    indicators: pd.DataFrame
    """``analysis.indicators.INDICATOR_COLUMNS``; may be empty."""
    codebook: Codebook
    groups: list[str] = field(default_factory=list)
    """Response columns to break code counts down by (e.g. age_group, gender)."""
    population: pd.DataFrame | None = None
    """Raking margins: columns ``variable``, ``value``, ``share`` (shares of each variable sum to 1), e.g.
    district shares of the population from the indicator table; None: shares are unweighted."""
    previous: ReportInput | None = None
    """The wave before, for comparison."""
    workshops: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=WORKSHOP_COLUMNS))
    statements: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=STATEMENT_COLUMNS))
