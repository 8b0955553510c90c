"""Prospect-theory payoffs: identity, hand values, invariances and what changes."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tripartite import load_model, pure_equilibria
from tripartite.behavioural import TVERSKY_KAHNEMAN_1992, ProspectTheory, prospect_game, prospect_value
from tripartite.errors import TripartiteError
from tripartite.game import Game, regret

from .conftest import random_game


@pytest.mark.parametrize("model", ["baseline", "extended"])
def test_curvature_one_and_no_loss_aversion_reproduce_the_game_exactly(model):
    game = load_model(model).game(nu=[0.0, 0.3])
    same = prospect_game(game, alpha=1, beta=1, loss_aversion=1, reference=0)
    assert np.array_equal(same.payoffs, game.payoffs)
    # the value function itself, not only the shortcut, is exact
    assert np.array_equal(prospect_value(game.payoffs, 0.0, 1.0, 1.0, 1.0), game.payoffs)
    rng = np.random.default_rng(0)
    u = rng.normal(scale=1e3, size=1000)
    assert np.array_equal(prospect_value(u, 0.0, 1.0, 1.0, 1.0), u)


def test_tversky_kahneman_defaults_and_hand_values():
    assert TVERSKY_KAHNEMAN_1992 == ProspectTheory(0.88, 0.88, 2.25, 0.0)
    v = ProspectTheory().value(np.array([100.0, -100.0, 0.0, 1.0, -1.0]))
    assert v[0] == pytest.approx(100**0.88)
    assert v[1] == pytest.approx(-2.25 * 100**0.88)
    assert v[2] == 0.0 and v[3] == 1.0 and v[4] == -2.25
    # a reference point: 50 yuan above the reference is a gain of 50
    assert prospect_value(np.array([150.0]), 100.0)[0] == pytest.approx(50**0.88)


def test_reference_per_player_shifts_payoffs_and_changes_no_equilibrium():
    game = load_model("baseline").game()
    shifted = prospect_game(
        game, alpha=1, beta=1, loss_aversion=1, reference={"government": 10.0, "worker": -5.0}
    )
    np.testing.assert_allclose(shifted.payoffs[0, 0], game.payoffs[0, 0] - 10)
    np.testing.assert_allclose(shifted.payoffs[0, 1], game.payoffs[0, 1])
    np.testing.assert_allclose(shifted.payoffs[0, 2], game.payoffs[0, 2] + 5)
    assert pure_equilibria(shifted).profiles() == pure_equilibria(game).profiles()
    assert shifted.name == "baseline (prospect theory)"


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 10_000), shape=st.sampled_from([(2, 2), (2, 3), (2, 2, 2), (3, 2, 2)]))
def test_pure_equilibria_and_their_strictness_survive_any_value_function(seed, shape):
    # v is strictly increasing, so it preserves every comparison of a player's own payoffs
    game = random_game(shape, seed=seed, integer=True)
    pt = prospect_game(game, reference=float(np.random.default_rng(seed).integers(-2, 3)))
    a, b = pure_equilibria(game), pure_equilibria(pt)
    assert a.profiles() == b.profiles()
    assert np.array_equal(a.strict, b.strict)


@settings(max_examples=40, deadline=None)
@given(
    x=st.floats(0.01, 1e4),
    alpha=st.floats(0.1, 1.0),
    loss=st.floats(1.0, 5.0),
)
def test_losses_loom_larger_than_gains(x, alpha, loss):
    v = prospect_value(np.array([x, -x]), 0.0, alpha, alpha, loss)
    assert v[1] == pytest.approx(-loss * v[0], rel=1e-12)
    assert v[0] > 0 > v[1]


def test_loss_aversion_moves_a_mixed_equilibrium_as_computed_by_hand():
    # row: [[2, -1], [-1, 1]], column: matching pennies.  Rational mixed equilibrium: row plays
    # 1/2, column plays 2/5 (2y - (1-y) = -y + (1-y)).  With v linear and loss aversion 2 the row
    # player's payoffs become [[2, -2], [-2, 1]]: 2y - 2(1-y) = -2y + (1-y) gives y = 3/7; the
    # column player's losses double on both sides, so the row player still plays 1/2.
    game = Game.from_array(np.array([[[2, -1], [-1, 1]], [[-1, 1], [1, -1]]], dtype=float))
    pt = prospect_game(game, alpha=1, beta=1, loss_aversion=2)
    rational = [np.array([0.5, 0.5]), np.array([0.4, 0.6])]
    behavioural = [np.array([0.5, 0.5]), np.array([3 / 7, 4 / 7])]
    assert regret(game.payoffs, rational)[0] == pytest.approx(0, abs=1e-12)
    assert regret(pt.payoffs, behavioural)[0] == pytest.approx(0, abs=1e-12)
    assert regret(pt.payoffs, rational)[0] > 0.05
    assert regret(game.payoffs, behavioural)[0] > 0.01


def test_a_model_is_taken_at_its_defaults():
    model = load_model("baseline")
    np.testing.assert_array_equal(prospect_game(model).payoffs, prospect_game(model.game()).payoffs)
    assert ProspectTheory().apply(model.game()).payoffs.shape == (1, 3, 2, 2, 2)


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"alpha": 1.5}, "alpha"),
        ({"beta": 0.0}, "beta"),
        ({"loss_aversion": 0.5}, "loss aversion"),
        ({"reference": [1.0, 2.0]}, "one reference point per player"),
        ({"reference": {"nobody": 1.0}}, "unknown player"),
    ],
)
def test_bad_parameters_get_one_clear_error(kwargs, message):
    with pytest.raises(TripartiteError, match=message):
        prospect_game(load_model("baseline").game(), **kwargs)


def test_describe_is_json_ready():
    d = ProspectTheory(reference=(1.0, 2.0, 3.0)).describe()
    assert d["reference"] == [1.0, 2.0, 3.0] and d["loss_aversion"] == 2.25
