"""One trajectory of the replicator dynamics: the single-trajectory front of the one integrator.

:func:`trajectory` integrates from one initial state at one parameter point
with :func:`~tripartite.dynamics.batch.integrate_batch` (log-share
coordinates, Dormand-Prince 5(4), certified convergence to vertices; see
:mod:`tripartite.dynamics.batch` for the mathematics), recording the path at
``n_eval`` times for figures.  The same state at the same point gets the
same outcome word here, in ``solve``'s status quo, in ``basins`` and in
``sweep --trajectories``, with the same default horizon
:data:`tripartite.dynamics.DEFAULT_T_MAX`.  The outcomes
(:data:`~tripartite.dynamics.batch.OUTCOMES`):

- ``"vertex"``: converged to a pure profile (certified, or every share within
  ``vertex_tol`` of 0 or 1 at ``t_max``);
- ``"rest point"``: the field vanished (within ``ftol`` times the payoff scale) at a mixed state;
- ``"cycling"``: still moving at ``t_max`` but repeatedly returning (a centre,
  a slow spiral, a heteroclinic cycle);
- ``"not converged"``: still moving at ``t_max``; the final state is
  reported, never a guessed limit.

**Batches.**  ``trajectory`` answers for one parameter point: given a game
with more than one point it needs ``point=`` (or a game selected with
:meth:`Game.take <tripartite.game.Game.take>`), and the result records the
point in :attr:`Trajectory.point`.  Many trajectories at once are
:func:`~tripartite.dynamics.batch.integrate_batch`, whose
:meth:`~tripartite.dynamics.batch.BatchTrajectories.trajectory` gives any row
as a :class:`Trajectory`.

Examples
--------
>>> from tripartite import load_model
>>> model = load_model("baseline")
>>> traj = trajectory(model.game(), model.initial_state)
>>> traj.outcome, traj.profile
('vertex', {'government': 'passive', 'platform': 'shirk', 'worker': 'lapse'})
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from ..errors import TripartiteError
from ..game import Game, StatePayoffs, check_state
from . import DEFAULT_T_MAX
from ._shared import one_point, shares_record
from .batch import ATOL, FTOL, OUTCOMES, RTOL, VERTEX_TOL, BatchTrajectories, integrate_batch
from .replicator import split_state
from .schedules import GameSchedule

__all__ = ["Trajectory", "trajectory"]


@dataclass(frozen=True, eq=False)
class Trajectory:
    """A solved trajectory and where it ends.

    Attributes
    ----------
    game : Game
        The game at the point integrated (a batch of one).
    times : ndarray, shape (T,)
        Output times, from 0 to where integration stopped.
    states : ndarray, shape (T, S)
        Flat states (players' shares concatenated) at ``times``.
    outcome : str
        One of :data:`~tripartite.dynamics.batch.OUTCOMES`: ``"vertex"``,
        ``"rest point"``, ``"cycling"`` or ``"not converged"``.
    profile : dict or None
        Player -> strategy of the vertex reached, when ``outcome == "vertex"``.
    final : list of ndarray
        The final state, per player.
    residual : float
        Largest component of the vector field at the final state.
    method : str
    rtol, atol : float
    point : int
        The parameter point of the game it was asked for (0 for a single point).
    t_max : float
        The horizon; ``times[-1]`` is earlier when convergence to a stable
        vertex was certified first.
    certified : bool
        Convergence to the vertex is proven (see :mod:`tripartite.dynamics.batch`).
    schedule : GameSchedule or None
        The games in time, when the parameters followed a schedule
        (:mod:`tripartite.dynamics.schedules`); ``game`` is then the game of
        the last piece, which holds from its start on.
    """

    game: Game
    times: np.ndarray
    states: np.ndarray
    outcome: str
    profile: dict[str, str] | None
    final: list[np.ndarray]
    residual: float
    method: str
    rtol: float
    atol: float
    point: int = 0
    t_max: float = DEFAULT_T_MAX
    certified: bool = False
    schedule: GameSchedule | None = None

    @property
    def initial(self) -> list[np.ndarray]:
        """The initial state, per player."""
        return split_state(self.states[0], self.game.shape)

    def shares(self, player: int | str) -> np.ndarray:
        """Time path of one player's strategy shares, shape ``(T, s_i)``."""
        i = self.game.players.index(player) if isinstance(player, str) else player
        return split_state(self.states, self.game.shape)[i]

    def to_record(self) -> dict:
        """Where the trajectory goes, JSON-ready (the ``status_quo`` of ``solve --json``).

        Returns
        -------
        dict
            ``initial_state`` and ``final_state`` (player -> {strategy: share}),
            ``t_max``, ``t_final``, ``outcome``, ``profile`` (player -> strategy,
            or None), ``certified``, ``point``, ``method``, ``rtol``, ``atol``,
            ``schedule`` (parameter -> ``[[time, value], ...]``, or None).

        Examples
        --------
        >>> from tripartite import load_model
        >>> model = load_model("baseline")
        >>> rec = trajectory(model.game(), model.initial_state).to_record()
        >>> rec["outcome"], rec["t_max"], rec["point"], rec["initial_state"]["worker"]
        ('vertex', 50.0, 0, {'enroll': 0.3, 'lapse': 0.7})
        """
        return {
            "initial_state": shares_record(self.game, self.initial),
            "t_max": float(self.t_max),
            "t_final": float(self.times[-1]),
            "outcome": self.outcome,
            "profile": dict(self.profile) if self.profile is not None else None,
            "certified": bool(self.certified),
            "final_state": shares_record(self.game, self.final),
            "point": int(self.point),
            "method": self.method,
            "rtol": float(self.rtol),
            "atol": float(self.atol),
            "schedule": self.schedule.to_record() if self.schedule is not None else None,
        }

    def _repr_html_(self) -> str:
        from ..display import html_table, number

        rows = [
            [
                player,
                ", ".join(f"{s} {number(v)}" for s, v in zip(names, x0)),
                ", ".join(f"{s} {number(v)}" for s, v in zip(names, x1)),
            ]
            for player, names, x0, x1 in zip(
                self.game.players, self.game.strategies, self.initial, self.final
            )
        ]
        end = ", ".join(self.profile.values()) if self.outcome == "vertex" else self.outcome
        caption = f"{self.game.name}: trajectory to t = {self.times[-1]:g}, outcome: {end}"
        return html_table(["player", "initial shares", "final shares"], rows, caption)

    def __repr__(self) -> str:
        where = self.profile if self.outcome == "vertex" else self.outcome
        return f"<Trajectory of {self.game.name!r} to t={self.times[-1]:g}: {where}>"


def _from_batch(res: BatchTrajectories, b: int, point: int) -> Trajectory:
    """Row ``b`` of a batch result as a :class:`Trajectory` of parameter point ``point``."""
    if res.game is not None:
        game = res.game.point(point if res.game.batch_size > 1 else 0)
    else:
        table = res._payoffs
        k = point if res.n_points > 1 else 0
        if isinstance(table, StatePayoffs):
            names = tuple(f"P{i + 1}" for i in range(table.ndim - 2))
            strategies = tuple(tuple(f"s{t + 1}" for t in range(m)) for m in table.shape[2:])
            game = Game(names, strategies, table.take([k]))
        else:
            game = Game.from_array(table[k])
    shape = game.shape
    final = [np.array(x[b]) for x in res.final]
    t_end = float(res.t_final[b])
    if res.paths is not None:
        recorded = np.concatenate([p[b] for p in res.paths], axis=1)
        keep = res.times <= t_end * (1 + 1e-12)
        keep &= ~np.isnan(recorded).any(axis=1)
        times, states = res.times[keep], recorded[keep]
        if times[-1] < t_end:  # stopped between output times: end at the stopping point
            times = np.append(times, t_end)
            states = np.vstack([states, np.concatenate(final)])
    else:
        x0 = np.concatenate([x[b] for x in res.initial]) if res.initial is not None else np.nan
        times = np.array([0.0, t_end])
        states = np.vstack([x0 * np.ones(sum(shape)), np.concatenate(final)])
    outcome = OUTCOMES[int(res.outcome[b])]
    reached = res.profile(b)
    return Trajectory(
        game=game,
        times=times,
        states=states,
        outcome=outcome,
        profile=game.profile_names(reached) if reached is not None else None,
        final=final,
        residual=float(res.residual[b]),
        method=res.method,
        rtol=res.rtol,
        atol=res.atol,
        point=int(point),
        t_max=res.t_max,
        certified=bool(res.certified[b]),
        schedule=res.schedule.point(point) if res.schedule is not None else None,
    )


def trajectory(
    game: Game | GameSchedule,
    initial: Sequence[Sequence[float]],
    t_max: float = DEFAULT_T_MAX,
    *,
    point: int | None = None,
    n_eval: int | None = 201,
    rtol: float = RTOL,
    atol: float = ATOL,
    vertex_tol: float = VERTEX_TOL,
    ftol: float = FTOL,
    stop_at_stable_vertex: bool = True,
    method: str | None = None,
    **options,
) -> Trajectory:
    """Integrate the replicator dynamics from ``initial`` up to ``t_max``.

    Parameters
    ----------
    game : Game or GameSchedule
        The game, or games in time (parameters that change at given times,
        :meth:`Schedule.games <tripartite.dynamics.schedules.Schedule.games>`).
    initial : list of probability vectors, one per player
        Checked by :func:`tripartite.game.check_state` (the one rule).
    t_max : float
        Time horizon (default :data:`tripartite.dynamics.DEFAULT_T_MAX`).
    point : int, optional
        Which parameter point of a batched game; required when the game has
        more than one (the batch rule of :mod:`tripartite.dynamics.batch`).
    n_eval : int or None
        Number of evenly spaced output times on ``[0, t_max]`` recorded (for
        figures), up to where integration stopped; ``None`` records only the
        start and the end.  A trajectory certified early (the baseline settles
        within t = 1) has few of them: give a shorter ``t_max`` for its figure.
    rtol, atol, vertex_tol, ftol : float
        As in :func:`~tripartite.dynamics.batch.integrate_batch` (same defaults).
    stop_at_stable_vertex : bool
        Stop as soon as convergence to a strict equilibrium (an asymptotically
        stable vertex) is certified; the path then ends there.
    method : None
        Deprecated and ignored: there is one integrator.
    **options
        Further options of :func:`~tripartite.dynamics.batch.integrate_batch`
        (``cycle_tol``, ``max_steps``, ...).

    Returns
    -------
    Trajectory

    Examples
    --------
    >>> import numpy as np
    >>> from tripartite.game import Game
    >>> pennies = Game.from_array(np.array([[[1, -1], [-1, 1]], [[-1, 1], [1, -1]]], dtype=float))
    >>> trajectory(pennies, [[0.8, 0.2], [0.5, 0.5]], t_max=60).outcome
    'cycling'

    A temporary programme: baseline with phi = 1 until t = 8, then its default:

    >>> from tripartite import load_model
    >>> from tripartite.dynamics.schedules import Schedule
    >>> model = load_model("baseline")
    >>> games = Schedule.parse(["phi=0:1,8:0"]).games(model, {"nu": 0.25, "k": 0.2})
    >>> trajectory(games, model.initial_state, 20.0, n_eval=None).profile
    {'government': 'passive', 'platform': 'share', 'worker': 'enroll'}
    """
    if method is not None:
        warnings.warn(
            "trajectory(method=...) is ignored: every trajectory uses the one integrator "
            "of tripartite.dynamics.batch",
            DeprecationWarning,
            stacklevel=2,
        )
    if not (t_max > 0 and np.isfinite(t_max)):
        raise TripartiteError("t_max must be a positive number")
    if isinstance(game, GameSchedule):
        widest = max(game.games, key=lambda g: g.batch_size)
        _, index = one_point(widest, point, "trajectory")
        one = game.point(index)
    else:
        one, index = one_point(game, point, "trajectory")
    x0 = check_state(initial, one.shape, one.players)
    res = integrate_batch(
        one,
        x0,
        t_max,
        rtol=rtol,
        atol=atol,
        vertex_tol=vertex_tol,
        ftol=ftol,
        stop_early=stop_at_stable_vertex,
        n_eval=n_eval,
        **options,
    )
    return res.trajectory(0, point=index)
