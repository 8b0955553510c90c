"""Trajectories of the replicator dynamics from a given initial state.

One trajectory is integrated with :func:`scipy.integrate.solve_ivp` in
*log-share* coordinates :math:`z_{i,s} = \\log x_{i,s}`, in which the
replicator dynamics read

.. math:: \\dot z_{i,s} = u_i(s, x_{-i}) - \bar u_i(x), \\qquad x_i = \\operatorname{softmax}(z_i).

The right-hand side is bounded by the payoff differences, so the system is
not stiff even when shares fall towards zero at rates of hundreds per unit
time, the state can never leave the product of simplices, and a share can
never change sign (in ambient coordinates, a share that rounds below zero
can grow without bound and send the integrator to the wrong vertex).
Strategies with zero initial share stay at zero (faces are invariant) and
are left out of the integration.  The end of the trajectory is described
honestly:

- ``"vertex"``: converged to a pure profile (every share within ``vertex_tol`` of 0 or 1);
- ``"rest point"``: the field vanished (within ``ftol``) at a mixed state;
- ``"not converged"``: still moving at ``t_max`` (for example cycling
  around a centre); the final state is reported, never a guessed limit.

Examples
--------
>>> from tripartite import load_model
>>> model = load_model("baseline")
>>> traj = trajectory(model.game(), model.initial_state)
>>> traj.outcome, traj.profile
('vertex', {'government': 'passive', 'platform': 'shirk', 'worker': 'lapse'})
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy.integrate import solve_ivp

from ..equilibria.pure import pure_equilibria
from ..errors import TripartiteError
from ..game import Game, strategy_payoffs
from .replicator import join_state, replicator_field, split_state

__all__ = ["Trajectory", "trajectory", "check_state"]


@dataclass(frozen=True, eq=False)
class Trajectory:
    """A solved trajectory and where it ends.

    Attributes
    ----------
    times : ndarray, shape (T,)
    states : ndarray, shape (T, S)
        Flat states (players' shares concatenated).
    outcome : str
        ``"vertex"``, ``"rest point"`` or ``"not converged"``.
    profile : dict or None
        Player -> strategy of the vertex reached, when ``outcome == "vertex"``.
    final : list of ndarray
        The final state, per player.
    residual : float
        Largest component of the vector field at the final state.
    method : str
    rtol, atol : float
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

    def shares(self, player: int | str) -> np.ndarray:
        """Time path of one player's strategy shares, shape ``(T, s_i)``."""
        i = self.game.players.index(player) if isinstance(player, str) else player
        return split_state(self.states, self.game.shape)[i]

    def _repr_html_(self) -> str:
        from ..display import html_table, number

        rows = [
            [
                player,
                ", ".join(f"{s} {number(v)}" for s, v in zip(names, x0)),
                ", ".join(f"{s} {number(v)}" for s, v in zip(names, x1)),
            ]
            for player, names, x0, x1 in zip(
                self.game.players,
                self.game.strategies,
                split_state(self.states[0], self.game.shape),
                self.final,
            )
        ]
        end = ", ".join(self.profile.values()) if self.outcome == "vertex" else self.outcome
        caption = f"{self.game.name}: trajectory to t = {self.times[-1]:g}, outcome: {end}"
        return html_table(["player", "initial shares", "final shares"], rows, caption)

    def __repr__(self) -> str:
        where = self.profile if self.outcome == "vertex" else self.outcome
        return f"<Trajectory of {self.game.name!r} to t={self.times[-1]:g}: {where}>"


def check_state(game: Game, state: Sequence[Sequence[float]]) -> list[np.ndarray]:
    """Validate an initial state: one probability vector per player."""
    if len(state) != game.n_players:
        raise TripartiteError(f"the state needs one probability vector per player ({game.n_players})")
    out = []
    for player, names, x in zip(game.players, game.strategies, state):
        x = np.asarray(x, dtype=float)
        if x.shape != (len(names),):
            raise TripartiteError(f"state of {player!r} needs {len(names)} shares, one per strategy")
        if np.any(x < 0) or abs(x.sum() - 1) > 1e-9 or not np.all(np.isfinite(x)):
            raise TripartiteError(f"state of {player!r} must be non-negative shares summing to 1")
        out.append(x)
    return out


def _to_shares(z: np.ndarray, support: list[np.ndarray], shape: Sequence[int]) -> np.ndarray:
    """Flat shares from stacked log-shares of the supported strategies (``z`` is (..., K))."""
    parts, start = [], 0
    for sup, m in zip(support, shape):
        k = int(sup.sum())
        block = z[..., start : start + k]
        block = np.exp(block - block.max(axis=-1, keepdims=True))
        block /= block.sum(axis=-1, keepdims=True)
        full = np.zeros((*z.shape[:-1], m))
        full[..., sup] = block
        parts.append(full)
        start += k
    return join_state(parts)


def trajectory(
    game: Game,
    initial: Sequence[Sequence[float]],
    t_max: float = 20.0,
    *,
    point: int = 0,
    n_eval: int = 201,
    method: str = "DOP853",
    rtol: float = 1e-7,
    atol: float = 1e-9,
    vertex_tol: float = 1e-6,
    ftol: float = 1e-7,
    stop_at_stable_vertex: bool = True,
) -> Trajectory:
    """Integrate the replicator dynamics from ``initial`` up to ``t_max``.

    Parameters
    ----------
    game : Game
    initial : list of probability vectors, one per player
    t_max : float
        Time horizon.
    point : int
        Which parameter point of a batched game to use.
    n_eval : int
        Number of output times (evenly spaced).
    method, rtol, atol : passed to :func:`scipy.integrate.solve_ivp`
    vertex_tol : float
        A final state with every share within this of 0 or 1 counts as a vertex.
    ftol : float
        A final state whose field is below this counts as a rest point.
    stop_at_stable_vertex : bool
        Stop as soon as the state is within ``vertex_tol`` of a strict
        equilibrium (an asymptotically stable vertex), which it then cannot leave.
    """
    if t_max <= 0:
        raise TripartiteError("t_max must be positive")
    x0 = check_state(game, initial)
    payoffs = game.payoffs[point : point + 1]
    shape = game.shape
    support = [x > 0 for x in x0]
    z0 = np.concatenate([np.log(x[sup]) for x, sup in zip(x0, support)])

    def field(flat: np.ndarray) -> np.ndarray:
        return join_state(replicator_field(payoffs, [x[None, :] for x in split_state(flat, shape)]))[0]

    def rhs(_t, z):
        xs = [x[None, :] for x in split_state(_to_shares(z, support, shape), shape)]
        out = []
        for i, sup in enumerate(support):
            v = strategy_payoffs(payoffs, xs, i)[0]
            out.append(v[sup] - v @ xs[i][0])
        return np.concatenate(out)

    strict = pure_equilibria(Game(game.players, game.strategies, payoffs)).strict[0]

    def reached_stable_vertex(_t, z):
        # positive once every share is within vertex_tol of a strict equilibrium,
        # inside whose basin the flow converges to it: integrating on adds nothing
        xs = split_state(_to_shares(z, support, shape), shape)
        closeness = min(float(x.max()) for x in xs) - (1.0 - vertex_tol / 2)
        corner = tuple(int(np.argmax(x)) for x in xs)
        return closeness if strict[corner] else -1.0

    reached_stable_vertex.terminal = True
    reached_stable_vertex.direction = 1.0
    sol = solve_ivp(
        rhs,
        (0.0, t_max),
        z0,
        method=method,
        rtol=rtol,
        atol=atol,
        t_eval=np.linspace(0.0, t_max, n_eval),
        events=reached_stable_vertex if stop_at_stable_vertex else None,
    )
    if not sol.success:
        raise TripartiteError(f"the integrator failed: {sol.message}")
    times, z = sol.t, sol.y.T
    if sol.status == 1:  # stopped at a stable vertex: record the stopping point
        times = np.append(times, sol.t_events[0][-1])
        z = np.vstack([z, sol.y_events[0][-1]])
    states = _to_shares(z, support, shape)
    final = split_state(states[-1], shape)
    residual = float(np.max(np.abs(field(states[-1]))))
    at_vertex = all(np.all((x < vertex_tol) | (x > 1 - vertex_tol)) for x in final)
    if at_vertex:
        outcome = "vertex"
        profile = game.profile_names([int(np.argmax(x)) for x in final])
    elif residual < ftol:
        outcome, profile = "rest point", None
    else:
        outcome, profile = "not converged", None
    return Trajectory(
        game,
        times,
        states,
        outcome,
        profile,
        final,
        residual,
        f"scipy.integrate.solve_ivp ({method}) in log-share coordinates",
        rtol,
        atol,
    )
