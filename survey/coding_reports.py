"""What coders look at besides single answers: agreement between them, frequent terms, word clouds.

The language of an answer is the one machine coding detected (``Answer.language``), else the language the
questionnaire was answered in: detecting it here on every page view would be slow, and the suggestion run
stores it for every answer anyway.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from PIL import features
from sqlalchemy import exists
from sqlmodel import Session, select

from analysis.clouds import ARABIC_SCRIPT, CloudUnavailableError, font_path, word_cloud
from analysis.codebook import Codebook
from analysis.reliability import CodeAgreement, Overall, agreement, disagreements, overall
from analysis.terms import Term, frequent_terms, word_frequencies
from analysis.text import TEXT_LANGUAGES
from survey.coding import HUMAN, codable_answers, codable_columns, decisions, double_coded, final_codes
from survey.models import Answer, Coding, CodingStatus, Response, User, Wave

EXCERPT = 160
"""Characters of an answer shown in the list of disagreements."""
CLOUD_WORDS_IN_ALT = 15
MIN_TERM_ANSWERS = 2
"""A word or phrase must come from at least this many answers: one person's wording can identify them."""


def text_language(detected: str | None, answered_in: str | None) -> str | None:
    """A text language the analysis reads ("de-simple" answers are German), or None."""
    code = (detected or answered_in or "").split("-")[0]
    return code if code in TEXT_LANGUAGES else None


# ------------------------------------------------------------------------------------------------ agreement


@dataclass(frozen=True)
class DisagreementRow:
    answer_id: int
    excerpt: str
    code: str
    present: list[str]
    """E-mail addresses of the coders who gave the code."""
    absent: list[str]


@dataclass(frozen=True)
class AgreementReport:
    double_coded: int
    """Answers decided on by at least two coders."""
    per_code: list[CodeAgreement]
    overall: Overall
    disagreements: list[DisagreementRow]


def agreement_report(db: Session, wave: Wave, book: Codebook) -> AgreementReport:
    reviews = double_coded(decisions(db, wave))
    codes = [code.id for code in book.leaves()]
    found = disagreements(reviews, codes)
    emails = dict(db.exec(select(User.id, User.email).where(User.id.in_({int(d.coder) for d in reviews}))).all())
    texts = dict(db.exec(select(Answer.id, Answer.text).where(Answer.id.in_({int(d.unit) for d in found}))).all())
    rows = [
        DisagreementRow(
            answer_id=int(d.unit),
            excerpt=_excerpt(texts.get(int(d.unit)) or ""),
            code=d.code,
            present=[emails.get(int(c), c) for c in d.present],
            absent=[emails.get(int(c), c) for c in d.absent],
        )
        for d in found
    ]
    return AgreementReport(len({d.unit for d in reviews}), agreement(reviews, codes), overall(reviews, codes), rows)


def _excerpt(text: str) -> str:
    return text if len(text) <= EXCERPT else text[: EXCERPT - 1].rstrip() + "…"


# ------------------------------------------------------------------------------------------------ terms


@dataclass(frozen=True)
class LanguageTerms:
    language: str
    answers: int
    terms: list[Term]


def uncovered_texts(db: Session, wave: Wave) -> dict[str, list[str]]:
    """Per text language, the answers no coder accepted a code for and no machine suggestion still covers."""
    covered = exists().where(Coding.answer_id == Answer.id, Coding.status != CodingStatus.rejected)
    rows = db.exec(codable_columns(db, wave, Answer.text, Answer.language, Response.language).where(~covered))
    return _by_language(rows)


def terms_by_language(db: Session, wave: Wave, top: int = 30) -> list[LanguageTerms]:
    by_language = uncovered_texts(db, wave)
    return [
        LanguageTerms(lang, len(texts), frequent_terms(texts, lang, top=top, min_answers=MIN_TERM_ANSWERS))
        for lang, texts in by_language.items()
    ]


def _by_language(rows: Iterable[tuple[str, str | None, str | None]]) -> dict[str, list[str]]:
    grouped: defaultdict[str, list[str]] = defaultdict(list)
    for text, detected, answered_in in rows:
        lang = text_language(detected, answered_in)
        if lang:
            grouped[lang].append(text)
    return {lang: grouped[lang] for lang in TEXT_LANGUAGES if lang in grouped}


# ------------------------------------------------------------------------------------------------ clouds


def cloud_texts(db: Session, wave: Wave, code: str | None = None) -> dict[str, list[str]]:
    """Per text language, the answers a cloud is drawn from: all of them, or those with ``code``.

    An answer has the code when its final human codes include it (at least half of its coders gave it);
    answers no coder has decided on yet count with their machine suggestions, so clouds are useful from the
    start and come to rest on human decisions as coding proceeds.
    """
    query = codable_columns(db, wave, Answer.text, Answer.language, Response.language)
    if code is None:
        return _by_language(db.exec(query))
    reviewed, chosen = set(), set()
    for unit, codes in final_codes(decisions(db, wave)):
        reviewed.add(int(unit))
        if code in codes:
            chosen.add(int(unit))
    suggested = db.exec(
        codable_answers(db, wave)
        .with_only_columns(Answer.id)
        .join(Coding, Coding.answer_id == Answer.id)
        .where(Coding.code == code, Coding.source != HUMAN, Coding.status != CodingStatus.rejected)
    )
    chosen |= {answer_id for answer_id in suggested if answer_id not in reviewed}
    if not chosen:
        return {}
    return _by_language(db.exec(query.where(Answer.id.in_(chosen))))


@dataclass(frozen=True)
class Cloud:
    language: str
    answers: int
    words: list[str]
    """The most frequent words, for the image's text alternative; empty when too few answers."""
    drawable: bool
    """This server has the font (and for Arabic script the text shaping) the language needs."""


def drawable(lang: str) -> bool:
    try:
        font_path(lang)
    except CloudUnavailableError:
        return False
    return lang not in ARABIC_SCRIPT or features.check("raqm")


def clouds(db: Session, wave: Wave, code: str | None) -> list[Cloud]:
    """One entry per language with answers; words only where the privacy minimum is met."""
    result = []
    for lang, texts in cloud_texts(db, wave, code).items():
        enough = len(texts) >= wave.min_cell_size
        counts = word_frequencies(texts, lang, min_answers=MIN_TERM_ANSWERS) if enough else {}
        top = sorted(counts, key=lambda word: (-counts[word], word))[:CLOUD_WORDS_IN_ALT]
        result.append(Cloud(lang, len(texts), top, drawable(lang)))
    return result


def cloud_png(db: Session, wave: Wave, lang: str, code: str | None) -> bytes | None:
    """The cloud as PNG, or None when it must not or cannot be drawn (too few answers, no frequent word)."""
    texts = cloud_texts(db, wave, code).get(lang, [])
    if len(texts) < wave.min_cell_size:
        return None
    counts = word_frequencies(texts, lang, min_answers=MIN_TERM_ANSWERS)
    if not counts or not drawable(lang):
        return None
    return word_cloud(counts, lang)
