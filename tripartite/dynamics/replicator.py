"""Multi-population replicator dynamics on the product of simplices.

Each player ``i`` is a population whose state :math:`x_i` is a probability
vector over its strategies.  The replicator dynamics are

.. math:: \\dot x_{i,s} = x_{i,s} \\big( u_i(s, x_{-i}) - \\bar u_i(x) \\big),
          \\qquad \\bar u_i(x) = \\sum_t x_{i,t} u_i(t, x_{-i}).

For two strategies per player this is the familiar
:math:`\\dot x_i = x_i (1 - x_i) D_i` with :math:`D_i` the expected payoff
difference between the first and second strategy.

The Jacobian is computed analytically.  With :math:`u_{i,s} = u_i(s, x_{-i})`
and :math:`u_{i,s|j,t}` the payoff of ``(i, s)`` when ``j`` plays ``t`` and
the others mix,

.. math::
   \\partial \\dot x_{i,s} / \\partial x_{i,t} &= \\delta_{st}(u_{i,s} - \\bar u_i) - x_{i,s} u_{i,t}, \\\\
   \\partial \\dot x_{i,s} / \\partial x_{j,t} &= x_{i,s}\\big(u_{i,s|j,t} - \\sum_r x_{i,r} u_{i,r|j,t}\\big)
   \\quad (j \\ne i).

Stability is a property of the dynamics *on* the product of simplices, so the
Jacobian is restricted to its tangent space: the *reduced* Jacobian uses the
chart that drops each player's last strategy
(:math:`x_{i,last} = 1 - \\sum_{k<last} x_{i,k}`) and has size
:math:`\\sum_i (|S_i| - 1)`.

States are passed as a list of per-player arrays of shape ``(batch, s_i)``
(or ``(s_i,)``), or flat as one array of length :math:`\\sum_i |S_i|`.  The
payoffs :math:`u_i(s, x_{-i})` and :math:`u_{i,s|j,t}` come from the numeric
kernel (:func:`tripartite.game.payoff_vectors`, :func:`tripartite.game.cross_payoffs`).

**State-dependent payoffs.**  When the payoff table depends on the state
(:class:`tripartite.game.StatePayoffs`),
:math:`u_i(s, x) = \\sum_{s_{-i}} U_i(s, s_{-i}; x) \\prod_{j \\ne i} x_j(s_j)`
(the kernel evaluates the table at the state), and the Jacobian gains, for
every state variable :math:`x_{j,t}` the table depends on (``j = i``
included), the term

.. math:: x_{i,s}\\big(w_{i,s} - \\textstyle\\sum_r x_{i,r} w_{i,r}\\big), \\qquad
          w_{i,s} = \\sum_{s_{-i}} \\partial U_i(s, s_{-i}; x)/\\partial x_{j,t} \\prod_{k \\ne i} x_k(s_k)

(:func:`tripartite.game.payoff_gradients`).  At a vertex :math:`v` these
terms drop out of the eigenvalues: in the chart centred on :math:`v` (the
used strategies' shares eliminated) the row of each unused strategy
:math:`(i, s)` is the derivative of :math:`x_{i,s} (u_i(s, x) - \\bar u_i(x))`, and
at :math:`x_{i,s} = 0` only :math:`u_i(s, v) - u_i(v_i, v)` on the diagonal
survives.  So the eigenvalues there are still the deviation gains, with the
table evaluated at :math:`v` (:func:`tripartite.game.vertex_gains`; tested
against the analytic Jacobian on random state-dependent games).

Examples
--------
>>> import numpy as np
>>> u = np.array([[[[2, 0], [0, 1]], [[2, 0], [0, 1]]]])  # coordination
>>> replicator_field(u, [np.array([0.5, 0.5]), np.array([0.5, 0.5])])[0]
array([[ 0.125, -0.125]])
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from ..game import as_profile, cross_payoffs, payoff_gradients, payoff_vectors

__all__ = [
    "replicator_field",
    "jacobian",
    "reduced_jacobian",
    "split_state",
    "join_state",
]


def split_state(flat: np.ndarray, shape: Sequence[int]) -> list[np.ndarray]:
    """Split a flat state (``(..., sum(shape))``) into per-player arrays.

    Examples
    --------
    >>> [x.tolist() for x in split_state(np.array([0.5, 0.5, 1.0, 0.0, 0.0]), (2, 3))]
    [[0.5, 0.5], [1.0, 0.0, 0.0]]
    """
    flat = np.asarray(flat, dtype=float)
    cuts = np.cumsum(shape)[:-1]
    return np.split(flat, cuts, axis=-1)


def join_state(state: Sequence[np.ndarray]) -> np.ndarray:
    """Concatenate per-player arrays into one flat state (the inverse of :func:`split_state`)."""
    return np.concatenate([np.asarray(x, dtype=float) for x in state], axis=-1)


def replicator_field(payoffs: np.ndarray, state: Sequence[np.ndarray]) -> list[np.ndarray]:
    """The replicator vector field at ``state``.

    Parameters
    ----------
    payoffs : ndarray, shape (batch, N, s_1, ..., s_N)
    state : list of N arrays, shape (batch, s_i) or (s_i,)

    Returns
    -------
    list of N arrays, shape (batch, s_i)

    Examples
    --------
    >>> u = np.array([[[[2, 0], [0, 1]], [[2, 0], [0, 1]]]])  # coordination
    >>> [v.tolist() for v in replicator_field(u, [np.array([0.5, 0.5]), np.array([1.0, 0.0])])]
    [[[0.5, -0.5]], [[0.0, 0.0]]]
    """
    xs = as_profile(state, payoffs.shape[0])
    field = []
    for x, v in zip(xs, payoff_vectors(payoffs, xs)):
        mean = np.einsum("zs,zs->z", v, x)[:, None]
        field.append(x * (v - mean))
    return field


def jacobian(payoffs: np.ndarray, state: Sequence[np.ndarray]) -> np.ndarray:
    """Jacobian of the replicator field in the ambient coordinates.

    Returns
    -------
    ndarray, shape (batch, S, S) with ``S = sum(s_i)``

    Examples
    --------
    >>> u = np.array([[[[2, 0], [0, 1]], [[2, 0], [0, 1]]]])
    >>> jacobian(u, [np.array([1.0, 0.0]), np.array([1.0, 0.0])])[0].round(6).tolist()[0]
    [-2.0, 0.0, 0.0, 0.0]
    """
    xs = as_profile(state, payoffs.shape[0])
    sizes = [x.shape[1] for x in xs]
    offsets = np.concatenate([[0], np.cumsum(sizes)])
    batch = max(payoffs.shape[0], *(x.shape[0] for x in xs))
    jac = np.zeros((batch, offsets[-1], offsets[-1]))
    for i, (x, v) in enumerate(zip(xs, payoff_vectors(payoffs, xs))):
        mean = np.einsum("zs,zs->z", v, x)[:, None]
        rows = slice(offsets[i], offsets[i + 1])
        block = -x[:, :, None] * v[:, None, :]
        idx = np.arange(sizes[i])
        block[:, idx, idx] += v - mean
        jac[:, rows, rows] = block
        for j in range(len(xs)):
            if j == i:
                continue
            cross = cross_payoffs(payoffs, xs, i, j)  # (batch, s_i, s_j)
            avg = np.einsum("zr,zrt->zt", x, cross)[:, None, :]
            jac[:, rows, offsets[j] : offsets[j + 1]] = x[:, :, None] * (cross - avg)
    for (j, t), w in payoff_gradients(payoffs, xs):
        col = offsets[j] + t
        for i, (x, wi) in enumerate(zip(xs, w)):
            mean = np.einsum("zs,zs->z", x, wi)[:, None]
            jac[:, offsets[i] : offsets[i + 1], col] += x * (wi - mean)
    return jac


def reduced_jacobian(payoffs: np.ndarray, state: Sequence[np.ndarray]) -> np.ndarray:
    """Jacobian restricted to the product of simplices.

    Uses the chart that drops each player's last strategy; its eigenvalues are
    those of the dynamics on the state space (chart-independent).

    Returns
    -------
    ndarray, shape (batch, D, D) with ``D = sum(s_i - 1)``

    Examples
    --------
    >>> u = np.array([[[[2, 0], [0, 1]], [[2, 0], [0, 1]]]])
    >>> np.linalg.eigvals(reduced_jacobian(u, [np.array([1.0, 0.0])] * 2)[0]).tolist()
    [-2.0, -2.0]
    """
    xs = as_profile(state, payoffs.shape[0])
    sizes = [x.shape[1] for x in xs]
    full = jacobian(payoffs, xs)
    total = sum(sizes)
    reduced = total - len(sizes)
    lift = np.zeros((total, reduced))  # T: tangent basis e_{i,k} - e_{i,last}
    pick = np.zeros((reduced, total))  # L: keep the first s_i - 1 coordinates
    row = col = 0
    for m in sizes:
        for k in range(m - 1):
            lift[row + k, col + k] = 1.0
            lift[row + m - 1, col + k] = -1.0
            pick[col + k, row + k] = 1.0
        row += m
        col += m - 1
    return pick @ full @ lift
