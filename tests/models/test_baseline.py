"""The built-in baseline model against MODEL.md, encoded here independently."""

import numpy as np
import pytest

from tripartite import pure_equilibria, trajectory, vertex_stability
from tripartite.game import vertex_gains

from ..conftest import random_points
from .baseline_formulas import ENROLL, LAPSE, PASSIVE, SHARE, SHIRK, low_gains, reference_payoffs


def test_payoffs_equal_the_model_sketch(baseline):
    values = random_points(baseline, 50)
    values["ell"] = values["nu_T"] = np.zeros(50)  # the state-dependent levers off: a static game
    payoffs = baseline.evaluate(values)
    for prof in np.ndindex(2, 2, 2):
        A, S, E = (1 - k for k in prof)  # index 0 is the "high" strategy
        ref = reference_payoffs(values, A, S, E)
        for i in range(3):
            assert np.allclose(payoffs[(slice(None), i, *prof)], ref[i])


def test_state_dependent_payoffs_equal_the_model_sketch_at_random_states(baseline):
    values = random_points(baseline, 50, seed=5)
    rng = np.random.default_rng(6)
    x_S, x_E = rng.uniform(0, 1, 50), rng.uniform(0, 1, 50)
    state = [np.full((50, 2), 0.5), np.stack([x_S, 1 - x_S], 1), np.stack([x_E, 1 - x_E], 1)]
    payoffs = baseline.game(values).payoffs.at(state)
    for prof in np.ndindex(2, 2, 2):
        A, S, E = (1 - k for k in prof)
        ref = reference_payoffs(values, A, S, E, x_S, x_E)
        for i in range(3):
            assert np.allclose(payoffs[(slice(None), i, *prof)], ref[i])


def test_low_vertex_gains_match_the_closed_forms(baseline):
    values = random_points(baseline, 20, seed=3)
    game = baseline.game(values)
    eig = vertex_stability(game).eigenvalues[:, PASSIVE, SHIRK, LAPSE]
    v = values
    assert np.allclose(eig, np.stack(low_gains(v), axis=1))
    # at (passive, share, enroll) the government never wants to turn active
    high = vertex_stability(game).eigenvalues[:, PASSIVE, SHARE, ENROLL, 0]
    assert np.allclose(high, -(v["C"] * (1 - v["rho"] * v["d"]) + v["s"] + v["t"]))


def test_the_fund_moves_the_governments_payoff_but_no_gain_from_switching(baseline):
    # the fund's receipts depend on the platform's and the worker's strategies only, so every
    # eigenvalue (and equilibrium, threshold, trajectory) is that of a government ignoring it (w_F = 0)
    v = {**random_points(baseline, 8, seed=5), "ell": np.zeros(8), "nu_T": np.zeros(8)}  # a static game
    with_fund = baseline.game(v).payoffs
    without = baseline.game({**v, "w_F": np.zeros(8)}).payoffs
    for a, b in zip(vertex_gains(with_fund), vertex_gains(without)):
        assert np.allclose(a, b)
    fund = (
        v["c"] + v["k"] * v["c_p"] - v["mu_F"] * (v["B"] + v["b_p"]) + v["m"] - v["p"] * v["theta"] * v["L"]
    )
    for government in (0, 1):
        change = with_fund[:, 0, government, SHARE, ENROLL] - without[:, 0, government, SHARE, ENROLL]
        assert np.allclose(change, v["w_F"] * fund)
    assert np.array_equal(with_fund[:, 1:], without[:, 1:])  # the platform and the worker: untouched


def test_defaults_give_the_three_lose_equilibrium(baseline):
    game = baseline.game()
    eq = pure_equilibria(game)
    assert eq.profiles() == [(PASSIVE, SHIRK, LAPSE)]
    assert eq.strict[0, PASSIVE, SHIRK, LAPSE]
    assert vertex_stability(game).stable_profiles() == [(PASSIVE, SHIRK, LAPSE)]
    traj = trajectory(game, baseline.initial_state)
    assert traj.outcome == "vertex"
    assert traj.profile == {"government": "passive", "platform": "shirk", "worker": "lapse"}


def test_every_parameter_is_documented(baseline):
    for p in baseline.parameters:
        assert p.description and p.unit and p.section and p.source, p.name
        assert p.min <= p.default <= p.max


@pytest.mark.parametrize(
    ("lever", "value", "player"),
    [
        ("d", 0.5, 0),
        ("f", 400, 0),
        ("K", 100, 0),
        ("m", 30, 1),
        ("r", 50, 1),
        ("phi", 0.9, 2),
        ("nu", 0.6, 2),
    ],
)
def test_each_lever_can_destabilise_the_low_vertex(baseline, lever, value, player):
    # a lever inside its admissible range flips the sign of one low-vertex eigenvalue
    eig = vertex_stability(baseline.game({lever: value})).eigenvalues[0, PASSIVE, SHIRK, LAPSE]
    assert eig[player] > 0
