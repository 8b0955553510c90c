"""Finite N-player normal-form games with batched numeric payoffs.

A game has players :math:`i = 1..N`, each with a finite list of named
strategies :math:`S_i`, and a payoff :math:`u_i(s)` for every player and pure
profile :math:`s \\in S_1 \\times \\dots \\times S_N`.  Everything here is
*batched*: a :class:`Game` holds the payoffs of the same game at ``batch``
parameter points at once, in one array of shape
``(batch, N, |S_1|, ..., |S_N|)``, so that solvers vectorise over points.

A mixed profile is a list of ``N`` arrays, the ``i``-th of shape
``(batch, |S_i|)`` (or ``(|S_i|,)``, broadcast over the batch), each row a
probability vector.  Against a profile ``x``, the payoff of player ``i``'s pure
strategy ``s`` is

.. math:: u_i(s, x_{-i}) = \\sum_{s_{-i}} u_i(s, s_{-i}) \\prod_{j \\ne i} x_j(s_j),

and the regret of ``x`` is :math:`\\max_i \\max_s u_i(s, x_{-i}) - u_i(x)`:
zero exactly at a Nash equilibrium.

Examples
--------
>>> import numpy as np
>>> pd = Game.from_array(np.array([[[3, 0], [5, 1]], [[3, 5], [0, 1]]]))
>>> float(regret(pd.payoffs, [np.array([0.0, 1.0]), np.array([0.0, 1.0])])[0])
0.0
"""

from __future__ import annotations

import itertools
import string
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from .errors import TripartiteError

__all__ = [
    "DEFAULT_TOL",
    "Game",
    "strategy_payoffs",
    "expected_payoffs",
    "regret",
    "profile_from_indices",
]

#: Default tolerance on payoff differences (payoff units), shared by the solvers and sweeps.
DEFAULT_TOL = 1e-9

_LETTERS = string.ascii_letters.replace("z", "")  # 'z' is the batch axis


@dataclass(frozen=True, eq=False)
class Game:
    """A finite N-player game at one or many parameter points.

    Parameters
    ----------
    players : tuple of str
        Player names, in order (any Unicode text).
    strategies : tuple of tuple of str
        Strategy names of each player, in order.
    payoffs : ndarray, shape (batch, N, s_1, ..., s_N)
        ``payoffs[b, i, s_1, ..., s_N]`` is player ``i``'s payoff at profile
        ``s`` and parameter point ``b``.
    parameters : dict of str to ndarray, optional
        The parameter values behind each point (arrays of shape ``(batch,)``),
        recorded for provenance.
    name : str
        The model or file the game came from.
    exact_payoffs : ndarray of sympy numbers, optional
        For a single point whose inputs are exact: the payoffs as exact
        rationals, shape ``(N, s_1, ..., s_N)``.

    Examples
    --------
    >>> g = Game.from_array(np.zeros((2, 2, 3)), players=["row", "col"])
    >>> g.shape, g.batch_size
    ((2, 3), 1)
    """

    players: tuple[str, ...]
    strategies: tuple[tuple[str, ...], ...]
    payoffs: np.ndarray
    parameters: dict[str, np.ndarray] = field(default_factory=dict)
    name: str = "game"
    exact_payoffs: np.ndarray | None = None

    def __post_init__(self) -> None:
        n = len(self.players)
        if n < 2:
            raise TripartiteError("a game needs at least two players")
        if len(set(self.players)) != n:
            raise TripartiteError(f"duplicate player names in {list(self.players)}")
        if len(self.strategies) != n:
            raise TripartiteError("one list of strategies per player is needed")
        for player, names in zip(self.players, self.strategies):
            if len(names) < 1:
                raise TripartiteError(f"player {player!r} has no strategies")
            if len(set(names)) != len(names):
                raise TripartiteError(f"duplicate strategy names for player {player!r}")
        expected = (n, *self.shape)
        if self.payoffs.ndim != n + 2 or self.payoffs.shape[1:] != expected:
            raise TripartiteError(
                f"payoff array of shape {self.payoffs.shape} does not match "
                f"(batch, {n}, {', '.join(map(str, self.shape))})"
            )

    @classmethod
    def from_array(
        cls,
        payoffs: np.ndarray,
        players: Sequence[str] | None = None,
        strategies: Sequence[Sequence[str]] | None = None,
        name: str = "game",
    ) -> Game:
        """Build a game from a payoff array, with default names where none are given.

        ``payoffs`` has shape ``(N, s_1, ..., s_N)`` for one point or
        ``(batch, N, s_1, ..., s_N)`` for many; default names are ``P1, P2, ...``
        and ``s1, s2, ...``.
        """
        arr = np.asarray(payoffs, dtype=float)
        if arr.ndim >= 2 and arr.shape[0] == arr.ndim - 1:
            arr = arr[np.newaxis]
        n = arr.ndim - 2
        if n < 2 or arr.shape[1] != n:
            raise TripartiteError(f"cannot read a payoff array of shape {arr.shape}")
        players = tuple(players) if players is not None else tuple(f"P{i + 1}" for i in range(n))
        if strategies is None:
            strategies = [[f"s{k + 1}" for k in range(m)] for m in arr.shape[2:]]
        return cls(tuple(players), tuple(tuple(s) for s in strategies), arr, name=name)

    @property
    def n_players(self) -> int:
        """Number of players ``N``."""
        return len(self.players)

    @property
    def shape(self) -> tuple[int, ...]:
        """Number of strategies of each player."""
        return tuple(len(s) for s in self.strategies)

    @property
    def batch_size(self) -> int:
        """Number of parameter points."""
        return self.payoffs.shape[0]

    def point(self, b: int) -> Game:
        """The game at parameter point ``b`` alone (a batch of one).

        Examples
        --------
        >>> from tripartite import load_model
        >>> load_model("baseline").game(nu=[0.0, 1.0]).point(1).parameters["nu"].tolist()
        [1.0]
        """
        if self.batch_size == 1:
            return self
        return Game(
            self.players,
            self.strategies,
            self.payoffs[b : b + 1],
            {k: np.asarray(v)[b : b + 1] if np.ndim(v) else v for k, v in self.parameters.items()},
            self.name,
            self.exact_payoffs if self.batch_size == 1 else None,
        )

    def profiles(self) -> list[tuple[int, ...]]:
        """All pure profiles as index tuples, in lexicographic order."""
        return list(itertools.product(*(range(m) for m in self.shape)))

    def profile_names(self, profile: Sequence[int]) -> dict[str, str]:
        """Player name -> strategy name of a pure profile given by indices."""
        return {p: self.strategies[i][k] for i, (p, k) in enumerate(zip(self.players, profile))}

    def strategy_index(self, player: int, name: str) -> int:
        """Index of strategy ``name`` of player number ``player``."""
        try:
            return self.strategies[player].index(name)
        except ValueError:
            raise TripartiteError(
                f"player {self.players[player]!r} has no strategy {name!r}; "
                f"strategies: {', '.join(self.strategies[player])}"
            ) from None

    def _repr_html_(self) -> str:
        from .display import html_table, number

        dims = "x".join(map(str, self.shape))
        caption = f"{self.name}: {dims} game"
        if self.batch_size > 1:
            return html_table(["players", "batch"], [[", ".join(self.players), self.batch_size]], caption)
        rows = [
            [", ".join(self.profile_names(p).values())]
            + [number(self.payoffs[(0, i, *p)]) for i in range(self.n_players)]
            for p in self.profiles()
        ]
        return html_table(["profile", *self.players], rows, caption + " (payoffs)")

    def __repr__(self) -> str:
        dims = "x".join(map(str, self.shape))
        batch = f", batch={self.batch_size}" if self.batch_size > 1 else ""
        return f"<Game {self.name!r}: {dims}, players={list(self.players)}{batch}>"


