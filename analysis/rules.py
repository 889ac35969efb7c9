"""The rule coder: codebook patterns matched on lemmas, with the evidence span of every suggestion.

Patterns fire on lemmas, so "Wohnungen", "Wohnung" and "wohnung" all match ``wohnung``. A negation in
the same clause cancels a match (cue words before it, negated verb forms after it in Turkish and Farsi):
"keine Probleme bei der Wohnungssuche" is not a housing experience. ``negated_patterns`` count only when
negated ("ciddiye almadılar": they did not take me seriously).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from operator import itemgetter

from spacy.attrs import IDX, IS_PUNCT, LENGTH, LOWER, NORM
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc

from analysis.codebook import Codebook
from analysis.text import WORD_COLUMNS, pipeline, word_table

NEGATED = "!negated"
"""Suffix of matcher labels for patterns that count only when negated."""


@dataclass(slots=True)
class Evidence:
    """Why a code was suggested: the matched text and where it stands (character offsets).

    Not frozen: a frozen dataclass costs four times as much to make, and answers make several each."""

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
    regex_hits: dict[int, bool] = field(default_factory=dict)
    """Whether ``regex`` matches a word form, remembered per form: answers repeat the same words."""


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
            matcher = PhraseMatcher(nlp.vocab, attr="NORM")
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

    def code_doc(self, doc: Doc, text: str, language: str) -> list[Evidence]:
        """Every match that counts in an answer read by ``pipeline(language)`` from ``text``, in text order, one per
        code. The text is passed along because rebuilding it from the doc costs more than the matching."""
        found: dict[str, Evidence] = {}
        lang = self._language(language)
        matches = lang.matcher(doc)
        if not matches:
            return []
        words = _Words(doc, text, lang.rules)
        for match_id, start, end in sorted(matches, key=itemgetter(1, 2)):
            code, negated_only = lang.labels[match_id]
            if code in found:
                continue
            negated = words.negated(start, end)
            if negated if negated_only else (code in self._exempt or not negated):
                found[code] = words.evidence(code, start, end)
        return sorted(found.values(), key=lambda e: e.start)

    def code(self, texts: Iterable[str], language: str, batch_size: int = 512) -> Iterator[list[Evidence]]:
        """Evidence per text, streamed through ``nlp.pipe`` in batches (memory stays flat)."""
        for doc, text in pipeline(language).pipe(((t, t) for t in texts), batch_size=batch_size, as_tuples=True):
            yield self.code_doc(doc, text, language)


def _lemma_doc(nlp, phrase: str) -> Doc:
    """Patterns are written as lemmas already: tokenise them, never lemmatise them again."""
    doc = nlp.make_doc(phrase)
    for token in doc:
        token.norm_ = token.lower_
    return doc


class _Words:
    """Where an answer's negation cues are, found once; words are looked at one by one only between a cue and
    a match, which is what keeps the negation check cheap."""

    def __init__(self, doc: Doc, text: str, rules: _Rules) -> None:
        self.rules = rules
        self.text = text
        columns = dict(zip(WORD_COLUMNS, word_table(doc).T.tolist(), strict=True))
        self.lowers, self.puncts, self.starts, self.lengths = (
            columns[LOWER],
            columns[IS_PUNCT],
            columns[IDX],
            columns[LENGTH],
        )
        lemmas = columns[NORM]
        cues: list[int] = []
        if not (rules.cues.isdisjoint(lemmas) and rules.lower_cues.isdisjoint(self.lowers)):
            pairs = enumerate(zip(self.lowers, lemmas, strict=True))
            cues = [i for i, (lower, lemma) in pairs if lemma in rules.cues or lower in rules.lower_cues]
        if rules.regex:
            known, strings = rules.regex_hits, doc.vocab.strings
            for lower in set(self.lowers).difference(known):
                known[lower] = rules.regex.match(strings[lower]) is not None
            cues = sorted({*cues, *(i for i, lower in enumerate(self.lowers) if known[lower])})
        self.cues = cues

    def evidence(self, code: str, start: int, end: int) -> Evidence:
        first, last = self.starts[start], self.starts[end - 1] + self.lengths[end - 1]
        return Evidence(code, first, last, self.text[first:last])

    def _ends_clause(self, i: int) -> bool:
        return bool(self.puncts[i]) or self.lowers[i] in self.rules.breaks

    def negated(self, start: int, end: int) -> bool:
        """A cue inside the match; within ``window`` counted words before it, with no clause end between; or
        within ``window_after`` words after it, with no clause end up to it."""
        for cue in self.cues:
            if start <= cue < end:
                return True
            if cue < start:
                between = range(cue + 1, start)
                if (
                    not any(self._ends_clause(i) for i in range(cue, start))
                    and sum(self.lowers[i] not in self.rules.skip for i in between) < self.rules.window
                ):
                    return True
            elif cue < end + self.rules.window_after and not any(self._ends_clause(i) for i in range(end, cue + 1)):
                return True
        return False
