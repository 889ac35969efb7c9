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

from spacy.attrs import LIKE_NUM, LOWER, NORM, ORTH
from spacy.language import Language
from spacy.tokens import Doc

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
    surfaces: Counter[tuple[int, ...]] = field(default_factory=Counter)
    """Occurrences per surface form, as string ids."""


def frequent_terms(
    texts: Iterable[str], language: str, max_n: int = 3, top: int = 30, min_answers: int = 2
) -> list[Term]:
    """The ``top`` words and phrases of up to ``max_n`` words used in at least ``min_answers`` answers."""
    return _terms(texts, language, max_n, min_answers)[:top]


def word_frequencies(texts: Iterable[str], language: str, min_answers: int = 2) -> dict[str, int]:
    """Word (most frequent surface form) → occurrences, for a word cloud; same counting as ``frequent_terms``."""
    return {term.text: term.count for term in _terms(texts, language, 1, min_answers)}


def _terms(texts: Iterable[str], language: str, max_n: int, min_answers: int) -> list[Term]:
    tallies: defaultdict[tuple[int, ...], _Tally] = defaultdict(_Tally)
    nlp = pipeline(language)
    words = _Words(nlp)
    for doc in nlp.pipe(texts, batch_size=BATCH_SIZE):
        seen: set[tuple[int, ...]] = set()
        for run in words.content_runs(doc):
            for surface, key in _ngrams(run, max_n):
                tally = tallies[key]
                tally.count += 1
                tally.surfaces[surface] += 1
                if key not in seen:
                    seen.add(key)
                    tally.answers += 1
    terms = [
        Term(words.text(tally.surfaces.most_common(1)[0][0]), words.text(key), len(key), tally.count, tally.answers)
        for key, tally in tallies.items()
        if tally.answers >= min_answers
    ]
    return sorted(terms, key=lambda term: (-term.answers, -term.count, term.lemma))


def _ngrams(run: list[tuple[int, int]], max_n: int) -> Iterator[tuple[tuple[int, ...], tuple[int, ...]]]:
    """(Surface ids, lemma ids) of every stretch of up to ``max_n`` words of the run."""
    surfaces, lemmas = zip(*run, strict=True)
    for n in range(1, max_n + 1):
        for start in range(len(run) - n + 1):
            yield surfaces[start : start + n], lemmas[start : start + n]


class _Words:
    """Reads answers as string ids rather than Tokens: a Token's string attributes are built anew on every access,
    which cost more than the counting; the ids come in one array per answer and strings only for the terms kept."""

    COLUMNS = (ORTH, LOWER, NORM, LIKE_NUM)

    def __init__(self, nlp: Language) -> None:
        self._strings = nlp.vocab.strings
        self._stop_words = {self._strings[word] for word in nlp.Defaults.stop_words}  # ids; the store is unchanged
        self._lettered: dict[int, bool] = {}  # surface id → has a letter

    def content_runs(self, doc: Doc) -> Iterator[list[tuple[int, int]]]:
        """Maximal stretches of adjacent content words, each word as its (surface, lemma) ids."""
        run: list[tuple[int, int]] = []
        for orth, lower, norm, like_num in doc.to_array(self.COLUMNS).tolist():
            # like_num drops number words ("zwei"); needing a letter drops punctuation, digits and whitespace.
            if not like_num and lower not in self._stop_words and norm not in self._stop_words and self._letter(orth):
                run.append((orth, norm))
            elif run:
                yield run
                run = []
        if run:
            yield run

    def text(self, ids: tuple[int, ...]) -> str:
        """The words of ``ids``, space-separated."""
        return " ".join(self._strings[i] for i in ids)

    def _letter(self, orth: int) -> bool:
        lettered = self._lettered.get(orth)
        if lettered is None:
            lettered = self._lettered[orth] = any(ch.isalpha() for ch in self._strings[orth])
        return lettered
