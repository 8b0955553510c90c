"""Regime labels against hand-derived answers, and against the solvers."""

import numpy as np
import pytest

from tripartite import load_model, read_scenario
from tripartite.game import DEFAULT_TOL, deviation_gains, vertex_gains
from tripartite.sweep.regimes import (
    BOUNDARY,
    NO_STABLE,
    classify_points,
    kernel_for,
    parse_profile,
    regime_label,
    vertex_names,
)

from ..conftest import brute_force_pure, random_points

STAG_HUNT = """
name = "stag hunt"
[players]
row = ["stag", "hare"]
col = ["stag", "hare"]
[parameters]
S = { value = 4, min = -10, max = 10 }
H = { value = 3, min = -10, max = 10 }
[payoffs]
"stag, stag" = ["S", "S"]
"stag, hare" = ["0", "H"]
"hare, stag" = ["H", "0"]
"hare, hare" = ["H", "H"]
"""

PENNIES = """
name = "pennies"
[players]
matcher = ["heads", "tails"]
mismatcher = ["heads", "tails"]
[parameters]
e = { value = 1, min = -5, max = 5 }
[payoffs]
"heads, heads" = ["e", "-e"]
"heads, tails" = ["-e", "e"]
"tails, heads" = ["-e", "e"]
"tails, tails" = ["e", "-e"]
"""

NAMES = {"stag,stag": "good", "hare,hare": "safe"}


@pytest.fixture(scope="module")
def stag():
    return read_scenario(STAG_HUNT)


@pytest.fixture(scope="module")
def baseline():
    return load_model("baseline")


def test_stag_hunt_regimes_by_hand(stag):
    # gains: (stag,stag) H - S for both; (hare,hare) -H; (stag,hare) row H, col S - H
    S = [4, 2, 4, -2, 3, 4]
    H = [3, 3, -1, -1, 3, 0]
    labels = classify_points(stag, {"S": S, "H": H}, names=NAMES).labels()
    assert labels == [
        "good and safe (bistable)",  # S > H > 0
        "safe only",  # H > S
        "good only",  # H < 0 < S: (stag, hare) fails for col (S - H > 0)
        "stag/hare and hare/stag (bistable)",  # S < H < 0: the miscoordinated profiles
        BOUNDARY,  # S = H: (stag, stag) is decided by a zero eigenvalue (non-hyperbolic)
        BOUNDARY,  # H = 0: (hare, hare) is decided by a zero eigenvalue (non-hyperbolic)
    ]


def test_columns_list_stable_vertices_and_pure_equilibria(stag):
    cols = classify_points(stag, {"S": [4, 3], "H": [3, 3]}, names=NAMES).columns()
    assert list(cols["stable_vertices"]) == ["good; safe", "safe"]
    # at S = H, (stag, stag) is a weak equilibrium: pure, not stable
    assert list(cols["pure_equilibria"]) == ["good; safe", "good; safe"]
    assert cols["n_stable"].tolist() == [2, 1] and cols["n_pure"].tolist() == [2, 2]


def test_no_stable_vertex_and_degenerate_game():
    pennies = read_scenario(PENNIES)
    labels = classify_points(pennies, {"e": [1.0, 0.0, -2.0]}).labels()
    # e = 0: every payoff difference is zero: a boundary, not a regime
    assert labels == [NO_STABLE, BOUNDARY, NO_STABLE]


def test_baseline_by_hand(baseline):
    # MODEL.md: the worker's gain at low is a_eff*beta*B - lam*c*(1+kappa*sigma*(1-phi)) - h*(1-nu)
    # = -332 + 752*nu at defaults; high needs k*c_p + m - r - pi_E < 0 (k < 13/36) and
    # a_eff*beta*(B + b_p) - cost_W - hassle > 0 (nu > 41/216)
    reg = classify_points(baseline, {"k": 0.3, "nu": [0.0, 0.3, 0.6, 83 / 188, 41 / 216]})
    assert reg.labels() == ["low only", "low and high (bistable)", "high only", BOUNDARY, BOUNDARY]
    assert classify_points(baseline).labels() == ["low only"]


def test_tolerance_decides_what_is_a_boundary(baseline):
    near = 83 / 188 + 1e-7  # the worker's gain at low is 752e-7 = 7.5e-5
    assert classify_points(baseline, {"nu": near}).labels() == ["passive/shirk/enroll only"]
    assert classify_points(baseline, {"nu": near}, tol=1e-4).labels() == [BOUNDARY]


