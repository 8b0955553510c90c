"""The indifference system of a support profile: evaluation, Jacobian, Newton's method.

Restrict a game to a support profile :math:`S = (S_1, \\dots, S_n)` and drop
the players with a single strategy (their choice is fixed): what is left is a
*totally mixed* problem on a game of shape :math:`k_1 \\times \\dots \\times
k_n` with every :math:`k_i = |S_i| \\ge 2`.  In homogeneous coordinates
:math:`x_j \\in \\mathbb{C}^{k_j}` (a point of :math:`\\mathbb{P}^{k_j - 1}`),
player ``i``'s indifference conditions are the :math:`k_i - 1` forms

.. math::

    F_{i,r}(x_{-i}) = \\sum_{s_{-i}} \\big(U_i(r, s_{-i}) - U_i(0, s_{-i})\\big)
    \\prod_{j \\ne i} x_j(s_j) = 0, \\qquad r = 1, \\dots, k_i - 1,

each linear in every other player's block and free of player ``i``'s own.
There are :math:`\\sum_i (k_i - 1)` equations in as many projective
unknowns.  A *chart* :math:`c_j \\cdot x_j = 1` (one linear equation per
player) makes the system square in affine space; with ``c_j`` random and
complex, every isolated solution is finite in the chart with probability one.
The chart ``c_j = (1, ..., 1)`` gives probabilities.

The number of isolated solutions is at most the *multihomogeneous Bezout
number* :math:`B(m)` of the system (McKelvey & McLennan 1997): the number of
ways to assign each equation of player ``i`` to one other player ``j`` so that
player ``j`` receives exactly :math:`m_j = k_j - 1` equations.  It is reached
by generic payoffs: 2 for 2x2x2, 10 for 3x3x3, 9 for 2x2x2x2.  Finding
:math:`B(m)` distinct nonsingular solutions therefore certifies that no
isolated solution is missing.

Examples
--------
>>> import numpy as np
>>> U = np.zeros((1, 2, 2, 2)); U[0, 0] = [[1, 0], [0, 1]]; U[0, 1] = [[0, 1], [1, 0]]
>>> W = indifference_rows(U)          # matching pennies
>>> X = np.array([[0.5, 0.5, 0.5, 0.5]])
>>> H, _ = chart_system(W, [np.ones((1, 2)), np.ones((1, 2))], X)
>>> float(np.abs(H).max())
0.0
"""

from __future__ import annotations

import string
from collections.abc import Sequence

import numpy as np

from ..game import cross_payoffs, payoff_scale, payoff_vectors

__all__ = [
    "indifference_rows",
    "multilinear",
    "chart_system",
    "newton_chart",
    "condition_numbers",
    "solve_batched",
    "affine_jacobian",
    "support_residual",
    "polish",
    "quasi_strict",
    "regularity",
]

_LETTERS = string.ascii_letters


def indifference_rows(U: np.ndarray) -> list[np.ndarray]:
    """Each player's indifference forms of a totally mixed problem.

    Parameters
    ----------
    U : ndarray, shape (P, n, k_1, ..., k_n)
        A batch of games (every ``k_i >= 2``).

    Returns
    -------
    list of n arrays, the ``i``-th of shape (P, k_i - 1, *k_-i)
        ``W_i[p, r - 1, s_-i] = U_i(r, s_-i) - U_i(0, s_-i)``.

    Examples
    --------
    >>> U = np.zeros((1, 3, 2, 3, 4))
    >>> [w.shape for w in indifference_rows(U)]
    [(1, 1, 3, 4), (1, 2, 2, 4), (1, 3, 2, 3)]
    """
    n = U.shape[1]
    out = []
    for i in range(n):
        ui = np.moveaxis(U[:, i], 1 + i, 1)
        out.append(ui[:, 1:] - ui[:, :1])
    return out


def multilinear(w: np.ndarray, vs: Sequence[np.ndarray]) -> tuple[np.ndarray, list[np.ndarray]]:
    """Value of the forms ``w`` (P, R, a_1, ..., a_k) at vectors ``vs`` (P, a_q), and the partials.

    Returns the values, shape (P, R), and for each ``q`` the gradient with
    respect to ``vs[q]``, shape (P, R, a_q).

    Examples
    --------
    >>> w = np.array([[[[1.0, 2.0], [3.0, 4.0]]]])          # one bilinear form
    >>> value, parts = multilinear(w, [np.array([[1.0, 0.0]]), np.array([[0.0, 1.0]])])
    >>> value.tolist(), parts[0].tolist()
    ([[2.0]], [[[2.0, 4.0]]])
    """
    k = len(vs)
    if k == 1:
        return np.einsum("yza,ya->yz", w, vs[0]), [w]
    axes = _LETTERS[2 : 2 + k]
    full = "yz" + axes
    parts = []
    for m in range(k):
        spec = full + "," + ",".join("y" + axes[q] for q in range(k) if q != m) + "->yz" + axes[m]
        parts.append(np.einsum(spec, w, *[vs[q] for q in range(k) if q != m]))
    value = np.einsum("yza,ya->yz", parts[0], vs[0])
    return value, parts


