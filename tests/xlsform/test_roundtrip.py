"""Exporting a Stimmen questionnaire to XLSForm and importing it again loses nothing.

The languages are whatever catalogs exist in locales/ at test time, so new translations are covered
as soon as they land.
"""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from survey.questionnaire import Questionnaire, load, parse
from survey.questionnaire.extract import messages
from survey.settings import PROJECT_ROOT
from survey.xlsform import Conversion, export_xlsform, import_xlsform
from survey.xlsform.catalogs import catalog_codes, read_catalogs
from survey.xlsform.languages import column_tag
from tests.conftest import DATA, DEFAULT_QUESTIONNAIRE

LOCALES = PROJECT_ROOT / "locales"


def _round_trip(source: Path, tmp_path: Path) -> tuple[Questionnaire, Conversion, Questionnaire, Path]:
    original = load(source)
    out = tmp_path / f"{original.id}.xlsx"
    export_xlsform(original, LOCALES, out)
    conversion, imported = import_xlsform(out)
    return original, conversion, imported, out


@pytest.mark.parametrize("source", [DEFAULT_QUESTIONNAIRE, DATA / "all-types.yaml"], ids=lambda p: p.stem)
def test_export_then_import_gives_the_same_questionnaire(source: Path, tmp_path: Path) -> None:
    original, conversion, imported, _ = _round_trip(source, tmp_path)
    assert imported == original
    assert parse(conversion.yaml()) == original
    assert conversion.warnings == []


def test_every_catalog_language_comes_back_with_the_same_translations(tmp_path: Path) -> None:
    _original, conversion, _, _ = _round_trip(DEFAULT_QUESTIONNAIRE, tmp_path)
    texts = {text for _, text, _ in messages(DEFAULT_QUESTIONNAIRE.read_text(encoding="utf-8"))}
    catalogs = read_catalogs(LOCALES)
    assert "de" in catalogs
    complete = []
    for code, catalog in catalogs.items():
        expected = {text: catalog[text] for text in texts if text in catalog}
        if code == "de":
            expected = {text: text for text in texts}  # the source column is the YAML's own text
        assert conversion.translations.get(code, {}) == expected, code
        if set(expected) == texts:
            complete.append(code)
    assert "en" in complete  # at least one complete translation is exercised in full


def test_every_catalog_becomes_a_label_column(tmp_path: Path) -> None:
    *_, out = _round_trip(DEFAULT_QUESTIONNAIRE, tmp_path)
    book = openpyxl.load_workbook(out)
    headers = [cell.value for cell in book["survey"][1]]
    for code in catalog_codes(LOCALES):
        assert f"label::{column_tag(code)}" in headers
    assert "label::Deutsch (de)" in headers
    assert "label::English (en)" in headers
    assert headers[:2] == ["type", "name"]
    settings = {cell.value: value.value for cell, value in zip(book["settings"][1], book["settings"][2], strict=True)}
    assert settings["form_id"] == "belonging-discrimination"
    assert settings["default_language"] == "Deutsch (de)"
    types = [row[0].value for row in book["survey"].iter_rows(min_row=2)]
    assert "begin_group" in types
    assert "select_multiple helps_at_home or_other" in types
    assert "acknowledge" in types


def test_exported_expressions_are_xlsform(tmp_path: Path) -> None:
    *_, out = _round_trip(DEFAULT_QUESTIONNAIRE, tmp_path)
    sheet = openpyxl.load_workbook(out)["survey"]
    headers = [cell.value for cell in sheet[1]]
    rows: dict[str, dict[str, str]] = {}
    for row in sheet.iter_rows(min_row=2, values_only=True):
        rows.setdefault(row[1], dict(zip(headers, row, strict=True)))  # begin_group, not end_group
    assert rows["discrimination_details"]["relevant"] == "${discrimination_any} = 'yes'"
    assert rows["household_size"]["constraint"] == ". >= 1 and . <= 20 and . <= 20"
    assert rows["city_priorities"]["constraint"] == "count-selected(.) <= 3"
    assert rows["quotes"]["relevant"].startswith("${belonging_situation_positive} != '' or ")


NON_CANONICAL = """
id: odd-spelling
title: Test
consent:
  title: Einwilligung
  text: Text
  statements: [{id: ok, text: Ja}]
choice_lists:
  colours: [{value: red, text: Rot}, {value: blue, text: Blau}]
  spare: [{value: one, text: Eins}, {value: two, text: Zwei}]
pages:
  - id: one
    title: Eins
    questions:
      - {id: colour, type: single_choice, text: "Farbe?", choices: colours}
      - id: size
        type: number
        text: Größe?
        min: 3
        constraint: "value >= 5 and (value != 7)"
  - id: two
    title: Zwei
    relevant: "colour in ['red', 'blue']"
    questions:
      - {id: why, type: short_text, text: "Warum?", relevant: "(colour == \\"red\\")"}
"""


def test_expressions_xlsform_cannot_spell_and_lists_used_once_or_never_are_kept(tmp_path: Path) -> None:
    source = tmp_path / "odd-spelling.yaml"
    source.write_text(NON_CANONICAL, encoding="utf-8")
    original, _conversion, imported, out = _round_trip(source, tmp_path)
    assert imported == original
    assert set(imported.choice_lists) == {"colours", "spare"}
    sheet = openpyxl.load_workbook(out)["survey"]
    headers = [cell.value for cell in sheet[1]]
    assert "stimmen::relevant" in headers
    assert "stimmen::constraint" in headers


def test_an_edit_in_the_spreadsheet_wins_over_the_kept_original(tmp_path: Path) -> None:
    source = tmp_path / "odd-spelling.yaml"
    source.write_text(NON_CANONICAL, encoding="utf-8")
    _, _, _, out = _round_trip(source, tmp_path)
    book = openpyxl.load_workbook(out)
    sheet = book["survey"]
    headers = [cell.value for cell in sheet[1]]
    for row in sheet.iter_rows(min_row=2):
        if row[1].value == "two":
            row[headers.index("relevant")].value = "${colour} = 'blue'"
    book.save(out)
    conversion, imported = import_xlsform(out)
    assert imported.pages[1].relevant == "colour == 'blue'"
    assert any("stimmen::relevant" in w and "edited?" in w for w in conversion.warnings)


def test_pyxform_accepts_the_export(tmp_path: Path) -> None:
    """Where pyxform is installed (it is not a dependency), the export must convert to an XForm."""
    from pyxform.xls2xform import convert

    *_, out = _round_trip(DEFAULT_QUESTIONNAIRE, tmp_path)
    result = convert(xlsform=str(out), validate=False)
    assert "<h:title>Zusammenleben in unserer Stadt" in result.xform
    assert "jr:constraintMsg" in result.xform
