"""The one replicator integrator: many trajectories at once, each with its own adaptive steps.

Every trajectory of the package is integrated here: one
(:func:`~tripartite.dynamics.paths.trajectory`, ``solve``'s status quo),
a cloud of initial states (:func:`~tripartite.dynamics.basins.basins`), or one
state at many parameter points (``sweep --trajectories``, escapes).  The
trajectories of a batch are integrated together as *one* system with numpy,
each with its own step size and error control, so the same initial state at
the same point gets the same steps and the same outcome word whatever else
is in the batch and whether or not its path is recorded.

**Coordinates.**  The state is written in log-shares
:math:`z_{i,s} = \\log x_{i,s}`, where the replicator dynamics read

.. math:: \\dot z_{i,s} = u_i(s, x_{-i}) - \\bar u_i(x), \\qquad x_i = \\operatorname{softmax}(z_i).

The right-hand side is bounded by the payoff differences, so the system is
not stiff even when shares fall towards zero at rates of hundreds per unit
time, shares can never round below zero (in ambient coordinates a share that
rounds below zero can grow without bound and send the integrator to the
wrong vertex), and faces of the product of simplices are invariant: a
strategy with zero initial share is masked out and stays at exactly zero.

**Integrator.**  The Dormand-Prince 5(4) embedded Runge-Kutta pair (first
same as last), with the usual per-trajectory step control: the error
estimate :math:`e = h \\sum_k (b_k - b^*_k) k_k` is measured in the norm
:math:`\\lVert e / (\\mathrm{atol} + \\mathrm{rtol} \\max(|z|, |z_{new}|)) \\rVert_{\\mathrm{rms}}`
over the supported components, a step is accepted when that norm is at most
1, and the next step is :math:`h \\cdot \\mathrm{clip}(0.9\\, \\mathrm{err}^{-1/5}, 0.2, 10)`.
Recorded paths (``n_eval`` output times) come from the pair's continuous
extension of order 4 (the dense output of Hairer, Norsett & Wanner II.6, as
in :class:`scipy.integrate.RK45`), so recording never changes the steps.
Finished trajectories leave the working set, so the cost follows the
trajectories still running.

**Outcomes** (:data:`OUTCOMES`), decided honestly:

- ``"vertex"``: the state is within ``vertex_tol`` of a pure profile, or the
  trajectory is *certified* to converge to one: with :math:`v` the vertex,
  :math:`g_{i,t} = u_i(t, v_{-i}) - u_i(v)` the deviation gains
  (:func:`tripartite.game.vertex_gains`) and
  :math:`E_{i,t} = \\max_{s_{-i}} [u_i(t, s_{-i}) - u_i(v_i, s_{-i})] - g_{i,t}`,
  the advantage of any minority strategy satisfies
  :math:`u_i(t, x_{-i}) - u_i(v_i, x_{-i}) \\le g_{i,t} + E_{i,t}(1 - \\prod_{j \\ne i} x_{j,v_j})`.
  If this bound is negative for every player and every supported
  alternative, every minority share ratio :math:`x_{i,t} / x_{i,v_i}` is
  decreasing, so the set where each :math:`x_{j,v_j}` is at least its
  current value is forward invariant and the trajectory converges to
  :math:`v` (the bound only improves inside it).  The certificate is checked
  at every accepted step near a vertex (``stop_early`` then ends the
  trajectory there); uncertified vertex outcomes (reached at ``t_max`` only,
  e.g. at a non-strict vertex) have ``certified == False``.  The bound
  uses multilinear payoffs: for a game whose payoffs depend on the state
  (:class:`tripartite.game.StatePayoffs`) no trajectory is certified, and
  ``"vertex"`` means within ``vertex_tol`` of a pure profile at the end.
- ``"rest point"``: at ``t_max`` the ambient field
  :math:`\\max_{i,s} |x_{i,s}(u_i(s, x_{-i}) - \\bar u_i)|` is below ``ftol``
  times the payoff scale (:func:`tripartite.game.payoff_scale`, as every
  tolerance on payoffs) at a state that is not a vertex.
- ``"cycling"``: still moving at ``t_max``, and *recurrent*: with
  :math:`x_r` the state at ``cycle_start * t_max`` and :math:`D` the
  largest distance from :math:`x_r` reached since (Euclidean norm over all
  shares), the trajectory moved more than :math:`D/2` away and then came
  back within ``cycle_tol`` :math:`\\cdot D` of :math:`x_r` (closest point of
  each step's chord) at least ``min_returns`` times.  The test is relative
  to the orbit's own size, so small and large orbits are treated alike.  It
  detects closed orbits (centres) and also slow spirals and heteroclinic
  cycles whose drift per loop is below ``cycle_tol`` :math:`\\cdot D`: it
  says the state keeps returning, not that the orbit is exactly closed.
  With ``stop_cycling`` a trajectory stops at its ``min_returns``-th
  return, labelled ``"cycling"`` then (for callers that need the word only).
- ``"not converged"``: none of the above within the horizon (or the
  per-trajectory step budget ``max_steps`` ran out, in which case
  ``t_final < t_max``).  The final state is reported; no limit is guessed.

The default horizon is :data:`tripartite.dynamics.DEFAULT_T_MAX` everywhere.

**Batches.**  ``integrate_batch`` works on every row: payoffs of shape
``(batch, N, ...)`` or a batch of one shared by all rows, and initial states
of ``batch`` rows or one row shared by all.  Functions that answer for one
point (:func:`~tripartite.dynamics.paths.trajectory`, basins, push
thresholds, the QRE branch) refuse a game with more than one point unless
``point=`` says which (see :mod:`tripartite.dynamics._shared`);
:meth:`BatchTrajectories.trajectory` gives one row as a
:class:`~tripartite.dynamics.paths.Trajectory`.

Examples
--------
>>> import numpy as np
>>> from tripartite import load_model
>>> game = load_model("baseline").game()
>>> x0 = [np.array([[0.3, 0.7], [0.9, 0.1]]), np.array([0.2, 0.8]), np.array([0.3, 0.7])]
>>> res = integrate_batch(game.payoffs, x0, t_max=50.0)
>>> res.labels().tolist(), res.vertex.tolist()
(['vertex', 'vertex'], [[1, 1, 1], [1, 1, 1]])
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from ..errors import TripartiteError
from ..game import (
    Game,
    StatePayoffs,
    check_state,
    payoff_scale,
    payoff_vectors,
    shares_from_log,
    vertex_gains,
)
from . import DEFAULT_T_MAX
from .schedules import GameSchedule

__all__ = [
    "OUTCOMES",
    "VERTEX",
    "REST_POINT",
    "CYCLING",
    "NOT_CONVERGED",
    "BatchTrajectories",
    "integrate_batch",
]

#: Labels of the outcome codes, in code order.
OUTCOMES = ("vertex", "rest point", "cycling", "not converged")
VERTEX, REST_POINT, CYCLING, NOT_CONVERGED = 0, 1, 2, 3

METHOD = "vectorised Dormand-Prince 5(4) in log-share coordinates, per-trajectory adaptive steps"

#: Default tolerances of every trajectory (step control on log-shares; vertex and rest-point tests).
RTOL, ATOL, VERTEX_TOL, FTOL = 1e-6, 1e-8, 1e-4, 1e-7

# Dormand-Prince 5(4) tableau (Dormand & Prince 1980; Hairer, Norsett & Wanner, table II.5.2)
_A = [
    [],
    [1 / 5],
    [3 / 40, 9 / 40],
    [44 / 45, -56 / 15, 32 / 9],
    [19372 / 6561, -25360 / 2187, 64448 / 6561, -212 / 729],
    [9017 / 3168, -355 / 33, 46732 / 5247, 49 / 176, -5103 / 18656],
    [35 / 384, 0.0, 500 / 1113, 125 / 192, -2187 / 6784, 11 / 84],
]
_E = np.array(
    [71 / 57600, 0.0, -71 / 16695, 71 / 1920, -17253 / 339200, 22 / 525, -1 / 40]
)  # b - b*, the 5th-order minus the embedded 4th-order weights
_A_ROWS = [np.array(row + [0.0] * (7 - len(row))) for row in _A]
_A_HEADS = [row[:st] for st, row in enumerate(_A_ROWS)]  # stage st's weights of the stages before it
# Continuous extension: z(t + theta h) = z + h sum_k k_k (P[k] . [theta, theta^2, theta^3, theta^4])
# (Dormand & Prince 1986 / Shampine 1986, the coefficients of scipy's RK45)
_P = np.array(
    [
        [1, -8048581381 / 2820520608, 8663915743 / 2820520608, -12715105075 / 11282082432],
        [0, 0, 0, 0],
        [0, 131558114200 / 32700410799, -68118460800 / 10900136933, 87487479700 / 32700410799],
        [0, -1754552775 / 470086768, 14199869525 / 1410260304, -10690763975 / 1880347072],
        [0, 127303824393 / 49829197408, -318862633887 / 49829197408, 701980252875 / 199316789632],
        [0, -282668133 / 205662961, 2019193451 / 616988883, -1453857185 / 822651844],
        [0, 40617522 / 29380423, -110615467 / 29380423, 69997945 / 29380423],
    ]
)


@dataclass(frozen=True, eq=False)
class BatchTrajectories:
    """Where each trajectory of a batch ends, and how it was computed.

    Attributes
    ----------
    final : list of ndarray
        Final state per player, arrays of shape ``(batch, s_i)`` (the state at
        ``t_final``; for certified vertices the limit is the vertex itself).
    outcome : ndarray of int8, shape (batch,)
        Index into :data:`OUTCOMES`.
    vertex : ndarray of int, shape (batch, N)
        Strategy index of each player at the vertex reached; ``-1`` on rows
        whose outcome is not ``"vertex"``.
    certified : ndarray of bool, shape (batch,)
        Vertex outcomes proven to converge (see the module docstring).
    t_final : ndarray, shape (batch,)
        Time at which integration stopped (``t_max`` unless stopped early).
    residual : ndarray, shape (batch,)
        Largest component of the ambient replicator field at the final state.
    returns : ndarray of int, shape (batch,)
        Number of recurrences detected (see ``"cycling"``).
    steps, rejected : ndarray of int, shape (batch,)
        Accepted and rejected steps per trajectory.
    times : ndarray or None, shape (T,)
        Output times when paths were recorded (``n_eval``).
    paths : list of ndarray or None
        Per player, shares at ``times``: shape ``(batch, T, s_i)`` (``nan``
        after ``t_final`` for a trajectory stopped early).
    t_max, rtol, atol, vertex_tol, ftol, cycle_tol : float
    method : str
    game : Game or None
        The game, when one was passed (gives names to profiles).
    initial : list of ndarray or None
        Initial state per player, shape ``(batch, s_i)`` (renormalised).
    n_points : int
        Number of parameter points of the payoffs (1: shared by every row).
    schedule : GameSchedule or None
        The games in time when the payoffs followed a schedule
        (:mod:`tripartite.dynamics.schedules`); ``game`` is then the last
        piece's game, which decides the outcome.
    """

    final: list[np.ndarray]
    outcome: np.ndarray
    vertex: np.ndarray
    certified: np.ndarray
    t_final: np.ndarray
    residual: np.ndarray
    returns: np.ndarray
    steps: np.ndarray
    rejected: np.ndarray
    times: np.ndarray | None
    paths: list[np.ndarray] | None
    t_max: float
    rtol: float
    atol: float
    vertex_tol: float
    ftol: float
    cycle_tol: float
    method: str = METHOD
    game: Game | None = None
    initial: list[np.ndarray] | None = None
    n_points: int = 1
    _payoffs: np.ndarray | None = field(default=None, repr=False)
    schedule: GameSchedule | None = None

    def __len__(self) -> int:
        return self.outcome.shape[0]

    def labels(self) -> np.ndarray:
        """Outcome labels as an array of strings."""
        return np.asarray(OUTCOMES, dtype=object)[self.outcome]

    def counts(self) -> dict[str, int]:
        """Number of trajectories with each outcome."""
        found = np.bincount(self.outcome, minlength=len(OUTCOMES))
        return {label: int(n) for label, n in zip(OUTCOMES, found)}

    def profile(self, b: int) -> tuple[int, ...] | None:
        """The vertex reached by trajectory ``b`` (strategy indices), or ``None``."""
        if self.outcome[b] != VERTEX:
            return None
        return tuple(int(k) for k in self.vertex[b])

    def state(self, b: int) -> list[np.ndarray]:
        """Final state of trajectory ``b``, one probability vector per player."""
        return [x[b] for x in self.final]

    def trajectory(self, b: int, *, point: int | None = None):
        """Row ``b`` as a :class:`~tripartite.dynamics.paths.Trajectory` (one result family).

        Its path is the recorded one (``n_eval``), up to ``t_final``; without
        recorded paths it holds the initial and the final state only.
        ``point`` overrides the recorded parameter point (default: ``b`` when
        the payoffs have one point per row, else 0).

        Examples
        --------
        >>> import numpy as np
        >>> pennies = np.array([[[[1, -1], [-1, 1]], [[-1, 1], [1, -1]]]], dtype=float)
        >>> res = integrate_batch(pennies, [np.array([0.8, 0.2]), np.array([0.5, 0.5])], t_max=60)
        >>> res.trajectory(0).outcome
        'cycling'
        """
        from .paths import _from_batch

        if not -len(self) <= b < len(self):
            raise TripartiteError(f"trajectory {b} is out of range for a batch of {len(self)}")
        b = int(b) % len(self)
        if point is None:
            point = b if self.n_points > 1 else 0
        return _from_batch(self, b, point)

    def _repr_html_(self) -> str:
        from ..display import html_table

        n = max(len(self), 1)
        rows = [[label, count, f"{100 * count / n:.1f}%"] for label, count in self.counts().items()]
        caption = f"{len(self)} replicator trajectories to t = {self.t_max:g}: outcomes"
        out = html_table(["outcome", "trajectories", "share"], rows, caption)
        at_vertex = self.outcome == VERTEX
        if at_vertex.any():
            found, inverse, counts = np.unique(
                self.vertex[at_vertex], axis=0, return_inverse=True, return_counts=True
            )
            certified = np.bincount(inverse.ravel(), weights=self.certified[at_vertex], minlength=len(found))
            vertex_rows = [
                [self._vertex_text(row), int(c), int(k)] for row, c, k in zip(found, counts, certified)
            ]
            out += html_table(["vertex reached", "trajectories", "certified"], vertex_rows)
        return out

    def _vertex_text(self, row: np.ndarray) -> str:
        profile = tuple(int(k) for k in row)
        if self.game is None:
            return str(profile)
        return ", ".join(self.game.profile_names(profile).values())

    def __repr__(self) -> str:
        counts = ", ".join(f"{k}: {v}" for k, v in self.counts().items() if v)
        return f"<BatchTrajectories of {len(self)} to t={self.t_max:g}: {counts}>"


# --- input handling ------------------------------------------------------------------------------


def _payoff_array(payoffs: np.ndarray | StatePayoffs | Game) -> tuple[np.ndarray | StatePayoffs, Game | None]:
    game = payoffs if isinstance(payoffs, Game) else None
    table = game.payoffs if game is not None else payoffs
    if isinstance(table, StatePayoffs):
        return table, game
    arr = np.asarray(game.payoffs if game is not None else payoffs, dtype=float)
    if arr.ndim < 4 or arr.shape[1] != arr.ndim - 2:
        raise TripartiteError(
            f"payoffs must have shape (batch, N, s_1, ..., s_N) with N >= 2, got {arr.shape}"
        )
    if not np.all(np.isfinite(arr)):
        raise TripartiteError("payoffs must be finite numbers")
    return arr, game


def _initial_states(initial: Sequence, shape: tuple[int, ...], game: Game | None) -> list[np.ndarray]:
    """The initial states as ``(rows, s_i)`` arrays, validated by the kernel's one rule."""
    players = game.players if game is not None else None
    return [np.atleast_2d(x) for x in check_state(initial, shape, players, batched=True)]


