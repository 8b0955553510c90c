"""The 2x2x2 closed form: hand-worked games, pygambit, properties."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from tests.conftest import brute_force_pure
from tests.equilibria import first_principles
from tests.equilibria.gambit_reference import enumpoly
from tripartite.equilibria import all_equilibria, all_equilibria_batch, closed_form_2x2x2
from tripartite.game import Game


def mckelvey_mclennan() -> np.ndarray:
    """McKelvey & McLennan's 2x2x2 game: 9 equilibria, 2 totally mixed."""
    u = np.zeros((3, 2, 2, 2))
    for prof, pay in {
        (0, 0, 0): (9, 8, 12),
        (1, 1, 0): (9, 8, 2),
        (0, 1, 1): (3, 4, 6),
        (1, 0, 1): (3, 4, 6),
    }.items():
        u[(slice(None), *prof)] = pay
    return u


def nau() -> np.ndarray:
    """Nau et al.'s 2x2x2 game with a continuum of totally mixed equilibria."""
    u = np.zeros((3, 2, 2, 2))
    outcomes = [(0, 0, 2), (3, 0, 0), (0, 3, 0), (0, 0, 0), (1, 1, 0), (0, 0, 0), (0, 0, 0), (0, 0, 3)]
    k = 0
    for s3 in range(2):
        for s2 in range(2):
            for s1 in range(2):
                u[:, s1, s2, s3] = outcomes[k]
                k += 1
    return u


# McKelvey & McLennan's 9 equilibria by hand, as each player's probability of its first strategy.
# With D_1 = 3(1 - 2 p_2)(1 - 4 p_3), D_2 = 4(1 - 2 p_1)(1 - 3 p_3), D_3 = 2 - 8 p_1 - 8 p_2 + 26 p_1 p_2:
# pure: the sign of each D_i at the profile agrees with the strategy played (4 of 8 profiles);
# one player pure: e.g. p_1 = 0 gives D_2 = 0 at p_3 = 1/3 and D_3 = 0 at p_2 = 1/4, and D_1 = -1/2 < 0
# confirms p_1 = 0 (3 of 6 faces); totally mixed: the two roots of the quadratic (see the test below).
F = Fraction
MM_EQUILIBRIA = [
    (F(1), F(1), F(1)),
    (F(1), F(0), F(0)),
    (F(0), F(1), F(0)),
    (F(0), F(0), F(1)),
    (F(1, 2), F(1, 2), F(1)),
    (F(0), F(1, 4), F(1, 3)),
    (F(1, 3), F(1), F(1, 4)),
    (F(2, 5), F(1, 2), F(1, 3)),
    (F(1, 2), F(2, 5), F(1, 4)),
]


def in_nau_equilibrium_set(p: tuple[float, ...], atol: float = 1e-9) -> bool:
    """Whether first-strategy probabilities ``p`` are a Nash equilibrium of :func:`nau`, by hand.

    D_1 = p_2 (1 - 4 p_3), D_2 = p_1 (1 - 4 p_3), D_3 = 3 p_1 + 3 p_2 - p_1 p_2 - 3.  Working through
    the faces, the equilibria are the profile (0, 0, 0), the segments (1, 0, t) and (0, 1, t) for
    t in [1/4, 1], and the curve p_3 = 1/4, p_2 = 3 (1 - p_1) / (3 - p_1), p_1 in [0, 1].
    """
    p1, p2, p3 = p
    if max(abs(p1), abs(p2), abs(p3)) <= atol:
        return True
    on_segment = (abs(p1 - 1) <= atol and abs(p2) <= atol) or (abs(p1) <= atol and abs(p2 - 1) <= atol)
    if on_segment and 0.25 - atol <= p3 <= 1 + atol:
        return True
    return abs(p3 - 0.25) <= atol and -atol <= p1 <= 1 + atol and abs(p2 - 3 * (1 - p1) / (3 - p1)) <= atol


def as_first_probs(eqs) -> list[tuple[float, ...]]:
    return sorted(tuple(round(float(x[0]), 9) for x in e.strategies) for e in eqs)