def _as_batch(profile: Sequence[np.ndarray], batch: int) -> list[np.ndarray]:
    out = []
    for x in profile:
        x = np.asarray(x, dtype=float)
        if x.ndim == 1:
            x = np.broadcast_to(x, (batch, x.shape[0]))
        out.append(x)
    return out


def strategy_payoffs(payoffs: np.ndarray, profile: Sequence[np.ndarray], player: int) -> np.ndarray:
    """Payoff of each pure strategy of ``player`` against the others' mixed strategies.

    Parameters
    ----------
    payoffs : ndarray, shape (batch, N, s_1, ..., s_N)
    profile : list of N arrays, shape (batch, s_j) or (s_j,)
    player : int

    Returns
    -------
    ndarray, shape (batch, s_player)

    Examples
    --------
    >>> u = np.array([[[[1, 0], [0, 2]], [[2, 0], [0, 1]]]])  # battle of the sexes
    >>> strategy_payoffs(u, [np.array([0.5, 0.5]), np.array([1.0, 0.0])], 0)
    array([[1., 0.]])
    """
    n = payoffs.ndim - 2
    xs = _as_batch(profile, payoffs.shape[0])
    axes = _LETTERS[:n]
    operands = [payoffs[:, player]]
    terms = ["z" + axes]
    for j in range(n):
        if j != player:
            operands.append(xs[j])
            terms.append("z" + axes[j])
    spec = ",".join(terms) + "->z" + axes[player]
    return np.einsum(spec, *operands, optimize=n > 3)


def expected_payoffs(payoffs: np.ndarray, profile: Sequence[np.ndarray]) -> np.ndarray:
    """Expected payoff of every player at a mixed profile, shape ``(batch, N)``."""
    n = payoffs.ndim - 2
    xs = _as_batch(profile, payoffs.shape[0])
    return np.stack(
        [np.einsum("zs,zs->z", strategy_payoffs(payoffs, xs, i), xs[i]) for i in range(n)],
        axis=1,
    )


def regret(payoffs: np.ndarray, profile: Sequence[np.ndarray]) -> np.ndarray:
    """Largest gain any player gets by a unilateral deviation, shape ``(batch,)``.

    Zero (within rounding) exactly at a Nash equilibrium.
    """
    n = payoffs.ndim - 2
    xs = _as_batch(profile, payoffs.shape[0])
    gains = []
    for i in range(n):
        v = strategy_payoffs(payoffs, xs, i)
        gains.append(v.max(axis=1) - np.einsum("zs,zs->z", v, xs[i]))
    return np.max(np.stack(gains, axis=1), axis=1)


def profile_from_indices(shape: Sequence[int], indices: Sequence[int]) -> list[np.ndarray]:
    """The mixed-profile representation of a pure profile.

    Examples
    --------
    >>> profile_from_indices((2, 3), (1, 0))
    [array([0., 1.]), array([1., 0., 0.])]
    """
    return [np.eye(m)[k] for m, k in zip(shape, indices)]
