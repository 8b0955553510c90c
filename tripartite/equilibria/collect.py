"""Collecting a solver run: the profiles it verified, its notes, and the EquilibriumSet they become.

Every solver of :mod:`tripartite.equilibria` records what it finds in the same
way: a :class:`Found` per verified profile (probabilities, support, exact
values where exact, whether it is quasi-strict and regular) and a
:class:`RunLog` of plain-language notes with two flags, *degenerate* (a tie,
an irregular equilibrium, a continuum) and *incomplete* (a limit hit, a
failure detected).  :func:`finish` removes duplicates, checks the regret of
each profile once more (regret at most ``tol`` times the payoff scale,
:func:`tripartite.game.payoff_scale`), sorts them and labels the set: it is
*complete* only when the run is neither degenerate nor incomplete.

Examples
--------
>>> import numpy as np
>>> from tripartite.game import Game
>>> pennies = Game.from_array(np.array([[[1, -1], [-1, 1]], [[-1, 1], [1, -1]]]))
>>> half = np.array([0.5, 0.5])
>>> eqs = finish(pennies, [Found([half, half], ((0, 1), (0, 1)))], "by hand", 1e-9, False, RunLog())
>>> len(eqs), eqs.complete
(1, True)
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ..game import Game, deviation_gains, expected_payoffs, profile_from_indices, regret
from .pure import exact_pure_profile, pure_equilibria, pure_flags
from .result import Equilibrium, EquilibriumSet, sort_key

__all__ = [
    "Found",
    "RunLog",
    "finish",
    "dedupe",
    "supp_text",
    "pure_found",
    "pure_found_batch",
    "in_game_units",
]

TIE_NOTE = (
    "a pure equilibrium has a tie with an unused strategy (not quasi-strict): "
    "the game is degenerate and may have a continuum of equilibria"
)


@dataclass
class Found:
    """One verified profile, before it becomes an :class:`~tripartite.equilibria.Equilibrium`."""

    xs: list[np.ndarray]
    supp: tuple[tuple[int, ...], ...]
    exact: tuple | None = None
    exact_payoffs: tuple | None = None
    quasi_strict: bool = True
    regular: bool = True
    note: str = ""
    strict: bool = False
    regret: float | None = None  # when already computed by a batched verification
    payoffs: np.ndarray | None = None


def in_game_units(found: list[Found], shift: np.ndarray, scale: float) -> list[Found]:
    """Profiles found on normalised payoffs (:func:`tripartite.game.normalized_payoffs`), with the game's payoffs and regrets.

    ``shift`` (one per player) and ``scale`` are those of the point; the
    profiles are unchanged (the same equilibria), their recorded payoffs
    become ``shift + scale * v`` and their regrets ``scale * r``.  The
    records are changed in place and returned.
    """
    for f in found:
        if f.payoffs is not None:
            f.payoffs = np.asarray(shift, dtype=float) + scale * np.asarray(f.payoffs, dtype=float)
        if f.regret is not None:
            f.regret = scale * f.regret
    return found


@dataclass
class RunLog:
    """Notes and labels of one game's run."""

    notes: list[str] = field(default_factory=list)
    degenerate: bool = False
    incomplete: bool = False

    def degenerate_because(self, text: str) -> None:
        self.degenerate = True
        if text not in self.notes:
            self.notes.append(text)

    def incomplete_because(self, text: str) -> None:
        self.incomplete = True
        if text not in self.notes:
            self.notes.append(text)


def supp_text(game: Game, supp) -> str:
    """A support profile in words: ``(P1: {s1, s2}; P2: {s1})``."""
    return (
        "("
        + "; ".join(
            f"{p}: {{{', '.join(game.strategies[i][s] for s in S)}}}"
            for i, (p, S) in enumerate(zip(game.players, supp))
        )
        + ")"
    )


def dedupe(found: list[Found], atol: float = 1e-7) -> list[Found]:
    """Drop profiles within ``atol`` of an earlier one (an exact one replaces a float twin)."""
    out: list[Found] = []
    for f in found:
        dup = False
        for k, g in enumerate(out):
            if max(np.max(np.abs(a - b)) for a, b in zip(f.xs, g.xs)) <= atol:
                dup = True
                if f.exact is not None and g.exact is None:
                    out[k] = f
                break
        if not dup:
            out.append(f)
    return out


