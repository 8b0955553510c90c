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


# --- the numeric kernel, against explicit loops over profiles -------------------------------------

import itertools  # noqa: E402

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from tripartite.game import (  # noqa: E402
    STATE_TOL,
    check_state,
    cross_payoffs,
    deviation_gains,
    payoff_vectors,
    shares_from_log,
    vertex_gains,
)

SHAPES = [(2, 2), (2, 3), (2, 2, 2), (3, 3, 3), (2, 3, 4), (2, 2, 2, 2), (3, 2, 2, 3)]


def _batched_game(shape, seed, batch):
    # built directly: Game.from_array cannot tell (3, 2, 2, 2) "3 points of a 2x2 game" from "one 2x2x2 game"
    u = np.random.default_rng(seed).normal(size=(batch, len(shape), *shape))
    return Game(tuple(f"P{i}" for i in range(len(shape))), tuple(tuple(map(str, range(m))) for m in shape), u)


def _loop_payoff_vectors(u, xs):
    """u_i(s, x_-i) by an explicit sum over the others' pure profiles (one point)."""
    n = len(xs)
    out = [np.zeros(len(x)) for x in xs]
    for prof in itertools.product(*(range(len(x)) for x in xs)):
        for i in range(n):
            w = np.prod([xs[j][prof[j]] for j in range(n) if j != i])
            out[i][prof[i]] += w * u[(i, *prof)]
    return out


def _loop_cross(u, xs, i, j):
    n = len(xs)
    c = np.zeros((len(xs[i]), len(xs[j])))
    for prof in itertools.product(*(range(len(x)) for x in xs)):
        w = np.prod([xs[k][prof[k]] for k in range(n) if k not in (i, j)])
        c[prof[i], prof[j]] += w * u[(i, *prof)]
    return c


@pytest.mark.parametrize("shape", SHAPES)
def test_payoff_vectors_and_cross_payoffs_equal_explicit_sums(shape):
    g = _batched_game(shape, seed=sum(shape), batch=3)
    rng = np.random.default_rng(len(shape))
    xs = [rng.dirichlet(np.ones(m), size=3) for m in shape]
    vs = payoff_vectors(g.payoffs, xs)
    for b in range(3):
        point = [x[b] for x in xs]
        ref = _loop_payoff_vectors(g.payoffs[b], point)
        for i in range(len(shape)):
            assert np.allclose(vs[i][b], ref[i])
            assert np.allclose(strategy_payoffs(g.payoffs, xs, i)[b], ref[i])
            for j in range(len(shape)):
                if j != i:
                    assert np.allclose(
                        cross_payoffs(g.payoffs, xs, i, j)[b], _loop_cross(g.payoffs[b], point, i, j)
                    )
    with pytest.raises(ValueError):
        cross_payoffs(g.payoffs, xs, 0, 0)


@pytest.mark.parametrize("shape", SHAPES)
def test_vertex_and_deviation_gains_equal_explicit_switches(shape):
    g = _batched_game(shape, seed=7 + len(shape), batch=2)
    vg = vertex_gains(g.payoffs)
    dg = deviation_gains(g.payoffs)
    for b in range(2):
        for prof in itertools.product(*(range(m) for m in shape)):
            for i, m in enumerate(shape):
                here = g.payoffs[(b, i, *prof)]
                switched = [g.payoffs[(b, i, *prof[:i], t, *prof[i + 1 :])] - here for t in range(m)]
                assert np.allclose(vg[i][(b, *prof)], switched)
                assert switched[prof[i]] == 0
                best = max(switched[t] for t in range(m) if t != prof[i])
                assert dg[i][(b, *prof)] == pytest.approx(best)


def test_deviation_gains_of_a_single_strategy_player_are_minus_infinity():
    g = Game.from_array(np.arange(6, dtype=float).reshape(2, 1, 3))
    assert np.all(deviation_gains(g.payoffs)[0] == -np.inf)
    assert vertex_gains(g.payoffs)[0].shape == (1, 1, 3, 1)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.integers(-5, 5), min_size=12, max_size=12),
    st.integers(0, 3),
)
def test_ties_among_three_strategies(values, dup):
    # integer payoffs with ties: the best alternative is found even when payoffs repeat
    u = np.array(values, dtype=float).reshape(1, 2, 3, 2)
    u[0, 0, dup % 3] = u[0, 0, (dup + 1) % 3]
    dg = deviation_gains(u)[0][0]
    for s in range(3):
        for t2 in range(2):
            alt = max(u[0, 0, t, t2] for t in range(3) if t != s)
            assert dg[s, t2] == alt - u[0, 0, s, t2]


def test_check_state_accepts_within_tolerance_and_renormalises():
    x = check_state([[0.5, 0.5 + 0.5 * STATE_TOL], [1.0, 0.0]], (2, 2))
    assert x[0].sum() == pytest.approx(1.0, abs=1e-15)
    batched = check_state([np.array([[0.2, 0.8], [0.5, 0.5]]), [1.0, 0.0]], (2, 2), batched=True)
    assert batched[0].shape == (2, 2)


@pytest.mark.parametrize(
    "state, match",
    [
        ([[0.5, 0.6], [1.0, 0.0]], "sum to 1"),
        ([[1.2, -0.2], [1.0, 0.0]], "non-negative"),
        ([[np.nan, 1.0], [1.0, 0.0]], "finite"),
        ([[1.0, 0.0, 0.0], [1.0, 0.0]], "needs 2 shares"),
        ([[1.0, 0.0]], "one probability vector per player"),
    ],
)
def test_check_state_refuses_with_one_message(state, match):
    with pytest.raises(TripartiteError, match=match):
        check_state(state, (2, 2), ["government", "platform"])


def test_shares_from_log_is_a_softmax_per_player_and_does_not_overflow():
    z = np.array([[1000.0, 999.0, 0.0, 0.0, 0.0], [0.0, 0.0, -50.0, 0.0, 50.0]])
    x = shares_from_log(z, (2, 3))
    assert np.allclose(x[:, :2].sum(axis=1), 1) and np.allclose(x[:, 2:].sum(axis=1), 1)
    assert x[0, 0] == pytest.approx(1 / (1 + np.exp(-1)))
    # the transposed layout of the batched integrator: players along axis 0, with a support mask
    mask = np.array([[1, 1], [1, 0], [1, 1], [0, 1], [1, 1]])
    xt = shares_from_log(z.T, (2, 3), axis=0, mask=mask)
    assert xt[1, 1] == 0 and xt[3, 0] == 0
    assert np.allclose(xt[:2].sum(axis=0), 1) and np.allclose(xt[2:].sum(axis=0), 1)


def test_take_selects_points_and_their_parameters():
    from tripartite import load_model

    game = load_model("baseline").game(nu=[0.0, 0.25, 0.5, 1.0])
    sub = game.take([3, 1])
    assert sub.batch_size == 2 and sub.parameters["nu"].tolist() == [1.0, 0.25]
    assert np.array_equal(sub.payoffs, game.payoffs[[3, 1]])
    assert game.point(2).parameters["nu"].tolist() == [0.5]
    with pytest.raises(TripartiteError, match="out of range"):
        game.take([4])
    single = load_model("baseline").game()
    assert single.point(0) is single
