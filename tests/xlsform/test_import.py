"""Importing a multilingual XLSForm: structure, skip logic, translations, and the spellings forms use."""

from __future__ import annotations

from pathlib import Path

import pytest

from survey.questionnaire import Questionnaire
from survey.questionnaire.schema import Matrix, MultipleChoice, Number, SingleChoice
from survey.xlsform import Conversion, import_xlsform
from tests.xlsform.forms import AR, DE, EN, Form, city_life


@pytest.fixture(scope="module")
def imported(tmp_path_factory: pytest.TempPathFactory) -> tuple[Conversion, Questionnaire]:
    return import_xlsform(city_life().write_xlsx(tmp_path_factory.mktemp("form") / "city_life.xlsx"))


def test_german_column_is_the_source_text_and_the_others_become_translations(imported) -> None:
    conversion, q = imported
    assert conversion.source_language == "de"
    assert q.id == "city-life"
    assert q.title == "Leben in der Stadt"
    assert q.question("lives_here").text == "Wohnen Sie in der Stadt?"
    assert conversion.translations["en"]["Wohnen Sie in der Stadt?"] == "Do you live in the city?"
    assert conversion.translations["ar"]["Wohnen Sie in der Stadt?"] == "هل تعيش في المدينة؟"
    assert conversion.translations["ar"]["Ja"] == "نعم"  # choice labels
    assert conversion.translations["en"]["Sie selbst eingeschlossen."] == "Including yourself."  # hints
    assert conversion.translations["de"]["Ja"] == "Ja"  # the source catalog maps text to itself
    assert set(conversion.translations) == {"de", "en", "ar"}


def test_groups_become_pages_and_ungrouped_questions_a_page_of_their_own(imported) -> None:
    _, q = imported
    assert [page.id for page in q.pages] == ["about", "experiences", "experiences_2", "ratings_page", "page"]
    assert q.pages[0].title == "Über Sie"
    assert q.pages[1].relevant == "lives_here == 'yes'"
    assert [question.id for question in q.pages[-1].questions] == ["comments", "quote_ok"]
    assert q.pages[-1].title == "Leben in der Stadt"  # the form title, as the group has none


def test_skip_logic_on_the_same_page_starts_a_new_page(imported) -> None:
    conversion, q = imported
    assert q.pages[2].title == q.pages[1].title
    assert q.pages[2].relevant == q.pages[1].relevant
    assert q.question("why_home").relevant == "selected(where_felt, 'neighbourhood')"
    assert any("starts the new page 'experiences_2'" in w and "row 12" in w for w in conversion.warnings)


def test_question_types_and_their_settings(imported) -> None:
    _, q = imported
    lives_here = q.question("lives_here")
    assert isinstance(lives_here, SingleChoice)
    assert lives_here.required  # "yes"
    assert not lives_here.no_answer  # the form has no prefer-not-to-say choice: none is invented
    household = q.question("household")
    assert isinstance(household, Number)
    assert (household.min, household.max, household.integer, household.required) == (1, 20, True, True)  # TRUE
    assert household.constraint is None  # the whole constraint became min and max
    where = q.question("where_felt")
    assert isinstance(where, MultipleChoice)
    assert where.other
    assert [c.value for c in q.choices_of(where)] == ["neighbourhood", "work", "family"]
    assert q.question("why_home").type == "long_text"  # appearance multiline
    assert q.question("comments").type == "short_text"
    assert q.question("experiences_note").type == "note"
    assert q.question("quote_ok").type == "consent"  # acknowledge


def test_prefer_not_to_say_choice_becomes_no_answer(imported) -> None:
    _, q = imported
    age = q.question("age_group")
    assert age.no_answer
    assert [c.value for c in q.choices_of(age)] == ["under_30", "choice_30_plus"]
    assert q.question("comments").relevant == "age_group != '_na' and count(where_felt) > 0"


def test_table_list_group_becomes_a_matrix(imported) -> None:
    conversion, q = imported
    ratings = q.question("ratings")
    assert isinstance(ratings, Matrix)
    assert ratings.text == "Wie zufrieden sind Sie mit …"
    assert [(item.id, item.text) for item in ratings.items] == [
        ("parks", "Parks und Grünflächen"),
        ("transport", "Bus und Bahn"),
    ]
    assert ratings.required
    assert [c.value for c in q.choices_of(ratings)] == ["satisfied", "unsatisfied"]
    assert conversion.translations["en"]["Bus und Bahn"] == "Public transport"


def test_metadata_and_missing_consent_are_reported_as_warnings(imported) -> None:
    conversion, q = imported
    assert any("start (row 2), end (row 3)" in w for w in conversion.warnings)
    assert any("no consent group" in w for w in conversion.warnings)
    assert q.consent.statements[0].id == "participation"


def test_yaml_loads_as_the_same_questionnaire(imported) -> None:
    from survey.questionnaire import parse

    conversion, q = imported
    assert parse(conversion.yaml()) == q


