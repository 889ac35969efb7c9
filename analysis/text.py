"""Which language an answer is in, and a spaCy pipeline per language that knows each token's lemma (as its norm).

No model is downloaded: spaCy runs blank tokenisers, and lemmas come from simplemma's tables (shipped
inside the package) looked up once per word of the vocabulary, because spacy-lookups-data lacks Arabic,
Farsi and Ukrainian.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache, partial

import numpy
import simplemma
import spacy
from lingua import IsoCode639_1, Language, LanguageDetectorBuilder
from spacy.attrs import IDX, IS_PUNCT, IS_SPACE, LENGTH, LOWER, NORM, ORTH
from spacy.language import Language as Pipeline
from spacy.tokens import Doc

TEXT_LANGUAGES = ("de", "en", "tr", "ar", "fa", "ru", "uk")
"""Languages the analysis reads (Einfache Sprache answers are German text)."""

MIN_LETTERS = 12
"""With fewer letters, an answer keeps the language it was given in: "ok" or "nein!" say too little."""


@cache
def _detector():
    """Trigram-only ("low accuracy") mode: several times faster, and as accurate on sentence-long answers.

    Measured on the hand-coded development set: 99.7 % correct, against 99.4 % in the high-accuracy
    mode, whose extra n-gram models help with single words, which keep their survey language anyway.
    """
    languages = [Language.from_iso_code_639_1(getattr(IsoCode639_1, code.upper())) for code in TEXT_LANGUAGES]
    return (
        LanguageDetectorBuilder.from_languages(*languages).with_preloaded_language_models().with_low_accuracy_mode()
    ).build()


DETECT_CHARS = 120
"""Only the beginning of an answer is read for its language: detection time grows with the length, and on
the development and held-out sets (455 answers) the first 120 characters decide exactly as well as all,
while 80 characters already get five answers wrong (English ones full of German office names)."""
_ENOUGH_LETTERS = re.compile(rf"(?:[\W\d_]*[^\W\d_]){{{MIN_LETTERS}}}")


def detect_languages(texts: Sequence[str], fallbacks: Sequence[str | None]) -> list[str | None]:
    """ISO 639-1 code of each text's language; its fallback (e.g. the survey language) when unsure.

    The detector reads the batch on all cores at once: it is the dearest step of machine coding.
    """
    detected: list[str | None] = list(fallbacks)
    rows = [i for i, text in enumerate(texts) if _ENOUGH_LETTERS.match(text)]
    found = _detector().detect_languages_in_parallel_of([texts[i][:DETECT_CHARS] for i in rows])
    for i, language in zip(rows, found, strict=True):
        if language:
            detected[i] = language.iso_code_639_1.name.lower()
    return detected


def detect_language(text: str, fallback: str | None = None) -> str | None:
    """:func:`detect_languages` for one text."""
    return detect_languages([text], [fallback])[0]


def _lemma(word: str, language: str) -> str:
    """simplemma's lemma, lower-cased; the word keeps its case, as German lemmas depend on it ("Arbeit" is a
    noun, "arbeit" a verb form). Words without letters are only lower-cased."""
    if any(ch.isalpha() for ch in word):  # not str.isalpha: Farsi words contain U+200C
        return simplemma.lemmatize(word, lang=language).lower()
    return word.lower()


@cache
def pipeline(language: str) -> Pipeline:
    """A blank tokeniser for the language whose tokens carry their lemma as ``norm``; built once per process.

    A word's lemma is looked up once, when the word first enters the vocabulary, and kept as its norm (a
    vocabulary attribute, which tokens share): reading an answer then costs no more than tokenising it.
    Setting ``token.lemma`` as well would cost a third of the tokenising time again.
    """
    if language not in TEXT_LANGUAGES:
        raise ValueError(f"unsupported text language {language!r}; supported: {', '.join(TEXT_LANGUAGES)}")
    nlp = spacy.blank(language)
    vocab = nlp.vocab
    vocab.lex_attr_getters[NORM] = partial(_lemma, language=language)
    for lexeme in list(vocab):  # words the tokeniser's exceptions put in before the getter was set
        lexeme.norm_ = _lemma(lexeme.orth_, language)
    # Exceptions give some pieces a norm of their own ("n't" → "not"); every word's lemma comes from simplemma.
    nlp.tokenizer.rules = {
        chunk: [{ORTH: piece[ORTH]} for piece in pieces] for chunk, pieces in nlp.tokenizer.rules.items()
    }
    return nlp


WORD_COLUMNS = (LOWER, NORM, IS_PUNCT, IS_SPACE, IDX, LENGTH)
"""Columns of :func:`word_table`: lower-case form, lemma, punctuation and space flags, character offset, length."""


def word_table(doc: Doc) -> numpy.ndarray:
    """An answer's words as a table of string ids and numbers (:data:`WORD_COLUMNS`), made once per answer.

    The rule coder and the classifier both read it: a Token object per word would cost more than their work.
    """
    table = doc.user_data.get("stimmen.words")
    if table is None:
        table = doc.user_data["stimmen.words"] = doc.to_array(list(WORD_COLUMNS)).reshape(-1, len(WORD_COLUMNS))
    return table
