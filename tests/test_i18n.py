"""Languages and catalogs: negotiation, completeness of German and English, extraction of questionnaire text."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from survey.i18n import available_languages, language, negotiate, parse_accept_language, translator
from survey.questionnaire.extract import messages
from survey.settings import PROJECT_ROOT
from tests.conftest import DEFAULT_QUESTIONNAIRE, NATIVE_NAMES

LOCALES = PROJECT_ROOT / "locales"


def test_accept_language_is_ordered_by_quality() -> None:
    assert parse_accept_language("fr;q=0.3, en-GB, de;q=0.8, tr;q=0") == ["en-GB", "de", "fr"]
    assert parse_accept_language("en;q=abc, de") == ["de"]


@pytest.mark.parametrize(
    ("query", "cookie", "header", "expected"),
    [
        ("en", "de", "de", "en"),
        (None, "en", "de", "en"),
        (None, None, "en-US,en;q=0.9", "en"),
        (None, None, "fr-FR", "de"),
        ("xx", "yy", "zz", "de"),
    ],
)
def test_negotiation_order(query: str | None, cookie: str | None, header: str, expected: str) -> None:
    assert negotiate(["de", "en"], query=query, cookie=cookie, accept_language=header, default="de") == expected


def test_negotiation_without_any_complete_catalog_keeps_the_default() -> None:
    """A catalog being saved can be incomplete for a moment; pages must not fail meanwhile."""
    assert negotiate([], query="en", cookie=None, accept_language="tr", default="de") == "de"
    assert negotiate(["en"], query=None, cookie=None, accept_language=None, default="de") == "en"


def test_languages_know_their_names_and_direction() -> None:
    assert (language("de").native_name, language("de").direction) == ("Deutsch", "ltr")
    assert (language("ar").direction, language("fa").direction) == ("rtl", "rtl")
    assert language("de-simple").native_name == "Einfache Sprache"
    assert language("de-simple").locale.language == "de"


SHIPPED = tuple(NATIVE_NAMES)


def test_eight_languages_are_shipped_in_switcher_order() -> None:
    assert available_languages(LOCALES) == SHIPPED


def test_every_language_is_named_in_its_own_script() -> None:
    names = {code: language(code).native_name for code in SHIPPED}
    assert names == NATIVE_NAMES


@pytest.mark.parametrize("code", SHIPPED)
@pytest.mark.parametrize("domain", ["messages", "questionnaires"])
def test_catalogs_are_complete_and_valid(code: str, domain: str) -> None:
    with (LOCALES / code / "LC_MESSAGES" / f"{domain}.po").open("rb") as handle:
        catalog = read_po(handle)
    with (LOCALES / f"{domain}.pot").open("rb") as handle:
        template = read_po(handle)
    assert {m.id for m in template if m.id} == {m.id for m in catalog if m.id}, "run pybabel update"
    assert [m.id for m in catalog if m.id and not m.string] == []
    assert [m.id for m in catalog if m.id and m.fuzzy] == []
    assert [(m.id, str(e)) for m in catalog for e in m.check(catalog)] == []


def test_ui_is_translated_into_german() -> None:
    german = translator(LOCALES, "de")
    assert german.gettext("Next") == "Weiter"
    assert german.gettext("Page %(position)s of %(total)s", position=2, total=9) == "Seite 2 von 9"


def test_questionnaire_text_is_translated_into_english() -> None:
    english = translator(LOCALES, "en")
    assert english.content_text("Deutschland") == "Germany"


def test_every_questionnaire_text_is_extracted_with_its_line() -> None:
    source = DEFAULT_QUESTIONNAIRE.read_text(encoding="utf-8")
    found = list(messages(source))
    lines = source.splitlines()
    assert len(found) > 100
    for line, text, where in found:
        assert text.splitlines()[0][:20] in "\n".join(lines[line - 1 : line + 3]), (line, text)
        assert where


def test_pybabel_extract_collects_questionnaire_text(tmp_path: Path) -> None:
    out = tmp_path / "q.pot"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "babel.messages.frontend",
            "extract",
            "-F",
            "babel-questionnaires.cfg",
            "-o",
            str(out),
            ".",
        ],
        cwd=PROJECT_ROOT,
        check=True,
        capture_output=True,
    )
    with out.open("rb") as handle:
        catalog = read_po(handle)
    assert catalog.get("Ihrem Stadtteil") is not None
    assert catalog.get("Ihrem Stadtteil").locations[0][0].endswith("belonging-discrimination.yaml")
