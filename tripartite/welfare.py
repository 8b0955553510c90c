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
decisions are taken at.  A ``[welfare.payoffs]`` table replaces the payoff
expressions by welfare expressions per profile (evaluated at the welfare
values too), for welfare that is not the decision payoffs at other
parameter values.  A model without a ``[welfare]`` table has welfare equal
to its decision payoffs.

A profile :math:`y` **welfare-dominates** :math:`x` (a Pareto improvement)
when :math:`W_i(y) \\ge W_i(x)` for every player and :math:`W_j(y) > W_j(x)`
for some, both up to the tolerance ``tol`` on payoff differences (relative
to the welfare game's payoff scale, :func:`tripartite.game.payoff_scale`, as
every tolerance on payoffs: :math:`\\tau = tol \\cdot \\sigma`).  An
equilibrium is an **all-lose** outcome ("三输", three-lose, for three
players) when some profile gives *every* player strictly more welfare:
:func:`pareto_comparison` reports each improvement with every player's gain.

Welfare is multilinear in the players' strategies, so a *mixed* state (in a
population game, a distribution of the populations' strategies) can make
everyone better off where no pure profile does.  :func:`mixed_improvement`
searches the states where one player mixes between two strategies and the
others play pure ones: along such a segment every player's gain is linear in
the mixing share :math:`\\lambda`, so the largest smallest gain
:math:`\\max_\\lambda \\min_i g_i(\\lambda)` lies at an end or where two
gains cross, and the search is exact on the segments.  A state it finds is a
certificate; finding none says nothing about states where several players
mix.

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

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from .game import DEFAULT_TOL, Game, expected_payoffs, profile_from_indices
from .io.words import get_language, words
from .model import Model

