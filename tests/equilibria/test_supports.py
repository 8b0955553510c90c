"""Support profiles: vectorised dominance pruning, Bezout numbers, deficient and degenerate supports."""

from __future__ import annotations

import dataclasses
import itertools
import pickle

import numpy as np
import pytest
import sympy as sp

from tripartite.equilibria import all_equilibria, all_equilibria_batch
from tripartite.equilibria.result import DeferredEquilibriumSet, sort_key
from tripartite.equilibria.supports import (
    all_profiles,
    assignments,
    bezout_number,
    profile_kind,
    support_profiles,
    viable_profiles,
)
from tripartite.game import Game


def test_bezout_numbers_by_hand():
    # 2x2x2: 2 (McKelvey & McLennan's quadratic); 3x3x3: 10; 2x2x2x2: 9 (derangements of 4)
    assert [bezout_number(m) for m in [(1, 1, 1), (2, 2, 2), (1, 1, 1, 1), (1, 1), (2, 2)]] == [
        2,
        10,
        9,
        1,
        1,
    ]
    assert bezout_number((1, 2)) == 0 and bezout_number((3, 1, 1)) == 0  # overdetermined players
    for m in itertools.product(range(3), repeat=3):
        assert bezout_number(m) == len(assignments(m))


def test_profile_kinds():
    assert profile_kind(((0,), (1,), (0,))) == "pure"
    assert profile_kind(((0, 1), (1,), (0,))) == "single"
    assert profile_kind(((0, 1), (0, 1, 2), (0,))) == "deficient"
    assert profile_kind(((0, 1), (0, 1), (0, 1, 2, 3))) == "deficient"
    assert profile_kind(((0, 1), (0, 1, 2), (0, 1, 2, 3))) == "solve"


def _dominance_by_definition(u: np.ndarray, tol: float) -> list:
    """The dominance test written out profile by profile, with exact rationals."""
    exact = np.vectorize(lambda v: sp.Rational(int(v)), otypes=[object])(u)
    return support_profiles(exact, tol)


@pytest.mark.parametrize("shape", [(2, 2), (3, 3), (2, 2, 2), (3, 3, 3), (2, 3, 4), (2, 2, 2, 2)])
def test_vectorised_pruning_matches_the_definition_on_integer_games(shape):
    rng = np.random.default_rng(len(shape) * 10 + sum(shape))
    u = rng.integers(-2, 3, size=(4, len(shape), *shape)).astype(float)  # many ties
    profiles, ok = viable_profiles(u, 0.0)
    assert profiles == all_profiles(shape)
    for b in range(u.shape[0]):
        assert [p for p, keep in zip(profiles, ok[b]) if keep] == _dominance_by_definition(u[b], 0)


def test_pruning_keeps_every_equilibrium_support():
    u = np.random.default_rng(3).normal(size=(3, 3, 3, 3))
    kept = set(support_profiles(u))
    for e in all_equilibria(Game.from_array(u)):
        assert e.support in kept


# ---------------------------------------------------------------------------------------
# deficient supports are decided
# ---------------------------------------------------------------------------------------


def test_random_2x3x4_games_are_complete():
    # the support ({s1,s2}, {s1,s2}, all four) gives player 3 three equations in two unknowns
    sets = all_equilibria_batch(Game.from_array(np.random.default_rng(8).normal(size=(5, 3, 2, 3, 4))))
    assert all(s.complete and s.notes == () for s in sets)


def test_overdetermined_player_with_a_common_solution_is_flagged():
    # on the support ({s1,s2}, {s1,s2}, all four) player 3 has three indifference forms in the
    # others' probabilities (p, q); make all three vanish at (p, q) = (0.3, 0.6), in the simplex
    rng = np.random.default_rng(9)
    u = rng.normal(size=(3, 2, 2, 4))
    p0, q0 = 0.3, 0.6
    for s3 in range(1, 4):
        a, b, c = rng.normal(size=3)

        def form(p, q, a=a, b=b, c=c):
            return a * (p - p0) + b * (q - q0) + c * (p - p0) * (q - q0)

        corners = np.array([[form(1, 1), form(1, 0)], [form(0, 1), form(0, 0)]])  # [s1, s2]
        u[2, :, :, s3] = u[2, :, :, 0] + corners
    eqs = all_equilibria(Game.from_array(u))
    assert eqs.degenerate and not eqs.complete
    assert any("common solution in the simplex" in note for note in eqs.notes)
    # moving the common zero out of the simplex makes the support harmless again
    v = u.copy()
    v[2, :, :, 1] += 0.5
    assert not any("common solution" in note for note in all_equilibria(Game.from_array(v)).notes)


# ---------------------------------------------------------------------------------------
# deferred sets of the 2x2x2 batch behave like eager ones
# ---------------------------------------------------------------------------------------


def test_deferred_sets_of_a_2x2x2_batch():
    game = Game.from_array(np.random.default_rng(4).normal(size=(50, 3, 2, 2, 2)))
    sets = all_equilibria_batch(game)
    assert all(isinstance(s, DeferredEquilibriumSet) for s in sets)
    for b in (0, 17, 49):
        s = sets[b]
        assert np.array_equal(s.game.payoffs, game.payoffs[b : b + 1])
        assert list(s.equilibria) == sorted(s.equilibria, key=sort_key)
        assert s.summary()["count"] == len(s) == len(list(s))
        single = all_equilibria(Game.from_array(game.payoffs[b]))
        assert [e.strategies[0].tolist() for e in s] == [e.strategies[0].tolist() for e in single]
        assert [e.strict for e in s] == [e.strict for e in single]
    # a deferred set survives pickling (sweeps ship results between processes) and replace()
    again = pickle.loads(pickle.dumps(sets[3]))
    assert [e.strategies[0].tolist() for e in again] == [e.strategies[0].tolist() for e in sets[3]]
    changed = dataclasses.replace(sets[5], notes=("checked",))
    assert changed.notes == ("checked",) and len(changed) == len(sets[5])
