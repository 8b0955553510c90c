"""Support enumeration: exact and floating-point paths, against pygambit and hand-worked games."""

from __future__ import annotations

import numpy as np
import pytest
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.equilibria import first_principles
from tests.equilibria.gambit_reference import enumpoly
from tests.equilibria.test_mixed import MM_EQUILIBRIA, as_first_probs, mckelvey_mclennan, nau
from tripartite.equilibria import all_equilibria, all_equilibria_batch, local_equilibria, support_enumeration
from tripartite.equilibria.support import support_profiles
from tripartite.errors import TripartiteError
from tripartite.game import Game


def check_against_gambit(u: np.ndarray) -> None:
    eqs = all_equilibria(Game.from_array(u))
    assert eqs.complete and not eqs.degenerate
    for prof in enumpoly(u):  # every equilibrium pygambit finds is found
        assert eqs.find(prof, 1e-6) is not None, prof
    for e in eqs:  # anything extra is an equilibrium, by the definition
        first_principles.assert_nash(u, e)
    assert len(eqs) % 2 == 1  # complete and nondegenerate: an odd number (Wilson 1971)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_3x3x3_against_enumpoly(seed):
    check_against_gambit(np.random.default_rng(seed).normal(size=(3, 3, 3, 3)))


@pytest.mark.parametrize("seed", [4, 5, 6, 7])
def test_2x2x2x2_against_enumpoly(seed):
    check_against_gambit(np.random.default_rng(seed).normal(size=(4, 2, 2, 2, 2)))


def test_enumeration_agrees_with_closed_form_on_2x2x2():
    u = mckelvey_mclennan()
    enum = support_enumeration(Game.from_array(u))
    closed = all_equilibria(Game.from_array(u))
    assert len(enum) == len(closed) == 9
    for e in closed:
        assert enum.find(e.strategies, 1e-9) is not None


def test_exact_mckelvey_mclennan():
    eqs = all_equilibria(Game.from_array(mckelvey_mclennan()), exact=True)
    assert eqs.exact and eqs.complete and len(eqs) == 9
    mixed = {tuple(x[0] for x in e.exact) for e in eqs if all(len(s) == 2 for s in e.support)}
    R = sp.Rational
    assert mixed == {(R(2, 5), R(1, 2), R(1, 3)), (R(1, 2), R(2, 5), R(1, 4))}
    assert all(e.regret == 0 for e in eqs)


def test_exact_irrational_equilibrium():
    u = np.array(
        [
            [[[-4, -4], [3, 0]], [[1, 1], [2, -5]]],
            [[[0, -4], [-1, 5]], [[1, -5], [0, -4]]],
            [[[3, 5], [5, 1]], [[4, -1], [-4, 0]]],
        ],
        dtype=float,
    )
    eqs = all_equilibria(Game.from_array(u), exact=True)
    floats = all_equilibria(Game.from_array(u))
    assert eqs.complete and len(eqs) == len(floats) == 3
    totally = [e for e in eqs if all(len(s) == 2 for s in e.support)][0]
    p1 = totally.exact[0][0]
    assert sp.simplify(p1 - (41 + sp.sqrt(4321)) / 264) == 0
    # exact indifference: player 1's two strategies pay the same, exactly
    x2, x3 = totally.exact[1][0], totally.exact[2][0]
    w = [[x2 * x3, x2 * (1 - x3)], [(1 - x2) * x3, (1 - x2) * (1 - x3)]]
    diff = sum(int(u[0, 0, a, b] - u[0, 1, a, b]) * w[a][b] for a in range(2) for b in range(2))
    assert sp.simplify(diff) == 0
    assert floats.find(totally.strategies, 1e-12) is not None


def test_exact_rock_paper_scissors_and_battle_of_the_sexes():
    rps = np.array([[[0, -1, 1], [1, 0, -1], [-1, 1, 0]], [[0, 1, -1], [-1, 0, 1], [1, -1, 0]]])
    eqs = support_enumeration(Game.from_array(rps), exact=True)
    assert [[str(v) for v in x] for x in eqs[0].exact] == [["1/3"] * 3, ["1/3"] * 3] and len(eqs) == 1
    bos = Game.from_array(np.array([[[2, 0], [0, 1]], [[1, 0], [0, 2]]]))
    assert [e.exact for e in all_equilibria(bos, exact=True)][-1] == (
        (sp.Rational(2, 3), sp.Rational(1, 3)),
        (sp.Rational(1, 3), sp.Rational(2, 3)),
    )