def _recased(form: Form) -> Form:
    """Sheet and column names as people type them: ``Survey``, ``Label::English (en)``, ``TYPE``."""
    changed = form.copy()
    changed.sheets = {name.capitalize(): rows for name, rows in changed.sheets.items()}
    for rows in changed.sheets.values():
        rows[0] = [
            h.replace("label", "Label").replace("type", "TYPE").replace("list_name", "List Name") for h in rows[0]
        ]
    return changed


def test_sheet_and_column_names_are_case_insensitive(tmp_path: Path, imported) -> None:
    conversion, q = imported
    recased = _recased(city_life())
    assert "Survey" in recased.sheets
    assert f"Label::{EN}" in recased.sheets["Survey"][0]
    again, q_again = import_xlsform(recased.write_xlsx(tmp_path / "city_life.xlsx"))
    assert q_again == q
    assert again.translations == conversion.translations


def test_legacy_xls_gives_the_same_result(tmp_path: Path, imported) -> None:
    conversion, q = imported
    legacy, q_legacy = import_xlsform(city_life().write_xls(tmp_path / "city_life.xls"))
    assert q_legacy == q
    assert legacy.translations == conversion.translations


def test_without_german_the_default_language_is_the_source(tmp_path: Path) -> None:
    form = city_life()
    for rows in (form.sheets["survey"], form.sheets["choices"]):
        keep = [i for i, header in enumerate(rows[0]) if not str(header).endswith(DE)]
        rows[:] = [[row[i] for i in keep] for row in rows]
    conversion, q = import_xlsform(form.write_xlsx(tmp_path / "city_life.xlsx"))
    assert conversion.source_language == "en"
    assert q.question("lives_here").text == "Do you live in the city?"
    assert "de" not in conversion.translations
    assert conversion.translations["ar"]["Do you live in the city?"] == "هل تعيش في المدينة؟"
    assert any("no German column" in w and EN in w for w in conversion.warnings)


def test_without_german_or_default_language_the_first_label_column_is_the_source(tmp_path: Path) -> None:
    form = city_life()
    form.sheets["settings"] = [["form_title", "form_id"], ["City life", "city_life"]]
    for rows in (form.sheets["survey"], form.sheets["choices"]):
        keep = [i for i, header in enumerate(rows[0]) if not str(header).endswith(DE)]
        rows[:] = [[row[i] for i in keep] for row in rows]
        # Arabic first
        headers = rows[0]
        order = sorted(range(len(headers)), key=lambda i: (not str(headers[i]).endswith(AR), i))
        rows[:] = [[row[i] for i in order] for row in rows]
    conversion, q = import_xlsform(form.write_xlsx(tmp_path / "city_life.xlsx"))
    assert conversion.source_language == "ar"
    assert q.question("lives_here").text == "هل تعيش في المدينة؟"


def test_untagged_single_language_form_imports_as_is(tmp_path: Path) -> None:
    form = Form(
        {
            "survey": [
                ["type", "name", "label", "required"],
                ["begin group", "g", "Fragen", None],
                ["select_one yn", "ok", "Alles gut?", "TRUE"],
                ["end group", None, None, None],
            ],
            "choices": [["list name", "name", "label"], ["yn", "Yes", "Ja"], ["yn", "No", "Nein"]],
        }
    )
    conversion, q = import_xlsform(form.write_xlsx(tmp_path / "simple.xlsx"))
    assert q.id == "simple"  # no settings sheet: the file name
    assert [c.value for c in q.choices_of(q.question("ok"))] == ["yes", "no"]
    assert conversion.translations == {}
    assert any("no language tag" in w for w in conversion.warnings)


def test_choice_names_in_skip_logic_follow_renamed_choices(tmp_path: Path) -> None:
    form = city_life()
    form.set("survey", "comments", "relevant", "${age_group} = '30_plus'")
    _, q = import_xlsform(form.write_xlsx(tmp_path / "city_life.xlsx"))
    assert q.question("comments").relevant == "age_group == 'choice_30_plus'"


def _small(survey: list[list[object]], choices: list[list[object]] | None = None) -> Form:
    headers: list[object] = ["type", "name", f"label::{DE}", f"label::{EN}", "relevant", "appearance", "required"]
    sheets = {"survey": [headers, *survey]}
    if choices is not None:
        sheets["choices"] = [["list_name", "name", f"label::{DE}", f"label::{EN}"], *choices]
    return Form(sheets)


YES_NO = [["yn", "yes", "Ja", "Yes"], ["yn", "no", "Nein", "No"]]


def test_nested_groups_are_flattened_and_keep_their_condition(tmp_path: Path) -> None:
    form = _small(
        [
            ["select_one yn", "first", "Erste?", "First?", None, None, None],
            ["begin_group", "outer", "Außen", "Outer", None, None, None],
            ["begin_group", "inner", "Innen", "Inner", "${first} = 'yes'", None, None],
            ["text", "deep", "Tief?", "Deep?", "${first} != 'no'", None, None],
            ["end_group", None, None, None, None, None, None],
            ["end_group", None, None, None, None, None, None],
        ],
        YES_NO,
    )
    conversion, q = import_xlsform(form.write_xlsx(tmp_path / "nested.xlsx"))
    assert [page.id for page in q.pages] == ["page", "outer"]
    assert q.question("deep").relevant == "first == 'yes' and first != 'no'"
    assert any("row 4, column 'type': group 'inner' inside a group is flattened" in w for w in conversion.warnings)


