"""The coding form: the codebook as coders see it, the answer with its marked segments, and what they post.

Offsets are Python code points, as stored in ``Coding.start``/``end`` and produced by the rule coder; the
browser script counts code points too (``Array.from``), never UTF-16 units.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from itertools import pairwise
from typing import Any

from babel import Locale, UnknownLocaleError
from markupsafe import Markup, escape
from sqlmodel import Session

from analysis.codebook import Code, Codebook, load_codebook
from survey.coding import AnswerView, Span, asked_in
from survey.i18n import Language
from survey.models import Coding, Wave

SPAN_PREFIX = "span:"
"""Form field ``span:<code>`` = ``start-end``: the segment a code was given to (absent: the whole answer)."""
SPAN_VALUE = re.compile(r"^\s*(\d{1,9})\s*-\s*(\d{1,9})\s*$")


@cache
def codebook() -> Codebook:
    """The default codebook, loaded once per process."""
    return load_codebook()


def label(code: Code, language: str) -> str:
    """The code's label in the UI language (Einfache Sprache, else German, when a label is missing)."""
    return code.label.get(language) or code.label.get("de") or code.id


@dataclass(frozen=True)
class CodeGroup:
    code: Code
    leaves: list[Code]


def code_groups(book: Codebook, question_id: str | None) -> list[CodeGroup]:
    """Top-level groups with the codes a coder may give to answers of this question (None: every code)."""
    groups = []
    for top in book.codes:
        leaves = [code for code in top.walk() if not code.children and book.applies(code.id, question_id)]
        if leaves:
            groups.append(CodeGroup(top, leaves))
    return groups


# ------------------------------------------------------------------------------------------------ marks


@dataclass(frozen=True)
class Mark:
    start: int
    end: int
    kind: str
    """"suggested" (machine evidence) or "segment" (a coder's own segment)."""
    code: str
    label: str


def highlighted(text: str, marks: Iterable[Mark]) -> Markup:
    """The text with ``<mark>`` around every marked stretch; overlapping marks split into pieces.

    Each piece between two boundaries is wrapped once, with the classes and labels of every mark covering it,
    so overlapping and adjacent evidence stays visible and the text content is exactly ``text``.
    """
    marks = [m for m in marks if 0 <= m.start < m.end <= len(text)]
    cuts = sorted({0, len(text), *(m.start for m in marks), *(m.end for m in marks)})
    html = []
    for start, end in pairwise(cuts):
        piece = _escape(text[start:end])
        covering = [m for m in marks if m.start <= start and end <= m.end]
        if not covering:
            html.append(piece)
            continue
        kinds = sorted({m.kind for m in covering})
        title = ", ".join(dict.fromkeys(m.label for m in covering))
        html.append(f'<mark class="{" ".join(kinds)}" title="{escape(title)}">{piece}</mark>')
    return Markup("".join(html))  # noqa: S704 - every piece of text and every title is escaped above


def _escape(text: str) -> str:
    # A character reference keeps a carriage return in the DOM (HTML parsing turns a literal CR LF into LF),
    # so the browser's code point offsets match the stored text.
    return str(escape(text)).replace("\r", "&#13;")


def marks_json(marks: Sequence[Mark]) -> str:
    """The marks for the browser script, which redraws them when a coder adds a segment."""
    return json.dumps([m.__dict__ for m in marks], ensure_ascii=False)


# ------------------------------------------------------------------------------------------------ posting


@dataclass
class Posted:
    """What a coder sent: accepted codes with segments, the memo, approval for quoting, and what was wrong."""

    accepted: dict[str, Span] = field(default_factory=dict)
    memo: str = ""
    quotable: bool = False
    errors: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    """(error code, parameters) for translated messages."""


