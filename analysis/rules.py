"""The rule coder: codebook patterns matched on lemmas, with the evidence span of every suggestion.

Patterns fire on lemmas, so "Wohnungen", "Wohnung" and "wohnung" all match ``wohnung``. A negation cue
within the codebook's window before a match, in the same clause, cancels it: "keine Probleme bei der
Wohnungssuche" is not a housing experience.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cached_property

from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc

from analysis.codebook import Codebook
from analysis.text import pipeline


@dataclass(frozen=True)
class Evidence:
    """Why a code was suggested: the matched text and where it stands (character offsets)."""

    code: str
    start: int
    end: int
    text: str


class RuleCoder:
    def __init__(self, codebook: Codebook) -> None:
        self.codebook = codebook
        self._matchers: dict[str, PhraseMatcher] = {}

    @cached_property
    def _negation(self) -> dict[str, frozenset[str]]:
        return {lang: frozenset(cue.lower() for cue in cues) for lang, cues in self.codebook.negation.items()}

    def _matcher(self, language: str) -> PhraseMatcher:
        if language not in self._matchers:
            nlp = pipeline(language)
            matcher = PhraseMatcher(nlp.vocab, attr="LEMMA")
            for code in self.codebook.leaves():
                phrases = code.patterns.get(language, [])
                if phrases:
                    matcher.add(code.id, list(nlp.pipe(phrases)))
            self._matchers[language] = matcher
        return self._matchers[language]

    def code_doc(self, doc: Doc, language: str) -> list[Evidence]:
        """Every non-negated match in a processed answer, in text order, one per code."""
        matcher = self._matcher(language)
        cues = self._negation.get(language, frozenset())
        found: dict[str, Evidence] = {}
        for match_id, start, end in sorted(matcher(doc), key=lambda m: (m[1], m[2])):
            code = doc.vocab.strings[match_id]
            if code in found or self._negated(doc, start, cues):
                continue
            span = doc[start:end]
            found[code] = Evidence(code, span.start_char, span.end_char, span.text)
        return list(found.values())

    def _negated(self, doc: Doc, start: int, cues: frozenset[str]) -> bool:
        for token in reversed(doc[max(0, start - self.codebook.window) : start]):
            if token.is_punct:
                return False  # a new clause: "nie Probleme bei der Arbeit, aber bei der Wohnung …"
            if token.lemma_ in cues or token.lower_ in cues:
                return True
        return False

    def code(self, texts: Iterable[str], language: str, batch_size: int = 512) -> Iterator[list[Evidence]]:
        """Evidence per text, streamed through ``nlp.pipe`` in batches (memory stays flat)."""
        for doc in pipeline(language).pipe(texts, batch_size=batch_size):
            yield self.code_doc(doc, language)
