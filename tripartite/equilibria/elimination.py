"""Totally mixed solutions of small indifference systems by elimination, batched over many systems.

The systems are those of :mod:`tripartite.equilibria.indifference`: a game
of shape :math:`k_1 \\times \\dots \\times k_n` (the mixing players of one
support profile), player ``i``'s :math:`k_i - 1` indifference forms linear in
each other player's block :math:`x_j`.  Each kernel below reduces a family
of such systems to univariate polynomials, finds all their roots at once
(batched companion-matrix eigenvalues) and returns *candidates*: points
that contain every isolated solution, and possibly a few spurious ones.

:func:`solve_totally_mixed` then refines the candidates by Newton's method in
a random complex chart and *certifies* each system: it must end with as many
distinct nonsingular solutions as the multihomogeneous Bezout number
(:func:`~tripartite.equilibria.supports.bezout_number`), which bounds the
number of isolated solutions, so none is missing.  A system still short
after a second pass (every candidate, more iterations) and, for 3x3x3 and
2x2x2x2, an elimination with another player's probability hidden, is left
uncertified: the caller solves it by the homotopy.

Polynomials are never expanded symbolically: a polynomial of known degree
:math:`d` is *sampled* at the :math:`M = d + 1` roots of unity
:math:`\\omega^k` and its coefficients recovered by a discrete Fourier
transform, :math:`c = \\mathrm{FFT}(f(\\omega^k)) / M` (exact for degree
:math:`\\le d`, and well conditioned since the DFT is unitary up to scale).

**Two players** (:math:`k \\times k`): each player's indifference forms are
linear in the other's block; :math:`x_2` spans the kernel of player 1's
:math:`(k - 1) \\times k` matrix and vice versa (one solution).

**Three players, one of them with two strategies** (:math:`k_1 \\times k_2
\\times 2`, :math:`k_1 - k_2 \\in \\{0, 1\\}`): hide the third player's
probability, :math:`x_3 = ((1 - y) / 2, (1 + y) / 2)`, so that :math:`y \\in
(-1, 1)` on the simplex.  Player 1's forms are :math:`A_1(y) x_2 = 0` and
player 2's :math:`A_2(y) x_1 = 0`, both matrices linear in ``y``; player 3's
single form is :math:`x_1^\\top B x_2 = 0`.

- :math:`k_1 = k_2 = k`: :math:`x_2(y)` is the vector of signed maximal minors
  of :math:`A_1(y)` (degree :math:`k - 1` in ``y``), :math:`x_1(y)` that of
  :math:`A_2(y)`, and :math:`f(y) = x_1(y)^\\top B x_2(y)` has degree
  :math:`2(k - 1)`, the Bezout number (2 for 2x2x2: McKelvey & McLennan's
  quadratic).
- :math:`k_1 = k_2 + 1`: :math:`A_1(y)` is square and :math:`f(y) = \\det
  A_1(y)` of degree :math:`k_2`; then :math:`x_2` spans its kernel and
  :math:`x_1` the kernel of :math:`A_2(y)` bordered by :math:`(B x_2)^\\top`.

**3x3x3** (every player mixing over three strategies, Bezout number 10):
with :math:`x_3 = (1 - s - t, s, t)`, the blocks :math:`x_2 = a_1 \\times
a_2` and :math:`x_1 = b_1 \\times b_2` (cross products of the rows of
:math:`A_1, A_2`) are quadratic in :math:`(s, t)`, and player 3's two forms
:math:`f_r = x_1^\\top B_r x_2` are plane quartics.  Their resultant in ``s``
(the determinant of the 8x8 Sylvester matrix) is a polynomial of degree 16 in
``t``; its roots are the 10 solutions and the 3 + 3 points where :math:`A_1`
or :math:`A_2` drops rank (spurious: there :math:`x_2` or :math:`x_1`
vanishes).  Each root ``t`` is completed by the roots ``s`` of :math:`f_1`
best satisfying :math:`f_2 = 0`.

**2x2x2x2** (four players each mixing over two strategies, Bezout number 9):
hide player 4's probability ``y``; players 1-3 then play a 2x2x2 game whose
indifference conditions :math:`D_i = a_i + b_i p_j + c_i p_k + d_i p_j p_k`
have coefficients linear in ``y``.  As in the closed form
(:mod:`tripartite.equilibria.mixed`), :math:`D_1 = 0` and :math:`D_2 = 0`
give :math:`p_2 = -n_2(p_3) / m_2(p_3)`, :math:`p_1 = -n_1(p_3) / m_1(p_3)`,
and :math:`D_3 = 0` becomes a quadratic :math:`Q(p_3)`; player 4's condition
times :math:`m_1 m_2` is a cubic :math:`P(p_3)`.  Their resultant is a
polynomial of degree 13 in ``y``: the 9 solutions and 4 spurious roots where
:math:`m_1 = n_1 = 0` or :math:`m_2 = n_2 = 0`.

Examples
--------
>>> import numpy as np
>>> u = np.zeros((3, 2, 2, 2))       # McKelvey & McLennan's game: 2 totally mixed equilibria
>>> for prof, pay in {(0,0,0): (9,8,12), (1,1,0): (9,8,2), (0,1,1): (3,4,6),
...                   (1,0,1): (3,4,6)}.items():
...     u[(slice(None), *prof)] = pay
>>> kernel_for((2, 2, 2))
'hidden'
>>> sol = solve_totally_mixed(u[None], np.random.default_rng(0))
>>> sol.count.tolist(), sol.certified.tolist()               # the Bezout number is 2
([2], [True])
>>> first = [sol.X[:, 2 * i] / sol.X[:, 2 * i : 2 * i + 2].sum(axis=1) for i in range(3)]
>>> sorted(np.round(np.stack(first, axis=1).real, 6).tolist())  # first-strategy probabilities
[[0.4, 0.5, 0.333333], [0.5, 0.4, 0.25]]
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import numpy as np

from .indifference import condition_numbers, indifference_rows, newton_chart
from .supports import bezout_number

__all__ = [
    "kernel_for",
    "candidates",
    "solve_totally_mixed",
    "TotallyMixed",
    "interpolate",
    "poly_roots",
    "null_vectors",
]


# ======================================================================================
# counts and dispatch
# ======================================================================================


def kernel_for(k: tuple[int, ...]) -> str | None:
    """The elimination kernel for a totally mixed problem of shape ``k``, or ``None``.

    ``"linear"`` (k x k), ``"hidden"`` (three players, one with two strategies,
    the other two within one strategy of each other), ``"3x3x3"`` and
    ``"2x2x2x2"``.  Other shapes are left to the homotopy.

    Examples
    --------
    >>> kernel_for((3, 3)), kernel_for((4, 2, 3)), kernel_for((3, 3, 3)), kernel_for((4, 4, 4))
    ('linear', 'hidden', '3x3x3', None)
    """
    return _plan(tuple(k))[0]


def canonical_shape(k: tuple[int, ...]) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """The order of players a kernel works in: ``(shape, perm)`` with ``shape[q] = k[perm[q]]``.

    Problems whose shapes differ only by the order of the players (a
    ``3 x 2 x 2`` and a ``2 x 2 x 3``) share a canonical shape, so they can be
    solved in one batch.

    Examples
    --------
    >>> canonical_shape((2, 2, 3)), canonical_shape((3, 3))
    (((3, 2, 2), (2, 0, 1)), ((3, 3), (0, 1)))
    """
    kind, perm = _plan(tuple(k))
    if kind is None:
        return tuple(k), tuple(range(len(k)))
    return tuple(k[p] for p in perm), perm


@cache
def _plan(k: tuple[int, ...]) -> tuple[str | None, tuple[int, ...]]:
    """The kernel for shape ``k`` and the order of players it takes (the hidden player last)."""
    n = len(k)
    if n == 2 and k[0] == k[1]:
        return "linear", (0, 1)
    if n == 3:
        for h in sorted(range(3), key=lambda i: -i):
            if k[h] != 2:
                continue
            a, b = [i for i in range(3) if i != h]
            if k[a] < k[b]:
                a, b = b, a
            if k[a] - k[b] in (0, 1):
                return "hidden", (a, b, h)
        if k == (3, 3, 3):
            return "3x3x3", (0, 1, 2)
    if n == 4 and k == (2, 2, 2, 2):
        return "2x2x2x2", (0, 1, 2, 3)
    return None, tuple(range(n))


def candidates(U: np.ndarray, variant: int = 0) -> list[np.ndarray] | None:
    """Candidate solutions of a batch of totally mixed problems of one shape.

    Parameters
    ----------
    U : ndarray, shape (P, n, k_1, ..., k_n)
        Payoffs of the mixing players (every ``k_i >= 2``); the shape must
        have a kernel (:func:`kernel_for`).
    variant : int
        ``0`` for the default elimination; ``1, 2, ...`` eliminate with the
        players' roles rotated (another player's probability hidden), which
        gives an independent set of candidates.  ``None`` is returned when
        the kernel has no such variant.

    Returns
    -------
    list of n complex arrays, the ``i``-th of shape (P, C, k_i)
        ``C`` candidate points per problem, in homogeneous coordinates (any
        scale; NaN where a candidate could not be formed).
    """
    k = U.shape[2:]
    kind, perm = _plan(tuple(k))
    if kind is None:
        raise ValueError(f"no elimination kernel for shape {k}")
    if variant:
        if kind not in ("3x3x3", "2x2x2x2") or variant >= len(k):
            return None
        perm = perm[variant:] + perm[:variant]
    V = np.transpose(U[:, list(perm)], (0, 1, *[2 + p for p in perm]))
    with np.errstate(all="ignore"):
        xs = _KERNELS[kind](V)
    out: list[np.ndarray] = [np.empty(0)] * len(k)
    for q, p in enumerate(perm):
        out[p] = xs[q]
    return out


# ======================================================================================
# polynomial tools
# ======================================================================================


def unit_roots(M: int) -> np.ndarray:
    """The ``M`` roots of unity :math:`\\omega^k = e^{2 \\pi i k / M}`."""
    return np.exp(2j * np.pi * np.arange(M) / M)


def interpolate(values: np.ndarray, axis: int = -1) -> np.ndarray:
    """Coefficients (ascending) of the polynomial of degree ``< M`` with the given values at the roots of unity.

    Examples
    --------
    >>> w = unit_roots(3)
    >>> interpolate(2 - w + 3 * w**2).real.round(12).tolist()
    [2.0, -1.0, 3.0]
    """
    return np.fft.fft(values, axis=axis) / values.shape[axis]


def poly_roots(c: np.ndarray) -> np.ndarray:
    """Roots of polynomials with ascending coefficients ``c`` (..., d + 1), batched.

    Eigenvalues of the companion matrices.  A leading coefficient below
    ``1e-13`` of the largest is raised to that size: the roots it sends far
    away move, the others stay put (to rounding).

    Examples
    --------
    >>> np.sort(poly_roots(np.array([[2.0, -3.0, 1.0]])).real).tolist()      # (y - 1)(y - 2)
    [[1.0, 2.0]]
    """
    c = np.asarray(c, dtype=complex)
    d = c.shape[-1] - 1
    big = np.max(np.abs(c), axis=-1)
    lead = c[..., d]
    tiny = np.abs(lead) < 1e-13 * big
    lead = np.where(tiny, 1e-13 * np.where(big > 0, big, 1.0), lead)
    C = np.zeros(c.shape[:-1] + (d, d), dtype=complex)
    if d > 1:
        idx = np.arange(d - 1)
        C[..., idx + 1, idx] = 1.0
    C[..., :, d - 1] = -c[..., :d] / lead[..., None]
    C = np.where(np.isfinite(C), C, 0.0)
    return np.linalg.eigvals(C)


def _polyval(c: np.ndarray, z: np.ndarray) -> np.ndarray:
    """Evaluate ascending coefficients ``c`` (..., d + 1) at ``z`` (..., m) -> (..., m)."""
    out = np.zeros(z.shape, dtype=complex)
    for k in range(c.shape[-1] - 1, -1, -1):
        out = out * z + c[..., k : k + 1]
    return out


def null_vectors(A: np.ndarray) -> np.ndarray:
    """A vector spanning the (right) kernel of each (..., r, c) matrix with ``r < c`` or singular square.

    The last right singular vector; exact kernels of rank-deficient matrices
    are found to rounding.

    Examples
    --------
    >>> v = null_vectors(np.array([[1.0, 1.0, 0.0], [0.0, 1.0, 1.0]]))
    >>> (v / v[0]).real.round(12).tolist()
    [1.0, -1.0, 1.0]
    """
    A = np.nan_to_num(A)
    _, _, vh = np.linalg.svd(A, full_matrices=True)
    return vh[..., -1, :].conj()


def signed_minors(A: np.ndarray) -> np.ndarray:
    """Signed maximal minors of (..., k - 1, k) matrices: a kernel vector polynomial in the entries.

    Examples
    --------
    >>> signed_minors(np.array([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])).tolist()   # the cross product
    [-3.0, 6.0, -3.0]
    """
    k = A.shape[-1]
    if k == 2:
        return np.stack([A[..., 0, 1], -A[..., 0, 0]], axis=-1)
    if k == 3:
        return np.cross(A[..., 0, :], A[..., 1, :])
    subs = np.stack([np.delete(A, c, axis=-1) for c in range(k)], axis=-3)
    return np.linalg.det(subs) * (-1.0) ** np.arange(k)


def _sylvester(p: np.ndarray, q: np.ndarray) -> np.ndarray:
    """Sylvester matrices of polynomials with ascending coefficients p (..., a + 1), q (..., b + 1)."""
    a, b = p.shape[-1] - 1, q.shape[-1] - 1
    n = a + b
    S = np.zeros(p.shape[:-1] + (n, n), dtype=complex)
    pd, qd = p[..., ::-1], q[..., ::-1]
    for r in range(b):
        S[..., r, r : r + a + 1] = pd
    for r in range(a):
        S[..., b + r, r : r + b + 1] = qd
    return S


# ======================================================================================
# kernels; each takes V (P, n, k...) in the kernel's player order, returns blocks (P, C, k_i)
# ======================================================================================


def _linear(V: np.ndarray) -> list[np.ndarray]:
    W = indifference_rows(V)  # W[0]: (P, k-1, k) in x_2; W[1]: (P, k-1, k) in x_1
    x2 = null_vectors(W[0].astype(complex))
    x1 = null_vectors(W[1].astype(complex))
    return [x1[:, None], x2[:, None]]


def _hidden_mats(V: np.ndarray, y: np.ndarray):
    """A_1(y) (P, M, k1 - 1, k2), A_2(y) (P, M, k2 - 1, k1), B (P, k1, k2) and x_3(y)."""
    W = indifference_rows(V)
    x3 = np.stack([(1 - y) / 2, (1 + y) / 2], axis=-1)  # (P, M, 2)
    A1 = np.einsum("prbc,pmc->pmrb", W[0], x3)
    A2 = np.einsum("prac,pmc->pmra", W[1], x3)
    B = W[2][:, 0]  # (P, k1, k2)
    return A1, A2, B, x3


def _hidden(V: np.ndarray) -> list[np.ndarray]:
    P, _, k1, k2, _ = V.shape
    d = 2 * (k2 - 1) if k1 == k2 else k2
    y = np.broadcast_to(unit_roots(d + 1), (P, d + 1))
    A1, A2, B, _ = _hidden_mats(V, y)
    if k1 == k2:
        f = np.einsum("pma,pab,pmb->pm", signed_minors(A2), B, signed_minors(A1))
    else:
        f = np.linalg.det(A1)
    roots = poly_roots(interpolate(f))  # (P, d)
    A1, A2, B, x3 = _hidden_mats(V, roots)
    x2 = null_vectors(A1)
    if k1 == k2:
        x1 = null_vectors(A2)
    else:
        border = np.einsum("pab,pmb->pma", B, x2)[:, :, None, :]
        x1 = null_vectors(np.concatenate([A2, border], axis=2))
    return [x1, x2, x3]


def _cubic_mats(V: np.ndarray, s: np.ndarray, t: np.ndarray):
    """x_1, x_2, x_3 and player 3's two forms f at x_3 = (1 - s - t, s, t) (3x3x3)."""
    W = indifference_rows(V)
    x3 = np.stack([1 - s - t, s, t], axis=-1)
    extra = "ijk"[: s.ndim - 1]
    A1 = np.einsum(f"prbc,p{extra}c->p{extra}rb", W[0], x3)
    A2 = np.einsum(f"prac,p{extra}c->p{extra}ra", W[1], x3)
    x2 = np.cross(A1[..., 0, :], A1[..., 1, :])
    x1 = np.cross(A2[..., 0, :], A2[..., 1, :])
    f = np.einsum(f"p{extra}a,prab,p{extra}b->p{extra}r", x1, W[2], x2)
    return x1, x2, x3, f


