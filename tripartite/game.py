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

**State-dependent games.**  When payoffs depend on the population state
(a penalty :math:`F(1 - x)` that grows with the share of non-compliers), the
payoff table is a function :math:`U_i(s; x)` (a :class:`StatePayoffs` in
place of the array) and every kernel function evaluates it at the profile it
is given, batched:

.. math:: u_i(s, x) = \\sum_{s_{-i}} U_i(s, s_{-i}; x) \\prod_{j \\ne i} x_j(s_j).

At a vertex :math:`v` the table is evaluated at :math:`x = v`, so
:func:`vertex_gains` are :math:`U_i(t, v_{-i}; v) - U_i(v; v)`.
:func:`payoff_gradients` gives :math:`\\partial u_i(s, x) / \\partial x_{j,t}`
through the table's own dependence on the state (the extra terms of the
replicator Jacobian); it is empty for a static game.  Code that needs one
fixed payoff array (support enumeration, QRE, ``.nfg`` export) gets a
:class:`~tripartite.errors.TripartiteError` saying the payoffs depend on the
state, never a silently wrong answer.

Examples
--------
>>> import numpy as np
>>> pd = Game.from_array(np.array([[[3, 0], [5, 1]], [[3, 5], [0, 1]]]))
>>> float(regret(pd.payoffs, [np.array([0.0, 1.0]), np.array([0.0, 1.0])])[0])
0.0
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np

from .errors import TripartiteError

__all__ = [
    "DEFAULT_TOL",
    "STATE_TOL",
    "Game",
    "StatePayoffs",
    "as_profile",
    "payoff_vectors",
    "strategy_payoffs",
    "cross_payoffs",
    "expected_payoffs",
    "regret",
    "payoff_gradients",
    "vertex_gains",
    "deviation_gains",
    "check_state",
    "shares_from_log",
    "profile_from_indices",
    "payoff_scale",
    "normalized_payoffs",
    "payoff_tolerance",
]

#: Default tolerance on payoff differences, relative to the game's payoff scale
#: (:func:`payoff_scale`: the tolerance in payoff units is ``DEFAULT_TOL * scale``),
#: shared by the solvers, the stability classification and sweeps.
DEFAULT_TOL = 1e-9


