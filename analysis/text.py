"""Which language an answer is in, and a spaCy pipeline per language that knows each token's lemma.

No model is downloaded: spaCy runs blank tokenisers, and lemmas come from simplemma's tables (shipped
inside the package) through a cached pipeline component, because spacy-lookups-data lacks Arabic,
Farsi and Ukrainian.
"""

from __future__ import annotations

from functools import cache, lru_cache

import simplemma
import spacy
from lingua import IsoCode639_1, Language, LanguageDetectorBuilder
from spacy.language import Language as Pipeline
from spacy.tokens import Doc

TEXT_LANGUAGES = ("de", "en", "tr", "ar", "fa", "ru", "uk")
"""Languages the analysis reads (Einfache Sprache answers are German text)."""

MIN_CONFIDENCE = 0.5
MIN_LETTERS = 12
"""Below this lingua confidence, or with fewer letters, an answer keeps the language it was given in."""


@cache
def _detector():
    languages = [Language.from_iso_code_639_1(getattr(IsoCode639_1, code.upper())) for code in TEXT_LANGUAGES]
    return LanguageDetectorBuilder.from_languages(*languages).with_preloaded_language_models().build()


def detect_language(text: str, fallback: str | None = None) -> str | None:
    """ISO 639-1 code of the text's language; ``fallback`` (e.g. the survey language) when unsure."""
    if sum(ch.isalpha() for ch in text) < MIN_LETTERS:
        return fallback
    confidences = _detector().compute_language_confidence_values(text)
    if not confidences or confidences[0].value < MIN_CONFIDENCE:
        return fallback
    return confidences[0].language.iso_code_639_1.name.lower()


@lru_cache(maxsize=200_000)
def lemma(word: str, language: str) -> str:
    """simplemma's lemma, lower-cased; cached because answers repeat the same words endlessly.

    The word keeps its case: German lemmas depend on it ("Arbeit" is a noun, "arbeit" a verb form).
    """
    return simplemma.lemmatize(word, lang=language).lower()


@Pipeline.factory("stimmen_lemmatizer", default_config={"language": "de"})
def make_lemmatizer(nlp: Pipeline, name: str, language: str):
    def lemmatize(doc: Doc) -> Doc:
        for token in doc:
            if any(ch.isalpha() for ch in token.text):  # not is_alpha: Farsi words contain U+200C
                token.lemma_ = lemma(token.text, language)
            else:
                token.lemma_ = token.lower_
        return doc

    return lemmatize


@cache
def pipeline(language: str) -> Pipeline:
    """A blank tokeniser for the language with lemmas; built once per process."""
    if language not in TEXT_LANGUAGES:
        raise ValueError(f"unsupported text language {language!r}; supported: {', '.join(TEXT_LANGUAGES)}")
    nlp = spacy.blank(language)
    nlp.add_pipe("stimmen_lemmatizer", config={"language": language})
    return nlp
