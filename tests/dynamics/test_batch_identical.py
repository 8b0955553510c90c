"""The integrator's cheap field paths give the very same numbers as the plain ones.

With equal blocks of at most 7 strategies the field (:class:`tripartite.dynamics.batch._Field`)
computes block maxima and sums by gathering rows and the contraction with per-trajectory
payoffs as elementwise products summed over profiles; these must be bitwise equal to the
reductions over the ``(N, s, B)`` view (numpy sums up to 7 terms in order) and to the
per-player contraction, or the integrator's steps would depend on the code path.
"""

from __future__ import annotations

import numpy as np
import pytest

from tripartite.dynamics.batch import _Field


def reference_field(payoffs: np.ndarray, shape: tuple[int, ...]) -> _Field:
    """The same field on the reduction paths (no row gathers)."""
    field = _Field(payoffs, shape)
    field.rows = False
    return field


def reference_shares(z: np.ndarray, mask: np.ndarray, blocks: tuple[int, int]) -> np.ndarray:
    e = np.where(mask > 0, z, -np.inf).reshape(*blocks, -1)
    e -= e.max(axis=1, keepdims=True)
    np.exp(e, out=e)
    e /= e.sum(axis=1, keepdims=True)
    return e.reshape(z.shape)


@pytest.mark.parametrize("shape", [(2, 2, 2), (3, 3), (2, 2, 2, 2), (4, 4, 4)])
@pytest.mark.parametrize("shared", [True, False], ids=["shared payoffs", "payoffs per trajectory"])
@pytest.mark.parametrize("batch", [1, 2, 9])
def test_the_row_paths_are_bitwise_the_reduction_paths(shape, shared, batch):
    rng = np.random.default_rng(sum(shape) + batch + shared)
    payoffs = np.round(rng.normal(size=(1 if shared else batch, len(shape), *shape)), 1)
    payoffs[..., 0] = -0.0  # signed zeros among the payoffs
    fast, slow = _Field(payoffs, shape), reference_field(payoffs, shape)
    assert fast.rows and not slow.rows
    rows = rng.permutation(batch)
    fast.bind(rows)
    slow.bind(rows)
    size = sum(shape)
    for trial in range(4):
        z = rng.normal(size=(size, batch)) * 10.0 ** rng.integers(-3, 3)
        mask = np.ones((size, batch))
        if trial % 2 and shape[0] > 2:
            mask[1] = 0.0  # an unsupported strategy of the first player
        x = fast.shares(z, mask)
        assert np.array_equal(x, slow.shares(z, mask))
        assert np.array_equal(x, reference_shares(z, mask, fast.blocks))
        assert np.array_equal(fast.payoffs(x), slow.payoffs(x))
        (dz, x_fast), (dz_ref, x_slow) = fast(z, mask), slow(z, mask)
        assert np.array_equal(dz, dz_ref) and np.array_equal(x_fast, x_slow)
        assert np.array_equal(np.signbit(dz), np.signbit(dz_ref))  # even the zeros' signs


def test_the_row_paths_stop_at_seven_strategies():
    # numpy sums 8 or more terms of one column pairwise: those blocks keep the reductions
    assert not _Field(np.zeros((1, 2, 8, 8)), (8, 8)).rows
    assert _Field(np.zeros((1, 2, 7, 7)), (7, 7)).rows
    assert not _Field(np.zeros((1, 2, 2, 3)), (2, 3)).rows  # unequal blocks: the per-player loops
