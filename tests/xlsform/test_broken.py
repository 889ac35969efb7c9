"""Broken forms fail with errors naming sheet, row and column; unsupported rows only warn."""

from __future__ import annotations

from pathlib import Path

import pytest

from survey.xlsform import XLSFormError, import_xlsform
from tests.xlsform.forms import EN, Form, city_life


def _errors(form: Form, tmp_path: Path, name: str = "broken.xlsx") -> str:
    path = form.write_xlsx(tmp_path / name)
    with pytest.raises(XLSFormError) as caught:
        import_xlsform(path)
    return "\n".join(caught.value.problems)


def _insert(form: Form, after: str, row: dict[str, object]) -> Form:
    """Insert a survey row (given by header → value) after the row named ``after``."""
    headers = form.sheets["survey"][0]
    index = form.row_number("survey", after)
    form.sheets["survey"].insert(index, [row.get(str(h)) for h in headers])
    return form


def test_misspelled_survey_sheet_is_named(tmp_path: Path) -> None:
    form = city_life()
    form.sheets = {("surveys" if k == "survey" else k): v for k, v in form.sheets.items()}
    errors = _errors(form, tmp_path)
    assert "no sheet named 'survey'" in errors
    assert "did you mean 'surveys'?" in errors


def test_duplicate_column_is_named_with_both_places(tmp_path: Path) -> None:
    form = city_life().add_column("survey", f"Label::{EN}")
    errors = _errors(form, tmp_path)
    column = len(form.sheets["survey"][0])
    assert f"sheet 'survey', row 1, column 'Label::{EN}': duplicate column" in errors
    assert f"column {chr(ord('A') + column - 1)} repeats column C 'label::{EN}'" in errors


def test_unknown_list_name_is_named_with_a_suggestion(tmp_path: Path) -> None:
    form = city_life().set("survey", "lives_here", "type", "select_one yesno")
    row = form.row_number("survey", "lives_here")
    errors = _errors(form, tmp_path)
    assert f"sheet 'survey', row {row}, column 'type': unknown list name 'yesno'" in errors
    assert "did you mean 'yes_no'?" in errors


def test_mixed_tagged_and_untagged_label_columns_are_rejected(tmp_path: Path) -> None:
    form = city_life().add_column("survey", "label", {"lives_here": "Live here?"})
    errors = _errors(form, tmp_path)
    assert "sheet 'survey', row 1, column 'label': column has no language" in errors
    assert f"'label::{EN}'" in errors
    assert "mixed tagged and untagged" in errors


def test_untagged_hint_beside_tagged_labels_is_rejected_too(tmp_path: Path) -> None:
    form = city_life().add_column("choices", "label")
    errors = _errors(form, tmp_path)
    assert "sheet 'choices', row 1, column 'label': column has no language" in errors


def test_unknown_language_without_code_is_named(tmp_path: Path) -> None:
    form = city_life().add_column("survey", "hint::Klingonisch")
    errors = _errors(form, tmp_path)
    assert "column 'hint::Klingonisch': cannot tell which language 'Klingonisch' is" in errors


def test_duplicate_question_names(tmp_path: Path) -> None:
    form = city_life()
    row = form.row_number("survey", "comments")
    errors = _errors(form.set("survey", "comments", "name", "household"), tmp_path)
    assert errors == f"sheet 'survey', row {row}, column 'name': duplicate name 'household' (also row 6)"


def test_names_that_collide_as_stimmen_ids(tmp_path: Path) -> None:
    form = city_life().set("survey", "comments", "name", "Household")
    errors = _errors(form, tmp_path)
    assert "column 'name': 'Household' would become the id 'household', already used (row 6)" in errors


def test_empty_type_and_empty_name(tmp_path: Path) -> None:
    form = city_life().set("survey", "household", "type", None).set("survey", "comments", "name", None)
    errors = _errors(form, tmp_path)
    assert "sheet 'survey', row 6, column 'type': empty type for 'household'" in errors
    assert "column 'name': empty name for a row of type 'text'" in errors