def _cubic(V: np.ndarray) -> list[np.ndarray]:
    P = V.shape[0]
    # s = (1 + sigma) / 2, t = (1 + tau) / 2: the simplex has sigma, tau in (-1, 1)
    tau = unit_roots(17)
    sig = unit_roots(5)
    T = np.broadcast_to((1 + tau)[:, None] / 2, (P, 17, 5))
    S = np.broadcast_to((1 + sig)[None, :] / 2, (P, 17, 5))
    *_, f = _cubic_mats(V, S, T)  # (P, 17, 5, 2)
    cs = interpolate(f, axis=2)  # coefficients in sigma: (P, 17, 5, 2)
    R = np.linalg.det(_sylvester(cs[..., 0], cs[..., 1]))  # (P, 17)
    troots = poly_roots(interpolate(R))  # (P, 16)
    T = np.broadcast_to(((1 + troots) / 2)[..., None], (P, 16, 5))
    S = np.broadcast_to((1 + sig)[None, None, :] / 2, (P, 16, 5))
    *_, f = _cubic_mats(V, S, T)
    cs = interpolate(f, axis=2)  # (P, 16, 5, 2)
    sroots = poly_roots(cs[..., 0])  # (P, 16, 4)
    score = np.abs(_polyval(cs[..., 1], sroots)) / (
        np.max(np.abs(cs[..., 1]), axis=-1, keepdims=True) * np.maximum(1.0, np.abs(sroots)) ** 4
    )
    best = np.argsort(np.nan_to_num(score, nan=np.inf), axis=-1)[..., :2]  # the two best, to be safe
    sig_c = np.take_along_axis(sroots, best, axis=-1)  # (P, 16, 2)
    s = (1 + sig_c) / 2
    t = np.broadcast_to(((1 + troots) / 2)[..., None], s.shape)
    x1, x2, x3, _ = _cubic_mats(V, s, t)
    return [x.reshape(P, -1, 3) for x in (x1, x2, x3)]


