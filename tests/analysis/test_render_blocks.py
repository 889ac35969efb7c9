"""Any list of report blocks renders like the report section, left to right or right to left."""

from __future__ import annotations

import io

from docx import Document
from docx.oxml.ns import qn

from analysis.render_docx import render_blocks_docx
from analysis.render_html import render_blocks_html
from analysis.report_layout import Bullets, Heading, Paragraph, Table

BLOCKS = [
    Heading(1, "ملخص الورشة"),
    Paragraph("<script>alert(1)</script>"),
    Bullets(["المنظمة: جمعية أ"]),
    Table("الأصوات", ["البيان", "موافق"], [["نحتاج أماكن لقاء", "6"]], ["¹ ملاحظة"]),
]


def test_html_carries_language_and_direction_and_escapes_text() -> None:
    page = render_blocks_html(BLOCKS, "ملخص", "ar", "rtl").decode()
    assert '<html lang="ar" dir="rtl">' in page
    assert "<h1>ملخص الورشة</h1>" in page
    assert "&lt;script&gt;" in page
    assert '<th scope="row">نحتاج أماكن لقاء</th><td>6</td>' in page


def test_left_to_right_is_the_default() -> None:
    assert '<html lang="de" dir="ltr">' in render_blocks_html(BLOCKS[:1], "T", "de").decode()


def test_a_right_to_left_word_document_sets_bidi_on_its_text_and_tables() -> None:
    document = Document(io.BytesIO(render_blocks_docx(BLOCKS, "ملخص", "ar", rtl=True)))
    normal = document.styles["Normal"].element
    assert normal.pPr.find(qn("w:bidi")) is not None
    assert normal.rPr.find(qn("w:rtl")) is not None
    assert normal.rPr.find(qn("w:lang")).get(qn("w:bidi")) == "ar"
    (table,) = document.tables
    assert table._tbl.tblPr.find(qn("w:bidiVisual")) is not None
    assert table.cell(1, 0).text == "نحتاج أماكن لقاء"
    assert document.core_properties.language == "ar"


def test_a_left_to_right_word_document_has_no_bidi() -> None:
    document = Document(io.BytesIO(render_blocks_docx(BLOCKS, "T", "de-DE")))
    assert document.styles["Normal"].element.pPr is None or (
        document.styles["Normal"].element.pPr.find(qn("w:bidi")) is None
    )
    assert document.tables[0]._tbl.tblPr.find(qn("w:bidiVisual")) is None
