"""From hand-coded answers to a trained model, and an honest figure for rules and model together.

The model reads the rule hits of each answer, so examples carry them; rule hits are taken with the
codebook's question scoping, exactly as the coder sees them. Evaluation trains a model per fold and codes
the held-out answers with the full coder, so what is scored is what ``stimmen code`` would suggest.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from analysis import classifier
from analysis.codebook import Codebook
from analysis.coding import Coder
from analysis.csvfiles import read_table, split_codes
from analysis.evaluation import Score, micro_f1, score
from analysis.text import TEXT_LANGUAGES

MIN_EXAMPLES = 3
"""Codes with fewer accepted examples are left to the rules: the model cannot learn them."""


@dataclass(frozen=True)
class CodedText:
    """A hand-coded answer: its text, the language it was given in, the question and the accepted codes."""

    text: str
    language: str | None
    question: str | None
    codes: frozenset[str]


def read_coded(path: Path) -> list[CodedText]:
    """A CSV with ``text`` and ``codes`` (';'-separated) columns, and optionally ``language`` and ``question``."""
    frame = read_table(path, ["text", "codes"])

    def column(name: str) -> list[str | None]:
        return [value or None for value in frame[name].fillna("").astype(str)] if name in frame else [None] * len(frame)

    return [
        CodedText(text, language, question, split_codes(codes))
        for text, language, question, codes in zip(
            frame["text"].fillna("").astype(str),
            column("language"),
            column("question"),
            frame["codes"].fillna("").astype(str),
            strict=True,
        )
    ]


def examples(answers: Sequence[CodedText], codebook: Codebook) -> list[classifier.Example]:
    """Training examples in each answer's detected language, with the rule hits; other languages are left out."""
    coded = Coder(codebook).code(
        [a.text for a in answers], [a.language for a in answers], [a.question for a in answers]
    )
    return [
        classifier.Example(answer.text, result.language, answer.codes, frozenset(s.code for s in result.suggestions))
        for answer, result in zip(answers, coded, strict=True)
        if result.language in TEXT_LANGUAGES
    ]


def learnable_codes(codebook: Codebook, training: Sequence[classifier.Example]) -> list[str]:
    counts = {code.id: 0 for code in codebook.leaves()}
    for example in training:
        for code in example.codes & counts.keys():
            counts[code] += 1
    return [code for code, n in counts.items() if n >= MIN_EXAMPLES]


def train_model(
    answers: Sequence[CodedText],
    codebook: Codebook,
    folds: int = 5,
    progress: Callable[[int, int], None] | None = None,
) -> tuple[classifier.Classifier, classifier.CrossValidation]:
    """A model on all answers, with the per-code figures of the same training cross-validated."""
    training = examples(answers, codebook)
    codes = learnable_codes(codebook, training)
    if not codes:
        raise ValueError(f"no code has {MIN_EXAMPLES} accepted examples yet")
    validation = classifier.cross_validate(training, codes, folds, progress=progress)
    return classifier.train(training, codes), validation


@dataclass(frozen=True)
class Evaluation:
    source: str
    predicted: list[set[str]]
    gold: list[set[str]]

    def scores(self, codes: Sequence[str]) -> list[Score]:
        return score([g & set(codes) for g in self.gold], [p & set(codes) for p in self.predicted], codes)

    def micro_f1(self, codes: Sequence[str]) -> float:
        return micro_f1(self.scores(codes))


def evaluate(
    answers: Sequence[CodedText],
    codebook: Codebook,
    folds: int = 5,
    with_model: bool = True,
    progress: Callable[[int, int], None] | None = None,
    model: classifier.Classifier | None = None,
) -> Evaluation:
    """Code every answer with the coder it would meet in use.

    With a ``model`` trained on other answers, it codes them all; otherwise each fold is coded by a model
    trained without it (cross-validation), or by the rules alone when ``with_model`` is false.
    """
    gold = [set(a.codes) for a in answers]
    if model or not with_model:
        coder = Coder(codebook, model)
        coded = coder.code([a.text for a in answers], [a.language for a in answers], [a.question for a in answers])
        return Evaluation(coder.source, [{s.code for s in c.suggestions} for c in coded], gold)
    fold_of = classifier.assign_folds(len(answers), folds)
    predicted: list[set[str]] = [set() for _ in answers]
    for fold in range(folds):
        held_out = [i for i in range(len(answers)) if fold_of[i] == fold]
        training = examples([answers[i] for i in range(len(answers)) if fold_of[i] != fold], codebook)
        model = classifier.train(training, learnable_codes(codebook, training))
        coded = Coder(codebook, model).code(
            [answers[i].text for i in held_out],
            [answers[i].language for i in held_out],
            [answers[i].question for i in held_out],
        )
        for i, result in zip(held_out, coded, strict=True):
            predicted[i] = {s.code for s in result.suggestions}
        if progress:
            progress(fold + 1, folds)
    return Evaluation(f"rules + model ({folds}-fold cross-validation)", predicted, gold)
