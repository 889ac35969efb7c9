"""Report renderers: the same section as Markdown, self-contained HTML, an editable Word file and valid JSON,
with alt text on every image, hostile answers escaped and suppressed figures never printed."""

from __future__ import annotations

import base64
import io
import json
from html.parser import HTMLParser

import jsonschema
import pytest
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Pt
from PIL import Image

from analysis.render import JSON_SCHEMA, markdown_figures, render
from analysis.render_docx import _style_ids, _table
from analysis.report_layout import Table
from analysis.report_model import Section
from tests.analysis.report_section import WITHHELD_COUNT, build_section

SUPPRESSED_NOTE = "weniger als 5 Antworten – aus Datenschutzgründen nicht ausgewiesen"
SMALL_BASE_NOTE = "Anteil auf weniger als 30 Antworten – mit Vorsicht lesen"


@pytest.fixture(scope="module")
def section() -> Section:
    return build_section()


class _Page(HTMLParser):
    """Collects what the checks need: images, headings, scripts, quotes and table header cells."""

    def __init__(self) -> None:
        super().__init__()
        self.images: list[dict[str, str | None]] = []
        self.headings: list[tuple[str, str]] = []
        self.scripts = 0
        self.blockquotes: list[dict[str, str | None]] = []
        self.header_scopes: list[str | None] = []
        self.captions = 0
        self.html_lang: str | None = None
        self._heading: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "img":
            self.images.append(attributes)
        elif tag == "script":
            self.scripts += 1
        elif tag == "blockquote":
            self.blockquotes.append(attributes)
        elif tag == "th":
            self.header_scopes.append(attributes.get("scope"))
        elif tag == "caption":
            self.captions += 1
        elif tag == "html":
            self.html_lang = attributes.get("lang")
        elif tag in {"h1", "h2", "h3"}:
            self._heading = tag
            self.headings.append((tag, ""))

    def handle_endtag(self, tag: str) -> None:
        if tag == self._heading:
            self._heading = None

    def handle_data(self, data: str) -> None:
        if self._heading:
            level, text = self.headings[-1]
            self.headings[-1] = (level, text + data)


@pytest.fixture(scope="module")
def page(section: Section) -> tuple[str, _Page]:
    html = render(section, "html").decode()
    parser = _Page()
    parser.feed(html)
    return html, parser


def test_html_images_are_inline_pngs_with_the_figures_alt_text(section: Section, page: tuple[str, _Page]) -> None:
    _, parsed = page
    figures = section.fields[0].figures
    assert len(parsed.images) == len(figures) == 4
    for image, figure in zip(parsed.images, figures, strict=True):
        assert image["alt"] == figure.alt
        assert image["alt"]
        prefix = "data:image/png;base64,"
        assert image["src"].startswith(prefix)
        assert Image.open(io.BytesIO(base64.b64decode(image["src"][len(prefix) :]))).format == "PNG"


def test_html_has_a_heading_per_field_and_the_subheadings(page: tuple[str, _Page]) -> None:
    _, parsed = page
    assert parsed.html_lang == "de"
    assert parsed.headings[0] == ("h1", "Zugehörigkeit und Diskriminierung")
    h2 = [text for level, text in parsed.headings if level == "h2"]
    assert h2 == ["Zusammenleben und Teilhabe", "Wohnen", "Methodische Hinweise"]
    h3 = [text for level, text in parsed.headings if level == "h3"]
    expected = ["Kennzahlen", "Befragung", "Was Menschen stärkt", "Hürden und Diskriminierung", "Stimmen"]
    assert h3[:5] == expected
    assert h3[5:] == ["Hürden und Diskriminierung"]


def test_html_escapes_hostile_answers_and_marks_quote_languages(page: tuple[str, _Page]) -> None:
    html, parsed = page
    assert parsed.scripts == 0
    assert "<script" not in html
    assert "&lt;script&gt;" in html
    assert "<b>nein</b>" not in html
    languages = {quote["lang"]: quote["dir"] for quote in parsed.blockquotes}
    assert languages == {"tr": "auto", "ar": "rtl"}
    assert "— Antwort auf Türkisch" in html
    assert "— Antwort auf Arabisch" in html


def test_html_tables_have_captions_and_scoped_headers(page: tuple[str, _Page]) -> None:
    html, parsed = page
    assert parsed.captions == 8  # incl. the indicators by district
    assert set(parsed.header_scopes) == {"col", "row"}
    assert "noch nicht geprüfte Maschinenvorschläge" in html
    assert SUPPRESSED_NOTE in html
    assert SMALL_BASE_NOTE in html
    assert "⚠ Schwelle verfehlt" in html


def test_html_is_self_contained(page: tuple[str, _Page]) -> None:
    html, _ = page
    assert "http://" not in html.replace("http://www.w3.org", "")
    assert "<link" not in html
    assert 'src="data:image/png' in html


@pytest.mark.parametrize("fmt", ["md", "html", "docx", "json"])
def test_suppressed_values_never_appear(section: Section, fmt: str) -> None:
    output = render(section, fmt)
    text = _docx_text(output) if fmt == "docx" else output.decode()
    assert str(WITHHELD_COUNT) not in text
    assert str(WITHHELD_COUNT + 2) not in text
    if fmt != "json":
        assert "–¹" in text  # printed as a dash with its footnote
        assert SUPPRESSED_NOTE in text


