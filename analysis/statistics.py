"""Interval estimates and survey weights for the report's shares.

Wilson score intervals keep their coverage for small bases and shares near 0 or 1, where the textbook
normal interval collapses or leaves [0, 1]. Raking (iterative proportional fitting) adjusts weights until the
sample's margins match the population's, one variable at a time; no installed library does it on plain
frames, and the algorithm is a few lines of numpy (Deming and Stephan 1940).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

Z95 = 1.959963984540054
"""Standard normal quantile for a two-sided 95 % interval."""


class RakingError(ValueError):
    """The weights did not settle on the population margins (e.g. contradictory margins)."""


def wilson_interval(count: float | np.ndarray, n: float | np.ndarray, z: float = Z95) -> tuple:
    """Lower and upper bound of the Wilson score interval; NaN where ``n`` is 0.

    Works elementwise on arrays, and on the effective sample size of weighted shares (``count`` =
    share × n_eff), which need not be whole numbers.
    """
    count = np.asarray(count, dtype=float)
    n = np.asarray(n, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        p = count / n
        z2n = z * z / n
        centre = (p + z2n / 2) / (1 + z2n)
        margin = z * np.sqrt(p * (1 - p) / n + z2n / (4 * n)) / (1 + z2n)
    # rounding must not leave the share outside its own interval (at p = 1 the upper bound is exactly 1)
    low = np.where(n > 0, np.clip(np.minimum(centre - margin, p), 0.0, 1.0), np.nan)
    high = np.where(n > 0, np.clip(np.maximum(centre + margin, p), 0.0, 1.0), np.nan)
    if low.ndim == 0:
        return float(low), float(high)
    return low, high


def effective_sample_size(weights: np.ndarray | pd.Series) -> float:
    """Kish's effective sample size (Σw)² / Σw²: how many unweighted answers the weighted ones are worth."""
    weights = np.asarray(weights, dtype=float)
    squares = float(np.square(weights).sum())
    return float(weights.sum()) ** 2 / squares if squares else 0.0


def rake(sample: pd.DataFrame, margins: pd.DataFrame, max_iterations: int = 100, tolerance: float = 1e-6) -> pd.Series:
    """Weights (mean 1 over ``sample``) under which each margin variable's shares match the population's.

    ``margins`` has columns ``variable`` (a column of ``sample``), ``value`` and ``share``. Respondents with a
    missing or unlisted value of a variable keep their weight for that variable, and population categories
    nobody in the sample belongs to are left out and the remaining shares scaled up to 1: no weight can
    stand in for people who did not answer. Raises :class:`RakingError` unless every margin is met within
    ``tolerance`` after ``max_iterations`` rounds.
    """
    weights = np.ones(len(sample))
    steps = []
    for variable, margin in margins.groupby("variable", sort=False):
        targets = margin.set_index(margin["value"].astype(str))["share"].astype(float)
        values = sample[variable].astype("string")
        codes = pd.Categorical(values, categories=targets.index).codes
        present = np.bincount(codes[codes >= 0], minlength=len(targets)) > 0
        if not present.any():
            continue
        shares = targets.to_numpy() * present
        steps.append((codes, shares / shares.sum()))
    for _ in range(max_iterations):
        worst = 0.0
        for codes, shares in steps:
            known = codes >= 0
            totals = np.bincount(codes[known], weights=weights[known], minlength=len(shares))
            wanted = shares * totals.sum()
            factors = np.divide(wanted, totals, out=np.ones_like(wanted), where=totals > 0)
            weights[known] *= factors[codes[known]]
            worst = max(worst, float(np.abs(totals / totals.sum() - shares).max()))
        if worst < tolerance:
            return pd.Series(weights / weights.mean(), index=sample.index)
    raise RakingError(f"raking did not converge in {max_iterations} iterations (largest gap {worst:.2g})")
