"""Every Nash equilibrium of 2x2x2 games in closed form, vectorised over a batch.

Write :math:`p_i` for the probability that player ``i`` plays its first
strategy.  Player ``i``'s payoff advantage of its first strategy over its
second is bilinear in the other two players' probabilities :math:`p_j, p_k`
(:math:`j < k`):

.. math::

    D_i(p_j, p_k) = a_i + b_i p_j + c_i p_k + d_i p_j p_k,

with :math:`e_i(s_j, s_k) = u_i(1, s_j, s_k) - u_i(2, s_j, s_k)` and
:math:`a_i = e_i(2,2)`, :math:`b_i = e_i(1,2) - e_i(2,2)`,
:math:`c_i = e_i(2,1) - e_i(2,2)`,
:math:`d_i = e_i(1,1) - e_i(1,2) - e_i(2,1) + e_i(2,2)`.  A profile is a Nash
equilibrium iff every player's choice is a best response: :math:`p_i = 1` if
:math:`D_i > 0`, :math:`p_i = 0` if :math:`D_i < 0`, anything if
:math:`D_i = 0`.  The equilibria of a *generic* game fall in three families:

- **pure** (8 candidates): every :math:`D_i` has the sign of the strategy played;
- **partially mixed** (6 candidates): player ``k`` pure at :math:`s_k`, players
  ``i, j`` mixing on the 2x2 game left over.  :math:`D_i = 0` is linear in
  :math:`p_j` and :math:`D_j = 0` linear in :math:`p_i`; the pure player must
  not want to leave, :math:`\\pm D_k(p_i, p_j) \\ge 0`;
- **totally mixed** (at most 2): :math:`D_1 = 0` gives
  :math:`p_2 = -(a_1 + c_1 p_3)/(b_1 + d_1 p_3)`, :math:`D_2 = 0` gives
  :math:`p_1 = -(a_2 + c_2 p_3)/(b_2 + d_2 p_3)`; substituting into
  :math:`D_3(p_1, p_2) = 0` and clearing denominators leaves a quadratic in
  :math:`p_3`.  Where a denominator vanishes at a root, the same elimination
  through :math:`p_1` or :math:`p_2` is used instead.

A point is *degenerate* (and left to the general solver of
:mod:`tripartite.equilibria.support`, which labels it) when a player is
indifferent at some pure profile, a candidate lies on the boundary or has an
indifferent pure player, the quadratic vanishes identically (a continuum of
totally mixed equilibria) or has a double root, or a denominator vanishes
at a root.  Every candidate accepted is verified: its regret is at most
``tol``.

Examples
--------
>>> import numpy as np
>>> u = np.zeros((3, 2, 2, 2))       # McKelvey & McLennan's game: 9 equilibria
>>> for prof, pay in {(0,0,0): (9,8,12), (1,1,0): (9,8,2), (0,1,1): (3,4,6),
...                   (1,0,1): (3,4,6)}.items():
...     u[(slice(None), *prof)] = pay
>>> cf = closed_form_2x2x2(u[None])
>>> int(cf.count()[0]), bool(cf.degenerate[0])
(9, False)
>>> cf.probs[0, 14:].round(4).tolist()          # the two totally mixed equilibria
[[0.4, 0.5, 0.3333], [0.5, 0.4, 0.25]]
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial

import numpy as np

from ..game import DEFAULT_TOL, Game, deviation_gains, expected_payoffs, payoff_scale, regret
from .pure import pure_flags
from .result import DeferredEquilibriumSet, Equilibrium, EquilibriumSet

__all__ = [
    "ClosedForm2x2x2",
    "closed_form_2x2x2",
    "closed_form_sets",
    "CLOSED_FORM_METHOD",
    "N_SLOTS",
]

#: Method text recorded in results of the closed form.
CLOSED_FORM_METHOD = (
    "closed form for 2x2x2 games: pure, partially mixed (2x2 subgames) and totally mixed "
    "(roots of a quadratic), each verified"
)
#: Candidate slots: 8 pure, 6 partially mixed (pure player k at s_k), 2 totally mixed.
N_SLOTS = 16
_BOUNDARY = 1e-9  # probabilities this close to 0 or 1 make a point degenerate
_REL = 1e-10  # relative size below which a coefficient counts as zero


@dataclass(frozen=True, eq=False)
class ClosedForm2x2x2:
    """Candidate equilibria of a batch of 2x2x2 games, in fixed slots.

    Attributes
    ----------
    probs : ndarray, shape (batch, 16, 3)
        Probability of each player's first strategy in each candidate slot:
        slots 0-7 pure (slot ``4 s_1 + 2 s_2 + s_3``), 8-13 partially mixed
        (slot ``8 + 2 k + s_k``: player ``k`` pure at ``s_k``), 14-15 totally mixed.
    valid : ndarray of bool, shape (batch, 16)
        Whether the slot holds a verified equilibrium.
    regret : ndarray, shape (batch, 16)
        Regret of each slot's profile (``inf`` for empty slots).
    degenerate : ndarray of bool, shape (batch,)
        Points the closed form leaves to the general solver.
    strict : ndarray of bool, shape (batch, 8)
        Whether each pure slot is a strict equilibrium.
    tol : float
        Relative to the payoff scale.
    payoff_scale : ndarray, shape (batch,)
        :func:`tripartite.game.payoff_scale` of each point: the tolerance in
        payoff units is ``tol * payoff_scale``.
    """

    probs: np.ndarray
    valid: np.ndarray
    regret: np.ndarray
    degenerate: np.ndarray
    strict: np.ndarray
    tol: float
    payoff_scale: np.ndarray

    def count(self) -> np.ndarray:
        """Number of equilibria at each point (meaningful where not degenerate)."""
        return self.valid.sum(axis=1)


def _coefficients(gains: list[np.ndarray]) -> np.ndarray:
    """(a, b, c, d) of each player's advantage D_i, shape (batch, 3, 4).

    ``gains`` are the kernel's :func:`~tripartite.game.deviation_gains`: at a
    profile where player ``i`` plays its second strategy, its gain is
    :math:`e_i(s_j, s_k) = u_i(1, s_j, s_k) - u_i(2, s_j, s_k)`.
    """
    e = np.stack([np.take(g, 1, axis=1 + i) for i, g in enumerate(gains)], axis=1)
    # (batch, 3, s_j, s_k) with index 0 = first strategy
    a = e[..., 1, 1]
    b = e[..., 0, 1] - e[..., 1, 1]
    c = e[..., 1, 0] - e[..., 1, 1]
    d = e[..., 0, 0] - e[..., 0, 1] - e[..., 1, 0] + e[..., 1, 1]
    return np.stack([a, b, c, d], axis=-1)


def _advantage(coef: np.ndarray, i: int, p: np.ndarray) -> np.ndarray:
    """D_i at probabilities ``p`` (..., 3) with coefficients (batch, 3, 4), broadcast."""
    j, k = [m for m in range(3) if m != i]
    a, b, c, d = (coef[:, i, m] for m in range(4))
    shape = (coef.shape[0],) + (1,) * (p.ndim - 2)
    a, b, c, d = (x.reshape(shape) for x in (a, b, c, d))
    pj, pk = p[..., j], p[..., k]
    return a + b * pj + c * pk + d * pj * pk


def _linear(coef: np.ndarray, i: int, var: int, fixed_value: float) -> tuple[np.ndarray, np.ndarray]:
    """D_i = alpha + beta * p_var with the remaining player's probability fixed."""
    a, b, c, d = (coef[:, i, m] for m in range(4))
    j, _k = [m for m in range(3) if m != i]
    if var == j:  # var is the first other player
        return a + c * fixed_value, b + d * fixed_value
    return a + b * fixed_value, c + d * fixed_value


