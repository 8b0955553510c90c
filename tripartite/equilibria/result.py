"""Result objects for Nash equilibria: one equilibrium, and the set found for one game.

An :class:`Equilibrium` is a mixed profile :math:`x = (x_1, \\dots, x_N)` with
its support :math:`S_i = \\{s : x_i(s) > 0\\}`, each player's expected payoff
:math:`u_i(x)` and its *regret*
:math:`\\max_i \\max_s u_i(s, x_{-i}) - u_i(x) \\ge 0`, which is zero exactly at
a Nash equilibrium.  Where the computation was exact, ``exact`` holds the
probabilities as sympy numbers (rationals or real algebraic numbers) and the
regret is exactly zero.

An equilibrium is *quasi-strict* when every best response of every player is
in its support, and *regular* when, in addition, the indifference conditions
of its support have a nonsingular Jacobian there.  Regular equilibria are
isolated; an irregular one may belong to a continuum, so its game is
reported as *degenerate*.

An :class:`EquilibriumSet` records how the list was obtained: the method, the
tolerance, whether the arithmetic was exact, whether the list is *complete*
(every Nash equilibrium of the game is in it) and whether the game was found
*degenerate* (ties or continua of equilibria).  A degenerate game's list is
never labelled complete: it holds the isolated equilibria found and, for a
continuum, some of its points, with ``notes`` saying which.

Examples
--------
>>> import numpy as np
>>> from tripartite.game import Game
>>> from tripartite.equilibria import all_equilibria
>>> pennies = Game.from_array(np.array([[[1, -1], [-1, 1]], [[-1, 1], [1, -1]]]))
>>> eqs = all_equilibria(pennies)
>>> len(eqs), eqs.complete, eqs[0].support
(1, True, ((0, 1), (0, 1)))
"""

from __future__ import annotations

import html
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import sympy as sp

from ..game import Game

__all__ = ["Equilibrium", "EquilibriumSet", "DeferredEquilibriumSet", "exact_text"]


def exact_text(value: sp.Expr) -> str:
    """A sympy number as text that :func:`sympy.sympify` reads back exactly.

    Examples
    --------
    >>> exact_text(sp.Rational(2, 5)), exact_text(1 - sp.sqrt(2) / 2)
    ('2/5', '1 - sqrt(2)/2')
    """
    return str(value)


