"""The rule coder: codebook patterns matched on lemmas, with the evidence span of every suggestion.

Patterns fire on lemmas, so "Wohnungen", "Wohnung" and "wohnung" all match ``wohnung``. A negation in
the same clause cancels a match (cue words before it, negated verb forms after it in Turkish and Farsi):
"keine Probleme bei der Wohnungssuche" is not a housing experience. ``negated_patterns`` count only when
negated ("ciddiye almadılar": they did not take me seriously).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from spacy.attrs import IS_PUNCT, LEMMA, LOWER
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc

from analysis.codebook import Codebook
from analysis.text import pipeline

NEGATED = "!negated"
"""Suffix of matcher labels for patterns that count only when negated."""


@dataclass(frozen=True)
class Evidence:
    """Why a code was suggested: the matched text and where it stands (character offsets)."""

    code: str
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class _Rules:
    """One language's negation rules, as string ids so that tokens are compared without building Token objects."""

    cues: frozenset[int]
    lower_cues: frozenset[int]
    """Cues and surface cues, matched on the lower-case word form."""
    skip: frozenset[int]
    breaks: frozenset[int]
    regex: re.Pattern[str] | None
    window: int
    window_after: int


@dataclass(frozen=True)
class _Language:
    matcher: PhraseMatcher
    rules: _Rules
    labels: dict[int, tuple[str, bool]]
    """Matcher label id → (code, counts only when negated)."""


class RuleCoder:
    def __init__(self, codebook: Codebook) -> None:
        self.codebook = codebook
        self._exempt = frozenset(codebook.negation.exempt)
        self._languages: dict[str, _Language] = {}

    def _language(self, language: str) -> _Language:
        if language not in self._languages:
            nlp = pipeline(language)
            strings = nlp.vocab.strings
            matcher = PhraseMatcher(nlp.vocab, attr="LEMMA")
            labels: dict[int, tuple[str, bool]] = {}
            for code in self.codebook.leaves():
                for label, phrases in ((code.id, code.patterns), (code.id + NEGATED, code.negated_patterns)):
                    if phrases.get(language):
                        matcher.add(label, [_lemma_doc(nlp, phrase) for phrase in phrases[language]])
                        labels[strings.add(label)] = (code.id, label.endswith(NEGATED))
            self._languages[language] = _Language(matcher, self._rules(strings, language), labels)
        return self._languages[language]

    def _rules(self, strings, language: str) -> _Rules:
        n = self.codebook.negation

        def ids(words: list[str]) -> frozenset[int]:
            return frozenset(strings.add(word) for word in words)

        regex = n.surface_regex.get(language)
        cues = ids(n.cues.get(language, []))
        return _Rules(
            cues=cues,
            lower_cues=cues | ids(n.surface_cues.get(language, [])),
            skip=ids(n.skip.get(language, [])),
            breaks=ids(n.breaks.get(language, [])),
            regex=re.compile(regex) if regex else None,
            window=n.window,
            window_after=n.window_after.get(language, 0),
        )

    def code_doc(self, doc: Doc, language: str) -> list[Evidence]:
        """Every match that counts in a processed answer, in text order, one per code."""
        found: dict[str, Evidence] = {}
        lang = self._language(language)
        matches = lang.matcher(doc)
        if not matches:
            return []
        words = _Words(doc, lang.rules)
        for match_id, start, end in sorted(matches, key=lambda m: (m[1], m[2])):
            code, negated_only = lang.labels[match_id]
            if code in found:
                continue
            negated = words.negated(start, end)
            if negated if negated_only else (code in self._exempt or not negated):
                span = doc[start:end]
                found[code] = Evidence(code, span.start_char, span.end_char, span.text)
        return sorted(found.values(), key=lambda e: e.start)

    def code(self, texts: Iterable[str], language: str, batch_size: int = 512) -> Iterator[list[Evidence]]:
        """Evidence per text, streamed through ``nlp.pipe`` in batches (memory stays flat)."""
        for doc in pipeline(language).pipe(texts, batch_size=batch_size):
            yield self.code_doc(doc, language)


def _lemma_doc(nlp, phrase: str) -> Doc:
    """Patterns are written as lemmas already: tokenise them, never lemmatise them again."""
    doc = nlp.make_doc(phrase)
    for token in doc:
        token.lemma_ = token.lower_
    return doc


class _Words:
    """A processed answer's words as string ids, for the negation scan around each match."""

    def __init__(self, doc: Doc, rules: _Rules) -> None:
        self.rules = rules
        self.strings = doc.vocab.strings
        rows = doc.to_array([LOWER, LEMMA, IS_PUNCT]).tolist()
        self.lower = [row[0] for row in rows]
        self.lemma = [row[1] for row in rows]
        self.punct = [row[2] for row in rows]

    def _is_negation(self, i: int) -> bool:
        rules = self.rules
        return (
            self.lemma[i] in rules.cues
            or self.lower[i] in rules.lower_cues
            or bool(rules.regex and rules.regex.match(self.strings[self.lower[i]]))
        )

    def _ends_clause(self, i: int) -> bool:
        return bool(self.punct[i]) or self.lower[i] in self.rules.breaks

    def negated(self, start: int, end: int) -> bool:
        """A cue inside the match, within ``window`` counted words before it, or ``window_after`` words after it."""
        rules = self.rules
        if any(self._is_negation(i) for i in range(start, end)):
            return True
        counted = 0
        for i in range(start - 1, -1, -1):
            if self._ends_clause(i) or counted >= rules.window:
                break
            if self._is_negation(i):
                return True
            if self.lower[i] not in rules.skip:
                counted += 1
        for i in range(end, min(end + rules.window_after, len(self.lower))):
            if self._ends_clause(i):
                break
            if self._is_negation(i):
                return True
        return False
