"""Wilson intervals, Kish's effective sample size and raking, against values worked out by hand."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis.statistics import RakingError, effective_sample_size, rake, wilson_interval


@pytest.mark.parametrize(
    ("count", "n", "low", "high"),
    [
        # p = .3, z²/n = 3.8415/40 = .096036; centre = (.3 + .048018)/1.096036 = .317525;
        # half width = 1.96·√(.3·.7/40 + 3.8415/6400)/1.096036 = 1.96·.076487/1.096036 = .136776
        (12, 40, 0.1807, 0.4543),
        # p = .5, z²/n = .038415; centre .5; half = 1.96·√(.0025 + .000096)/1.038415 = .096168
        (50, 100, 0.4038, 0.5962),
        # p = 0: centre = .19207/1.38415 = .138764 = half width, so the interval is [0, .277533]
        (0, 10, 0.0, 0.2775),
        # p = 1/3, z²/n = 1.28049; centre = (.33333 + .64024)/2.28049 = .426913;
        # half = 1.96·√(.074074 + .106707)/2.28049 = 1.96·.425183/2.28049 = .365421
        (1, 3, 0.0615, 0.7923),
    ],
)
def test_wilson_interval_matches_hand_computed_bounds(count: int, n: int, low: float, high: float) -> None:
    assert wilson_interval(count, n) == pytest.approx((low, high), abs=1e-4)


def test_wilson_interval_works_on_arrays_and_leaves_empty_bases_open() -> None:
    low, high = wilson_interval(np.array([12, 0]), np.array([40, 0]))
    assert low[0] == pytest.approx(0.1807, abs=1e-4)
    assert high[0] == pytest.approx(0.4543, abs=1e-4)
    assert np.isnan(low[1])
    assert np.isnan(high[1])


def test_effective_sample_size_is_kish() -> None:
    # (1 + 1 + 2 + 2)² / (1 + 1 + 4 + 4) = 36 / 10
    assert effective_sample_size([1, 1, 2, 2]) == pytest.approx(3.6)
    assert effective_sample_size(np.ones(50)) == pytest.approx(50)


def test_rake_on_one_margin_is_the_ratio_of_population_to_sample_share() -> None:
    sample = pd.DataFrame({"district": ["A"] * 40 + ["B"] * 60})
    margins = pd.DataFrame({"variable": "district", "value": ["A", "B"], "share": [0.5, 0.5]})
    weights = rake(sample, margins)
    # A: .5/.4 = 1.25, B: .5/.6 = 0.8333; their mean over the sample is already 1
    assert weights[sample["district"] == "A"].unique() == pytest.approx([1.25])
    assert weights[sample["district"] == "B"].unique() == pytest.approx([0.5 / 0.6])


def test_rake_meets_two_margins_at_once() -> None:
    cells = [("A", "f", 30), ("A", "m", 10), ("B", "f", 20), ("B", "m", 40)]
    sample = pd.DataFrame([(d, g) for d, g, k in cells for _ in range(k)], columns=["district", "gender"]).assign(
        age=None
    )
    margins = pd.DataFrame(
        {
            "variable": ["district", "district", "gender", "gender"],
            "value": ["A", "B", "f", "m"],
            "share": [0.3, 0.7, 0.55, 0.45],
        }
    )
    weights = rake(sample, margins)
    total = weights.sum()
    assert weights[sample["district"] == "A"].sum() / total == pytest.approx(0.3, abs=1e-5)
    assert weights[sample["gender"] == "f"].sum() / total == pytest.approx(0.55, abs=1e-5)
    assert weights.mean() == pytest.approx(1.0)


def test_rake_skips_unknown_values_and_empty_population_categories() -> None:
    sample = pd.DataFrame({"district": ["A"] * 30 + ["B"] * 10 + [None] * 10})
    margins = pd.DataFrame({"variable": "district", "value": ["A", "B", "C"], "share": [0.25, 0.25, 0.5]})
    weights = rake(sample, margins)
    # C has nobody in the sample: A and B are raked to .5/.5 among those with a district
    known = sample["district"].notna()
    assert weights[sample["district"] == "A"].sum() / weights[known].sum() == pytest.approx(0.5)
    assert weights[~known].nunique() == 1


def test_rake_raises_when_margins_contradict_the_sample() -> None:
    sample = pd.DataFrame({"district": ["A"] * 10 + ["B"] * 10, "gender": ["f"] * 10 + ["m"] * 10})
    margins = pd.DataFrame(
        {"variable": ["district", "district", "gender", "gender"], "value": ["A", "B", "f", "m"],
         "share": [0.5, 0.5, 0.2, 0.8]}
    )  # fmt: skip
    with pytest.raises(RakingError):
        rake(sample, margins)