def parse_posted(data: Mapping[str, Any], book: Codebook, question_id: str | None, text: str) -> Posted:
    """Check every code against the codebook and the question, and every segment against the text."""
    posted = Posted(memo=_one(data.get("memo")), quotable=_one(data.get("quotable")) == "yes")
    leaves = {code.id for code in book.leaves()}
    for code in dict.fromkeys(_many(data.get("code"))):
        if code not in leaves:
            posted.errors.append(("code_unknown", {"code": code}))
        elif not book.applies(code, question_id):
            posted.errors.append(("code_not_for_question", {"code": code}))
        else:
            posted.accepted[code] = None
    for name, raw in data.items():
        if not name.startswith(SPAN_PREFIX):
            continue
        code, value = name[len(SPAN_PREFIX) :], _one(raw)
        if code not in posted.accepted or not value:
            continue  # a segment left behind by a code unticked again, or the whole answer
        match = SPAN_VALUE.match(value)
        start, end = (int(match[1]), int(match[2])) if match else (-1, -1)
        if not 0 <= start < end <= len(text):
            posted.errors.append(("span_invalid", {"code": code, "length": len(text)}))
        else:
            posted.accepted[code] = (start, end)
    return posted


def _many(raw: Any) -> list[str]:
    values = raw if isinstance(raw, list) else [raw] if raw is not None else []
    return [str(value).strip() for value in values if str(value).strip()]


def _one(raw: Any) -> str:
    if isinstance(raw, list):
        raw = raw[-1] if raw else ""
    return str(raw or "")


# ------------------------------------------------------------------------------------------------ the page


@dataclass(frozen=True)
class SuggestedCode:
    """One checkbox per suggested code, with every source that suggested it."""

    code: str
    label: str
    sources: list[Coding]
    evidence: list[str]


def suggested_codes(view: AnswerView, book: Codebook, language: str) -> list[SuggestedCode]:
    text = view.answer.text or ""
    by_code: dict[str, list[Coding]] = {}
    for suggestion in view.suggestions:
        by_code.setdefault(suggestion.code, []).append(suggestion)
    known = {code.id: code for code in book.all_codes()}
    return [
        SuggestedCode(
            code,
            label(known[code], language) if code in known else code,
            sorted(sources, key=lambda c: -(c.confidence or 0)),
            list(dict.fromkeys(text[s.start : s.end] for s in sources if s.start is not None and s.end is not None)),
        )
        for code, sources in by_code.items()
    ]


def language_name(code: str | None, ui: Language) -> str | None:
    """A text language's name in the UI language ("Türkisch" on a German page)."""
    if not code:
        return None
    try:
        name = Locale.parse(code.split("-")[0]).get_display_name(ui.locale) or code
    except (ValueError, UnknownLocaleError):
        return code
    return name[:1].upper() + name[1:]


def form_context(
    db: Session,
    wave: Wave,
    view: AnswerView,
    ui: Language,
    *,
    checked: Mapping[str, Span],
    memo: str,
    quotable: bool = False,
    errors: Sequence[tuple[str, dict[str, Any]]] = (),
) -> dict[str, Any]:
    """Everything the coding form template shows; ``checked`` holds the codes ticked and their segments."""
    book = codebook()
    language = ui.code
    answer = view.answer
    text = answer.text or ""
    labels = {code.id: label(code, language) for code in book.all_codes()}
    marks = [
        Mark(s.start, s.end, "suggested", s.code, labels.get(s.code, s.code))
        for s in view.suggestions
        if s.start is not None and s.end is not None
    ] + [Mark(span[0], span[1], "segment", code, labels.get(code, code)) for code, span in checked.items() if span]
    try:
        question = asked_in(db, answer).question(answer.question_id)
    except KeyError:
        question = None
    return {
        "wave": wave,
        "view": view,
        "answer": answer,
        "question": question,
        "text_html": highlighted(text, marks),
        "marks_json": marks_json([m for m in marks if m.kind == "suggested"]),
        "suggested": suggested_codes(view, book, language),
        "groups": code_groups(book, answer.question_id),
        "labels": labels,
        "checked": checked,
        "memo": memo,
        "quotable": quotable,
        "errors": list(errors),
        "detected": language_name(answer.language, ui),
    }
