"""The shipped codebook: every required code, labels in every language, anchors its own rules recognise."""

from __future__ import annotations

import pytest

from analysis.codebook import load_codebook
from analysis.coding import Coder
from analysis.text import TEXT_LANGUAGES

REQUIRED = {
    *(
        f"domain.{d}"
        for d in (
            "work",
            "housing",
            "authorities",
            "education",
            "health",
            "police",
            "public_space",
            "goods_services",
            "online",
            "neighbourhood",
        )
    ),
    *(
        f"ground.{g}"
        for g in (
            "origin",
            "skin_colour",
            "religion",
            "language",
            "name",
            "gender",
            "age",
            "disability",
            "sexual_identity",
            "residence_status",
            "social_status",
        )
    ),
    "belonging.positive",
    "belonging.negative",
}


@pytest.fixture(scope="module")
def codebook():
    return load_codebook()


def test_required_codes_with_labels_and_patterns(codebook) -> None:
    leaves = {code.id: code for code in codebook.leaves()}
    assert set(leaves) >= REQUIRED
    assert any(code.startswith("helps.") for code in leaves)
    assert any(code.startswith("wish.") for code in leaves)
    for code in leaves.values():
        assert set(codebook.languages) <= set(code.label), code.id
        assert code.definition, code.id
        assert code.anchors, code.id
        assert set(TEXT_LANGUAGES) <= {lang for lang, phrases in code.patterns.items() if phrases}, code.id


def test_anchor_examples_are_recognised_by_the_rules(codebook) -> None:
    coder = Coder(codebook)
    anchors = [(code.id, anchor) for code in codebook.leaves() for anchor in code.anchors]
    coded = coder.code([a.text for _, a in anchors], [a.language for _, a in anchors])
    missed = [
        (code, a.language, a.text)
        for (code, a), answer in zip(anchors, coded, strict=True)
        if code not in {s.code for s in answer.suggestions}
    ]
    assert len(missed) <= 0.05 * len(anchors), missed
