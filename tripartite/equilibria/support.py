"""Every Nash equilibrium of a finite N-player game, by support enumeration.

A profile :math:`x` with supports :math:`S_i` is a Nash equilibrium iff

.. math::

    u_i(s, x_{-i}) = v_i \\;\\; (s \\in S_i), \\qquad
    u_i(t, x_{-i}) \\le v_i \\;\\; (t \\notin S_i), \\qquad
    x_i(s) > 0 \\;\\; (s \\in S_i), \\quad \\textstyle\\sum_s x_i(s) = 1 .

For each *support profile* :math:`S = (S_1, \\dots, S_N)` the equalities form
a square polynomial system: :math:`|S_i| - 1` indifference equations per
player, each multilinear in the *other* players' probabilities, in
:math:`\\sum_i (|S_i| - 1)` unknowns.  Its solutions that are probabilities
and satisfy the best-response inequalities are exactly the equilibria with
support :math:`S`.  Support profiles in which some strategy of :math:`S_i` is
dominated given :math:`S_{-i}` are skipped (they cannot hold an equilibrium).

**Exact path** (rational payoffs): the system of each support is solved with
sympy: a Groebner basis decides whether it has finitely many solutions; if
so a lex basis in *shape position*
:math:`\\{v_k - g_k(\\theta), p(\\theta)\\}` writes every coordinate as a
rational polynomial in one algebraic number :math:`\\theta`, a real root of an
irreducible factor :math:`q` of :math:`p`.  Every sign condition is then
decided exactly: a quantity :math:`r(\\theta)` is zero iff
:math:`q \\mid r`, and otherwise its sign is read off an isolating interval of
:math:`\\theta` refined until :math:`r` has no root in it.  Probabilities are
reported as rationals, radicals or ``CRootOf`` objects; the regret is exactly 0.

**Floating-point path**: all isolated complex solutions of each support's
system are found by a multihomogeneous *linear-product homotopy*
:math:`H(x, t) = (1 - t)\\gamma G(x) + t F(x)` (Morgan & Sommese; the start
system :math:`G` replaces each indifference equation by a product of random
linear forms, one in each other player's probabilities, so it has exactly
the multihomogeneous Bezout number of start solutions, e.g. 10 for a
totally mixed 3x3x3 system; McKelvey & McLennan 1997).  All paths of all
supports (and all games of a batch) are tracked together, in projective
coordinates with a random chart, by a predictor-corrector with step control
(RK4 predictor, Newton corrector).  With probability one every isolated
solution is the end of a path.  Real endpoints are polished by Newton's
method and verified (regret at most ``tol``).

**Degeneracy.**  An equilibrium is *regular* if it is quasi-strict (no tie
with an unused strategy) and the Jacobian of its support system is
nonsingular; regular equilibria are isolated.  The game is reported
*degenerate* when an irregular equilibrium is found, when a support system
has a continuum of solutions (exact: the Groebner basis is not
zero-dimensional; floating point: singular or failed path endpoints, or a
player indifferent over a whole face), and then the set is never labelled
complete.  Continua are described in ``notes``.

**Limits.**  The number of paths grows quickly (271 for 3x3x3, 5248 for
4x4x4, before pruning); beyond ``max_paths``, or past ``time_limit``
seconds, enumeration stops and, with ``method="auto"``, a multi-start local
solver returns the equilibria it finds, labelled *not complete*.

Examples
--------
>>> import numpy as np
>>> from tripartite.game import Game
>>> bos = Game.from_array(np.array([[[2, 0], [0, 1]], [[1, 0], [0, 2]]]))
>>> eqs = all_equilibria(bos, exact=True)
>>> [e.exact for e in eqs]         # doctest: +NORMALIZE_WHITESPACE
[((1, 0), (1, 0)), ((0, 1), (0, 1)), ((2/3, 1/3), (1/3, 2/3))]
>>> eqs.complete, eqs.degenerate
(True, False)
"""

from __future__ import annotations

import itertools
import signal
import string
import threading
import time
from collections.abc import Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cache

import numpy as np
import sympy as sp

from ..errors import TripartiteError
from ..game import Game, expected_payoffs, regret, strategy_payoffs
from .mixed import closed_form_2x2x2, closed_form_sets
from .pure import DEFAULT_TOL
from .result import Equilibrium, EquilibriumSet, sort_key

__all__ = [
    "all_equilibria",
    "all_equilibria_batch",
    "support_enumeration",
    "local_equilibria",
    "support_profiles",
    "exact_payoff_array",
    "ENUMERATION_METHOD",
    "EXACT_METHOD",
    "LOCAL_METHOD",
]

ENUMERATION_METHOD = (
    "support enumeration; each support's indifference system solved by a multihomogeneous "
    "linear-product homotopy (floating point), real solutions polished by Newton's method and verified"
)
EXACT_METHOD = (
    "support enumeration; each support's indifference system solved exactly "
    "(Groebner basis in shape position, real algebraic numbers), sign conditions decided exactly"
)
LOCAL_METHOD = (
    "multi-start local search (Lyapunov-function minimisation and Newton polishing); "
    "finds some equilibria, NOT complete"
)
_LETTERS = string.ascii_letters


# ======================================================================================
# support profiles
# ======================================================================================


def _subsets(m: int) -> list[tuple[int, ...]]:
    return [
        tuple(k for k in range(m) if mask >> k & 1)
        for mask in sorted(range(1, 2**m), key=lambda b: (bin(b).count("1"), b))
    ]


def support_profiles(payoffs: np.ndarray, tol: float = 0.0) -> list[tuple[tuple[int, ...], ...]]:
    """Support profiles that can hold an equilibrium, by conditional dominance.

    A profile :math:`S` is skipped when some :math:`s \\in S_i` is weakly
    dominated given :math:`S_{-i}`: another strategy :math:`t` does at least as
    well against every :math:`s_{-i} \\in S_{-i}` and better against one (a
    fully mixed :math:`x_{-i}` on :math:`S_{-i}` then makes :math:`t` strictly
    better, so :math:`s` is not a best response).  Differences within ``tol``
    count as ties.

    Parameters
    ----------
    payoffs : ndarray, shape (N, s_1, ..., s_N)
        One game (floats, or exact numbers in an object array).
    tol : float

    Returns
    -------
    list of tuple of tuple of int
        Supports (strategy indices of each player), smallest first.

    Examples
    --------
    >>> pd = np.array([[[3, 0], [5, 1]], [[3, 5], [0, 1]]])
    >>> support_profiles(pd)                    # defection dominates
    [((1,), (1,))]
    """
    u = np.asarray(payoffs)
    n = u.shape[0]
    shape = u.shape[1:]
    subsets = [_subsets(m) for m in shape]
    cache: dict = {}

    def dominated(i: int, others: tuple[tuple[int, ...], ...]) -> frozenset[int]:
        key = (i, others)
        if key not in cache:
            ui = u[i]
            for j in reversed(range(n)):
                if j != i:
                    ui = np.take(ui, others[j if j < i else j - 1], axis=j)
            block = np.moveaxis(ui, i, 0).reshape(shape[i], -1)
            diff = block[:, None, :] - block[None, :, :]  # [t, s, profile]
            if diff.dtype == object:
                ge = np.vectorize(lambda d: d >= -tol, otypes=[bool])(diff).all(axis=2)
                gt = np.vectorize(lambda d: d > tol, otypes=[bool])(diff).any(axis=2)
            else:
                ge = (diff >= -tol).all(axis=2)
                gt = (diff > tol).any(axis=2)
            cache[key] = frozenset(int(s) for s in np.flatnonzero((ge & gt).any(axis=0)))
        return cache[key]

    out = []
    for prof in itertools.product(*subsets):
        ok = True
        for i in range(n):
            others = prof[:i] + prof[i + 1 :]
            if dominated(i, others) & set(prof[i]):
                ok = False
                break
        if ok:
            out.append(prof)
    out.sort(key=lambda p: (sum(map(len, p)), p))
    return out