__all__ = [
    "ParetoComparison",
    "dominated_by",
    "expected_payoffs_at",
    "mixed_improvement",
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
    source = model.welfare_payoff_model if model.welfare_payoffs is not None else model
    return source.game(welfare_values(model, values))


def welfare_description(model: Model | None, lang: str | None = "en") -> str:
    """How welfare is evaluated, in words: ``"beta = 1, lam = 1, a = 1"`` or the decision payoffs.

    ``lang`` is the language of the package's own words (:func:`tripartite.io.words.words`;
    ``None``: the one set by :func:`~tripartite.io.words.set_language`); names stay as they are.

    Examples
    --------
    >>> from tripartite import load_model
    >>> welfare_description(load_model("baseline"))
    'decision payoffs re-evaluated at beta = 1, lam = 1, a = 1'
    >>> welfare_description(load_model("baseline"), "zh")
    '按 beta = 1, lam = 1, a = 1 重新计算的决策收益'
    """
    if model is None or (not model.welfare and model.welfare_payoffs is None):
        return words("the decision payoffs (no [welfare] table)", lang)
    at = ", ".join(f"{w.name} = {w.value:g}" for w in model.welfare)
    if model.welfare_payoffs is not None:
        if at:
            return words("the [welfare.payoffs] table at {at}", lang, at=at)
        return words("the [welfare.payoffs] table", lang)
    return words("decision payoffs re-evaluated at {at}", lang, at=at)


def expected_payoffs_at(game: Game, strategies: Sequence[np.ndarray]) -> np.ndarray:
    """Every player's expected payoff at a (mixed) profile of a one-point game, shape ``(N,)``.

    :func:`tripartite.game.expected_payoffs` at one point.  For payoffs that
    depend on the state, the table is evaluated at that profile (the kernel
    does it).  Rounding noise of a mixed profile (below 1e-12 of the
    payoffs' scale, e.g. ``-1e-16`` for an exact 0) is shown as 0.

    Examples
    --------
    >>> from tripartite import load_model
    >>> g = load_model("baseline").game()
    >>> expected_payoffs_at(g, [np.array([0.0, 1.0])] * 3).tolist()   # (passive, shirk, lapse)
    [-50.0, 980.0, 5940.0]
    """
    xs = [np.asarray(x, dtype=float)[None, :] for x in strategies]
    out = expected_payoffs(game.payoffs, xs)[0]
    out[np.abs(out) <= 1e-12 * _scale(game)] = 0.0
    return out


def welfare_at(game: Game, strategies: Sequence[np.ndarray]) -> np.ndarray:
    """Every player's expected welfare at a (mixed) profile of a one-point welfare game, shape ``(N,)``.

    The expected payoffs of the welfare game (:func:`welfare_game`), by
    :func:`expected_payoffs_at`.

    Examples
    --------
    >>> from tripartite import load_model
    >>> w = welfare_game(load_model("baseline"))
    >>> welfare_at(w, [np.array([0.0, 1.0])] * 3).tolist()
    [-50.0, 980.0, 5940.0]
    """
    return expected_payoffs_at(game, strategies)


#: Largest (profiles x players^2) for which :func:`mixed_improvement` searches (its arrays grow so).
_MIXED_SEARCH_LIMIT = 2_000_000


def _clean(value: float, scale: float) -> float:
    """A payoff difference with float noise (below 1e-9 of the payoffs' scale) shown as 0."""
    return 0.0 if abs(value) <= 1e-9 * scale else float(value)


def _pure_welfare(game: Game) -> np.ndarray:
    """Every player's welfare at every pure profile, shape ``(P, N)``, profiles in lexicographic order."""
    if not game.state_dependent:
        return game.payoffs[0].reshape(game.n_players, -1).T.astype(float)
    return np.array([welfare_at(game, profile_from_indices(game.shape, p)) for p in game.profiles()])


def _scale(game: Game) -> float:
    """The payoffs' magnitude, for telling float noise from a difference (1 for a state-dependent game).

    The largest absolute payoff (1 when all are 0): the rounding error of a difference of
    payoffs is a multiple of it, whatever the payoffs' unit.
    """
    if game.state_dependent:
        return 1.0
    top = float(np.max(np.abs(game.payoffs[0])))
    return top if math.isfinite(top) and top > 0 else 1.0


def _tolerance(game: Game, tol: float) -> float:
    """The tolerance on welfare differences in payoff units: ``tol`` times the welfare game's payoff scale."""
    return float(tol) * float(game.payoff_scale[0])


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
        Tolerance on welfare differences, relative to the welfare game's payoff scale.

    Returns
    -------
    list of ParetoComparison
        The improvements, those where everyone gains first, then by the
        smallest gain, largest first.

    Examples
    --------
    >>> from tripartite import load_model
    >>> w = welfare_game(load_model("baseline"), {"w_F": 0})   # a government that ignores the fund
    >>> best = dominated_by(w, [np.array([0.0, 1.0])] * 3)[0]   # from (passive, shirk, lapse)
    >>> best.profile, best.gains
    ({'government': 'passive', 'platform': 'shirk', 'worker': 'enroll'}, {'government': 250.0, 'platform': 20.0, 'worker': 1270.0})
    """
    here = welfare_at(game, strategies)
    if candidates is None:
        labelled = [(game.profile_names(p), w) for p, w in zip(game.profiles(), _pure_welfare(game))]
    else:
        labelled = [
            (label, welfare_at(game, [np.asarray(x).reshape(-1) for x in other]))
            for label, other in candidates
        ]
    scale = _scale(game)
    tau = _tolerance(game, tol)
    found = []
    for label, there in labelled:
        gains = [_clean(float(b - a), max(scale, abs(a), abs(b))) for a, b in zip(here, there)]
        if all(g >= -tau for g in gains) and any(g > tau for g in gains):
            gains = [g if abs(g) > tau else 0.0 for g in gains]
            found.append(
                ParetoComparison(
                    dict(label),
                    dict(zip(game.players, map(float, there))),
                    dict(zip(game.players, gains)),
                )
            )
    found.sort(key=lambda c: (not c.everyone_gains, -min(c.gains.values()), -sum(c.gains.values())))
    return found


def mixed_improvement(
    game: Game, strategies: Sequence[np.ndarray], tol: float = DEFAULT_TOL
) -> ParetoComparison | None:
    """A state where one player mixes between two strategies that gives *every* player more welfare.

    Of all states where one player mixes two of its strategies and the
    others play pure ones, the one with the largest smallest gain over
    ``strategies``, if that gain exceeds ``tol`` times the payoff scale; else None.  Exact on these
    segments (each gain is linear in the mixing share; see the module
    docstring); a static game of at most ``_MIXED_SEARCH_LIMIT`` profiles times
    players squared only (None for others).

    Examples
    --------
    >>> from tripartite import load_model
    >>> w = welfare_game(load_model("baseline"))
    >>> best = mixed_improvement(w, [np.array([0.0, 1.0])] * 3)   # over (passive, shirk, lapse)
    >>> {k: round(v, 4) for k, v in best.profile["government"].items()}, best.profile["platform"], best.profile["worker"]
    ({'active': 0.8988, 'passive': 0.1012}, 'share', 'lapse')
    >>> {p: round(g, 3) for p, g in best.gains.items()}
    {'government': 6.963, 'platform': 6.963, 'worker': 48.0}
    """
    if game.state_dependent or math.prod(game.shape) * game.n_players**2 > _MIXED_SEARCH_LIMIT:
        return None
    here = welfare_at(game, strategies)
    gains = _pure_welfare(game) - here  # (P, N)
    shape = game.shape
    index = np.arange(gains.shape[0]).reshape(shape)
    best = None
    for j, m in enumerate(shape):
        for k in range(m):
            for k2 in range(k + 1, m):
                p = np.take(index, k, axis=j).ravel()
                q = np.take(index, k2, axis=j).ravel()
                gp, gq = gains[p], gains[q]  # (pairs, N): the gains at the two ends
                lams = [np.zeros(len(p)), np.ones(len(p))]
                for a in range(game.n_players):
                    for b in range(a + 1, game.n_players):
                        d0, d1 = gp[:, a] - gp[:, b], gq[:, a] - gq[:, b]
                        with np.errstate(divide="ignore", invalid="ignore"):
                            lam = d0 / (d0 - d1)
                        lams.append(np.where(np.isfinite(lam) & (lam > 0) & (lam < 1), lam, 0.0))
                lam = np.stack(lams, axis=1)  # (pairs, candidates)
                worst = ((1 - lam)[:, :, None] * gp[:, None, :] + lam[:, :, None] * gq[:, None, :]).min(
                    axis=2
                )
                r, c = np.unravel_index(np.argmax(worst), worst.shape)
                if best is None or worst[r, c] > best[0]:
                    best = (float(worst[r, c]), j, int(p[r]), k, k2, float(lam[r, c]))
    if best is None or best[0] <= _tolerance(game, tol):
        return None
    _, j, base, k, k2, lam = best
    pure = np.unravel_index(base, shape)
    state = [np.eye(m)[i] for m, i in zip(shape, pure)]
    state[j] = np.zeros(shape[j])
    state[j][k], state[j][k2] = 1.0 - lam, lam
    if lam in (0.0, 1.0):  # a pure profile: dominated_by reports it
        return None
    there = welfare_at(game, state)
    label = {
        p: (dict(zip(game.strategies[i], map(float, state[i]))) if i == j else game.strategies[i][pure[i]])
        for i, p in enumerate(game.players)
    }
    label[game.players[j]] = dict(zip(game.strategies[j], map(float, state[j])))
    return ParetoComparison(
        label, dict(zip(game.players, map(float, there))), dict(zip(game.players, map(float, there - here)))
    )


def pareto_comparison(
    game: Game, strategies: Sequence[np.ndarray], tol: float = DEFAULT_TOL, lang: str | None = "en"
) -> str:
    """In words: whether an equilibrium is an all-lose (three-lose) outcome in welfare terms, and by how much.

    ``game`` is the one-point welfare game.  When a pure profile makes every
    player better off, the sentence names the one with the largest smallest
    gain.  When none does, it says, for each player, the least it loses at
    the pure profiles where all the others gain (who blocks an improvement,
    and by how much), and names a state where one player mixes that makes
    everyone better off, if :func:`mixed_improvement` finds one.  ``lang``
    is the language of the package's own words (``"en"``, ``"zh"``; ``None``:
    the one set by :func:`~tripartite.io.words.set_language`); the names of
    players and strategies and the numbers are the same in every language.

    Examples
    --------
    >>> from tripartite import load_model
    >>> w = welfare_game(load_model("baseline"), {"w_F": 0})   # a government that ignores the fund
    >>> pareto_comparison(w, [np.array([0.0, 1.0])] * 3)
    'a three-lose outcome: at passive, shirk, enroll every player is better off (government +250, platform +20, worker +1270)'
    >>> pareto_comparison(w, [np.array([0.0, 1.0])] * 3, lang="zh")
    '属于三输局面：在 passive, shirk, enroll 处，各方的福利都提高（government +250, platform +20, worker +1270）'
    """

    def w(phrase: str, **fields) -> str:
        return words(phrase, lang, **fields)

    n = game.n_players
    name = w("a three-lose outcome") if n == 3 else w("an all-{n}-lose outcome", n=n)
    improvements = dominated_by(game, strategies, tol=tol)
    winners = [c for c in improvements if c.everyone_gains]
    if winners:
        best = winners[0]
        text = w(
            "{name}: at {profile} every player is better off ({gains})",
            name=name,
            profile=_profile_text(best.profile),
            gains=_gains_text(best.gains),
        )
        if len(winners) > 1:
            text += w("; {k} profiles make everyone better off", k=len(winners))
        return text
    here = welfare_at(game, strategies)
    pure = _pure_welfare(game)
    scale = _scale(game)
    tau = _tolerance(game, tol)
    gains = pure - here
    gains[np.abs(gains) <= 1e-9 * np.maximum(np.maximum(scale, np.abs(here)), np.abs(pure))] = (
        0.0  # float noise
    )
    if not np.any(gains > tau):
        return w(
            "not {name}: no profile gives any player more welfare (the equilibrium is welfare-efficient)",
            name=name,
        )
    everyone = w("all three") if n == 3 else w("all {n} players", n=n)
    blocks = []
    for j, player in enumerate(game.players):
        others = [i for i in range(n) if i != j]
        rows = np.flatnonzero(np.all(gains[:, others] > tau, axis=1))
        if rows.size == 0:
            continue
        r = rows[np.argmax(gains[rows, j])]
        at = _profile_text(game.profile_names(game.profiles()[r]))
        others_text = ", ".join(f"{game.players[i]} {gains[r, i]:+.4g}" for i in others)
        loss = -gains[r, j]
        what = (
            w("{player} loses {loss} or more", player=player, loss=f"{loss:.4g}")
            if loss > tau
            else w("{player} gains nothing", player=player)
        )
        blocks.append(
            w(
                "where {others} gain, {what} (least at {at}: {gains})"
                if len(others) > 1
                else "where {others} gains, {what} (least at {at}: {gains})",
                others=_and_text([game.players[i] for i in others], lang),
                what=what,
                at=at,
                gains=others_text,
            )
        )
    mixed = mixed_improvement(game, strategies, tol)
    if mixed is not None:
        text = w(
            "{name} only against a mixed state: at {state} every player is better off ({gains}); "
            "no pure profile makes {everyone} better off",
            name=name,
            state=_state_text(mixed.profile),
            gains=_gains_text(mixed.gains),
            everyone=everyone,
        )
    else:
        text = w(
            "not {name} among pure profiles: no pure profile makes {everyone} better off",
            name=name,
            everyone=everyone,
        )
    if blocks:
        return text + w(": ") + w("; ").join(blocks)
    closest = max(
        range(len(gains)),
        key=lambda r: (int(np.sum(gains[r] > tau)), np.min(gains[r][gains[r] > tau], initial=0)),
    )
    return text + w(
        "; the closest, {profile}, gives {gains}",
        profile=_profile_text(game.profile_names(game.profiles()[closest])),
        gains=_gains_text(dict(zip(game.players, map(float, gains[closest])))),
    )


def _and_text(names: Sequence[str], lang: str | None = "en") -> str:
    """The players who gain: ``a and b and c``, in Chinese ``a、b 与 c``."""
    if (lang if lang is not None else get_language()) != "zh" or len(names) < 2:
        return " and ".join(names)
    return "、".join(names[:-1]) + " 与 " + names[-1]


def _profile_text(profile: dict) -> str:
    return ", ".join(v if isinstance(v, str) else max(v, key=v.get) for v in profile.values())


def _state_text(profile: dict) -> str:
    """A state, ``government active 0.899 / passive 0.101, share, lapse``."""
    parts = []
    for player, v in profile.items():
        if isinstance(v, str):
            parts.append(v)
        else:
            parts.append(f"{player} " + " / ".join(f"{k} {x:.3g}" for k, x in v.items() if x > 0))
    return ", ".join(parts)


def _gains_text(gains: Mapping[str, float]) -> str:
    return ", ".join(f"{p} {g:+.4g}" for p, g in gains.items())
