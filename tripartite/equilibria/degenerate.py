"""Support profiles without isolated solutions: one player mixing alone, and deficient systems.

**One player mixing** against pure opponents (:math:`|S_i| \\ge 2`, every
other :math:`|S_j| = 1`): player ``i``'s indifference conditions do not
involve any unknown, so they hold for all :math:`x_i` or for none.  After
the dominance test they can only survive when player ``i`` is exactly
indifferent over :math:`S_i`: a tie, which makes the game *degenerate*.
The opponents' best-response conditions are linear in :math:`x_i`, so the
mixtures that are equilibria form a polytope; a linear program finds a point
of it with every probability positive, if there is one, and that point is
listed as *a point of a continuum* (the set is then not complete).

**Deficient systems** have multihomogeneous Bezout number zero (some player
has more indifference equations than the players it depends on have
unknowns): no isolated solution.  Generically they have no solution at all;
if they have one, it lies on a continuum.  With two mixing players the
equations are linear and the question is decided by least squares; in other
cases it is not decided in floating point and the set is labelled not
complete (exact arithmetic decides it).

Examples
--------
>>> import numpy as np
>>> u = np.array([[[1.0, 0], [1, 2]], [[2, 0], [1, 0]]])  # row indifferent against column's first strategy
>>> single_mixer_continuum(u, ((0, 1), (0,)), 0, 1e-9)[0].round(6).tolist()
[0.5, 0.5]
"""

from __future__ import annotations

import numpy as np

from ..game import payoff_scale, profile_from_indices, vertex_gains
from .collect import Found, supp_text

__all__ = ["single_mixer_continuum", "single_mixer", "check_deficient", "CONTINUUM_NOTE"]

CONTINUUM_NOTE = "a point of a continuum of equilibria"


def single_mixer_continuum(u: np.ndarray, supp, i: int, tol: float) -> list[np.ndarray] | None:
    """A point of the face where player ``i`` mixes over ``supp[i]`` against pure others, if one is an equilibrium.

    The others' best-response conditions are linear in :math:`x_i`; the
    linear program maximises the smallest probability of :math:`S_i` among
    the mixtures that satisfy them (within ``tol``).  Returns the profile, or
    ``None`` when no mixture with all probabilities positive is an equilibrium.
    """
    from scipy.optimize import linprog

    N = u.shape[0]
    shape = u.shape[1:]
    S = list(supp[i])
    k = len(S)
    pure = [supp[j][0] for j in range(N)]
    gains = vertex_gains(u[None])  # gains[j][0, v, t] = u_j(t, v_-j) - u_j(v)

    def at(j: int, s: int) -> np.ndarray:
        """Player j's switch gains at the vertex where i plays s and the others their pure strategies."""
        v = list(pure)
        v[i] = s
        return gains[j][(0, *v)]

    # player i's own condition: strategies outside S no better (independent of x_i)
    if any(at(i, S[0])[t] > tol for t in range(shape[i]) if t not in S):
        return None
    # others: u_j(t) - u_j(pure_j) <= 0 for all t, linear in x_i; maximise the smallest probability
    rows = [
        [at(j, s)[t] for s in S] + [0.0] for j in range(N) if j != i for t in range(shape[j]) if t != pure[j]
    ]
    # variables x (k) and eps: x_s >= eps, sum x = 1, maximise eps
    for q in range(k):
        r = [0.0] * (k + 1)
        r[q] = -1.0
        r[k] = 1.0
        rows.append(r)
    # the conditions exactly first (a point whose regret is 0, not ``tol``), then within ``tol``
    for slack in (0.0, tol):
        res = linprog(
            c=[0.0] * k + [-1.0],
            A_ub=np.array(rows, dtype=float),
            b_ub=np.array([slack] * (len(rows) - k) + [0.0] * k),
            A_eq=np.array([[1.0] * k + [0.0]]),
            b_eq=[1.0],
            bounds=[(0, 1)] * k + [(None, 1)],
            method="highs",
        )
        # the smallest probability must be clearly positive: a mixture within rounding
        # of a face is that face's point, not an interior point of this support
        if res.status == 0 and -res.fun > max(1e-6, 1e3 * tol):
            break
    else:
        return None
    xs = profile_from_indices(shape, pure)
    xs[i] = np.zeros(shape[i])
    xs[i][S] = res.x[:k]
    return xs


def single_mixer(game, u: np.ndarray, supp, tol: float, log, found: list) -> None:
    """A support where one player mixes against pure others: record a point of the continuum, if any.

    The indifference conditions are constant there, so the support survives
    the dominance test only if that player is tied; the game is then degenerate.
    """
    i = next(k for k, S in enumerate(supp) if len(S) > 1)
    xs = single_mixer_continuum(u, supp, i, tol)
    if xs is None:
        return
    log.degenerate_because(
        f"continuum of equilibria: {game.players[i]} is indifferent over "
        f"{{{', '.join(game.strategies[i][s] for s in supp[i])}}} in support {supp_text(game, supp)}; "
        "one point of it is listed"
    )
    found.append(Found(xs, supp, quasi_strict=False, regular=False, note=CONTINUUM_NOTE))