@cache
def _assignments(m: tuple[int, ...]) -> tuple[tuple[int, ...], ...]:
    """Start solutions of the linear-product system: each indifference equation of
    player i picks a factor (another player j), each j picked exactly m_j times."""
    n = len(m)
    rows = [i for i in range(n) for _ in range(m[i])]
    cap = list(m)
    out: list[tuple[int, ...]] = []
    cur: list[int] = []

    def rec(k: int) -> None:
        if k == len(rows):
            out.append(tuple(cur))
            return
        for j in range(n):
            if j != rows[k] and cap[j] > 0:
                cap[j] -= 1
                cur.append(j)
                rec(k + 1)
                cur.pop()
                cap[j] += 1

    rec(0)
    return tuple(out)


def _is_deficient(m: Sequence[int]) -> bool:
    """Whether the system has no isolated solution for structural reasons (Bezout number 0)."""
    return sum(m) > 0 and len(_assignments(tuple(m))) == 0


# ======================================================================================
# the homotopy (floating point)
# ======================================================================================


def _multilinear(w: np.ndarray, vs: list[np.ndarray]) -> tuple[np.ndarray, list[np.ndarray]]:
    """Value (P, R) of the form ``w`` (P, R, a_1..a_k) at vectors ``vs`` and its partials."""
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


@dataclass
class _Paths:
    """A batch of homotopy paths of games of one shape (uniform layout, all supports)."""

    shape: tuple[int, ...]
    W: list[np.ndarray]  # per player (P, A_i - 1, *A_-i): target indifference rows
    L: list[np.ndarray]  # per player (P, A_i - 1, A_i): own-block zero constraints
    ind: list[np.ndarray]  # per player (P, A_i - 1): 1 for an indifference row
    F0: list[list[np.ndarray | None]]  # [i][j] (P, A_i - 1, A_j): start-system linear forms
    chart: list[np.ndarray]  # per player (P, A_i)
    gamma: np.ndarray  # (P,)

    @property
    def offsets(self) -> list[int]:
        return [sum(self.shape[:j]) for j in range(len(self.shape))]

    def take(self, idx: np.ndarray) -> _Paths:
        return _Paths(
            self.shape,
            [w[idx] for w in self.W],
            [x[idx] for x in self.L],
            [x[idx] for x in self.ind],
            [[None if f is None else f[idx] for f in row] for row in self.F0],
            [c[idx] for c in self.chart],
            self.gamma[idx],
        )

    def evaluate(self, X: np.ndarray, t: np.ndarray, start_only: bool = False):
        """H, dH/dX and dH/dt at (X, t); ``t`` of shape (P,)."""
        A, off = self.shape, self.offsets
        n, P = sum(A), X.shape[0]
        xs = [X[:, off[j] : off[j] + A[j]] for j in range(len(A))]
        H = np.empty((P, n), dtype=X.dtype)
        J = np.zeros((P, n, n), dtype=X.dtype)
        Ht = np.zeros((P, n), dtype=X.dtype)
        s = ((1 - t) * self.gamma)[:, None]
        tt = t[:, None]
        for i in range(len(A)):
            r0 = off[i]
            own = slice(off[i], off[i] + A[i])
            rows = slice(r0 + 1, r0 + A[i])
            H[:, r0] = np.einsum("pa,pa->p", self.chart[i], xs[i]) - 1
            J[:, r0, own] = self.chart[i]
            others = [j for j in range(len(A)) if j != i]
            ind = self.ind[i]
            Fval, Fd = _multilinear(self.W[i], [xs[j] for j in others])
            lin = [np.einsum("pra,pa->pr", self.F0[i][j], xs[j]) for j in others]
            Gval = np.prod(np.stack(lin), axis=0)
            own_lin = np.einsum("pra,pa->pr", self.L[i], xs[i])
            H[:, rows] = ind * (s * Gval + tt * Fval) + (1 - ind) * own_lin
            Ht[:, rows] = ind * (Fval - self.gamma[:, None] * Gval)
            J[:, rows, own] = (1 - ind)[..., None] * self.L[i]
            for q, j in enumerate(others):
                rest = np.ones_like(lin[0])
                for m_ in range(len(others)):
                    if m_ != q:
                        rest = rest * lin[m_]
                Gd = self.F0[i][j] * rest[..., None]
                J[:, rows, off[j] : off[j] + A[j]] = ind[..., None] * (
                    s[..., None] * Gd + tt[..., None] * Fd[q]
                )
        return H, J, Ht


def _solve(J: np.ndarray, b: np.ndarray) -> np.ndarray:
    try:
        return np.linalg.solve(J, b[..., None])[..., 0]
    except np.linalg.LinAlgError:
        out = np.full_like(b, np.nan)
        for k in range(J.shape[0]):
            try:
                out[k] = np.linalg.solve(J[k], b[k])
            except np.linalg.LinAlgError:
                pass
        return out


@dataclass
class _TrackResult:
    X: np.ndarray  # endpoints (P, n)
    status: np.ndarray  # 0 ok, 1 failed (step too small), 2 diverged, 3 timed out
    cond: np.ndarray  # condition number of the Jacobian at the endpoint
    t: np.ndarray


def _track(
    paths: _Paths, X0: np.ndarray, deadline: float, h_max: float = 0.25, pred_tol: float = 1e-4
) -> _TrackResult:
    """Track every path from t = 0 to t = 1 (vectorised predictor-corrector)."""
    P = X0.shape[0]
    X = X0.copy()
    t = np.zeros(P)
    h = np.full(P, min(0.02, h_max))
    status = np.zeros(P, dtype=int)
    active = np.ones(P, dtype=bool)

    def velocity(sub, Xa, ta):
        _, J, Ht = sub.evaluate(Xa, ta)
        return -_solve(J, Ht)

    with np.errstate(all="ignore"):  # diverging paths overflow; they are caught below
        return _track_loop(paths, X0, deadline, h_max, pred_tol, X, t, h, status, active, velocity)


