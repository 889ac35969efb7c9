"""The acceptance figures: what rules and model together promise on hand-coded answers.

Domain and ground codes are what reports count; each figure must reach ``TARGET`` micro-F1, cross-validated
on the development set, and on held-out answers written only from the codebook's definitions.
Run with ``-s`` to see the measured figures.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from analysis import classifier
from analysis.codebook import Codebook, load_codebook
from analysis.coding import Coder
from analysis.evaluation import micro_f1, score
from analysis.training import CodedText, evaluate, examples, learnable_codes, read_coded

DATA = Path(__file__).resolve().parent.parent / "data"
GOLD = DATA / "coding-gold.csv"
HOLDOUT = DATA / "coding-holdout.csv"
TARGET = 0.75


@pytest.fixture(scope="module")
def codebook() -> Codebook:
    return load_codebook()


@pytest.fixture(scope="module")
def domains_grounds(codebook: Codebook) -> list[str]:
    return [code.id for code in codebook.leaves() if code.id.startswith(("domain.", "ground."))]


@pytest.fixture(scope="module")
def gold() -> list[CodedText]:
    return read_coded(GOLD)


@pytest.fixture(scope="module")
def model(codebook: Codebook, gold: list[CodedText]) -> classifier.Classifier:
    """The model trained on the whole development set, as ``stimmen train`` trains it."""
    training = examples(gold, codebook)
    return classifier.train(training, learnable_codes(codebook, training))


def test_rules_and_model_cross_validated_on_the_gold_set(
    codebook: Codebook, gold: list[CodedText], domains_grounds: list[str]
) -> None:
    combined = evaluate(gold, codebook, folds=5)
    rules = evaluate(gold, codebook, with_model=False)
    everything = [code.id for code in codebook.leaves()]
    f1 = combined.micro_f1(domains_grounds)
    print(
        f"\n{GOLD.name}, {len(gold)} answers, {combined.source}: micro-F1 domain + ground {f1:.3f} "
        f"(rules alone {rules.micro_f1(domains_grounds):.3f}); all codes {combined.micro_f1(everything):.3f} "
        f"(rules alone {rules.micro_f1(everything):.3f})"
    )
    assert f1 >= TARGET


def test_model_trained_on_gold_codes_the_held_out_answers(
    codebook: Codebook, model: classifier.Classifier, domains_grounds: list[str]
) -> None:
    held_out = read_coded(HOLDOUT)
    assert len(held_out) == 140
    assert not {a.text for a in held_out} & {a.text for a in read_coded(GOLD)}
    texts, languages, questions = zip(*((a.text, a.language, a.question) for a in held_out), strict=True)
    coded = Coder(codebook, model).code(texts, languages, questions)
    gold = [set(a.codes) & set(domains_grounds) for a in held_out]
    predicted = [{s.code for s in answer.suggestions} & set(domains_grounds) for answer in coded]
    f1 = micro_f1(score(gold, predicted, domains_grounds))
    rules = evaluate(held_out, codebook, with_model=False).micro_f1(domains_grounds)
    print(
        f"\n{HOLDOUT.name}, {len(held_out)} answers, rules + model@{model.version} "
        f"(trained on {model.training_size} answers): micro-F1 domain + ground {f1:.3f} (rules alone {rules:.3f})"
    )
    assert f1 >= TARGET