def test_nested_and_classic_matrix_patterns(tmp_path: Path) -> None:
    form = _small(
        [
            ["begin_group", "page_one", "Seite", "Page", None, None, None],
            ["begin_group", "grid", "Wie oft?", "How often?", None, "field-list", None],
            ["select_one yn", "grid_a", "A", "A", None, None, "yes"],
            ["select_one yn", "grid_b", "B", "B", None, None, "yes"],
            ["end_group", None, None, None, None, None, None],
            ["end_group", None, None, None, None, None, None],
            ["begin_group", "classic", "Klassisch", "Classic", None, "field-list", None],
            ["select_one yn", "classic_header", None, None, None, "label", None],
            ["select_one yn", "row_x", "X", "X", None, "list-nolabel", None],
            ["select_one yn", "row_y", "Y", "Y", None, "list-nolabel", None],
            ["end_group", None, None, None, None, None, None],
            ["select_one yn", "after", "Danach?", "After?", "${grid_a} = 'yes' and ${row_y} = 'no'", None, None],
        ],
        YES_NO,
    )
    _, q = import_xlsform(form.write_xlsx(tmp_path / "grids.xlsx"))
    grid, classic = q.question("grid"), q.question("classic")
    assert isinstance(grid, Matrix)
    assert [item.id for item in grid.items] == ["a", "b"]
    assert grid.required
    assert isinstance(classic, Matrix)
    assert [item.id for item in classic.items] == ["row_x", "row_y"]  # no "classic_" prefix to strip
    assert q.question("after").relevant == "grid.a == 'yes' and classic.row_y == 'no'"
    assert q.choice_lists["yn"] == q.choices_of(grid)  # used three times: a named list


def test_or_other_when_the_list_already_has_other(tmp_path: Path) -> None:
    form = _small(
        [["select_one colours or_other", "colour", "Farbe?", "Colour?", None, None, None]],
        [["colours", "red", "Rot", "Red"], ["colours", "other", "Andere", "Other"]],
    )
    conversion, q = import_xlsform(form.write_xlsx(tmp_path / "other.xlsx"))
    assert not q.question("colour").other
    assert [c.value for c in q.choices_of(q.question("colour"))] == ["red", "other"]
    assert any("already has a choice 'other'" in w for w in conversion.warnings)


def test_na_choice_and_explicit_no_answer_column(tmp_path: Path) -> None:
    form = _small(
        [
            ["select_one yn", "first", "Erste?", "First?", None, None, None],
            ["select_one yn", "second", "Zweite?", "Second?", "${first} != '_na'", None, None],
        ],
        [*YES_NO, ["yn", "_na", "k. A.", "n/a"]],
    ).add_column("survey", "stimmen::no_answer", {"second": "false"})
    _, q = import_xlsform(form.write_xlsx(tmp_path / "na.xlsx"))
    assert q.question("first").no_answer
    assert not q.question("second").no_answer
    assert [c.value for c in q.choices_of(q.question("first"))] == ["yes", "no"]


def test_text_length_constraint_and_ignored_columns_and_conditional_required(tmp_path: Path) -> None:
    form = _small(
        [
            ["text", "nickname", "Spitzname?", "Nickname?", None, None, "${nickname} != ''"],
            ["decimal", "budget", "Betrag?", "Amount?", None, None, None],
        ]
    )
    form.add_column("survey", "constraint", {"nickname": "string-length(.) <= 40", "budget": ". > 0"})
    form.add_column("survey", "default", {"budget": "10"})
    conversion, q = import_xlsform(form.write_xlsx(tmp_path / "text.xlsx"))
    nickname, budget = q.question("nickname"), q.question("budget")
    assert (nickname.max_length, nickname.constraint, nickname.required) == (40, None, False)
    assert (budget.integer, budget.min, budget.constraint) == (False, None, "value > 0")
    warnings = "\n".join(conversion.warnings)
    assert "row 2, column 'required': '${nickname} != ''' is a condition" in warnings
    assert "row 3, column 'default': default has no Stimmen equivalent" in warnings


def test_kobotoolbox_export_extras_are_ignored(tmp_path: Path) -> None:
    form = city_life().add_column("survey", "$kuid", {"lives_here": "abc123"}).add_column("choices", "$autovalue")
    survey = form.sheets["survey"]
    survey.append(["calculate", "__version__", *[None] * (len(survey[0]) - 2)])
    form.set("survey", "comments", f"hint::{DE}", "Sie sagten: ${lives_here}")
    conversion, q = import_xlsform(form.write_xlsx(tmp_path / "kobo.xlsx"))
    assert "__version__" not in {question.id for question in q.questions()}
    warnings = "\n".join(conversion.warnings)
    assert "__version__ (row" in warnings
    assert f"column 'hint::{DE}': refers to an answer with ${{…}}, which Stimmen shows literally" in warnings