def chart_system(
    W: list[np.ndarray], chart: list[np.ndarray], X: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Residual and Jacobian of the indifference system in a chart.

    Parameters
    ----------
    W : list of arrays from :func:`indifference_rows`, batch P
    chart : list of n arrays (P, k_j) or (k_j,)
        The chart's linear forms.
    X : ndarray, shape (P, k_1 + ... + k_n)
        The blocks :math:`x_1, \\dots, x_n` side by side.

    Returns
    -------
    H : ndarray, shape (P, K)
        Per player: the chart equation :math:`c_i \\cdot x_i - 1`, then its
        :math:`k_i - 1` indifference forms.
    J : ndarray, shape (P, K, K)
    """
    n = len(W)
    k = [w.shape[1] + 1 for w in W]
    off = np.concatenate([[0], np.cumsum(k)])
    P, K = X.shape
    xs = [X[:, off[j] : off[j + 1]] for j in range(n)]
    H = np.empty((P, K), dtype=X.dtype)
    J = np.zeros((P, K, K), dtype=np.result_type(X.dtype, *[np.asarray(c).dtype for c in chart]))
    for i in range(n):
        c = np.broadcast_to(chart[i], (P, k[i]))
        r0 = off[i]
        H[:, r0] = np.einsum("pa,pa->p", c, xs[i]) - 1
        J[:, r0, off[i] : off[i + 1]] = c
        others = [j for j in range(n) if j != i]
        value, parts = multilinear(W[i], [xs[j] for j in others])
        H[:, r0 + 1 : off[i + 1]] = value
        for q, j in enumerate(others):
            J[:, r0 + 1 : off[i + 1], off[j] : off[j + 1]] = parts[q]
    return H, J


def solve_batched(J: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Batched ``J x = b``; singular systems give NaN rows instead of an error."""
    try:
        return np.linalg.solve(J, b[..., None])[..., 0]
    except np.linalg.LinAlgError:
        out = np.full(b.shape, np.nan, dtype=np.result_type(J, b))
        for p in range(J.shape[0]):
            try:
                out[p] = np.linalg.solve(J[p], b[p])
            except np.linalg.LinAlgError:
                pass
        return out


def newton_chart(
    W: list[np.ndarray],
    chart: list[np.ndarray],
    X: np.ndarray,
    iters: int = 8,
    scale: np.ndarray | float = 1.0,
    cond: bool = True,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Newton's method on the indifference system in a chart, batched.

    Each point iterates until its step is below ``1e-14`` relative (or for
    ``iters`` steps, or until it diverges).

    Returns
    -------
    X : ndarray (P, K)
        The refined points.
    residual : ndarray (P,)
        Largest indifference residual with every block scaled to unit norm,
        relative to ``scale`` (the payoff size); ``inf`` where not finite.
    cond : ndarray (P,)
        Condition number of the chart Jacobian (``inf`` if not finite; all
        ``nan`` when ``cond=False``).

    Examples
    --------
    >>> U = np.zeros((1, 2, 2, 2)); U[0, 0] = [[1, 0], [0, 1]]; U[0, 1] = [[0, 1], [1, 0]]
    >>> X, res, _ = newton_chart(indifference_rows(U), [np.ones(2), np.ones(2)], np.array([[0.3, 0.7, 0.6, 0.4]]))
    >>> X.round(12).tolist(), bool(res[0] < 1e-14)
    ([[0.5, 0.5, 0.5, 0.5]], True)
    """
    X = X.copy()
    P = X.shape[0]
    n = len(W)
    k = [w.shape[1] + 1 for w in W]
    off = np.concatenate([[0], np.cumsum(k)]).astype(int)
    charts = [np.broadcast_to(c, (P, k[j])) for j, c in enumerate(chart)]
    active = np.isfinite(X).all(axis=1)
    with np.errstate(all="ignore"):
        for _ in range(iters):
            idx = np.flatnonzero(active)
            if idx.size == 0:
                break
            H, J = chart_system([w[idx] for w in W], [c[idx] for c in charts], X[idx])
            step = solve_batched(J, -H)
            bad = ~np.isfinite(step).all(axis=1)
            step[bad] = 0.0
            X[idx] = X[idx] + step
            size = np.linalg.norm(X[idx], axis=1)
            small = np.linalg.norm(step, axis=1) <= 1e-14 * (1 + size)
            active[idx[small | bad | (size > 1e12)]] = False
        unit = np.concatenate(
            [
                X[:, off[j] : off[j + 1]] / np.linalg.norm(X[:, off[j] : off[j + 1]], axis=1, keepdims=True)
                for j in range(n)
            ],
            axis=1,
        )
        finite = np.isfinite(unit).all(axis=1)
        H, _ = chart_system(W, charts, np.where(finite[:, None], unit, 0.0))
        rows = np.concatenate([np.arange(off[i] + 1, off[i + 1]) for i in range(n)])
        residual = np.max(np.abs(H[:, rows]), axis=1) if rows.size else np.zeros(P)
        residual = np.where(finite, residual / np.maximum(np.asarray(scale, dtype=float), 1e-300), np.inf)
    condition = condition_numbers(W, chart, X) if cond else np.full(P, np.nan)
    return X, residual, condition


def condition_numbers(W: list[np.ndarray], chart: list[np.ndarray], X: np.ndarray) -> np.ndarray:
    """Condition number of the chart Jacobian at each point (``inf`` where not finite)."""
    P = X.shape[0]
    out = np.full(P, np.inf)
    ok = np.isfinite(X).all(axis=1)
    if ok.any():
        charts = [np.broadcast_to(c, (P, c.shape[-1]))[ok] for c in chart]
        _, J = chart_system([w[ok] for w in W], charts, X[ok])
        with np.errstate(all="ignore"):
            sv = np.linalg.svd(J, compute_uv=False)
        out[ok] = sv[:, 0] / np.maximum(sv[:, -1], 1e-300)
    return out


def affine_jacobian(J: np.ndarray, k: Sequence[int]) -> np.ndarray:
    """The Jacobian of the indifference forms in affine probability coordinates.

    ``J`` is a chart Jacobian from :func:`chart_system`; the affine unknowns
    are :math:`x_j(1), \\dots, x_j(k_j - 1)` with
    :math:`x_j(0) = 1 - \\sum_{s \\ge 1} x_j(s)`.  Returns (P, M, M) with
    :math:`M = \\sum_j (k_j - 1)`.
    """
    n = len(k)
    off = np.concatenate([[0], np.cumsum(k)]).astype(int)
    rows = np.concatenate([np.arange(off[i] + 1, off[i + 1]) for i in range(n)])
    cols = []
    for j in range(n):
        T = np.zeros((k[j], k[j] - 1))
        T[0, :] = -1.0
        T[1:, :] = np.eye(k[j] - 1)
        cols.append(J[:, rows, off[j] : off[j + 1]] @ T)
    return np.concatenate(cols, axis=2)


# ======================================================================================
# one support of the full game, real coordinates (homotopy endpoints and the local search)
# ======================================================================================


def support_residual(u: np.ndarray, supp, xs: list[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """Indifference residuals of a support system of the full game, and their Jacobian.

    Unknowns: :math:`x_j(s)` for :math:`s \\in S_j` but the first, whose
    probability is one minus the others'.  The residual of player ``i``'s
    strategy :math:`s \\in S_i` is :math:`u_i(s, x_{-i}) - u_i(s_0, x_{-i})`
    (:func:`~tripartite.game.payoff_vectors`); its derivative in
    :math:`x_j(t)` comes from the cross payoffs
    :math:`C_{ij}(s, t)` (:func:`~tripartite.game.cross_payoffs`).

    Examples
    --------
    >>> pennies = np.array([[[1.0, -1], [-1, 1]], [[-1, 1], [1, -1]]])
    >>> res, jac = support_residual(pennies, ((0, 1), (0, 1)), [np.array([0.5, 0.5]), np.array([0.4, 0.6])])
    >>> res.round(12).tolist(), jac.tolist()
    ([0.4, 0.0], [[0.0, 4.0], [-4.0, 0.0]])
    """
    N = len(xs)
    U = u[None]
    column = {(j, s): c for c, (j, s) in enumerate((j, s) for j in range(N) for s in supp[j][1:])}
    values = payoff_vectors(U, xs)
    res = []
    jac = []
    for i in range(N):
        if len(supp[i]) < 2:
            continue
        s0 = supp[i][0]
        cross = {j: cross_payoffs(U, xs, i, j)[0] for j in range(N) if j != i and len(supp[j]) > 1}
        for s in supp[i][1:]:
            res.append(values[i][0, s] - values[i][0, s0])
            row = np.zeros(len(column))
            for j, C in cross.items():
                g = C[s] - C[s0]  # gradient in x_j
                for t in supp[j][1:]:
                    row[column[(j, t)]] = g[t] - g[supp[j][0]]
            jac.append(row)
    return np.array(res), np.array(jac).reshape(len(res), len(column))


def polish(u: np.ndarray, supp, xs: list[np.ndarray], iters: int = 6):
    """Newton's method on the real support system; returns the profile, residual norm, Jacobian.

    Examples
    --------
    >>> pennies = np.array([[[1.0, -1], [-1, 1]], [[-1, 1], [1, -1]]])
    >>> xs, res, _ = polish(pennies, ((0, 1), (0, 1)), [np.array([0.4, 0.6]), np.array([0.55, 0.45])])
    >>> [x.round(12).tolist() for x in xs], res < 1e-14
    ([[0.5, 0.5], [0.5, 0.5]], True)
    """
    xs = [x.astype(float).copy() for x in xs]
    N = len(xs)
    for _ in range(iters):
        res, jac = support_residual(u, supp, xs)
        if res.size == 0:
            break
        try:
            step = np.linalg.lstsq(jac, -res, rcond=None)[0]
        except np.linalg.LinAlgError:
            break
        k = 0
        for j in range(N):
            for s in supp[j][1:]:
                xs[j][s] += step[k]
                k += 1
            xs[j][supp[j][0]] = 1 - sum(xs[j][s] for s in supp[j][1:])
    res, jac = support_residual(u, supp, xs)
    return xs, (float(np.max(np.abs(res))) if res.size else 0.0), jac


def quasi_strict(
    values: Sequence[np.ndarray], xs: Sequence[np.ndarray], used: Sequence[np.ndarray], tol: float
) -> np.ndarray:
    """Whether each profile of a batch is quasi-strict: the one rule of every solver.

    No strategy outside the support pays within ``tol`` of the best one in it
    (for a pure profile: every deviation gain ``< -tol``, the rule of
    :func:`~tripartite.equilibria.pure.pure_flags` for strictness), and no
    strategy in the support has probability ``<= 1e-9``.

    Parameters
    ----------
    values : list of N arrays (R, s_i)
        :func:`~tripartite.game.payoff_vectors` at the profiles.
    xs : list of N arrays (R, s_i)
        The profiles.
    used : list of N bool arrays (R, s_i)
        The supports.
    tol : float

    Examples
    --------
    >>> v = [np.array([[1.0, 1.0]]), np.array([[0.0, 2.0]])]
    >>> x = [np.array([[1.0, 0.0]]), np.array([[0.0, 1.0]])]
    >>> quasi_strict(v, x, [y > 0 for y in x], 1e-9).tolist()   # the first player's tie
    [False]
    """
    qs = np.ones(values[0].shape[0], dtype=bool)
    for v, x, ui in zip(values, xs, used):
        best = np.max(np.where(ui, v, -np.inf), axis=1)
        qs &= np.max(np.where(ui, -np.inf, v), axis=1) < best - tol
        qs &= np.min(np.where(ui, x, np.inf), axis=1) > 1e-9
    return qs


def regularity(u: np.ndarray, supp, xs, jac: np.ndarray, tol: float) -> tuple[bool, bool]:
    """(quasi_strict, regular) of a verified equilibrium of the game ``u`` (N, s_1, ..., s_N).

    Quasi-strict: :func:`quasi_strict` (``tol`` in payoff units); regular:
    also the affine Jacobian ``jac`` has smallest singular value above
    ``1e-9`` times the payoff scale (:func:`tripartite.game.payoff_scale`).
    """
    profile = [np.asarray(x, dtype=float)[None] for x in xs]
    used = [np.isin(np.arange(m), list(S))[None] for m, S in zip(u.shape[1:], supp)]
    qs = bool(quasi_strict(payoff_vectors(u[None], profile), profile, used, tol)[0])
    regular = qs
    if jac.size:
        sv = np.linalg.svd(jac, compute_uv=False)
        scale = float(payoff_scale(u[None])[0])
        if sv[-1] <= 1e-9 * scale:
            regular = False
    return qs, regular
