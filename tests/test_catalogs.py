"""``stimmen i18n check`` and language availability: broken catalogs are caught, complete ones go live."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po
from click.testing import CliRunner

from survey import i18n
from survey.catalogs import check_catalog
from survey.cli import main
from survey.settings import PROJECT_ROOT

LOCALES = PROJECT_ROOT / "locales"


@pytest.fixture
def locales(tmp_path: Path) -> Path:
    """German and English catalogs with their templates, in a folder the test may break."""
    target = tmp_path / "locales"
    target.mkdir()
    for name in ("messages.pot", "questionnaires.pot"):
        shutil.copy(LOCALES / name, target / name)
    for code in ("de", "en"):
        shutil.copytree(LOCALES / code, target / code)
    return target


def _edit(path: Path, change) -> None:
    with path.open("rb") as handle:
        catalog = read_po(handle)
    change(catalog)
    with path.open("wb") as handle:
        write_po(handle, catalog)


def _check(locales: Path) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["i18n", "check", "--locales", str(locales)])
    return result.exit_code, result.output


def test_complete_catalogs_pass(locales: Path) -> None:
    code, output = _check(locales)
    assert code == 0, output
    assert "de: complete" in output
    assert "en: complete" in output


def _set(msgid: str, value: str | tuple[str, ...], *, fuzzy: bool = False):
    def change(catalog: Catalog) -> None:
        message = catalog[msgid]
        message.string = value
        if fuzzy:
            message.flags.add("fuzzy")

    return change


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (_set("Next", ""), "missing translation: 'Next'"),
        (_set("Next", "Weiter", fuzzy=True), "fuzzy translation: 'Next'"),
        (_set("Open until %(date)s", "Offen bis"), "placeholders"),
        (_set("Open until %(date)s", "Offen bis %(datum)s"), "placeholders"),
    ],
)
def test_broken_ui_catalog_fails(locales: Path, change, expected: str) -> None:
    _edit(locales / "de" / "LC_MESSAGES" / "messages.po", change)
    code, output = _check(locales)
    assert code == 1
    assert "de: 1 problem(s)" in output
    assert expected in output
    assert "en: complete" in output


def test_wrong_plural_count_fails(locales: Path) -> None:
    def add_plural(catalog: Catalog) -> None:
        catalog.add(("%(num)s test item", "%(num)s test items"), ("%(num)s Testeintrag",), flags=["python-format"])

    for domain in ("messages.po",):
        _edit(locales / "de" / "LC_MESSAGES" / domain, add_plural)
    with (locales / "messages.pot").open("rb") as handle:
        template = read_po(handle)
    template.add(("%(num)s test item", "%(num)s test items"))
    with (locales / "messages.pot").open("wb") as handle:
        write_po(handle, template)
    problems = [str(p) for p in check_catalog(locales / "de" / "LC_MESSAGES" / "messages.po", locales / "messages.pot")]
    assert any("plural" in p for p in problems), problems


def test_paragraphs_must_match(locales: Path) -> None:
    path = locales / "en" / "LC_MESSAGES" / "questionnaires.po"
    with path.open("rb") as handle:
        consent = next(m for m in read_po(handle) if m.id and "\n\n" in m.id)
    _edit(path, _set(consent.id, consent.string.replace("\n\n", " ", 1)))
    code, output = _check(locales)
    assert code == 1
    assert "paragraph breaks differ" in output


def test_out_of_sync_and_unparsable_catalogs_fail(locales: Path) -> None:
    _edit(locales / "de" / "LC_MESSAGES" / "messages.po", lambda catalog: catalog.delete("Next"))
    _edit(locales / "en" / "LC_MESSAGES" / "messages.po", lambda catalog: catalog.add("Gone", "Gone"))
    (locales / "tr" / "LC_MESSAGES").mkdir(parents=True)
    (locales / "tr" / "LC_MESSAGES" / "messages.po").write_text('msgid "Next"\nmsgstr "Ileri\n', encoding="utf-8")
    code, output = _check(locales)
    assert code == 1
    assert "entry missing (run pybabel update): 'Next'" in output
    assert "entry no longer used (run pybabel update): 'Gone'" in output
    assert "tr: " in output
    assert "cannot be read" in output or "does not compile" in output
    assert "questionnaires.po: catalog missing" in output


def test_a_language_goes_live_when_its_catalogs_are_complete(locales: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(i18n, "RESCAN_SECONDS", -1.0)
    shutil.copytree(locales / "en", locales / "xx")
    _edit(locales / "xx" / "LC_MESSAGES" / "messages.po", _set("Next", ""))
    assert "xx" not in i18n.available_languages(locales)
    _edit(locales / "xx" / "LC_MESSAGES" / "messages.po", _set("Next", "Next!"))
    assert "xx" in i18n.available_languages(locales)
