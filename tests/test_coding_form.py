"""The coding form's pieces without HTTP: marked text and what a coder posts."""

from __future__ import annotations

import re
from html import unescape

from survey.coding_form import Mark, code_groups, codebook, highlighted, parse_posted

QUESTION = "discrimination_experience"


def text_of(html: str) -> str:
    return unescape(re.sub(r"<[^>]+>", "", html))


def test_overlapping_and_adjacent_marks_split_into_pieces() -> None:
    text = "ab<cd>ef\r\n😀gh"
    marks = [
        Mark(0, 4, "suggested", "a", "A"),
        Mark(2, 6, "segment", "b", "B"),
        Mark(6, 8, "suggested", "c", "C & D"),
        Mark(9, 11, "segment", "e", "E"),
        Mark(5, 50, "suggested", "x", "out of range"),
    ]
    html = str(highlighted(text, marks))
    assert text_of(html) == text  # the browser's text content is exactly the stored text
    assert html.startswith('<mark class="suggested" title="A">ab</mark>')
    assert '<mark class="segment suggested" title="A, B">&lt;c</mark>' in html
    assert '<mark class="segment" title="B">d&gt;</mark><mark class="suggested" title="C &amp; D">ef</mark>' in html
    assert "&#13;" in html
    assert '<mark class="segment" title="E">\n😀</mark>gh' in html
    assert "out of range" not in html


def test_posted_codes_and_segments_are_checked() -> None:
    book = codebook()
    text = "Bei der Wohnungssuche abgelehnt."
    ok = parse_posted(
        {
            "code": ["domain.housing", "form.refused"],
            "span:form.refused": "22-31",
            "span:ground.name": "0-3",
            "memo": "x",
        },
        book,
        QUESTION,
        text,
    )
    assert ok.errors == []
    assert ok.accepted == {"domain.housing": None, "form.refused": (22, 31)}
    assert ok.memo == "x"
    bad = parse_posted(
        {"code": ["nope", "wish.housing", "domain.housing"], "span:domain.housing": "0-99"}, book, QUESTION, text
    )
    assert [code for code, _ in bad.errors] == ["code_unknown", "code_not_for_question", "span_invalid"]
    assert parse_posted({"code": "domain"}, book, QUESTION, text).errors == [("code_unknown", {"code": "domain"})]


def test_only_codes_for_the_question_are_offered() -> None:
    groups = {group.code.id: [code.id for code in group.leaves] for group in code_groups(codebook(), QUESTION)}
    assert "wish" not in groups
    assert "helps" not in groups
    assert "domain.housing" in groups["domain"]
    assert len(code_groups(codebook(), "a_question_of_another_tool")) == len(codebook().codes)