class StatePayoffs:
    """A payoff table that depends on the population state, at one or many parameter points.

    It stands where a static game has its payoff array, with the same
    ``shape`` ``(batch, N, s_1, ..., s_N)``; :meth:`at` evaluates the table at
    a state.  It cannot be read as one array: ``np.asarray`` and indexing
    raise :class:`~tripartite.errors.TripartiteError`, so code that assumes
    fixed payoffs refuses such a game instead of answering wrongly.

    Parameters
    ----------
    shape : tuple of int
        ``(batch, N, s_1, ..., s_N)``.
    coordinates : tuple of (int, int)
        ``(player, strategy)`` of each state variable the table depends on.
    names : tuple of str
        The names of those state variables (``x`` in ``F*(1 - x)``).
    arguments : tuple of ndarray
        The parameter values (0-d, or 1-D of length ``batch``), passed first.
    table, gradient : callable
        ``table(*arguments, *shares)`` returns the ``N * prod(s)`` payoff
        entries, player-major, each profile in lexicographic order;
        ``gradient(*arguments, *shares)`` their derivatives in each state
        variable in turn (``len(coordinates) * N * prod(s)`` entries).

    Examples
    --------
    >>> # two players, two strategies: player 1 pays 2*x when x (its own first share) is high
    >>> table = lambda x: [-2 * x, 0 * x, 0 * x, 1 + 0 * x] + [1 + 0 * x, 0 * x, 0 * x, 1 + 0 * x]
    >>> grad = lambda x: [-2 + 0 * x] + [0 * x] * 7
    >>> sp = StatePayoffs((1, 2, 2, 2), ((0, 0),), ("x",), (), table, grad)
    >>> sp.at([np.array([0.25, 0.75]), np.array([1.0, 0.0])])[0, 0].tolist()
    [[-0.5, 0.0], [0.0, 1.0]]
    """

    def __init__(
        self,
        shape: tuple[int, ...],
        coordinates: tuple[tuple[int, int], ...],
        names: tuple[str, ...],
        arguments: tuple[np.ndarray, ...],
        table: Callable[..., Sequence],
        gradient: Callable[..., Sequence],
    ):
        self.shape = tuple(int(m) for m in shape)
        self.coordinates = tuple(coordinates)
        self.names = tuple(names)
        self.arguments = tuple(np.asarray(a, dtype=float) for a in arguments)
        self._table = table
        self._gradient = gradient

    @property
    def ndim(self) -> int:
        return len(self.shape)

    def _shares(self, profile: Sequence[np.ndarray]) -> tuple[list[np.ndarray], int]:
        xs = as_profile(profile, self.shape[0])
        batch = max(self.shape[0], *(x.shape[0] for x in xs))
        return [xs[j][:, t] for j, t in self.coordinates], batch

    def _assemble(self, entries: Sequence, batch: int, count: int) -> np.ndarray:
        out = np.empty((count, batch))
        for k, value in enumerate(entries):
            out[k] = value  # constants and (batch,) arrays alike
        return out.T

    def _args(self) -> list:
        return [a if a.ndim else float(a) for a in self.arguments]

    def at(self, profile: Sequence[np.ndarray]) -> np.ndarray:
        """The payoff table ``U(s; x)`` at the state ``profile``, shape ``(batch, N, s_1, ..., s_N)``.

        The batch is the larger of the parameter batch and the state's rows
        (one of them 1, or both equal).
        """
        shares, batch = self._shares(profile)
        flat = self._assemble(self._table(*self._args(), *shares), batch, math.prod(self.shape[1:]))
        return flat.reshape((batch, *self.shape[1:]))

    def gradients(self, profile: Sequence[np.ndarray]) -> list[np.ndarray]:
        """``dU(s; x) / dx_k`` at ``profile`` for each state variable ``k``, each shaped like :meth:`at`."""
        shares, batch = self._shares(profile)
        per = math.prod(self.shape[1:])
        flat = self._assemble(self._gradient(*self._args(), *shares), batch, per * len(self.coordinates))
        return [
            flat[:, k * per : (k + 1) * per].reshape((batch, *self.shape[1:])) for k in range(len(shares))
        ]

    def take(self, indices: np.ndarray) -> StatePayoffs:
        """The table at some of its parameter points (as :meth:`Game.take`)."""
        idx = np.atleast_1d(np.asarray(indices, dtype=int))
        args = tuple(a[idx] if a.ndim and a.shape[0] == self.shape[0] else a for a in self.arguments)
        return StatePayoffs(
            (len(idx), *self.shape[1:]), self.coordinates, self.names, args, self._table, self._gradient
        )

    def _refuse(self) -> TripartiteError:
        return TripartiteError(
            f"the payoffs depend on the population state ({', '.join(self.names)}): "
            "this needs a game with one fixed payoff table"
        )

    def __array__(self, *args, **kwargs):
        raise self._refuse()

    def __getitem__(self, key):
        raise self._refuse()

    def __repr__(self) -> str:
        return f"<StatePayoffs {self.shape} in {', '.join(self.names)}>"


