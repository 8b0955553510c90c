"""Pure-strategy Nash equilibria of N-player games, vectorised over a batch.

A pure profile :math:`s` is a Nash equilibrium when no player gains by
deviating alone:

.. math:: g_i(s) = \\max_{t \\ne s_i} u_i(t, s_{-i}) - u_i(s) \\le 0 \\quad \\forall i,

and a *strict* equilibrium when every :math:`g_i(s) < 0`.  The gains
:math:`g_i` are the kernel's :func:`tripartite.game.deviation_gains`.
Numerically, with tolerance ``tol`` (:func:`pure_flags`, the one rule every
solver applies to pure profiles): an equilibrium when every gain is
``<= tol``, strict when every gain is ``< -tol``.  A profile with some gain
in ``[-tol, tol]`` is a *tie*: it sits on a boundary between regimes, and is
reported as such rather than assigned to one side.  :func:`pure_equilibria`
takes ``tol`` relative to the game's payoff scale
(:func:`tripartite.game.payoff_scale`) and applies ``tol * scale``, so the
answer does not change when every payoff is multiplied by a positive
constant or a constant is added to one player's payoffs.

A pure equilibrium has no indifference conditions, so it is quasi-strict
(every best response in its support) and regular (van Damme 1991) exactly
when it is strict.

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
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import sympy as sp

from ..game import DEFAULT_TOL, Game, deviation_gains, payoff_tolerance, profile_from_indices
from .result import Equilibrium

__all__ = [
    "PureEquilibria",
    "deviation_gains",
    "pure_equilibria",
    "pure_flags",
    "exact_pure_profile",
    "DEFAULT_TOL",
    "PURE_METHOD",
]

#: Method text recorded in results of :func:`pure_equilibria`.
PURE_METHOD = "enumeration of pure profiles"


def pure_flags(
    gains: Sequence[np.ndarray], tol: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The one tolerance rule for pure profiles, from every player's deviation gains.

    Parameters
    ----------
    gains : list of N arrays, each of shape (batch, s_1, ..., s_N)
        :func:`tripartite.game.deviation_gains` (floats, or exact numbers in
        object arrays with ``tol = 0``).
    tol : float or ndarray
        In payoff units (an array broadcasts against the gains, e.g.
        :func:`tripartite.game.payoff_tolerance`).

    Returns
    -------
    equilibrium, strict, tie : ndarray of bool, shape (batch, s_1, ..., s_N)
        Largest gain ``<= tol``; largest gain ``< -tol``; some gain within ``tol`` of 0.
    max_gain : ndarray
        The largest gain over players.

    Examples
    --------
    >>> u = np.array([[[[3.0, 0], [5, 1]], [[3, 5], [0, 1]]]])  # prisoner's dilemma
    >>> eq, strict, tie, _ = pure_flags(deviation_gains(u), 1e-9)
    >>> eq[0].tolist(), bool(strict[0, 1, 1]), bool(tie.any())
    ([[False, False], [False, True]], True, False)
    """
    # elementwise over players: cheaper than stacking and reducing a short axis
    max_gain = functools.reduce(np.maximum, gains)
    tie = functools.reduce(np.logical_or, (np.asarray(np.abs(g) <= tol, dtype=bool) for g in gains))
    return (
        np.asarray(max_gain <= tol, dtype=bool),
        np.asarray(max_gain < -tol, dtype=bool),
        tie,
        max_gain,
    )


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
        Relative to the payoff scale: gains within ``tol * payoff_scale`` of 0 are ties.
    method : str
    """

    game: Game
    equilibrium: np.ndarray
    strict: np.ndarray
    tie: np.ndarray
    max_gain: np.ndarray
    tol: float
    method: str = PURE_METHOD
    exact: bool = False

    def profiles(self, b: int = 0) -> list[tuple[int, ...]]:
        """The equilibrium profiles at point ``b``, as strategy-index tuples."""
        return [tuple(int(k) for k in idx) for idx in np.argwhere(self.equilibrium[b])]

    def count(self) -> np.ndarray:
        """Number of pure equilibria at each point, shape ``(batch,)``."""
        return self.equilibrium.reshape(self.equilibrium.shape[0], -1).sum(axis=1)

    def equilibria(self, b: int = 0) -> tuple[Equilibrium, ...]:
        """The pure equilibria at point ``b`` as :class:`~tripartite.equilibria.Equilibrium` objects.

        Each carries its exact probabilities (0 and 1), its payoffs (exact too
        where the game has exact payoffs), its regret (the largest deviation
        gain, if positive) and ``quasi_strict = regular = strict``.

        Examples
        --------
        >>> from tripartite import load_model
        >>> [e.pure_profile for e in pure_equilibria(load_model("baseline").game()).equilibria()]
        [(1, 1, 1)]
        """
        g = self.game
        exact_u = g.exact_payoffs if g.exact_payoffs is not None and g.batch_size == 1 else None
        out = []
        for prof in self.profiles(b):
            key = (b, *prof)
            strict = bool(self.strict[key])
            out.append(
                Equilibrium(
                    strategies=tuple(profile_from_indices(g.shape, prof)),
                    support=tuple((k,) for k in prof),
                    payoffs=self._vertex_payoffs(b, prof),
                    regret=max(float(self.max_gain[key]), 0.0),
                    exact=exact_pure_profile(g.shape, prof),
                    exact_payoffs=None
                    if exact_u is None
                    else tuple(_exact_number(exact_u[(i, *prof)]) for i in range(g.n_players)),
                    quasi_strict=strict,
                    regular=strict,
                    strict=strict,
                )
            )
        return tuple(out)

    def _vertex_payoffs(self, b: int, prof: Sequence[int]) -> np.ndarray:
        """Every player's payoff at the pure profile ``prof`` and point ``b`` (for a state-dependent table, at that state)."""
        g = self.game
        table = g.payoffs.at(profile_from_indices(g.shape, prof)) if g.state_dependent else g.payoffs
        return np.array(table[(min(b, table.shape[0] - 1), slice(None), *prof)], dtype=float)

    def to_record(self, point: int = 0) -> dict[str, Any]:
        """JSON-ready answer at one point: the equilibria (as :meth:`Equilibrium.to_record`) and how.

        Keys: ``equilibria``, ``method``, ``tolerance`` (relative to the payoff
        scale), ``payoff_scale`` (:func:`tripartite.game.payoff_scale`: the
        tolerance in payoff units is their product), ``count``.

        Examples
        --------
        >>> from tripartite import load_model
        >>> rec = pure_equilibria(load_model("baseline").game()).to_record()
        >>> rec["count"], rec["equilibria"][0]["exact"]["worker"]
        (1, {'enroll': '0', 'lapse': '1'})
        """
        game = self.game.point(point)
        return {
            "equilibria": [e.to_record(game) for e in self.equilibria(point)],
            "method": self.method,
            "tolerance": float(self.tol),
            "payoff_scale": float(game.payoff_scale[0]),
            "count": int(self.count()[point]),
        }

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
            + [number(v) for v in self._vertex_payoffs(0, p)]
            for p in self.profiles()
        ]
        headers = [*g.players, "strict", *(f"payoff {p}" for p in g.players)]
        caption = (
            f"{g.name}: pure Nash equilibria (tolerance {self.tol:g} relative to the payoff scale "
            f"{float(g.payoff_scale[0]):g})"
        )
        return html_table(headers, rows or [["none"] + [""] * (len(headers) - 1)], caption)

    def __repr__(self) -> str:
        if self.game.batch_size == 1:
            found = [tuple(self.game.profile_names(p).values()) for p in self.profiles()]
            return f"<PureEquilibria of {self.game.name!r}: {found}>"
        return f"<PureEquilibria of {self.game.name!r}: batch of {self.game.batch_size}>"


