import numpy as np
import pytest

from tripartite.dynamics.replicator import (
    jacobian,
    join_state,
    reduced_jacobian,
    replicator_field,
    split_state,
)

from ..conftest import random_game


def finite_difference_jacobian(payoffs, xs, h=1e-6):
    flat = join_state([x[0] for x in xs])
    shape = [x.shape[1] for x in xs]

    def f(v):
        return join_state(replicator_field(payoffs, [p[None] for p in split_state(v, shape)]))[0]

    cols = []
    for k in range(flat.size):
        e = np.zeros_like(flat)
        e[k] = h
        cols.append((f(flat + e) - f(flat - e)) / (2 * h))
    return np.stack(cols, axis=1)


@pytest.mark.parametrize("shape", [(2, 2), (2, 2, 2), (3, 2, 4), (2, 2, 2, 2)])
def test_analytic_jacobian_matches_finite_differences(shape):
    g = random_game(shape, seed=len(shape) * 7)
    rng = np.random.default_rng(3)
    xs = [rng.dirichlet(np.ones(m))[None] for m in shape]
    assert np.allclose(jacobian(g.payoffs, xs)[0], finite_difference_jacobian(g.payoffs, xs), atol=1e-6)


def test_field_is_tangent_to_the_simplices():
    g = random_game((3, 3, 2), seed=1, batch=4)
    rng = np.random.default_rng(0)
    xs = [rng.dirichlet(np.ones(m), size=4) for m in g.shape]
    for v in replicator_field(g.payoffs, xs):
        assert np.allclose(v.sum(axis=1), 0.0)


def test_two_strategy_factored_form():
    # x' = x (1 - x) D with D the payoff difference between first and second strategy
    g = random_game((2, 2, 2), seed=5)
    rng = np.random.default_rng(2)
    p = rng.uniform(size=3)
    xs = [np.array([[q, 1 - q]]) for q in p]
    field = replicator_field(g.payoffs, xs)
    u = g.payoffs[0]
    x, y, z = p
    for i in range(3):
        diff = 0.0
        for a in range(2):
            for b in range(2):
                for c in range(2):
                    prof = (a, b, c)
                    w = [x if a == 0 else 1 - x, y if b == 0 else 1 - y, z if c == 0 else 1 - z]
                    w[i] = 1.0
                    sign = 1 if prof[i] == 0 else -1
                    diff += sign * np.prod(w) * u[(i, *prof)]
        assert field[i][0, 0] == pytest.approx(p[i] * (1 - p[i]) * diff)


def test_reduced_jacobian_eigenvalues_are_chart_independent():
    # dropping the first instead of the last strategy must give the same spectrum
    g = random_game((3, 2), seed=9)
    rng = np.random.default_rng(4)
    xs = [rng.dirichlet(np.ones(m))[None] for m in g.shape]
    eig = np.sort_complex(np.linalg.eigvals(reduced_jacobian(g.payoffs, xs)[0]))
    flipped = g.payoffs[:, :, ::-1, ::-1]
    xs_flipped = [x[:, ::-1] for x in xs]
    eig2 = np.sort_complex(np.linalg.eigvals(reduced_jacobian(flipped, xs_flipped)[0]))
    assert np.allclose(eig, eig2)
