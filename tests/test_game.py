import numpy as np
import pytest

from tripartite.errors import TripartiteError
from tripartite.game import Game, expected_payoffs, profile_from_indices, regret, strategy_payoffs

from .conftest import random_game

# Matching pennies: player 1 wants to match, player 2 to mismatch.
PENNIES = np.array([[[1, -1], [-1, 1]], [[-1, 1], [1, -1]]], dtype=float)


def test_strategy_payoffs_by_hand():
    g = Game.from_array(PENNIES)
    half = np.array([0.5, 0.5])
    heads = np.array([1.0, 0.0])
    # against heads, the mismatcher gets -1 for heads and +1 for tails
    assert np.allclose(strategy_payoffs(g.payoffs, [heads, half], 1), [[-1.0, 1.0]])
    # the matcher against heads: +1 for heads, -1 for tails (own mix is irrelevant)
    assert np.allclose(strategy_payoffs(g.payoffs, [half, heads], 0), [[1.0, -1.0]])
    # against a 50/50 opponent everything pays 0
    assert np.allclose(strategy_payoffs(g.payoffs, [heads, half], 0), [[0.0, 0.0]])


def test_regret_zero_only_at_the_mixed_equilibrium():
    g = Game.from_array(PENNIES)
    assert regret(g.payoffs, [np.array([0.5, 0.5])] * 2)[0] == pytest.approx(0.0)
    assert regret(g.payoffs, [np.array([0.6, 0.4]), np.array([0.5, 0.5])])[0] == pytest.approx(0.2)


def test_three_player_expected_payoffs_match_explicit_sum():
    g = random_game((2, 3, 2), seed=4)
    rng = np.random.default_rng(1)
    xs = [rng.dirichlet(np.ones(m)) for m in g.shape]
    u = g.payoffs[0]
    explicit = np.zeros(3)
    for s0 in range(2):
        for s1 in range(3):
            for s2 in range(2):
                w = xs[0][s0] * xs[1][s1] * xs[2][s2]
                explicit += w * u[:, s0, s1, s2]
    assert np.allclose(expected_payoffs(g.payoffs, xs)[0], explicit)


def test_batched_profiles_evaluate_pointwise():
    g = random_game((2, 2, 2), seed=2, batch=5)
    rng = np.random.default_rng(0)
    xs = [rng.dirichlet(np.ones(2), size=5) for _ in range(3)]
    batched = regret(g.payoffs, xs)
    single = [regret(g.payoffs[b : b + 1], [x[b] for x in xs])[0] for b in range(5)]
    assert np.allclose(batched, single)


def test_unicode_names_and_validation():
    g = Game.from_array(PENNIES, players=["政府", "平台"], strategies=[["积极", "消极"], ["分担", "规避"]])
    assert g.profile_names((0, 1)) == {"政府": "积极", "平台": "规避"}
    with pytest.raises(TripartiteError, match="duplicate player"):
        Game.from_array(PENNIES, players=["a", "a"])
    with pytest.raises(TripartiteError, match="duplicate strategy"):
        Game.from_array(PENNIES, strategies=[["x", "x"], ["y", "z"]])
    with pytest.raises(TripartiteError, match="no strategy"):
        g.strategy_index(0, "missing")


def test_profile_from_indices():
    x = profile_from_indices((2, 3), (1, 2))
    assert x[0].tolist() == [0, 1] and x[1].tolist() == [0, 0, 1]