@dataclass(frozen=True, eq=False)
class Equilibrium:
    """One Nash equilibrium of one game.

    Attributes
    ----------
    strategies : tuple of ndarray
        Player ``i``'s mixed strategy, a probability vector of length ``|S_i|``.
    support : tuple of tuple of int
        Indices of the strategies each player uses with positive probability.
    payoffs : ndarray, shape (N,)
        Each player's expected payoff.
    regret : float
        Largest gain from a unilateral deviation (0 exactly in exact mode).
    exact : tuple of tuple of sympy numbers, optional
        The probabilities as exact numbers, when computed exactly.
    exact_payoffs : tuple of sympy numbers, optional
        The expected payoffs as exact numbers, when computed exactly.
    quasi_strict : bool or None
        Every best response is in the support (no tie with an unused strategy);
        ``None`` where not decided.
    regular : bool or None
        Quasi-strict with a nonsingular Jacobian of the indifference conditions:
        an isolated equilibrium; ``None`` where not decided.
    strict : bool
        A strict equilibrium: pure, every deviation loses more than the tolerance.
    note : str
        For example ``"endpoint of a continuum"``.
    component : int or None
        The index of the component it lies in (:attr:`EquilibriumSet.components`), where computed.
    """

    strategies: tuple[np.ndarray, ...]
    support: tuple[tuple[int, ...], ...]
    payoffs: np.ndarray
    regret: float
    exact: tuple[tuple[sp.Expr, ...], ...] | None = None
    exact_payoffs: tuple[sp.Expr, ...] | None = None
    quasi_strict: bool | None = True
    regular: bool | None = True
    strict: bool = False
    note: str = ""
    component: int | None = None

    @property
    def pure(self) -> bool:
        """Whether every player uses a single strategy."""
        return all(len(s) == 1 for s in self.support)

    @property
    def pure_profile(self) -> tuple[int, ...] | None:
        """The strategy indices of a pure equilibrium, else ``None``."""
        return tuple(s[0] for s in self.support) if self.pure else None

    def profile(self) -> list[np.ndarray]:
        """The mixed profile as a list of probability vectors (for :func:`~tripartite.game.regret`)."""
        return [np.asarray(x, dtype=float) for x in self.strategies]

    def distance(self, other: Equilibrium | Sequence[np.ndarray]) -> float:
        """Largest absolute difference of probabilities from another profile."""
        xs = other.strategies if isinstance(other, Equilibrium) else other
        return float(max(np.max(np.abs(np.asarray(a) - np.asarray(b))) for a, b in zip(self.strategies, xs)))

    def to_record(self, game: Game) -> dict[str, Any]:
        """JSON-ready dictionary of one equilibrium (the ``solve --json`` fields), same keys always.

        Keys: ``strategies`` (player -> {strategy: probability}), ``pure``,
        ``strict``, ``payoffs`` (player -> number), ``regret`` (a float
        ``>= 0``), ``support`` (player -> strategy names), ``exact`` (player ->
        {strategy: exact text}, or ``None``), ``quasi_strict``, ``regular``,
        ``exact_payoffs`` (player -> exact text, or ``None``), ``note``
        (``None`` when there is none) and ``component`` (the index of its
        component in the set's ``components``, or ``None`` where they were not
        computed).  A value that was not decided is ``None``.

        Examples
        --------
        >>> g = Game.from_array(np.array([[[1, -1], [-1, 1]], [[-1, 1], [1, -1]]]))
        >>> half = np.array([0.5, 0.5])
        >>> rec = Equilibrium((half, half), ((0, 1), (0, 1)), np.zeros(2), 0.0).to_record(g)
        >>> rec["strategies"]["P1"], rec["exact"], rec["note"]
        ({'s1': 0.5, 's2': 0.5}, None, None)
        """
        exact = exact_payoffs = None
        if self.exact is not None:
            exact = {
                p: {s: exact_text(v) for s, v in zip(names, x)}
                for p, names, x in zip(game.players, game.strategies, self.exact)
            }
            if self.exact_payoffs is not None:
                exact_payoffs = {p: exact_text(v) for p, v in zip(game.players, self.exact_payoffs)}
        return {
            "strategies": {
                p: {s: _number(v) for s, v in zip(names, x)}
                for p, names, x in zip(game.players, game.strategies, self.strategies)
            },
            "pure": self.pure,
            "strict": bool(self.strict),
            "payoffs": {p: _number(v) for p, v in zip(game.players, self.payoffs)},
            "regret": float(max(self.regret, 0.0)),
            "support": {
                p: [names[k] for k in supp]
                for p, names, supp in zip(game.players, game.strategies, self.support)
            },
            "exact": exact,
            "quasi_strict": None if self.quasi_strict is None else bool(self.quasi_strict),
            "regular": None if self.regular is None else bool(self.regular),
            "exact_payoffs": exact_payoffs,
            "note": self.note or None,
            "component": self.component,
        }

    def record(self, game: Game) -> dict[str, Any]:
        """The same as :meth:`to_record` (the older name)."""
        return self.to_record(game)

    def __repr__(self) -> str:
        body = "; ".join("(" + ", ".join(f"{v:.6g}" for v in x) + ")" for x in self.strategies)
        return f"<Equilibrium {body}, regret={self.regret:.2g}>"


def _number(x: Any) -> float | int:
    x = float(x)
    return int(x) if x.is_integer() and abs(x) < 2**53 else x