@dataclass(frozen=True, eq=False)
class Game:
    """A finite N-player game at one or many parameter points.

    Parameters
    ----------
    players : tuple of str
        Player names, in order (any Unicode text).
    strategies : tuple of tuple of str
        Strategy names of each player, in order.
    payoffs : ndarray, shape (batch, N, s_1, ..., s_N), or StatePayoffs
        ``payoffs[b, i, s_1, ..., s_N]`` is player ``i``'s payoff at profile
        ``s`` and parameter point ``b``; a :class:`StatePayoffs` when the
        payoffs depend on the population state.
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
    payoffs: np.ndarray | StatePayoffs
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
    def state_dependent(self) -> bool:
        """Whether the payoffs depend on the population state (a :class:`StatePayoffs`)."""
        return isinstance(self.payoffs, StatePayoffs)

    @property
    def batch_size(self) -> int:
        """Number of parameter points."""
        return self.payoffs.shape[0]

    @property
    def payoff_scale(self) -> np.ndarray:
        """The payoff scale of every point, shape ``(batch,)``: see :func:`payoff_scale`.

        Every tolerance on payoffs or payoff differences (regrets, deviation
        gains, eigenvalues) is ``tol * payoff_scale`` at its point.

        Examples
        --------
        >>> pd = Game.from_array(np.array([[[3, 0], [5, 1]], [[3, 5], [0, 1]]]))
        >>> pd.payoff_scale.tolist()
        [5.0]
        """
        return payoff_scale(self.payoffs)

    def point(self, b: int) -> Game:
        """The game at parameter point ``b`` alone (a batch of one).

        Examples
        --------
        >>> from tripartite import load_model
        >>> load_model("baseline").game(nu=[0.0, 1.0]).point(1).parameters["nu"].tolist()
        [1.0]
        """
        if self.batch_size == 1 and b in (0, -1):
            return self
        return self.take([b])

    def take(self, indices: int | Sequence[int] | slice | np.ndarray) -> Game:
        """The game at some of its parameter points, in the given order.

        The one rule for batches: a solver given a batched game works on every
        point; ``take`` (or :meth:`point`) selects points first.  Exact payoffs
        survive only when the selection is the single point they belong to.

        Examples
        --------
        >>> from tripartite import load_model
        >>> load_model("baseline").game(nu=[0.0, 0.5, 1.0]).take([2, 0]).parameters["nu"].tolist()
        [1.0, 0.0]
        """
        if isinstance(indices, slice):
            idx = np.arange(self.batch_size)[indices]
        else:
            idx = np.atleast_1d(np.asarray(indices, dtype=int))
        if idx.size and (idx.min() < -self.batch_size or idx.max() >= self.batch_size):
            raise TripartiteError(f"point index out of range for a batch of {self.batch_size}")
        params = {}
        for k, v in self.parameters.items():
            v = np.asarray(v)
            params[k] = v[idx] if v.ndim and v.shape[0] == self.batch_size else v
        keep_exact = self.batch_size == 1 and idx.tolist() in ([0], [-1])
        return Game(
            self.players,
            self.strategies,
            self.payoffs.take(idx % self.batch_size) if self.state_dependent else self.payoffs[idx],
            params,
            self.name,
            self.exact_payoffs if keep_exact else None,
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
        if self.batch_size > 1 or self.state_dependent:
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


# --- the numeric kernel -------------------------------------------------------------------------
#
# The only code that contracts payoffs with strategies, takes deviation gains at
# vertices, validates states and turns log-shares into shares.  Every solver calls
# these; none keeps a copy.  When payoffs come to depend on the population state, these
# functions (and the replicator field built on them) are what changes.

#: Tolerance on the sum of a player's shares in a state or mixed profile given by a user.
STATE_TOL = 1e-6


def payoff_scale(payoffs: np.ndarray | StatePayoffs) -> np.ndarray:
    """The payoff scale of each point of a batch: the largest range of one player's payoffs.

    .. math:: \\sigma = \\max_i \\big(\\max_s u_i(s) - \\min_s u_i(s)\\big),

    and :math:`\\sigma = 1` where every player's payoffs are all equal (or
    not finite).  It is unchanged when a constant is added to one player's
    payoffs and is multiplied by :math:`c` when every payoff is (:math:`c > 0`):
    exactly the transformations that leave the Nash equilibria and the rest
    points of the replicator dynamics, and their labels, unchanged (they
    multiply the replicator field and its eigenvalues by :math:`c`).  So a
    tolerance ``tol * scale`` on payoff differences decides the same way
    whatever the units of the payoffs.  One common scale for all players,
    not one per player: rescaling one player alone changes the interior
    eigenvalues.  For a state-dependent table, the range over the tables at
    every vertex state :math:`U_i(s; v)`.

    Parameters
    ----------
    payoffs : ndarray, shape (batch, N, s_1, ..., s_N), or StatePayoffs

    Returns
    -------
    ndarray, shape (batch,)

    Examples
    --------
    >>> u = np.array([[[[3.0, 0], [5, 1]], [[3, 5], [0, 1]]]])   # prisoner's dilemma
    >>> payoff_scale(u).tolist(), payoff_scale(1000 * u + 7).tolist(), payoff_scale(0 * u).tolist()
    ([5.0], [5000.0], [1.0])
    """
    if isinstance(payoffs, StatePayoffs):
        shape = payoffs.shape[2:]
        tables = [payoffs.at(profile_from_indices(shape, v)) for v in itertools.product(*map(range, shape))]
        u = np.concatenate([t.reshape(t.shape[0], t.shape[1], -1) for t in tables], axis=2)
    else:
        u = np.asarray(payoffs, dtype=float)
        u = u.reshape(u.shape[0], u.shape[1], -1)
    with np.errstate(invalid="ignore"):
        spread = (u.max(axis=2) - u.min(axis=2)).max(axis=1)
    return np.where(np.isfinite(spread) & (spread > 0), spread, 1.0)


def payoff_tolerance(payoffs: np.ndarray | StatePayoffs, tol: float) -> np.ndarray:
    """The tolerance in payoff units at each point, ``tol * payoff_scale``, shaped to broadcast.

    Shape ``(batch, 1, ..., 1)`` (one 1 per player): it broadcasts against
    arrays over the pure profiles, ``(batch, s_1, ..., s_N)``, such as
    :func:`deviation_gains`.

    Examples
    --------
    >>> u = np.array([[[[3.0, 0], [5, 1]], [[3, 5], [0, 1]]]])
    >>> payoff_tolerance(u, 1e-9).shape, float(payoff_tolerance(u, 1e-9)[0, 0, 0])
    ((1, 1, 1), 5e-09)
    """
    scale = payoff_scale(payoffs)
    return (float(tol) * scale).reshape(scale.shape[0], *([1] * (len(payoffs.shape) - 2)))


def normalized_payoffs(payoffs: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Payoffs on the unit scale: :math:`(u_i - m_i) / \\sigma` per point, with :math:`m_i = \\min_s u_i(s)`.

    The same equilibria and rest points, with labels, as the game given
    (see :func:`payoff_scale`), with every player's payoffs in ``[0, 1]``:
    the floating-point solvers work on these, so that their thresholds mean
    the same whatever the units and offsets of the payoffs, and report
    payoffs of the original game, ``m_i + sigma * v``.

    Returns
    -------
    normalized : ndarray, the shape of ``payoffs``
    shift : ndarray, shape (batch, N)
        :math:`m_i`.
    scale : ndarray, shape (batch,)
        :math:`\\sigma`.

    Examples
    --------
    >>> u = np.array([[[[3.0, 0], [5, 1]], [[3, 5], [0, 1]]]])
    >>> v, shift, scale = normalized_payoffs(1e6 * u + 2)
    >>> v[0, 0].tolist(), shift.tolist(), scale.tolist()
    ([[0.6, 0.0], [1.0, 0.2]], [[2.0, 2.0]], [5000000.0])
    """
    u = np.asarray(payoffs, dtype=float)
    batch, n = u.shape[:2]
    scale = payoff_scale(u)
    flat = u.reshape(batch, n, -1)
    shift = np.where(np.isfinite(flat).all(axis=2), flat.min(axis=2), 0.0)
    extra = (1,) * (u.ndim - 2)
    normalized = (u - shift.reshape(batch, n, *extra)) / scale.reshape(batch, 1, *extra)
    return normalized, shift, scale


