"""How well machine codes match human gold codes: precision, recall and F1 per code, and micro-F1."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Score:
    code: str
    support: int
    """How many gold answers carry the code."""
    true_positive: int
    false_positive: int
    false_negative: int

    @property
    def precision(self) -> float:
        predicted = self.true_positive + self.false_positive
        return self.true_positive / predicted if predicted else 0.0

    @property
    def recall(self) -> float:
        return self.true_positive / self.support if self.support else 0.0

    @property
    def f1(self) -> float:
        total = self.precision + self.recall
        return 2 * self.precision * self.recall / total if total else 0.0


def score(gold: Sequence[set[str]], predicted: Sequence[set[str]], codes: Iterable[str]) -> list[Score]:
    """Per-code counts on code presence per answer (the unit survey coding works in)."""
    tp: Counter[str] = Counter()
    fp: Counter[str] = Counter()
    fn: Counter[str] = Counter()
    for truth, guess in zip(gold, predicted, strict=True):
        for code in guess & truth:
            tp[code] += 1
        for code in guess - truth:
            fp[code] += 1
        for code in truth - guess:
            fn[code] += 1
    return [Score(code, tp[code] + fn[code], tp[code], fp[code], fn[code]) for code in codes]


def micro_f1(scores: Iterable[Score]) -> float:
    scores = list(scores)
    tp = sum(s.true_positive for s in scores)
    predicted = tp + sum(s.false_positive for s in scores)
    actual = tp + sum(s.false_negative for s in scores)
    precision = tp / predicted if predicted else 0.0
    recall = tp / actual if actual else 0.0
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0