@dataclass(frozen=True, eq=False)
class EquilibriumSet:
    """The Nash equilibria found for one game, and how they were found.

    Attributes
    ----------
    game : Game
        The game (a single parameter point).
    equilibria : tuple of Equilibrium
        Pure equilibria first, then by support size, then lexicographically.
    method : str
        The algorithm, in words.
    tolerance : float
        Tolerance on payoff differences used to accept an equilibrium,
        relative to the game's payoff scale (:attr:`payoff_scale`): the
        tolerance in payoff units is their product.
    exact : bool
        Whether the arithmetic was exact (rationals and algebraic numbers).
    complete : bool
        Whether the list provably contains every Nash equilibrium (for the
        floating-point path: every isolated one, by a method that is complete
        with probability one, with no failure detected).
    degenerate : bool
        Whether the game was found degenerate: some equilibrium is irregular,
        or the indifference conditions of some support have a continuum of
        solutions.  A degenerate game's set is never labelled complete.
    notes : tuple of str
        Plain-language remarks: continua, failed paths, limits hit.
    components : ComponentSet or None
        The components of the set of equilibria
        (:mod:`~tripartite.equilibria.components`), where computed: with them a
        degenerate game's set is complete when every component is listed.
    """

    game: Game
    equilibria: tuple[Equilibrium, ...]
    method: str
    tolerance: float
    exact: bool = False
    complete: bool = True
    degenerate: bool = False
    notes: tuple[str, ...] = field(default_factory=tuple)
    components: Any = None

    def __len__(self) -> int:
        return len(self.equilibria)

    def __iter__(self) -> Iterator[Equilibrium]:
        return iter(self.equilibria)

    def __getitem__(self, k: int) -> Equilibrium:
        return self.equilibria[k]

    def profiles(self) -> list[list[np.ndarray]]:
        """Every equilibrium as a list of probability vectors."""
        return [e.profile() for e in self.equilibria]

    def pure(self) -> list[tuple[int, ...]]:
        """The pure equilibria as strategy-index tuples."""
        return [e.pure_profile for e in self.equilibria if e.pure]

    def find(self, profile: Sequence[np.ndarray], atol: float = 1e-6) -> Equilibrium | None:
        """The equilibrium within ``atol`` of ``profile``, if any."""
        for e in self.equilibria:
            if e.distance(profile) <= atol:
                return e
        return None

    @property
    def payoff_scale(self) -> float:
        """The game's payoff scale (:func:`tripartite.game.payoff_scale`), to which :attr:`tolerance` is relative."""
        return float(self.game.payoff_scale[0])

    def summary(self) -> dict[str, Any]:
        """Method, tolerance (relative to ``payoff_scale``) and the labels, as a JSON-ready dictionary."""
        return {
            "method": self.method,
            "tolerance": float(self.tolerance),
            "payoff_scale": self.payoff_scale,
            "exact": bool(self.exact),
            "complete": self.complete,
            "degenerate": self.degenerate,
            "notes": list(self.notes),
            "count": len(self.equilibria),
        }

    def to_record(self) -> dict[str, Any]:
        """JSON-ready answer: every equilibrium (:meth:`Equilibrium.to_record`) and :meth:`summary`.

        Keys: ``equilibria``, ``method``, ``tolerance`` (relative to the payoff
        scale), ``payoff_scale`` (:func:`tripartite.game.payoff_scale`), ``exact``,
        ``complete``, ``degenerate``, ``notes``, ``count`` and ``components``
        (each with ``support``, ``dimension``, ``symbols``, ``constraints``,
        ``vertices``; ``None`` where not computed).

        Examples
        --------
        >>> from tripartite.equilibria import all_equilibria
        >>> pennies = Game.from_array(np.array([[[1, -1], [-1, 1]], [[-1, 1], [1, -1]]]))
        >>> rec = all_equilibria(pennies).to_record()
        >>> rec["count"], rec["complete"], rec["equilibria"][0]["support"]
        (1, True, {'P1': ['s1', 's2'], 'P2': ['s1', 's2']})
        """
        game = self.game
        components = None if self.components is None else self.components.to_record(game)
        return {
            "equilibria": [e.to_record(game) for e in self.equilibria],
            **self.summary(),
            "components": components,
        }

    def _repr_html_(self) -> str:
        from ..display import html_table, number

        g = self.game
        rows = []
        for e in self.equilibria:
            values = e.exact if e.exact is not None else e.strategies
            shown = [
                ", ".join(
                    f"{s} {exact_text(v) if e.exact is not None else number(v)}"
                    for s, v, x in zip(names, vals, np.asarray(x_float, dtype=float))
                    if x > 0
                )
                for names, vals, x_float in zip(g.strategies, values, e.strategies)
            ]
            rows.append(
                [
                    *shown,
                    ", ".join(number(v) for v in e.payoffs),
                    f"{e.regret:.2g}",
                    "yes" if e.pure else "no",
                    e.note,
                ]
            )
        flags = (
            "exact"
            if self.exact
            else f"floating point, tolerance {self.tolerance:g} relative to the payoff scale {self.payoff_scale:g}"
        ) + ("; complete" if self.complete else "; NOT complete")
        if self.degenerate:
            flags += "; degenerate game"
        caption = f"{g.name}: {len(self)} Nash equilibria ({flags})"
        table = html_table([*g.players, "payoffs", "regret", "pure", "note"], rows, caption)
        notes = "".join(f"<li>{html.escape(n)}</li>" for n in self.notes)
        return table + (f"<ul>{notes}</ul>" if notes else "")

    def __repr__(self) -> str:
        flags = [
            "exact" if self.exact else "float",
            "complete" if self.complete else "NOT complete",
        ]
        if self.degenerate:
            flags.append("degenerate")
        return f"<EquilibriumSet of {self.game.name!r}: {len(self)} equilibria, {', '.join(flags)}>"


