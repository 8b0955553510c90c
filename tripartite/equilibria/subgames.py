"""Two-player subgames: fix the other players' strategies, solve the bimatrix game with nashpy.

Fixing every player but two at pure strategies :math:`\\bar s` (in the
government / platform / worker game: the government's policy regime) leaves a
bimatrix game :math:`(A, B)` between the remaining two,
:math:`A_{kl} = u_a(k, l, \\bar s)`, :math:`B_{kl} = u_b(k, l, \\bar s)`.  Its
Nash equilibria are the *conditional equilibria*: what the two would play if
the others' strategies were fixed.  nashpy computes them by support
enumeration, vertex enumeration (both complete for nondegenerate games) or
Lemke-Howson (one equilibrium per starting label: not complete).

A conditional equilibrium :math:`(x_a, x_b)` is an equilibrium of the whole
game exactly when each fixed strategy :math:`\\bar s_k` is also a best response
to it; :func:`cross_check` compares this with the N-player solver.

Examples
--------
>>> from tripartite import load_model
>>> game = load_model("baseline").game()
>>> sub = subgame_equilibria(game, {"government": "passive"})
>>> [(e.strategies[0].tolist(), e.strategies[1].tolist()) for e in sub.equilibria]
[([0.0, 1.0], [0.0, 1.0])]
>>> sub.extends          # the fixed government strategy is a best response there too
(True,)
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from ..errors import TripartiteError
from ..game import DEFAULT_TOL, Game, expected_payoffs, normalized_payoffs, profile_from_indices, regret
from .indifference import regularity, support_residual
from .pure import pure_equilibria
from .result import Equilibrium, EquilibriumSet, sort_key
from .support import all_equilibria

__all__ = ["SubgameEquilibria", "subgame", "subgame_equilibria", "cross_check", "NASHPY_METHODS"]

#: nashpy algorithms, and whether each finds every equilibrium of a nondegenerate bimatrix game.
NASHPY_METHODS = {"support_enumeration": True, "vertex_enumeration": True, "lemke_howson": False}


@dataclass(frozen=True, eq=False)
class SubgameEquilibria:
    """The conditional equilibria of a two-player subgame.

    Attributes
    ----------
    game : Game
        The full game.
    fixed : dict of int to int
        Player index -> fixed strategy index.
    free : tuple of int
        The two players left, in order.
    subgame : Game
        The bimatrix game between them.
    equilibria : EquilibriumSet
        Its equilibria (computed by nashpy, each verified).
    extends : tuple of bool
        Whether each extends to an equilibrium of the full game (the fixed
        strategies are best responses to it, within ``tol``).
    """

    game: Game
    fixed: dict[int, int]
    free: tuple[int, int]
    subgame: Game
    equilibria: EquilibriumSet
    extends: tuple[bool, ...]

    def full_profile(self, k: int) -> list[np.ndarray]:
        """The ``k``-th conditional equilibrium as a profile of the full game."""
        xs = profile_from_indices(self.game.shape, [self.fixed.get(i, 0) for i in range(self.game.n_players)])
        for q, i in enumerate(self.free):
            xs[i] = self.equilibria[k].strategies[q]
        return xs


def _fixed_indices(game: Game, fixed: Mapping) -> dict[int, int]:
    out = {}
    for key, strat in fixed.items():
        if isinstance(key, str):
            if key not in game.players:
                raise TripartiteError(f"unknown player {key!r}; players: {', '.join(game.players)}")
            i = game.players.index(key)
        else:
            i = int(key)
        out[i] = game.strategy_index(i, strat) if isinstance(strat, str) else int(strat)
    if len(out) != game.n_players - 2:
        raise TripartiteError(
            f"fix the strategies of {game.n_players - 2} player(s) to leave a two-player game; got {len(out)}"
        )
    return out


def subgame(game: Game, fixed: Mapping) -> tuple[Game, tuple[int, int], dict[int, int]]:
    """The bimatrix game left when the players in ``fixed`` play the given strategies.

    Parameters
    ----------
    game : Game
        One parameter point.
    fixed : mapping
        Player (name or index) -> strategy (name or index), for all but two players.

    Returns
    -------
    (Game, free players, fixed indices)
    """
    if game.batch_size != 1:
        raise TripartiteError("subgames are taken at one parameter point; use game.point(b)")
    fix = _fixed_indices(game, fixed)
    free = tuple(i for i in range(game.n_players) if i not in fix)
    u = game.payoffs[0]
    index = tuple(fix.get(i, slice(None)) for i in range(game.n_players))
    A = u[(free[0], *index)]
    B = u[(free[1], *index)]
    label = ", ".join(f"{game.players[i]}={game.strategies[i][s]}" for i, s in fix.items())
    sub = Game(
        (game.players[free[0]], game.players[free[1]]),
        (game.strategies[free[0]], game.strategies[free[1]]),
        np.stack([A, B])[None],
        name=f"{game.name} | {label}",
    )
    return sub, free, fix


def subgame_equilibria(
    game: Game, fixed: Mapping, method: str = "support_enumeration", tol: float = DEFAULT_TOL
) -> SubgameEquilibria:
    """Conditional equilibria of the two-player subgame, by nashpy.

    Parameters
    ----------
    game : Game
    fixed : mapping
        Player -> strategy for all but two players (names or indices).
    method : {"support_enumeration", "vertex_enumeration", "lemke_howson"}
        ``"lemke_howson"`` runs from every starting label; it is not complete.
    tol : float
        Tolerance on the regret of an accepted profile and on ties, relative
        to the payoff scale (:func:`tripartite.game.payoff_scale`) of the
        subgame (of the full game for whether a profile extends to it).
        nashpy solves the subgame normalised to the unit scale
        (:func:`tripartite.game.normalized_payoffs`: the same equilibria).

    Returns
    -------
    SubgameEquilibria
    """
    if method not in NASHPY_METHODS:
        raise TripartiteError(f"unknown method {method!r}; use {', '.join(NASHPY_METHODS)}")
    sub, free, fix = subgame(game, fixed)
    A, B = normalized_payoffs(sub.payoffs)[0][0]  # the unit scale: nashpy's tolerance is absolute
    atol = tol * float(sub.payoff_scale[0])
    import nashpy  # imported here: it loads networkx, which the rest of the package never needs

    bimatrix = nashpy.Game(A, B)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # nashpy warns on degenerate games; we report degeneracy ourselves
        if method == "support_enumeration":
            raw = list(bimatrix.support_enumeration(tol=1e-12))
        elif method == "vertex_enumeration":
            raw = list(bimatrix.vertex_enumeration())
        else:
            raw = list(bimatrix.lemke_howson_enumeration())
    eqs: list[Equilibrium] = []
    degenerate = False
    pure_eq = pure_equilibria(sub, tol)  # strictness of a pure conditional equilibrium: the one rule
    for x, y in raw:
        xs = [np.clip(np.asarray(x, dtype=float), 0, None), np.clip(np.asarray(y, dtype=float), 0, None)]
        if any(not np.all(np.isfinite(v)) or v.sum() <= 0 for v in xs):
            continue
        xs = [v / v.sum() for v in xs]
        r = float(regret(sub.payoffs, xs)[0])
        if r > atol or any(e.distance(xs) <= 1e-9 for e in eqs):
            continue
        supp = tuple(tuple(int(s) for s in np.flatnonzero(v > 1e-12)) for v in xs)
        if len(supp[0]) != len(supp[1]):
            degenerate = True  # support sizes differ only in degenerate bimatrix games
        pure = all(len(s) == 1 for s in supp)
        strict = bool(pure_eq.strict[(0, *(s[0] for s in supp))]) if pure else False
        qs, regular = regularity(
            sub.payoffs[0], supp, xs, support_residual(sub.payoffs[0], supp, xs)[1], atol
        )
        eqs.append(
            Equilibrium(
                tuple(xs),
                supp,
                expected_payoffs(sub.payoffs, xs)[0],
                max(r, 0.0),
                quasi_strict=qs,
                regular=regular,
                strict=strict,
            )
        )
    eqs.sort(key=sort_key)
    complete = NASHPY_METHODS[method] and not degenerate and _nondegenerate(A, B, tol)
    notes = (
        ()
        if complete
        else (("not complete: " + method) if not NASHPY_METHODS[method] else "degenerate bimatrix game",)
    )
    result = EquilibriumSet(
        sub,
        tuple(eqs),
        f"nashpy {method.replace('_', ' ')} on the two-player subgame",
        tol,
        exact=False,
        complete=complete,
        degenerate=not _nondegenerate(A, B, tol) or degenerate,
        notes=notes,
    )
    out = SubgameEquilibria(game, fix, free, sub, result, ())
    extends = []
    for k in range(len(eqs)):
        xs = out.full_profile(k)
        extends.append(bool(regret(game.payoffs, xs)[0] <= tol * float(game.payoff_scale[0])))
    return SubgameEquilibria(game, fix, free, sub, result, tuple(extends))


def _nondegenerate(A: np.ndarray, B: np.ndarray, tol: float) -> bool:
    """A sufficient check: no pure strategy has two pure best responses (no ties in any column/row).

    ``A`` and ``B`` on the unit payoff scale, ``tol`` relative to it.
    """
    for M, axis in ((A, 0), (B, 1)):
        srt = np.sort(M, axis=axis)
        gap = np.diff(srt, axis=axis)
        if np.any(gap <= tol):
            return False
    return True


def cross_check(
    game: Game, fixed: Mapping, method: str = "support_enumeration", tol: float = 1e-7
) -> list[str]:
    """Disagreements between the subgame's conditional equilibria and the N-player solver.

    Every conditional equilibrium that extends must be an equilibrium found by
    :func:`~tripartite.equilibria.all_equilibria`, and every equilibrium of the
    full game in which the fixed players play their fixed strategies must be a
    conditional equilibrium.  Returns the list of problems (empty when they agree).
    """
    sub = subgame_equilibria(game, fixed, method, tol)
    full = all_equilibria(game, tol=tol)
    problems = []
    for k, ext in enumerate(sub.extends):
        if ext and full.find(sub.full_profile(k), 1e-6) is None:
            problems.append(f"conditional equilibrium {k} extends but the N-player solver did not find it")
    for e in full:
        if all(e.strategies[i][s] > 1 - 1e-9 for i, s in sub.fixed.items()):
            restricted = [e.strategies[i] for i in sub.free]
            if sub.equilibria.find(restricted, 1e-6) is None:
                problems.append(f"equilibrium {e} of the full game is missing from the subgame")
    return problems
