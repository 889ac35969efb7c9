"""Frequent words and phrases in answers, so coders can spot new categories in what no code covers yet.

Terms are counted on lemmas ("Wohnung", "Wohnungen" → ``wohnung``) and shown in their most frequent
surface form. Phrases are built only from runs of adjacent content words: stop words (spaCy's list for
the language, checked on the lower-case form and the lemma), punctuation, numbers and anything without a
letter end a run, so no phrase reaches across them. Farsi words keep their U+200C (ZWNJ): spaCy's Farsi
tokenizer does not split at it, and a token counts as a word if it has any letter.

A phrase that only ever occurs inside a longer frequent phrase is listed too: pruning it would hide
counts coders may want, and the ranking (answers, then occurrences) already puts the longer phrase near it.

``min_answers`` drops terms from fewer answers: a word only one person used can identify them.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from spacy.tokens import Doc, Token

from analysis.text import pipeline

BATCH_SIZE = 512
"""Answers per ``nlp.pipe`` batch: memory stays flat however many answers stream through."""


@dataclass(frozen=True)
class Term:
    """A word or phrase, how often it occurs and in how many distinct answers."""

    text: str
    """Most frequent surface form (the first seen on a tie), e.g. "Wohnungssuche" or "Wohnung suchen"."""
    lemma: str
    """Space-separated lemmas: the key occurrences are counted under."""
    n: int
    """Number of words."""
    count: int
    answers: int


@dataclass
class _Tally:
    count: int = 0
    answers: int = 0
    surfaces: Counter[str] = field(default_factory=Counter)


def frequent_terms(
    texts: Iterable[str], language: str, max_n: int = 3, top: int = 30, min_answers: int = 2
) -> list[Term]:
    """The ``top`` words and phrases of up to ``max_n`` words used in at least ``min_answers`` answers."""
    return _terms(texts, language, max_n, min_answers)[:top]


def word_frequencies(texts: Iterable[str], language: str, min_answers: int = 2) -> dict[str, int]:
    """Word (most frequent surface form) → occurrences, for a word cloud; same counting as ``frequent_terms``."""
    return {term.text: term.count for term in _terms(texts, language, 1, min_answers)}


def _terms(texts: Iterable[str], language: str, max_n: int, min_answers: int) -> list[Term]:
    tallies: defaultdict[tuple[str, ...], _Tally] = defaultdict(_Tally)
    nlp = pipeline(language)
    stop_words = nlp.Defaults.stop_words
    for doc in nlp.pipe(texts, batch_size=BATCH_SIZE):
        seen: set[tuple[str, ...]] = set()
        for gram in _ngrams(doc, stop_words, max_n):
            key = tuple(token.norm_ for token in gram)
            tally = tallies[key]
            tally.count += 1
            tally.surfaces[" ".join(token.text for token in gram)] += 1
            if key not in seen:
                seen.add(key)
                tally.answers += 1
    terms = [
        Term(tally.surfaces.most_common(1)[0][0], " ".join(key), len(key), tally.count, tally.answers)
        for key, tally in tallies.items()
        if tally.answers >= min_answers
    ]
    return sorted(terms, key=lambda term: (-term.answers, -term.count, term.lemma))


def _ngrams(doc: Doc, stop_words: set[str], max_n: int) -> Iterator[list[Token]]:
    for run in _content_runs(doc, stop_words):
        for n in range(1, max_n + 1):
            for start in range(len(run) - n + 1):
                yield run[start : start + n]


def _content_runs(doc: Doc, stop_words: set[str]) -> Iterator[list[Token]]:
    """Maximal stretches of adjacent content words."""
    run: list[Token] = []
    for token in doc:
        if _is_content(token, stop_words):
            run.append(token)
        elif run:
            yield run
            run = []
    if run:
        yield run


def _is_content(token: Token, stop_words: set[str]) -> bool:
    # Needing a letter drops punctuation, digits and whitespace; like_num drops number words ("zwei").
    return (
        any(ch.isalpha() for ch in token.text)
        and not token.like_num
        and token.lower_ not in stop_words
        and token.norm_ not in stop_words
    )