def _quartet_coefs(V: np.ndarray, y: np.ndarray):
    """Coefficients of D_1..D_3 (linear in y) and player 4's advantage (2x2x2) for 2x2x2x2."""
    x4 = np.stack([(1 - y) / 2, (1 + y) / 2], axis=-1)  # (P, M, 2): p_4 = (1 - y) / 2
    e = [
        V[:, i].take(0, axis=1 + i) - V[:, i].take(1, axis=1 + i) for i in range(4)
    ]  # advantage of the first strategy
    coef = []
    for i in range(3):
        E = np.einsum("pjkc,pmc->pmjk", e[i], x4)  # others among players 1-3, in order
        a = E[..., 1, 1]
        b = E[..., 0, 1] - E[..., 1, 1]
        c = E[..., 1, 0] - E[..., 1, 1]
        dd = E[..., 0, 0] - E[..., 0, 1] - E[..., 1, 0] + E[..., 1, 1]
        coef.append((a, b, c, dd))
    return coef, e[3]


def _quartet_polys(coef, e4, p3: np.ndarray):
    """Q(p_3) and P(p_3) and the pieces n_1, m_1, n_2, m_2 at p_3 (P, M, L)."""
    (a1, b1, c1, d1), (a2, b2, c2, d2), (a3, b3, c3, d3) = [[x[..., None] for x in t] for t in coef]
    n2, m2 = a1 + c1 * p3, b1 + d1 * p3  # D_1 = n_2 + m_2 p_2
    n1, m1 = a2 + c2 * p3, b2 + d2 * p3  # D_2 = n_1 + m_1 p_1
    Q = a3 * m1 * m2 - b3 * n1 * m2 - c3 * m1 * n2 + d3 * n1 * n2
    N1 = (-n1, m1 + n1)
    N2 = (-n2, m2 + n2)
    w3 = (p3, 1 - p3)
    Pp = sum(
        e4[:, s1, s2, s3][:, None, None] * N1[s1] * N2[s2] * w3[s3]
        for s1 in range(2)
        for s2 in range(2)
        for s3 in range(2)
    )
    return Q, Pp, n1, m1, n2, m2