def check_deficient(game, u: np.ndarray, deficient, log) -> None:
    """Supports with no isolated solution: decide the linear cases, flag the rest."""
    N = u.shape[0]
    gains = vertex_gains(u[None])  # gains[i][0, v, t] = u_i(t, v_-i) - u_i(v)
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
                    v = list(pure)  # i at its first support strategy, j at sj
                    v[j] = sj
                    row.append(gains[i][(0, *v)][s])
                rows.append(row)
            A = np.array(rows + [[1.0] * len(supp[j])])
            rhs = np.zeros(len(rows) + 1)
            rhs[-1] = 1.0
            sol, *_ = np.linalg.lstsq(A, rhs, rcond=None)
            if np.max(np.abs(A @ sol - rhs)) > 1e-9 * float(payoff_scale(u[None])[0]):
                continue  # inconsistent: no solution
            log.degenerate_because(
                f"support {supp_text(game, supp)}: the indifference conditions have a continuum of "
                "solutions (a degenerate game); equilibria on it, if any, are not enumerated"
            )
            log.incomplete = True
        elif len(others) == 2 and all(m[j] == 1 for j in others):
            verdict = _bilinear_common_zero(_forms(u, supp, i), float(payoff_scale(u[None])[0]))
            if verdict == "none":
                continue
            if verdict == "inside":
                log.degenerate_because(
                    f"support {supp_text(game, supp)}: the {m[i]} indifference conditions of {game.players[i]} "
                    "have a common solution in the simplex, so a continuum of equilibria may lie on this "
                    "support (a degenerate game); it is not enumerated"
                )
                log.incomplete = True
            else:
                log.incomplete_because(
                    f"support {supp_text(game, supp)}: the indifference conditions of {game.players[i]} "
                    "are degenerate; their solvability was not decided in floating point (use exact arithmetic)"
                )
        else:
            log.incomplete_because(
                f"support {supp_text(game, supp)} has more indifference conditions for "
                f"{game.players[i]} than unknowns; its solvability was not decided in floating point "
                "(use exact arithmetic)"
            )


def _forms(u: np.ndarray, supp, i: int) -> np.ndarray:
    """Player ``i``'s indifference forms on a support, pure players fixed: (m_i, k_j for mixing j != i)."""
    sub = u[i][np.ix_(*supp)]
    rows = np.moveaxis(sub, i, 0)
    rows = rows[1:] - rows[:1]
    keep = [0] + [1 + q for q, j in enumerate(j for j in range(len(supp)) if j != i) if len(supp[j]) > 1]
    return rows.reshape([rows.shape[a] for a in keep])


def _bilinear_common_zero(M: np.ndarray, scale: float) -> str:
    """Whether bilinear forms :math:`x^\\top M_r y` (r = 1..R, R >= 2) on two 2-strategy players vanish together.

    With :math:`x = (p, 1 - p)`, two random combinations :math:`A, B` of the
    forms have a common zero only where :math:`\\det [x^\\top A; x^\\top B] = 0`,
    a quadratic in ``p``; at each real root, all forms vanish for some ``y``
    iff the matrix :math:`[x^\\top M_r]_r` is rank-deficient.  Returns
    ``"inside"`` (a common zero with ``p, q`` in [0, 1]), ``"none"`` (no common
    zero there) or ``"undecided"`` (the quadratic vanishes identically).
    """
    rng = np.random.default_rng(12345)
    alpha, beta = rng.normal(size=(2, M.shape[0]))
    A = np.tensordot(alpha, M, 1)
    B = np.tensordot(beta, M, 1)

    def lin(v):  # x . v as a polynomial in p (descending): v_1 + (v_0 - v_1) p
        return np.array([v[0] - v[1], v[1]])

    det = np.polysub(np.polymul(lin(A[:, 0]), lin(B[:, 1])), np.polymul(lin(A[:, 1]), lin(B[:, 0])))
    if np.max(np.abs(det)) <= 1e-12 * scale**2:
        return "undecided"
    big = np.max(np.abs(det))
    while det.size > 1 and abs(det[0]) <= 1e-14 * big:
        det = det[1:]
    for p in np.roots(det):
        if abs(p.imag) > 1e-9 or not -1e-9 <= p.real <= 1 + 1e-9:
            continue
        x = np.array([p.real, 1 - p.real])
        N = np.einsum("a,rab->rb", x, M)
        _, sv, vh = np.linalg.svd(N)
        if sv[-1] > 1e-9 * scale:
            continue
        y = vh[-1]
        if abs(y.sum()) < 1e-12:
            continue
        q = y[0] / y.sum()
        if -1e-9 <= q <= 1 + 1e-9:
            return "inside"
    return "none"