def test_unknown_type_suggests_the_right_one(tmp_path: Path) -> None:
    form = city_life().set("survey", "household", "type", "interger")
    errors = _errors(form, tmp_path)
    assert "sheet 'survey', row 6, column 'type': unknown type 'interger'; did you mean 'integer'?" in errors


def test_untranslatable_expression_names_the_cell(tmp_path: Path) -> None:
    form = city_life().set("survey", "comments", "relevant", "${household} mod 2 = 0")
    row = form.row_number("survey", "comments")
    errors = _errors(form, tmp_path)
    assert f"sheet 'survey', row {row}, column 'relevant': cannot translate '${{household}} mod 2 = 0'" in errors
    assert "'mod' has no Stimmen equivalent" in errors


def test_reference_to_an_unknown_question(tmp_path: Path) -> None:
    form = city_life().set("survey", "comments", "relevant", "${nowhere} = 'x'")
    errors = _errors(form, tmp_path)
    assert "${nowhere} is not a question of this form" in errors


def test_missing_source_text_is_named(tmp_path: Path) -> None:
    form = city_life().set("survey", "household", "label::Deutsch (de)", None)
    errors = _errors(form, tmp_path)
    assert "sheet 'survey', row 6, column 'label::Deutsch (de)': the question text (label) is missing" in errors


def test_unclosed_group(tmp_path: Path) -> None:
    form = city_life()
    form.sheets["survey"] = [row for row in form.sheets["survey"] if row[:2] != ["end_group", "ratings"]]
    errors = _errors(form, tmp_path)
    assert "group 'ratings' is never closed with end_group" in errors


def test_stimmen_validation_problems_point_at_rows(tmp_path: Path) -> None:
    form = city_life().set("survey", "comments", "relevant", "${lives_here} = 'maybe'")
    row = form.row_number("survey", "comments")
    errors = _errors(form, tmp_path)
    where = f"sheet 'survey', row {row}, column 'relevant': question 'comments'"
    assert f"{where}: relevant: 'lives_here' has no choice 'maybe'" in errors


def test_unsupported_types_are_skipped_with_a_warning(tmp_path: Path) -> None:
    form = _insert(city_life(), "household", {"type": "geopoint", "name": "location", f"label::{EN}": "Where?"})
    form = _insert(form, "location", {"type": "calculate", "name": "twice", "calculation": "${household} * 2"})
    form = _insert(form, "twice", {"type": "begin_repeat", "name": "members"})
    form = _insert(form, "members", {"type": "text", "name": "member_name"})
    form = _insert(form, "member_name", {"type": "end_repeat", "name": None})
    path = form.write_xlsx(tmp_path / "unsupported.xlsx")
    conversion, q = import_xlsform(path)
    warnings = "\n".join(conversion.warnings)
    assert "sheet 'survey', row 7, column 'type': type 'geopoint' ('location') has no Stimmen equivalent" in warnings
    assert "row 8, column 'type': type 'calculate' ('twice')" in warnings
    assert "row 9, column 'type': repeats have no Stimmen equivalent; 'members' and its rows up to row 11" in warnings
    ids = {question.id for question in q.questions()}
    assert not {"location", "twice", "members", "member_name"} & ids
    assert {"household", "age_group"} <= ids


def test_skip_logic_reading_a_skipped_row_explains_why(tmp_path: Path) -> None:
    form = _insert(city_life(), "household", {"type": "geopoint", "name": "location", f"label::{EN}": "Where?"})
    form.set("survey", "comments", "relevant", "${location} != ''")
    errors = _errors(form, tmp_path)
    assert "${location} cannot be used: its type 'geopoint' has no Stimmen equivalent" in errors


def test_unreadable_file(tmp_path: Path) -> None:
    path = tmp_path / "form.xlsx"
    path.write_text("not a spreadsheet", encoding="utf-8")
    with pytest.raises(XLSFormError, match="cannot be read as a spreadsheet"):
        import_xlsform(path)