def finish(
    game: Game, found: list[Found], method: str, tol: float, exact: bool, log: RunLog
) -> EquilibriumSet:
    """The :class:`EquilibriumSet` of one game: deduplicated, verified, sorted and labelled.

    ``tol`` is relative to the payoff scale (:func:`tripartite.game.payoff_scale`).
    """
    u = game.payoffs
    atol = tol * float(game.payoff_scale[0])
    eqs = []
    for f in dedupe(found):
        xs = [np.asarray(x, dtype=float) for x in f.xs]
        reg = float(regret(u, xs)[0]) if f.regret is None else f.regret
        if not exact and reg > atol:
            continue
        pay = expected_payoffs(u, xs)[0] if f.payoffs is None else f.payoffs
        supp = tuple(tuple(int(s) for s in np.flatnonzero(x > 0)) for x in xs) if f.exact is None else f.supp
        eqs.append(
            Equilibrium(
                strategies=tuple(xs),
                support=supp,
                payoffs=pay,
                regret=0.0 if exact else max(reg, 0.0),
                exact=f.exact,
                exact_payoffs=f.exact_payoffs,
                quasi_strict=f.quasi_strict,
                regular=f.regular,
                strict=f.strict,
                note=f.note,
            )
        )
        if not f.regular and not f.note:
            log.degenerate_because(
                "an equilibrium is irregular (a tie with an unused strategy or a singular Jacobian): "
                "the game is degenerate"
            )
    eqs.sort(key=sort_key)
    return EquilibriumSet(
        game,
        tuple(eqs),
        method,
        tol,
        exact=exact,
        complete=not log.degenerate and not log.incomplete,
        degenerate=log.degenerate,
        notes=tuple(log.notes),
    )


def pure_found_batch(game: Game, tol: float, logs: list[RunLog]) -> list[list[Found]]:
    """The pure equilibria of every point of a batch, as :class:`Found` records (ties noted).

    ``tol`` is relative to the payoff scale (:func:`~tripartite.equilibria.pure.pure_equilibria`).
    """
    eq = pure_equilibria(game, tol)
    u = game.payoffs
    out: list[list[Found]] = [[] for _ in range(game.batch_size)]
    for row in np.argwhere(eq.equilibrium):
        b, prof = int(row[0]), tuple(int(k) for k in row[1:])
        strict = bool(eq.strict[(b, *prof)])
        out[b].append(
            Found(
                profile_from_indices(game.shape, prof),
                tuple((k,) for k in prof),
                quasi_strict=strict,  # a pure equilibrium is quasi-strict and regular iff strict
                regular=strict,
                strict=strict,
                regret=max(float(eq.max_gain[(b, *prof)]), 0.0),
                payoffs=u[(b, slice(None), *prof)].copy(),
            )
        )
        if not strict:
            logs[b].degenerate_because(TIE_NOTE)
    return out


def pure_found(game: Game, u, exact_u, tol: float, log: RunLog) -> list[Found]:
    """The pure equilibria of one game; with ``exact_u`` (object array) decided exactly.

    Both paths apply :func:`~tripartite.equilibria.pure.pure_flags` to the
    kernel's :func:`~tripartite.game.deviation_gains` (exactly: ``tol = 0``).
    """
    if exact_u is None:
        return pure_found_batch(game, tol, [log])[0]
    n = exact_u.shape[0]
    shape = exact_u.shape[1:]
    equilibrium, strict, _, _ = pure_flags(deviation_gains(exact_u[None]), 0)
    out = []
    for row in np.argwhere(equilibrium[0]):
        prof = tuple(int(k) for k in row)
        st = bool(strict[(0, *prof)])
        ex = exact_pure_profile(shape, prof)
        pay = tuple(exact_u[(i, *prof)] for i in range(n))
        out.append(
            Found(profile_from_indices(shape, prof), tuple((k,) for k in prof), ex, pay, st, st, strict=st)
        )
        if not st:
            log.degenerate_because(TIE_NOTE)
    return out
