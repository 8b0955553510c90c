import numpy as np
import pytest
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st

import tripartite.equilibria
import tripartite.game
from tripartite.equilibria.collect import RunLog, pure_found
from tripartite.equilibria.pure import deviation_gains, pure_equilibria
from tripartite.game import Game

from ..conftest import brute_force_pure, random_game


def three_player(table):
    """Build a 2x2x2 game from {profile: (u1, u2, u3)}."""
    u = np.zeros((3, 2, 2, 2))
    for prof, values in table.items():
        for i, v in enumerate(values):
            u[(i, *prof)] = v
    return Game.from_array(u)


def test_unique_pure_equilibrium_by_hand():
    # Every player has the dominant strategy 1 ("defect"): a 3-player public-goods game.
    # Contribution (0) costs 3 and yields 2 to each of the three players.
    table = {}
    for prof in np.ndindex(2, 2, 2):
        contributors = sum(1 for s in prof if s == 0)
        table[prof] = tuple(2 * contributors - (3 if s == 0 else 0) for s in prof)
    eq = pure_equilibria(three_player(table))
    assert eq.profiles() == [(1, 1, 1)]
    assert eq.strict[0, 1, 1, 1]


def test_no_pure_equilibrium_by_hand():
    # 3-player matching pennies: player 1 wants to match player 2, player 2 to
    # match player 3, player 3 to mismatch player 1.
    table = {}
    for a, b, c in np.ndindex(2, 2, 2):
        table[(a, b, c)] = (1 if a == b else -1, 1 if b == c else -1, 1 if c != a else -1)
    eq = pure_equilibria(three_player(table))
    assert eq.profiles() == []
    assert eq.count()[0] == 0


def test_several_pure_equilibria_by_hand():
    # Pure coordination: everyone gets 1 when all choose the same strategy, else 0.
    table = {p: (1, 1, 1) if len(set(p)) == 1 else (0, 0, 0) for p in np.ndindex(2, 2, 2)}
    eq = pure_equilibria(three_player(table))
    assert eq.profiles() == [(0, 0, 0), (1, 1, 1)]
    assert eq.strict[0, 0, 0, 0] and eq.strict[0, 1, 1, 1]


def test_weak_equilibrium_is_not_strict_and_flagged_as_tie():
    table = {p: (0, 0, 0) for p in np.ndindex(2, 2, 2)}  # all indifferent
    eq = pure_equilibria(three_player(table))
    assert len(eq.profiles()) == 8
    assert not eq.strict.any()
    assert eq.tie.all()


@pytest.mark.parametrize("shape", [(2, 2), (2, 2, 2), (3, 3, 3), (2, 3, 4), (2, 2, 2, 2)])
def test_matches_brute_force_on_random_integer_games(shape):
    # integer payoffs in -3..3 produce many ties: the hard case for strictness
    g = random_game(shape, seed=sum(shape), integer=True, batch=40)
    eq = pure_equilibria(g)
    for b in range(g.batch_size):
        found, strict = brute_force_pure(g.payoffs[b])
        assert eq.profiles(b) == found
        assert [tuple(int(k) for k in p) for p in np.argwhere(eq.strict[b])] == strict


def test_deviation_gains_is_the_kernel():
    # the copy in equilibria.pure is gone (the kernel's definition is tested in tests/test_game.py);
    # the old import paths name the kernel's function
    assert deviation_gains is tripartite.game.deviation_gains
    assert tripartite.equilibria.deviation_gains is tripartite.game.deviation_gains


@settings(max_examples=30, deadline=None)
@given(st.lists(st.integers(1, 3), min_size=2, max_size=3), st.integers(0, 2**31 - 1))
def test_exact_pure_equilibria_match_brute_force(shape, seed):
    # the exact path applies the same rule to exact gains (object arrays): ties are exact zeros
    g = random_game(tuple(shape), seed=seed, integer=True)
    exact_u = np.vectorize(lambda v: sp.Rational(int(v)), otypes=[object])(g.payoffs[0])
    log = RunLog()
    found = pure_found(g, g.payoffs[0], exact_u, 0.0, log)
    expected, strict = brute_force_pure(g.payoffs[0])
    assert [tuple(s[0] for s in f.supp) for f in found] == expected
    assert [tuple(s[0] for s in f.supp) for f in found if f.strict] == strict
    assert all(f.quasi_strict == f.regular == f.strict for f in found)
    assert log.degenerate == (len(strict) < len(expected))
    for f in found:
        assert [[int(v) for v in row] for row in f.exact] == [x.astype(int).tolist() for x in f.xs]


def test_equilibrium_objects_of_a_batch_point():
    # point 1 of a batch: the coordination game's two strict equilibria, payoffs and regret 0
    u = np.array([[[2.0, 0], [0, 1]], [[2, 0], [0, 1]]])
    eq = pure_equilibria(Game.from_array(np.stack([-u, u])))
    es = eq.equilibria(1)
    assert [e.pure_profile for e in es] == [(0, 0), (1, 1)]
    assert [e.payoffs.tolist() for e in es] == [[2.0, 2.0], [1.0, 1.0]]
    assert all(e.strict and e.quasi_strict and e.regular and e.regret == 0.0 for e in es)
    assert eq.to_record(1)["count"] == 2 and eq.to_record(0)["count"] == 2


def test_agrees_with_pygambit_enumpure():
    gbt = pytest.importorskip("pygambit")
    for seed in range(10):
        g = random_game((3, 2, 2), seed=seed, integer=True)
        arrays = [g.payoffs[0, i].astype(int) for i in range(3)]
        ref = gbt.Game.from_arrays(*arrays)
        result = gbt.nash.enumpure_solve(ref)
        expected = []
        for eq in result.equilibria:
            prof = []
            for player in ref.players:
                probs = [float(eq[s]) for s in player.strategies]
                prof.append(int(np.argmax(probs)))
            expected.append(tuple(prof))
        assert sorted(expected) == pure_equilibria(g).profiles()
