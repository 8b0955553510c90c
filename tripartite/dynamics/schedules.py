"""Policies over time: parameters that are piecewise constant in time, and the games they make.

A **schedule** gives some parameters values that change at chosen times:
``phi=0:1,8:0`` holds :math:`\\varphi = 1` on :math:`[0, 8)` and
:math:`\\varphi = 0` from :math:`t = 8` on.  Before a parameter's first
time it keeps its value at the point (the model's default, or the value
set); between switching times every parameter is constant, so the
replicator dynamics are the ordinary (autonomous) dynamics of one game on
each interval :math:`[T_k, T_{k+1})`:

.. math:: \\dot x_{i,s} = x_{i,s}\\,\\bigl(u_i(s, x_{-i}; \\theta(t)) - \\bar u_i(x; \\theta(t))\\bigr),
          \\qquad \\theta(t) = \\theta_k \\text{ for } T_k \\le t < T_{k+1}.

The solution is continuous in time and its derivative jumps at the
switching times.  The one integrator (:func:`~tripartite.dynamics.batch.integrate_batch`)
integrates a :class:`GameSchedule` piece by piece: each piece starts from
where the previous one ended (a restart of the step control at the
discontinuity, as an integrator should), so a schedule with one switch is
exactly two chained integrations.  The outcome word (vertex, rest point,
cycling, not converged) is decided on the last piece, whose parameters hold
for ever after; certified convergence to a vertex is checked only there
(earlier pieces run to their end).

- :class:`Schedule`: parameter name -> ``((T0, V0), (T1, V1), ...)``,
  parsed from the command-line form by :meth:`Schedule.parse`;
- :meth:`Schedule.games`: the game of every piece of a model's schedule,
  a :class:`GameSchedule`;
- :class:`GameSchedule`: games in time, the form the integrator,
  :func:`~tripartite.dynamics.paths.trajectory` and
  :func:`~tripartite.dynamics.basins.basins` accept in place of a game.

Examples
--------
>>> from tripartite import load_model
>>> schedule = Schedule.parse(["phi=0:1,8:0"])
>>> schedule.switch_times(), schedule.values_at(3.0), schedule.values_at(8.0)
((8.0,), {'phi': 1.0}, {'phi': 0.0})
>>> games = schedule.games(load_model("baseline"))
>>> games.starts, [float(g.parameters["phi"]) for g in games.games]
((0.0, 8.0), [1.0, 0.0])
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..errors import ParameterError, TripartiteError
from ..game import Game

__all__ = ["GameSchedule", "Schedule"]


def _number(text: str, item: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise ParameterError(f"--schedule {item}: {text.strip()!r} is not a number") from None
    if not math.isfinite(value):
        raise ParameterError(f"--schedule {item}: {text.strip()!r} is not a finite number")
    return value


@dataclass(frozen=True, eq=False)
class Schedule:
    """Parameters that are piecewise constant in time.

    Attributes
    ----------
    pieces : dict of str to tuple of (time, value)
        Per parameter, its switching times (increasing, non-negative) and the
        value from each on.  Before the first time the parameter keeps its
        value at the point.

    Examples
    --------
    >>> s = Schedule({"phi": ((0.0, 1.0), (8.0, 0.0)), "k": ((4.0, 0.5),)})
    >>> s.switch_times(), s.values_at(0.0), s.values_at(5.0)
    ((4.0, 8.0), {'phi': 1.0}, {'phi': 1.0, 'k': 0.5})
    """

    pieces: Mapping[str, tuple[tuple[float, float], ...]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        clean: dict[str, tuple[tuple[float, float], ...]] = {}
        for name, steps in self.pieces.items():
            steps = tuple((float(t), float(v)) for t, v in steps)
            if not steps:
                raise ParameterError(f"schedule of {name!r}: give at least one TIME:VALUE")
            times = [t for t, _ in steps]
            if any(not (math.isfinite(t) and t >= 0) for t in times):
                raise ParameterError(f"schedule of {name!r}: times must be finite and non-negative")
            if any(b <= a for a, b in zip(times, times[1:])):
                raise ParameterError(
                    f"schedule of {name!r}: times must increase ({', '.join(map(str, times))})"
                )
            if any(not math.isfinite(v) for _, v in steps):
                raise ParameterError(f"schedule of {name!r}: values must be finite numbers")
            clean[name] = steps
        object.__setattr__(self, "pieces", clean)

    @classmethod
    def parse(cls, items: Iterable[str]) -> Schedule:
        """A schedule from ``NAME=T0:V0,T1:V1,...`` items (the ``--schedule`` form), one per parameter.

        Examples
        --------
        >>> Schedule.parse(["phi = 0:1, 8:0"]).pieces
        {'phi': ((0.0, 1.0), (8.0, 0.0))}
        >>> Schedule.parse(["phi=0:1,8"])
        Traceback (most recent call last):
        ...
        tripartite.errors.ParameterError: --schedule phi=0:1,8: expected NAME=T0:V0,T1:V1,... (TIME:VALUE pairs), got '8'
        """
        pieces: dict[str, tuple[tuple[float, float], ...]] = {}
        for item in items:
            name, sep, text = item.partition("=")
            name = name.strip()
            if not sep or not name or not text.strip():
                raise ParameterError(f"--schedule expects NAME=T0:V0,T1:V1,..., got {item!r}")
            if name in pieces:
                raise ParameterError(
                    f"--schedule {item}: {name!r} is scheduled twice; give one list of pieces"
                )
            steps = []
            for part in text.split(","):
                t, colon, v = part.partition(":")
                if not colon or not t.strip() or not v.strip():
                    raise ParameterError(
                        f"--schedule {item}: expected NAME=T0:V0,T1:V1,... (TIME:VALUE pairs), got {part.strip()!r}"
                    )
                steps.append((_number(t, item), _number(v, item)))
            try:
                pieces[name] = tuple(steps)
                cls({name: pieces[name]})
            except ParameterError as exc:
                raise ParameterError(f"--schedule {item}: {str(exc).split(': ', 1)[1]}") from None
        return cls(pieces)

    def __bool__(self) -> bool:
        return bool(self.pieces)

    @property
    def names(self) -> tuple[str, ...]:
        """The scheduled parameters."""
        return tuple(self.pieces)

    def switch_times(self, t_max: float = math.inf) -> tuple[float, ...]:
        """The times after 0 and before ``t_max`` at which some scheduled value changes."""
        times = {t for steps in self.pieces.values() for t, _ in steps if 0 < t < t_max}
        return tuple(sorted(times))

    def values_at(self, t: float) -> dict[str, float]:
        """The scheduled values in force at time ``t`` (parameters not yet switched on are left out)."""
        out = {}
        for name, steps in self.pieces.items():
            now = [v for start, v in steps if start <= t]
            if now:
                out[name] = now[-1]
        return out

    def check(self, model) -> None:
        """Refuse unknown parameters and values outside their ranges (the model's messages)."""
        for name, steps in self.pieces.items():
            parameter = model.parameter(name)
            for _, v in steps:
                parameter.check(v)

    def games(
        self, model, values: Mapping[str, Any] | None = None, *, t_max: float = math.inf
    ) -> GameSchedule:
        """The game of each piece of this schedule: ``model.game`` at ``values`` with the scheduled values.

        Parameters
        ----------
        model : Model
        values : mapping, optional
            The point (``--set`` values; 1-D arrays for a batch of points).
            Scheduled parameters keep these values before their first time.
        t_max : float
            Pieces starting at or after ``t_max`` are left out.

        Returns
        -------
        GameSchedule
        """
        self.check(model)
        base = dict(values or {})
        starts = (0.0, *self.switch_times(t_max))
        games = tuple(model.game({**base, **self.values_at(s)}) for s in starts)
        return GameSchedule(starts, games, self)

    def to_record(self) -> dict[str, list[list[float]]]:
        """Parameter -> ``[[time, value], ...]``, JSON-ready (``{}`` for no schedule)."""
        return {name: [[t, v] for t, v in steps] for name, steps in self.pieces.items()}


@dataclass(frozen=True, eq=False)
class GameSchedule:
    """Games in time: ``games[k]`` holds from ``starts[k]`` until the next start (the last for ever).

    Every game has the same players and strategies, and one parameter point
    or the same number of points (one per trajectory).

    Examples
    --------
    >>> from tripartite import load_model
    >>> model = load_model("baseline")
    >>> gs = GameSchedule((0.0, 8.0), (model.game(phi=1.0), model.game(phi=0.0)))
    >>> gs.pieces(20.0)
    [(0.0, 8.0), (8.0, 20.0)]
    """

    starts: tuple[float, ...]
    games: tuple[Game, ...]
    schedule: Schedule | None = None

    def __post_init__(self) -> None:
        starts = tuple(float(s) for s in self.starts)
        games = tuple(self.games)
        if not games or len(starts) != len(games):
            raise TripartiteError("a game schedule needs one start time per game")
        if starts[0] != 0.0 or any(b <= a for a, b in zip(starts, starts[1:])):
            raise TripartiteError(
                f"a game schedule's start times must begin at 0 and increase, got {list(starts)}"
            )
        first = games[0]
        sizes = {g.batch_size for g in games} - {1}
        for g in games[1:]:
            if g.players != first.players or g.strategies != first.strategies:
                raise TripartiteError("the games of a schedule must have the same players and strategies")
        if len(sizes) > 1:
            raise TripartiteError(f"the games of a schedule have different numbers of points {sorted(sizes)}")
        object.__setattr__(self, "starts", starts)
        object.__setattr__(self, "games", games)

    @property
    def shape(self) -> tuple[int, ...]:
        return self.games[0].shape

    @property
    def players(self) -> tuple[str, ...]:
        return self.games[0].players

    @property
    def batch_size(self) -> int:
        """Number of parameter points (1 when every game has one)."""
        return max(g.batch_size for g in self.games)

    @property
    def final_game(self) -> Game:
        """The game of the last piece: it holds for ever after, and decides the outcome."""
        return self.games[-1]

    def pieces(self, t_max: float) -> list[tuple[float, float]]:
        """The ``(start, end)`` of each piece that starts before ``t_max``, the last ending at ``t_max``."""
        starts = [s for s in self.starts if s < t_max]
        return list(zip(starts, [*starts[1:], float(t_max)]))

    def take(self, indices: Sequence[int] | np.ndarray) -> GameSchedule:
        """The schedule at some parameter points (games with one point are shared)."""
        games = tuple(g if g.batch_size == 1 else g.take(indices) for g in self.games)
        return GameSchedule(self.starts, games, self.schedule)

    def point(self, b: int) -> GameSchedule:
        """The schedule at parameter point ``b`` alone."""
        return self if self.batch_size == 1 else self.take([b])

    def to_record(self) -> dict[str, Any]:
        """The parameter schedule (parameter -> ``[[time, value], ...]``) or, for games given directly,
        ``{"switch_times": [...]}``."""
        if self.schedule is not None:
            return self.schedule.to_record()
        return {"switch_times": list(self.starts[1:])}
