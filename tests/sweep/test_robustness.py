"""Monte Carlo robustness of packages against a hand-worked probability."""

from __future__ import annotations

import math

import numpy as np
import pytest

from tripartite.errors import ParameterError
from tripartite.sweep.robustness import package_robustness


def test_robustness_of_a_premium_cut_by_hand(baseline):
    # low ends when the platform's gain p*R + r - m > 0: with m = 39, r = 20, R = 10000 that is
    # p > 0.0019; p uniform on 0.002 -+ 20% = [0.0016, 0.0024] gives 0.0005/0.0008 = 0.625
    n = 4000
    r = package_robustness(baseline, {"m": 39.0}, vary=["p"], samples=n, seed=1)
    assert r.varied == {"p": "uniform [0.0016, 0.0024]"} and r.samples == n
    assert abs(r.ends_low - 0.625) < 4 * math.sqrt(0.625 * 0.375 / n)
    assert r.interval[0] < r.ends_low < r.interval[1]
    # a deeper cut is more robust: m = 30 ends low for every p in the range (p*R >= 16 > 10)
    assert package_robustness(baseline, {"m": 30.0}, vary=["p"], samples=500).ends_low == 1.0


def test_user_distributions_and_ranges(baseline):
    always = {"p": lambda rng, n: np.full(n, 0.003)}  # p*R = 30: low ends at m = 39
    assert (
        package_robustness(baseline, {"m": 39.0}, vary=["p"], distributions=always, samples=50).ends_low == 1
    )
    never = package_robustness(baseline, {"m": 39.0}, vary=["p"], ranges={"p": (0.0, 0.0018)}, samples=50)
    assert never.ends_low == 0 and never.varied["p"] == "uniform [0, 0.0018]"
    with pytest.raises(ParameterError, match="lever of the package"):
        package_robustness(baseline, {"m": 39.0}, vary=["m"])