class DeferredEquilibriumSet(EquilibriumSet):
    """An :class:`EquilibriumSet` whose game point and equilibria are built when first read.

    Batched solvers return one set per parameter point, often thousands;
    building each set's :class:`Equilibrium` objects only when the set is
    read keeps the cost of a batch in vectorised code.  It behaves exactly
    like an :class:`EquilibriumSet` (it is one); ``game`` and ``equilibria``
    are computed once, on first access, by the functions given.

    Examples
    --------
    >>> import numpy as np
    >>> from tripartite.game import Game
    >>> g = Game.from_array(np.zeros((2, 2, 2)))
    >>> s = DeferredEquilibriumSet(lambda: g, lambda: (), "none", 1e-9)
    >>> len(s), s.complete, isinstance(s, EquilibriumSet)
    (0, True, True)
    """

    def __init__(
        self,
        game: Callable[[], Game] | Game,
        equilibria: Callable[[], Sequence[Equilibrium]] | Sequence[Equilibrium],
        method: str,
        tolerance: float,
        exact: bool = False,
        complete: bool = True,
        degenerate: bool = False,
        notes: tuple[str, ...] = (),
        components: Any = None,
    ) -> None:
        # a value instead of a function is taken as it is (``dataclasses.replace`` passes values)
        object.__setattr__(self, "_make_game", game if callable(game) else None)
        object.__setattr__(self, "_make_equilibria", equilibria if callable(equilibria) else None)
        if not callable(game):
            object.__setattr__(self, "_game", game)
        if not callable(equilibria):
            object.__setattr__(self, "_equilibria", tuple(equilibria))
        for name, value in (
            ("method", method),
            ("tolerance", tolerance),
            ("exact", exact),
            ("complete", complete),
            ("degenerate", degenerate),
            ("notes", tuple(notes)),
            ("components", components),
        ):
            object.__setattr__(self, name, value)

    @property
    def game(self) -> Game:  # type: ignore[override]
        if "_game" not in self.__dict__:
            object.__setattr__(self, "_game", self._make_game())
        return self.__dict__["_game"]

    @property
    def equilibria(self) -> tuple[Equilibrium, ...]:  # type: ignore[override]
        if "_equilibria" not in self.__dict__:
            object.__setattr__(self, "_equilibria", tuple(self._make_equilibria()))
        return self.__dict__["_equilibria"]


def sort_key(e: Equilibrium) -> tuple:
    """Pure first, then by total support size, then by the probabilities (descending)."""
    size = sum(len(s) for s in e.support)
    return (size, tuple((-np.round(np.concatenate(e.strategies), 9)).tolist()))