def as_profile(profile: Sequence[np.ndarray], batch: int) -> list[np.ndarray]:
    """A mixed profile with every player's array of shape ``(batch, s_i)`` (broadcast if 1-D)."""
    out = []
    for x in profile:
        x = np.asarray(x, dtype=float)
        if x.ndim == 1:
            x = np.broadcast_to(x, (batch, x.shape[0]))
        out.append(x)
    return out


def _contract(u: np.ndarray, xs: Sequence[np.ndarray], keep: Sequence[int]) -> np.ndarray:
    """Contract ``u`` (batch, s_1, ..., s_N) with every ``xs[j]`` except the players in ``keep``.

    Pairwise contractions from the last player down: cheaper than one
    many-operand einsum for the small arrays of these games.
    """
    n = len(xs)
    t = u
    axes = list(range(1, n + 1))  # the player axes still in t, after the batch axis
    for j in reversed(range(n)):
        if j in keep:
            continue
        pos = axes.index(j + 1) + 1
        rest = [0] + [a for a in range(1, t.ndim) if a != pos]
        t = np.einsum(t, list(range(t.ndim)), xs[j], [0, pos], rest)
        axes.remove(j + 1)
    return t


def payoff_vectors(payoffs: np.ndarray, profile: Sequence[np.ndarray]) -> list[np.ndarray]:
    """Every player's payoff of each pure strategy against the others' mixed strategies.

    Parameters
    ----------
    payoffs : ndarray, shape (batch, N, s_1, ..., s_N)
    profile : list of N arrays, shape (batch, s_j) or (s_j,)

    Returns
    -------
    list of N arrays
        ``v[i][b, s]`` is :math:`u_i(s, x_{-i})` at point ``b``, shape ``(batch, s_i)``.

    Examples
    --------
    >>> u = np.array([[[[1, 0], [0, 2]], [[2, 0], [0, 1]]]])  # battle of the sexes
    >>> [v.tolist() for v in payoff_vectors(u, [np.array([0.5, 0.5]), np.array([1.0, 0.0])])]
    [[[1.0, 0.0]], [[1.0, 0.5]]]
    """
    xs = as_profile(profile, payoffs.shape[0])
    u = _table(payoffs, xs)
    return [_contract(u[:, i], xs, (i,)) for i in range(len(xs))]