def exact_pure_profile(shape: Sequence[int], profile: Sequence[int]) -> tuple[tuple[sp.Integer, ...], ...]:
    """The exact probabilities (0 and 1) of a pure profile given by strategy indices.

    Examples
    --------
    >>> exact_pure_profile((2, 3), (1, 0))
    ((0, 1), (1, 0, 0))
    """
    return tuple(tuple(sp.Integer(int(s == k)) for s in range(m)) for m, k in zip(shape, profile))


def _exact_number(v: Any) -> sp.Expr:
    return v if isinstance(v, sp.Basic) else sp.nsimplify(v, rational=True)


def pure_equilibria(game: Game, tol: float = DEFAULT_TOL) -> PureEquilibria:
    """Every pure-strategy Nash equilibrium, flagged strict or not, at every point.

    Parameters
    ----------
    game : Game
    tol : float
        Tolerance on payoff differences, relative to the payoff scale
        (:func:`tripartite.game.payoff_scale`): a gain within
        ``tol * scale`` of 0 is a tie, at each point.

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
    equilibrium, strict, tie, max_gain = pure_flags(gains, payoff_tolerance(game.payoffs, tol))
    return PureEquilibria(
        game=game,
        equilibrium=equilibrium,
        strict=strict,
        tie=tie,
        max_gain=max_gain,
        tol=tol,
    )