@pytest.mark.parametrize("exact", [False, True])
def test_continuum_of_totally_mixed_equilibria_is_flagged(exact):
    eqs = support_enumeration(Game.from_array(nau()), exact=exact)
    assert eqs.degenerate and not eqs.complete
    assert any("continu" in n or "singular" in n for n in eqs.notes)
    assert sum(e.pure for e in eqs) == 3


def test_degenerate_tie_is_reported():
    # row is indifferent against column's first strategy: a segment of equilibria
    u = np.array([[[1, 0], [1, 2]], [[2, 0], [1, 0]]], dtype=float)
    eqs = support_enumeration(Game.from_array(u), exact=True)
    assert eqs.degenerate and not eqs.complete
    assert any("continuum" in n for n in eqs.notes)
    # all_equilibria describes the segment: row mixing, column playing its first strategy
    eqs = all_equilibria(Game.from_array(u), exact=True)
    assert eqs.degenerate and eqs.complete
    segment = [c for c in eqs.components if c.dimension == 1]
    assert len(segment) == 1 and segment[0].support == ((0, 1), (0,))


def test_support_pruning_keeps_equilibrium_supports():
    pd = np.array([[[3, 0], [5, 1]], [[3, 5], [0, 1]]])
    assert support_profiles(pd) == [((1,), (1,))]
    u = mckelvey_mclennan()
    kept = support_profiles(u)
    for e in all_equilibria(Game.from_array(u)):
        assert e.support in kept


@pytest.mark.slow
def test_size_guard_and_labelled_fallback():
    game = Game.from_array(np.random.default_rng(0).normal(size=(3, 3, 3, 3)))
    with pytest.raises(TripartiteError, match="max_paths"):
        support_enumeration(game, max_paths=5)
    eqs = all_equilibria(game, max_paths=5)
    assert not eqs.complete and "NOT complete" in eqs.method
    assert any("not attempted" in n for n in eqs.notes)
    # what the local search finds is among the equilibria of complete enumeration, and checks out
    complete = all_equilibria(game)
    assert complete.complete and len(eqs) >= 1
    for e in eqs:
        assert complete.find(e.strategies, 1e-7) is not None, e
        first_principles.assert_nash(game.payoffs[0], e)


def test_local_search_is_labelled_not_complete():
    eqs = local_equilibria(Game.from_array(mckelvey_mclennan()), starts=8)
    assert not eqs.complete and len(eqs) >= 1
    # each profile found is one of the nine worked out by hand
    hand = np.array([[float(q) for q in p] for p in MM_EQUILIBRIA])
    for p in as_first_probs(eqs):
        assert np.min(np.max(np.abs(hand - p), axis=1)) <= 1e-9, p


def test_batch_of_3x3_games_matches_points():
    u = np.random.default_rng(9).normal(size=(4, 2, 3, 3))
    game = Game.from_array(u)
    sets = all_equilibria_batch(game)
    for b in range(4):
        single = all_equilibria(Game.from_array(u[b]))
        assert len(sets[b]) == len(single)
        for e in single:
            assert sets[b].find(e.strategies, 1e-9) is not None


def test_batches_are_refused_by_the_single_point_solver():
    with pytest.raises(TripartiteError, match="one parameter point"):
        all_equilibria(Game.from_array(np.zeros((2, 2, 2, 2))))


@pytest.mark.parametrize("shape", [(2, 3, 2), (2, 3, 4)])
@settings(max_examples=20, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), perm=st.permutations([0, 1, 2]))
@pytest.mark.slow
def test_permuting_players_permutes_the_equilibria(shape, seed, perm):
    u = np.random.default_rng(seed).normal(size=(3, *shape))
    eqs = all_equilibria(Game.from_array(u))
    v = np.transpose(u[list(perm)], [0] + [1 + p for p in perm]).copy()
    eqs2 = all_equilibria(Game.from_array(v))
    assert eqs.complete and eqs2.complete and len(eqs) == len(eqs2)
    for e in eqs:
        assert eqs2.find([e.strategies[p] for p in perm], 1e-7) is not None
    for e in eqs2:
        first_principles.assert_nash(v, e)