def test_mckelvey_mclennan_two_totally_mixed_equilibria():
    # by hand: D_1 = 3(1 - 2 p_2)(1 - 4 p_3), D_2 = 4(1 - 2 p_1)(1 - 3 p_3), D_3 = 2 - 8 p_1 - 8 p_2 + 26 p_1 p_2
    # p_2 = 1/2, p_3 = 1/3 gives p_1 = 2/5; p_3 = 1/4, p_1 = 1/2 gives p_2 = 2/5
    cf = closed_form_2x2x2(mckelvey_mclennan()[None])
    assert not cf.degenerate[0] and cf.count()[0] == 9
    totally = sorted(tuple(p) for p in cf.probs[0, 14:][cf.valid[0, 14:]])
    assert np.allclose(totally, [(0.4, 0.5, 1 / 3), (0.5, 0.4, 0.25)], atol=1e-12)
    eqs = all_equilibria(Game.from_array(mckelvey_mclennan()))
    assert eqs.complete and not eqs.degenerate and len(eqs) == 9
    assert sum(e.pure for e in eqs) == 4
    expected = sorted(tuple(float(q) for q in p) for p in MM_EQUILIBRIA)
    assert np.allclose(as_first_probs(eqs), expected, atol=1e-9)


def test_the_hand_worked_mckelvey_mclennan_equilibria_are_exact():
    # each hand-worked profile has regret exactly 0 (the definition, in rationals)
    u = mckelvey_mclennan()
    for p in MM_EQUILIBRIA:
        assert first_principles.regret(u, [[q, 1 - q] for q in p]) == 0


def test_matching_pennies_three_ways_has_no_pure_equilibrium():
    # player 1 wants to match player 2, player 2 to match player 3, player 3 to mismatch player 1
    u = np.zeros((3, 2, 2, 2))
    for s in np.ndindex(2, 2, 2):
        u[(0, *s)] = 1 if s[0] == s[1] else -1
        u[(1, *s)] = 1 if s[1] == s[2] else -1
        u[(2, *s)] = 1 if s[2] != s[0] else -1
    eqs = all_equilibria(Game.from_array(u))
    assert [e.pure for e in eqs] == [False]
    assert np.allclose([x[0] for x in eqs[0].strategies], 0.5)


def test_continuum_is_described_as_components_not_sampled():
    eqs = all_equilibria(Game.from_array(nau()))
    # degenerate, and complete because every component is listed
    assert eqs.degenerate and eqs.complete
    assert "components listed" in eqs.notes[0]
    # every profile listed lies in the equilibrium set worked out by hand; the pure one is there
    assert all(in_nau_equilibrium_set(p) for p in as_first_probs(eqs))
    assert (0.0, 0.0, 0.0) in as_first_probs(eqs)
    for e in eqs:
        first_principles.assert_nash(nau(), e)
        assert eqs.components[e.component].contains(e.strategies)
    # the hand-worked set, point by point, lies in the components: the segments (1, 0, t), (0, 1, t)
    # for t in [1/4, 1] and the curve p_3 = 1/4, p_2 = 3(1 - p_1)/(3 - p_1)
    points = [(0.0, 0.0, 0.0)]
    points += [(a, 1 - a, t) for a in (0.0, 1.0) for t in np.linspace(0.25, 1, 7)]
    points += [(p1, 3 * (1 - p1) / (3 - p1), 0.25) for p1 in np.linspace(0, 1, 9)]
    for p in points:
        profile = [np.array([q, 1 - q]) for q in p]
        assert eqs.components.find(profile) is not None, p
    # and nothing else: a dense sample of the cube, each point in a component iff in the set by hand
    rng = np.random.default_rng(5)
    for p in rng.random((200, 3)):
        profile = [np.array([q, 1 - q]) for q in p]
        assert (eqs.components.find(profile) is not None) == in_nau_equilibrium_set(tuple(p))
    dims = sorted(c.dimension for c in eqs.components)
    assert dims == [0, 0, 0, 1, 1, 1]  # 3 pure profiles (2 are segment ends), 2 segments, 1 curve
    curve = [c for c in eqs.components if c.support == ((0, 1), (0, 1), (0, 1))]
    assert len(curve) == 1 and curve[0].dimension == 1 and curve[0].vertices is None
    # the segments and the curve meet: one connected set, and the isolated pure equilibrium (0, 0, 0)
    assert len({c.connected for c in eqs.components}) == 2


