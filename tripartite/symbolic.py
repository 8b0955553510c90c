"""Symbolic (exact, sympy) analysis of a model.

At a vertex (pure profile) :math:`s` of the replicator dynamics, the
eigenvalues of the Jacobian are the deviation gains
:math:`u_i(t, s_{-i}) - u_i(s)`, one for every player ``i`` and every
alternative strategy :math:`t \\ne s_i` (see :mod:`tripartite.dynamics.stability`).
Here they are expressions in the model's parameters.

Examples
--------
>>> from tripartite import load_model
>>> eig = vertex_eigenvalues(load_model("baseline"))
>>> eig[(1, 1, 1)][1]
R*p - m + r
"""

from __future__ import annotations

import sympy as sp

from .model import Model

__all__ = ["vertex_eigenvalues"]


def vertex_eigenvalues(model: Model) -> dict[tuple[int, ...], list[sp.Expr]]:
    """Eigenvalue expressions at every vertex.

    Returns
    -------
    dict
        Profile (strategy indices) -> list of ``sum(s_i - 1)`` expressions: for
        each player in order, the gain of each alternative strategy in order.
        The order matches :func:`tripartite.dynamics.stability.vertex_eigenvalues`.
    """
    out = {}
    for profile in model.profiles():
        values = []
        for i, m in enumerate(model.shape):
            own = model.payoffs[profile][i]
            for t in range(m):
                if t != profile[i]:
                    other = profile[:i] + (t,) + profile[i + 1 :]
                    values.append(sp.expand(model.payoffs[other][i] - own))
        out[profile] = values
    return out
