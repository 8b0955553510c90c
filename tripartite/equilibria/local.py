"""Some equilibria, by multi-start local search: the labelled-incomplete fallback.

For games too large for complete enumeration, minimise the Lyapunov function

.. math:: L(x) = \\sum_i \\sum_s \\max\\big(u_i(s, x_{-i}) - u_i(x), 0\\big)^2,

which is zero exactly at the Nash equilibria, over the interior of the
simplices (softmax coordinates) from random starting profiles; polish each
local minimum on its support with Newton's method
(:func:`tripartite.equilibria.indifference.polish`) and keep the profiles
whose regret is at most ``tol``.  Nothing guarantees that every equilibrium
is reached, so the set is always labelled *not complete*.
"""

from __future__ import annotations

import numpy as np

from ..game import Game, regret, strategy_payoffs
from .collect import Found, RunLog, finish, pure_found
from .indifference import polish, regularity
from .pure import DEFAULT_TOL
from .result import EquilibriumSet

__all__ = ["local_equilibria", "LOCAL_METHOD"]

LOCAL_METHOD = (
    "multi-start local search (Lyapunov-function minimisation and Newton polishing); "
    "finds some equilibria, NOT complete"
)


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
    log = RunLog()
    found = pure_found(game, u, None, tol, log)
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
        xs2, resid, jac = polish(u, supp, xs)
        if min(np.min(x) for x in xs2) < 0:
            continue
        if float(regret(game.payoffs, xs2)[0]) <= tol:
            qs, regular = regularity(u, supp, xs2, jac, tol)
            found.append(Found(xs2, supp, quasi_strict=qs, regular=regular))
    log.incomplete_because("multi-start local search finds some equilibria, not necessarily all")
    return finish(game, found, LOCAL_METHOD, tol, False, log)
