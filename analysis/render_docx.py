"""The report section as a Word document that authors can edit and paste into the municipal report.

Only Word's own building blocks are used — the built-in "Heading 1–3", "Caption", "Quote" and "List Bullet"
styles, real tables, inline pictures — so the section takes on the target document's styles and appears in
its table of contents. Each picture carries its alt text as the description Word shows in "Alt Text", and
quotes in Arabic script are right-to-left paragraphs.
"""

from __future__ import annotations

import io

from docx import Document
from docx.document import Document as DocxDocument
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from analysis.report_layout import Block, Bullets, FigureBlock, Heading, Paragraph, QuoteBlock, Table, layout
from analysis.report_model import Section

TABLE_STYLE = "Table Grid"
PICTURE_WIDTH = Cm(16)
LANGUAGE_TAGS = {"de": "de-DE", "en": "en-GB"}


def render_docx(section: Section) -> bytes:
    document = Document()
    document.core_properties.title = section.title
    document.core_properties.language = LANGUAGE_TAGS.get(section.language, "de-DE")
    _set_language(document, LANGUAGE_TAGS.get(section.language, "de-DE"))
    for block in layout(section):
        _add(document, block)
    output = io.BytesIO()
    document.save(output)
    return output.getvalue()


def _add(document: DocxDocument, block: Block) -> None:
    match block:
        case Heading(level, text):
            document.add_heading(text, level=level)
        case Paragraph(text):
            document.add_paragraph(text)
        case Bullets(items):
            for item in items:
                document.add_paragraph(item, style="List Bullet")
        case Table():
            _table(document, block)
        case FigureBlock(figure, _, caption):
            document.add_picture(io.BytesIO(figure.png), width=PICTURE_WIDTH)
            picture = document.inline_shapes[-1]
            picture._inline.docPr.set("descr", figure.alt)
            picture._inline.docPr.set("title", figure.title)
            document.add_paragraph(caption, style="Caption")
        case QuoteBlock():
            _quote(document, block)
        case _:
            raise TypeError(f"unknown block {block!r}")


def _table(document: DocxDocument, table: Table) -> None:
    document.add_paragraph(table.caption, style="Caption").paragraph_format.keep_with_next = True
    grid = document.add_table(rows=1 + len(table.rows), cols=len(table.header), style=TABLE_STYLE)
    for row, cells in zip(grid.rows, [table.header, *table.rows], strict=True):
        for cell, value in zip(row.cells, cells, strict=True):
            cell.text = value
            for run in cell.paragraphs[0].runs:
                run.font.size = Pt(9)
    for cell in grid.rows[0].cells:
        for run in cell.paragraphs[0].runs:
            run.bold = True
    header_row = grid.rows[0]._tr.get_or_add_trPr()
    repeat = OxmlElement("w:tblHeader")  # repeat the header row on every page
    repeat.set(qn("w:val"), "true")
    header_row.append(repeat)
    for note in table.notes:
        document.add_paragraph(note).runs[0].font.size = Pt(8)


def _quote(document: DocxDocument, quote: QuoteBlock) -> None:
    paragraph = document.add_paragraph(style="Quote")
    run = paragraph.add_run(quote.text)
    language = OxmlElement("w:lang")
    if quote.rtl:
        paragraph._p.get_or_add_pPr().append(OxmlElement("w:bidi"))
        run._r.get_or_add_rPr().append(OxmlElement("w:rtl"))
        language.set(qn("w:bidi"), quote.language)
    else:
        language.set(qn("w:val"), quote.language)
    run._r.get_or_add_rPr().append(language)
    document.add_paragraph(quote.attribution)


def _set_language(document: DocxDocument, tag: str) -> None:
    """Spell checking and hyphenation in the section's language instead of Word's default."""
    properties = document.styles["Normal"].element.get_or_add_rPr()
    language = OxmlElement("w:lang")
    language.set(qn("w:val"), tag)
    properties.append(language)
