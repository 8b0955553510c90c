import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tripartite import load_model
from tripartite.dynamics.replicator import reduced_jacobian
from tripartite.dynamics.stability import (
    ASYMPTOTICALLY_STABLE,
    NON_HYPERBOLIC,
    SADDLE,
    UNSTABLE,
    classify,
    rest_point_stability,
    vertex_stability,
)
from tripartite.equilibria.pure import pure_equilibria
from tripartite.game import Game, profile_from_indices, vertex_gains

from ..conftest import random_game


@pytest.mark.parametrize("shape", [(2, 2, 2), (3, 2, 2), (2, 3, 4), (2, 2, 2, 2)])
def test_vertex_eigenvalues_equal_deviation_gains_and_jacobian(shape):
    g = random_game(shape, seed=11)
    st_ = vertex_stability(g)
    u = g.payoffs[0]
    for prof in np.ndindex(*shape):
        gains = [
            u[(i, *prof[:i], t, *prof[i + 1 :])] - u[(i, *prof)]
            for i, m in enumerate(shape)
            for t in range(m)
            if t != prof[i]
        ]
        assert np.allclose(st_.eigenvalues[(0, *prof)], gains)  # same order
        jac = reduced_jacobian(g.payoffs, profile_from_indices(shape, prof))[0]
        eig = np.linalg.eigvals(jac)
        assert np.allclose(np.sort(eig.real), np.sort(gains)) and np.allclose(eig.imag, 0)


@pytest.mark.parametrize("shape", [(2, 2, 2), (3, 3, 3), (2, 3, 4)])
def test_vertex_eigenvalues_are_the_kernels_vertex_gains(shape):
    # identity with the kernel: the gains of every alternative t != v_i, player by player, in order
    g = random_game(shape, seed=2, batch=3)
    gains = vertex_stability(g).eigenvalues
    kernel = vertex_gains(g.payoffs)
    for v in np.ndindex(*shape):
        expected = [
            kernel[i][(slice(None), *v, t)] for i, m in enumerate(shape) for t in range(m) if t != v[i]
        ]
        np.testing.assert_array_equal(gains[(slice(None), *v)], np.stack(expected, axis=-1))


def test_classify_codes():
    tol = 1e-9
    assert classify(np.array([-1.0, -2.0]), tol) == ASYMPTOTICALLY_STABLE
    assert classify(np.array([1.0, 2.0]), tol) == UNSTABLE
    assert classify(np.array([1.0, -2.0]), tol) == SADDLE
    assert classify(np.array([0.0, -2.0]), tol) == NON_HYPERBOLIC
    assert classify(np.array([1e-12, 5.0]), tol) == NON_HYPERBOLIC
    # one eigenvalue array per entry gives the same codes as a stacked last axis
    rng = np.random.default_rng(0)
    parts = [rng.choice([-1.0, 0.0, 1.0], size=(4, 5)) for _ in range(3)]
    np.testing.assert_array_equal(classify(parts, tol), classify(np.stack(parts, axis=-1), tol))
    # signs, as symbolic code has them: tol = 0 decides on the sign alone
    assert classify(np.array([-1, -1]), 0) == ASYMPTOTICALLY_STABLE
    assert classify(np.array([-1, 0]), 0) == NON_HYPERBOLIC


@settings(max_examples=80, deadline=None)
@given(st.lists(st.integers(2, 3), min_size=2, max_size=4), st.integers(0, 2**31 - 1), st.booleans())
def test_strict_equilibria_are_exactly_the_stable_vertices(shape, seed, integer):
    g = random_game(tuple(shape), seed=seed, integer=integer, batch=3)
    eq = pure_equilibria(g)
    st_ = vertex_stability(g)
    assert np.array_equal(eq.strict, st_.stable)
    # and a non-strict equilibrium is never labelled stable: it is non-hyperbolic
    weak = eq.equilibrium & ~eq.strict
    assert np.all(st_.codes[weak] == NON_HYPERBOLIC)


def test_matching_pennies_centre_is_non_hyperbolic():
    pennies = Game.from_array(np.array([[[1, -1], [-1, 1]], [[-1, 1], [1, -1]]], dtype=float))
    rp = rest_point_stability(pennies, [np.array([0.5, 0.5])] * 2)
    assert rp.residual[0] == pytest.approx(0.0)
    assert np.allclose(rp.eigenvalues[0].real, 0.0)
    assert np.allclose(sorted(abs(rp.eigenvalues[0].imag)), [1.0, 1.0])
    assert rp.label() == "non-hyperbolic"
    assert vertex_stability(pennies).stable_profiles() == []


def test_interior_point_of_coordination_game_is_a_saddle():
    coordination = Game.from_array(np.array([[[2, 0], [0, 1]], [[2, 0], [0, 1]]], dtype=float))
    mixed = [np.array([1 / 3, 2 / 3])] * 2
    rp = rest_point_stability(coordination, mixed)
    assert rp.residual[0] == pytest.approx(0.0, abs=1e-12)
    assert rp.label() == "saddle"


def test_vertex_record_is_the_solve_json_rest_points():
    game = load_model("baseline").game(nu=[0.0, 1.0])
    st_ = vertex_stability(game)
    strict = pure_equilibria(game).strict
    for b in range(2):
        rows = st_.to_record(point=b)["rest_points"]
        assert [r["profile"] for r in rows] == [game.profile_names(p) for p in game.profiles()]
        for r, p in zip(rows, game.profiles()):
            assert set(r) == {
                "kind",
                "profile",
                "strategies",
                "eigenvalues",
                "classification",
                "strict_equilibrium",
            }
            assert r["kind"] == "vertex"
            assert r["strategies"] == {
                player: {name: float(k == p[i]) for k, name in enumerate(game.strategies[i])}
                for i, player in enumerate(game.players)
            }
            u = game.payoffs[b]
            gains = [u[(i, *p[:i], 1 - p[i], *p[i + 1 :])] - u[(i, *p)] for i in range(3)]  # by hand
            assert r["eigenvalues"] == [[pytest.approx(x), 0.0] for x in gains]
            assert (
                r["strict_equilibrium"]
                == bool(strict[(b, *p)])
                == (r["classification"] == "asymptotically stable")
            )
    low = st_.to_record()["rest_points"][-1]
    assert low["profile"] == {"government": "passive", "platform": "shirk", "worker": "lapse"}
    assert low["strict_equilibrium"] and all(isinstance(x, float) for e in low["eigenvalues"] for x in e)
    with pytest.raises(IndexError):
        st_.to_record(point=2)


def test_rest_point_labels_are_relative_to_the_payoff_scale():
    # row: D_1 = e (2 y - 1); col (coordination): D_2 = 2 x - 1.  At (1/2, 1/2), by hand,
    # J_12 = e / 2 and J_21 = 1 / 2: eigenvalues +-sqrt(e) / 2, a saddle whatever the units
    e = 1e-8
    u = np.array([[[1, 0], [1 - e, e]], [[1, 0], [0, 1]]])
    half = np.array([0.5, 0.5])
    for f, shift in ((1.0, 0.0), (1e-6, 0.0), (1e6, 0.0), (1.0, 1e4)):  # 5e-11 at 1e-6: below 1e-9
        st = rest_point_stability(Game.from_array(u * f + shift), [half, half])
        assert st.label() == "saddle", (f, shift)
        assert np.sort(st.eigenvalues[0].real) == pytest.approx(
            [-f * np.sqrt(e) / 2, f * np.sqrt(e) / 2], rel=1e-4
        )
        assert st.payoff_scale[0] == pytest.approx(f)
