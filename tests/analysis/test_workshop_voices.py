"""Workshops and their collective statements in the report section: placed by their codes, votes withheld under the
minimum, personal data masked, every statement shown somewhere."""

from __future__ import annotations

import json

import jsonschema
import pandas as pd
import pytest

from analysis.render import JSON_SCHEMA, render
from analysis.report import build_section
from analysis.report_input import STATEMENT_COLUMNS, WORKSHOP_COLUMNS, ReportInput
from analysis.report_model import Section, Statement
from tests.analysis.report_input_data import report_input

WORKSHOPS = [(1, "Verein Brücke", "2025-05-20", 12), (2, "Elternnetzwerk", "2025-06-03", 3)]
STATEMENTS = [
    # id, workshop, text, language, codes, decided, agree, disagree, pass
    (1, 1, "Wir brauchen bezahlbare Wohnungen und Deutschkurse.", "de", ["domain.housing", "wish.language_courses"],
     True, 12, 2, 1),
    (2, 1, "Mehr Termine im Bürgeramt, Herr Yılmaz hat uns geholfen: 0171 2345678.", "de",
     ["wish.faster_authorities"], False, 4, 0, 0),
    (3, 2, "نحتاج إلى أماكن للقاء في الحي.", "ar", [], False, 7, 1, 0),
    (4, 2, "Alles in allem gut.", "de", ["custom.topic"], True, 6, 0, 0),
]  # fmt: skip


def with_workshops(data: ReportInput) -> ReportInput:
    data.workshops = pd.DataFrame(WORKSHOPS, columns=WORKSHOP_COLUMNS)
    organisations = {w[0]: (w[1], w[2]) for w in WORKSHOPS}
    rows = [
        (i, w, *organisations[w], text, language, codes, decided, agree, disagree, passed, agree + disagree + passed)
        for i, w, text, language, codes, decided, agree, disagree, passed in STATEMENTS
    ]
    data.statements = pd.DataFrame(rows, columns=STATEMENT_COLUMNS)
    return data


@pytest.fixture(scope="module")
def section() -> Section:
    return build_section(with_workshops(report_input()), figures=False)


def statements_of(section: Section, field_id: str) -> list[Statement]:
    return next(field.statements for field in section.fields if field.id == field_id)


def test_a_statement_stands_in_every_field_of_its_codes(section: Section) -> None:
    housing, language = statements_of(section, "housing"), statements_of(section, "language")
    assert [s.text for s in housing] == [STATEMENTS[0][2]]
    assert housing == language
    assert housing[0].code_labels == ["Wohnen und Wohnungssuche", "Sprachkurse und Sprachförderung"]
    assert statements_of(section, "health") == []
    assert any(
        "gemeinsame Aussage" in sentence for sentence in next(f for f in section.fields if f.id == "housing").summary
    )


def test_statements_of_no_field_are_listed_with_the_workshops(section: Section) -> None:
    """Not yet coded, or coded only with codes of no field (another codebook's): no group's voice is lost."""
    assert [(s.language, s.codes, s.code_labels) for s in section.other_statements] == [
        ("ar", [], []),
        ("de", ["custom.topic"], ["custom.topic"]),
    ]
    placed = {s.text for field in section.fields for s in field.statements}
    assert placed.isdisjoint(s.text for s in section.other_statements)


def test_machine_codes_are_marked(section: Section) -> None:
    (suggested,) = statements_of(section, "administration")
    assert suggested.decided is False
    assert suggested.codes == ["wish.faster_authorities"]


def test_votes_under_the_minimum_are_withheld(section: Section) -> None:
    (housing,) = statements_of(section, "housing")
    assert (housing.voters, housing.suppressed) == (15, False)
    assert housing.votes == {"agree": 12, "disagree": None, "pass": None}  # 2 and 1: withheld together
    (few,) = statements_of(section, "administration")
    assert few.suppressed
    assert few.voters is None
    assert set(few.votes.values()) == {None}
    arabic = section.other_statements[0]
    assert arabic.voters == 8
    assert arabic.votes == {"agree": None, "disagree": None, "pass": 0}  # a lone 1 takes the 7 with it; 0 is shown


def test_statements_are_masked_like_quotes(section: Section) -> None:
    (masked,) = statements_of(section, "administration")
    assert "Yılmaz" not in masked.text
    assert "2345678" not in masked.text
    assert "[Name]" in masked.text
    assert "[Telefon]" in masked.text


def test_workshops_held_with_participants_withheld_under_the_minimum(section: Section) -> None:
    held = [(w.organisation, w.held_on, w.participants, w.suppressed, w.statements) for w in section.workshops]
    assert held == [("Verein Brücke", "2025-05-20", 12, False, 2), ("Elternnetzwerk", "2025-06-03", None, True, 2)]
    assert any(note.startswith("Workshops:") for note in section.methods)


def test_a_wave_without_workshops_has_no_workshop_part() -> None:
    section = build_section(report_input(), figures=False)
    assert (section.workshops, section.other_statements) == ([], [])
    assert all(field.statements == [] for field in section.fields)
    assert not any(note.startswith("Workshops:") for note in section.methods)


def test_english_labels_and_placeholders() -> None:
    section = build_section(with_workshops(report_input()), "en", figures=False)
    (housing,) = statements_of(section, "housing")
    assert housing.code_labels[0] == "Housing and flat hunting"
    (masked,) = statements_of(section, "administration")
    assert "[phone]" in masked.text


def test_json_validates_and_withheld_figures_cannot_leak(section: Section) -> None:
    data = json.loads(render(section, "json"))
    jsonschema.validate(data, JSON_SCHEMA, cls=jsonschema.Draft202012Validator)

    def leaked(change) -> dict:
        copy = json.loads(json.dumps(data))
        change(copy)
        return copy

    def administration(copy: dict) -> dict:
        return next(f for f in copy["fields"] if f["id"] == "administration")["statements"][0]

    for leak in (
        leaked(lambda copy: copy["workshops"][1].update(participants=3)),
        leaked(lambda copy: administration(copy).update(voters=4)),
        leaked(lambda copy: administration(copy)["votes"].update(agree=4)),
    ):
        with pytest.raises(jsonschema.ValidationError):
            jsonschema.validate(leak, JSON_SCHEMA, cls=jsonschema.Draft202012Validator)
