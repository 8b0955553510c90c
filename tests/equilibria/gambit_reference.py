"""pygambit as an independent reference (a test-only dependency)."""

from __future__ import annotations

import numpy as np

pygambit = __import__("pytest").importorskip("pygambit")


def enumpoly(payoffs: np.ndarray) -> list[list[np.ndarray]]:
    """pygambit's enumpoly_solve equilibria of one game, shape (N, s_1, ..., s_N)."""
    g = pygambit.Game.from_arrays(*payoffs)
    res = pygambit.nash.enumpoly_solve(g)
    return [[np.array([float(e[s]) for s in p.strategies]) for p in g.players] for e in res.equilibria]