def test_markdown_has_tables_quotes_and_figure_links(section: Section) -> None:
    markdown = render(section, "md").decode()
    files = markdown_figures(section)
    assert len(files) == 4
    for name, png in files.items():
        assert f"](figures/{name})" in markdown
        assert name.endswith(".png")
        assert "/" not in name
        assert Image.open(io.BytesIO(png)).format == "PNG"
    assert "| Antwort | Anteil (95-%-Intervall) | n | Vorwelle |" in markdown
    assert "| Weststadt | 39\u00a0%² | 13\u00a0%² | 23 |" in markdown
    assert "## Wohnen" in markdown
    assert "### Stimmen" in markdown
    assert "> — Antwort auf Arabisch" in markdown
    assert "<script" not in markdown
    assert "<b>" not in markdown


def test_docx_uses_word_headings_tables_and_described_pictures(section: Section) -> None:
    document = Document(io.BytesIO(render(section, "docx")))
    headings = [(p.style.name, p.text) for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert headings[0] == ("Heading 1", "Zugehörigkeit und Diskriminierung")
    assert ("Heading 2", "Zusammenleben und Teilhabe") in headings
    assert ("Heading 2", "Wohnen") in headings
    assert ("Heading 3", "Stimmen") in headings
    assert len(document.tables) == 8
    assert document.tables[0].rows[0].cells[0].text == "Kennzahl"
    assert len(document.inline_shapes) == 4
    descriptions = [shape._inline.docPr.get("descr") for shape in document.inline_shapes]
    assert descriptions == [figure.alt for figure in section.fields[0].figures]
    captions = [p.text for p in document.paragraphs if p.style.name == "Caption"]
    assert "Abbildung 2: Wie sehr fühlen Sie sich der Stadt verbunden?: sehr verbunden" in captions


def test_docx_tables_are_grid_tables_in_9_pt_with_a_bold_header_repeated_on_each_page(section: Section) -> None:
    document = Document(io.BytesIO(render(section, "docx")))
    for table in document.tables:
        assert table.style.name == "Table Grid"
        header, *rows = table.rows
        assert header._tr.trPr.find(qn("w:tblHeader")).get(qn("w:val")) == "true"
        assert all(row._tr.trPr is None for row in rows)
        for row, bold in [(header, True), *((row, None) for row in rows)]:
            runs = [run for cell in row.cells for run in cell.paragraphs[0].runs]
            assert len(runs) == len(row.cells)
            assert all(run.font.size == Pt(9) and run.bold is bold for run in runs)


def test_docx_table_cells_keep_tabs_line_breaks_and_outer_spaces() -> None:
    document = Document()
    values = ["a\tb", "c\nd", " e ", ""]
    _table(document, Table("Tabelle", ["1", "2", "3", "4"], [values]), _style_ids(document))
    assert [cell.text for cell in document.tables[0].rows[1].cells] == values


def test_docx_quotes_are_quote_paragraphs_right_to_left_for_arabic(section: Section) -> None:
    document = Document(io.BytesIO(render(section, "docx")))
    quotes = [p for p in document.paragraphs if p.style.name == "Quote"]
    assert len(quotes) == 2
    turkish, arabic = quotes
    assert turkish._p.pPr.find(qn("w:bidi")) is None
    assert arabic._p.pPr.find(qn("w:bidi")) is not None
    assert arabic.text.startswith("لم أجد شقة")
    assert "<script>" in arabic.text  # Word shows text as text: nothing to escape, nothing lost


def test_json_validates_and_a_leaked_suppressed_value_does_not(section: Section) -> None:
    data = json.loads(render(section, "json"))
    jsonschema.Draft202012Validator.check_schema(JSON_SCHEMA)
    jsonschema.validate(data, JSON_SCHEMA, cls=jsonschema.Draft202012Validator)
    assert all("png" not in figure for figure in data["fields"][0]["figures"])
    leaked = json.loads(json.dumps(data))
    leaked["fields"][0]["closed"][0]["options"][0]["by_district"]["Südstadt"]["count"] = 3
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(leaked, JSON_SCHEMA, cls=jsonschema.Draft202012Validator)
    code_leak = json.loads(json.dumps(data))
    code_leak["fields"][0]["barriers"][1]["share"] = 0.01
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(code_leak, JSON_SCHEMA, cls=jsonschema.Draft202012Validator)
    missing_n = json.loads(json.dumps(data))
    del missing_n["fields"][0]["strengths"][0]["n"]
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(missing_n, JSON_SCHEMA, cls=jsonschema.Draft202012Validator)


def test_english_section_uses_english_headings_and_notes() -> None:
    english = build_section("en")
    markdown = render(english, "md").decode()
    assert "### Indicators" in markdown
    assert "### Barriers" in markdown
    assert "fewer than 5 answers – withheld for privacy" in markdown
    assert "> — Answer in Turkish" in markdown
    parsed = _Page()
    parsed.feed(render(english, "html").decode())
    assert parsed.html_lang == "en"


def test_unknown_format_is_refused(section: Section) -> None:
    with pytest.raises(ValueError, match="unknown report format"):
        render(section, "pdf")


def _docx_text(data: bytes) -> str:
    document = Document(io.BytesIO(data))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join([paragraph.text for paragraph in document.paragraphs] + cells)
