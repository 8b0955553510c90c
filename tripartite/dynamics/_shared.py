"""What the single-point solvers share: the one rule for batches, and shares as records.

**The batch rule.**  A solver that answers for the whole batch (the
replicator field, :func:`~tripartite.dynamics.vertex_stability`,
:func:`~tripartite.dynamics.batch.integrate_batch`) works on every point of
a batched game.  A function that answers for *one* point
(:func:`~tripartite.dynamics.trajectory`,
:func:`~tripartite.dynamics.basins.basins`,
:func:`~tripartite.dynamics.basins.push_threshold`,
:func:`~tripartite.qre.logit_branch`) takes ``point=``: given a game with
more than one point and no ``point=``, it refuses with an error naming the
batch size, never silently taking point 0.  ``point=b`` selects with
:meth:`Game.take <tripartite.game.Game.take>`, and the result records ``b``.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from ..errors import TripartiteError
from ..game import Game

__all__ = ["one_point", "one_point_in_time", "shares_record"]


def one_point(game: Game, point: int | None, what: str) -> tuple[Game, int]:
    """The game at one parameter point, and that point's index in ``game``'s batch.

    Examples
    --------
    >>> from tripartite import load_model
    >>> game = load_model("baseline").game(nu=[0.0, 0.5])
    >>> one_point(game, 1, "trajectory")[1]
    1
    >>> one_point(game, None, "trajectory")
    Traceback (most recent call last):
    ...
    tripartite.errors.TripartiteError: trajectory answers for one parameter point and this game has 2: \
pass point= (0 to 1) or select one with game.take([...])
    """
    n = game.batch_size
    if point is None:
        if n == 1:
            return game, 0
        raise TripartiteError(
            f"{what} answers for one parameter point and this game has {n}: "
            f"pass point= (0 to {n - 1}) or select one with game.take([...])"
        )
    if isinstance(point, bool) or not isinstance(point, (int, np.integer)):
        raise TripartiteError(f"point must be an integer index into the batch, got {point!r}")
    if not -n <= point < n:
        raise TripartiteError(f"point {point} is out of range for a batch of {n}")
    return game.point(int(point)), int(point) % n


def one_point_in_time(game, point: int | None, what: str):
    """:func:`one_point` for a game or a :class:`~tripartite.dynamics.schedules.GameSchedule`.

    Returns ``(final, index, dynamics)``: the game that holds at the end (the
    game itself, or the schedule's last piece) at that point, the point's
    index, and what to integrate (the game, or the schedule at that point).

    Examples
    --------
    >>> from tripartite import load_model
    >>> from tripartite.dynamics.schedules import Schedule
    >>> games = Schedule.parse(["phi=0:1,8:0"]).games(load_model("baseline"), {"nu": [0.0, 0.25]})
    >>> final, index, dynamics = one_point_in_time(games, 1, "basins")
    >>> index, float(final.parameters["phi"]), dynamics.starts
    (1, 0.0, (0.0, 8.0))
    """
    from .schedules import GameSchedule

    if not isinstance(game, GameSchedule):
        one, index = one_point(game, point, what)
        return one, index, one
    widest = max(game.games, key=lambda g: g.batch_size)
    _, index = one_point(widest, point, what)
    schedule = game.point(index)
    return schedule.final_game, index, schedule


def shares_record(game: Game, state: Sequence[np.ndarray]) -> dict[str, dict[str, float]]:
    """Player -> {strategy: share} of one state or mixed profile, as plain floats.

    Examples
    --------
    >>> g = Game.from_array(np.zeros((2, 2, 2)), players=["row", "col"])
    >>> shares_record(g, [np.array([0.25, 0.75]), np.array([1.0, 0.0])])
    {'row': {'s1': 0.25, 's2': 0.75}, 'col': {'s1': 1.0, 's2': 0.0}}
    """
    return {
        player: {s: float(v) for s, v in zip(names, np.asarray(x, dtype=float).ravel())}
        for player, names, x in zip(game.players, game.strategies, state)
    }
