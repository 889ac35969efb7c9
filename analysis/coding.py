"""Machine coding of free-text answers: each answer's language, then code suggestions with evidence.

Suggestions are never final: human coders accept or reject them. Rules give a fixed confidence; a
classifier trained on accepted human codes will add its own suggestions beside them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

import pandas as pd

from analysis.codebook import Codebook
from analysis.rules import Evidence, RuleCoder
from analysis.text import TEXT_LANGUAGES, detect_language

RULE_CONFIDENCE = 0.7
"""Rules find explicit cue words; they are right most of the time but blind to context."""
CHUNK_ROWS = 5_000


@dataclass(frozen=True)
class Suggestion:
    code: str
    confidence: float
    source: str
    """"rules" or "model@<version>"."""
    evidence: Evidence | None = None


@dataclass(frozen=True)
class CodedAnswer:
    language: str | None
    suggestions: list[Suggestion]


class Coder:
    def __init__(self, codebook: Codebook) -> None:
        self.codebook = codebook
        self.rules = RuleCoder(codebook)

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
        detected = [
            detect_language(text, (lang or fallback).split("-")[0]) for text, lang in zip(texts, given, strict=True)
        ]
        results: list[CodedAnswer | None] = [None] * len(texts)
        for language in set(detected):
            rows = [i for i, lang in enumerate(detected) if lang == language]
            if language not in TEXT_LANGUAGES:
                for i in rows:
                    results[i] = CodedAnswer(language, [])
                continue
            for i, evidence in zip(rows, self.rules.code((texts[i] for i in rows), language), strict=True):
                suggestions = [
                    Suggestion(e.code, RULE_CONFIDENCE, "rules", e)
                    for e in evidence
                    if self.codebook.applies(e.code, asked[i])
                ]
                results[i] = CodedAnswer(language, suggestions)
        return [result for result in results if result is not None]


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
