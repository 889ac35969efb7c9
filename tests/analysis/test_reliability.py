"""Agreement figures checked against hand arithmetic and against the ``krippendorff`` package."""

from __future__ import annotations

from itertools import combinations

import krippendorff
import numpy as np
import pandas as pd
import pytest

from analysis.reliability import (
    Decision,
    Disagreement,
    agreement,
    decisions_from_frame,
    disagreements,
    nominal_alpha,
    overall,
)


def decision(unit: str, coder: str, *codes: str) -> Decision:
    return Decision(unit, coder, frozenset(codes))


def package_alpha(matrix: list[list[float]]) -> float:
    """Rows are coders, columns units, nan where a coder did not judge the unit."""
    return krippendorff.alpha(reliability_data=np.array(matrix, dtype=float), level_of_measurement="nominal")


def presence_matrix(decisions: list[Decision], code: str) -> list[list[float]]:
    units = list(dict.fromkeys(d.unit for d in decisions))
    coders = list(dict.fromkeys(d.coder for d in decisions))
    matrix = [[np.nan] * len(units) for _ in coders]
    for d in decisions:
        matrix[coders.index(d.coder)][units.index(d.unit)] = float(code in d.codes)
    return matrix


# Coders A and B on 10 answers, code "x":
#                B present  B absent
#   A present        4          1       A: 5 present
#   A absent         2          3       A: 5 absent
#                 B: 6        B: 4
# po = (4 + 3) / 10 = 0.7
# pe = 0.5 × 0.6 + 0.5 × 0.4 = 0.5
# kappa = (0.7 - 0.5) / (1 - 0.5) = 0.4
PAIRS = [(True, True)] * 4 + [(True, False)] + [(False, True)] * 2 + [(False, False)] * 3
TWO_CODERS = [
    decision(f"u{i:02}", coder, *(["x"] if said else []))
    for i, pair in enumerate(PAIRS)
    for coder, said in zip("AB", pair, strict=True)
]


def test_cohen_kappa_and_percent_agreement_by_hand() -> None:
    [x] = agreement(TWO_CODERS, ["x"])
    assert (x.code, x.units, x.present) == ("x", 10, 11)
    assert x.percent_agreement == pytest.approx(0.7)
    assert x.cohen_kappa == pytest.approx(0.4)


def test_alpha_matches_package_for_two_coders_complete() -> None:
    [x] = agreement(TWO_CODERS, ["x"])
    assert x.krippendorff_alpha == pytest.approx(package_alpha(presence_matrix(TWO_CODERS, "x")))


THREE_CODERS = [
    decision("u1", "A", "x"),
    decision("u1", "B", "x"),
    decision("u1", "C"),
    decision("u2", "A"),
    decision("u2", "C"),
    decision("u3", "B", "x", "y"),
    decision("u3", "C", "x"),
    decision("u4", "A", "y"),  # only one coder: not pairable
    decision("u5", "A", "x"),
    decision("u5", "B", "x", "y"),
    decision("u5", "C", "x", "y"),
    decision("u6", "B"),
    decision("u6", "A", "y"),
]


def test_alpha_matches_package_for_three_coders_with_missing_judgements() -> None:
    x, y = agreement(THREE_CODERS, ["x", "y"])
    assert x.krippendorff_alpha == pytest.approx(package_alpha(presence_matrix(THREE_CODERS, "x")))
    assert y.krippendorff_alpha == pytest.approx(package_alpha(presence_matrix(THREE_CODERS, "y")))


def test_units_coded_by_one_coder_are_left_out() -> None:
    x, y = agreement(THREE_CODERS, ["x", "y"])
    assert (x.units, y.units) == (5, 5)
    assert (x.present, y.present) == (7, 4)  # u4's "y" does not count


def test_percent_agreement_counts_coder_pairs_within_units() -> None:
    [x] = agreement(THREE_CODERS, ["x"])
    # pairs agreeing / pairs: u1 1/3, u2 1/1, u3 1/1, u5 3/3, u6 1/1 → 7/9
    assert x.percent_agreement == pytest.approx(7 / 9)


def test_kappa_takes_the_first_two_reviewers_in_input_order() -> None:
    # u1 is reviewed by A, B, C: kappa sees A and B only; alpha sees all three.
    [x] = agreement(THREE_CODERS, ["x"])
    # (first, second) per unit: u1 (1, 1), u2 (0, 0), u3 (1, 1), u5 (1, 1), u6 (0, 0) → complete agreement
    assert x.cohen_kappa == pytest.approx(1.0)
    assert x.krippendorff_alpha < 1
    reordered = [d for d in THREE_CODERS if d.unit != "u1"] + [
        decision("u1", "C"),
        decision("u1", "A", "x"),
        decision("u1", "B", "x"),
    ]
    [x_reordered] = agreement(reordered, ["x"])
    assert x_reordered.cohen_kappa < 1
    assert x_reordered.krippendorff_alpha == pytest.approx(x.krippendorff_alpha)


