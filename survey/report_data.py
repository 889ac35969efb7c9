"""A wave's data as :class:`analysis.report_input.ReportInput`: plain tables the report is built from.

Rows come straight from the DBAPI cursor (a server-side one on PostgreSQL) into numpy columns, never into ORM
objects or SQLAlchemy rows, and are processed per distinct value rather than per row: a wave of 100,000
responses has millions of closed answers but only thousands of distinct stored values. All closed answers,
including the district, group and quote consent answers, are read in one query. Repeated strings (response
ids, question ids, option values) become categoricals, which keeps the frames small and spares the analysis
from hashing them again.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy import Text, cast, func
from sqlmodel import Session, select

from analysis.report_input import CLOSED_COLUMNS, CODING_COLUMNS, RESPONSE_COLUMNS, TEXT_COLUMNS, ReportInput
from analysis.report_model import Section
from survey import report_questions
from survey.coding import HUMAN, codable_columns, wave_questionnaires
from survey.coding_form import codebook
from survey.coding_reports import text_language
from survey.i18n import Translator, translator
from survey.indicators import indicator_frame
from survey.models import (
    Answer,
    Coding,
    CodingReview,
    CodingStatus,
    IndicatorValue,
    QuestionnaireVersion,
    Response,
    ResponseStatus,
    Wave,
)
from survey.questionnaire.schema import NO_ANSWER, Questionnaire
from survey.report_workshops import statement_frame, workshop_frame
from survey.settings import get_settings

CHUNK = 100_000
"""Rows per fetch from the cursor."""
SPLIT = 10_000
"""Responses whose joined answers are split into cells at a time."""
POPULATION = "Einwohnerinnen und Einwohner"
"""The indicator whose district values give the population margins for weighting."""


def load_report_input(session: Session, wave: Wave, language: str = "de", previous: Wave | None = None) -> ReportInput:
    """Everything the report needs about ``wave`` (and ``previous``, loaded the same way, for comparison)."""
    questionnaires = wave_questionnaires(session, wave)
    questionnaire = questionnaires[0]
    t = translator(get_settings().locales_dir, language)
    groups = report_questions.group_questions(questionnaire)
    questions = report_questions.closed_questions(questionnaire, t)
    district = report_questions.district_question(questionnaire)
    profile = {group: group for group in groups} | ({district: "district"} if district else {})
    answers = _answers(session, wave)
    asked = any(report_questions.has_quote_consent(q) for q in questionnaires)
    consented = _consented(answers) if asked else set()
    texts, codings = _free_texts(session, wave, consented)
    return ReportInput(
        wave=wave.slug,
        title=wave.title,
        year=wave_year(wave),
        min_cell_size=wave.min_cell_size,
        districts=list(wave.districts),
        questions=questions,
        text_questions=_text_labels(questionnaires, t),
        responses=_responses(session, wave, answers, profile, groups),
        closed=_closed(answers, [q.id for q in questions]),
        texts=texts,
        codings=codings,
        indicators=indicator_frame(session),
        codebook=codebook(),
        groups=groups,
        population=population_margins(session, wave),
        previous=load_report_input(session, previous, language) if previous else None,
        workshops=workshop_frame(session, wave),
        statements=statement_frame(session, wave),
    )


def _text_labels(questionnaires: list[Questionnaire], t: Translator) -> dict[str, str]:
    """Coded free-text questions of every questionnaire the wave asked; the wave's label where ids are shared."""
    labels: dict[str, str] = {}
    for questionnaire in questionnaires:
        for question, label in report_questions.text_questions(questionnaire, t).items():
            labels.setdefault(question, label)
    return labels


def previous_wave(session: Session, wave: Wave) -> Wave | None:
    """The most recent earlier wave of the same questionnaire (by opening day, else creation)."""
    questionnaire_id = select(QuestionnaireVersion.questionnaire_id).where(
        QuestionnaireVersion.id == wave.questionnaire_version_id
    )
    candidates = session.exec(
        select(Wave)
        .join(QuestionnaireVersion, QuestionnaireVersion.id == Wave.questionnaire_version_id)
        .where(QuestionnaireVersion.questionnaire_id == questionnaire_id.scalar_subquery(), Wave.id != wave.id)
    ).all()
    earlier = [w for w in candidates if _order(w) < _order(wave)]
    return max(earlier, key=_order, default=None)


def _order(wave: Wave) -> tuple:
    return (wave.opens_on or wave.created_at.date(), wave.created_at, wave.id)


def wave_year(wave: Wave) -> int:
    day = wave.opens_on or wave.closes_on or wave.created_at
    return day.year


