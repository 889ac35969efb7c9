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

from spacy.attrs import IDX, IS_PUNCT, LEMMA, LENGTH, LOWER
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
                found[code] = words.evidence(code, start, end)
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
    """A processed answer's words, flagged once for negation cues, clause ends and skipped small words.

    Working on plain lists of string ids spares a Token object per word and per look, which cost more
    than all the matching.
    """

    def __init__(self, doc: Doc, rules: _Rules) -> None:
        self.rules = rules
        self.doc = doc
        lowers, lemmas, puncts, self.starts, lengths = doc.to_array([LOWER, LEMMA, IS_PUNCT, IDX, LENGTH]).T.tolist()
        cues, lower_cues, breaks, skip = rules.cues, rules.lower_cues, rules.breaks, rules.skip
        self.negation = [lemma in cues or lower in lower_cues for lower, lemma in zip(lowers, lemmas, strict=True)]
        if rules.regex:
            strings, match = doc.vocab.strings, rules.regex.match
            self.negation = [n or bool(match(strings[lower])) for n, lower in zip(self.negation, lowers, strict=True)]
        self.ends_clause = [bool(p) or lower in breaks for p, lower in zip(puncts, lowers, strict=True)]
        self.counts = [lower not in skip for lower in lowers]
        self.ends = [start + length for start, length in zip(self.starts, lengths, strict=True)]

    def evidence(self, code: str, start: int, end: int) -> Evidence:
        # Only the span's own tokens are joined: ``doc.text`` would rebuild the whole answer every time.
        return Evidence(code, self.starts[start], self.ends[end - 1], self.doc[start:end].text)

    def negated(self, start: int, end: int) -> bool:
        """A cue inside the match, within ``window`` counted words before it, or ``window_after`` words after it."""
        negation, ends_clause = self.negation, self.ends_clause
        if any(negation[start:end]):
            return True
        counted = 0
        for i in range(start - 1, -1, -1):
            if ends_clause[i] or counted >= self.rules.window:
                break
            if negation[i]:
                return True
            counted += self.counts[i]
        for i in range(end, min(end + self.rules.window_after, len(negation))):
            if ends_clause[i]:
                break
            if negation[i]:
                return True
        return False
