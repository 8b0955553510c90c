"""Numerical simulation: replicator trajectories from chosen states, under several parameter values and schedules.

The "numerical simulation" section of a tripartite evolutionary-game paper
in one call: trajectories of

.. math:: \\dot x_{i,s} = x_{i,s}\\,\\bigl(u_i(s, x_{-i}; \\theta(t)) - \\bar u_i(x; \\theta(t))\\bigr)

from each of several initial states :math:`x(0)`, for each of several
values of one parameter (a sensitivity analysis), with parameters that may
follow a schedule :math:`\\theta(t)` piecewise constant in time
(:mod:`tripartite.dynamics.schedules`).  Every (state, value) pair is one
row of one batch of the one integrator
(:func:`tripartite.dynamics.batch.integrate_batch`), recorded at ``n_eval``
evenly spaced times on ``[0, t_max]`` and ending in one of its outcome words
(``vertex`` -- certified when the convergence is proven --, ``rest point``,
``cycling``, ``not converged``).

:func:`simulate` returns a :class:`Simulation`: ``to_record()`` (the JSON of
``tripartite simulate --json``), ``table()`` (one row per trajectory and
sampled time), ``trajectory(r)`` (row ``r`` as a
:class:`~tripartite.dynamics.paths.Trajectory`), and the figures of
:mod:`tripartite.plot.simulation` draw it.

Examples
--------
>>> from tripartite import load_model
>>> sim = simulate(load_model("baseline"), states=["0.3,0.2,0.3", "0.7,0.8,0.9"], t_max=20, n_eval=11)
>>> [t["outcome"] for t in sim.to_record()["trajectories"]]
['vertex', 'vertex']
>>> sim = simulate(load_model("baseline"), vary=("nu", [0.0, 0.25]), values={"k": 0.2}, t_max=20, n_eval=11)
>>> [t["parameters"] for t in sim.to_record()["trajectories"]]
[{'k': 0.2, 'nu': 0.0}, {'k': 0.2, 'nu': 0.25}]
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import numpy as np

from .dynamics import DEFAULT_T_MAX
from .dynamics._shared import shares_record
from .dynamics.batch import OUTCOMES, BatchTrajectories, integrate_batch
from .dynamics.schedules import Schedule
from .errors import ParameterError, TripartiteError
from .game import check_state

__all__ = ["Simulation", "parse_state", "simulate", "state_label"]

#: Output times recorded per trajectory by default.
N_EVAL = 201


def parse_state(text: str, players: Sequence[str], strategies: Sequence[Sequence[str]]) -> list[np.ndarray]:
    """A population state from text: the ``--from`` form.

    When every player has two strategies, the shares of each player's first
    strategy in player order, comma-separated (``0.3,0.2,0.3``); in general
    ``player=share,share,...;player=...`` with every player once, one share
    per strategy.  Checked by :func:`tripartite.game.check_state`.

    Examples
    --------
    >>> players, strategies = ["a", "b"], [["x", "y"], ["u", "v", "w"]]
    >>> [s.tolist() for s in parse_state("a=0.5,0.5; b=0.2,0.3,0.5", players, strategies)]
    [[0.5, 0.5], [0.2, 0.3, 0.5]]
    >>> [s.tolist() for s in parse_state("0.25,1", ["a", "b"], [["x", "y"], ["u", "v"]])]
    [[0.25, 0.75], [1.0, 0.0]]
    """
    shape = tuple(len(s) for s in strategies)
    text = text.strip()

    def numbers(part: str, where: str) -> list[float]:
        out = []
        for item in part.split(","):
            try:
                out.append(float(item))
            except ValueError:
                raise TripartiteError(f"--from {text}: {where}{item.strip()!r} is not a number") from None
        return out

    if "=" not in text:
        if any(m != 2 for m in shape):
            raise TripartiteError(
                f"--from {text}: the short form (first-strategy shares) needs two strategies per player; "
                "write player=share,share,...;player=..."
            )
        firsts = numbers(text, "")
        if len(firsts) != len(shape):
            raise TripartiteError(
                f"--from {text}: give one share per player ({len(shape)}: {', '.join(players)}), got {len(firsts)}"
            )
        bad = [f"{p} {v:g}" for p, v in zip(players, firsts) if not 0 <= v <= 1]
        if bad:
            raise TripartiteError(f"--from {text}: a share must be between 0 and 1 ({', '.join(bad)})")
        return check_state([[v, 1.0 - v] for v in firsts], shape, players, what="--from state")
    given: dict[str, list[float]] = {}
    for part in text.split(";"):
        if not part.strip():
            continue
        name, sep, shares = part.partition("=")
        name = name.strip()
        if not sep or not shares.strip():
            raise TripartiteError(f"--from {text}: expected player=share,share,..., got {part.strip()!r}")
        if name not in players:
            raise TripartiteError(f"--from {text}: unknown player {name!r}; players: {', '.join(players)}")
        if name in given:
            raise TripartiteError(f"--from {text}: player {name!r} is given twice")
        given[name] = numbers(shares, f"{name}: ")
    missing = [p for p in players if p not in given]
    if missing:
        raise TripartiteError(f"--from {text}: no shares for {', '.join(missing)} (give every player)")
    return check_state([given[p] for p in players], shape, players, what="--from state")


def state_label(state: Sequence[np.ndarray], players: Sequence[str] | None = None) -> str:
    """A short label of a state: ``(0.3, 0.2, 0.3)`` (first-strategy shares) when every player has two strategies.

    Examples
    --------
    >>> state_label([np.array([0.3, 0.7]), np.array([1.0, 0.0])])
    '(0.3, 1)'
    >>> state_label([np.array([0.5, 0.5]), np.array([0.2, 0.3, 0.5])], ["a", "b"])
    'a=0.5,0.5; b=0.2,0.3,0.5'
    """
    state = [np.asarray(x, dtype=float) for x in state]
    if all(x.shape == (2,) for x in state):
        return "(" + ", ".join(f"{x[0]:.4g}" for x in state) + ")"
    names = list(players) if players is not None else [f"P{i + 1}" for i in range(len(state))]
    return "; ".join(f"{p}=" + ",".join(f"{v:.4g}" for v in x) for p, x in zip(names, state))


@dataclass(frozen=True, eq=False)
class Simulation:
    """Trajectories from several initial states under several values of one parameter.

    Attributes
    ----------
    model : Model
    values : dict
        The parameter values given (fixed for every trajectory).
    states : list of states
        The initial states, each one probability vector per player.
    vary : tuple (name, values) or None
        The varied parameter and its values.
    schedule : Schedule
        Parameters piecewise constant in time (empty: none).
    rows : list of (state index, value index)
        Which state and value each trajectory has (state-major order).
    result : BatchTrajectories
        The integrated batch, paths recorded at ``result.times``.
    """

    model: Any
    values: dict[str, float]
    states: list[list[np.ndarray]]
    vary: tuple[str, tuple[float, ...]] | None
    schedule: Schedule
    rows: list[tuple[int, int]]
    result: BatchTrajectories

    @property
    def game(self):
        """The game at the first trajectory's point (before any scheduled switch)."""
        gs = self.result.schedule
        game = gs.games[0] if gs is not None else self.result.game
        return game.point(0) if game.batch_size > 1 else game

    @property
    def t_max(self) -> float:
        return self.result.t_max

    @property
    def method(self) -> str:
        return self.result.method

    def __len__(self) -> int:
        return len(self.rows)

    def parameters(self, r: int) -> dict[str, float]:
        """The parameter values given for trajectory ``r``: the fixed ones and its ``vary`` value."""
        out = {k: float(v) for k, v in self.values.items()}
        if self.vary is not None:
            out[self.vary[0]] = float(self.vary[1][self.rows[r][1]])
        return out

    def label(self, r: int) -> str:
        """The legend of trajectory ``r``: its initial state, its varied value, or both."""
        s, v = self.rows[r]
        parts = []
        if len(self.states) > 1 or self.vary is None:
            parts.append(state_label(self.states[s], self.model.players))
        if self.vary is not None:
            parts.append(f"{self.vary[0]} = {self.vary[1][v]:g}")
        return ", ".join(parts)

    @cached_property
    def end_stability(self):
        """Vertex stability at the parameters that hold at the end (the last piece of a schedule).

        A :class:`~tripartite.dynamics.stability.VertexStability` with one
        point shared by every trajectory, or one point per trajectory when a
        parameter is varied.
        """
        from .dynamics.stability import vertex_stability

        return vertex_stability(self.result.game)

    def stable_at_end(self, r: int) -> list[tuple[int, ...]]:
        """The asymptotically stable vertices (strategy indices) at trajectory ``r``'s final parameters."""
        stable = self.end_stability.stable
        point = r if stable.shape[0] > 1 else 0
        return [tuple(int(k) for k in v) for v in np.argwhere(stable[point])]

    def trajectory(self, r: int):
        """Trajectory ``r`` as a :class:`~tripartite.dynamics.paths.Trajectory`."""
        return self.result.trajectory(r)

    def to_record(self) -> dict[str, Any]:
        """JSON-ready: the ``tripartite simulate --json`` result, without provenance.

        Returns
        -------
        dict
            ``t_max``, ``sampled_times`` (how many), ``vary`` (``{"name", "values"}`` or None),
            ``schedule`` (parameter -> ``[[time, value], ...]``, or None),
            ``method``, ``rtol``, ``atol``, ``counts`` (outcome -> trajectories),
            and ``trajectories``, one per (state, value), each with
            ``label``, ``initial_state`` and ``final_state`` (player ->
            {strategy: share}), ``parameters`` (the values given for it),
            ``schedule``, ``outcome``, ``profile`` (player -> strategy at a
            vertex, else None), ``certified`` and ``t_final``.
        """
        game = self.game
        res = self.result
        schedule = self.schedule.to_record() if self.schedule else None
        trajectories = []
        for r, (s, _) in enumerate(self.rows):
            reached = res.profile(r)
            trajectories.append(
                {
                    "label": self.label(r),
                    "initial_state": shares_record(game, self.states[s]),
                    "parameters": self.parameters(r),
                    "schedule": schedule,
                    "outcome": OUTCOMES[int(res.outcome[r])],
                    "profile": game.profile_names(reached) if reached is not None else None,
                    "certified": bool(res.certified[r]),
                    "final_state": shares_record(game, res.state(r)),
                    "t_final": float(res.t_final[r]),
                }
            )
        return {
            "t_max": float(res.t_max),
            "sampled_times": int(len(res.times)),
            "vary": None if self.vary is None else {"name": self.vary[0], "values": list(self.vary[1])},
            "schedule": schedule,
            "method": res.method,
            "rtol": res.rtol,
            "atol": res.atol,
            "counts": res.counts(),
            "trajectories": trajectories,
        }

    def table(self):
        """One row per trajectory and sampled time (a pandas DataFrame).

        Columns: ``trajectory`` (index), ``initial_state`` (its label), the
        varied parameter (when there is one), ``t``, and one column
        ``player:strategy`` per share.  Rows after a trajectory stopped (step
        budget) are left out.
        """
        import pandas as pd

        res, game = self.result, self.game
        n, times = len(self.rows), res.times
        shares = np.concatenate(res.paths, axis=2)  # (n, T, S)
        columns: dict[str, Any] = {
            "trajectory": np.repeat(np.arange(n), len(times)),
            "initial_state": np.repeat(
                [state_label(self.states[s], game.players) for s, _ in self.rows], len(times)
            ),
        }
        if self.vary is not None:
            columns[self.vary[0]] = np.repeat([self.vary[1][v] for _, v in self.rows], len(times))
        columns["t"] = np.tile(times, n)
        k = 0
        for player, names in zip(game.players, game.strategies):
            for strategy in names:
                columns[f"{player}:{strategy}"] = shares[:, :, k].ravel()
                k += 1
        frame = pd.DataFrame(columns)
        keep = ~np.isnan(shares).any(axis=2).ravel()
        return frame[keep].reset_index(drop=True)

    def _repr_html_(self) -> str:
        from .display import html_table

        rec = self.to_record()
        rows = []
        for t in rec["trajectories"]:
            end = ", ".join(t["profile"].values()) if t["profile"] else t["outcome"]
            rows.append([t["label"], end + (" (certified)" if t["certified"] else ""), f"{t['t_final']:g}"])
        caption = f"{self.model.name}: {len(self)} trajectories to t = {self.t_max:g}"
        return html_table(["trajectory", "ends at", "t_final"], rows, caption)

    def __repr__(self) -> str:
        return f"<Simulation of {self.model.name!r}: {len(self)} trajectories to t={self.t_max:g}>"