def section_for(
    session: Session,
    wave: Wave,
    language: str = "de",
    *,
    weighted: bool = False,
    figures: bool = True,
    compare: bool = True,
) -> Section:
    """The report section for ``wave``, compared with the wave before unless ``compare`` is off."""
    from analysis.report import build_section

    before = previous_wave(session, wave) if compare else None
    data = load_report_input(session, wave, language, before)
    return build_section(data, language, figures=figures, weighted=weighted)


# ------------------------------------------------------------------------------------------------ reading


def _table(session: Session, query) -> np.ndarray:
    """The query's rows as a 2-D object array, read straight from the DBAPI cursor in large batches.

    SQLAlchemy still builds and binds the statement for the dialect, and the engine's cursor events still see
    it (query counts, logging), but its per-row result processing would cost more than the database does.
    PostgreSQL streams the rows from a server-side cursor. Values arrive as the driver gives them: select
    columns whose raw values are what the caller wants (text, integers; booleans may be 0/1 on SQLite).
    """
    connection = session.connection()
    state = query.compile(dialect=connection.dialect).construct_expanded_state()
    parameters: Any = {
        name: state.processors[name](value) if name in state.processors else value
        for name, value in state.parameters.items()
    }
    if state.positiontup is not None:
        parameters = tuple(parameters[name] for name in state.positiontup)
    raw = connection.connection
    cursor = raw.cursor("report_rows") if connection.dialect.supports_server_side_cursors else raw.cursor()
    try:
        connection.dispatch.before_cursor_execute(connection, cursor, state.statement, parameters, None, False)
        cursor.execute(state.statement, parameters)
        batches = [np.array(batch, dtype=object) for batch in iter(lambda: cursor.fetchmany(CHUNK), [])]
    finally:
        cursor.close()
    return np.concatenate(batches) if batches else np.empty((0, len(query.selected_columns)), dtype=object)