def _table(payoffs: np.ndarray | StatePayoffs, xs: Sequence[np.ndarray]) -> np.ndarray:
    """The payoff array at the state ``xs``: the array itself for a static game."""
    return payoffs.at(xs) if isinstance(payoffs, StatePayoffs) else payoffs


def payoff_gradients(
    payoffs: np.ndarray | StatePayoffs, profile: Sequence[np.ndarray]
) -> list[tuple[tuple[int, int], list[np.ndarray]]]:
    """The derivatives of the strategy payoffs through the table's dependence on the state.

    For each state variable :math:`x_{j,t}` the table depends on, the
    ``N`` arrays :math:`\\sum_{s_{-i}} \\partial U_i(s, s_{-i}; x) / \\partial x_{j,t}
    \\prod_{k \\ne i} x_k(s_k)`, shape ``(batch, s_i)``: what
    :func:`cross_payoffs` (the table held fixed) leaves out of
    :math:`\\partial u_i(s, x) / \\partial x_{j,t}`.  Empty for a static game.

    Examples
    --------
    >>> payoff_gradients(np.zeros((1, 2, 2, 2)), [np.array([0.5, 0.5])] * 2)
    []
    """
    if not isinstance(payoffs, StatePayoffs):
        return []
    xs = as_profile(profile, payoffs.shape[0])
    out = []
    for coord, d in zip(payoffs.coordinates, payoffs.gradients(xs)):
        out.append((coord, [_contract(d[:, i], xs, (i,)) for i in range(len(xs))]))
    return out


def strategy_payoffs(payoffs: np.ndarray, profile: Sequence[np.ndarray], player: int) -> np.ndarray:
    """Payoff of each pure strategy of ``player`` against the others' mixed strategies.

    One entry of :func:`payoff_vectors`, shape ``(batch, s_player)``.

    Examples
    --------
    >>> u = np.array([[[[1, 0], [0, 2]], [[2, 0], [0, 1]]]])  # battle of the sexes
    >>> strategy_payoffs(u, [np.array([0.5, 0.5]), np.array([1.0, 0.0])], 0)
    array([[1., 0.]])
    """
    xs = as_profile(profile, payoffs.shape[0])
    return _contract(_table(payoffs, xs)[:, player], xs, (player,))


def cross_payoffs(payoffs: np.ndarray, profile: Sequence[np.ndarray], i: int, j: int) -> np.ndarray:
    """``C[b, s, t]``: player ``i``'s payoff from ``s`` when ``j`` plays ``t`` and the others mix.

    The block of second derivatives behind the replicator Jacobian and the QRE
    system, shape ``(batch, s_i, s_j)`` (``i != j``).

    Examples
    --------
    >>> u = np.array([[[[1, 0], [0, 2]], [[2, 0], [0, 1]]]])
    >>> cross_payoffs(u, [np.array([0.5, 0.5]), np.array([0.5, 0.5])], 0, 1)[0].tolist()
    [[1.0, 0.0], [0.0, 2.0]]
    """
    if i == j:
        raise ValueError("cross payoffs need two different players")
    xs = as_profile(profile, payoffs.shape[0])
    t = _contract(np.asarray(_table(payoffs, xs)[:, i], dtype=float), xs, (i, j))
    return t if i < j else np.swapaxes(t, 1, 2)


def expected_payoffs(payoffs: np.ndarray, profile: Sequence[np.ndarray]) -> np.ndarray:
    """Expected payoff of every player at a mixed profile, shape ``(batch, N)``."""
    xs = as_profile(profile, payoffs.shape[0])
    return np.stack([np.einsum("zs,zs->z", v, x) for v, x in zip(payoff_vectors(payoffs, xs), xs)], axis=1)


