"""The built-in baseline model against MODEL.md, encoded here independently."""

import math

import numpy as np
import pytest

from tripartite import pure_equilibria, trajectory, vertex_stability

ACTIVE, PASSIVE = 0, 1
SHARE, SHIRK = 0, 1
ENROLL, LAPSE = 0, 1


def reference_payoffs(v, A, S, E):
    """MODEL.md's indicator formulas, written out directly."""
    q_eff = v["q"] + (1 - v["q"]) * v["d"]
    a_eff = v["a"] + (1 - v["a"]) * v["nu"]
    gov = (
        v["V_E"] * E
        + v["V_S"] * S
        - v["K"] * (1 - S) * (1 - E) * (1 - A)
        + A * (-v["C"] * (1 - v["rho"] * v["d"]) - v["s"] * E - v["t"] * S + q_eff * v["f"] * (1 - S))
    )
    plat = (
        v["Pi"]
        + S * (-v["k"] * v["c_p"] * E - v["m"] + v["r"] + v["pi_E"] * E + v["t"] * A)
        - (1 - S) * (q_eff * v["f"] * A + v["p"] * v["R"] * (1 - E))
    )
    work = (
        v["y"]
        - v["p"] * v["L"] * (1 - v["theta"] * S)
        + E
        * (
            a_eff * v["beta"] * (v["B"] + v["b_p"] * S)
            + v["s"] * A
            - v["lam"] * v["c"] * (1 + v["kappa"] * v["sigma"] * (1 - v["phi"]))
            - v["h"] * (1 - v["nu"])
        )
    )
    return gov, plat, work


def random_points(model, n, seed=0):
    rng = np.random.default_rng(seed)
    values = {}
    for p in model.parameters:
        lo = p.min if math.isfinite(p.min) else p.default - 100
        hi = p.max if math.isfinite(p.max) else max(p.default, 1.0) * 3
        values[p.name] = rng.uniform(lo, hi, size=n)
    return values


def test_payoffs_equal_the_model_sketch(baseline):
    values = random_points(baseline, 50)
    payoffs = baseline.evaluate(values)
    for prof in np.ndindex(2, 2, 2):
        A, S, E = (1 - k for k in prof)  # index 0 is the "high" strategy
        ref = reference_payoffs(values, A, S, E)
        for i in range(3):
            assert np.allclose(payoffs[(slice(None), i, *prof)], ref[i])


def test_low_vertex_gains_match_the_closed_forms(baseline):
    values = random_points(baseline, 20, seed=3)
    game = baseline.game(values)
    eig = vertex_stability(game).eigenvalues[:, PASSIVE, SHIRK, LAPSE]
    v = values
    q_eff = v["q"] + (1 - v["q"]) * v["d"]
    a_eff = v["a"] + (1 - v["a"]) * v["nu"]
    gov = v["K"] + q_eff * v["f"] - v["C"] * (1 - v["rho"] * v["d"])
    plat = v["p"] * v["R"] + v["r"] - v["m"]
    work = (
        a_eff * v["beta"] * v["B"]
        - v["lam"] * v["c"] * (1 + v["kappa"] * v["sigma"] * (1 - v["phi"]))
        - v["h"] * (1 - v["nu"])
    )
    assert np.allclose(eig, np.stack([gov, plat, work], axis=1))
    # at (passive, share, enroll) the government never wants to turn active
    high = vertex_stability(game).eigenvalues[:, PASSIVE, SHARE, ENROLL, 0]
    assert np.allclose(high, -(v["C"] * (1 - v["rho"] * v["d"]) + v["s"] + v["t"]))


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
