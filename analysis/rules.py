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
from functools import cached_property

from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Token

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
    cues: frozenset[str]
    skip: frozenset[str]
    breaks: frozenset[str]
    surface: frozenset[str]
    regex: re.Pattern[str] | None
    window: int
    window_after: int


class RuleCoder:
    def __init__(self, codebook: Codebook) -> None:
        self.codebook = codebook
        self._matchers: dict[str, PhraseMatcher] = {}

    @cached_property
    def _exempt(self) -> frozenset[str]:
        return frozenset(self.codebook.negation.exempt)

    def _rules(self, language: str) -> _Rules:
        n = self.codebook.negation
        regex = n.surface_regex.get(language)
        return _Rules(
            cues=frozenset(n.cues.get(language, [])),
            skip=frozenset(n.skip.get(language, [])),
            breaks=frozenset(n.breaks.get(language, [])),
            surface=frozenset(n.surface_cues.get(language, [])),
            regex=re.compile(regex) if regex else None,
            window=n.window,
            window_after=n.window_after.get(language, 0),
        )

    def _matcher(self, language: str) -> PhraseMatcher:
        if language not in self._matchers:
            nlp = pipeline(language)
            matcher = PhraseMatcher(nlp.vocab, attr="LEMMA")
            for code in self.codebook.leaves():
                for label, phrases in ((code.id, code.patterns), (code.id + NEGATED, code.negated_patterns)):
                    if phrases.get(language):
                        matcher.add(label, [_lemma_doc(nlp, phrase) for phrase in phrases[language]])
            self._matchers[language] = matcher
        return self._matchers[language]

    def code_doc(self, doc: Doc, language: str) -> list[Evidence]:
        """Every match that counts in a processed answer, in text order, one per code."""
        rules = self._rules(language)
        found: dict[str, Evidence] = {}
        for match_id, start, end in sorted(self._matcher(language)(doc), key=lambda m: (m[1], m[2])):
            label = doc.vocab.strings[match_id]
            code = label.removesuffix(NEGATED)
            if code in found:
                continue
            negated = _negated(doc, start, end, rules)
            counts = negated if label.endswith(NEGATED) else (code in self._exempt or not negated)
            if counts:
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


def _is_negation(token: Token, rules: _Rules) -> bool:
    return (
        token.lemma_ in rules.cues
        or token.lower_ in rules.cues
        or token.lower_ in rules.surface
        or bool(rules.regex and rules.regex.match(token.lower_))
    )


def _ends_clause(token: Token, rules: _Rules) -> bool:
    return token.is_punct or token.lower_ in rules.breaks


def _negated(doc: Doc, start: int, end: int, rules: _Rules) -> bool:
    if any(_is_negation(token, rules) for token in doc[start:end]):
        return True
    counted = 0
    for token in reversed(doc[:start]):
        if _ends_clause(token, rules) or counted >= rules.window:
            break
        if _is_negation(token, rules):
            return True
        if token.lower_ not in rules.skip:
            counted += 1
    for token in doc[end : end + rules.window_after]:
        if _ends_clause(token, rules):
            break
        if _is_negation(token, rules):
            return True
    return False
