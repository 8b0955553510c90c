"""Nash equilibria checked from the definition, in exact rationals, independently of the package.

Each player's payoff from each pure strategy against the others' mixture,
:math:`u_i(s, x_{-i}) = \\sum_{s_{-i}} u_i(s, s_{-i}) \\prod_{j \\ne i} x_j(s_j)`,
is summed by an explicit loop over every pure profile, with payoffs and
probabilities read as the exact rationals their floats are
(:class:`fractions.Fraction`): no numpy contraction and no tripartite code.
A checked profile passes only if it is a probability profile whose regret,
computed this way, is at most ``tol`` times the payoff scale: the largest
range of one player's payoffs (1 if every payoff is equal), the package's
:func:`tripartite.game.payoff_scale`, computed here again.
"""

from __future__ import annotations

import itertools
from fractions import Fraction

import numpy as np


def _exact(x) -> Fraction:
    """A rational as it is, a float as the exact rational it stores."""
    return Fraction(x) if isinstance(x, (Fraction, int)) else Fraction(float(x))


def payoff_scale(u: np.ndarray) -> float:
    """The largest range of one player's payoffs, 1 if they are all equal (``u`` of shape (N, s_1, ..., s_N))."""
    spread = max(float(np.max(ui)) - float(np.min(ui)) for ui in np.asarray(u, dtype=float))
    return spread if spread > 0 else 1.0


def strategy_payoffs(u: np.ndarray, xs) -> list[list[Fraction]]:
    """``v[i][s] = u_i(s, x_-i)`` exactly, for a game ``u`` of shape (N, s_1, ..., s_N)."""
    n = u.shape[0]
    shape = u.shape[1:]
    x = [[_exact(p) for p in row] for row in xs]
    v = [[Fraction(0)] * m for m in shape]
    for prof in itertools.product(*(range(m) for m in shape)):
        for i in range(n):
            w = Fraction(1)
            for j in range(n):
                if j != i:
                    w *= x[j][prof[j]]
            if w:
                v[i][prof[i]] += _exact(u[(i, *prof)]) * w
    return v


def expected_payoffs(u: np.ndarray, xs, v: list[list[Fraction]] | None = None) -> list[Fraction]:
    """Each player's expected payoff, exactly (from the strategy payoffs ``v`` if given)."""
    v = strategy_payoffs(u, xs) if v is None else v
    return [sum((_exact(p) * vs for p, vs in zip(row, vi)), Fraction(0)) for row, vi in zip(xs, v)]


def regret(u: np.ndarray, xs, v: list[list[Fraction]] | None = None) -> Fraction:
    """:math:`\\max_i \\max_s u_i(s, x_{-i}) - u_i(x)`, exactly."""
    v = strategy_payoffs(u, xs) if v is None else v
    return max(max(vi) - oi for vi, oi in zip(v, expected_payoffs(u, xs, v)))


def assert_nash(u: np.ndarray, e, tol: float = 1e-9) -> None:
    """``e`` (an Equilibrium of the game ``u``) is a Nash equilibrium, and reports itself truly.

    Checks, each from the definition: every strategy is a probability vector;
    the support is the set of positive probabilities; the regret is at most
    ``tol`` (times the payoff scale); the reported payoffs and regret are the
    exact ones (within rounding); a pure profile is reported strict exactly
    when every unilateral deviation loses more than ``tol``.
    """
    u = np.asarray(u, dtype=float)
    scale = payoff_scale(u)
    xs = [np.asarray(x, dtype=float) for x in e.strategies]
    for i, x in enumerate(xs):
        assert np.all(x >= 0), (i, x)
        assert abs(sum(_exact(p) for p in x) - 1) <= 1e-12, (i, x)
        assert tuple(int(s) for s in np.flatnonzero(x > 0)) == tuple(e.support[i]), (i, x, e.support)
    v = strategy_payoffs(u, xs)
    r = regret(u, xs, v)
    assert r <= Fraction(tol) * Fraction(scale), (float(r), e)
    assert abs(float(r) - max(float(e.regret), 0.0)) <= 1e-9 * scale, (float(r), e.regret)
    for mine, theirs in zip(expected_payoffs(u, xs, v), e.payoffs):
        assert abs(float(mine) - float(theirs)) <= 1e-9 * scale, (float(mine), theirs)
    if e.pure:
        prof = tuple(s[0] for s in e.support)
        losses = [
            _exact(u[(i, *prof)]) - _exact(u[(i, *prof[:i], t, *prof[i + 1 :])])
            for i in range(u.shape[0])
            for t in range(u.shape[1 + i])
            if t != prof[i]
        ]
        assert e.strict == all(loss > Fraction(tol) * Fraction(scale) for loss in losses), (e, losses)
    else:
        assert not e.strict
