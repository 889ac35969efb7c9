"""``stimmen questionnaire import|export|validate`` with XLSForm files, always into temporary folders."""

from __future__ import annotations

from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po
from click.testing import CliRunner

from survey.cli import main
from survey.questionnaire import load
from survey.settings import PROJECT_ROOT
from tests.conftest import DEFAULT_QUESTIONNAIRE
from tests.xlsform.forms import city_life


def _catalog(path: Path) -> Catalog:
    with path.open("rb") as handle:
        return read_po(handle)


def test_import_writes_yaml_and_merges_catalogs(tmp_path: Path) -> None:
    form = city_life().write_xlsx(tmp_path / "city_life.xlsx")
    out_dir, locales = tmp_path / "questionnaires", tmp_path / "locales"
    english = locales / "en" / "LC_MESSAGES" / "questionnaires.po"
    english.parent.mkdir(parents=True)
    existing = Catalog(locale="en", domain="questionnaires")
    existing.add("Eine andere Frage", "Another question")
    existing.add("Ja", "Yeah")
    with english.open("wb") as handle:
        write_po(handle, existing)

    result = CliRunner().invoke(
        main, ["questionnaire", "import", str(form), "--out-dir", str(out_dir), "--locales", str(locales)]
    )

    assert result.exit_code == 0, result.output
    written = out_dir / "city-life.yaml"
    assert load(written).question("lives_here").text == "Wohnen Sie in der Stadt?"
    assert f"Wrote {written}: 5 pages, 9 questions." in result.output
    assert "warning:" in result.output
    assert "no consent group" in result.output
    catalog = _catalog(english)
    assert catalog.get("Eine andere Frage").string == "Another question"  # other entries stay
    assert catalog.get("Ja").string == "Yes"  # updated
    assert catalog.get("Wohnen Sie in der Stadt?").string == "Do you live in the city?"  # added
    arabic = _catalog(locales / "ar" / "LC_MESSAGES" / "questionnaires.po")  # created
    assert arabic.get("Wohnen Sie in der Stadt?").string == "هل تعيش في المدينة؟"
    assert "ar: created" in result.output
    assert "en: updated" in result.output


def test_import_twice_changes_nothing_the_second_time(tmp_path: Path) -> None:
    form = city_life().write_xlsx(tmp_path / "city_life.xlsx")
    args = ["questionnaire", "import", str(form), "--out-dir", str(tmp_path / "q"), "--locales", str(tmp_path / "l")]
    CliRunner().invoke(main, args)
    again = CliRunner().invoke(main, args)
    assert again.exit_code == 0, again.output
    assert "replaced the existing file" in again.output
    assert "already up to date" in again.output


def test_validate_accepts_xlsx(tmp_path: Path) -> None:
    form = city_life().write_xlsx(tmp_path / "city_life.xlsx")
    result = CliRunner().invoke(main, ["questionnaire", "validate", str(form)])
    assert result.exit_code == 0, result.output
    assert "OK (5 pages, 9 questions) as questionnaire 'city-life'" in result.output
    assert "en: 24 of 25 text(s) translated in the form" in result.output  # the form title has no columns


def test_validate_names_sheet_row_and_column_of_a_broken_xlsx(tmp_path: Path) -> None:
    form = city_life().set("survey", "lives_here", "type", "select_one yesno")
    path = form.write_xlsx(tmp_path / "broken.xlsx")
    result = CliRunner().invoke(main, ["questionnaire", "validate", str(path)])
    assert result.exit_code == 1
    row = form.row_number("survey", "lives_here")
    assert f"{path}: sheet 'survey', row {row}, column 'type': unknown list name 'yesno'" in result.output


def test_validate_legacy_xls(tmp_path: Path) -> None:
    path = city_life().write_xls(tmp_path / "city_life.xls")
    result = CliRunner().invoke(main, ["questionnaire", "validate", str(path)])
    assert result.exit_code == 0, result.output


def test_export_writes_every_language(tmp_path: Path) -> None:
    out = tmp_path / "form.xlsx"
    result = CliRunner().invoke(
        main,
        [
            "questionnaire",
            "export",
            str(DEFAULT_QUESTIONNAIRE),
            "--out",
            str(out),
            "--locales",
            str(PROJECT_ROOT / "locales"),
        ],
    )
    assert result.exit_code == 0, result.output
    assert out.exists()
    assert "Deutsch (de)" in result.output
    assert "English (en)" in result.output
