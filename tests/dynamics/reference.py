"""Independent references for the trajectory tests: scipy's solve_ivp at tight tolerances.

Written from the definitions, with none of the integrator's code: the
replicator dynamics in log-share coordinates (:math:`\\dot z_{i,s} = u_i(s, x_{-i}) - \\bar u_i`,
the payoffs from the kernel's :func:`tripartite.game.payoff_vectors`, itself
tested against brute force), integrated by ``solve_ivp`` (DOP853).  Log-shares keep the reference honest near vertices,
where ambient coordinates are stiff and a share that rounds below zero sends
the solution to the wrong vertex.
"""

from __future__ import annotations

import numpy as np
from scipy.integrate import solve_ivp

from tripartite.game import payoff_vectors


def solve_ivp_shares(u: np.ndarray, x0, times, rtol: float = 1e-12, atol: float = 1e-12) -> np.ndarray:
    """Flat shares at ``times`` from ``x0`` for one point ``u`` (N, s_1, ..., s_N); zero shares stay zero."""
    x0 = [np.asarray(x, dtype=float) for x in x0]
    support = [x > 0 for x in x0]
    cuts = np.cumsum([int(s.sum()) for s in support])[:-1]

    def shares(z):
        out = []
        for zi, sup in zip(np.split(z, cuts), support):
            x = np.zeros(len(sup))
            e = np.exp(zi - zi.max())
            x[sup] = e / e.sum()
            out.append(x)
        return out

    def rhs(_t, z):
        xs = shares(z)
        vs = payoff_vectors(u[None], xs)
        return np.concatenate([v[0][sup] - v[0] @ x for v, x, sup in zip(vs, xs, support)])

    z0 = np.concatenate([np.log(x[sup]) for x, sup in zip(x0, support)])
    times = np.asarray(times, dtype=float)
    sol = solve_ivp(rhs, (0.0, float(times[-1])), z0, method="DOP853", rtol=rtol, atol=atol, t_eval=times)
    assert sol.success, sol.message
    return np.array([np.concatenate(shares(z)) for z in sol.y.T])