def regret(payoffs: np.ndarray, profile: Sequence[np.ndarray]) -> np.ndarray:
    """Largest gain any player gets by a unilateral deviation, shape ``(batch,)``.

    Zero (within rounding) exactly at a Nash equilibrium.
    """
    xs = as_profile(profile, payoffs.shape[0])
    gains = [v.max(axis=1) - np.einsum("zs,zs->z", v, x) for v, x in zip(payoff_vectors(payoffs, xs), xs)]
    return np.max(np.stack(gains, axis=1), axis=1)


def vertex_gains(payoffs: np.ndarray) -> list[np.ndarray]:
    """Every player's gain from each unilateral switch, at every pure profile (vertex).

    Parameters
    ----------
    payoffs : ndarray, shape (batch, N, s_1, ..., s_N)

    Returns
    -------
    list of N arrays, the ``i``-th of shape (batch, s_1, ..., s_N, s_i)
        ``g[i][b, v, t] = u_i(t, v_{-i}) - u_i(v)``: zero at ``t = v_i``.  The
        entries ``t != v_i`` are the eigenvalues of the replicator dynamics at
        vertex ``v`` (see :mod:`tripartite.dynamics.stability`).  For a
        state-dependent game the table is evaluated at the vertex itself:
        ``U_i(t, v_{-i}; v) - U_i(v; v)``.

    Examples
    --------
    >>> u = np.array([[[[3.0, 0], [5, 1]], [[3, 5], [0, 1]]]])  # prisoner's dilemma
    >>> vertex_gains(u)[0][0, 0, 0].tolist()  # row player at (C, C): stay 0, defect +2
    [0.0, 2.0]
    """
    if isinstance(payoffs, StatePayoffs):
        return _state_vertex_gains(payoffs)
    return [_switch_gains(payoffs[:, i], 1 + i) for i in range(payoffs.ndim - 2)]


def _state_vertex_gains(payoffs: StatePayoffs) -> list[np.ndarray]:
    """:func:`vertex_gains` of a state-dependent table: each vertex's gains at its own state."""
    shape = payoffs.shape[2:]
    n = len(shape)
    batch = payoffs.shape[0]
    out = [np.empty((batch, *shape, shape[i])) for i in range(n)]
    for v in itertools.product(*(range(m) for m in shape)):
        u = payoffs.at(profile_from_indices(shape, v))  # (batch, N, s_1, ..., s_N) at x = v
        for i in range(n):
            row = u[(slice(None), i, *v[:i], slice(None), *v[i + 1 :])]  # u_i(t, v_-i; v), (batch, s_i)
            out[i][(slice(None), *v)] = row - row[:, v[i] : v[i] + 1]
    return out


def _switch_gains(u: np.ndarray, axis: int) -> np.ndarray:
    """``g[b, v, t] = u[b, v with v_axis -> t] - u[b, v]`` for one player's payoffs ``u``."""
    alt = np.expand_dims(np.moveaxis(u, axis, -1), axis)  # (b, ..., 1, ..., t)
    return np.broadcast_to(alt, (*u.shape, u.shape[axis])) - u[..., None]