def test_random_data_matches_package() -> None:
    rng = np.random.default_rng(7)
    units, coders = 200, 4
    prevalence = {"often": 0.5, "sometimes": 0.2, "rarely": 0.05}
    decisions = []
    for unit in range(units):
        truth = {code for code, p in prevalence.items() if rng.random() < p}
        for coder in range(coders):
            if rng.random() < 0.3:
                continue
            noisy = {code for code in prevalence if (code in truth) != (rng.random() < 0.15)}
            decisions.append(decision(f"u{unit}", f"c{coder}", *noisy))
    results = agreement(decisions, prevalence)
    for result in results:
        assert result.krippendorff_alpha == pytest.approx(package_alpha(presence_matrix(decisions, result.code)))
    # Percent agreement counted pair by pair, independently of the closed form.
    by_unit: dict[str, list[frozenset[str]]] = {}
    for d in decisions:
        by_unit.setdefault(d.unit, []).append(d.codes)
    for result in results:
        pairs = [(code in a) == (code in b) for a, b, code in _pairs(by_unit, result.code)]
        assert result.percent_agreement == pytest.approx(sum(pairs) / len(pairs))
        assert result.units == sum(len(codes) >= 2 for codes in by_unit.values())
    # Pooled over answer × code cells: one column per (answer, code).
    pooled = np.hstack([presence_matrix(decisions, code) for code in prevalence])
    assert overall(decisions, prevalence).krippendorff_alpha == pytest.approx(package_alpha(pooled))


def _pairs(by_unit: dict[str, list[frozenset[str]]], code: str) -> list[tuple[frozenset[str], frozenset[str], str]]:
    return [(a, b, code) for codes in by_unit.values() for a, b in combinations(codes, 2)]


# Krippendorff (2011), "Computing Krippendorff's alpha-reliability", C: nominal data, 4 observers × 12 units,
# missing values as None. Published alpha ≈ 0.743.
TEXTBOOK = [
    [1, 2, 3, 3, 2, 1, 4, 1, 2, None, None, None],
    [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, None, 3],
    [None, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, None],
    [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, None],
]


def test_textbook_example() -> None:
    units = [[value for value in column if value is not None] for column in zip(*TEXTBOOK, strict=True)]
    package = package_alpha([[np.nan if v is None else v for v in row] for row in TEXTBOOK])
    assert nominal_alpha(units) == pytest.approx(0.743, abs=5e-4)
    assert nominal_alpha(units) == pytest.approx(package)


def test_code_nobody_used_is_undefined() -> None:
    decisions = [decision(u, c, "x") for u in ("u1", "u2", "u3") for c in "AB"]
    x, unused = agreement(decisions, ["x", "unused"])
    assert (unused.units, unused.present, unused.percent_agreement) == (3, 0, 1.0)
    assert (unused.cohen_kappa, unused.krippendorff_alpha) == (None, None)
    # "x" is always present: just as undefined.
    assert (x.present, x.cohen_kappa, x.krippendorff_alpha) == (6, None, None)
    summary = overall(decisions, ["x", "unused"])
    assert (summary.mean_cohen_kappa, summary.mean_krippendorff_alpha) == (None, None)


def test_one_coder_per_unit_is_undefined() -> None:
    decisions = [decision("u1", "A", "x"), decision("u2", "B"), decision("u3", "A")]
    [x] = agreement(decisions, ["x"])
    assert (x.units, x.present, x.percent_agreement, x.cohen_kappa, x.krippendorff_alpha) == (0, 0, None, None, None)
    assert overall(decisions, ["x"]).percent_agreement is None
    assert disagreements(decisions, ["x"]) == []


def test_kappa_needs_two_double_coded_units() -> None:
    decisions = [decision("u1", "A", "x"), decision("u1", "B"), decision("u2", "A", "x")]
    [x] = agreement(decisions, ["x"])
    assert x.cohen_kappa is None
    assert x.krippendorff_alpha == pytest.approx(package_alpha([[1, 1], [0, np.nan]]))


def test_overall() -> None:
    decisions = [*TWO_CODERS, decision("u00", "C", "y")]  # y: A and B absent, C present on u00
    x, y = agreement(decisions, ["x", "y"])
    summary = overall(decisions, ["x", "y"])
    assert summary.units == 10
    # 12 pairs per code (3 on u00). x: A-B on u00 plus 6 of the other 9 agree; y: A-B on u00 plus all 9 others.
    assert (x.percent_agreement, y.percent_agreement) == (pytest.approx(7 / 12), pytest.approx(10 / 12))
    assert summary.percent_agreement == pytest.approx(17 / 24)
    assert y.cohen_kappa is None  # first two reviewers never used y
    assert summary.mean_cohen_kappa == pytest.approx(x.cohen_kappa)
    assert summary.mean_krippendorff_alpha == pytest.approx((x.krippendorff_alpha + y.krippendorff_alpha) / 2)


def test_disagreements_list_exactly_the_differing_pairs() -> None:
    assert disagreements(THREE_CODERS, ["y", "x"]) == [
        Disagreement("u1", "x", ("A", "B"), ("C",)),
        Disagreement("u3", "y", ("B",), ("C",)),
        Disagreement("u5", "y", ("B", "C"), ("A",)),
        Disagreement("u6", "y", ("A",), ("B",)),
    ]


def test_a_coder_judging_a_unit_twice_is_an_error() -> None:
    with pytest.raises(ValueError, match="'A' judged unit 'u1' twice"):
        agreement([decision("u1", "A", "x"), decision("u1", "A")], ["x"])


def test_decisions_from_frame() -> None:
    frame = pd.DataFrame(
        {"answer": ["1", "1", "2"], "user": ["a@x", "b@x", "a@x"], "coded": ["x; y", "", "y;"]},
    )
    assert decisions_from_frame(frame, unit="answer", coder="user", codes="coded") == [
        decision("1", "a@x", "x", "y"),
        decision("1", "b@x"),
        decision("2", "a@x", "y"),
    ]