def test_vectorised_batch_against_pygambit():
    rng = np.random.default_rng(20240601)
    u = rng.normal(size=(150, 3, 2, 2, 2))
    cf = closed_form_2x2x2(u)
    assert cf.probs.shape == (150, 16, 3) and not cf.degenerate.any()
    extra = 0
    for b in range(u.shape[0]):
        ours = cf.probs[b][cf.valid[b]]
        ref = enumpoly(u[b])
        for prof in ref:
            first = np.array([x[0] for x in prof])
            assert np.min(np.max(np.abs(ours - first), axis=1)) <= 1e-6, (b, prof)
        extra += len(ours) - len(ref)
        assert len(ours) % 2 == 1  # a nondegenerate game has an odd number of equilibria (Wilson 1971)
        for p in ours:  # anything extra is an equilibrium, by the definition
            assert first_principles.regret(u[b], [[q, 1 - q] for q in p]) <= 1e-9 * np.abs(u[b]).max()
    assert extra >= 0


def test_batch_sets_match_single_points():
    rng = np.random.default_rng(3)
    game = Game.from_array(rng.normal(size=(5, 3, 2, 2, 2)))
    sets = all_equilibria_batch(game)
    for b, s in enumerate(sets):
        single = all_equilibria(Game.from_array(game.payoffs[b]))
        assert as_first_probs(s) == as_first_probs(single)


payoff_arrays = arrays(np.float64, (3, 2, 2, 2), elements=st.integers(-20, 20).map(float))


@settings(max_examples=40, deadline=None)
@given(payoff_arrays)
@pytest.mark.slow
def test_every_returned_profile_is_an_equilibrium_by_the_definition(u):
    eqs = all_equilibria(Game.from_array(u))
    assert len(eqs) >= 1  # Nash: every finite game has one
    for e in eqs:
        first_principles.assert_nash(u, e, eqs.tolerance)
    # every pure equilibrium is listed (brute force over profiles, plain loops)
    assert sorted(e.pure_profile for e in eqs if e.pure) == brute_force_pure(u, eqs.tolerance)[0]
    if eqs.complete and not eqs.degenerate:  # every equilibrium regular, so an odd number (Wilson 1971)
        assert len(eqs) % 2 == 1
    if eqs.complete and eqs.degenerate:  # complete because every component is listed, each with a point
        assert {e.component for e in eqs} == set(range(len(eqs.components)))
        for e in eqs:
            assert eqs.components[e.component].contains(e.strategies)


@settings(max_examples=60, deadline=None)
@given(
    st.integers(0, 2**32 - 1),
    st.permutations([0, 1, 2]),
    st.lists(st.booleans(), min_size=3, max_size=3),
)
def test_permuting_players_and_strategies_permutes_equilibria(seed, perm, flips):
    u = np.random.default_rng(seed).normal(size=(3, 2, 2, 2))
    eqs = all_equilibria(Game.from_array(u))
    # relabel: player k of the new game is player perm[k] of the old; flip strategies where asked
    v = np.transpose(u[list(perm)], [0] + [1 + p for p in perm])
    for k, flip in enumerate(flips):
        if flip:
            v = np.flip(v, axis=1 + k)
    eqs2 = all_equilibria(Game.from_array(v.copy()))
    assert eqs.complete and eqs2.complete
    mapped = []
    for e in eqs:
        xs = [e.strategies[p] for p in perm]
        xs = [x[::-1] if flip else x for x, flip in zip(xs, flips)]
        mapped.append(tuple(round(float(x[0]), 7) for x in xs))
    assert sorted(mapped) == sorted(tuple(round(float(x[0]), 7) for x in e.strategies) for e in eqs2)


def test_wrong_shape_is_refused():
    with pytest.raises(ValueError, match="2, 2, 2"):
        closed_form_2x2x2(np.zeros((1, 3, 2, 2)))


def test_degenerate_game_where_floating_point_finds_nothing_is_solved_exactly():
    # found by hypothesis in CI: every equilibrium lies where floating point cannot decide;
    # Nash's theorem says there is one, so the float result is never left empty
    u = np.array(
        [
            [[[-1.0, 0.0], [1.0, 0.0]], [[0.0, -1.0], [0.0, 0.0]]],
            [[[0.0, 0.0], [-1.0, 1.0]], [[0.0, 0.0], [0.0, -1.0]]],
            [[[0.0, 0.0], [0.0, -1.0]], [[0.0, 1.0], [0.0, 0.0]]],
        ]
    )
    game = Game.from_array(u)
    eqs = all_equilibria(game)
    assert len(eqs) >= 1
    assert eqs.degenerate and eqs.complete  # complete: its components are all listed
    for e in eqs:
        first_principles.assert_nash(u, e)
        assert eqs.components[e.component].contains(e.strategies)
