"""Workshop statements and the workshops held in every output format: agreement as "12 of 15 agree" or "–",
machine codes marked, languages and direction kept, hostile text escaped."""

from __future__ import annotations

import io
import json

import jsonschema
import pytest
from docx import Document
from docx.oxml.ns import qn

from analysis.render import JSON_SCHEMA, render
from analysis.report_model import Section, Statement, WorkshopHeld
from tests.analysis.report_section import HOSTILE, build_section


def statement(text: str, language: str, voters: int | None, agree: int | None, decided: bool = True) -> Statement:
    return Statement(
        text=text,
        language=language,
        organisation="Verein Brücke",
        held_on="2025-05-20",
        codes=["discrimination.domain.housing"],
        code_labels=["Wohnungssuche" if language != "en" else "Flat hunting"],
        decided=decided,
        voters=voters,
        votes={"agree": agree, "disagree": None, "pass": None},
        suppressed=voters is None,
    )


def with_workshops(section: Section) -> Section:
    section.fields[1].statements = [
        statement("Wir brauchen bezahlbare Wohnungen. " + HOSTILE, "de", 15, 12),
        statement("نحتاج إلى أماكن للقاء في الحي.", "ar", None, None, decided=False),
    ]
    section.workshops = [
        WorkshopHeld("Verein Brücke", "2025-05-20", 15, False, 2),
        WorkshopHeld("Elternnetzwerk", "2025-06-03", None, True, 0),
    ]
    section.other_statements = [statement("Noch nicht codiert.", "de", 6, 6)]
    section.other_statements[0].codes, section.other_statements[0].code_labels = [], []
    return section


@pytest.fixture(scope="module")
def section() -> Section:
    return with_workshops(build_section())


def test_markdown_quotes_statements_with_their_agreement_and_lists_the_workshops(section: Section) -> None:
    markdown = render(section, "md").decode()
    assert "### Aussagen aus Workshops" in markdown
    assert "> — gemeinsame Aussage im Workshop von Verein Brücke, 20. Mai 2025" in markdown
    assert "> Abstimmung: 12 von 15 stimmen zu" in markdown
    assert "> Abstimmung: –" in markdown
    assert "> Codes: Wohnungssuche" in markdown
    assert "> Codes (Maschinenvorschläge, noch nicht geprüft): Wohnungssuche" in markdown
    assert "## Workshops" in markdown
    assert "| Verein Brücke | \\20. Mai 2025 | 15 | 2 |" in markdown  # escaped: no ordered list
    assert "| Elternnetzwerk | \\3. Juni 2025 | –¹ | 0 |" in markdown
    assert "### Weitere Aussagen aus Workshops" in markdown
    assert "<script" not in markdown


def test_html_statements_are_quotes_with_language_and_direction(section: Section) -> None:
    html = render(section, "html").decode()
    assert html.count('<figure class="quote statement">') == 3
    assert '<blockquote lang="ar" dir="rtl"><p>نحتاج' in html
    assert "<br>Abstimmung: 12 von 15 stimmen zu<br>Codes: Wohnungssuche</figcaption>" in html
    assert "<script>" not in html
    assert "<caption>Tabelle 9: Durchgeführte Workshops</caption>" in html


def test_docx_statements_are_quote_paragraphs_with_their_agreement(section: Section) -> None:
    document = Document(io.BytesIO(render(section, "docx")))
    quotes = [p for p in document.paragraphs if p.style.name == "Quote"]
    assert len(quotes) == 5  # two answers and three statements
    arabic = next(p for p in quotes if p.text.startswith("نحتاج"))
    assert arabic._p.pPr.find(qn("w:bidi")) is not None
    texts = [p.text for p in document.paragraphs]
    assert "Abstimmung: 12 von 15 stimmen zu" in texts
    assert ("Heading 2", "Workshops") in [(p.style.name, p.text) for p in document.paragraphs]
    workshops = document.tables[-1]
    assert [cell.text for cell in workshops.rows[2].cells] == ["Elternnetzwerk", "3. Juni 2025", "–¹", "0"]


def test_english_statements() -> None:
    english = with_workshops(build_section("en"))
    markdown = render(english, "md").decode()
    assert "> Vote: 12 of 15 agree" in markdown
    assert "### Statements from workshops" in markdown
    assert "| Elternnetzwerk | June 3, 2025 | –¹ | 0 |" in markdown


def test_json_of_statements_validates(section: Section) -> None:
    data = json.loads(render(section, "json"))
    jsonschema.validate(data, JSON_SCHEMA, cls=jsonschema.Draft202012Validator)
    assert data["fields"][1]["statements"][0]["votes"] == {"agree": 12, "disagree": None, "pass": None}
    assert data["workshops"][1] == {
        "organisation": "Elternnetzwerk",
        "held_on": "2025-06-03",
        "participants": None,
        "suppressed": True,
        "statements": 0,
    }
