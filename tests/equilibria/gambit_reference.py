"""pygambit as an independent reference (a test-only dependency)."""

from __future__ import annotations

import numpy as np

pygambit = __import__("pytest").importorskip("pygambit")


def enumpoly(payoffs: np.ndarray) -> list[list[np.ndarray]]:
    """pygambit's enumpoly_solve equilibria of one game, shape (N, s_1, ..., s_N)."""
    g = pygambit.Game.from_arrays(*payoffs)
    res = pygambit.nash.enumpoly_solve(g)
    return [[np.array([float(e[s]) for s in p.strategies]) for p in g.players] for e in res.equilibria]


def sampled_equilibria(payoffs: np.ndarray, starts: int = 6, seed: int = 0) -> list[list[np.ndarray]]:
    """Equilibria that pygambit's path-following and local solvers reach (not all of them).

    For degenerate games, where enumpoly may not finish: ipa and the logit
    path from the centroid, and simplicial subdivision from ``starts`` random
    starting profiles (not gnm, which can hang on a degenerate game, nor liap,
    whose points are approximate).  Every one is returned as pygambit gives it
    (floating point); the caller checks their regret.
    """
    g = pygambit.Game.from_arrays(*payoffs)
    rng = np.random.default_rng(seed)
    results = [pygambit.nash.ipa_solve(g), pygambit.nash.logit_solve(g)]
    for _ in range(starts):
        rational = g.mixed_strategy_profile(rational=True)
        for p in g.players:
            w = rng.integers(1, 10, size=len(p.strategies))
            for s, k in zip(p.strategies, w):
                rational[s] = pygambit.Rational(int(k), int(w.sum()))
        results.append(pygambit.nash.simpdiv_solve(rational))
    return [
        [np.array([float(e[s]) for s in p.strategies]) for p in g.players]
        for res in results
        for e in res.equilibria
    ]


def extreme_equilibria(payoffs: np.ndarray) -> list[list[np.ndarray]]:
    """pygambit's enummixed_solve (exact): every extreme equilibrium of a two-player game."""
    g = pygambit.Game.from_arrays(*payoffs)
    res = pygambit.nash.enummixed_solve(g, rational=True)
    return [[np.array([float(e[s]) for s in p.strategies]) for p in g.players] for e in res.equilibria]