def _output_times(t_max: float, n_eval: int, switches: Sequence[float]) -> np.ndarray:
    """``n_eval`` times evenly spaced on ``[0, t_max]``, and ``n_eval`` geometrically spaced after 0 and each switch.

    The paths move fastest right after the parameters change (the built-in
    models settle within t ~ 1 of a horizon of 50), so the figures need the
    times just after 0 and after every switch of a schedule drawn finely.
    """
    if int(n_eval) < 2:
        raise TripartiteError("n_eval must be at least 2")
    times = [np.linspace(0.0, t_max, int(n_eval))]
    for start in (0.0, *switches):
        times.append(start + np.geomspace(1e-4 * t_max, t_max - start, int(n_eval)))
    out = np.unique(np.concatenate(times))
    return out[out <= t_max]


def simulate(
    model,
    states: Sequence | None = None,
    *,
    values: Mapping[str, float] | None = None,
    vary: tuple[str, Sequence[float]] | None = None,
    schedule: Schedule | Sequence[str] | None = None,
    t_max: float = DEFAULT_T_MAX,
    n_eval: int = N_EVAL,
    **options,
) -> Simulation:
    """Trajectories of ``model`` from each state, for each value of one parameter, under a schedule.

    Parameters
    ----------
    model : Model
    states : list, optional
        Initial states: each one probability vector per player, or text in
        the ``--from`` form (:func:`parse_state`).  Default: the model's
        initial state.
    values : mapping, optional
        Parameter values held for every trajectory (the ``--set`` values).
    vary : (name, values), optional
        One trajectory per value of this parameter, from each state.
    schedule : Schedule or list of ``NAME=T0:V0,...`` text, optional
        Parameters piecewise constant in time (:mod:`tripartite.dynamics.schedules`).
    t_max : float
        Horizon (default :data:`tripartite.dynamics.DEFAULT_T_MAX`).
    n_eval : int
        Output times recorded evenly on ``[0, t_max]``, and as many again
        spaced geometrically after 0 and after each switch of the schedule
        (where the paths move fastest).
    **options
        Further options of :func:`~tripartite.dynamics.batch.integrate_batch`.

    Returns
    -------
    Simulation

    Examples
    --------
    >>> from tripartite import load_model
    >>> bistable = {"nu": 0.25, "k": 0.2}
    >>> sim = simulate(load_model("baseline"), values=bistable, schedule=["phi=0:1,8:0"], t_max=20, n_eval=11)
    >>> sim.to_record()["trajectories"][0]["profile"]
    {'government': 'passive', 'platform': 'share', 'worker': 'enroll'}
    """
    if not (t_max > 0 and np.isfinite(t_max)):
        raise TripartiteError("t_max must be a positive number")
    values = dict(values or {})
    schedule = schedule if isinstance(schedule, Schedule) else Schedule.parse(schedule or [])
    schedule.check(model)
    model.resolve(values)  # unknown names and ranges fail here
    if states is None or len(states) == 0:
        if model.initial_state is None:
            raise TripartiteError(f"model {model.name!r} documents no initial state: give states (--from)")
        states = [model.initial_state]
    parsed = []
    for state in states:
        if isinstance(state, str):
            parsed.append(parse_state(state, model.players, model.strategies))
        else:
            parsed.append(check_state(state, model.shape, model.players, what="initial state"))
    vary_values: tuple[float, ...] = ()
    if vary is not None:
        name, vary_values = vary[0], tuple(float(v) for v in vary[1])
        if not vary_values:
            raise ParameterError(f"--vary {name}: give at least one value")
        model.parameter(name).check(np.array(vary_values))
        if name in values:
            raise ParameterError(f"--vary {name}: {name} is also set with --set; give it in one place")
        if name in schedule.pieces:
            raise ParameterError(f"--vary {name}: {name} also has a --schedule; vary another parameter")
        vary = (name, vary_values)
    n_values = max(len(vary_values), 1)
    rows = [(s, v) for s in range(len(parsed)) for v in range(n_values)]
    point = dict(values)
    if vary is not None:
        point[vary[0]] = np.array([vary_values[v] for _, v in rows])
    initial = [np.stack([parsed[s][i] for s, _ in rows]) for i in range(model.n_players)]
    payoffs = schedule.games(model, point, t_max=t_max) if schedule else model.game(point)
    times = _output_times(t_max, n_eval, schedule.switch_times(t_max))
    result = integrate_batch(payoffs, initial, t_max, t_eval=times, **options)
    return Simulation(model, values, parsed, vary, schedule, rows, result)
