"""Two-player subgames through nashpy, cross-checked with the N-player solver."""

from __future__ import annotations

import numpy as np
import pytest

from tests.equilibria.test_mixed import mckelvey_mclennan
from tripartite import load_model
from tripartite.equilibria import cross_check, subgame, subgame_equilibria
from tripartite.errors import TripartiteError
from tripartite.game import Game


def test_baseline_with_a_passive_government():
    game = load_model("baseline").game()
    sub = subgame_equilibria(game, {"government": "passive"})
    assert sub.subgame.players == ("platform", "worker")
    profiles = [tuple(x.tolist() for x in e.strategies) for e in sub.equilibria]
    assert profiles == [([0.0, 1.0], [0.0, 1.0])]  # shirk, lapse
    assert sub.extends == (True,)


def test_subgame_payoffs_are_the_slice():
    u = mckelvey_mclennan()
    sub, free, fixed = subgame(Game.from_array(u), {0: 1})
    assert free == (1, 2) and fixed == {0: 1}
    assert np.array_equal(sub.payoffs[0], u[1:, 1])


@pytest.mark.parametrize("method", ["support_enumeration", "vertex_enumeration"])
def test_methods_agree_and_match_the_n_player_solver(method):
    rng = np.random.default_rng(11)
    for _ in range(4):
        game = Game.from_array(rng.normal(size=(3, 2, 3, 3)))
        for s in range(2):
            assert cross_check(game, {0: s}, method) == []


def test_mckelvey_mclennan_conditional_equilibria():
    # with player 1 fixed at strategy 1, players 2 and 3 play a 2x2 coordination game
    sub = subgame_equilibria(Game.from_array(mckelvey_mclennan()), {0: 0})
    assert len(sub.equilibria) == 3 and sub.equilibria.complete
    assert cross_check(Game.from_array(mckelvey_mclennan()), {0: 0}) == []


def test_lemke_howson_is_labelled_incomplete():
    sub = subgame_equilibria(Game.from_array(mckelvey_mclennan()), {0: 0}, "lemke_howson")
    assert not sub.equilibria.complete and len(sub.equilibria) >= 1


def test_errors_name_the_problem():
    game = Game.from_array(mckelvey_mclennan())
    with pytest.raises(TripartiteError, match="fix the strategies of 1"):
        subgame(game, {})
    with pytest.raises(TripartiteError, match="unknown player"):
        subgame(game, {"nobody": 0})
    with pytest.raises(TripartiteError, match="unknown method"):
        subgame_equilibria(game, {0: 0}, "magic")
