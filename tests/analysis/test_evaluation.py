"""Scores checked against values worked out by hand."""

from __future__ import annotations

import pytest

from analysis.evaluation import micro_f1, score

GOLD = [{"a", "b"}, {"a"}, set(), {"b"}]
PRED = [{"a"}, {"a", "b"}, {"b"}, set()]


def test_per_code_scores() -> None:
    a, b = score(GOLD, PRED, ["a", "b"])
    # a: gold in answers 0,1; predicted in 0,1 → tp 2, fp 0, fn 0
    assert (a.true_positive, a.false_positive, a.false_negative, a.support) == (2, 0, 0, 2)
    assert (a.precision, a.recall, a.f1) == (1.0, 1.0, 1.0)
    # b: gold in 0,3; predicted in 1,2 → tp 0, fp 2, fn 2
    assert (b.true_positive, b.false_positive, b.false_negative, b.support) == (0, 2, 2, 2)
    assert (b.precision, b.recall, b.f1) == (0.0, 0.0, 0.0)


def test_micro_f1() -> None:
    # tp 2, fp 2, fn 2 → precision 0.5, recall 0.5, F1 0.5
    assert micro_f1(score(GOLD, PRED, ["a", "b"])) == pytest.approx(0.5)
    assert micro_f1([]) == 0.0
