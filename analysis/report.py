"""The combined report section: indicators, survey shares and coded voices merged per field of action.

Every figure passes through the privacy rules (``analysis.shares`` calls ``analysis.privacy``), every field of
action appears even without data, and strengths always stand beside barriers. The work is vectorised pandas
(``closed_results``, ``findings``) so the section for 100,000 responses builds in seconds; word clouds read a
bounded sample of texts.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pandas as pd

from analysis import figures as charts
from analysis.closed_results import closed_results, district_positions
from analysis.clouds import CloudUnavailableError
from analysis.fields import Catalogue, FieldOfAction, load_catalogue
from analysis.findings import accepted_codes, co_occurrences, code_counts, code_pairs
from analysis.indicator_status import indicator_rows
from analysis.methods_notes import methods_notes
from analysis.privacy import SMALL_BASE, suppressed_districts
from analysis.quotes import choose_quotes, quotable_answers
from analysis.report_input import ReportInput
from analysis.report_model import ClosedResult, CodeCount, FieldSection, Figure, Section, Share
from analysis.shares import make_share, withheld_share
from analysis.statistics import RakingError, rake
from analysis.summary import FIELD_HEADLINES, HEADLINES, field_summary, section_summary
from analysis.terms import word_frequencies
from analysis.workshop_voices import collective_statements, in_field, unplaced, workshops_held

CLOUD_SAMPLE = 300
"""Texts read for a field's word cloud: enough for its frequent words, bounded however large the wave."""
CLOUD_MIN_TEXTS = 50
"""Fewer answers than this make no word cloud: their few shared words say little, and each cloud costs time."""
TITLES = {"de": "Integrationsmonitoring: {title}", "en": "Integration monitoring: {title}"}
WEIGHTING = {
    "de": "Die Anteile sind durch Raking (iterative proportionale Anpassung) auf die Bevölkerungsanteile nach "
    "{margins} gewichtet; die Intervalle nutzen die effektive Fallzahl nach Kish, n ist die ungewichtete Zahl "
    "der Antworten. Offene Antworten sind ungewichtet gezählt.",
    "en": "Shares are weighted by raking (iterative proportional fitting) to the population shares by {margins}; "
    "intervals use Kish's effective sample size, n is the unweighted number of answers. Free-text answers are "
    "counted unweighted.",
}
NOT_WEIGHTED = {
    "de": "Eine Gewichtung auf die Bevölkerungsanteile war nicht möglich ({reason}); die Anteile sind ungewichtet.",
    "en": "Weighting to the population shares was not possible ({reason}); shares are unweighted.",
}