def _quartet(V: np.ndarray) -> list[np.ndarray]:
    P = V.shape[0]
    y = np.broadcast_to(unit_roots(14), (P, 14))
    pi = unit_roots(4)  # p_3 = (1 + pi) / 2
    coef, e4 = _quartet_coefs(V, y)
    Q, Pp, *_ = _quartet_polys(coef, e4, np.broadcast_to((1 + pi) / 2, (P, 14, 4)))
    cq = interpolate(Q)[..., :3]
    cp = interpolate(Pp)
    R = np.linalg.det(_sylvester(cq, cp))  # (P, 14)
    yroots = poly_roots(interpolate(R))  # (P, 13)
    coef, e4 = _quartet_coefs(V, yroots)
    Q, Pp, *_ = _quartet_polys(coef, e4, np.broadcast_to((1 + pi) / 2, (P, 13, 4)))
    qroots = poly_roots(interpolate(Q)[..., :3])  # (P, 13, 2) in pi
    p3 = (1 + qroots) / 2
    _, _, n1, m1, n2, m2 = _quartet_polys(coef, e4, p3)
    p1, p2 = -n1 / m1, -n2 / m2
    x4 = np.broadcast_to(
        np.stack([(1 - yroots) / 2, (1 + yroots) / 2], axis=-1)[:, :, None, :], (P, 13, 2, 2)
    )
    xs = [np.stack([p, 1 - p], axis=-1) for p in (p1, p2, p3)] + [x4]
    return [x.reshape(P, -1, 2) for x in xs]