def closed_form_2x2x2(payoffs: np.ndarray, tol: float = DEFAULT_TOL) -> ClosedForm2x2x2:
    """Every equilibrium of each 2x2x2 game in a batch, by the closed form.

    Parameters
    ----------
    payoffs : ndarray, shape (batch, 3, 2, 2, 2)
    tol : float
        Tolerance on payoff differences, relative to the payoff scale
        (:func:`tripartite.game.payoff_scale`): ties within ``tol * scale``
        make a point degenerate, and an accepted candidate's regret is at
        most ``tol * scale``.  The closed form works on the deviation gains
        divided by the scale, so every threshold (also on the coefficients
        of the quadratic) means the same whatever the payoffs' units and
        offsets.

    Returns
    -------
    ClosedForm2x2x2

    Examples
    --------
    >>> u = np.zeros((1, 3, 2, 2, 2))
    >>> u[0, :, 0, 0, 0] = 1                    # all three coordinate on the first strategy
    >>> u[0, :, 1, 1, 1] = 1                    # ... or on the second
    >>> cf = closed_form_2x2x2(u)
    >>> bool(cf.degenerate[0])                  # zero payoffs off the diagonal: ties
    True
    """
    u = np.asarray(payoffs, dtype=float)
    if u.ndim != 5 or u.shape[1:] != (3, 2, 2, 2):
        raise ValueError(f"expected payoffs of shape (batch, 3, 2, 2, 2), got {u.shape}")
    batch = u.shape[0]
    sigma = payoff_scale(u)
    # the gains on the unit payoff scale: every threshold below is then relative to it
    gains = [g / sigma[:, None, None, None] for g in deviation_gains(u)]
    coef = _coefficients(gains)
    scale = np.ones(batch)  # the size of the normalised payoffs, for the relative thresholds

    probs = np.full((batch, N_SLOTS, 3), np.nan)
    found = np.zeros((batch, N_SLOTS), dtype=bool)

    # --- pure profiles (slot 4 s_1 + 2 s_2 + s_3: the profiles in C order) -----------
    # the rule of every pure solver; a tie at any pure profile makes the point degenerate
    equilibrium, strict, tie, _ = pure_flags(gains, tol)
    probs[:, :8] = 1.0 - np.array(list(np.ndindex(2, 2, 2)), dtype=float)
    found[:, :8] = equilibrium.reshape(batch, 8)
    strict = strict.reshape(batch, 8)
    degenerate = tie.reshape(batch, 8).any(axis=1)

    # --- partially mixed: player k pure, i < j mix ------------------------------------
    with np.errstate(divide="ignore", invalid="ignore"):
        for k in range(3):
            i, j = [m for m in range(3) if m != k]
            for sk in range(2):
                slot = 8 + 2 * k + sk
                pk = 1.0 - sk
                alpha_i, beta_i = _linear(coef, i, j, pk)  # D_i = 0 fixes p_j
                alpha_j, beta_j = _linear(coef, j, i, pk)  # D_j = 0 fixes p_i
                pj = -alpha_i / beta_i
                pi = -alpha_j / beta_j
                p = np.empty((batch, 3))
                p[:, i], p[:, j], p[:, k] = pi, pj, pk
                probs[:, slot] = p
                solvable = (np.abs(beta_i) > _REL * scale) & (np.abs(beta_j) > _REL * scale)
                inside = solvable & (pi > 0) & (pi < 1) & (pj > 0) & (pj < 1)
                near_edge = (
                    solvable & _in_closed(pi) & _in_closed(pj) & (_near_boundary(pi) | _near_boundary(pj))
                )
                adv_k = (1.0 if sk == 0 else -1.0) * _advantage(coef, k, p)
                degenerate |= near_edge | (inside & (np.abs(adv_k) <= tol))
                found[:, slot] = inside & (adv_k > tol)

    # --- totally mixed: a quadratic, eliminating through each player in turn ----------
    # Eliminating through p_3 fails where a denominator vanishes at a root (a player's
    # advantage is then constant in the variable it should fix); another player's
    # probability usually works.  A point is degenerate only if no choice works.
    chosen = np.zeros(batch, dtype=bool)
    any_issue = np.ones(batch, dtype=bool)
    for w in (2, 0, 1):
        p_w, ok_w, issue_w = _totally_mixed(coef, scale, w)
        take = ~chosen & ~issue_w
        probs[take, 14:16] = p_w[take]
        found[take, 14:16] = ok_w[take]
        chosen |= take
        any_issue &= issue_w
    degenerate |= any_issue

    # --- verification -----------------------------------------------------------------
    reg = np.full((batch, N_SLOTS), np.inf)
    pf = np.where(found[..., None], probs, 0.5)
    gains = np.zeros((batch, N_SLOTS))
    for i in range(3):
        adv = _advantage(coef, i, pf)
        gains = np.maximum(gains, (1 - pf[..., i]) * np.maximum(adv, 0) + pf[..., i] * np.maximum(-adv, 0))
    reg = np.where(found, gains, np.inf)
    verified = found & (reg <= tol)
    degenerate |= np.any(found & ~verified, axis=1)  # verification failed: let the general solver look
    reg = reg * sigma[:, None]  # back in the game's payoff units
    return ClosedForm2x2x2(probs, verified, reg, degenerate, strict & verified[:, :8], tol, sigma)


