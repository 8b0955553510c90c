"""Scale-free numerics (issue 15, item 5): the answers do not depend on the payoffs' units or offsets.

The Nash equilibria of a game and the rest points of its multi-population replicator dynamics,
with their labels, are unchanged when every payoff is multiplied by ``c > 0`` (the replicator
field and its eigenvalues are multiplied by ``c``) or a constant is added to one player's payoffs
(payoff differences do not change).  The solvers take their tolerances relative to the payoff
scale (:func:`tripartite.game.payoff_scale`), so on random integer games of several shapes, some
degenerate with ties, the reported equilibria, the ``complete``/``degenerate`` flags and the
vertex and rest-point labels are the same after multiplying every payoff by 1e-6 or 1e6 and after
adding a different constant (up to 1e4 times the scale) to each player's payoffs.  The references
are independent: labels of pure profiles from the definition (exact integer gains), equilibria
checked from the definition in exact rationals (:mod:`tests.equilibria.first_principles`) and
pygambit's ``enumpoly_solve``.  The two cases of the audit are regression tests.
"""

from __future__ import annotations

import dataclasses
import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.equilibria import first_principles
from tripartite.dynamics.stability import CLASSIFICATIONS, rest_point_stability, vertex_stability
from tripartite.equilibria import all_equilibria
from tripartite.equilibria.pure import pure_equilibria
from tripartite.equilibria.support import all_equilibria_batch
from tripartite.game import Game, payoff_scale

SHAPES = [(2, 2), (2, 2, 2), (2, 3, 2), (3, 3, 3)]


#: Payoffs are multiples of this: integers plus, here and there, a near-tie of 1e-4 (at the scale
#: 1e-6 such a gain is 1e-10, below an absolute tolerance of 1e-9 but clearly not a tie)
UNIT = 1e-4


@st.composite
def integer_games(draw, shapes=SHAPES, bound: int = 3):
    """A game with payoffs integers in [-bound, bound] give or take ``UNIT`` (ties are frequent).

    Drawn from a seed (numpy), with one shift per player in [-1e4, 1e4]: cheap to generate.
    """
    shape = draw(st.sampled_from(shapes))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    size = (len(shape), *shape)
    units = rng.integers(-bound, bound + 1, size=size) * 10_000 + rng.choice([-1, 0, 0, 0, 1], size=size)
    return units * UNIT, rng.integers(-10_000, 10_001, size=len(shape)).astype(float)


def _variants(u: np.ndarray, shifts: np.ndarray) -> dict[str, np.ndarray]:
    """The game, scaled by 1e-6 and 1e6, and each player's payoffs shifted by ``shifts`` times the scale."""
    scale = first_principles.payoff_scale(u)
    offset = (shifts * scale).reshape(-1, *([1] * (u.ndim - 1)))
    return {"1": u, "x1e-6": u * 1e-6, "x1e6": u * 1e6, "shifted": u + offset}


def _batch(arrays) -> Game:
    """One batched game, a point per payoff array (``Game.from_array`` could take the batch for players)."""
    arrays = list(arrays)
    return dataclasses.replace(Game.from_array(arrays[0]), payoffs=np.stack(arrays))


