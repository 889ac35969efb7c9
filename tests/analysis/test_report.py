"""The report section on a synthetic wave: fields, indicator status, intervals, privacy, codes, quotes, weighting."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from analysis.fields import load_catalogue
from analysis.indicator_status import indicator_status, indicator_trend
from analysis.privacy import mask_personal_data
from analysis.report import build_section
from analysis.report_input import ReportInput
from analysis.report_model import ClosedResult, CodeCount, Section
from tests.analysis.report_input_data import DISTRICTS, MAIL, SIZES, SMALL, earlier_wave, expected_counts, report_input

NUMBERS = ("count", "n", "share", "low", "high")


@pytest.fixture(scope="module")
def data() -> ReportInput:
    return report_input()


@pytest.fixture(scope="module")
def section(data: ReportInput) -> Section:
    return build_section(data, figures=False)


def closed(section: Section, question: str) -> ClosedResult:
    """The whole question (other fields may show single options of it)."""
    results = [result for field in section.fields for result in field.closed if result.question == question]
    return max(results, key=lambda result: len(result.options))


def code(section: Section, code_id: str) -> CodeCount:
    return next(c for field in section.fields for c in field.strengths + field.barriers if c.code == code_id)


def option(result: ClosedResult, value: str):
    return next(o for o in result.options if o.option == value)


def test_every_field_of_action_appears_with_a_heading_and_a_summary(section: Section) -> None:
    ids = [field.id for field in section.fields]
    assert [item.id for item in load_catalogue().fields] == ids[: len(load_catalogue().fields)]
    assert "sport_und_freizeit" in ids  # an indicator's unknown field becomes a field of its own
    for field in section.fields:
        assert field.title
        assert 1 <= len(field.summary) <= 3
    political = next(field for field in section.fields if field.id == "political")
    assert political.title == "Politische Teilhabe und Einbürgerung"
    assert [row.indicator for row in political.indicators] == ["Einbürgerungsquote"]


def test_indicators_are_matched_by_title_id_or_english_title_in_any_case(section: Section) -> None:
    fields = {row.indicator: field.id for field in section.fields for row in field.indicators}
    assert fields["Kita-Besuchsquote"] == "education"  # "BILDUNG"
    assert fields["Wohnkostenbelastung"] == "housing"  # "Housing"
    assert fields["Arbeitslosenquote"] == "work"


@pytest.mark.parametrize(
    ("indicator", "district", "status", "trend"),
    [
        ("Arbeitslosenquote", None, "on_track", "improving"),  # 7 between target 6 and threshold 10, 8 → 7
        ("Arbeitslosenquote", "Nordend", "below_threshold", "improving"),  # 11 > 10 (lower is better), −8.3 %
        ("Einbürgerungsquote", None, "target_reached", "improving"),  # 2.1 ≥ 2.0, +16.7 %
        ("Kita-Besuchsquote", None, "below_threshold", "worsening"),  # 76 < 80, −2.6 %
        ("Wohnkostenbelastung", None, "no_target", "stable"),  # +1 %, under the 2 % of "stable"
        ("Ärztliche Versorgung", None, "missing", "unknown"),  # 2023 withheld, only one value left
    ],
)
def test_indicator_status_and_trend(section: Section, indicator: str, district, status: str, trend: str) -> None:
    row = next(
        row
        for field in section.fields
        for row in field.indicators
        if (row.indicator, row.district) == (indicator, district)
    )
    assert (row.status, row.trend) == (status, trend)


def test_indicator_status_reads_the_direction() -> None:
    assert indicator_status(12, 10, 5, True, "stable") == "target_reached"
    assert indicator_status(12, 10, 15, False, "stable") == "between"
    assert indicator_status(12, 10, 15, False, "improving") == "on_track"
    assert indicator_status(16, 10, 15, False, "improving") == "below_threshold"
    assert indicator_status(4, 10, 5, True, "improving") == "below_threshold"
    assert indicator_status(None, 10, 5, True, "unknown") == "missing"
    assert indicator_trend([10.0, None, 9.0], higher_is_better=False) == "improving"
    assert indicator_trend([10.0, 9.0], higher_is_better=True) == "worsening"
    assert indicator_trend([10.0, 10.1], higher_is_better=True) == "stable"
    assert indicator_trend([None, 10.0], higher_is_better=True) == "unknown"


def test_shares_carry_hand_computed_wilson_intervals(section: Section, data: ReportInput) -> None:
    yes = option(closed(section, "discrimination_any"), "yes")
    nordend = yes.by_district["Nordend"]
    # 20 of 100: p = .2, z²/n = .038415, centre = (.2 + .0192075)/1.038415 = .211097,
    # half width = 1.96·√(.0016 + .000096)/1.038415 = .077733 → .1334 to .2888
    assert (nordend.count, nordend.n) == (20, 100)
    assert (nordend.low, nordend.high) == pytest.approx((0.1334, 0.2888), abs=1e-4)
    assert not nordend.small_base
    expected = expected_counts(data, "discrimination_any", "yes")
    assert yes.overall.count == expected.sum()
    assert yes.overall.n == len(data.responses)
    assert yes.overall.share == pytest.approx(expected.sum() / len(data.responses))


def test_multiple_choice_base_is_everyone_who_answered_the_question(section: Section, data: ReportInput) -> None:
    housing = option(closed(section, "discrimination_domains"), "housing")
    answered = data.closed.loc[data.closed["question_id"] == "discrimination_domains", "response_id"].nunique()
    assert housing.overall.n == answered
    assert housing.overall.count == answered  # every one of them ticked housing
    work = option(closed(section, "discrimination_domains"), "work")
    assert work.overall.count == expected_counts(data, "discrimination_domains", "work").sum()


def test_matrix_lines_are_results_of_their_own(section: Section) -> None:
    line = closed(section, "belonging_overall.city")
    assert line.label.endswith("unserer Stadt")
    assert sum(o.overall.count for o in line.options) == line.options[0].overall.n


def _shares_of(value: object, district: str) -> Iterator[dict]:
    """Every figure published for ``district`` anywhere in the section's JSON."""
    if isinstance(value, dict):
        for key, inner in value.items():
            if key == district:
                yield inner
            else:
                yield from _shares_of(inner, district)
    elif isinstance(value, list):
        for inner in value:
            yield from _shares_of(inner, district)