def _batch_size(sizes: Sequence[int]) -> int:
    batch = max(sizes)
    if any(n not in (1, batch) for n in sizes):
        raise TripartiteError(
            f"batch sizes {sorted(set(sizes))} do not broadcast: give 1 or {batch} rows everywhere"
        )
    return batch


# --- the right-hand side ----------------------------------------------------------------------------


class _Field:
    """The log-share replicator field on strategy-major flat states.

    States are stored transposed, shape ``(S, B)`` with ``S = sum(s_i)`` rows
    (one per strategy) and one column per trajectory, so that every
    per-player operation is arithmetic on contiguous rows.

    :meth:`payoffs` is the integrator's specialised form of the kernel's
    :func:`tripartite.game.payoff_vectors` (a test checks they are equal):
    for player ``i`` the products of the other players' shares form ``W_i``
    (one row per profile of the others) and the strategy payoffs are
    ``M_i @ W_i`` for a shared payoff array, or ``sum_k U_i[a, k, b] W_i[k, b]``
    when every trajectory has its own payoffs.  On this layout it is about 5x
    faster than the kernel for shared payoffs (one matrix product per
    player instead of a chain of batched contractions).  When the payoffs
    depend on the state (a :class:`~tripartite.game.StatePayoffs`) there is
    no fixed matrix: the kernel evaluates the table at every trajectory's
    state and contracts it (:func:`tripartite.game.payoff_vectors`).

    With equal blocks of at most 7 strategies (``rows``) the per-block maxima and
    sums are gathers of rows and elementwise operations on ``(S, B)`` arrays,
    and with per-trajectory payoffs the contraction is one product summed over
    the profiles' axis: the same numbers in the same order as the reductions
    (bitwise, ``tests/dynamics/test_batch_identical.py``), with a fraction of
    numpy's per-call overhead.
    """

    def __init__(self, payoffs: np.ndarray | StatePayoffs, shape: tuple[int, ...]):
        self.n = len(shape)
        self.shape = shape
        self.shared = payoffs.shape[0] == 1
        offsets = np.concatenate([[0], np.cumsum(shape)]).astype(int)
        self.cuts = [slice(int(offsets[i]), int(offsets[i + 1])) for i in range(self.n)]
        self.size = int(offsets[-1])
        # every player with the same number of strategies: per-player sums as one reduction
        # over a (N, s, B) view (the same softmax and means, fewer numpy calls per stage)
        self.blocks = (self.n, shape[0]) if len(set(shape)) == 1 else None
        self.table = payoffs if isinstance(payoffs, StatePayoffs) else None
        self._mask: np.ndarray | None = None
        self._support: np.ndarray | None = None
        self._full = False
        self.bound_table = self.table
        self.mats = []
        # equal blocks of at most 7 strategies: per-block maxima and sums as gathers of rows and
        # elementwise operations on (S, B) arrays, no reductions or broadcasts (each costs about
        # five elementwise operations on these sizes); numpy sums up to 7 terms in order
        # (0 + y_0 + y_1 + ...), so the sums are the same numbers
        self.rows = self.blocks is not None and self.blocks[1] <= 7
        if self.rows:
            n, m = self.blocks
            r = np.arange(self.size)
            first, own = r - r % m, r % m
            self._members = [first + k for k in range(m)]  # row r's block, in order
            self._rotations = [first + (own + k) % m for k in range(1, m)]  # the others
        if self.table is not None:
            self.bound = []
            return
        for i in range(self.n):
            u = np.moveaxis(payoffs[:, i], 1 + i, 1).reshape(payoffs.shape[0], shape[i], -1)
            # shared: (s_i, K_i); per trajectory: (s_i, K_i, Bp)
            self.mats.append(np.ascontiguousarray(u[0] if self.shared else np.moveaxis(u, 0, -1)))
        self.bound: list[np.ndarray] = self.mats
        if self.rows:
            # equal blocks: every player's contraction in one call on stacked matrices,
            # shared (N, s, K) or per trajectory (N, s, K, B)
            n, s = self.blocks
            others = [[j for j in range(n) if j != i] for i in range(n)]
            self.stack = np.ascontiguousarray(np.stack(self.mats))
            self.bound_stack = self.stack
            # W_i[k] = prod_p x[o_p, d_p(k)] (profiles k of the others in C order), for all
            # players as the rows of one (N K, B) array: one gather per other player
            k_all = s ** (n - 1)
            digits = np.array(list(np.ndindex(*(s,) * (n - 1))), dtype=np.intp).reshape(k_all, n - 1)
            self._profiles = [
                np.array([others[i][p] * s + digits[k, p] for i in range(n) for k in range(k_all)])
                for p in range(n - 1)
            ]
            # per trajectory: the same W_i repeated on the rows of player i's strategies,
            # (K, S, B) in profile-major order, against the payoffs in the same order
            self._profile_rows = [np.repeat(g.reshape(n, k_all).T, s, axis=1).ravel() for g in self._profiles]
            self._k = k_all
            if not self.shared:
                self.stack_rows = self._rows_layout(self.stack)
                self.bound_rows = self.stack_rows

    def _rows_layout(self, stack: np.ndarray) -> np.ndarray:
        """Per-trajectory payoffs ``(N, s, K, B)`` as ``(K, S, B)`` (contiguous)."""
        n, s, k, b = stack.shape
        return np.ascontiguousarray(np.moveaxis(stack, 2, 0)).reshape(k, n * s, b)

    def bind(self, rows: np.ndarray | None) -> None:
        """Select the payoff columns of the current working set (per-trajectory payoffs)."""
        if self.shared:
            return
        if self.table is not None:
            self.bound_table = self.table.take(rows)
        else:
            self.bound = [np.ascontiguousarray(m[:, :, rows]) for m in self.mats]
            if self.rows:
                self.bound_stack = np.ascontiguousarray(self.stack[..., rows])
                self.bound_rows = np.ascontiguousarray(self.stack_rows[..., rows])

    def shares(self, z: np.ndarray, mask: np.ndarray) -> np.ndarray:
        """Shares from log-shares (the kernel's softmax, on the strategy axis 0).

        With equal blocks, the same softmax (:func:`tripartite.game.shares_from_log`: the
        largest log-share of each block subtracted, masked strategies at 0) on the
        ``(N, s, B)`` view, in one pass (a test checks they are equal).
        """
        if self.blocks is None:
            return shares_from_log(z, self.shape, axis=0, mask=mask)
        if mask is not self._mask:  # the support of the working set, kept until the mask changes
            self._mask, self._support = mask, mask > 0
            self._full = bool(self._support.all())
        if self.rows:
            e = z if self._full else np.where(self._support, z, -np.inf)
            e = e - self._block_max(e)
            np.exp(e, out=e)
            e /= self._block_sums(e)
            return e
        # every strategy supported (the usual case): no -inf to place, the same numbers
        e = (
            z.reshape(*self.blocks, -1)
            if self._full
            else np.where(self._support, z, -np.inf).reshape(*self.blocks, -1)
        )
        e = e - np.maximum.reduce(e, axis=1, keepdims=True)
        np.exp(e, out=e)
        e /= np.add.reduce(e, axis=1, keepdims=True)
        return e.reshape(z.shape)

    def payoffs(self, x: np.ndarray) -> np.ndarray:
        """Strategy payoffs ``u_i(s, x_-i)``, shape ``(S, B)``."""
        if self.table is not None:
            vs = payoff_vectors(self.bound_table, [x[c].T for c in self.cuts])
            return np.ascontiguousarray(np.concatenate(vs, axis=1).T)
        if self.rows:
            return self._rows_payoffs(x)
        out = np.empty_like(x)
        b = x.shape[1]
        for i, c in enumerate(self.cuts):
            w = None
            for j, cj in enumerate(self.cuts):
                if j != i:
                    w = x[cj] if w is None else (w[:, None, :] * x[cj][None, :, :]).reshape(-1, b)
            m = self.bound[i]
            out[c] = m @ w if self.shared else np.einsum("akb,kb->ab", m, w)
        return out

    def _block_max(self, y: np.ndarray) -> np.ndarray:
        """Each row's block maximum (the same number in any order), shape ``(S, B)``."""
        top = np.maximum(y, y.take(self._rotations[0], axis=0))
        for rows in self._rotations[1:]:
            np.maximum(top, y.take(rows, axis=0), out=top)
        return top

    def _block_sums(self, y: np.ndarray) -> np.ndarray:
        """Each row's block sum ``y_0 + y_1 + ...`` in that order, shape ``(S, B)``.

        numpy's sum over the block's axis is ``0 + y_0 + y_1 + ...`` for up to 7 terms; the
        leading zero can change only the sign of a zero sum (shares sum to at least 1; a zero
        mean payoff is subtracted from payoffs, whose sums never give -0 either, and no
        result depends on the sign of a zero: ``tests/dynamics/test_batch_identical.py``).
        """
        if len(self._members) == 2:  # y_0 + y_1 on both rows (addition commutes)
            return y + y.take(self._rotations[0], axis=0)
        total = y.take(self._members[0], axis=0)
        for rows in self._members[1:]:
            total += y.take(rows, axis=0)
        return total

    def _rows_payoffs(self, x: np.ndarray) -> np.ndarray:
        """:meth:`payoffs` for equal blocks of at most 7 strategies, shape ``(S, B)``."""
        n, s = self.blocks
        b = x.shape[1]
        if self.shared or b == 1:  # (einsum sums a single column in another order: kept)
            w = x.take(self._profiles[0], axis=0)
            for rows in self._profiles[1:]:
                w *= x.take(rows, axis=0)
            w = w.reshape(n, self._k, b)
            if self.shared:
                return np.matmul(self.bound_stack, w).reshape(x.shape)
            return np.einsum("iakb,ikb->iab", self.bound_stack, w).reshape(x.shape)
        w = x.take(self._profile_rows[0], axis=0)
        for rows in self._profile_rows[1:]:
            w *= x.take(rows, axis=0)
        w = w.reshape(self.bound_rows.shape)
        w *= self.bound_rows
        # over the leading axis: 0 + p_0 + p_1 + ..., einsum's order for more than one column
        return np.add.reduce(w, axis=0)

    def __call__(self, z: np.ndarray, mask: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """``(dz/dt, x)`` at log-shares ``z``."""
        x = self.shares(z, mask)
        if self.rows and self.table is None:
            v = self._rows_payoffs(x)
            v -= self._block_sums(x * v)
            v *= mask
            return v, x
        v = self.payoffs(x)
        xv = x * v
        if self.blocks is not None:
            means = xv.reshape(*self.blocks, -1).sum(axis=1, keepdims=True)
            v = (v.reshape(*self.blocks, -1) - means).reshape(x.shape)
        else:
            for c in self.cuts:
                v[c] -= xv[c].sum(axis=0)
        v *= mask
        return v, x

    def mean_payoffs(self, x: np.ndarray, v: np.ndarray) -> np.ndarray:
        """Per-strategy rows holding the owner's mean payoff."""
        out = np.empty_like(x)
        xv = x * v
        for c in self.cuts:
            out[c] = xv[c].sum(axis=0)
        return out

    def normalise(self, z: np.ndarray, x: np.ndarray) -> np.ndarray:
        """Fix the gauge: log-shares whose exponentials sum to one per player.

        ``x`` are the shares of ``z``; each player's log-normaliser is read off
        its largest share, :math:`\\log \\sum_t e^{z_t} = z_s - \\log x_s`, which
        cannot underflow however small the other shares are.
        """
        out = z.copy()
        cols = np.arange(z.shape[1])
        for c in self.cuts:
            top = x[c].argmax(axis=0)
            out[c] -= z[c][top, cols] - np.log(x[c][top, cols])
        return out


def _split(a: np.ndarray, cuts: list[slice]) -> list[np.ndarray]:
    return [a[:, c] for c in cuts]


# --- the certificate of convergence to a vertex -------------------------------------------------------


def _vertex_bounds(payoffs: np.ndarray, shape: tuple[int, ...]) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """Deviation gains ``G[i]`` and excess bounds ``E[i]`` at every vertex, shape ``(Bp, V, s_i)``.

    ``G[i][b, v, t] = u_i(t, v_-i) - u_i(v)`` (the kernel's
    :func:`~tripartite.game.vertex_gains`, vertices in C order) and
    ``E[i][b, v, t] = max_{s_-i} [u_i(t, s_-i) - u_i(v_i, s_-i)] - G``, the
    maximum of the same gains over the other players' profiles; the entry
    ``t = v_i`` is set to ``-inf`` in ``G`` and 0 in ``E`` (no condition).
    """
    n = len(shape)
    bp = payoffs.shape[0]
    n_vertices = math.prod(shape)
    index = np.arange(n_vertices)
    vertices = np.array(list(np.ndindex(*shape)), dtype=np.intp).reshape(n_vertices, n)
    gains, excess = [], []
    for i, g in enumerate(vertex_gains(payoffs)):
        others = tuple(1 + j for j in range(n) if j != i)
        worst = g.max(axis=others, keepdims=True)  # max over s_-i, for each own v_i and t
        e = np.maximum(worst - g, 0.0).reshape(bp, n_vertices, shape[i])
        g = g.reshape(bp, n_vertices, shape[i]).copy()
        own = vertices[:, i]
        g[:, index, own] = -np.inf
        e[:, index, own] = 0.0
        gains.append(g)
        excess.append(e)
    return gains, excess


# --- the integrator ------------------------------------------------------------------------------------


def integrate_batch(
    payoffs: np.ndarray | Game | GameSchedule,
    initial: Sequence,
    t_max: float = DEFAULT_T_MAX,
    *,
    rtol: float = RTOL,
    atol: float = ATOL,
    vertex_tol: float = VERTEX_TOL,
    ftol: float = FTOL,
    stop_early: bool | None = None,
    n_eval: int | None = None,
    cycle_start: float = 0.5,
    cycle_tol: float = 0.02,
    min_returns: int = 2,
    max_steps: int = 20_000,
    first_step: float | None = None,
    t_eval: Sequence[float] | None = None,
    stop_cycling: bool = False,
) -> BatchTrajectories:
    """Integrate the replicator dynamics from many initial states (and/or points) at once.

    Parameters
    ----------
    payoffs : ndarray, shape (batch, N, s_1, ..., s_N), Game, or GameSchedule
        Payoffs per trajectory, or a batch of one shared by all trajectories;
        a :class:`~tripartite.dynamics.schedules.GameSchedule` for parameters
        that change in time (integrated piece by piece, each piece from where
        the previous one ended; the outcome is decided on the last piece).
    initial : list of N arrays, shape (batch, s_i) or (s_i,)
        Initial shares per player; a single row is broadcast over the batch.
        Checked by :func:`tripartite.game.check_state` (the one rule).
    t_max : float
        Time horizon (default :data:`tripartite.dynamics.DEFAULT_T_MAX`).
    rtol, atol : float
        Tolerances of the step control, on log-shares.
    vertex_tol : float
        A state with every share within this of 0 or 1 is at a vertex.
    ftol : float
        A non-vertex final state whose field is below this, times the payoff scale, is a rest point.
    stop_early : bool, optional
        Stop a trajectory once its convergence to a vertex is certified.
        Default: yes without ``n_eval``, no with it (recorded paths then run
        to ``t_max``; with ``stop_early=True`` they are ``nan`` after the stop).
        The outcome is the same either way.
    n_eval : int, optional
        Record the shares at ``n_eval`` evenly spaced times (paths), by the
        continuous extension of each step.
    cycle_start, cycle_tol, min_returns : the recurrence test for ``"cycling"`` (see above).
    max_steps : int
        Step budget per trajectory (accepted and rejected).
    first_step : float, optional
        Initial step; by default one that changes no log-share by more than 0.05.
    t_eval : sequence of float, optional
        Record the shares at these times instead (increasing, from 0 to at
        most ``t_max``); replaces ``n_eval``.
    stop_cycling : bool
        Also stop a trajectory once it has returned ``min_returns`` times
        (the recurrence test for ``"cycling"``), labelled ``"cycling"`` (unless
        its convergence to a vertex was certified first).  The label is then
        decided when the evidence is in, not at ``t_max``: an orbit that
        would come to rest, or end within ``vertex_tol`` of a vertex, later
        in the horizon is still called cycling (it kept returning).  For
        callers that only need the outcome word (``tripartite escape``);
        off by default, and ignored when paths are recorded.

    Returns
    -------
    BatchTrajectories

    Examples
    --------
    Matching pennies cycles around its centre:

    >>> import numpy as np
    >>> pennies = np.array([[[[1, -1], [-1, 1]], [[-1, 1], [1, -1]]]], dtype=float)
    >>> res = integrate_batch(pennies, [np.array([0.8, 0.2]), np.array([0.5, 0.5])], t_max=60)
    >>> res.labels().tolist()
    ['cycling']
    """
    if not (t_max > 0 and math.isfinite(t_max)):
        raise TripartiteError("t_max must be a positive number")
    for name, value in (("rtol", rtol), ("atol", atol), ("vertex_tol", vertex_tol), ("ftol", ftol)):
        if not value > 0:
            raise TripartiteError(f"{name} must be positive")
    options = dict(
        rtol=rtol,
        atol=atol,
        vertex_tol=vertex_tol,
        ftol=ftol,
        cycle_start=cycle_start,
        cycle_tol=cycle_tol,
        min_returns=min_returns,
        max_steps=max_steps,
        first_step=first_step,
    )
    times = _output_times(t_max, n_eval, t_eval)
    if isinstance(payoffs, GameSchedule):
        return _integrate_schedule(payoffs, initial, t_max, stop_early, times, options)
    arr, game = _payoff_array(payoffs)
    shape = tuple(arr.shape[2:])
    xs0 = _initial_states(initial, shape, game)
    batch = _batch_size([arr.shape[0], *(x.shape[0] for x in xs0)])
    record = times is not None
    stop_early = (not record) if stop_early is None else bool(stop_early)
    stop_cycling = bool(stop_cycling) and not record

    field = _Field(arr, shape)
    cuts, size = field.cuts, field.size
    static = not isinstance(arr, StatePayoffs)  # the certificate needs multilinear payoffs
    if static:
        gains, excess = _vertex_bounds(arr, shape)
        margin = 1e-12 * (float(np.max(arr) - np.min(arr)) or 1.0)

    # results, indexed by trajectory
    final = np.empty((size, batch))
    certified = np.zeros(batch, dtype=bool)
    t_final = np.zeros(batch)
    returns_out = np.zeros(batch, dtype=np.int64)
    steps_out = np.zeros(batch, dtype=np.int64)
    rejected_out = np.zeros(batch, dtype=np.int64)
    paths = np.full((batch, len(times), size), np.nan) if record else None
    n_out = len(times) if record else 0

    # the working set (strategy-major: one column per trajectory), compacted as trajectories finish
    initial_rows = [np.ascontiguousarray(np.broadcast_to(x0, (batch, x0.shape[1]))) for x0 in xs0]
    x = np.ascontiguousarray(np.concatenate(initial_rows, axis=1).T)
    mask = (x > 0).astype(float)
    z = np.where(mask > 0, np.log(np.where(mask > 0, x, 1.0)), 0.0)
    ids = np.arange(batch)
    payoff_rows = np.zeros(batch, dtype=np.intp) if field.shared else ids.copy()
    field.bind(payoff_rows)
    k1, x = field(z, mask)
    if first_step is None:
        h = 0.05 / np.maximum(np.abs(k1).max(axis=0), 1e-12)
    else:
        h = np.full(batch, float(first_step))
    h = np.minimum(h, t_max)
    t = np.zeros(batch)
    nsteps = np.zeros(batch, dtype=np.int64)
    nrej = np.zeros(batch, dtype=np.int64)
    done = np.zeros(batch, dtype=bool)
    is_cert = np.zeros(batch, dtype=bool)
    t_ref = cycle_start * t_max
    has_ref = np.zeros(batch, dtype=bool)
    ref = np.zeros((size, batch))
    away = np.zeros(batch, dtype=bool)
    dmax = np.zeros(batch)
    nret = np.zeros(batch, dtype=np.int64)
    next_out = np.zeros(batch, dtype=np.intp)
    if record:
        paths[:, 0] = x.T
        next_out[:] = 1
    n_supported = np.maximum(mask.sum(axis=0), 1.0)
    stages = np.empty((7, size, batch))
    iteration = 0
    t_hi = 0.0  # at least the largest time of the working set (skips tests no time can pass yet)
    blocks = field.blocks

    while len(ids):
        iteration += 1
        # --- one Dormand-Prince step attempt for every running trajectory ---
        h_try = np.minimum(h, t_max - t)
        h_try[done] = 0.0
        # the steps on every row, contiguous: the stage products are then plain elementwise ones
        h_rows = np.empty((size, len(h_try)))
        h_rows[...] = h_try
        stages[0] = k1
        flat = stages.reshape(7, -1)
        for st in range(1, 7):
            incr = (_A_HEADS[st] @ flat[:st]).reshape(size, -1)
            incr *= h_rows
            incr += z
            stages[st], x_st = field(incr, mask)
        z_new = incr  # the last stage sits at the 5th-order solution (first same as last)
        err = (_E @ flat).reshape(size, -1)
        err *= h_rows
        sc = np.maximum(np.abs(z), np.abs(z_new))
        sc *= rtol
        sc += atol
        err /= sc
        err *= mask
        err *= err
        enorm = np.sqrt(np.add.reduce(err, axis=0) / n_supported)
        # (a dot product is finite when every norm is, and no reduction's overhead; an overflow
        # of finite norms only runs the exact test below, which then changes nothing)
        if not math.isfinite(np.dot(enorm, enorm)):
            enorm[~np.isfinite(enorm)] = np.inf
        running = ~done
        accept = (enorm <= 1.0) & running
        reject = running & ~accept
        # clip(0.9 err^(-1/5), 0.2, 10), as minimum(maximum()): np.clip's Python layers cost more
        # than the arithmetic here; err >= 1e-10, so the power never divides by zero
        factor = np.minimum(np.maximum(0.9 * np.maximum(enorm, 1e-10) ** -0.2, 0.2), 10.0)
        np.minimum(factor, 1.0, out=factor, where=reject)
        h = np.where(done, h, h_try * factor)
        nsteps += accept
        nrej += reject

        n_accepted = np.count_nonzero(accept)  # (count_nonzero: no reduction machinery)
        if n_accepted:
            all_accepted = n_accepted == len(accept)
            x_prev, z_old, t_old = x, z, t
            if all_accepted:
                z, k1, x = z_new, stages[6].copy(), x_st
            else:
                z = np.where(accept, z_new, z)
                k1 = np.where(accept, stages[6], k1)
                x = np.where(accept, x_st, x)
            t = np.where(accept, t + h_try, t)
            t_hi = float(np.fmax.reduce(t))  # (fmax: a nan time never hides the others)
            if t_hi >= 0.5 * t_max:  # below, t_max - t > t_max / 2: no time to round up
                t[accept & (t_max - t <= 1e-12 * t_max)] = t_max
            if record:  # every output time this step passed, by the continuous extension, all at once
                passed = np.searchsorted(times, t + 1e-12 * t_max, side="right")
                count = np.where(accept, np.maximum(passed - next_out, 0), 0)
                if count.any():
                    sel = np.repeat(np.arange(len(ids)), count)  # one entry per (trajectory, output time)
                    first = np.repeat(next_out - np.cumsum(count) + count, count)
                    out = first + np.arange(len(sel))  # consecutive output indices per trajectory
                    theta = (times[out] - t_old[sel]) / h_try[sel]
                    powers = np.cumprod(np.tile(theta, (4, 1)), axis=0)  # (4, n): theta .. theta^4
                    weights = _P @ powers  # (7, n)
                    z_out = z_old[:, sel] + h_try[sel] * np.einsum("ksn,kn->sn", stages[:, :, sel], weights)
                    x_out = field.shares(z_out, mask[:, sel])
                    paths[ids[sel], out] = x_out.T
                    next_out += count
            if iteration % 16 == 0:
                z = field.normalise(z, x)

            # --- recurrence bookkeeping (for "cycling") ---
            if t_hi >= t_ref:  # (no reference state before t_ref)
                setting = accept & ~has_ref & (t >= t_ref)
                if np.count_nonzero(setting):
                    ref[:, setting] = x[:, setting]
                    has_ref |= setting
            tracking = accept & has_ref
            if np.count_nonzero(tracking):
                sel = np.flatnonzero(tracking)
                xs_, xp_, rf_ = x.take(sel, axis=1), x_prev.take(sel, axis=1), ref.take(sel, axis=1)
                seg = xs_ - xp_
                seg2 = np.add.reduce(seg * seg, axis=0)
                tau = np.add.reduce((rf_ - xp_) * seg, axis=0) / np.where(seg2 > 0, seg2, 1.0)
                tau = np.minimum(np.maximum(tau, 0.0), 1.0)  # clipped to the chord
                d_seg = np.sqrt(np.add.reduce((xp_ + tau * seg - rf_) ** 2, axis=0))
                d_now = np.sqrt(np.add.reduce((xs_ - rf_) ** 2, axis=0))
                reach = np.maximum(dmax.take(sel), d_now)
                away_sel = away.take(sel)
                back = away_sel & (d_seg < cycle_tol * reach)
                away[sel] = np.where(back, False, away_sel | ((d_now > 0.5 * reach) & (reach > 1e-9)))
                dmax[sel] = reach
                if np.count_nonzero(back):
                    nret[sel] += back
                    if stop_cycling:
                        done[sel[nret[sel] >= min_returns]] = True

            # --- certified convergence to a vertex (checked until certified, whether or not we stop) ---
            if static:
                high = x >= 1 - vertex_tol
                near = accept & ~is_cert
                if blocks is not None:  # some share of every player that high, as two reductions
                    near &= np.logical_and.reduce(
                        np.logical_or.reduce(high.reshape(*blocks, -1), axis=1), axis=0
                    )
                else:
                    for c in cuts:
                        near &= high[c].any(axis=0)
            if static and np.count_nonzero(near):
                sel = np.flatnonzero(near)
                ok = _certified(
                    x[:, sel].T, mask[:, sel].T, payoff_rows[sel], cuts, shape, gains, excess, margin
                )
                is_cert[sel[ok]] = True
                if stop_early:
                    done[sel[ok]] = True

        if t_hi >= t_max:
            finished = t >= t_max
            if record:
                finished &= next_out >= n_out
            done |= finished
        if iteration >= max_steps:  # (one attempt per trajectory and iteration)
            done |= nsteps + nrej >= max_steps

        # --- retire finished trajectories, compact the working set ---
        n_done = int(np.count_nonzero(done))
        if n_done and (n_done == len(ids) or n_done >= max(64, len(ids) // 8)):
            g = ids[done]
            final[:, g] = x[:, done]
            t_final[g] = t[done]
            returns_out[g] = nret[done]
            steps_out[g] = nsteps[done]
            rejected_out[g] = nrej[done]
            certified[g] = is_cert[done]
            live = ~done
            ids, h, t = ids[live], h[live], t[live]
            z, k1, x, mask, ref = z[:, live], k1[:, live], x[:, live], mask[:, live], ref[:, live]
            nsteps, nrej, is_cert, done = nsteps[live], nrej[live], is_cert[live], done[live]
            has_ref, away, nret, n_supported = has_ref[live], away[live], nret[live], n_supported[live]
            dmax = dmax[live]
            next_out, payoff_rows = next_out[live], payoff_rows[live]
            field.bind(payoff_rows)
            stages = np.empty((7, size, len(ids)))

    # --- classify the end states ---
    field.bind(np.zeros(batch, dtype=np.intp) if field.shared else np.arange(batch))
    v = field.payoffs(final)
    residual = np.abs(final * (v - field.mean_payoffs(final, v))).max(axis=0)
    final = np.ascontiguousarray(final.T)
    xs_final = _split(final, cuts)
    top = np.stack([xf.argmax(axis=1) for xf in xs_final], axis=1)
    at_vertex = certified.copy()
    at_vertex |= np.all(np.stack([xf.max(axis=1) >= 1 - vertex_tol for xf in xs_final], axis=1), axis=1)
    # stopped for cycling (stop_cycling): recurrent by then, whatever state the stop fell on
    stopped_cycling = stop_cycling & (returns_out >= min_returns) & (t_final < t_max) & ~certified
    at_vertex &= ~stopped_cycling
    outcome = np.full(batch, NOT_CONVERGED, dtype=np.int8)
    outcome[(returns_out >= min_returns) & ~at_vertex] = CYCLING
    # the field is in payoff units: ftol is relative to the payoff scale of each trajectory's game
    scale = np.broadcast_to(payoff_scale(arr), (batch,))
    outcome[(residual < ftol * scale) & ~at_vertex & ~stopped_cycling] = REST_POINT
    outcome[at_vertex] = VERTEX
    vertex = np.where(at_vertex[:, None], top, -1)
    return BatchTrajectories(
        final=[np.ascontiguousarray(p) for p in xs_final],
        outcome=outcome,
        vertex=vertex,
        certified=certified,
        t_final=t_final,
        residual=residual,
        returns=returns_out,
        steps=steps_out,
        rejected=rejected_out,
        times=times,
        paths=_split_paths(paths, cuts) if record else None,
        t_max=float(t_max),
        rtol=float(rtol),
        atol=float(atol),
        vertex_tol=float(vertex_tol),
        ftol=float(ftol),
        cycle_tol=float(cycle_tol),
        game=game,
        initial=initial_rows,
        n_points=int(arr.shape[0]),
        _payoffs=arr,
    )


def _certified(x, mask, payoff_rows, cuts, shape, gains, excess, margin) -> np.ndarray:
    """Rows whose convergence to the nearest vertex the bound of the module docstring proves."""
    parts = _split(x, cuts)
    top = [p.argmax(axis=1) for p in parts]
    rows = np.arange(x.shape[0])
    top_share = np.stack([p[rows, k] for p, k in zip(parts, top)], axis=1)
    vflat = np.ravel_multi_index(tuple(top), shape)
    logs = np.log(top_share)
    total = logs.sum(axis=1)
    ok = np.ones(x.shape[0], dtype=bool)
    for i, c in enumerate(cuts):
        outside = -np.expm1(total - logs[:, i])  # 1 - prod_{j != i} x_{j, v_j}
        bound = gains[i][payoff_rows, vflat] + excess[i][payoff_rows, vflat] * outside[:, None]
        bad = (mask[:, c] > 0) & ~(bound < -margin)
        ok &= ~bad.any(axis=1)
    return ok


def _split_paths(paths: np.ndarray, cuts: list[slice]) -> list[np.ndarray]:
    return [np.ascontiguousarray(paths[:, :, c]) for c in cuts]


# --- schedules: piecewise-constant payoffs in time ------------------------------------------------------


def _output_times(t_max: float, n_eval: int | None, t_eval: Sequence[float] | None) -> np.ndarray | None:
    """The recorded times: ``t_eval``, or ``n_eval`` evenly spaced on ``[0, t_max]``, or none."""
    if t_eval is not None:
        times = np.asarray(t_eval, dtype=float)
        if times.ndim != 1 or len(times) < 1 or times[0] != 0.0:
            raise TripartiteError("t_eval must be a 1-D sequence of times starting at 0")
        if np.any(np.diff(times) < 0) or times[-1] > t_max or not np.all(np.isfinite(times)):
            raise TripartiteError("t_eval must be non-decreasing times within [0, t_max]")
        return times
    if n_eval is None:
        return None
    if int(n_eval) < 2:
        raise TripartiteError("n_eval must be at least 2")
    return np.linspace(0.0, t_max, int(n_eval))


def _integrate_schedule(
    schedule: GameSchedule,
    initial: Sequence,
    t_max: float,
    stop_early: bool | None,
    times: np.ndarray | None,
    options: dict,
) -> BatchTrajectories:
    """Integrate a :class:`GameSchedule` piece by piece (see :mod:`tripartite.dynamics.schedules`).

    Each piece is one call of :func:`integrate_batch` on that piece's game,
    from the final states of the previous piece; only the last piece may stop
    early (certified convergence holds for the parameters that stay).  A
    trajectory whose step budget runs out within an earlier piece stops there,
    ``"not converged"``.  Recorded paths sample the same times as without a
    schedule.
    """
    pieces = schedule.pieces(t_max)
    record = times is not None
    stop_early = (not record) if stop_early is None else bool(stop_early)
    shape = schedule.shape
    xs0 = _initial_states(initial, shape, schedule.games[0])
    batch = _batch_size([schedule.batch_size, *(x.shape[0] for x in xs0)])
    size = sum(shape)
    rows = np.arange(batch)  # trajectories still running
    state = [np.broadcast_to(x, (batch, x.shape[1])) for x in xs0]
    final = np.full((batch, size), np.nan)
    outcome = np.full(batch, NOT_CONVERGED, dtype=np.int8)
    vertex = np.full((batch, len(shape)), -1, dtype=np.intp)
    certified = np.zeros(batch, dtype=bool)
    t_final = np.zeros(batch)
    residual = np.zeros(batch)
    returns = np.zeros(batch, dtype=np.int64)
    steps = np.zeros(batch, dtype=np.int64)
    rejected = np.zeros(batch, dtype=np.int64)
    paths = np.full((batch, len(times), size), np.nan) if record else None
    for k, (start, end) in enumerate(pieces):
        last = k == len(pieces) - 1
        game = schedule.games[k]
        if game.batch_size > 1:
            game = game.take(rows)
        local = None
        if record:
            inside = np.flatnonzero((times > start) & (times <= end * (1 + 1e-15)))
            local = np.concatenate([[0.0], np.minimum(times[inside] - start, end - start)])
        res = integrate_batch(
            game,
            state,
            end - start,
            stop_early=stop_early if last else False,
            t_eval=local,
            **options,
        )
        flat = np.concatenate(res.final, axis=1)
        steps[rows] += res.steps
        rejected[rows] += res.rejected
        if record:
            recorded = np.concatenate(res.paths, axis=2)
            if k == 0:
                paths[np.ix_(rows, [0])] = recorded[:, :1]
            paths[np.ix_(rows, inside)] = recorded[:, 1:]
        stopped = res.t_final < (end - start) * (1 - 1e-12)
        ending = np.ones(len(rows), dtype=bool) if last else stopped
        done = rows[ending]
        final[done] = flat[ending]
        t_final[done] = start + res.t_final[ending]
        residual[done] = res.residual[ending]
        returns[done] = res.returns[ending]
        if last:
            outcome[done] = res.outcome
            vertex[done] = res.vertex
            certified[done] = res.certified
        rows = rows[~ending]
        state = [x[~ending] for x in res.final]
        if not len(rows):
            break
    initial_rows = [np.ascontiguousarray(np.broadcast_to(x, (batch, x.shape[1]))) for x in xs0]
    cuts = _Field(np.zeros((1, len(shape), *shape)), shape).cuts
    final_game = schedule.final_game
    return BatchTrajectories(
        final=[np.ascontiguousarray(final[:, c]) for c in cuts],
        outcome=outcome,
        vertex=vertex,
        certified=certified,
        t_final=t_final,
        residual=residual,
        returns=returns,
        steps=steps,
        rejected=rejected,
        times=times,
        paths=_split_paths(paths, cuts) if record else None,
        t_max=float(t_max),
        rtol=float(options["rtol"]),
        atol=float(options["atol"]),
        vertex_tol=float(options["vertex_tol"]),
        ftol=float(options["ftol"]),
        cycle_tol=float(options["cycle_tol"]),
        game=final_game,
        initial=initial_rows,
        n_points=int(schedule.batch_size),
        _payoffs=final_game.payoffs,
        schedule=schedule,
    )