def _vertex_labels_by_hand(u: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Pure equilibrium, strict equilibrium and vertex classification code of every profile, from the definition.

    The gains (the vertex eigenvalues) are computed exactly, in integer multiples of ``UNIT``.
    """
    u = np.rint(u / UNIT).astype(np.int64)
    shape = u.shape[1:]
    eq = np.zeros(shape, dtype=bool)
    strict = np.zeros(shape, dtype=bool)
    codes = np.zeros(shape, dtype=int)
    for v in itertools.product(*map(range, shape)):
        gains = [
            u[(i, *v[:i], t, *v[i + 1 :])] - u[(i, *v)]
            for i in range(len(shape))
            for t in range(shape[i])
            if t != v[i]
        ]
        eq[v] = all(g <= 0 for g in gains)
        strict[v] = all(g < 0 for g in gains)
        if any(g == 0 for g in gains):
            codes[v] = CLASSIFICATIONS.index("non-hyperbolic")
        elif strict[v]:
            codes[v] = CLASSIFICATIONS.index("asymptotically stable")
        elif all(g > 0 for g in gains):
            codes[v] = CLASSIFICATIONS.index("unstable")
        else:
            codes[v] = CLASSIFICATIONS.index("saddle")
    return eq, strict, codes


@settings(max_examples=12, deadline=None)
@given(integer_games())
def test_pure_equilibria_and_vertex_labels_do_not_depend_on_units_or_offsets(game):
    u, shifts = game
    eq, strict, codes = _vertex_labels_by_hand(u)
    variants = _variants(u, shifts)
    g = _batch(variants.values())  # one batch: each point has its own scale
    pure, stab = pure_equilibria(g), vertex_stability(g)
    for b, name in enumerate(variants):
        assert np.array_equal(pure.equilibrium[b], eq), name
        assert np.array_equal(pure.strict[b], strict), name
        assert np.array_equal(stab.codes[b], codes), name


def test_payoff_scale_is_shift_invariant_and_linear_per_point():
    u = np.array([[[[3.0, 0], [5, 1]], [[3, 5], [0, 1]]], np.zeros((2, 2, 2))])  # a batch: PD, all zero
    assert payoff_scale(u).tolist() == [5.0, 1.0]
    assert payoff_scale(4 * u + np.array([7.0, -2.0]).reshape(1, 2, 1, 1)).tolist() == [20.0, 1.0]
    pd = Game.from_array(1e-6 * u[0])
    assert pure_equilibria(pd).to_record()["payoff_scale"] == pytest.approx(5e-6, rel=1e-12)
    assert vertex_stability(pd).to_record()["payoff_scale"] == pytest.approx(5e-6, rel=1e-12)


def _summary(eqs) -> tuple:
    profiles = sorted(tuple(np.round(np.concatenate(e.strategies), 6)) for e in eqs)
    return profiles, eqs.complete, eqs.degenerate


def _equilibria_at_every_scale(u: np.ndarray, shifts: np.ndarray):
    """The variants of a game and their equilibria, solved in one batch (each point has its own
    payoff scale), checked to be the same list at every scale and Nash from first principles."""
    variants = _variants(u, shifts)
    sets = all_equilibria_batch(_batch(variants.values()), time_limit=20)
    reference = _summary(sets[0])
    for (name, v), eqs in zip(variants.items(), sets):
        assert _summary(eqs) == reference, name
        for e in eqs:
            first_principles.assert_nash(v, e)
    return variants, sets


@pytest.mark.slow
@settings(max_examples=15, deadline=None)
@given(integer_games(shapes=[(2, 2), (2, 2, 2), (2, 3, 2)]))
def test_all_equilibria_and_their_labels_do_not_depend_on_units_or_offsets(game):
    variants, sets = _equilibria_at_every_scale(*game)
    for v, eqs in zip(variants.values(), sets):
        assert eqs.to_record()["payoff_scale"] == pytest.approx(first_principles.payoff_scale(v), rel=1e-12)
    # the mixed equilibria are rest points of the replicator dynamics: the same label at every scale
    for e in sets[0]:
        if e.pure:
            continue
        labels = {
            rest_point_stability(Game.from_array(v), list(e.strategies)).label() for v in variants.values()
        }
        assert len(labels) == 1, labels


@pytest.mark.slow
@settings(max_examples=4, deadline=None)
@given(integer_games(shapes=[(3, 3, 3)], bound=20))
def test_three_by_three_by_three_equilibria_do_not_depend_on_units_or_offsets(game):
    _equilibria_at_every_scale(*game)


@pytest.mark.slow
@settings(max_examples=5, deadline=None)
@given(integer_games(shapes=[(2, 2), (2, 2, 2)]))
def test_rest_points_of_solve_do_not_depend_on_units_or_offsets(game):
    from tripartite.solution import solve

    u, shifts = game

    def rest_points(v):
        rec = solve(Game.from_array(v), all_equilibria=True).to_record()
        rows = sorted(
            (
                r["kind"],
                tuple(round(s, 6) for x in r["strategies"].values() for s in x.values()),
                r["classification"],
                r["nash_equilibrium"],
            )
            for r in rec["rest_points"]
        )
        return rows, rec["rest_points_complete"], rec["complete"], rec["degenerate"]

    reference = rest_points(u)
    for name, v in _variants(u, shifts).items():
        assert rest_points(v) == reference, name


# --- the audit's cases ------------------------------------------------------------------------


def _near_tie_game() -> np.ndarray:
    """A generic 3x3x3 game (range 10) where player 1 gains 6.4e-5 of the range by leaving (s1, s1, s1)."""
    rng = np.random.default_rng(7)
    u = rng.integers(0, 1001, size=(3, 3, 3, 3)) / 100.0
    u[0, 1, 0, 0] = u[0, 0, 0, 0] + 0.00064
    u[0, 2, 0, 0] = u[0, 0, 0, 0] - 3
    u[1, 0, 1:, 0] = u[1, 0, 0, 0] - np.array([2, 4])
    u[2, 0, 0, 1:] = u[2, 0, 0, 0] - np.array([1, 5])
    return u


#: pygambit's enumpoly_solve on the game of _near_tie_game (at scale 1), first strategies first
NEAR_TIE_EQUILIBRIA = [
    [0.628778, 0.062965, 0.308257, 0.0, 0.0, 1.0, 0.566295, 0.376811, 0.056895],
    [0.881936, 0.118064, 0.0, 1.0, 0.0, 0.0, 0.999812, 0.000188, 0.0],
    [1.0, 0.0, 0.0, 0.697885, 0.0, 0.302115, 0.452055, 0.547945, 0.0],
]


def _matches(eqs, expected) -> bool:
    found = sorted(np.concatenate(e.strategies).tolist() for e in eqs)
    return len(found) == len(expected) and all(
        np.allclose(a, b, atol=1e-6) for a, b in zip(found, sorted(expected))
    )


def test_a_game_scaled_by_1e_minus_6_has_no_false_equilibrium_and_misses_none():
    # with an absolute tolerance of 1e-9, (s1, s1, s1) passed as a (tied) equilibrium at this scale:
    # its regret, 6.4e-10, is 6.4e-5 of the payoff range; and (0.88, 0.12, 0; ...) was missed
    u = _near_tie_game() * 1e-6
    eqs = all_equilibria(Game.from_array(u))
    assert eqs.complete and not eqs.degenerate
    assert _matches(eqs, NEAR_TIE_EQUILIBRIA)
    for e in eqs:
        first_principles.assert_nash(u, e)
    assert pure_equilibria(Game.from_array(u)).profiles() == []


def test_small_payoffs_shifted_by_1e4_stay_complete_and_nondegenerate():
    # with thresholds scaled by max |u| = 1e4, a support of this game was taken for a continuum:
    # "not complete, degenerate"
    u = np.random.default_rng(7).normal(size=(3, 3, 3, 3)) * 1e-3
    eqs = all_equilibria(Game.from_array(u + np.array([1e4, -1e4, 5e3]).reshape(3, 1, 1, 1)))
    assert eqs.complete and not eqs.degenerate, eqs.notes
    expected = [  # pygambit's enumpoly_solve on the unshifted game
        [0.0, 1.0, 0.0, 0.873246, 0.0, 0.126754, 0.0, 0.706163, 0.293837],
        [0.421479, 0.578521, 0.0, 0.933544, 0.0, 0.066456, 0.0, 1.0, 0.0],
        [1.0, 0.0, 0.0, 0.440727, 0.0, 0.559273, 0.0, 0.453563, 0.546437],
    ]
    assert _matches(eqs, expected)


@pytest.mark.slow
def test_the_audit_games_agree_with_pygambit_at_every_scale():
    from tests.equilibria.gambit_reference import enumpoly

    for u in (_near_tie_game(), np.random.default_rng(7).normal(size=(3, 3, 3, 3)) * 1e-3):
        expected = [np.concatenate(e).tolist() for e in enumpoly(u)]
        for v in (u, u * 1e-6, u * 1e6, u + np.array([1e4, -1e4, 5e3]).reshape(3, 1, 1, 1)):
            eqs = all_equilibria(Game.from_array(v))
            assert eqs.complete and _matches(eqs, expected)


@pytest.mark.slow
def test_the_local_search_finds_the_same_equilibria_at_every_scale():
    # with the minimiser's stopping rule in payoff units, it stopped early at 1e-6 (and 1e6) and
    # found fewer equilibria
    from tripartite.equilibria import local_equilibria

    u = np.random.default_rng(1).normal(size=(3, 3, 3, 3))
    found = []
    for v in (u, u * 1e-6, u * 1e6, u + np.array([1e4, -1e4, 5e3]).reshape(3, 1, 1, 1)):
        eqs = local_equilibria(Game.from_array(v), starts=4)
        for e in eqs:
            first_principles.assert_nash(v, e)
        found.append(_summary(eqs))
    assert all(f == found[0] for f in found) and len(found[0][0]) == 3