def build_section(data: ReportInput, language: str = "de", *, figures: bool = True, weighted: bool = False) -> Section:
    """The report section for ``data``'s wave in German (or English, ``language="en"``)."""
    catalogue = load_catalogue()
    withheld = _withheld_districts(data)
    weights, weighting = _weights(data, language) if weighted else (None, None)
    closed = closed_results(data, withheld, weights, HEADLINES)
    accepted = accepted_codes(data)
    codes = code_counts(data, accepted, catalogue, withheld, language)
    previous = _previous(data.previous, language, weighted)
    if previous is not None:
        _attach_previous(closed.results, codes, previous)
    rows = indicator_rows(data.indicators)
    field_of_row, extra_fields = _indicator_fields(data.indicators, catalogue)
    quotable = quotable_answers(data.texts)
    quotable_codes = accepted[accepted["answer_id"].isin(quotable["answer_id"])]  # few: filter once, not per field
    used_codes = accepted["code"].unique()
    pairs = code_pairs(accepted)
    statements = collective_statements(data.statements, data.codebook, data.min_cell_size, language)

    together = next(item for item in catalogue.fields if item.id == "living_together")
    sections = []
    for item in [*catalogue.fields, *extra_fields]:
        field_rows = [row for row in rows if field_of_row.get(row.indicator) == item.id]
        field_closed = _field_closed(item, closed.results)
        field_codes = [code for code in used_codes if item.has_code(code)]
        strengths = [code for code in codes.values() if item.has_code(code.code) and code.kind == "strength"]
        barriers = [code for code in codes.values() if item.has_code(code.code) and code.kind != "strength"]
        if barriers and not strengths:  # strengths always beside barriers: those for living together
            strengths = [code for code in codes.values() if code.kind == "strength" and together.has_code(code.code)]
        section = FieldSection(
            id=item.id,
            title=item.title(language),
            indicators=field_rows,
            closed=field_closed,
            strengths=strengths,
            barriers=barriers,
            co_occurrences=co_occurrences(pairs, [c.code for c in strengths + barriers], data.min_cell_size),
            quotes=choose_quotes(quotable, quotable_codes, field_codes, catalogue.kind, language),
            figures=[],
            summary=[],
            statements=in_field(statements, item),
        )
        has_data = bool(field_rows or field_closed or strengths or barriers or section.statements)
        headline = closed.headlines.get(FIELD_HEADLINES.get(item.id, ""))
        section.summary = field_summary(section, headline, has_data, _wave_of(data.previous), language)
        if figures:
            section.figures = _figures(section, data, accepted, field_codes, language)
        sections.append(section)

    sources = sorted({row.source for row in rows if row.source})
    return Section(
        wave=data.wave,
        title=TITLES.get(language, TITLES["de"]).format(title=data.title),
        language=language,
        generated_at=datetime.now(UTC).isoformat(timespec="seconds"),
        respondents=len(data.responses),
        min_cell_size=data.min_cell_size,
        districts=list(data.districts),
        suppressed_districts=[district for district in data.districts if district in withheld],
        previous_wave=_wave_of(data.previous),
        weighting=weighting,
        summary=section_summary(
            data.title, len(data.responses), closed.headlines, sections, _wave_of(data.previous), language
        ),
        fields=sections,
        methods=methods_notes(
            data.wave,
            data.year,
            len(data.responses),
            sources,
            data.min_cell_size,
            SMALL_BASE,
            weighting,
            language,
            workshops=not data.workshops.empty,
        ),
        workshops=workshops_held(data.workshops, data.statements, data.min_cell_size),
        other_statements=unplaced(statements, [*catalogue.fields, *extra_fields]),
    )


MARGIN_NAMES = {
    "de": {"district": "Stadtteil", "age_group": "Altersgruppe", "gender": "Geschlecht"},
    "en": {"district": "district", "age_group": "age group", "gender": "gender"},
}


def _weights(data: ReportInput, language: str) -> tuple[pd.Series | None, str | None]:
    """Raking weights and the sentence that documents them (or says why shares stay unweighted)."""
    notes = "en" if language == "en" else "de"
    margins = data.population
    if margins is None or margins.empty:
        return None, None
    margins = margins[margins["variable"].isin(data.responses.columns)]
    try:
        weights = rake(data.responses, margins)
    except RakingError as error:
        return None, NOT_WEIGHTED[notes].format(reason=error)
    names = [MARGIN_NAMES[notes].get(variable, variable) for variable in margins["variable"].unique()]
    return weights, WEIGHTING[notes].format(margins=", ".join(names))


def _previous(data: ReportInput | None, language: str, weighted: bool) -> tuple[dict, dict] | None:
    """The previous wave's city shares per (question, option) and per code."""
    if data is None:
        return None
    withheld = _withheld_districts(data)
    weights = _weights(data, language)[0] if weighted else None
    closed = closed_results(data, withheld, weights)
    shares = {(r.question, o.option): o.overall for r in closed.results for o in r.options}
    codes = code_counts(data, accepted_codes(data), load_catalogue(), withheld, language)
    return shares, {code.code: _code_share(code) for code in codes.values()}


def _code_share(code: CodeCount) -> Share:
    return withheld_share() if code.suppressed else make_share(code.count, code.n)


