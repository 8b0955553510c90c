"""Every Nash equilibrium of a finite N-player game: the public entry points.

A profile :math:`x` with supports :math:`S_i` is a Nash equilibrium iff

.. math::

    u_i(s, x_{-i}) = v_i \\;\\; (s \\in S_i), \\qquad
    u_i(t, x_{-i}) \\le v_i \\;\\; (t \\notin S_i), \\qquad
    x_i(s) > 0 \\;\\; (s \\in S_i), \\quad \\textstyle\\sum_s x_i(s) = 1 .

For each *support profile* :math:`S = (S_1, \\dots, S_N)` the equalities form
a square polynomial system: :math:`|S_i| - 1` indifference equations per
player, each multilinear in the *other* players' probabilities.  Support
enumeration solves the system of every profile that survives a dominance
test and keeps the solutions that are probabilities and satisfy the
best-response inequalities.  The work is divided among modules, one concept
each:

- :mod:`~tripartite.equilibria.supports`: which support profiles can hold an
  equilibrium, and their multihomogeneous Bezout numbers;
- :mod:`~tripartite.equilibria.indifference`: the indifference system of a
  support, its Jacobian, Newton's method;
- :mod:`~tripartite.equilibria.elimination`: floating point, batched
  elimination to univariate polynomials, certified by the Bezout count;
- :mod:`~tripartite.equilibria.homotopy`: the fallback where elimination
  does not apply or is not certified;
- :mod:`~tripartite.equilibria.enumeration`: the floating-point driver over a
  batch of games;
- :mod:`~tripartite.equilibria.exact`: exact arithmetic (Groebner bases, real
  algebraic numbers);
- :mod:`~tripartite.equilibria.degenerate`: supports with no isolated
  solution (one player mixing alone; deficient systems);
- :mod:`~tripartite.equilibria.local`: multi-start local search, labelled not
  complete;
- :mod:`~tripartite.equilibria.mixed`: the closed form for 2x2x2 games.

**Degeneracy.**  An equilibrium is *regular* if it is quasi-strict (no tie
with an unused strategy) and the Jacobian of its support system is
nonsingular; regular equilibria are isolated.  The game is reported
*degenerate* when an irregular equilibrium is found, when a support system
has a continuum of solutions (exact: the Groebner basis is not
zero-dimensional; floating point: singular or failed homotopy endpoints, or a
player indifferent over a whole face), and then the set is never labelled
complete.  Continua are described in ``notes``.

**Limits.**  The work grows with the sum of the supports' Bezout numbers
(271 for 3x3x3, 5248 for 4x4x4, before pruning); beyond ``max_paths``, or
past ``time_limit`` seconds, enumeration stops and, with ``method="auto"``, a
multi-start local solver returns the equilibria it finds, labelled *not
complete*.

Examples
--------
>>> import numpy as np
>>> from tripartite.game import Game
>>> bos = Game.from_array(np.array([[[2, 0], [0, 1]], [[1, 0], [0, 2]]]))
>>> eqs = all_equilibria(bos, exact=True)
>>> [e.exact for e in eqs]         # doctest: +NORMALIZE_WHITESPACE
[((1, 0), (1, 0)), ((0, 1), (0, 1)), ((2/3, 1/3), (1/3, 2/3))]
>>> eqs.complete, eqs.degenerate
(True, False)
"""

from __future__ import annotations

import dataclasses
import time

import numpy as np

from ..errors import TripartiteError
from ..game import DEFAULT_TOL, Game
from .collect import finish
from .components import with_components
from .enumeration import ENUMERATION_METHOD, float_enumeration
from .exact import EXACT_METHOD, exact_enumeration, exact_payoff_array
from .local import LOCAL_METHOD, local_equilibria
from .mixed import closed_form_2x2x2, closed_form_sets
from .result import EquilibriumSet
from .supports import support_profiles

__all__ = [
    "all_equilibria",
    "all_equilibria_batch",
    "support_enumeration",
    "local_equilibria",
    "support_profiles",
    "exact_payoff_array",
    "ENUMERATION_METHOD",
    "EXACT_METHOD",
    "LOCAL_METHOD",
]


