import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

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


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.integers(2, 3), min_size=2, max_size=4),
    st.integers(0, 2**31 - 1),
)
def test_deviation_gains_definition(shape, seed):
    g = random_game(tuple(shape), seed=seed, integer=True)
    gains = deviation_gains(g.payoffs)
    u = g.payoffs[0]
    for prof in np.ndindex(*shape):
        for i, m in enumerate(shape):
            alts = [u[(i, *prof[:i], t, *prof[i + 1 :])] for t in range(m) if t != prof[i]]
            assert gains[i][(0, *prof)] == max(alts) - u[(i, *prof)]


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
