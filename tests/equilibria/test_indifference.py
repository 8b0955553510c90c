"""Support systems of the full game through the kernel: residuals, Jacobians, quasi-strictness, the local search."""

from __future__ import annotations

import numpy as np
import pytest

from tests.equilibria.first_principles import strategy_payoffs
from tripartite.equilibria.indifference import polish, quasi_strict, regularity, support_residual
from tripartite.equilibria.local import _lyapunov
from tripartite.game import shares_from_log

SHAPES = [(2, 3), (3, 3, 3), (2, 3, 4), (2, 2, 2, 2)]


def _random_support(rng, shape):
    return tuple(
        tuple(sorted(rng.choice(m, size=rng.integers(1, m + 1), replace=False).tolist())) for m in shape
    )


def _vary(xs, supp, y):
    """The profile at affine coordinates ``y``: x_j(s) for s in S_j but the first; the first takes the rest."""
    out = [x.copy() for x in xs]
    k = 0
    for j, S in enumerate(supp):
        for s in S[1:]:
            out[j][s] = y[k]
            k += 1
        out[j][S[0]] = 1 - sum(out[j][s] for s in S[1:])
    return out


@pytest.mark.parametrize("shape", SHAPES)
def test_support_residual_is_the_definition_and_its_jacobian_the_derivative(shape):
    rng = np.random.default_rng(len(shape) + sum(shape))
    for _ in range(10):
        u = rng.normal(size=(len(shape), *shape))
        supp = _random_support(rng, shape)
        xs = [np.zeros(m) for m in shape]  # a profile on the support
        for x, S in zip(xs, supp):
            x[list(S)] = rng.dirichlet(np.ones(len(S)))
        res, jac = support_residual(u, supp, xs)
        v = strategy_payoffs(u, xs)  # explicit sums over profiles
        expected = [float(v[i][s] - v[i][S[0]]) for i, S in enumerate(supp) if len(S) > 1 for s in S[1:]]
        assert np.allclose(res, expected, atol=1e-12)
        y0 = np.array([xs[j][s] for j, S in enumerate(supp) for s in S[1:]])
        assert jac.shape == (len(expected), y0.size)
        h = 1e-6
        for c in range(y0.size):  # central differences: the system is multilinear, so exact up to rounding
            up, down = y0.copy(), y0.copy()
            up[c] += h
            down[c] -= h
            fd = (
                support_residual(u, supp, _vary(xs, supp, up))[0]
                - support_residual(u, supp, _vary(xs, supp, down))[0]
            ) / (2 * h)
            assert np.allclose(jac[:, c], fd, atol=1e-7)


def test_polish_converges_to_the_hand_worked_mixed_equilibrium():
    # battle of the sexes: the mixed equilibrium is (2/3, 1/3), (1/3, 2/3)
    u = np.array([[[2.0, 0], [0, 1]], [[1.0, 0], [0, 2]]])
    xs, resid, jac = polish(u, ((0, 1), (0, 1)), [np.array([0.5, 0.5]), np.array([0.5, 0.5])])
    assert np.allclose(xs[0], [2 / 3, 1 / 3], atol=1e-14) and np.allclose(xs[1], [1 / 3, 2 / 3], atol=1e-14)
    assert resid < 1e-14 and regularity(u, ((0, 1), (0, 1)), xs, jac, 1e-9) == (True, True)


def test_quasi_strict_by_hand():
    # best-response ties with an unused strategy, within tol or not, and vanishing probabilities
    v = [np.array([[1.0, 1.0 - 1e-12], [1.0, 0.5], [1.0, 0.5]])]
    x = [np.array([[1.0, 0.0], [1.0, 0.0], [1.0 - 1e-10, 1e-10]])]
    used = [np.array([[True, False], [True, False], [True, True]])]
    assert quasi_strict(v, x, used, 1e-9).tolist() == [False, True, False]


@pytest.mark.parametrize("shape", SHAPES)
def test_lyapunov_gradient_is_the_derivative(shape):
    rng = np.random.default_rng(sum(shape))
    u = rng.normal(size=(1, len(shape), *shape))
    splits = np.cumsum(shape)[:-1]

    def value(z):
        return _lyapunov(u, np.split(shares_from_log(z, shape), splits))

    for _ in range(5):
        z = rng.normal(scale=2.0, size=sum(shape))
        _, grad = value(z)
        h = 1e-6
        fd = [(value(z + h * e)[0] - value(z - h * e)[0]) / (2 * h) for e in np.eye(z.size)]
        assert np.allclose(grad, fd, atol=1e-6)
        # and the value is the definition: sum of squared positive gains over pure strategies
        xs = np.split(shares_from_log(z, shape), splits)
        v = strategy_payoffs(u[0], xs)
        own = [sum(float(p) * float(q) for p, q in zip(x, vi)) for x, vi in zip(xs, v)]
        by_hand = sum(max(float(q) - o, 0.0) ** 2 for vi, o in zip(v, own) for q in vi)
        assert np.isclose(value(z)[0], by_hand, rtol=1e-10, atol=1e-14)


def test_supports_are_tried_as_the_minimiser_leaves_them():
    # the fallback finds the unique (mixed) equilibrium of this 3x3x3 game: small leftover shares
    # are tried as outside the support (it found nothing when it read the support at 1e-6 only)
    from tripartite.equilibria import all_equilibria, local_equilibria
    from tripartite.game import Game

    game = Game.from_array(np.random.default_rng(0).normal(size=(3, 3, 3, 3)))
    complete = all_equilibria(game)
    local = local_equilibria(game, starts=4)
    assert len(complete) == 1 and len(local) == 1
    assert complete.find(local[0].strategies, 1e-9) is not None and not local.complete