def _attach_previous(results: list[ClosedResult], codes: dict[str, CodeCount], previous: tuple[dict, dict]) -> None:
    shares, code_shares = previous
    for result in results:
        for option in result.options:
            option.previous = shares.get((result.question, option.option))
    for code in codes.values():
        code.previous = code_shares.get(code.code)


def _indicator_fields(indicators: pd.DataFrame, catalogue: Catalogue) -> tuple[dict[str, str], list[FieldOfAction]]:
    """Each indicator's field id, and fields for titles the catalogue does not know (in order of appearance)."""
    if indicators.empty:
        return {}, []
    pairs = indicators[["indicator", "field_of_action"]].drop_duplicates("indicator")
    known = {item.id for item in catalogue.fields}
    mapping, extras = {}, {}
    for indicator, title in zip(pairs["indicator"], pairs["field_of_action"].fillna(""), strict=True):
        field_id = catalogue.field_of_indicator(str(title))
        mapping[str(indicator)] = field_id
        if field_id not in known and field_id not in extras:
            extras[field_id] = FieldOfAction(id=field_id, titles={"de": str(title)})
    return mapping, list(extras.values())


def _field_closed(item: FieldOfAction, results: list[ClosedResult]) -> list[ClosedResult]:
    """The field's closed questions whole, and single options of others (shares still of all who answered)."""
    chosen = []
    for result in results:
        options = item.closed_options(result.question.split(".")[0])
        if options == ():
            chosen.append(result)
        elif options:
            kept = [option for option in result.options if option.option in options]
            if kept:
                chosen.append(ClosedResult(result.question, result.label, kept))
    return chosen


def _withheld_districts(data: ReportInput) -> set[str]:
    """Districts with too few respondents, and complements so the city total minus the rest reveals none."""
    positions = district_positions(data.responses, data.districts)
    respondents = pd.Series(positions[positions >= 0]).value_counts()
    return suppressed_districts(
        {district: int(respondents.get(i, 0)) for i, district in enumerate(data.districts)},
        data.min_cell_size,
        unassigned=int((positions < 0).sum()),
    )


def _wave_of(data: ReportInput | None) -> str | None:
    return None if data is None else data.wave


def _figures(
    section: FieldSection, data: ReportInput, accepted: pd.DataFrame, field_codes: list[str], language: str
) -> list[Figure]:
    """One figure of each kind at most: the indicator chart (city-wide rows only), the shares of the key
    question's most chosen option, strengths beside barriers, and a word cloud; a figure without data is left out."""
    made = [charts.indicator_chart(section.indicators, section.title, language)]
    if section.closed:
        key = section.closed[0]
        option = max(key.options, key=lambda option: option.overall.share or 0.0).option
        made.append(charts.shares_chart(key, option, language))
    made.append(charts.codes_chart(section.strengths, section.barriers, section.title, language))
    made.append(_cloud(section, data, accepted, field_codes, language))
    return [figure for figure in made if figure is not None]


def _cloud(
    section: FieldSection, data: ReportInput, accepted: pd.DataFrame, field_codes: list[str], language: str
) -> Figure | None:
    answer_ids = accepted.loc[accepted["code"].isin(field_codes), "answer_id"].unique()
    texts = data.texts[data.texts["answer_id"].isin(answer_ids)]
    if len(texts) < max(CLOUD_MIN_TEXTS, data.min_cell_size):
        return None
    text_language = str(texts["language"].mode().iloc[0])
    texts = texts[texts["language"] == text_language]
    if len(texts) > CLOUD_SAMPLE:
        texts = texts.sample(CLOUD_SAMPLE, random_state=0)
    frequencies = word_frequencies(texts["text"].tolist(), text_language, min_answers=data.min_cell_size)
    try:
        return charts.cloud_figure(frequencies, text_language, section.title, language)
    except CloudUnavailableError:
        return None