@pytest.mark.parametrize("name", ["baseline", "extended"])
def test_eigenvalue_kernel_is_the_numeric_kernel(name):
    """The lambdified symbolic eigenvalues are game.vertex_gains / deviation_gains, batched."""
    model = load_model(name)
    values = random_points(model, 300, seed=len(name))
    for lever in ("ell", "nu_T"):  # the state-dependent levers at 0: the static game the kernel serves
        if lever in values:
            values[lever] = np.zeros(300)
    kernel = kernel_for(model)
    resolved = model.resolve(values)
    eig = kernel.eigenvalues(resolved)  # (batch, s..., D)
    margins = kernel.margins(resolved)  # (P, batch)
    payoffs = model.game(values).payoffs
    gains = vertex_gains(payoffs)  # per player (batch, s..., s_i)
    best = np.max(np.stack(deviation_gains(payoffs)), axis=0)  # (batch, s...)
    atol = 1e-12 * np.abs(payoffs).max()
    for v, prof in enumerate(kernel.profiles):
        expected = np.stack(
            [
                gains[i][(slice(None), *prof, t)]
                for i, m in enumerate(model.shape)
                for t in range(m)
                if t != prof[i]
            ],
            axis=1,
        )
        np.testing.assert_allclose(eig[(slice(None), *prof)], expected, rtol=0, atol=atol)
        np.testing.assert_allclose(margins[v], best[(slice(None), *prof)], rtol=0, atol=atol)
    # the regimes built on it: strict and weak pure equilibria by the definition, with plain loops
    reg = classify_points(model, values)
    for b in range(40):
        found, strict = brute_force_pure(payoffs[b], tol=DEFAULT_TOL)
        assert {reg.profiles[v] for v in np.flatnonzero(reg.stable[b])} == set(strict)
        assert {reg.profiles[v] for v in np.flatnonzero(reg.equilibrium[b])} == set(found)


def test_labels_and_names(baseline, stag):
    assert regime_label(["a", "b", "c"]) == "a, b and c (multistable)"
    assert vertex_names(baseline)[(1, 0, 0)] == "high"
    assert vertex_names(stag, NAMES)[(0, 0)] == "good"
    assert parse_profile(baseline, "low") == (1, 1, 1)
    assert parse_profile(baseline, "passive/share/enroll") == (1, 0, 0)
    with pytest.raises(ValueError, match="'nap' is not a strategy of 'worker'"):
        parse_profile(baseline, "passive,share,nap")


def test_pure_equilibria_agree_with_pygambit(baseline):
    gbt = pytest.importorskip("pygambit")
    rng = np.random.default_rng(11)
    n = 40
    values = {
        "nu": rng.random(n),
        "k": rng.random(n),
        "m": rng.uniform(0, 100, n),
        "f": rng.uniform(0, 600, n),
    }
    reg = classify_points(baseline, values)
    payoffs = baseline.evaluate(values)
    for b in range(n):
        game = gbt.Game.from_arrays(*payoffs[b])
        found = set()
        for eq in gbt.nash.enumpure_solve(game).equilibria:
            found.add(tuple(next(k for k, s in enumerate(p.strategies) if eq[s] == 1) for p in game.players))
        ours = {reg.profiles[v] for v in np.flatnonzero(reg.equilibrium[b])}
        assert ours == found


def test_regimes_record(stag):
    # S = H = 3: (stag, stag) has the zero gain H - S, a weak equilibrium deciding the regime
    record = classify_points(stag, {"S": [4, 3], "H": [3, 3]}, names=NAMES).to_record()
    assert record == {
        "regime": ["good and safe (bistable)", BOUNDARY],
        "stable_vertices": [["good", "safe"], ["safe"]],
        "pure_equilibria": [["good", "safe"], ["good", "safe"]],
        "boundary": [False, True],
    }


LOG_PAYOFF = """
[players]
row = ["up", "down"]
col = ["left", "right"]
[parameters]
a = { value = 1, min = -1, max = 3 }
[payoffs]
"up, left" = ["log(a)", "1"]
"up, right" = ["-1", "0"]
"down, left" = ["1", "0"]
"down, right" = ["0", "1"]
"""


def test_thresholds_refuse_a_range_where_a_payoff_is_undefined():
    """log(a) is undefined for a <= 0: no threshold is claimed there, and numpy says nothing."""
    import warnings

    from tripartite.errors import UndefinedPayoffError
    from tripartite.sweep import thresholds

    m = read_scenario(LOG_PAYOFF)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no RuntimeWarning from numpy reaches the user
        with pytest.raises(UndefinedPayoffError, match=r"log\(a\) is not a finite real number at a = -1;.*"):
            thresholds(m, "a")


@pytest.mark.slow
def test_a_bisected_threshold_is_within_its_stated_tolerance():
    """Where log(a) is defined: row's gain from up -> down at (up, left) is 1 - log(a), zero at a = e.

    Within ``tol`` of the zero the regime is 'boundary'; the bisection then follows the
    eigenvalues' signs, so the value is within ``xtol`` (it stopped 1.5e-9 away, claiming 1e-10).
    """
    from tripartite.sweep import thresholds

    (t,) = thresholds(read_scenario(LOG_PAYOFF), "a", lo=0.5, hi=3, method="bisection")
    assert abs(t.value - np.e) <= t.tolerance == 1e-10
    assert (t.below, t.above) == ("down/right only", "up/left and down/right (bistable)")