def deviation_gains(payoffs: np.ndarray) -> list[np.ndarray]:
    """Each player's best gain from a unilateral deviation, at every pure profile.

    The largest entry of :func:`vertex_gains` over ``t != v_i``.

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
    if isinstance(payoffs, StatePayoffs):
        return [_best_switch(g, 1 + i) for i, g in enumerate(_state_vertex_gains(payoffs))]
    gains = []
    for i in range(n):
        u = payoffs[:, i]
        axis = 1 + i
        size = u.shape[axis]
        if size == 1:
            gains.append(np.full(u.shape, -np.inf))
        elif size == 2:  # the common case, without the (…, s_i) intermediate
            gains.append(np.flip(u, axis=axis) - u)
        else:
            g = _switch_gains(u, axis).copy()
            own = np.indices(u.shape, sparse=True)[axis]
            np.put_along_axis(g, np.broadcast_to(own, u.shape)[..., None], -np.inf, axis=-1)
            gains.append(g.max(axis=-1))
    return gains


def _best_switch(g: np.ndarray, axis: int) -> np.ndarray:
    """The largest entry of vertex gains ``g`` (…, s_i) over ``t != v_i`` (``-inf`` if none)."""
    g = g.copy()
    own = np.indices(g.shape[:-1], sparse=True)[axis]
    np.put_along_axis(g, np.broadcast_to(own, g.shape[:-1])[..., None], -np.inf, axis=-1)
    return g.max(axis=-1)


def check_state(
    state: Sequence[Sequence[float]] | Sequence[np.ndarray],
    shape: Sequence[int],
    players: Sequence[str] | None = None,
    *,
    batched: bool = False,
    what: str = "state",
) -> list[np.ndarray]:
    """Validate a population state (or mixed profile): one probability vector per player.

    Shares must be finite, non-negative and sum to 1 within :data:`STATE_TOL`;
    they are returned renormalised to sum to 1 exactly.  With ``batched``
    each player's array may also have shape ``(batch, s_i)``.  Every solver
    validates states here, with this one message.

    Examples
    --------
    >>> check_state([[0.5, 0.5], [1.0, 0.0]], (2, 2))
    [array([0.5, 0.5]), array([1., 0.])]
    >>> check_state([[0.5, 0.6], [1.0, 0.0]], (2, 2), ["row", "col"])
    Traceback (most recent call last):
    ...
    tripartite.errors.TripartiteError: state of 'row': shares must be non-negative and sum to 1 (within 1e-06); they sum to 1.1
    """
    names = list(players) if players is not None else [f"P{i + 1}" for i in range(len(shape))]
    if len(state) != len(shape):
        raise TripartiteError(f"the {what} needs one probability vector per player ({len(shape)})")
    out = []
    for name, m, x in zip(names, shape, state):
        x = np.asarray(x, dtype=float)
        ok_shape = x.shape == (m,) or (batched and x.ndim == 2 and x.shape[1] == m)
        if not ok_shape:
            raise TripartiteError(
                f"{what} of {name!r}: needs {m} shares, one per strategy (got shape {x.shape})"
            )
        if not np.all(np.isfinite(x)):
            raise TripartiteError(f"{what} of {name!r}: shares must be finite numbers")
        total = x.sum(axis=-1)
        if np.any(x < 0) or np.any(np.abs(total - 1) > STATE_TOL):
            bad = float(np.ravel(total)[np.argmax(np.abs(np.ravel(total) - 1))])
            raise TripartiteError(
                f"{what} of {name!r}: shares must be non-negative and sum to 1 (within {STATE_TOL:g}); "
                f"they sum to {bad:.10g}"
            )
        out.append(x / np.asarray(total)[..., None] if x.ndim == 2 else x / total)
    return out


def shares_from_log(
    z: np.ndarray, shape: Sequence[int], axis: int = -1, mask: np.ndarray | None = None
) -> np.ndarray:
    """Shares from log-shares: a softmax over each player's block of ``axis``.

    ``z`` holds the flat log-shares (``sum(shape)`` entries along ``axis``);
    entries where ``mask`` (same layout as ``z``) is false are strategies
    outside the support and get share 0.  The largest log-share of each block
    is subtracted first, so the exponentials cannot overflow.

    Examples
    --------
    >>> shares_from_log(np.log(np.array([1.0, 3.0, 2.0, 2.0])), (2, 2)).tolist()
    [0.25, 0.75, 0.5, 0.5]
    """
    z = np.asarray(z, dtype=float)
    e = z.copy() if mask is None else np.where(mask > 0, z, -np.inf)
    axis = axis % e.ndim
    index: list = [slice(None)] * e.ndim
    start = 0
    for m in shape:
        index[axis] = slice(start, start + m)
        block = e[tuple(index)]  # a view: updated in place
        block -= block.max(axis=axis, keepdims=True)
        np.exp(block, out=block)
        block /= block.sum(axis=axis, keepdims=True)
        start += m
    return e


def profile_from_indices(shape: Sequence[int], indices: Sequence[int]) -> list[np.ndarray]:
    """The mixed-profile representation of a pure profile.

    Examples
    --------
    >>> profile_from_indices((2, 3), (1, 0))
    [array([0., 1.]), array([1., 0., 0.])]
    """
    return [np.eye(m)[k] for m, k in zip(shape, indices)]