_KERNELS = {"linear": _linear, "hidden": _hidden, "3x3x3": _cubic, "2x2x2x2": _quartet}


# ======================================================================================
# refinement and the Bezout-count certificate
# ======================================================================================


@dataclass(frozen=True, eq=False)
class TotallyMixed:
    """The solutions of a batch of totally mixed problems found by elimination.

    Attributes
    ----------
    X : ndarray, shape (Q, K)
        Distinct nonsingular solutions, the players' blocks side by side, in
        the chart ``chart`` (complex).
    job : ndarray of int, shape (Q,)
        The problem each solution belongs to.
    chart : list of ndarray
        The random complex chart :math:`c_j \\cdot x_j = 1`.
    count : ndarray of int, shape (J,)
        Distinct nonsingular solutions found per problem.
    certified : ndarray of bool, shape (J,)
        Whether ``count`` equals the multihomogeneous Bezout number: then no
        isolated solution is missing.
    """

    X: np.ndarray
    job: np.ndarray
    chart: list[np.ndarray]
    count: np.ndarray
    certified: np.ndarray


def solve_totally_mixed(
    U: np.ndarray, rng: np.random.Generator, scale: np.ndarray | float = 1.0
) -> TotallyMixed:
    """Every isolated solution of a batch of totally mixed problems of one shape, certified by count.

    Candidates from :func:`candidates` are moved to a random complex chart and
    refined by Newton's method (first those whose residual is already below
    0.1, then, for problems still short of the Bezout number, all of them with
    more iterations).  Solutions with residual below ``1e-10`` (relative to
    ``scale``) and Jacobian condition number below ``1e8`` (so that a solution is
    known to rounding, far below the ``1e-6`` that tells two apart) are kept once.

    Parameters
    ----------
    U : ndarray, shape (J, n, k_1, ..., k_n)
    rng : numpy Generator
        For the chart.
    scale : float or ndarray (J,)
        Payoff size of each problem.

    Examples
    --------
    >>> U = np.random.default_rng(1).normal(size=(5, 3, 3, 3, 3))
    >>> sol = solve_totally_mixed(U, np.random.default_rng(0))
    >>> sol.count.tolist(), bool(sol.certified.all())
    ([10, 10, 10, 10, 10], True)
    """
    J = U.shape[0]
    k = tuple(U.shape[2:])
    bez = bezout_number(tuple(x - 1 for x in k))
    W = indifference_rows(U)
    chart = [rng.normal(size=kj) + 1j * rng.normal(size=kj) for kj in k]
    xs = candidates(U)
    C = xs[0].shape[1]
    with np.errstate(all="ignore"):
        X0 = np.concatenate([x / np.einsum("jca,a->jc", x, c)[..., None] for x, c in zip(xs, chart)], axis=2)
    X0 = np.where(np.isfinite(X0).all(axis=2, keepdims=True), X0, np.nan)
    scale = np.broadcast_to(np.asarray(scale, dtype=float), (J,))
    rep = [np.repeat(w, C, axis=0) for w in W]
    flat = X0.reshape(J * C, -1)
    sc = np.repeat(scale, C)
    if C > bez:  # spurious candidates: refine first those already close to a solution
        _, r0, _ = newton_chart(rep, chart, flat, iters=0, scale=sc, cond=False)
        first = np.flatnonzero(r0 < 0.1)
    else:
        first = np.arange(J * C)
    X, ok = _refine(rep, chart, flat, sc, first, iters=8)
    X = X.reshape(J, C, -1)
    ok = ok.reshape(J, C)
    good = _distinct(W, chart, X, ok)
    count = good.sum(axis=1)
    short = np.flatnonzero(count < bez)
    if short.size:  # every candidate of the problems still short, with more iterations
        redo = (short[:, None] * C + np.arange(C)[None, :]).reshape(-1)
        X2, ok2 = _refine(rep, chart, flat, sc, redo, iters=30)
        X[short] = X2.reshape(J, C, -1)[short]
        ok[short] = ok2.reshape(J, C)[short]
        good[short] = _distinct([w[short] for w in W], chart, X[short], ok[short])
        count = good.sum(axis=1)
    for variant in range(1, len(k)):  # still short: eliminate with another player hidden
        short = np.flatnonzero(count < bez)
        more = candidates(U[short], variant) if short.size else None
        if more is None:
            break
        S, Cv = short.size, more[0].shape[1]
        with np.errstate(all="ignore"):
            Xv = np.concatenate(
                [x / np.einsum("jca,a->jc", x, c)[..., None] for x, c in zip(more, chart)], axis=2
            )
        Wv = [np.repeat(w[short], Cv, axis=0) for w in W]
        Xv, okv = _refine(
            Wv, chart, Xv.reshape(S * Cv, -1), np.repeat(scale[short], Cv), np.arange(S * Cv), 30
        )
        X = np.concatenate([X, np.full((J, Cv, X.shape[2]), np.nan, dtype=complex)], axis=1)
        ok = np.concatenate([ok, np.zeros((J, Cv), dtype=bool)], axis=1)
        good = np.concatenate([good, np.zeros((J, Cv), dtype=bool)], axis=1)
        X[short, C:] = Xv.reshape(S, Cv, -1)
        ok[short, C:] = okv.reshape(S, Cv)
        C += Cv
        good[short] = _distinct([w[short] for w in W], chart, X[short], ok[short])
        count = good.sum(axis=1)
    job, slot = np.nonzero(good)
    return TotallyMixed(X[job, slot], job, chart, count, count == bez)


