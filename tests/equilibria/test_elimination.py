"""Elimination: polynomial tools, kernels certified by the Bezout count, against the homotopy and pygambit."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.equilibria import first_principles
from tests.equilibria.gambit_reference import enumpoly
from tests.equilibria.test_mixed import mckelvey_mclennan
from tripartite.equilibria import all_equilibria, all_equilibria_batch, enumeration
from tripartite.equilibria.elimination import (
    _sylvester,
    candidates,
    canonical_shape,
    interpolate,
    kernel_for,
    null_vectors,
    poly_roots,
    signed_minors,
    solve_totally_mixed,
    unit_roots,
)
from tripartite.equilibria.homotopy import _build_paths, track
from tripartite.equilibria.indifference import chart_system, indifference_rows
from tripartite.equilibria.supports import bezout_number
from tripartite.game import Game

# ---------------------------------------------------------------------------------------
# polynomial tools, by hand
# ---------------------------------------------------------------------------------------


def test_interpolation_at_roots_of_unity_recovers_coefficients():
    c = np.array([3.0, -1.0, 0.5, 2.0, -4.0])
    w = unit_roots(5)
    values = sum(ck * w**k for k, ck in enumerate(c))
    assert np.allclose(interpolate(values), c, atol=1e-13)


def test_poly_roots_batched_and_with_a_vanishing_leading_coefficient():
    # (y - 1)(y + 2)(y - 0.5) and (y - 3)(y + 1) with a zero cubic coefficient
    c = np.array([[1.0, -2.5, 0.5, 1.0], [-3.0, -2.0, 1.0, 0.0]])
    r = poly_roots(c)
    assert np.allclose(np.sort_complex(r[0]), [-2, 0.5, 1])
    small = np.sort(r[1][np.abs(r[1]) < 1e6].real)  # the third root is sent far away
    assert np.allclose(small, [-1, 3])


def test_sylvester_determinant_is_the_resultant():
    # Res(y - a, y - b) = b - a up to sign; Res(y^2 - 1, y - 1) = 0
    p = np.array([-2.0, 1.0])  # y - 2
    q = np.array([-5.0, 1.0])  # y - 5
    assert abs(abs(np.linalg.det(_sylvester(p, q))) - 3) < 1e-12
    assert abs(np.linalg.det(_sylvester(np.array([-1.0, 0.0, 1.0]), np.array([-1.0, 1.0])))) < 1e-12


def test_minors_and_null_vectors_span_the_kernel():
    A = np.random.default_rng(0).normal(size=(6, 3, 4))
    for v in (signed_minors(A), null_vectors(A)):
        assert np.abs(np.einsum("pra,pa->pr", A, v)).max() < 1e-12 * np.abs(v).max()
    assert signed_minors(np.array([[1.0, 2.0]])).tolist() == [2.0, -1.0]


def test_kernels_and_canonical_order():
    assert [kernel_for(k) for k in [(3, 3), (2, 3), (2, 2, 2), (2, 4, 3), (3, 3, 3), (2, 2, 2, 2)]] == [
        "linear",
        None,
        "hidden",
        "hidden",
        "3x3x3",
        "2x2x2x2",
    ]
    assert kernel_for((4, 4, 4)) is None and kernel_for((2, 4, 2)) is None
    assert canonical_shape((2, 4, 3)) == ((4, 3, 2), (1, 2, 0))


# ---------------------------------------------------------------------------------------
# hand-worked totally mixed problems
# ---------------------------------------------------------------------------------------


def _probabilities(sol, k) -> np.ndarray:
    off = np.concatenate([[0], np.cumsum(k)])
    return np.concatenate(
        [
            sol.X[:, off[j] : off[j + 1]] / sol.X[:, off[j] : off[j + 1]].sum(axis=1, keepdims=True)
            for j in range(len(k))
        ],
        axis=1,
    )


def test_mckelvey_mclennan_totally_mixed_by_elimination():
    # D_1 = 3(1 - 2 p_2)(1 - 4 p_3), D_2 = 4(1 - 2 p_1)(1 - 3 p_3): a nongeneric game, where the
    # kernel's minors vanish at the roots; Newton's method from the candidates still finds both
    sol = solve_totally_mixed(mckelvey_mclennan()[None], np.random.default_rng(0))
    assert sol.certified.tolist() == [True] and sol.count.tolist() == [2]
    p = _probabilities(sol, (2, 2, 2))[:, ::2].real
    assert np.allclose(sorted(p.tolist()), [[0.4, 0.5, 1 / 3], [0.5, 0.4, 0.25]], atol=1e-12)


def test_rock_paper_scissors_by_the_linear_kernel():
    rps = np.array([[[0, -1, 1], [1, 0, -1], [-1, 1, 0]], [[0, 1, -1], [-1, 0, 1], [1, -1, 0]]], dtype=float)
    sol = solve_totally_mixed(rps[None], np.random.default_rng(0))
    assert sol.certified.tolist() == [True]
    assert np.allclose(_probabilities(sol, (3, 3)), 1 / 3, atol=1e-13)


# ---------------------------------------------------------------------------------------
# every kernel reaches the Bezout number on random problems
# ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "k", [(2, 2), (4, 4), (2, 2, 2), (3, 2, 2), (3, 3, 2), (4, 3, 2), (4, 4, 2), (3, 3, 3), (2, 2, 2, 2)]
)
def test_kernel_finds_the_bezout_number_of_solutions(k):
    U = np.random.default_rng(sum(k) * 7 + len(k)).normal(size=(25, len(k), *k))
    sol = solve_totally_mixed(U, np.random.default_rng(1))
    assert sol.certified.all()
    assert (sol.count == bezout_number(tuple(x - 1 for x in k))).all()
    # each solution solves the system (blocks scaled to unit norm)
    W = [w[sol.job] for w in indifference_rows(U)]
    off = np.concatenate([[0], np.cumsum(k)])
    unit = np.concatenate(
        [
            sol.X[:, off[j] : off[j + 1]]
            / np.linalg.norm(sol.X[:, off[j] : off[j + 1]], axis=1, keepdims=True)
            for j in range(len(k))
        ],
        axis=1,
    )
    H, _ = chart_system(W, sol.chart, unit)
    rows = np.concatenate([np.arange(off[i] + 1, off[i + 1]) for i in range(len(k))])
    assert np.abs(H[:, rows]).max() < 1e-10


def test_candidates_have_the_kernels_sizes():
    U = np.random.default_rng(0).normal(size=(3, 4, 2, 2, 2, 2))
    assert [x.shape for x in candidates(U)] == [(3, 26, 2)] * 4
    assert candidates(U, variant=1)[0].shape == (3, 26, 2) and candidates(U, variant=4) is None


# ---------------------------------------------------------------------------------------
# against the homotopy: the same complex solutions
# ---------------------------------------------------------------------------------------


def _homotopy_solutions(u: np.ndarray) -> np.ndarray:
    """Endpoints of the full-support homotopy of one game, normalised to sum one per block."""
    supp = tuple(tuple(range(m)) for m in u.shape[1:])
    paths, X0, _ = _build_paths(u[None], [(0, supp)], np.random.default_rng(5))
    res = track(paths, X0, float("inf"))
    assert (res.status == 0).all() and (res.cond < 1e10).all()
    off = np.concatenate([[0], np.cumsum(u.shape[1:])])
    return np.concatenate(
        [
            res.X[:, off[j] : off[j + 1]] / res.X[:, off[j] : off[j + 1]].sum(axis=1, keepdims=True)
            for j in range(len(off) - 1)
        ],
        axis=1,
    )


@pytest.mark.parametrize(
    "shape, seed", [((3, 3, 3), 1), ((3, 3, 3), 2), ((2, 3, 4), 3), ((2, 2, 2, 2), 4), ((2, 2, 2, 2), 5)]
)
def test_same_complex_solutions_as_the_homotopy(shape, seed):
    u = np.random.default_rng(seed).normal(size=(len(shape), *shape))
    sol = solve_totally_mixed(u[None], np.random.default_rng(0))
    ours = _probabilities(sol, shape)
    theirs = _homotopy_solutions(u)
    assert len(ours) == len(theirs) == bezout_number(tuple(m - 1 for m in shape))
    for z in theirs:
        assert np.min(np.abs(ours - z).max(axis=1)) < 1e-7


# ---------------------------------------------------------------------------------------
# whole enumeration: elimination against homotopy-only and against pygambit
# ---------------------------------------------------------------------------------------


def _same(a, b) -> None:
    assert len(a) == len(b)
    for e in a:
        assert b.find(e.strategies, 1e-8) is not None


@pytest.mark.parametrize("shape, seed", [((3, 3, 3), 11), ((2, 3, 4), 12), ((2, 2, 2, 2), 13)])
def test_enumeration_agrees_with_homotopy_only(shape, seed, monkeypatch):
    u = np.random.default_rng(seed).normal(size=(2, len(shape), *shape))
    fast = all_equilibria_batch(Game.from_array(u))
    monkeypatch.setattr(enumeration, "kernel_for", lambda k: None)  # every support to the homotopy
    slow = all_equilibria_batch(Game.from_array(u))
    for a, b in zip(fast, slow):
        assert a.complete and b.complete
        _same(a, b)


def test_uncertified_problems_go_to_the_homotopy(monkeypatch):
    u = np.random.default_rng(14).normal(size=(3, 3, 3, 3))
    expected = all_equilibria(Game.from_array(u))
    real = enumeration.solve_totally_mixed

    def nothing_certified(U, rng, scale):
        sol = real(U, rng, scale)
        return type(sol)(sol.X, sol.job, sol.chart, sol.count * 0, sol.certified & False)

    monkeypatch.setattr(enumeration, "solve_totally_mixed", nothing_certified)
    again = all_equilibria(Game.from_array(u))
    assert again.complete
    _same(expected, again)


@pytest.mark.parametrize("shape, n, seed", [((3, 3, 3), 5, 21), ((2, 3, 4), 6, 22), ((2, 2, 2, 2), 8, 23)])
def test_every_enumpoly_equilibrium_is_found(shape, n, seed):
    u = np.random.default_rng(seed).normal(size=(n, len(shape), *shape))
    sets = all_equilibria_batch(Game.from_array(u))
    extra = 0
    for b, eqs in enumerate(sets):
        assert eqs.complete and not eqs.degenerate and eqs.notes == ()
        ref = enumpoly(u[b])
        for prof in ref:
            assert eqs.find(prof, 1e-6) is not None, (b, prof)
        for e in eqs:  # anything extra is an equilibrium, by the definition
            first_principles.assert_nash(u[b], e)
            assert e.regular and e.quasi_strict
        assert len(eqs) % 2 == 1  # complete and nondegenerate: an odd number (Wilson 1971)
        extra += len(eqs) - len(ref)
    assert extra >= 0


def test_time_limit_is_reported_not_hidden():
    u = np.random.default_rng(0).normal(size=(3, 3, 3, 3))
    eqs = all_equilibria(Game.from_array(u), time_limit=0.0)
    assert not eqs.complete
    assert any("time limit" in note for note in eqs.notes)


# ---------------------------------------------------------------------------------------
# properties
# ---------------------------------------------------------------------------------------


@pytest.mark.slow  # exact arithmetic (and the components of degenerate games) on 8 games: 2-10 s
@settings(max_examples=8, deadline=None)
@given(st.integers(0, 2**32 - 1), st.sampled_from([(2, 2, 3), (2, 3, 3), (3, 3)]))
def test_a_complete_float_set_agrees_with_exact_arithmetic(seed, shape):
    # small integer payoffs: ties and continua are common, so the labels are put to the test
    u = np.random.default_rng(seed).integers(-4, 5, size=(len(shape), *shape)).astype(float)
    floats = all_equilibria(Game.from_array(u))
    for e in floats:
        first_principles.assert_nash(u, e, floats.tolerance)
    if not floats.complete:
        assert floats.notes  # never silently incomplete
        return
    exact = all_equilibria(Game.from_array(u), exact=True)
    assert exact.complete
    if floats.degenerate:  # complete because every component is listed: the same components, both ways
        assert exact.degenerate and len(exact.components) == len(floats.components)
        for e in exact:
            assert floats.components.find(e.strategies) is not None
        for e in floats:
            assert exact.components.find(e.strategies) is not None
        return
    assert len(exact) == len(floats)
    for e in exact:
        assert floats.find(e.strategies, 1e-9) is not None