def _track_loop(paths, X0, deadline, h_max, pred_tol, X, t, h, status, active, velocity) -> _TrackResult:
    P = X0.shape[0]

    while active.any():
        if time.monotonic() > deadline:
            status[active] = 3
            break
        idx = np.flatnonzero(active)
        sub = paths.take(idx)
        x, tt, hh = X[idx], t[idx], np.minimum(h[idx], 1 - t[idx])
        k1 = velocity(sub, x, tt)
        k2 = velocity(sub, x + 0.5 * hh[:, None] * k1, tt + 0.5 * hh)
        k3 = velocity(sub, x + 0.5 * hh[:, None] * k2, tt + 0.5 * hh)
        k4 = velocity(sub, x + hh[:, None] * k3, tt + hh)
        xp = x + (hh / 6)[:, None] * (k1 + 2 * k2 + 2 * k3 + k4)
        t1 = tt + hh
        scale = 1 + np.linalg.norm(xp, axis=1)
        H, J, _ = sub.evaluate(xp, t1)
        d1 = _solve(J, -H)
        xc = xp + d1
        H, J, _ = sub.evaluate(xc, t1)
        d2 = _solve(J, -H)
        xc = xc + d2
        n1 = np.linalg.norm(d1, axis=1)
        n2 = np.linalg.norm(d2, axis=1)
        ok = np.isfinite(n1) & np.isfinite(n2) & (n1 <= pred_tol * scale) & (n2 <= 0.01 * n1 + 1e-13 * scale)
        good, bad = idx[ok], idx[~ok]
        X[good] = xc[ok]
        t[good] = t1[ok]
        # step control from the predictor error (RK4: error ~ h^5), within [1/2, 2] per step
        ratio = np.where(np.isfinite(n1), (pred_tol * scale / np.maximum(n1, 1e-300)) ** 0.2, 0.0)
        factor = np.clip(0.8 * ratio, 0.5, 2.0)
        h[good] = np.minimum(hh[ok] * factor[ok], h_max)
        h[bad] = hh[~ok] * np.minimum(factor[~ok], 0.5)
        done = good[t[good] >= 1.0]
        active[done] = False
        big = good[np.linalg.norm(X[good], axis=1) > 1e8]
        status[big], active[big] = 2, False
        tiny = bad[h[bad] < 1e-12]
        status[tiny], active[tiny] = 1, False
    # polish the endpoints at t = 1 and measure their conditioning
    ones = np.ones(P)
    cond = np.full(P, np.inf)
    okp = np.flatnonzero(status == 0)
    if okp.size:
        sub = paths.take(okp)
        x = X[okp]
        for _ in range(3):
            H, J, _ = sub.evaluate(x, ones[okp])
            step = _solve(J, -H)
            x = np.where(np.isfinite(step), x + step, x)
        X[okp] = x
        _, J, _ = sub.evaluate(x, ones[okp])
        sv = np.linalg.svd(J, compute_uv=False)
        cond[okp] = sv[:, 0] / np.maximum(sv[:, -1], 1e-300)
    return _TrackResult(X, status, cond, t)


def _build_paths(
    u: np.ndarray, jobs: list[tuple[int, tuple[tuple[int, ...], ...]]], rng: np.random.Generator
) -> tuple[_Paths, np.ndarray, np.ndarray]:
    """Paths and start points for (game index, support) jobs; u has shape (B, N, *A)."""
    shape = u.shape[2:]
    N = len(shape)
    rows_meta = []  # (job, assignment)
    for jb, (_, supp) in enumerate(jobs):
        m = tuple(len(s) - 1 for s in supp)
        for asg in _assignments(m):
            rows_meta.append((jb, asg))
    P = len(rows_meta)
    W = [
        np.zeros((P, shape[i] - 1, *[shape[j] for j in range(N) if j != i]), dtype=complex) for i in range(N)
    ]
    L = [np.zeros((P, shape[i] - 1, shape[i]), dtype=complex) for i in range(N)]
    ind = [np.zeros((P, shape[i] - 1)) for i in range(N)]
    # one start system, chart and gamma per job: all start solutions of the same G
    job_idx = np.array([jb for jb, _ in rows_meta], dtype=int)
    J = len(jobs)

    def cnormal(*size):
        return rng.normal(size=size) + 1j * rng.normal(size=size)

    F0 = [
        [None if j == i else cnormal(J, shape[i] - 1, shape[j])[job_idx] for j in range(N)] for i in range(N)
    ]
    chart = [cnormal(J, shape[i])[job_idx] for i in range(N)]
    gamma = np.exp(2j * np.pi * rng.random(J))[job_idx]
    X0 = np.zeros((P, sum(shape)), dtype=complex)
    job_of = np.empty(P, dtype=int)
    off = [sum(shape[:j]) for j in range(N)]
    for p, (jb, asg) in enumerate(rows_meta):
        b, supp = jobs[jb]
        job_of[p] = jb
        row_owner = []
        for i in range(N):
            S = supp[i]
            ref = S[0]
            outside = [s for s in range(shape[i]) if s not in S]
            for r in range(shape[i] - 1):
                if r < len(S) - 1:
                    W[i][p, r] = np.take(u[b, i], S[r + 1], axis=i) - np.take(u[b, i], ref, axis=i)
                    ind[i][p, r] = 1.0
                    row_owner.append((i, r))
                else:
                    L[i][p, r, outside[r - (len(S) - 1)]] = 1.0
        # start point: block j solves chart, zero constraints and its assigned factors
        assigned: dict[int, list[tuple[int, int]]] = {j: [] for j in range(N)}
        for (i, r), j in zip(row_owner, asg):
            assigned[j].append((i, r))
        for j in range(N):
            M = np.zeros((shape[j], shape[j]), dtype=complex)
            rhs = np.zeros(shape[j], dtype=complex)
            M[0], rhs[0] = chart[j][p], 1.0
            k = 1
            for s in range(shape[j]):
                if s not in supp[j]:
                    M[k, s] = 1.0
                    k += 1
            for i, r in assigned[j]:
                M[k] = F0[i][j][p, r]
                k += 1
            X0[p, off[j] : off[j] + shape[j]] = np.linalg.solve(M, rhs)
    paths = _Paths(tuple(shape), W, L, ind, F0, chart, gamma)
    return paths, X0, job_of


# ======================================================================================
# real polishing and classification of candidates (floating point)
# ======================================================================================