def _refine(rep, chart, flat, scale, which, iters):
    """Newton from the candidates ``which``; returns all points (NaN elsewhere) and convergence."""
    X = np.full(flat.shape, np.nan, dtype=complex)
    ok = np.zeros(flat.shape[0], dtype=bool)
    if which.size:
        Xw, res, _ = newton_chart(
            [w[which] for w in rep], chart, flat[which], iters=iters, scale=scale[which], cond=False
        )
        X[which] = Xw
        ok[which] = res < 1e-10
    return X, ok


def _distinct(W, chart, X: np.ndarray, ok: np.ndarray) -> np.ndarray:
    """Per problem, the converged points (J, C) that are new (no earlier point within 1e-6) and nonsingular."""
    J, C = ok.shape
    good = np.zeros((J, C), dtype=bool)
    if J == 0 or not ok.any():
        return good
    # compact the converged points to the front, so that the pairwise distances stay small
    order = np.argsort(~ok, axis=1, kind="stable")
    width = int(ok.sum(axis=1).max())
    order = order[:, :width]
    Y = np.take_along_axis(X, order[..., None], axis=1)
    valid = np.take_along_axis(ok, order, axis=1)
    with np.errstate(all="ignore"):
        size = np.linalg.norm(Y, axis=2)
        d = np.linalg.norm(Y[:, :, None, :] - Y[:, None, :, :], axis=3)
    close = d <= 1e-6 * (1 + size[:, :, None])
    earlier = np.triu(np.ones((width, width), dtype=bool), 1)  # [a, b]: a < b
    dup = (close & valid[:, :, None] & earlier[None]).any(axis=1)
    job, slot = np.nonzero(valid & ~dup)
    cond = condition_numbers([w[job] for w in W], chart, Y[job, slot])
    good[job, order[job, slot]] = cond < 1e8
    return good