def test_the_small_district_shows_no_number_anywhere(section: Section) -> None:
    assert SMALL in section.suppressed_districts
    figures = list(_shares_of(section.to_dict(), SMALL))
    assert figures  # the district is listed, with its figures withheld
    for figure in figures:
        assert figure["suppressed"] is True
        assert all(figure[name] is None for name in NUMBERS)


def test_the_small_district_cannot_be_recovered_from_the_city_total(section: Section, data: ReportInput) -> None:
    # all 3 respondents of the small district said "yes": the attack subtracts the shown districts from the city
    yes = option(closed(section, "discrimination_any"), "yes")
    shown = [d for d, share in yes.by_district.items() if not share.suppressed]
    without_district = expected_counts(data, "discrimination_any", "yes").get("-", 0)
    residual = yes.overall.count - sum(yes.by_district[d].count for d in shown) - without_district
    assert residual != SIZES[SMALL]
    complement = set(section.suppressed_districts) - {SMALL}
    assert complement  # another district was withheld so that the residual mixes both
    assert residual == sum(expected_counts(data, "discrimination_any", "yes")[d] for d in section.suppressed_districts)


def test_cells_under_the_minimum_are_withheld_with_a_complement(section: Section) -> None:
    for result in (closed(section, "discrimination_any"), closed(section, "belonging_overall.city")):
        for district in DISTRICTS:
            shares = [o.by_district[district] for o in result.options]
            for share in shares:
                assert share.suppressed or share.count == 0 or share.count >= section.min_cell_size
            hidden = [s for s in shares if s.suppressed]
            assert len(hidden) != 1  # a single withheld option would follow from n minus the others


def test_accepted_codes_and_machine_suggestions_are_counted_apart(section: Section, data: ReportInput) -> None:
    texts = data.texts.set_index("answer_id")
    codings = data.codings[data.codings["code"] == "domain.housing"]
    accepted = codings[codings["status"] == "accepted"]["answer_id"].nunique()
    suggested = codings[codings["status"] == "suggested"]["answer_id"].nunique()
    decided = data.codings.loc[data.codings["status"] != "suggested", "answer_id"].unique()
    scope = {"discrimination_experience", "belonging_situation_negative"}
    base = sum(texts.loc[decided, "question_id"].isin(scope))
    housing = code(section, "domain.housing")
    assert (housing.count, housing.suggested, housing.n) == (accepted, suggested, base)
    assert housing.kind == "barrier"
    assert housing.share == pytest.approx(accepted / base)
    assert code(section, "helps.neighbours").kind == "strength"
    assert "domain.police" not in {c.code for f in section.fields for c in f.barriers}  # only ever rejected


def test_code_counts_by_group_and_district(section: Section, data: ReportInput) -> None:
    housing = code(section, "domain.housing")
    assert set(housing.by_group["age_group"]) == set(data.responses["age_group"])
    assert housing.by_district[SMALL].suppressed
    shown = [share for share in housing.by_district.values() if not share.suppressed]
    assert shown
    assert sum(share.count for share in shown) <= housing.count