def support_enumeration(
    game: Game,
    *,
    exact: bool = False,
    tol: float = DEFAULT_TOL,
    time_limit: float = 60.0,
    max_paths: int = 20000,
    seed: int = 0,
) -> EquilibriumSet:
    """Every Nash equilibrium of one game by support enumeration (see the module docstring).

    Parameters
    ----------
    game : Game
        A single parameter point.
    exact : bool
        Exact arithmetic (rationals and real algebraic numbers).
    tol : float
        Tolerance on the regret of an accepted profile (floating point).
    time_limit : float
        Seconds before enumeration stops; the result is then labelled not complete.
    max_paths : int
        Largest sum of the viable support profiles' Bezout numbers (the
        solutions to look for, whether by elimination or by homotopy paths;
        floating point); beyond it :class:`~tripartite.errors.TripartiteError`
        is raised.
    seed : int
        Seed of the random charts and homotopy start systems.

    Returns
    -------
    EquilibriumSet

    Examples
    --------
    >>> rps = Game.from_array(np.array([[[0, -1, 1], [1, 0, -1], [-1, 1, 0]],
    ...                                 [[0, 1, -1], [-1, 0, 1], [1, -1, 0]]]))
    >>> eqs = support_enumeration(rps, exact=True)
    >>> [str(v) for v in eqs[0].exact[0]], eqs.complete
    (['1/3', '1/3', '1/3'], True)
    """
    _single(game)
    deadline = time.monotonic() + time_limit
    if exact:
        found, log = exact_enumeration(game, deadline)
        return finish(game, found, EXACT_METHOD, tol, True, log)
    founds, logs, attempted = float_enumeration(game, tol, deadline, max_paths, seed)
    if not attempted[0]:
        raise TripartiteError(_too_large(game, max_paths))
    return finish(game, founds[0], ENUMERATION_METHOD, tol, False, logs[0])


def _too_large(game: Game, max_paths: int) -> str:
    return (
        f"support enumeration of a {'x'.join(map(str, game.shape))} game needs more than "
        f"{max_paths} solution paths (the Bezout numbers of its support profiles); "
        "raise max_paths or use method='local' (not complete)"
    )


def _single(game: Game) -> None:
    if game.batch_size != 1:
        raise TripartiteError(
            f"this solver takes one parameter point, got a batch of {game.batch_size}; "
            "use all_equilibria_batch or game.point(b)"
        )


def all_equilibria(
    game: Game,
    *,
    exact: bool = False,
    tol: float = DEFAULT_TOL,
    method: str = "auto",
    time_limit: float = 60.0,
    max_paths: int = 20000,
    seed: int = 0,
) -> EquilibriumSet:
    """Every Nash equilibrium of a game (one parameter point), pure and mixed.

    Parameters
    ----------
    game : Game
    exact : bool
        Exact arithmetic where the payoffs are rational (``game.exact_payoffs``,
        or each float read as the decimal it prints as).
    tol : float
        Tolerance on payoff differences (floating point).
    method : {"auto", "enumeration", "closed-form", "local"}
        ``"auto"``: the closed form for 2x2x2 games (falling back to support
        enumeration at degenerate points), support enumeration otherwise, and
        the local search (labelled not complete) if enumeration would exceed
        ``max_paths``.
    time_limit, max_paths, seed
        See :func:`support_enumeration`.

    Returns
    -------
    EquilibriumSet
        With its :attr:`~EquilibriumSet.components`
        (:func:`~tripartite.equilibria.components.with_components`): each
        equilibrium alone where the game is nondegenerate; for a degenerate
        game every component described exactly, when they can be enumerated,
        and then the set is complete.

    Examples
    --------
    >>> from tripartite import load_model
    >>> eqs = all_equilibria(load_model("baseline").game())
    >>> [e.pure for e in eqs], eqs.complete
    ([True], True)
    """
    _single(game)
    if method not in ("auto", "enumeration", "closed-form", "local"):
        raise TripartiteError(f"unknown method {method!r}; use auto, enumeration, closed-form or local")
    if method == "local":
        return local_equilibria(game, tol, seed=seed)
    found = _enumerated(game, exact, tol, method, time_limit, max_paths, seed)
    return with_components(found, time_limit=min(time_limit, 10.0))