def _factorize(column: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Codes and distinct values with None appended, so that code -1 (NULL) picks None."""
    codes, uniques = pd.factorize(column)
    return codes, np.append(uniques.astype(object), None)


def _strings(values: np.ndarray) -> pd.api.extensions.ExtensionArray:
    """Pandas' string dtype, which the frames had when they were built from lists."""
    return pd.array(values, dtype="str")


VALUE = cast(Answer.value, Text)  # the stored JSON, decoded once per distinct text rather than once per row
UNIT, RECORD = "\x1f", "\x1e"
"""Separators of a response's answers, aggregated in the database: JSON text escapes control characters, and
question and item ids are plain identifiers."""


@dataclass
class _Answers:
    """A wave's stored answer values as codes into their distinct cells: the millions of rows of a large wave
    repeat a few tens of thousands of distinct (question, item, value) cells."""

    response: np.ndarray
    responses: np.ndarray
    cell: np.ndarray
    question: np.ndarray
    """Per distinct cell, like ``item``, ``text`` (the stored JSON) and ``value`` (decoded)."""
    item: np.ndarray
    text: np.ndarray
    value: list[Any]

    def rows(self, question_ids: Iterable[str], item: str | None = None) -> np.ndarray:
        cells = np.isin(self.question, list(question_ids))
        return (cells if item is None else cells & (self.item == item))[self.cell]


def _answers(session: Session, wave: Wave) -> _Answers:
    """All values of the wave's submitted answers, one row per response from the database (its answers joined by
    :data:`RECORD`), so that SQLite streams them along the answer index and Python splits them in one call."""
    submitted = select(Response.id).where(Response.wave_id == wave.id, Response.status == ResponseStatus.submitted)
    cells = func.aggregate_strings(Answer.question_id + UNIT + Answer.item + UNIT + VALUE, RECORD)
    query = (
        select(Answer.response_id, func.count(), cells)
        .where(Answer.response_id.in_(submitted), Answer.value.is_not(None))
        .group_by(Answer.response_id)
    )
    table = _table(session, query)
    cells: dict[str, int] = {}
    codes = [np.empty(0, dtype=np.int64)]
    for start in range(0, len(table), SPLIT):  # a slice at a time: millions of short strings at once cost memory
        local, found = pd.factorize(np.array(RECORD.join(table[start : start + SPLIT, 2]).split(RECORD), dtype=object))
        codes.append(np.array([cells.setdefault(value, len(cells)) for value in found], dtype=np.int64)[local])
    cell, distinct = np.concatenate(codes), list(cells)
    parts = np.array([d.split(UNIT, 2) for d in distinct], dtype=object).reshape(len(distinct), 3)
    question, item, text = parts.T
    response = np.repeat(np.arange(len(table)), table[:, 1].astype(np.int64))
    responses = table[:, 0].copy()  # not a view: the table's joined strings can go
    return _Answers(response, responses, cell, question, item, text, [json.loads(t) for t in text])


def _said(value: Any) -> str | None:
    """A district or group answer; "prefer not to say" counts as not said."""
    return None if value in (None, NO_ANSWER) else str(value) or None


def _responses(
    session: Session, wave: Wave, answers: _Answers, profile: dict[str, str], groups: list[str]
) -> pd.DataFrame:
    """One row per submitted response, with its district and group answers (None where not said)."""
    query = select(Response.id, Response.language, Response.channel).where(
        Response.wave_id == wave.id, Response.status == ResponseStatus.submitted
    )
    table = _table(session, query)
    columns = {name: np.full(len(table), None, dtype=object) for name in RESPONSE_COLUMNS + groups}
    columns["response_id"] = table[:, 0]
    for name, column in (("language", table[:, 1]), ("channel", table[:, 2])):
        codes, uniques = _factorize(column)
        columns[name] = uniques.take(codes)
    # answers of responses submitted after the first query have no row (position -1)
    position = pd.Index(table[:, 0]).get_indexer(answers.responses)[answers.response]
    said = np.array([_said(value) for value in answers.value], dtype=object)
    for question, name in profile.items():
        rows = answers.rows([question], item="") & (position >= 0)
        columns[name][position[rows]] = said[answers.cell[rows]]
    return pd.DataFrame(columns, dtype=object)  # object: None where not said, as the analysis expects


def _closed(answers: _Answers, question_ids: list[str]) -> pd.DataFrame:
    """One row per chosen value: multiple-choice arrays are exploded with index arithmetic, not per row. The
    columns are categoricals over the codes the answers already have, so nothing hashes millions of strings."""
    chosen = [_chosen(value) for value in answers.value]
    lengths = np.array([len(c) for c in chosen], dtype=np.int64)
    value_codes, values = pd.factorize(np.array([v for c in chosen for v in c], dtype=object))
    rows = np.flatnonzero(answers.rows(question_ids))
    count = lengths[answers.cell[rows]]
    rows = np.repeat(rows, count)
    first = (np.cumsum(lengths) - lengths)[answers.cell[rows]]
    within = np.arange(len(rows)) - np.repeat(np.cumsum(count) - count, count)
    question_codes, questions = pd.factorize(answers.question)
    item_codes, items = pd.factorize(answers.item)
    columns = (
        (answers.response[rows], answers.responses),
        (question_codes[answers.cell[rows]], questions),
        (item_codes[answers.cell[rows]], items),
        (value_codes[first + within], values),
    )
    return pd.DataFrame(
        {
            name: pd.Categorical.from_codes(codes, pd.Index(categories, dtype="str"))
            for name, (codes, categories) in zip(CLOSED_COLUMNS, columns, strict=True)
        }
    )


def _chosen(value: Any) -> Iterable[str]:
    """A stored closed answer as the option values chosen: a list (multiple choice) or one value."""
    if value is None:
        return ()
    return [str(v) for v in value] if isinstance(value, list) else (str(value),)


def _consented(answers: _Answers) -> set[str]:
    """Responses whose author ticked the quote consent (stored as JSON ``true``)."""
    rows = answers.rows([report_questions.QUOTE_CONSENT]) & (answers.text == "true")[answers.cell]
    return set(answers.responses[answers.response[rows]])


def _free_texts(session: Session, wave: Wave, consented: set[str]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The texts and their codings, which share the coders' reviews."""
    texts = _texts(session, wave)
    ids = texts["answer_id"].to_numpy()
    reviews = _reviews(session, ids)
    approved = texts["answer_id"].isin(reviews.loc[reviews["quotable"], "answer_id"])
    texts["quotable"] = approved & texts["response_id"].isin(consented)
    return texts, _codings(session, ids, reviews)


def _texts(session: Session, wave: Wave) -> pd.DataFrame:
    """The wave's codable free texts, without ``quotable``."""
    columns = (Answer.id, Answer.response_id, Answer.question_id, Answer.text, Answer.language, Response.language)
    table = _table(session, codable_columns(session, wave, *columns).order_by(None))  # sorted here, not in SQL
    table = table[np.argsort(table[:, 0].astype(np.int64), kind="stable")]
    language = _text_languages(table[:, 4], table[:, 5])
    columns = (table[:, 0].astype(np.int64), *map(_strings, (table[:, 1], table[:, 2], table[:, 3], language)))
    return pd.DataFrame(dict(zip(TEXT_COLUMNS, columns, strict=False)))


def _of_answers(session: Session, query, answer_id, ids: np.ndarray, columns: list[str]) -> pd.DataFrame:
    """Rows of a coding table about the answers ``ids``: read by the id range they span, which walks the table's
    answer index instead of joining every row to its answer and response, then narrowed to ``ids`` here."""
    if not len(ids):
        return pd.DataFrame(columns=columns)
    frame = pd.DataFrame(
        _table(session, query.where(answer_id.between(int(ids.min()), int(ids.max())))), columns=columns
    )
    return frame[frame["answer_id"].isin(ids)].astype({"answer_id": np.int64})


def _reviews(session: Session, ids: np.ndarray) -> pd.DataFrame:
    """Every coder's decision on the answers ``ids``, in review order (the first reviewer comes first)."""
    query = select(CodingReview.answer_id, CodingReview.user_id, CodingReview.quotable).order_by(
        CodingReview.reviewed_at, CodingReview.id
    )
    frame = _of_answers(session, query, CodingReview.answer_id, ids, ["answer_id", "user_id", "quotable"])
    return frame.astype({"user_id": np.int64, "quotable": bool})  # SQLite gives 0/1


def _text_languages(detected: np.ndarray, answered_in: np.ndarray) -> np.ndarray:
    """:func:`text_language` per distinct pair: a handful of languages, hundreds of thousands of texts."""
    detected_codes, detected_values = _factorize(detected)
    answered_codes, answered_values = _factorize(answered_in)
    languages = np.empty((len(detected_values), len(answered_values)), dtype=object)
    for i, language in enumerate(detected_values):
        for j, answered in enumerate(answered_values):
            languages[i, j] = text_language(language, answered)
    return languages[detected_codes, answered_codes]


def _codings(session: Session, ids: np.ndarray, reviews: pd.DataFrame) -> pd.DataFrame:
    """Every decided answer, its final human codes, and machine suggestions on the answers no coder has decided on
    yet: an answer decided to have no code still counts in the base of every code it could have had.

    Final codes as in :func:`survey.coding.final_codes` (those at least half of the answer's coders accepted),
    counted with a groupby instead of one object per decision.
    """
    human = (Coding.source == HUMAN, Coding.status == CodingStatus.accepted)
    query = select(Coding.answer_id, Coding.user_id, Coding.code).where(*human).distinct()
    accepted = _of_answers(session, query, Coding.answer_id, ids, ["answer_id", "user_id", "code"])
    query = select(Coding.answer_id, Coding.code).where(Coding.source != HUMAN, Coding.status == CodingStatus.suggested)
    suggested = _of_answers(session, query.distinct(), Coding.answer_id, ids, ["answer_id", "code"])
    machine = suggested[~suggested["answer_id"].isin(reviews["answer_id"])].assign(status="suggested")
    decided = reviews[["answer_id", "user_id"]]
    coders = decided.groupby("answer_id", sort=False).size()  # in the order of each answer's first review
    votes = (
        accepted.astype({"user_id": np.int64})
        .merge(decided, on=["answer_id", "user_id"])
        .groupby(["answer_id", "code"], as_index=False)
        .size()
    )
    final = votes[2 * votes["size"] >= coders.loc[votes["answer_id"]].to_numpy()]
    human = pd.concat(
        [
            pd.DataFrame({"answer_id": coders.index, "code": None, "status": "decided"}),
            final[["answer_id", "code"]].assign(status="accepted"),
        ]
    )
    first = pd.Series(np.arange(len(coders)), index=coders.index).loc[human["answer_id"]].to_numpy()
    human = human.assign(first=first).sort_values(["first", "code"], na_position="first", kind="stable")
    rows = pd.concat([human[CODING_COLUMNS], machine], ignore_index=True)
    return rows.astype({"answer_id": np.int64, "code": object, "status": "str"})  # code None on "decided" rows


def population_margins(session: Session, wave: Wave) -> pd.DataFrame | None:
    """District shares of the population in the latest year up to the survey's, for raking; None without."""
    found = (
        IndicatorValue.indicator == POPULATION,
        IndicatorValue.district.in_(wave.districts),
        IndicatorValue.year <= wave_year(wave),
        IndicatorValue.value.is_not(None),
    )
    year = session.exec(select(func.max(IndicatorValue.year)).where(*found)).one()
    if year is None:
        return None
    query = select(IndicatorValue.district, IndicatorValue.value).where(*found, IndicatorValue.year == year)
    values = dict(session.exec(query).all())
    total = sum(values.values())
    if total <= 0:
        return None
    shares = [("district", district, values[district] / total) for district in wave.districts if district in values]
    return pd.DataFrame(shares, columns=["variable", "value", "share"])