def test_strengths_stand_beside_barriers(section: Section) -> None:
    for field in section.fields:
        if field.barriers:
            assert field.strengths, field.id
    housing = next(field for field in section.fields if field.id == "housing")
    assert all(c.kind == "strength" for c in housing.strengths)


def test_co_occurrences_count_answers_with_both_codes(section: Section, data: ReportInput) -> None:
    discrimination = next(field for field in section.fields if field.id == "discrimination")
    pair = next(p for p in discrimination.co_occurrences if (p.first, p.second) == ("domain.housing", "ground.origin"))
    accepted = data.codings[data.codings["status"] == "accepted"]
    both = set(accepted.loc[accepted["code"] == "domain.housing", "answer_id"]) & set(
        accepted.loc[accepted["code"] == "ground.origin", "answer_id"]
    )
    assert pair.count == len(both)
    assert not pair.suppressed


def test_quotes_are_quotable_masked_and_name_their_language(section: Section, data: ReportInput) -> None:
    quotable = data.texts[data.texts["quotable"]]
    pairs = zip(quotable["text"], quotable["language"], strict=True)
    allowed = {mask_personal_data(text, language) for text, language in pairs}
    quotes = [quote for field in section.fields for quote in field.quotes]
    assert quotes
    assert {quote.text for quote in quotes} <= allowed
    assert all(len(field.quotes) <= 3 for field in section.fields)
    assert MAIL not in str(section.to_dict())
    assert any("Frau [Name]" in quote.text for quote in quotes)
    names = {quote.language: quote.language_name for quote in quotes}
    assert names == {"de": "Deutsch", "en": "Englisch", "tr": "Türkisch"}
    living = next(field for field in section.fields if field.id == "living_together")
    assert len({quote.language for quote in living.quotes}) > 1  # languages are spread


def test_weighting_to_population_lowers_an_overrepresented_districts_share(data: ReportInput) -> None:
    plain = option(closed(build_section(data, figures=False), "discrimination_any"), "yes").overall
    weighted_section = build_section(data, figures=False, weighted=True)
    weighted = option(closed(weighted_section, "discrimination_any"), "yes").overall
    # Altstadt (60 % yes) is 30 % of the sample but 10 % of the population
    assert weighted.weighted
    assert weighted.share < plain.share
    assert (weighted.count, weighted.n) == (plain.count, plain.n)
    assert weighted.low < weighted.share < weighted.high
    assert "Raking" in weighted_section.weighting
    assert "Stadtteil" in weighted_section.weighting
    assert weighted_section.weighting in weighted_section.methods
    assert build_section(data, figures=False).weighting is None


def test_previous_wave_fills_previous_and_the_summary_names_the_change(data: ReportInput) -> None:
    before = earlier_wave()
    current = report_input(previous=before)
    section = build_section(current, figures=False)
    yes = option(closed(section, "discrimination_any"), "yes")
    expected = expected_counts(before, "discrimination_any", "yes").sum() / len(before.responses)
    assert yes.previous.share == pytest.approx(expected)
    assert section.previous_wave == "2023"
    assert code(section, "domain.housing").previous is not None
    assert any("2023" in sentence for sentence in section.summary)


def test_english_section(data: ReportInput) -> None:
    section = build_section(data, "en", figures=False)
    titles = {field.id: field.title for field in section.fields}
    assert titles["discrimination"] == "Reducing discrimination"
    assert titles["administration"] == "Intercultural opening of the administration"
    assert "people took part" in section.summary[0]
    names = {quote.language: quote.language_name for field in section.fields for quote in field.quotes}
    assert names == {"de": "German", "en": "English", "tr": "Turkish"}
    assert any("Mrs [name]" in quote.text or "Frau [name]" in quote.text for f in section.fields for quote in f.quotes)
    assert section.methods[0].startswith("Data sources")


def test_summary_has_between_three_and_six_sentences_without_withheld_figures(section: Section) -> None:
    assert 3 <= len(section.summary) <= 6
    yes = option(closed(section, "discrimination_any"), "yes").overall
    assert any(f"{round(yes.share * 100)}\xa0%" in sentence for sentence in section.summary)


def test_figures_are_drawn_when_asked(data: ReportInput) -> None:
    section = build_section(data)
    figures = [figure for field in section.fields for figure in field.figures]
    kinds = {figure.id.split("-")[0] for figure in figures}
    assert {"indicators", "shares", "codes"} <= kinds
    assert all(figure.png.startswith(b"\x89PNG") and figure.alt for figure in figures)
