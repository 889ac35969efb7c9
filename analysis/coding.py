"""Machine coding of free-text answers: each answer's language, then code suggestions with evidence.

Suggestions are never final: human coders accept or reject them. Rules give a fixed confidence; a
classifier trained on accepted human codes will add its own suggestions beside them.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import numpy
import pandas as pd
from spacy.tokens import Doc

from analysis.classifier import Classifier
from analysis.classifier import load as load_model
from analysis.codebook import DEFAULT_CODEBOOK, Codebook, load_codebook
from analysis.rules import Evidence, RuleCoder
from analysis.text import TEXT_LANGUAGES, detect_languages, pipeline

RULE_CONFIDENCE = 0.7
"""Rules find explicit cue words; they are right most of the time but blind to context."""
DOUBT = 0.1
"""A rule hit the model rates below this is dropped: the model has learnt the context in which it misleads."""
ADD = 0.7
"""The model suggests a code no rule found only from this probability on; below, it guesses too often."""
CHUNK_ROWS = 5_000


@dataclass(slots=True)
class Suggestion:
    code: str
    confidence: float
    source: str
    """"rules" or "model@<version>"."""
    evidence: Evidence | None = None


@dataclass(slots=True)
class CodedAnswer:
    language: str | None
    suggestions: list[Suggestion]


class Coder:
    """Rules, and a trained model when there is one: it reads the rule hits, keeps or doubts them, and adds codes."""

    def __init__(self, codebook: Codebook, model: Classifier | None = None) -> None:
        self.codebook = codebook
        self.rules = RuleCoder(codebook)
        self.model = model

    @property
    def source(self) -> str:
        return f"rules + model@{self.model.version}" if self.model else "rules"

    def code(
        self,
        texts: Sequence[str],
        languages: Sequence[str | None] | None = None,
        questions: Sequence[str | None] | None = None,
        fallback: str = "de",
    ) -> list[CodedAnswer]:
        """Code answers in their own language, which may differ from the survey language they came with.

        With ``questions``, codes are only suggested where the codebook scopes them to that question.
        """
        given = languages or [None] * len(texts)
        asked = questions or [None] * len(texts)
        results: list[CodedAnswer | None] = [None] * len(texts)
        with collector_paused():
            detected = detect_languages(texts, [(lang or fallback).split("-")[0] for lang in given])
            for language in dict.fromkeys(detected):
                rows = [i for i, lang in enumerate(detected) if lang == language]
                if language not in TEXT_LANGUAGES:
                    for i in rows:
                        results[i] = CodedAnswer(language, [])
                    continue
                docs = list(pipeline(language).pipe((texts[i] for i in rows), batch_size=512))
                hits = [
                    [e for e in self.rules.code_doc(doc, texts[i], language) if self.codebook.applies(e.code, asked[i])]
                    for i, doc in zip(rows, docs, strict=True)
                ]
                rated = self._rate(docs, hits)
                for i, evidence, (rating, added) in zip(rows, hits, rated, strict=True):
                    results[i] = CodedAnswer(language, self._combine(evidence, rating, added, asked[i]))
        return [result for result in results if result is not None]

    def _rate(
        self, docs: list[Doc], hits: list[list[Evidence]]
    ) -> Iterable[tuple[dict[str, float], list[tuple[str, float]]]]:
        """Per answer: the model's probability for each rule hit, and the codes it rates at ``ADD`` or more."""
        if not self.model:
            return [({}, [])] * len(docs)
        probabilities = self.model.probabilities(docs, [[e.code for e in evidence] for evidence in hits])
        codes = self.model.codes
        column = {code: j for j, code in enumerate(codes)}
        confident: list[list[tuple[str, float]]] = [[] for _ in docs]
        for row, j in zip(*numpy.nonzero(probabilities >= ADD), strict=True):
            confident[row].append((codes[j], float(probabilities[row, j])))
        return [
            ({e.code: float(probabilities[row, column[e.code]]) for e in evidence if e.code in column}, added)
            for row, (evidence, added) in enumerate(zip(hits, confident, strict=True))
        ]

    def _combine(
        self, hits: list[Evidence], rating: dict[str, float], confident: list[tuple[str, float]], question: str | None
    ) -> list[Suggestion]:
        """Rule hits the model does not doubt (all of them without a model), then codes only the model found."""
        found = {e.code for e in hits}
        kept = [
            Suggestion(e.code, rating.get(e.code, RULE_CONFIDENCE), "rules", e)
            for e in hits
            if rating.get(e.code, 1.0) >= DOUBT
        ]
        added = [
            Suggestion(code, p, f"model@{self.model.version}")
            for code, p in sorted(confident, key=lambda cp: -cp[1])
            if code not in found and self.codebook.applies(code, question)
        ]
        return kept + added


@contextmanager
def collector_paused() -> Iterator[None]:
    """Python's cycle collector off while a batch is coded: the batch's many short-lived objects (docs, spans,
    suggestions) set it off again and again, which cost a quarter of the coding time; what they leave behind is
    freed by reference counting, and the collector runs as usual after the batch."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def load_coder(codebook: Path | None = None, model: Path | None = None) -> Coder:
    """The coder for a codebook file (default: the shipped one) and, if given, a saved model's folder."""
    return Coder(load_codebook(codebook or DEFAULT_CODEBOOK), load_model(model) if model else None)


def code_frame(
    frame: pd.DataFrame,
    coder: Coder,
    text_column: str,
    language_column: str | None = None,
    question_column: str | None = None,
    progress: Callable[[int], None] | None = None,
) -> Iterator[pd.DataFrame]:
    """The frame with ``language``, ``codes``, ``evidence`` and ``confidence`` added, in chunks."""
    for start in range(0, len(frame), CHUNK_ROWS):
        chunk = frame.iloc[start : start + CHUNK_ROWS].copy()
        texts = chunk[text_column].fillna("").astype(str).tolist()
        languages = chunk[language_column].fillna("").astype(str).tolist() if language_column else None
        questions = chunk[question_column].fillna("").astype(str).tolist() if question_column else None
        coded = coder.code(
            texts,
            [lang or None for lang in languages] if languages else None,
            [question or None for question in questions] if questions else None,
        )
        chunk["language"] = [answer.language or "" for answer in coded]
        chunk["codes"] = [";".join(s.code for s in answer.suggestions) for answer in coded]
        chunk["evidence"] = [
            " | ".join(f"{s.code}: {s.evidence.text}" for s in answer.suggestions if s.evidence) for answer in coded
        ]
        chunk["confidence"] = [";".join(f"{s.confidence:.2f}" for s in answer.suggestions) for answer in coded]
        if progress:
            progress(len(chunk))
        yield chunk
