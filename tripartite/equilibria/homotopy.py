"""The fallback solver of a support system: a multihomogeneous linear-product homotopy.

Where elimination (:mod:`tripartite.equilibria.elimination`) has no kernel for
a support's shape, or its solutions fall short of the Bezout count, the
support's indifference system :math:`F(x) = 0` is solved by the homotopy

.. math:: H(x, t) = (1 - t)\\, \\gamma\\, G(x) + t\\, F(x), \\qquad t: 0 \\to 1,

(Morgan & Sommese; McKelvey & McLennan 1997).  The start system :math:`G`
replaces each indifference equation of player ``i`` by a product of random
linear forms, one in each other player's block, so its solutions are known:
one per assignment of equations to players
(:func:`~tripartite.equilibria.supports.assignments`), exactly the
multihomogeneous Bezout number of them.  For a random complex
:math:`\\gamma`, with probability one the paths stay regular for
:math:`t < 1` and every isolated solution of :math:`F` is the end of one.

All paths of all supports (and all games of a batch) are tracked together, in
projective coordinates with a random chart, by a predictor-corrector with
step control (RK4 predictor, two Newton corrections).  Two good endpoints of
one support at the same point signal path jumping; those supports are
retracked with small steps.  Endpoints are classified by
:func:`endpoint`: singular or diverging paths near the simplex make the game
*degenerate*; real endpoints in the simplex are polished by Newton's method
and verified (regret at most ``tol``).

Examples
--------
>>> import numpy as np
>>> from tripartite.game import Game
>>> from tripartite.equilibria.collect import RunLog
>>> pennies = Game.from_array(np.array([[[1, -1], [-1, 1]], [[-1, 1], [1, -1]]]))
>>> logs, founds = [RunLog()], [[]]
>>> run_homotopy([pennies], pennies.payoffs, [(0, ((0, 1), (0, 1)))], np.random.default_rng(0),
...              float("inf"), 1e-9, logs, founds)
>>> [f.xs[0].round(9).tolist() for f in founds[0]], logs[0].notes
([[0.5, 0.5]], [])
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np

from ..game import payoff_scale, regret
from .collect import Found, supp_text
from .indifference import multilinear, polish, regularity, solve_batched
from .supports import assignments

__all__ = ["run_homotopy", "endpoint", "track"]


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
            Fval, Fd = multilinear(self.W[i], [xs[j] for j in others])
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


@dataclass
class _TrackResult:
    X: np.ndarray  # endpoints (P, n)
    status: np.ndarray  # 0 ok, 1 failed (step too small), 2 diverged, 3 timed out
    cond: np.ndarray  # condition number of the Jacobian at the endpoint
    t: np.ndarray


def track(
    paths: _Paths, X0: np.ndarray, deadline: float, h_max: float = 0.25, pred_tol: float = 1e-4
) -> _TrackResult:
    """Track every path from t = 0 to t = 1 (vectorised predictor-corrector).

    RK4 predictor, two Newton corrections; the step grows or shrinks by the
    predictor error (at most doubling, at least halving).  A path fails when
    its step falls below ``1e-12`` (status 1), diverges past ``1e8`` (status
    2) or runs past the deadline (status 3).  Endpoints are polished at
    ``t = 1`` and their Jacobian condition numbers measured.
    """
    P = X0.shape[0]
    X = X0.copy()
    t = np.zeros(P)
    h = np.full(P, min(0.02, h_max))
    status = np.zeros(P, dtype=int)
    active = np.ones(P, dtype=bool)

    def velocity(sub, Xa, ta):
        _, J, Ht = sub.evaluate(Xa, ta)
        return -solve_batched(J, Ht)

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
        d1 = solve_batched(J, -H)
        xc = xp + d1
        H, J, _ = sub.evaluate(xc, t1)
        d2 = solve_batched(J, -H)
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
            step = solve_batched(J, -H)
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
        for asg in assignments(m):
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


def run_homotopy(points, ub, jobs, rng, deadline, tol, logs, founds) -> None:
    """Solve the support systems ``jobs`` by the homotopy and record what their endpoints show.

    Parameters
    ----------
    points : list of Game
        The games of the batch, one point each.
    ub : ndarray, shape (B, N, s_1, ..., s_N)
        Their payoffs.
    jobs : list of (int, support profile)
        Game index and support of each system to solve.
    rng : numpy Generator
        For the start systems, charts and :math:`\\gamma`.
    deadline : float
        :func:`time.monotonic` time after which paths are abandoned (the log says so).
    tol : float
        Regret tolerance of an accepted equilibrium.
    logs, founds : lists indexed like ``points``
        Receive notes and verified equilibria (:func:`endpoint`).
    """
    paths, X0, job_of = _build_paths(ub, jobs, rng)
    res = track(paths, X0, deadline)
    # path-jumping check: two good endpoints of one support must differ; retrack if not
    retrack = _duplicates(res.X, paths.shape, job_of, (res.status == 0) & (res.cond < 1e10), jobs)
    if retrack:
        redo = np.flatnonzero(np.isin(job_of, sorted(retrack)))
        res2 = track(paths.take(redo), X0[redo], deadline, h_max=0.05, pred_tol=1e-9)
        res.X[redo], res.status[redo], res.cond[redo] = res2.X, res2.status, res2.cond
        for jb in _duplicates(res.X, paths.shape, job_of, (res.status == 0) & (res.cond < 1e10), jobs):
            b, supp = jobs[jb]
            logs[b].incomplete_because(
                f"support {supp_text(points[b], supp)}: two homotopy paths reached one solution "
                "(possible path jumping)"
            )
    for p in range(res.X.shape[0]):
        b, supp = jobs[job_of[p]]
        endpoint(points[b], points[b].payoffs[0], supp, res, p, tol, logs[b], founds[b])


def endpoint(game, u, supp, res, p, tol, log, found) -> None:
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
                f"support {supp_text(game, supp)}: a homotopy path ended at a singular or infinite point "
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
                f"support {supp_text(game, supp)}: a homotopy path ended at a singular solution "
                "near the simplex (a continuum or a multiple solution); equilibria there are not enumerated"
            )
            log.incomplete = True
        else:
            log.degenerate_because(
                f"support {supp_text(game, supp)}: a homotopy path ended at a singular point "
                "(degenerate indifference system)"
            )
            log.incomplete = True
        return
    if imag > 1e-6:
        return
    if min(np.min(x[list(s)]) for x, s in zip(real_x, supp)) < -1e-6:
        return
    xs2, resid, jac = polish(u, supp, real_x)
    if resid > 1e-8 * float(payoff_scale(u[None])[0]):
        return
    if min(np.min(x[list(s)]) for x, s in zip(xs2, supp)) < -1e-12:
        return
    xs2 = [np.clip(x, 0.0, None) / np.clip(x, 0.0, None).sum() for x in xs2]
    if float(regret(game.payoffs, xs2)[0]) > tol:
        return
    qs, regular = regularity(u, supp, xs2, jac, tol)
    found.append(Found(xs2, supp, quasi_strict=qs, regular=regular))