def _support_residual(u: np.ndarray, supp, xs: list[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """Indifference residuals of a support system in affine coordinates and their Jacobian.

    Unknowns: x_j(S_j[1:]) for every player; x_j(S_j[0]) = 1 - sum.
    """
    N = len(xs)
    shape = u.shape[1:]
    idx_var = []
    for j in range(N):
        for s in supp[j][1:]:
            idx_var.append((j, s))
    res = []
    jac = []
    for i in range(N):
        if len(supp[i]) < 2:
            continue
        others = [j for j in range(N) if j != i]
        for s in supp[i][1:]:
            w = np.take(u[i], s, axis=i) - np.take(u[i], supp[i][0], axis=i)  # shape A_-i
            val, parts = _multilinear(w[None, None], [xs[j][None] for j in others])
            res.append(val[0, 0])
            row = np.zeros(len(idx_var))
            for q, j in enumerate(others):
                g = parts[q][0, 0]  # d/dx_j (full coordinates)
                for v, (jj, ss) in enumerate(idx_var):
                    if jj == j:
                        row[v] = g[ss] - g[supp[j][0]]
            jac.append(row)
    del shape
    return np.array(res), np.array(jac).reshape(len(res), len(idx_var))


def _polish(u: np.ndarray, supp, xs: list[np.ndarray], iters: int = 6):
    """Newton's method on the real support system; returns xs, residual norm, Jacobian."""
    xs = [x.astype(float).copy() for x in xs]
    N = len(xs)
    for _ in range(iters):
        res, jac = _support_residual(u, supp, xs)
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
    res, jac = _support_residual(u, supp, xs)
    return xs, (float(np.max(np.abs(res))) if res.size else 0.0), jac


def _regularity(u: np.ndarray, supp, xs, jac: np.ndarray, tol: float) -> tuple[bool, bool]:
    """(quasi_strict, regular) of a verified equilibrium."""
    N = len(xs)
    qs = True
    for i in range(N):
        v = strategy_payoffs(u[None], [x for x in xs], i)[0]
        best = v[list(supp[i])].max()
        out = [t for t in range(u.shape[1 + i]) if t not in supp[i]]
        if out and v[out].max() >= best - tol:
            qs = False
        if any(xs[i][s] <= 1e-9 for s in supp[i]):
            qs = False
    regular = qs
    if jac.size:
        sv = np.linalg.svd(jac, compute_uv=False)
        scale = max(np.abs(u).max(), 1.0)
        if sv[-1] <= 1e-9 * scale:
            regular = False
    return qs, regular


# ======================================================================================
# exact path
# ======================================================================================


class _PositiveDimensional(Exception):
    pass


class _NotShape(Exception):
    pass


class _Timeout(Exception):
    pass


@contextmanager
def _alarm(deadline: float):
    """Interrupt pure-Python work (sympy) at ``deadline`` where signals allow it."""
    use = threading.current_thread() is threading.main_thread() and hasattr(signal, "setitimer")
    if not use:
        yield
        return
    remaining = deadline - time.monotonic()
    if remaining <= 0:
        raise _Timeout

    def handler(signum, frame):
        raise _Timeout

    old = signal.signal(signal.SIGALRM, handler)
    signal.setitimer(signal.ITIMER_REAL, remaining)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


def exact_payoff_array(game: Game) -> np.ndarray:
    """The game's payoffs as exact rationals, shape (N, s_1, ..., s_N), object dtype.

    Uses ``game.exact_payoffs`` when present; otherwise each float is read as
    the decimal it prints as (``0.1`` is ``1/10``).
    """
    if game.exact_payoffs is not None:
        arr = np.asarray(game.exact_payoffs, dtype=object)
        return np.vectorize(
            lambda v: sp.Rational(v) if not isinstance(v, sp.Basic) else sp.nsimplify(v), otypes=[object]
        )(arr)
    if game.batch_size != 1:
        raise TripartiteError("exact solving needs a game at a single parameter point")
    return np.vectorize(lambda v: sp.Rational(repr(float(v))), otypes=[object])(game.payoffs[0])


_T = sp.Symbol("theta")


def _sign_at_root(r: sp.Poly, q: sp.Poly, interval: tuple) -> int:
    """Sign of r(theta) for the real root theta of irreducible q isolated in ``interval``."""
    r = r.rem(q)
    if r.is_zero:
        return 0
    a, b = interval
    if a == b:
        v = r.eval(a)
        return int(sp.sign(v))
    while True:
        if r.count_roots(a, b) == 0:
            return int(sp.sign(r.eval((a + b) / 2)))
        a, b = q.refine_root(a, b, eps=(b - a) / 64)


def _algebraic(r: sp.Poly, q: sp.Poly, index: int, interval: tuple) -> sp.Expr:
    """The exact real number r(theta), theta the ``index``-th real root of q, as a sympy number."""
    r = r.rem(q)
    if r.is_zero:
        return sp.Integer(0)
    if r.degree() <= 0:
        return sp.nsimplify(r.LC() if not r.is_zero else 0)
    if q.degree() == 1:
        return sp.nsimplify(r.eval(-q.nth(0) / q.nth(1)))
    y = sp.Symbol("y")
    minpoly_expr = sp.resultant(q.as_expr(), y - r.as_expr(), _T)
    value = _numeric(r, q, index, interval)
    best = None
    for f, _mult in sp.factor_list(minpoly_expr, y)[1]:
        fp = sp.Poly(f, y)
        if fp.degree() == 0:
            continue
        rts = (
            fp.real_roots()
            if fp.degree() > 2
            else sorted(sp.roots(fp, y).keys(), key=lambda z: float(sp.re(z)))
        )
        for root in rts:
            if not root.is_real:
                continue
            err = abs(float(root.evalf(30)) - value)
            if best is None or err < best[0]:
                best = (err, root)
    if best is None:  # pragma: no cover - the value is real by construction
        raise ArithmeticError("no real root matches an algebraic coordinate")
    root = best[1]
    return sp.radsimp(root) if root.is_algebraic and not isinstance(root, sp.CRootOf) else root


def _numeric(r: sp.Poly, q: sp.Poly, index: int, interval: tuple) -> float:
    theta = sp.CRootOf(q.as_expr(), index).evalf(40) if q.degree() > 1 else -q.nth(0) / q.nth(1)
    return float(sp.N(r.as_expr().subs(_T, theta), 30))


def _exact_support(u: np.ndarray, supp, deadline: float):
    """Solutions of one support profile with exact arithmetic.

    Returns a list of dicts with keys ``exact`` (probabilities), ``float``,
    ``ties`` (bool, a tie with an unused strategy), ``multiple`` (singular
    solution) and ``payoffs`` (exact); raises _PositiveDimensional or _NotShape.
    """
    N = u.shape[0]
    shape = u.shape[1:]
    vars_ = []
    var_of = {}
    for j in range(N):
        for s in supp[j][1:]:
            v = sp.Symbol(f"x_{j}_{s}")
            var_of[(j, s)] = v
            vars_.append(v)
    n = len(vars_)
    for attempt in range(3):
        coeffs = [((k * 7 + attempt * 3) % 5) + 1 for k in range(n - 1)]
        if n == 1:
            subs = {vars_[0]: _T}
        else:
            subs = {vars_[-1]: _T - sum(c * v for c, v in zip(coeffs, vars_[:-1]))}
        gens = vars_[:-1] + [_T]

        def prob(j, s):
            if len(supp[j]) == 1:
                return sp.Integer(1) if s == supp[j][0] else sp.Integer(0)
            if s not in supp[j]:
                return sp.Integer(0)
            if s == supp[j][0]:
                return 1 - sum(var_of[(j, t)] for t in supp[j][1:])
            return var_of[(j, s)]

        def payoff_expr(i, s):
            total = sp.Integer(0)
            others = [j for j in range(N) if j != i]
            for prof in itertools.product(*[supp[j] for j in others]):
                full = list(prof)
                full.insert(i, s)
                term = u[(i, *full)]
                if term == 0:
                    continue
                for j, sj in zip(others, prof):
                    term = term * prob(j, sj)
                total += term
            return sp.expand(total)

        eqs = []
        for i in range(N):
            base = payoff_expr(i, supp[i][0])
            for s in supp[i][1:]:
                eqs.append(sp.expand((payoff_expr(i, s) - base).subs(subs)))
        eqs = [e for e in eqs if e != 0]
        with _alarm(deadline):
            if len(eqs) < n:
                raise _PositiveDimensional
            G = sp.groebner(eqs, *gens, order="grevlex", domain=sp.QQ)
            if G.exprs == [1]:
                return []
            if not G.is_zero_dimensional:
                raise _PositiveDimensional
            Glex = G.fglm("lex") if n > 1 else G
        polys = [sp.Poly(g, *gens, domain=sp.QQ) for g in Glex.exprs]
        shaped = _shape_form(polys, gens)
        if shaped is not None:
            break
    else:
        raise _NotShape
    gs, p = shaped  # v_k = gs[k](theta), p(theta) = 0
    theta_vals = {v: g for v, g in zip(vars_[:-1], gs)}
    if n == 1:
        theta_vals[vars_[0]] = sp.Poly(_T, _T, domain=sp.QQ)
    else:
        last = sp.Poly(_T, _T, domain=sp.QQ)
        for c, v in zip(coeffs, vars_[:-1]):
            last = last - c * theta_vals[v]
        theta_vals[vars_[-1]] = last

    def as_poly(expr):
        poly = sp.Poly(sp.Integer(0), _T, domain=sp.QQ)
        e = sp.Poly(expr, *vars_, domain=sp.QQ) if vars_ else None
        for monom, coeff in e.terms():
            term = sp.Poly(coeff, _T, domain=sp.QQ)
            for v, k in zip(vars_, monom):
                for _ in range(k):
                    term = term * theta_vals[v]
            poly = poly + term
        return poly

    out = []
    _, factors = sp.factor_list(p.as_expr(), _T)
    for f, mult in factors:
        q = sp.Poly(f, _T, domain=sp.QQ)
        if q.degree() < 1:
            continue
        for index, (interval, _m) in enumerate(q.intervals()):
            with _alarm(deadline):
                probs_poly = {}
                feasible = True
                for j in range(N):
                    for s in supp[j]:
                        pp = as_poly(prob(j, s)).rem(q)
                        probs_poly[(j, s)] = pp
                        if _sign_at_root(pp, q, interval) <= 0:
                            feasible = False
                    if not feasible:
                        break
                if not feasible:
                    continue
                ties = False
                values = []
                for i in range(N):
                    base = as_poly(payoff_expr(i, supp[i][0])).rem(q)
                    values.append(base)
                    for t in range(shape[i]):
                        if t in supp[i]:
                            continue
                        gain = as_poly(payoff_expr(i, t)).rem(q) - base
                        sign = _sign_at_root(gain, q, interval)
                        if sign > 0:
                            feasible = False
                            break
                        ties |= sign == 0
                    if not feasible:
                        break
                if not feasible:
                    continue
                exact = tuple(
                    tuple(
                        _algebraic(probs_poly[(j, s)], q, index, interval) if s in supp[j] else sp.Integer(0)
                        for s in range(shape[j])
                    )
                    for j in range(N)
                )
                payoffs = tuple(_algebraic(v, q, index, interval) for v in values)
            out.append({"exact": exact, "payoffs": payoffs, "ties": ties, "multiple": mult > 1})
    return out


def _shape_form(polys: list[sp.Poly], gens: list[sp.Symbol]):
    """(g_k, p) if the lex basis is {v_k - g_k(theta)} + {p(theta)}, else None."""
    n = len(gens)
    theta = gens[-1]
    univariate = [g for g in polys if all(m[:-1] == (0,) * (n - 1) for m in g.monoms())]
    if len(univariate) != 1 or len(polys) != n:
        return None
    p = sp.Poly(univariate[0].as_expr(), theta, domain=sp.QQ)
    gs = []
    for k in range(n - 1):
        v = gens[k]
        match = None
        for g in polys:
            expr = g.as_expr()
            if sp.Poly(expr, *gens).degree(v) == 1 and all(
                sp.Poly(expr, *gens).degree(o) == 0 for o in gens[:-1] if o != v
            ):
                coeff = sp.Poly(expr, v).coeff_monomial(v)
                if coeff.free_symbols:
                    return None
                rest = sp.expand(-(expr - coeff * v) / coeff)
                match = sp.Poly(rest, theta, domain=sp.QQ)
                break
        if match is None:
            return None
        gs.append(match)
    return gs, p


# ======================================================================================
# driver
# ======================================================================================


@dataclass
class _Found:
    xs: list[np.ndarray]
    supp: tuple[tuple[int, ...], ...]
    exact: tuple | None = None
    exact_payoffs: tuple | None = None
    quasi_strict: bool = True
    regular: bool = True
    note: str = ""
    strict: bool = False


@dataclass
class _Log:
    notes: list[str] = field(default_factory=list)
    degenerate: bool = False
    incomplete: bool = False

    def degenerate_because(self, text: str) -> None:
        self.degenerate = True
        if text not in self.notes:
            self.notes.append(text)

    def incomplete_because(self, text: str) -> None:
        self.incomplete = True
        if text not in self.notes:
            self.notes.append(text)


def _supp_text(game: Game, supp) -> str:
    return (
        "("
        + "; ".join(
            f"{p}: {{{', '.join(game.strategies[i][s] for s in S)}}}"
            for i, (p, S) in enumerate(zip(game.players, supp))
        )
        + ")"
    )


def _single_mixer_continuum(u: np.ndarray, supp, i: int, tol: float) -> np.ndarray | None:
    """A point of the face where player ``i`` mixes freely over supp[i] against pure others,
    if some such mixture is an equilibrium (others' best responses are linear in x_i)."""
    from scipy.optimize import linprog

    N = u.shape[0]
    shape = u.shape[1:]
    S = list(supp[i])
    k = len(S)
    pure = [supp[j][0] for j in range(N)]
    # player i's own condition: strategies outside S no better (independent of x_i)
    idx = list(pure)
    idx[i] = S[0]
    base = u[(i, *idx)]
    for t in range(shape[i]):
        idx[i] = t
        if t not in S and u[(i, *idx)] > base + tol:
            return None
    # others: u_j(pure_j) - u_j(t) >= 0 for all t, linear in x_i; maximise the smallest probability
    A_ub, b_ub = [], []
    for j in range(N):
        if j == i:
            continue
        for t in range(shape[j]):
            if t == pure[j]:
                continue
            row = []
            for s in S:
                prof = list(pure)
                prof[i] = s
                alt = list(prof)
                alt[j] = t
                row.append(u[(j, *alt)] - u[(j, *prof)])
            A_ub.append(row + [0.0])
            b_ub.append(tol)
    # variables x (k) and eps: x_s >= eps, sum x = 1, maximise eps
    for q in range(k):
        r = [0.0] * (k + 1)
        r[q] = -1.0
        r[k] = 1.0
        A_ub.append(r)
        b_ub.append(0.0)
    res = linprog(
        c=[0.0] * k + [-1.0],
        A_ub=np.array(A_ub, dtype=float),
        b_ub=np.array(b_ub, dtype=float),
        A_eq=np.array([[1.0] * k + [0.0]]),
        b_eq=[1.0],
        bounds=[(0, 1)] * k + [(None, 1)],
        method="highs",
    )
    if res.status != 0 or -res.fun <= 1e-9:
        return None
    xs = [np.eye(m)[pure[j]] for j, m in enumerate(shape)]
    xs[i] = np.zeros(shape[i])
    xs[i][S] = res.x[:k]
    return xs


def _pure_found(game: Game, u, exact_u, tol: float, log: _Log) -> list[_Found]:
    from .pure import pure_equilibria

    out = []
    if exact_u is not None:
        n = exact_u.shape[0]
        shape = exact_u.shape[1:]
        for prof in itertools.product(*(range(m) for m in shape)):
            gains = []
            for i in range(n):
                own = exact_u[(i, *prof)]
                for t in range(shape[i]):
                    if t != prof[i]:
                        alt = list(prof)
                        alt[i] = t
                        gains.append(exact_u[(i, *alt)] - own)
            if all(g <= 0 for g in gains):
                tie = any(g == 0 for g in gains)
                xs = [np.eye(m)[k] for m, k in zip(shape, prof)]
                ex = tuple(
                    tuple(sp.Integer(1 if s == k else 0) for s in range(m)) for m, k in zip(shape, prof)
                )
                pay = tuple(exact_u[(i, *prof)] for i in range(n))
                out.append(_Found(xs, tuple((k,) for k in prof), ex, pay, not tie, not tie, strict=not tie))
                if tie:
                    log.degenerate_because(
                        "a pure equilibrium has a tie with an unused strategy (not quasi-strict): "
                        "the game is degenerate and may have a continuum of equilibria"
                    )
        return out
    eq = pure_equilibria(game, tol)
    for prof in eq.profiles():
        tie = bool(eq.tie[(0, *prof)])
        xs = [np.eye(m)[k] for m, k in zip(game.shape, prof)]
        out.append(
            _Found(
                xs,
                tuple((k,) for k in prof),
                quasi_strict=not tie,
                regular=not tie,
                strict=bool(eq.strict[(0, *prof)]),
            )
        )
        if tie:
            log.degenerate_because(
                "a pure equilibrium has a tie with an unused strategy (not quasi-strict): "
                "the game is degenerate and may have a continuum of equilibria"
            )
    return out


def _continuum_supports(game, u, supports, tol, log, found, exact_u=None):
    """Supports where one player mixes against pure others: a continuum or nothing."""
    N = u.shape[0]
    rest = []
    for supp in supports:
        m = [len(s) - 1 for s in supp]
        mixers = [i for i in range(N) if m[i] > 0]
        if not mixers:
            continue
        if len(mixers) == 1:
            i = mixers[0]
            # constant indifference conditions: they survive pruning only if tied
            xs = _single_mixer_continuum(u, supp, i, tol)
            if xs is not None:
                log.degenerate_because(
                    f"continuum of equilibria: {game.players[i]} is indifferent over "
                    f"{{{', '.join(game.strategies[i][s] for s in supp[i])}}} in support {_supp_text(game, supp)}; "
                    "one point of it is listed"
                )
                found.append(
                    _Found(
                        xs,
                        supp,
                        quasi_strict=False,
                        regular=False,
                        note="a point of a continuum of equilibria",
                    )
                )
            continue
        rest.append(supp)
    return rest


def _dedupe(found: list[_Found], atol: float = 1e-7) -> list[_Found]:
    out: list[_Found] = []
    for f in found:
        dup = False
        for g in out:
            if max(np.max(np.abs(a - b)) for a, b in zip(f.xs, g.xs)) <= atol:
                dup = True
                if f.exact is not None and g.exact is None:
                    out[out.index(g)] = f
                break
        if not dup:
            out.append(f)
    return out


def _finish(
    game: Game, found: list[_Found], method: str, tol: float, exact: bool, log: _Log
) -> EquilibriumSet:
    u = game.payoffs
    eqs = []
    for f in _dedupe(found):
        xs = [np.asarray(x, dtype=float) for x in f.xs]
        reg = float(regret(u, xs)[0])
        if not exact and reg > tol:
            continue
        supp = tuple(tuple(int(s) for s in np.flatnonzero(x > 0)) for x in xs) if f.exact is None else f.supp
        eqs.append(
            Equilibrium(
                strategies=tuple(xs),
                support=supp,
                payoffs=expected_payoffs(u, xs)[0],
                regret=0.0 if exact else max(reg, 0.0),
                exact=f.exact,
                exact_payoffs=f.exact_payoffs,
                quasi_strict=f.quasi_strict,
                regular=f.regular,
                strict=f.strict,
                note=f.note,
            )
        )
        if not f.regular and not f.note:
            log.degenerate_because(
                "an equilibrium is irregular (a tie with an unused strategy or a singular Jacobian): "
                "the game is degenerate"
            )
    eqs.sort(key=sort_key)
    complete = not log.degenerate and not log.incomplete
    return EquilibriumSet(
        game,
        tuple(eqs),
        method,
        tol,
        exact=exact,
        complete=complete,
        degenerate=log.degenerate,
        notes=tuple(log.notes),
    )


def _float_enumeration(
    game: Game, tol: float, deadline: float, max_paths: int, seed: int
) -> tuple[list[_Found], _Log, bool]:
    """Support enumeration with the homotopy at one point; returns (found, log, attempted)."""
    found, logs, attempted = _float_enumeration_batch(game, tol, deadline, max_paths, seed)
    return found[0], logs[0], attempted[0]


def _float_enumeration_batch(game: Game, tol: float, deadline: float, max_paths: int, seed: int):
    """Support enumeration at every point of a batch, all homotopy paths tracked together."""
    founds, logs, attempted, jobs = [], [], [], []
    points = [game.point(b) for b in range(game.batch_size)]
    for b, point in enumerate(points):
        u = point.payoffs[0]
        log = _Log()
        found = _pure_found(point, u, None, tol, log)
        supports = _continuum_supports(point, u, support_profiles(u, tol), tol, log, found)
        mine, deficient = [], []
        for supp in supports:
            (deficient if _is_deficient(tuple(len(s) - 1 for s in supp)) else mine).append((b, supp))
        n_paths = sum(len(_assignments(tuple(len(s) - 1 for s in supp))) for _, supp in mine)
        ok = n_paths <= max_paths
        if ok:
            _check_deficient(point, u, [supp for _, supp in deficient], tol, log)
            jobs.extend(mine)
        founds.append(found)
        logs.append(log)
        attempted.append(ok)
    if jobs:
        _run_homotopy(points, game.payoffs, jobs, np.random.default_rng(seed), deadline, tol, logs, founds)
    return founds, logs, attempted


def _check_deficient(game, u, deficient, tol, log) -> None:
    """Supports with no isolated solution: decide the linear cases, flag the rest."""
    N = u.shape[0]
    for supp in deficient:
        m = [len(s) - 1 for s in supp]
        mixers = [i for i in range(N) if m[i] > 0]
        # the deficient player has more equations than the other mixers have unknowns
        i = max(mixers, key=lambda k: m[k] - sum(m[j] for j in mixers if j != k))
        others = [j for j in mixers if j != i]
        if len(others) == 1:
            j = others[0]
            # player i's rows are linear in x_j (others pure): A x_j = 0 with sum x_j = 1
            pure = [supp[k][0] for k in range(N)]
            rows = []
            for s in supp[i][1:]:
                row = []
                for sj in supp[j]:
                    prof = list(pure)
                    prof[j] = sj
                    a = list(prof)
                    a[i] = s
                    b = list(prof)
                    b[i] = supp[i][0]
                    row.append(u[(i, *a)] - u[(i, *b)])
                rows.append(row)
            A = np.array(rows + [[1.0] * len(supp[j])])
            rhs = np.zeros(len(rows) + 1)
            rhs[-1] = 1.0
            sol, *_ = np.linalg.lstsq(A, rhs, rcond=None)
            if np.max(np.abs(A @ sol - rhs)) > 1e-9 * max(1.0, np.abs(u).max()):
                continue  # inconsistent: no solution
            log.degenerate_because(
                f"support {_supp_text(game, supp)}: the indifference conditions have a continuum of "
                "solutions (a degenerate game); equilibria on it, if any, are not enumerated"
            )
            log.incomplete = True
        else:
            log.incomplete_because(
                f"support {_supp_text(game, supp)} has more indifference conditions for "
                f"{game.players[i]} than unknowns; its solvability was not decided in floating point "
                "(use exact arithmetic)"
            )


def _projective(X: np.ndarray, shape: tuple[int, ...]) -> np.ndarray:
    """Endpoints with each player's block scaled to sum 1 (or to unit largest entry), comparable across charts."""
    out = np.empty_like(X)
    off = 0
    for a in shape:
        blk = X[:, off : off + a]
        s = blk.sum(axis=1, keepdims=True)
        big = np.take_along_axis(blk, np.argmax(np.abs(blk), axis=1)[:, None], axis=1)
        den = np.where(np.abs(s) > 1e-8 * np.abs(big), s, big)
        with np.errstate(divide="ignore", invalid="ignore"):
            out[:, off : off + a] = blk / den
        off += a
    return out


def _duplicates(X: np.ndarray, shape, job_of: np.ndarray, good: np.ndarray, jobs: list) -> set[int]:
    """Jobs with two good endpoints at the same point (a sign of path jumping)."""
    out = set()
    Y = _projective(X, shape)
    for jb in range(len(jobs)):
        sel = np.flatnonzero((job_of == jb) & good)
        pts = Y[sel]
        for a in range(len(sel)):
            for b in range(a + 1, len(sel)):
                if np.linalg.norm(pts[a] - pts[b]) <= 1e-6 * (1 + np.linalg.norm(pts[a])):
                    out.add(jb)
    return out


def _run_homotopy(points, ub, jobs, rng, deadline, tol, logs, founds) -> None:
    paths, X0, job_of = _build_paths(ub, jobs, rng)
    res = _track(paths, X0, deadline)
    # path-jumping check: two good endpoints of one support must differ; retrack if not
    retrack = _duplicates(res.X, paths.shape, job_of, (res.status == 0) & (res.cond < 1e10), jobs)
    if retrack:
        redo = np.flatnonzero(np.isin(job_of, sorted(retrack)))
        res2 = _track(paths.take(redo), X0[redo], deadline, h_max=0.05, pred_tol=1e-9)
        res.X[redo], res.status[redo], res.cond[redo] = res2.X, res2.status, res2.cond
        for jb in _duplicates(res.X, paths.shape, job_of, (res.status == 0) & (res.cond < 1e10), jobs):
            b, supp = jobs[jb]
            logs[b].incomplete_because(
                f"support {_supp_text(points[b], supp)}: two homotopy paths reached one solution "
                "(possible path jumping)"
            )
    for p in range(res.X.shape[0]):
        b, supp = jobs[job_of[p]]
        _endpoint(points[b], points[b].payoffs[0], supp, res, p, tol, logs[b], founds[b])


def _endpoint(game, u, supp, res, p, tol, log, found) -> None:
    """Classify one endpoint: an equilibrium (polished, verified), a sign of degeneracy, or nothing."""
    shape = game.shape
    off = [sum(shape[:j]) for j in range(len(shape))]
    if res.status[p] == 3:
        log.incomplete_because("time limit reached while tracking homotopy paths")
        return
    xh = [res.X[p, off[j] : off[j] + shape[j]] for j in range(len(shape))]
    sums = [x.sum() for x in xh]
    singular = res.status[p] in (1, 2) or (res.status[p] == 0 and res.cond[p] >= 1e10)
    if any(abs(s) < 1e-12 for s in sums):
        if singular:
            log.degenerate_because(
                f"support {_supp_text(game, supp)}: a homotopy path ended at a singular or infinite point "
                "(degenerate indifference system)"
            )
            log.incomplete = True
        return
    xs = [x / s for x, s in zip(xh, sums)]
    imag = max(np.max(np.abs(x.imag)) for x in xs)
    real_x = [x.real for x in xs]
    near_feasible = imag < 1e-4 and min(np.min(x) for x in real_x) > -1e-4
    if singular:
        if near_feasible:
            log.degenerate_because(
                f"support {_supp_text(game, supp)}: a homotopy path ended at a singular solution "
                "near the simplex (a continuum or a multiple solution); equilibria there are not enumerated"
            )
            log.incomplete = True
        else:
            log.degenerate_because(
                f"support {_supp_text(game, supp)}: a homotopy path ended at a singular point "
                "(degenerate indifference system)"
            )
            log.incomplete = True
        return
    if imag > 1e-6:
        return
    if min(np.min(x[list(s)]) for x, s in zip(real_x, supp)) < -1e-6:
        return
    xs2, resid, jac = _polish(u, supp, real_x)
    if resid > 1e-8 * max(1.0, np.abs(u).max()):
        return
    if min(np.min(x[list(s)]) for x, s in zip(xs2, supp)) < -1e-12:
        return
    xs2 = [np.clip(x, 0.0, None) / np.clip(x, 0.0, None).sum() for x in xs2]
    if float(regret(game.payoffs, xs2)[0]) > tol:
        return
    qs, regular = _regularity(u, supp, xs2, jac, tol)
    found.append(_Found(xs2, supp, quasi_strict=qs, regular=regular))


def _exact_enumeration(game: Game, deadline: float) -> tuple[list[_Found], _Log]:
    exact_u = exact_payoff_array(game)
    u = np.vectorize(float, otypes=[float])(exact_u)
    log = _Log()
    found = _pure_found(game, u, exact_u, 0.0, log)
    supports = support_profiles(exact_u, 0)
    N = exact_u.shape[0]
    remaining = 0
    for k, supp in enumerate(supports):
        m = [len(s) - 1 for s in supp]
        mixers = [i for i in range(N) if m[i] > 0]
        if not mixers:
            continue
        if time.monotonic() > deadline:
            remaining = len(supports) - k
            break
        if len(mixers) == 1:
            xs = _single_mixer_continuum(u, supp, mixers[0], 0.0)
            if xs is not None:
                i = mixers[0]
                log.degenerate_because(
                    f"continuum of equilibria: {game.players[i]} is indifferent over "
                    f"{{{', '.join(game.strategies[i][s] for s in supp[i])}}} in support {_supp_text(game, supp)}; "
                    "one point of it is listed"
                )
                found.append(
                    _Found(
                        xs,
                        supp,
                        quasi_strict=False,
                        regular=False,
                        note="a point of a continuum of equilibria",
                    )
                )
            continue
        try:
            sols = _exact_support(exact_u, supp, deadline)
        except _PositiveDimensional:
            log.degenerate_because(
                f"support {_supp_text(game, supp)}: the indifference conditions have a continuum of solutions "
                "(positive-dimensional); equilibria on it, if any, are not enumerated"
            )
            log.incomplete = True
            continue
        except _NotShape:
            log.incomplete_because(
                f"support {_supp_text(game, supp)}: the exact solver could not put the system in shape position"
            )
            continue
        except _Timeout:
            remaining = len(supports) - k
            break
        for sol in sols:
            xs = [np.array([float(sp.N(v, 30)) for v in row]) for row in sol["exact"]]
            regular = not sol["ties"] and not sol["multiple"]
            found.append(_Found(xs, supp, sol["exact"], sol["payoffs"], not sol["ties"], regular))
    if remaining:
        log.incomplete_because(f"time limit reached with {remaining} support profiles not examined")
    return found, log


# ======================================================================================
# the incomplete fallback
# ======================================================================================


def local_equilibria(game: Game, tol: float = DEFAULT_TOL, starts: int = 20, seed: int = 0) -> EquilibriumSet:
    """Some equilibria, by multi-start local search; the result is labelled not complete.

    Minimises the Lyapunov function
    :math:`\\sum_i \\sum_s \\max(u_i(s, x_{-i}) - u_i(x), 0)^2` from random
    starting profiles, then polishes each local minimum on its support with
    Newton's method and keeps the profiles whose regret is at most ``tol``.

    Examples
    --------
    >>> pennies = Game.from_array(np.array([[[1, -1], [-1, 1]], [[-1, 1], [1, -1]]]))
    >>> eqs = local_equilibria(pennies)
    >>> len(eqs), eqs.complete
    (1, False)
    """
    from scipy.optimize import minimize

    u = game.payoffs[0]
    shape = game.shape
    rng = np.random.default_rng(seed)
    log = _Log()
    found = _pure_found(game, u, None, tol, log)
    splits = np.cumsum(shape)[:-1]

    def unpack(z):
        return [np.exp(b - b.max()) / np.exp(b - b.max()).sum() for b in np.split(z, splits)]

    def lyapunov(z):
        xs = unpack(z)
        total = 0.0
        for i in range(len(shape)):
            v = strategy_payoffs(u[None], xs, i)[0]
            total += np.sum(np.maximum(v - v @ xs[i], 0) ** 2)
        return total

    for _ in range(starts):
        z0 = rng.normal(scale=2.0, size=sum(shape))
        res = minimize(lyapunov, z0, method="BFGS", options={"gtol": 1e-12, "maxiter": 400})
        xs = unpack(res.x)
        supp = tuple(tuple(int(s) for s in np.flatnonzero(x > 1e-6)) for x in xs)
        xs = [np.where(x > 1e-6, x, 0.0) for x in xs]
        xs = [x / x.sum() for x in xs]
        xs2, resid, jac = _polish(u, supp, xs)
        if min(np.min(x) for x in xs2) < 0:
            continue
        if float(regret(game.payoffs, xs2)[0]) <= tol:
            qs, regular = _regularity(u, supp, xs2, jac, tol)
            found.append(_Found(xs2, supp, quasi_strict=qs, regular=regular))
    log.incomplete_because("multi-start local search finds some equilibria, not necessarily all")
    return _finish(game, found, LOCAL_METHOD, tol, False, log)


# ======================================================================================
# public entry points
# ======================================================================================


def support_enumeration(
    game: Game,
    *,
    exact: bool = False,
    tol: float = DEFAULT_TOL,
    time_limit: float = 60.0,
    max_paths: int = 20000,
    seed: int = 0,
) -> EquilibriumSet:
    """Every Nash equilibrium of one game by support enumeration (see the module docstring).

    Parameters
    ----------
    game : Game
        A single parameter point.
    exact : bool
        Exact arithmetic (rationals and real algebraic numbers).
    tol : float
        Tolerance on the regret of an accepted profile (floating point).
    time_limit : float
        Seconds before enumeration stops; the result is then labelled not complete.
    max_paths : int
        Largest number of homotopy paths attempted (floating point); beyond it
        :class:`~tripartite.errors.TripartiteError` is raised.
    seed : int
        Seed of the random start system.

    Returns
    -------
    EquilibriumSet

    Examples
    --------
    >>> rps = Game.from_array(np.array([[[0, -1, 1], [1, 0, -1], [-1, 1, 0]],
    ...                                 [[0, 1, -1], [-1, 0, 1], [1, -1, 0]]]))
    >>> eqs = support_enumeration(rps, exact=True)
    >>> [str(v) for v in eqs[0].exact[0]], eqs.complete
    (['1/3', '1/3', '1/3'], True)
    """
    _single(game)
    deadline = time.monotonic() + time_limit
    if exact:
        found, log = _exact_enumeration(game, deadline)
        return _finish(game, found, EXACT_METHOD, tol, True, log)
    found, log, attempted = _float_enumeration(game, tol, deadline, max_paths, seed)
    if not attempted:
        raise TripartiteError(
            f"support enumeration of a {'x'.join(map(str, game.shape))} game needs more than "
            f"{max_paths} homotopy paths; raise max_paths or use method='local' (not complete)"
        )
    return _finish(game, found, ENUMERATION_METHOD, tol, False, log)


def _single(game: Game) -> None:
    if game.batch_size != 1:
        raise TripartiteError(
            f"this solver takes one parameter point, got a batch of {game.batch_size}; "
            "use all_equilibria_batch or game.point(b)"
        )


def all_equilibria(
    game: Game,
    *,
    exact: bool = False,
    tol: float = DEFAULT_TOL,
    method: str = "auto",
    time_limit: float = 60.0,
    max_paths: int = 20000,
    seed: int = 0,
) -> EquilibriumSet:
    """Every Nash equilibrium of a game (one parameter point), pure and mixed.

    Parameters
    ----------
    game : Game
    exact : bool
        Exact arithmetic where the payoffs are rational (``game.exact_payoffs``,
        or each float read as the decimal it prints as).
    tol : float
        Tolerance on payoff differences (floating point).
    method : {"auto", "enumeration", "closed-form", "local"}
        ``"auto"``: the closed form for 2x2x2 games (falling back to support
        enumeration at degenerate points), support enumeration otherwise, and
        the local search (labelled not complete) if enumeration would exceed
        ``max_paths``.
    time_limit, max_paths, seed
        See :func:`support_enumeration`.

    Returns
    -------
    EquilibriumSet

    Examples
    --------
    >>> from tripartite import load_model
    >>> eqs = all_equilibria(load_model("baseline").game())
    >>> [e.pure for e in eqs], eqs.complete
    ([True], True)
    """
    _single(game)
    if method not in ("auto", "enumeration", "closed-form", "local"):
        raise TripartiteError(f"unknown method {method!r}; use auto, enumeration, closed-form or local")
    if method == "local":
        return local_equilibria(game, tol, seed=seed)
    if exact:
        return support_enumeration(game, exact=True, tol=tol, time_limit=time_limit, seed=seed)
    if game.shape == (2, 2, 2) and method in ("auto", "closed-form"):
        return all_equilibria_batch(game, tol=tol, time_limit=time_limit, seed=seed)[0]
    if method == "closed-form":
        raise TripartiteError("the closed form is for 2x2x2 games; use method='enumeration'")
    deadline = time.monotonic() + time_limit
    found, log, attempted = _float_enumeration(game, tol, deadline, max_paths, seed)
    if attempted:
        return _finish(game, found, ENUMERATION_METHOD, tol, False, log)
    if method == "enumeration":
        raise TripartiteError(
            f"support enumeration of a {'x'.join(map(str, game.shape))} game needs more than "
            f"{max_paths} homotopy paths; raise max_paths or use method='local' (not complete)"
        )
    local = local_equilibria(game, tol, seed=seed)
    notes = (
        f"support enumeration would need more than {max_paths} homotopy paths: not attempted",
    ) + local.notes
    return EquilibriumSet(game, local.equilibria, local.method, tol, False, False, local.degenerate, notes)


def all_equilibria_batch(
    game: Game,
    *,
    exact: bool = False,
    tol: float = DEFAULT_TOL,
    time_limit: float = 60.0,
    max_paths: int = 20000,
    seed: int = 0,
) -> list[EquilibriumSet]:
    """:func:`all_equilibria` at every point of a batched game.

    2x2x2 games use the vectorised closed form for the whole batch; the
    points it finds degenerate are solved by support enumeration (exact
    where ``exact``), which labels them.

    Examples
    --------
    >>> from tripartite import load_model
    >>> sets = all_equilibria_batch(load_model("baseline").game(nu=[0.0, 1.0]))
    >>> [len(s) for s in sets]
    [1, 1]
    """
    if game.shape == (2, 2, 2) and not exact:
        cf = closed_form_2x2x2(game.payoffs, tol)
        sets = closed_form_sets(game, cf)
        out = []
        for b in range(game.batch_size):
            if b in sets:
                out.append(sets[b])
            else:
                res = support_enumeration(
                    game.point(b), tol=tol, time_limit=time_limit, max_paths=max_paths, seed=seed
                )
                out.append(res)
        return out
    if exact:
        return [
            all_equilibria(game.point(b), exact=True, tol=tol, time_limit=time_limit, seed=seed)
            for b in range(game.batch_size)
        ]
    deadline = time.monotonic() + time_limit
    founds, logs, attempted = _float_enumeration_batch(game, tol, deadline, max_paths, seed)
    out = []
    for b in range(game.batch_size):
        point = game.point(b)
        if attempted[b]:
            out.append(_finish(point, founds[b], ENUMERATION_METHOD, tol, False, logs[b]))
        else:
            out.append(all_equilibria(point, tol=tol, max_paths=max_paths, seed=seed))
    return out
