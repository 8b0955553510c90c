"""Some equilibria, by multi-start local search: the labelled-incomplete fallback.

For games too large for complete enumeration, minimise the Lyapunov function

.. math:: L(x) = \\sum_i \\sum_s \\max\\big(u_i(s, x_{-i}) - u_i(x), 0\\big)^2,

which is zero exactly at the Nash equilibria, over the interior of the
simplices (softmax coordinates, :func:`tripartite.game.shares_from_log`)
from random starting profiles, by BFGS with the exact gradient (through the
kernel's payoff vectors and cross payoffs).  A minimiser only approaches the
boundary of the simplices, so the support of each local minimum is read at
growing share thresholds; each support is polished with Newton's method
(:func:`tripartite.equilibria.indifference.polish`) until one gives a
profile whose regret is at most ``tol``.  Nothing guarantees that every
equilibrium is reached, so the set is always labelled *not complete*.

The search runs on the payoffs normalised to the unit scale
(:func:`tripartite.game.normalized_payoffs`: the same equilibria), so the
minimiser's stopping rule and ``tol`` are relative to the payoff scale; the
payoffs and regrets reported are those of the game given.
"""

from __future__ import annotations

import dataclasses

import numpy as np

from ..game import (
    DEFAULT_TOL,
    Game,
    cross_payoffs,
    normalized_payoffs,
    payoff_vectors,
    regret,
    shares_from_log,
)
from .collect import Found, RunLog, finish, in_game_units, pure_found
from .indifference import polish, regularity
from .result import EquilibriumSet

__all__ = ["local_equilibria", "LOCAL_METHOD"]

_SUPPORT_THRESHOLDS = (1e-6, 1e-4, 1e-3, 1e-2)

LOCAL_METHOD = (
    "multi-start local search (Lyapunov-function minimisation and Newton polishing); "
    "finds some equilibria, NOT complete"
)


def local_equilibria(game: Game, tol: float = DEFAULT_TOL, starts: int = 20, seed: int = 0) -> EquilibriumSet:
    """Some equilibria, by multi-start local search; the result is labelled not complete.

    Minimises the Lyapunov function
    :math:`\\sum_i \\sum_s \\max(u_i(s, x_{-i}) - u_i(x), 0)^2` from random
    starting profiles, then polishes each local minimum on its support with
    Newton's method and keeps the profiles whose regret is at most ``tol``
    times the payoff scale (:func:`tripartite.game.payoff_scale`).

    Examples
    --------
    >>> pennies = Game.from_array(np.array([[[1, -1], [-1, 1]], [[-1, 1], [1, -1]]]))
    >>> eqs = local_equilibria(pennies)
    >>> len(eqs), eqs.complete
    (1, False)
    """
    from scipy.optimize import minimize

    given = game
    normalized, shift, scale = normalized_payoffs(game.payoffs)
    game = dataclasses.replace(game, payoffs=normalized, exact_payoffs=None)  # the unit payoff scale
    u = game.payoffs[0]
    shape = game.shape
    rng = np.random.default_rng(seed)
    log = RunLog()
    found = pure_found(game, u, None, tol, log)
    splits = np.cumsum(shape)[:-1]

    def unpack(z):  # softmax coordinates: log-shares -> one probability vector per player
        return np.split(shares_from_log(z, shape), splits)

    def lyapunov(z):
        return _lyapunov(game.payoffs, unpack(z))

    for _ in range(starts):
        z0 = rng.normal(scale=2.0, size=sum(shape))
        res = minimize(lyapunov, z0, jac=True, method="BFGS", options={"gtol": 1e-12, "maxiter": 400})
        x_min = unpack(res.x)
        # the minimiser only approaches the boundary: strategies it leaves at small shares may
        # belong to the support or not, so supports read at growing thresholds are polished in turn
        tried = set()
        for threshold in _SUPPORT_THRESHOLDS:
            supp = tuple(tuple(int(s) for s in np.flatnonzero(x > threshold)) for x in x_min)
            if supp in tried or any(not S for S in supp):
                continue
            tried.add(supp)
            xs = [np.where(x > threshold, x, 0.0) for x in x_min]
            xs2, _, jac = polish(u, supp, [x / x.sum() for x in xs])
            if min(np.min(x) for x in xs2) < 0 or float(regret(game.payoffs, xs2)[0]) > tol:
                continue
            qs, regular = regularity(u, supp, xs2, jac, tol)
            found.append(Found(xs2, supp, quasi_strict=qs, regular=regular))
            break
    log.incomplete_because("multi-start local search finds some equilibria, not necessarily all")
    return finish(given, in_game_units(found, shift[0], float(scale[0])), LOCAL_METHOD, tol, False, log)


def _lyapunov(payoffs: np.ndarray, xs: list[np.ndarray]) -> tuple[float, np.ndarray]:
    """:math:`L(x)` and its gradient in the softmax coordinates ``z`` (``x_j = softmax(z_j)``).

    With :math:`r_{is} = \\max(u_i(s, x_{-i}) - u_i(x), 0)`, the gradient in
    :math:`x_j(t)` is :math:`2 \\sum_{i \\ne j} (r_i - (\\textstyle\\sum_s r_{is}) x_i)^\\top C_{ij}[:, t]
    - 2 (\\sum_s r_{js})\\, u_j(t, x_{-j})`, with the cross payoffs :math:`C_{ij}`
    of the kernel; the softmax Jacobian :math:`\\mathrm{diag}(x_j) - x_j x_j^\\top` maps it to ``z``.
    """
    values = payoff_vectors(payoffs, xs)
    r = [np.maximum(v[0] - v[0] @ x, 0.0) for v, x in zip(values, xs)]
    total = float(sum(np.sum(ri**2) for ri in r))
    grad = []
    for j, xj in enumerate(xs):
        gx = -2.0 * r[j].sum() * values[j][0]
        for i, xi in enumerate(xs):
            if i != j and r[i].any():
                gx = gx + 2.0 * (r[i] - r[i].sum() * xi) @ cross_payoffs(payoffs, xs, i, j)[0]
        grad.append(xj * (gx - xj @ gx))
    return total, np.concatenate(grad)