def _enumerated(game, exact, tol, method, time_limit, max_paths, seed) -> EquilibriumSet:
    if exact:
        return support_enumeration(game, exact=True, tol=tol, time_limit=time_limit, seed=seed)
    if game.shape == (2, 2, 2) and method in ("auto", "closed-form"):
        return all_equilibria_batch(game, tol=tol, time_limit=time_limit, seed=seed)[0]
    if method == "closed-form":
        raise TripartiteError("the closed form is for 2x2x2 games; use method='enumeration'")
    if method == "enumeration":
        return support_enumeration(game, tol=tol, time_limit=time_limit, max_paths=max_paths, seed=seed)
    deadline = time.monotonic() + time_limit
    founds, logs, attempted = float_enumeration(game, tol, deadline, max_paths, seed)
    if attempted[0]:
        found = finish(game, founds[0], ENUMERATION_METHOD, tol, False, logs[0])
        return _never_empty(found, tol, time_limit, seed)
    return _local_instead(game, tol, max_paths, seed)


def _never_empty(found: EquilibriumSet, tol: float, time_limit: float, seed: int) -> EquilibriumSet:
    """Every finite game has an equilibrium: an empty float result is solved again exactly.

    Floating point can lose every equilibrium of a degenerate game (all of
    them on continua or on supports it cannot decide).  Each float is an exact
    rational, so exact arithmetic decides the same game; its result is
    returned with a note, or, if that fails too, the empty set stays labelled
    not complete.
    """
    if len(found.equilibria) > 0:
        return found
    try:
        exact = support_enumeration(found.game, exact=True, tol=tol, time_limit=time_limit, seed=seed)
    except TripartiteError:
        exact = None
    if exact is None or not exact.equilibria:
        note = "no equilibrium found, although every finite game has one: the enumeration failed on this degenerate game"
        return dataclasses.replace(found, complete=False, notes=found.notes + (note,))
    note = "floating-point enumeration found no equilibrium (a degenerate game); solved again in exact arithmetic"
    return dataclasses.replace(exact, notes=exact.notes + (note,))


def _local_instead(game: Game, tol: float, max_paths: int, seed: int) -> EquilibriumSet:
    """The labelled-incomplete local search where enumeration is too large."""
    local = local_equilibria(game, tol, seed=seed)
    notes = (
        f"support enumeration would need more than {max_paths} solution paths: not attempted",
    ) + local.notes
    return EquilibriumSet(game, local.equilibria, local.method, tol, False, False, local.degenerate, notes)


def all_equilibria_batch(
    game: Game,
    *,
    exact: bool = False,
    tol: float = DEFAULT_TOL,
    time_limit: float = 60.0,
    max_paths: int = 20000,
    seed: int = 0,
) -> list[EquilibriumSet]:
    """:func:`all_equilibria` at every point of a batched game.

    2x2x2 games use the vectorised closed form for the whole batch; the
    points it finds degenerate are solved by support enumeration (exact
    where ``exact``), which labels them.

    Examples
    --------
    >>> from tripartite import load_model
    >>> sets = all_equilibria_batch(load_model("baseline").game(nu=[0.0, 1.0]))
    >>> [len(s) for s in sets]
    [1, 1]
    """
    if exact:
        return [
            all_equilibria(game.point(b), exact=True, tol=tol, time_limit=time_limit, seed=seed)
            for b in range(game.batch_size)
        ]
    deadline = time.monotonic() + time_limit
    sets: dict[int, EquilibriumSet] = {}
    todo = np.arange(game.batch_size)
    if game.shape == (2, 2, 2):
        cf = closed_form_2x2x2(game.payoffs, tol)
        sets = closed_form_sets(game, cf)
        todo = np.flatnonzero(cf.degenerate)
    if todo.size:
        rest = game if todo.size == game.batch_size else _subbatch(game, todo)
        founds, logs, attempted = float_enumeration(rest, tol, deadline, max_paths, seed)
        for q, b in enumerate(todo):
            point = game.point(int(b))
            if attempted[q]:
                found = finish(point, founds[q], ENUMERATION_METHOD, tol, False, logs[q])
                sets[int(b)] = _never_empty(found, tol, time_limit, seed)
            else:
                sets[int(b)] = _local_instead(point, tol, max_paths, seed)
    return [sets[b] for b in range(game.batch_size)]


def _subbatch(game: Game, idx: np.ndarray) -> Game:
    """The points ``idx`` of a batched game, as a smaller batch."""
    return Game(
        game.players,
        game.strategies,
        game.payoffs[idx],
        {k: np.asarray(v)[idx] if np.ndim(v) else v for k, v in game.parameters.items()},
        game.name,
    )
