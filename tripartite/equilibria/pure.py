"""Pure-strategy Nash equilibria of N-player games, vectorised over a batch.

A pure profile :math:`s` is a Nash equilibrium when no player gains by
deviating alone:

.. math:: g_i(s) = \\max_{t \\ne s_i} u_i(t, s_{-i}) - u_i(s) \\le 0 \\quad \\forall i,

and a *strict* equilibrium when every :math:`g_i(s) < 0`.  Numerically, with
tolerance ``tol``: an equilibrium when every gain is ``<= tol``, strict when
every gain is ``< -tol``.  A profile with some gain in ``[-tol, tol]`` is a
*tie*: it sits on a boundary between regimes, and is reported as such rather
than assigned to one side.

Examples
--------
>>> import numpy as np
>>> from tripartite.game import Game
>>> coordination = Game.from_array(np.array([[[2, 0], [0, 1]], [[2, 0], [0, 1]]]))
>>> pure_equilibria(coordination).profiles()
[(0, 0), (1, 1)]
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np

from ..game import DEFAULT_TOL, Game

__all__ = ["PureEquilibria", "deviation_gains", "pure_equilibria", "DEFAULT_TOL"]


def deviation_gains(payoffs: np.ndarray) -> list[np.ndarray]:
    """Each player's best gain from a unilateral deviation, at every pure profile.

    Parameters
    ----------
    payoffs : ndarray, shape (batch, N, s_1, ..., s_N)

    Returns
    -------
    list of N arrays, each of shape (batch, s_1, ..., s_N)
        ``gains[i][b, s]`` is :math:`\\max_{t \\ne s_i} u_i(t, s_{-i}) - u_i(s)`
        (``-inf`` for a player with a single strategy).

    Examples
    --------
    >>> u = np.array([[[[3.0, 0], [5, 1]], [[3, 5], [0, 1]]]])  # prisoner's dilemma
    >>> deviation_gains(u)[0][0]
    array([[ 2.,  1.],
           [-2., -1.]])
    """
    n = payoffs.ndim - 2
    gains = []
    for i in range(n):
        u = payoffs[:, i]
        axis = 1 + i
        size = u.shape[axis]
        if size == 1:
            gains.append(np.full(u.shape, -np.inf))
        elif size == 2:
            gains.append(np.flip(u, axis=axis) - u)
        else:
            top2 = -np.partition(-u, 1, axis=axis)
            first = np.take(top2, [0], axis=axis)
            second = np.take(top2, [1], axis=axis)
            # the best alternative to s_i is the top payoff unless s_i is itself the top
            is_top = u == first
            n_top = np.sum(is_top, axis=axis, keepdims=True)
            best_other = np.where(is_top & (n_top == 1), second, first)
            gains.append(best_other - u)
    return gains


@dataclass(frozen=True, eq=False)
class PureEquilibria:
    """Pure Nash equilibria of a batch of games.

    Attributes
    ----------
    game : Game
    equilibrium : ndarray of bool, shape (batch, s_1, ..., s_N)
        Whether each profile is a Nash equilibrium at each point.
    strict : ndarray of bool, same shape
        Whether it is a strict equilibrium.
    tie : ndarray of bool, same shape
        Whether some player's deviation gain is zero within ``tol``.
    max_gain : ndarray, same shape
        The largest deviation gain over players (the profile's regret, if positive).
    tol : float
    method : str
    """

    game: Game
    equilibrium: np.ndarray
    strict: np.ndarray
    tie: np.ndarray
    max_gain: np.ndarray
    tol: float
    method: str = "enumeration of pure profiles"
    exact: bool = False

    def profiles(self, b: int = 0) -> list[tuple[int, ...]]:
        """The equilibrium profiles at point ``b``, as strategy-index tuples."""
        return [tuple(int(k) for k in idx) for idx in np.argwhere(self.equilibrium[b])]

    def count(self) -> np.ndarray:
        """Number of pure equilibria at each point, shape ``(batch,)``."""
        return self.equilibrium.reshape(self.equilibrium.shape[0], -1).sum(axis=1)

    def _repr_html_(self) -> str:
        from ..display import html_table, number

        g = self.game
        if g.batch_size > 1:
            counts = self.count()
            rows = [[k, int((counts == k).sum())] for k in sorted(set(counts.tolist()))]
            return html_table(
                ["pure equilibria", "points"], rows, f"{g.name}: pure equilibria over {g.batch_size} points"
            )
        rows = [
            [*g.profile_names(p).values(), "yes" if self.strict[(0, *p)] else "no"]
            + [number(g.payoffs[(0, i, *p)]) for i in range(g.n_players)]
            for p in self.profiles()
        ]
        headers = [*g.players, "strict", *(f"payoff {p}" for p in g.players)]
        caption = f"{g.name}: pure Nash equilibria (tolerance {self.tol:g})"
        return html_table(headers, rows or [["none"] + [""] * (len(headers) - 1)], caption)

    def __repr__(self) -> str:
        if self.game.batch_size == 1:
            found = [tuple(self.game.profile_names(p).values()) for p in self.profiles()]
            return f"<PureEquilibria of {self.game.name!r}: {found}>"
        return f"<PureEquilibria of {self.game.name!r}: batch of {self.game.batch_size}>"


def pure_equilibria(game: Game, tol: float = DEFAULT_TOL) -> PureEquilibria:
    """Every pure-strategy Nash equilibrium, flagged strict or not, at every point.

    Parameters
    ----------
    game : Game
    tol : float
        Tolerance on payoff differences.

    Returns
    -------
    PureEquilibria

    Examples
    --------
    >>> from tripartite import load_model
    >>> eq = pure_equilibria(load_model("baseline").game())
    >>> [eq.game.profile_names(p) for p in eq.profiles()]
    [{'government': 'passive', 'platform': 'shirk', 'worker': 'lapse'}]
    """
    if tol < 0:
        raise ValueError("tol must be non-negative")
    gains = deviation_gains(game.payoffs)
    # elementwise over players: cheaper than stacking and reducing a short axis
    max_gain = functools.reduce(np.maximum, gains)
    tie = functools.reduce(np.logical_or, (np.abs(g) <= tol for g in gains))
    return PureEquilibria(
        game=game,
        equilibrium=max_gain <= tol,
        strict=max_gain < -tol,
        tie=tie,
        max_gain=max_gain,
        tol=tol,
    )
