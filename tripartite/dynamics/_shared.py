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

__all__ = ["one_point", "shares_record"]


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