def _totally_mixed(coef: np.ndarray, scale: np.ndarray, w: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Totally mixed candidates by elimination through ``z = p_w``.

    Returns the two candidate profiles (batch, 2, 3), whether each is an
    interior solution, and whether this elimination is unreliable at a point
    (a continuum, a double root, a vanishing denominator or a root on the boundary).
    """
    i1, i2 = [m for m in range(3) if m != w]

    def along(i: int, var: int) -> tuple[tuple[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]:
        # D_i = alpha(z) + beta(z) * p_var, alpha and beta linear in z = p_w
        a, b, c, d = (coef[:, i, m] for m in range(4))
        first_other = min(var, w)
        if var == first_other:  # p_var multiplies b, p_w multiplies c
            return (a, c), (b, d)
        return (a, b), (c, d)

    n2, m2 = along(i1, i2)  # D_i1 = 0 fixes p_i2 = -n2 / m2
    n1, m1 = along(i2, i1)  # D_i2 = 0 fixes p_i1 = -n1 / m1
    a, b, c, d = (coef[:, w, m] for m in range(4))  # D_w = a + b p_i1 + c p_i2 + d p_i1 p_i2

    def mul(f, g):
        return (f[0] * g[0], f[0] * g[1] + f[1] * g[0], f[1] * g[1])

    terms = [mul(m1, m2), mul(n1, m2), mul(n2, m1), mul(n1, n2)]
    weights = [a, -b, -c, d]
    q0, q1, q2 = (sum(wt * t[k] for wt, t in zip(weights, terms)) for k in range(3))
    qnorm = np.maximum(np.maximum(np.abs(q0), np.abs(q1)), np.abs(q2))
    identically_zero = qnorm <= _REL * scale**3
    issue = identically_zero | (np.hypot(*m1) <= _REL * scale) | (np.hypot(*m2) <= _REL * scale)
    disc = q1 * q1 - 4 * q2 * q0
    double_root = (np.abs(disc) <= 1e-9 * (q1 * q1 + np.abs(4 * q2 * q0))) & ~identically_zero
    batch = coef.shape[0]
    probs = np.full((batch, 2, 3), np.nan)
    ok = np.zeros((batch, 2), dtype=bool)
    with np.errstate(divide="ignore", invalid="ignore"):
        sq = np.sqrt(np.maximum(disc, 0.0))
        t = -0.5 * (q1 + np.where(q1 >= 0, sq, -sq))
        roots = np.stack([t / q2, q0 / t], axis=1)  # the numerically stable quadratic formula
        roots = np.where((disc >= 0)[:, None], roots, np.nan)
        for r in range(2):
            z = roots[:, r]
            den1, num1 = m1[0] + m1[1] * z, n1[0] + n1[1] * z
            den2, num2 = m2[0] + m2[1] * z, n2[0] + n2[1] * z
            small1, small2 = np.abs(den1) <= 1e-8 * scale, np.abs(den2) <= 1e-8 * scale
            flat1 = small1 & (np.abs(num1) <= 1e-8 * scale)  # D_i2 = 0 whatever p_i1
            flat2 = small2 & (np.abs(num2) <= 1e-8 * scale)  # D_i1 = 0 whatever p_i2
            p1 = -num1 / den1
            p2 = -num2 / den2
            # where D_i1 vanishes whatever p_i2, D_w = 0 fixes p_i2 instead (and vice versa)
            p2 = np.where(flat2 & ~small1, -(a + b * p1) / (c + d * p1), p2)
            p1 = np.where(flat1 & ~small2, -(a + c * p2) / (b + d * p2), p1)
            p = np.empty((batch, 3))
            p[:, w], p[:, i1], p[:, i2] = z, p1, p2
            probs[:, r] = p
            z_in = (z > 0) & (z < 1)
            inside = z_in & (p1 > 0) & (p1 < 1) & (p2 > 0) & (p2 < 1)
            near_edge = (
                _in_closed(z)
                & _in_closed(p1)
                & _in_closed(p2)
                & (_near_boundary(z) | _near_boundary(p1) | _near_boundary(p2))
            )
            unresolved = z_in & ((small1 & small2) | (small1 & ~flat1) | (small2 & ~flat2))
            issue |= near_edge | unresolved | (double_root & z_in)
            ok[:, r] = inside & ~unresolved & ~identically_zero
    return probs, ok, issue


def _near_boundary(p: np.ndarray) -> np.ndarray:
    """Within _BOUNDARY of 0 or of 1."""
    return (np.abs(p) < _BOUNDARY) | (np.abs(p - 1) < _BOUNDARY)


def _in_closed(p: np.ndarray) -> np.ndarray:
    """In [0, 1] up to _BOUNDARY (NaN is not)."""
    return (p > -_BOUNDARY) & (p < 1 + _BOUNDARY)


def closed_form_sets(
    game: Game, cf: ClosedForm2x2x2, points: list[int] | None = None
) -> dict[int, EquilibriumSet]:
    """Equilibrium sets of the non-degenerate points of a closed-form result.

    Every profile is verified again with :func:`tripartite.game.regret`
    (vectorised over all profiles of all points at once) and sorted like
    :func:`~tripartite.equilibria.result.sort_key`, also vectorised; each
    point's :class:`~tripartite.equilibria.Equilibrium` objects are built
    when its set is first read (:class:`~tripartite.equilibria.result.DeferredEquilibriumSet`).

    Examples
    --------
    >>> u = np.zeros((1, 3, 2, 2, 2)); u[0, :, 0, 0, 0] = 2; u[0, :, 1, 1, 1] = 1
    >>> u[0] += np.random.default_rng(0).normal(scale=0.01, size=(3, 2, 2, 2))
    >>> sets = closed_form_sets(Game.from_array(u), closed_form_2x2x2(u))
    >>> [e.pure_profile for e in sets[0] if e.pure]
    [(0, 0, 0), (1, 1, 1)]
    """
    points = range(game.batch_size) if points is None else points
    keep = np.array([b for b in points if not cf.degenerate[b]], dtype=int)
    if keep.size == 0:
        return {}
    bs, slots = np.nonzero(cf.valid[keep])
    bs = keep[bs]
    p = cf.probs[bs, slots]
    p = np.where((slots < 8)[:, None], np.round(p), p)
    profile = [np.stack([p[:, i], 1.0 - p[:, i]], axis=1) for i in range(3)]
    u = game.payoffs[bs]
    reg = regret(u, profile)
    if np.any(reg > cf.tol * cf.payoff_scale[bs]):  # pragma: no cover - the kernel's check is the same
        raise AssertionError("closed-form candidate failed verification")
    pay = expected_payoffs(u, profile)
    # the order of sort_key: support size, then the probabilities, largest first
    flat = np.concatenate(profile, axis=1)  # (M, 6)
    size = (flat > 0).sum(axis=1)
    rounded = -np.round(flat, 9)
    order = np.lexsort([rounded[:, c] for c in range(5, -1, -1)] + [size, bs])
    bs, slots, flat, size = bs[order], slots[order], flat[order], size[order]
    reg, pay = np.maximum(reg[order], 0.0), pay[order]
    strict = (slots < 8) & cf.strict[bs, np.minimum(slots, 7)]
    first = np.searchsorted(bs, keep, side="left")
    last = np.searchsorted(bs, keep, side="right")
    batch = _Rows(flat, reg, pay, strict)
    out: dict[int, EquilibriumSet] = {}
    for b, lo, hi in zip(keep.tolist(), first.tolist(), last.tolist()):
        out[b] = DeferredEquilibriumSet(
            partial(game.point, b),
            partial(batch.equilibria, lo, hi),
            CLOSED_FORM_METHOD,
            cf.tol,
            exact=False,
            complete=True,
        )
    return out


@dataclass(frozen=True, eq=False)
class _Rows:
    """Verified closed-form equilibria of a batch, sorted by point: built into objects on demand."""

    flat: np.ndarray  # (M, 6): both probabilities of each of the three players
    regret: np.ndarray
    payoffs: np.ndarray
    strict: np.ndarray

    def equilibria(self, lo: int, hi: int) -> tuple[Equilibrium, ...]:
        out = []
        for k in range(lo, hi):
            xs = (self.flat[k, 0:2].copy(), self.flat[k, 2:4].copy(), self.flat[k, 4:6].copy())
            support = tuple((0,) if x[1] == 0 else (1,) if x[0] == 0 else (0, 1) for x in xs)
            out.append(
                Equilibrium(
                    strategies=xs,
                    support=support,
                    payoffs=self.payoffs[k].copy(),
                    regret=float(self.regret[k]),
                    strict=bool(self.strict[k]),
                )
            )
        return tuple(out)
