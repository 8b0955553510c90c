"""Welfare beside decision payoffs, and Pareto comparisons of equilibria.

The payoffs :math:`u_i` of a model are what the players *act on*: a
worker's payoff in the built-in models carries present bias
:math:`\\beta`, loss aversion :math:`\\lambda` and partial awareness
:math:`a`.  A scenario's ``[welfare]`` table names parameter values
:math:`\\theta^W` of a *welfare evaluation* (``beta = 1``, ``lam = 1``,
``a = 1``: the time-consistent, loss-neutral, fully informed evaluation);
player :math:`i`'s welfare at a (mixed) profile :math:`x` is

.. math::  W_i(x) = u_i(x;\\ \\theta \\text{ with } \\theta^W \\text{ in place}),

the same payoff expressions, evaluated by the same kernel
(:func:`tripartite.game.expected_payoffs`) at the parameters with the
welfare values substituted; the other parameters keep the values the
decisions are taken at.  A model without a ``[welfare]`` table has welfare
equal to its decision payoffs.

A profile :math:`y` **welfare-dominates** :math:`x` (a Pareto improvement)
when :math:`W_i(y) \\ge W_i(x)` for every player and :math:`W_j(y) > W_j(x)`
for some, both up to the tolerance ``tol`` on payoff differences.  An
equilibrium is an **all-lose** outcome ("三输", three-lose, for three
players) when some profile gives *every* player strictly more welfare:
:func:`pareto_comparison` reports each improvement with every player's gain.

Examples
--------
>>> from tripartite import load_model
>>> model = load_model("baseline")
>>> welfare_values(model)["beta"], welfare_values(model, {"beta": 0.5})["beta"]
(1.0, 1.0)
>>> w = welfare_game(model)
>>> float(w.payoffs[0, 2, 1, 1, 1])   # the worker at (passive, shirk, lapse): y - p*L
5940.0
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from .game import DEFAULT_TOL, Game, expected_payoffs, profile_from_indices
from .model import Model

__all__ = [
    "ParetoComparison",
    "dominated_by",
    "pareto_comparison",
    "welfare_at",
    "welfare_game",
    "welfare_description",
    "welfare_values",
]


def welfare_values(model: Model, values: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """The parameter values of the welfare evaluation: ``values`` with the ``[welfare]`` ones in place.

    Examples
    --------
    >>> from tripartite import load_model
    >>> sorted(welfare_values(load_model("baseline"), {"nu": 0.5}).items())
    [('a', 1.0), ('beta', 1.0), ('lam', 1.0), ('nu', 0.5)]
    """
    return {**dict(values or {}), **{w.name: w.value for w in model.welfare}}


def welfare_game(model: Model, values: Mapping[str, Any] | None = None) -> Game:
    """The game whose payoffs are the players' welfare, at ``values`` (others at their defaults).

    Examples
    --------
    >>> from tripartite import load_model
    >>> float(welfare_game(load_model("baseline")).payoffs[0, 1, 1, 1, 1])  # platform: Pi - p*R
    980.0
    """
    return model.game(welfare_values(model, values))


def welfare_description(model: Model | None) -> str:
    """How welfare is evaluated, in words: ``"beta = 1, lam = 1, a = 1"`` or the decision payoffs.

    Examples
    --------
    >>> from tripartite import load_model
    >>> welfare_description(load_model("baseline"))
    'decision payoffs re-evaluated at beta = 1, lam = 1, a = 1'
    """
    if model is None or not model.welfare:
        return "the decision payoffs (no [welfare] table)"
    return "decision payoffs re-evaluated at " + ", ".join(f"{w.name} = {w.value:g}" for w in model.welfare)


def welfare_at(game: Game, strategies: Sequence[np.ndarray]) -> np.ndarray:
    """Every player's expected welfare at a (mixed) profile of a one-point welfare game, shape ``(N,)``.

    For payoffs that depend on the state, the table is evaluated at that
    profile (the kernel does it).

    Examples
    --------
    >>> from tripartite import load_model
    >>> w = welfare_game(load_model("baseline"))
    >>> welfare_at(w, [np.array([0.0, 1.0])] * 3).tolist()
    [-50.0, 980.0, 5940.0]
    """
    xs = [np.asarray(x, dtype=float)[None, :] for x in strategies]
    return expected_payoffs(game.payoffs, xs)[0]


def _clean(value: float, scale: float) -> float:
    """A payoff difference with float noise (below 1e-9 of the payoffs' scale) shown as 0."""
    return 0.0 if abs(value) <= 1e-9 * scale else float(value)


@dataclass(frozen=True)
class ParetoComparison:
    """One welfare improvement over an equilibrium.

    Attributes
    ----------
    profile : dict
        Player -> strategy (a pure profile) or player -> {strategy: share}.
    welfare : dict
        Player -> welfare there.
    gains : dict
        Player -> welfare gain over the equilibrium (every one >= -tol).
    """

    profile: dict
    welfare: dict
    gains: dict

    @property
    def everyone_gains(self) -> bool:
        """Whether every player is strictly better off (the equilibrium is all-lose against it)."""
        return all(g > 0 for g in self.gains.values())

    def to_record(self) -> dict[str, Any]:
        return {"profile": self.profile, "gains": dict(self.gains)}


def dominated_by(
    game: Game,
    strategies: Sequence[np.ndarray],
    candidates: Sequence[tuple[dict, Sequence[np.ndarray]]] | None = None,
    tol: float = DEFAULT_TOL,
) -> list[ParetoComparison]:
    """The profiles that welfare-dominate ``strategies`` in a one-point welfare game.

    Parameters
    ----------
    game : Game
        A one-point game whose payoffs are welfare (:func:`welfare_game`).
    strategies : sequence of ndarray
        The (mixed) profile compared, one probability vector per player.
    candidates : sequence of (label, strategies), optional
        What to compare it with; by default every pure profile, labelled
        player -> strategy.
    tol : float
        Tolerance on welfare differences.

    Returns
    -------
    list of ParetoComparison
        The improvements, those where everyone gains first, then by the
        smallest gain, largest first.

    Examples
    --------
    >>> from tripartite import load_model
    >>> w = welfare_game(load_model("baseline"))
    >>> best = dominated_by(w, [np.array([0.0, 1.0])] * 3)[0]   # from (passive, shirk, lapse)
    >>> best.profile, best.gains
    ({'government': 'passive', 'platform': 'shirk', 'worker': 'enroll'}, {'government': 250.0, 'platform': 20.0, 'worker': 1270.0})
    """
    if candidates is None:
        candidates = [(game.profile_names(p), profile_from_indices(game.shape, p)) for p in game.profiles()]
    here = welfare_at(game, strategies)
    scale = max(1.0, float(np.max(np.abs(game.payoffs[0])))) if not game.state_dependent else 1.0
    found = []
    for label, other in candidates:
        there = welfare_at(game, [np.asarray(x).reshape(-1) for x in other])
        gains = [_clean(float(b - a), max(scale, abs(a), abs(b))) for a, b in zip(here, there)]
        if all(g >= -tol for g in gains) and any(g > tol for g in gains):
            gains = [g if abs(g) > tol else 0.0 for g in gains]
            found.append(
                ParetoComparison(
                    dict(label),
                    dict(zip(game.players, map(float, there))),
                    dict(zip(game.players, gains)),
                )
            )
    found.sort(key=lambda c: (not c.everyone_gains, -min(c.gains.values()), -sum(c.gains.values())))
    return found


def pareto_comparison(game: Game, strategies: Sequence[np.ndarray], tol: float = DEFAULT_TOL) -> str:
    """In words: whether an equilibrium is an all-lose (three-lose) outcome in welfare terms, and by how much.

    ``game`` is the one-point welfare game.  When no profile makes every
    player better off, the sentence names the profile closest to it (the
    most players better off, then the largest smallest gain) and who loses
    there.

    Examples
    --------
    >>> from tripartite import load_model
    >>> w = welfare_game(load_model("baseline"))
    >>> pareto_comparison(w, [np.array([0.0, 1.0])] * 3)
    'a three-lose outcome: at passive, shirk, enroll every player is better off (government +250, platform +20, worker +1270)'
    """
    n = game.n_players
    name = "a three-lose outcome" if n == 3 else f"an all-{n}-lose outcome"
    improvements = dominated_by(game, strategies, tol=tol)
    winners = [c for c in improvements if c.everyone_gains]
    if winners:
        best = winners[0]
        return (
            f"{name}: at {_profile_text(best.profile)} every player is better off "
            f"({_gains_text(best.gains)})"
            + ("" if len(winners) == 1 else f"; {len(winners)} profiles make everyone better off")
        )
    here = welfare_at(game, strategies)
    closest = None
    for p in game.profiles():
        there = welfare_at(game, profile_from_indices(game.shape, p))
        gains = dict(zip(game.players, (float(b - a) for a, b in zip(here, there))))
        better = [g for g in gains.values() if g > tol]
        key = (len(better), min(better) if better else 0.0)
        if better and (closest is None or key > closest[0]):
            closest = (key, game.profile_names(p), gains)
    everyone = "all three" if n == 3 else f"all {n} players"
    if closest is None:
        return f"not {name}: no profile gives any player more welfare (the equilibrium is welfare-efficient)"
    _, profile, gains = closest
    losers = [p for p, g in gains.items() if g <= tol]
    weak = " (a Pareto improvement)" if improvements else ""
    return (
        f"not {name}: no profile makes {everyone} better off; the closest, {_profile_text(profile)}{weak}, "
        f"gives {_gains_text(gains)}: {' and '.join(losers)} "
        f"{'does' if len(losers) == 1 else 'do'} not gain"
    )


def _profile_text(profile: dict) -> str:
    return ", ".join(v if isinstance(v, str) else max(v, key=v.get) for v in profile.values())


def _gains_text(gains: Mapping[str, float]) -> str:
    return ", ".join(f"{p} {g:+.4g}" for p, g in gains.items())
