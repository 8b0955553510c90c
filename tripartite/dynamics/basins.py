"""Basins of attraction of the replicator dynamics, and the push needed to change basin.

The *basin* of an asymptotically stable state :math:`x^*` is the set of
initial states whose trajectory converges to it.  In multi-population
replicator dynamics the asymptotically stable states are exactly the strict
Nash equilibria, all vertices (see :mod:`tripartite.dynamics.stability`).
The share of the state space each basin occupies is estimated by Monte Carlo:
initial states are drawn uniformly from the product of simplices (each
player's shares from a flat Dirichlet(1, ..., 1) distribution), every
trajectory is integrated with :func:`~tripartite.dynamics.batch.integrate_batch`,
and the share :math:`\\hat p = k/n` of the :math:`n` states that converge to
:math:`x^*` comes with a binomial confidence interval for the true share
:math:`p`:

- Wilson score interval (default):
  :math:`\\big(\\hat p + \\tfrac{z^2}{2n} \\pm z\\sqrt{\\hat p(1-\\hat p)/n + z^2/4n^2}\\big) / (1 + z^2/n)`;
- Clopper-Pearson (exact): the :math:`\\alpha/2` and :math:`1-\\alpha/2`
  quantiles of :math:`\\mathrm{Beta}(k, n-k+1)` and :math:`\\mathrm{Beta}(k+1, n-k)`.

Each interval holds for its own basin (no correction for looking at several).
States that do not converge within the horizon (cycling or still moving) are
counted and reported as such, never assigned to a basin; a regular grid of
initial states (:func:`simplex_grid`) gives a deterministic share with no
sampling interval.

**Push thresholds.**  A temporary policy (a subsidy, a campaign) moves the
state from :math:`x_0` towards some state :math:`y`, to
:math:`x(\\alpha) = (1-\\alpha) x_0 + \\alpha y`, and then lets the dynamics
run.  :func:`push_threshold` finds the smallest :math:`\\alpha` from which the
trajectory converges to a target state: a scan of :math:`\\alpha` over a grid,
then bisection of the first bracket to a tolerance.  Basins need not be
convex, so the result records whether every scanned :math:`\\alpha` beyond the
threshold also converges to the target.

**The status quo.**  Given a model's documented state (``status_quo=``),
:func:`basins` also integrates it (:func:`~tripartite.dynamics.paths.trajectory`,
the same integrator and horizon as the sampled states, so the same outcome
word) and, for every stable state it does not reach, finds the push into that
basin: the answer ``tripartite basins`` prints, from :meth:`Basins.to_record`.

**Schedules.**  Both accept a :class:`~tripartite.dynamics.schedules.GameSchedule`
in place of the game (parameters piecewise constant in time): every
trajectory then follows the schedule, and the stable states are those of
the last piece, whose parameters hold for ever after.

**Batches.**  Basins and push thresholds answer for one parameter point:
given a game with more than one point they need ``point=`` (the rule of
:mod:`tripartite.dynamics._shared`).

Examples
--------
>>> import numpy as np
>>> from tripartite.game import Game
>>> coordination = Game.from_array(np.array([[[1, 0], [0, 1]], [[1, 0], [0, 1]]], dtype=float))
>>> b = basins(coordination, samples=400, seed=1)
>>> [round(s.share, 1) for s in b.stable]   # the separatrix is the line x + y = 1
[0.5, 0.5]
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from dataclasses import replace as dataclass_replace
from itertools import combinations, product

import numpy as np

from ..errors import LimitError, TripartiteError
from ..game import DEFAULT_TOL, Game, check_state
from ..limits import MAX_BASIN_STATES
from . import DEFAULT_T_MAX
from ._shared import one_point_in_time, shares_record
from .batch import CYCLING, NOT_CONVERGED, REST_POINT, VERTEX, BatchTrajectories, integrate_batch
from .paths import Trajectory, trajectory
from .schedules import GameSchedule
from .stability import vertex_stability

__all__ = [
    "BasinShare",
    "Basins",
    "basins",
    "binomial_interval",
    "uniform_states",
    "simplex_grid",
    "PushThreshold",
    "push_threshold",
    "SAMPLING",
]

INTERVALS = ("wilson", "clopper-pearson")

#: How the initial states were chosen, as the records describe it (``{resolution}``: the grid's ``R``).
SAMPLING = {
    "uniform": "uniform on the product of simplices (Dirichlet(1) per player)",
    "grid": "regular grid of interior states, shares in steps of 1/{resolution}",
    "given": "initial states given by the caller",
}


def binomial_interval(
    k: int, n: int, confidence: float = 0.95, method: str = "wilson"
) -> tuple[float, float]:
    """Confidence interval for a binomial share ``k / n``.

    Examples
    --------
    >>> lo, hi = binomial_interval(50, 100)
    >>> round(lo, 4), round(hi, 4)
    (0.4038, 0.5962)
    >>> binomial_interval(0, 20, method="clopper-pearson")[0]
    0.0
    """
    from scipy import stats  # imported on use: scipy.stats is slow to load

    if n <= 0:
        raise TripartiteError("a confidence interval needs at least one sample")
    if not 0 < confidence < 1:
        raise TripartiteError("confidence must be between 0 and 1")
    alpha = 1 - confidence
    if method == "wilson":
        z = float(stats.norm.ppf(1 - alpha / 2))
        p = k / n
        denom = 1 + z * z / n
        centre = (p + z * z / (2 * n)) / denom
        half = z / denom * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
        return float(max(0.0, centre - half)), float(min(1.0, centre + half))
    if method == "clopper-pearson":
        lo = 0.0 if k == 0 else float(stats.beta.ppf(alpha / 2, k, n - k + 1))
        hi = 1.0 if k == n else float(stats.beta.ppf(1 - alpha / 2, k + 1, n - k))
        return lo, hi
    raise TripartiteError(f"unknown interval {method!r}; choose one of {', '.join(INTERVALS)}")


def uniform_states(shape: Sequence[int], samples: int, seed: int | None = 0) -> list[np.ndarray]:
    """Initial states drawn uniformly from the product of simplices.

    Returns one array of shape ``(samples, s_i)`` per player (Dirichlet(1) rows).

    Examples
    --------
    >>> [x.shape for x in uniform_states((2, 3), 5)]
    [(5, 2), (5, 3)]
    """
    if samples < 1:
        raise TripartiteError("samples must be at least 1")
    if samples > MAX_BASIN_STATES:
        raise LimitError(
            f"{samples:,} initial states exceed the limit of {MAX_BASIN_STATES:,} (tripartite.limits)"
        )
    if seed is not None and not (isinstance(seed, (int, np.integer)) and seed >= 0):
        raise TripartiteError(f"the seed must be a non-negative integer, got {seed!r}")
    rng = np.random.default_rng(seed)
    return [rng.dirichlet(np.ones(m), size=samples) for m in shape]


def _compositions(total: int, parts: int) -> list[tuple[int, ...]]:
    """Positive integer vectors of length ``parts`` summing to ``total``."""
    out = []
    for cuts in combinations(range(1, total), parts - 1):
        bounds = (0, *cuts, total)
        out.append(tuple(b - a for a, b in zip(bounds, bounds[1:])))
    return out


def simplex_grid(shape: Sequence[int], resolution: int) -> list[np.ndarray]:
    """A regular grid of interior states: every share a multiple of ``1/resolution``, none zero.

    For two strategies this is ``x = 1/r, 2/r, ..., (r-1)/r``; the grid of the
    product of simplices is the product of the players' grids.

    Examples
    --------
    >>> g = simplex_grid((2, 2), 4)
    >>> g[0][:, 0].tolist()
    [0.25, 0.25, 0.25, 0.5, 0.5, 0.5, 0.75, 0.75, 0.75]
    """
    if resolution < max(shape):
        raise TripartiteError(f"grid resolution must be at least {max(shape)} for interior points")
    size = math.prod(math.comb(resolution - 1, m - 1) for m in shape)
    if size > MAX_BASIN_STATES:
        raise LimitError(
            f"a grid of resolution {resolution} has {size:,} interior states; the limit is "
            f"{MAX_BASIN_STATES:,} (tripartite.limits)"
        )
    per_player = [np.array(_compositions(resolution, m), dtype=float) / resolution for m in shape]
    index = np.array(list(product(*(range(len(p)) for p in per_player))))
    return [p[index[:, i]] for i, p in enumerate(per_player)]


@dataclass(frozen=True)
class BasinShare:
    """Share of initial states converging to one asymptotically stable vertex.

    ``low``/``high`` bound the true share at the result's confidence level
    (``None`` for a grid of initial states).
    """

    profile: tuple[int, ...]
    strategies: dict[str, str]
    count: int
    share: float
    low: float | None
    high: float | None

    def to_record(self) -> dict:
        """``share``, ``ci`` (``[low, high]`` or None for a grid) and ``count``.

        Examples
        --------
        >>> BasinShare((0, 0), {"P1": "s1", "P2": "s1"}, 3, 0.75, 0.3, 0.95).to_record()
        {'share': 0.75, 'ci': [0.3, 0.95], 'count': 3}
        """
        return {
            "share": float(self.share),
            "ci": None if self.low is None or self.high is None else [float(self.low), float(self.high)],
            "count": int(self.count),
        }


@dataclass(frozen=True, eq=False)
class Basins:
    """Basin shares of the asymptotically stable states of one game.

    Attributes
    ----------
    game : Game
        The game (one parameter point).
    stable : list of BasinShare
        One entry per asymptotically stable vertex (strict equilibrium).
    not_converged : BasinShare-like counts for trajectories that cycle or are still moving
    rest_points : BasinShare-like counts for trajectories ending at a mixed rest point
    other : list of BasinShare
        Vertices reached that are not asymptotically stable (ties, degenerate games).
    counts : dict
        Trajectories per outcome label of :data:`~tripartite.dynamics.batch.OUTCOMES`.
    samples : int
    sampling : str
        ``"uniform"`` (Dirichlet(1) per player), ``"grid"`` or ``"given"``.
    confidence : float
    interval : str
    seed : int or None
    trajectories : BatchTrajectories
    resolution : int or None
        The grid's resolution ``R`` (shares in steps of ``1/R``), for ``"grid"``.
    point : int
        The parameter point of the game it was asked for.
    status_quo : Trajectory or None
        Where the given status-quo state goes (``status_quo=`` of :func:`basins`).
    pushes : tuple of PushThreshold
        The push from the status quo into each stable state's basin it does not reach.
    tol : float
        Tolerance of the stability classification of the vertices.
    schedule : GameSchedule or None
        The games in time every trajectory followed (``game`` is then the
        last piece's game).
    """

    game: Game
    stable: list[BasinShare]
    not_converged: BasinShare
    rest_points: BasinShare
    other: list[BasinShare]
    counts: dict[str, int]
    samples: int
    sampling: str
    confidence: float
    interval: str
    seed: int | None
    trajectories: BatchTrajectories = field(repr=False)
    resolution: int | None = None
    point: int = 0
    status_quo: Trajectory | None = None
    pushes: tuple[PushThreshold, ...] = ()
    tol: float = DEFAULT_TOL
    schedule: GameSchedule | None = None

    @property
    def method(self) -> str:
        return (
            f"replicator trajectories from {self.samples} initial states ({self.sampling}); "
            f"{self.trajectories.method}; {self.interval} intervals at {self.confidence:g}"
        )

    @property
    def t_max(self) -> float:
        """The horizon of every trajectory."""
        return self.trajectories.t_max

    def share(self, profile: Sequence[int] | Mapping[str, str]) -> BasinShare:
        """The basin entry of a profile (indices or player -> strategy name)."""
        key = _profile_indices(self.game, profile)
        for entry in (*self.stable, *self.other):
            if entry.profile == key:
                return entry
        return BasinShare(key, self.game.profile_names(key), 0, 0.0, *self._ci(0))

    def _ci(self, k: int) -> tuple[float | None, float | None]:
        if self.sampling == "grid":
            return None, None
        return binomial_interval(k, self.samples, self.confidence, self.interval)

    def to_record(self) -> dict:
        """The answer of ``tripartite basins --json``, without provenance.

        Returns
        -------
        dict
            ``samples``, ``sampling`` (text), ``seed``, ``t_max``,
            ``integration`` (``method``, ``rtol``, ``atol``, ``vertex_tol``),
            ``confidence``, ``interval``, ``stable_states`` (each ``profile``,
            ``strategies``, ``share``, ``ci``, ``count``), ``not_converged``,
            ``rest_points`` and ``other_vertices`` (each ``share``, ``ci``,
            ``count``; vertices also ``profile``), ``outcomes`` (trajectories per
            outcome word), ``point``, ``status_quo`` (a
            :meth:`Trajectory.to_record <tripartite.dynamics.paths.Trajectory.to_record>`,
            or None), ``push`` (a list of :meth:`PushThreshold.to_record`) and
            ``schedule`` (parameter -> ``[[time, value], ...]``, or None).

        Examples
        --------
        >>> import numpy as np
        >>> from tripartite.game import Game
        >>> g = Game.from_array(np.array([[[1, 0], [0, 1]], [[1, 0], [0, 1]]], dtype=float))
        >>> rec = basins(g, grid=4, status_quo=[[0.2, 0.8], [0.2, 0.8]]).to_record()
        >>> [s["profile"] for s in rec["stable_states"]], rec["status_quo"]["profile"]
        ([{'P1': 's1', 'P2': 's1'}, {'P1': 's2', 'P2': 's2'}], {'P1': 's2', 'P2': 's2'})
        >>> round(rec["push"][0]["alpha"], 3)
        0.375
        """
        traj = self.trajectories
        game = self.game
        return {
            "samples": int(self.samples),
            "sampling": SAMPLING[self.sampling].format(resolution=self.resolution),
            "seed": self.seed,
            "t_max": float(traj.t_max),
            "integration": {
                "method": traj.method,
                "rtol": float(traj.rtol),
                "atol": float(traj.atol),
                "vertex_tol": float(traj.vertex_tol),
            },
            "confidence": float(self.confidence),
            "interval": self.interval,
            "stable_states": [
                {"profile": dict(s.strategies), "strategies": _pure_shares(game, s.profile), **s.to_record()}
                for s in self.stable
            ],
            "not_converged": self.not_converged.to_record(),
            "rest_points": self.rest_points.to_record(),
            "other_vertices": [{"profile": dict(s.strategies), **s.to_record()} for s in self.other],
            "outcomes": dict(self.counts),
            "point": int(self.point),
            "status_quo": self.status_quo.to_record() if self.status_quo is not None else None,
            "push": [p.to_record() for p in self.pushes],
            "schedule": self.schedule.to_record() if self.schedule is not None else None,
        }

    def _repr_html_(self) -> str:
        from ..display import html_table

        def interval(entry: BasinShare) -> str:
            if entry.low is None or entry.high is None:
                return "exact share of the grid"
            return f"[{entry.low:.3f}, {entry.high:.3f}]"

        def row(label: str, entry: BasinShare) -> list[object]:
            return [label, f"{entry.share:.3f}", interval(entry), entry.count]

        rows = [row(", ".join(s.strategies.values()), s) for s in self.stable]
        rows += [
            row(f"{', '.join(s.strategies.values())} (reached, not asymptotically stable)", s)
            for s in self.other
        ]
        rows.append(row("rest points (not vertices)", self.rest_points))
        rows.append(row("not converged (cycling or still moving)", self.not_converged))
        how = "grid" if self.sampling == "grid" else f"{self.sampling}, seed {self.seed}"
        level = "" if self.sampling == "grid" else f"; {self.confidence:g} {self.interval} intervals"
        caption = f"{self.game.name}: basins of attraction from {self.samples} initial states ({how}{level})"
        span = "interval" if self.sampling == "grid" else f"{self.confidence:g} interval"
        headers = ["stable state", "share", span, "trajectories"]
        return html_table(headers, rows, caption)

    def __repr__(self) -> str:
        parts = [f"{', '.join(s.strategies.values())}: {s.share:.3f}" for s in self.stable]
        parts.append(f"not converged: {self.not_converged.share:.3f}")
        return f"<Basins of {self.game.name!r} ({self.samples} states): {'; '.join(parts)}>"


def _pure_shares(game: Game, profile: Sequence[int]) -> dict[str, dict[str, float]]:
    """Player -> {strategy: 1.0 or 0.0} of a pure profile."""
    return shares_record(game, [np.eye(m)[k] for m, k in zip(game.shape, profile)])


def _profile_indices(game: Game, profile: Sequence[int] | Mapping[str, str] | str) -> tuple[int, ...]:
    if isinstance(profile, str):
        profile = [p.strip() for p in profile.split(",")]
    if isinstance(profile, Mapping):
        missing = [p for p in game.players if p not in profile]
        if missing:
            raise TripartiteError(f"profile names no strategy for {', '.join(missing)}")
        return tuple(game.strategy_index(i, profile[p]) for i, p in enumerate(game.players))
    profile = list(profile)
    if len(profile) != game.n_players:
        raise TripartiteError(f"a profile needs one strategy per player ({game.n_players})")
    out = []
    for i, s in enumerate(profile):
        if isinstance(s, str):
            out.append(game.strategy_index(i, s))
        else:
            k = int(s)
            if not 0 <= k < game.shape[i]:
                raise TripartiteError(f"strategy index {k} out of range for player {game.players[i]!r}")
            out.append(k)
    return tuple(out)


def _check_players(game: Game, players: Sequence[str] | None) -> tuple[str, ...]:
    """The players a push moves (all of them for ``None``), checked against the game."""
    if players is None:
        return tuple(game.players)
    unknown = [p for p in players if p not in game.players]
    if unknown:
        raise TripartiteError(f"unknown player(s) {', '.join(unknown)}; players: {', '.join(game.players)}")
    return tuple(players)


def basins(
    game: Game | GameSchedule,
    samples: int = 2000,
    *,
    initial: Sequence[np.ndarray] | None = None,
    grid: int | None = None,
    seed: int | None = 0,
    t_max: float = DEFAULT_T_MAX,
    confidence: float = 0.95,
    interval: str = "wilson",
    point: int | None = None,
    tol: float = DEFAULT_TOL,
    status_quo: Sequence[Sequence[float]] | None = None,
    push: bool = True,
    push_players: Sequence[str] | None = None,
    **integrate_options,
) -> Basins:
    """Share of initial states converging to each asymptotically stable state.

    Parameters
    ----------
    game : Game or GameSchedule
        The game, or games in time (every trajectory follows the schedule;
        the stable states are those of its last piece).
    samples : int
        Number of uniformly drawn initial states (ignored with ``initial`` or ``grid``).
    initial : list of arrays (M, s_i), optional
        Your own initial states (the interval then treats them as an i.i.d. sample).
    grid : int, optional
        Use :func:`simplex_grid` with this resolution instead of random states.
    seed : int or None
        Seed of the random states (recorded for reproducibility).
    t_max : float
        Horizon of each trajectory (default :data:`tripartite.dynamics.DEFAULT_T_MAX`).
    confidence, interval : the binomial interval (``"wilson"`` or ``"clopper-pearson"``).
    point : int, optional
        Which parameter point of a batched game (required when it has several).
    tol : float
        Tolerance of the stability classification of the vertices.
    status_quo : list of probability vectors, optional
        A state whose fate to report (e.g. a model's ``initial_state``): its
        trajectory, and with ``push`` the push from it into each stable
        state's basin it does not reach (:func:`push_threshold`).
    push : bool
        Compute those pushes.
    push_players : list of str, optional
        Players whose shares the pushes move (default: all).
    **integrate_options
        Passed to :func:`~tripartite.dynamics.batch.integrate_batch`.

    Examples
    --------
    >>> from tripartite import load_model
    >>> b = basins(load_model("baseline").game(), samples=200)
    >>> [(s.strategies["worker"], s.share) for s in b.stable]
    [('lapse', 1.0)]
    """
    if interval not in INTERVALS:
        raise TripartiteError(f"unknown interval {interval!r}; choose one of {', '.join(INTERVALS)}")
    if not 0 < confidence < 1:
        raise TripartiteError("confidence must be between 0 and 1")
    game, index, dynamics = one_point_in_time(game, point, "basins")
    schedule = dynamics if dynamics is not game else None
    players = _check_players(game, push_players)
    start = None if status_quo is None else check_state(status_quo, game.shape, game.players)
    resolution = None
    if initial is not None:
        states = [np.atleast_2d(np.asarray(x, dtype=float)) for x in initial]
        sampling, seed = "given", None
    elif grid is not None:
        states = simplex_grid(game.shape, grid)
        sampling, seed, resolution = "grid", None, int(grid)
    else:
        states = uniform_states(game.shape, samples, seed)
        sampling = "uniform"
    result = integrate_batch(dynamics, states, t_max, **integrate_options)
    n = len(result)
    stable_profiles = vertex_stability(game, tol).stable_profiles(0)

    def entry(profile, k):
        if sampling == "grid":
            lo = hi = None
        else:
            lo, hi = binomial_interval(k, n, confidence, interval)
        names = game.profile_names(profile) if profile is not None else {}
        return BasinShare(profile, names, int(k), k / n, lo, hi)

    reached: dict[tuple[int, ...], int] = {}
    at_vertex = result.outcome == VERTEX
    if at_vertex.any():
        found, counts = np.unique(result.vertex[at_vertex], axis=0, return_counts=True)
        reached = {tuple(int(k) for k in row): int(c) for row, c in zip(found, counts)}
    stable = [entry(p, reached.get(p, 0)) for p in stable_profiles]
    other = [entry(p, c) for p, c in sorted(reached.items()) if p not in stable_profiles]
    moving = int(np.sum((result.outcome == CYCLING) | (result.outcome == NOT_CONVERGED)))
    rest = int(np.sum(result.outcome == REST_POINT))

    fate, pushes = None, []
    if start is not None:  # the same integrator and options as the sample, without recorded paths
        options = {k: v for k, v in integrate_options.items() if k not in ("n_eval", "stop_early")}
        fate = dataclass_replace(trajectory(dynamics, start, t_max, n_eval=None, **options), point=index)
        goal = None if fate.profile is None else _profile_indices(game, fate.profile)
        if push:
            for s in stable:
                if s.profile != goal:
                    pushes.append(
                        push_threshold(dynamics, start, s.profile, players=players, t_max=t_max, **options)
                    )
    return Basins(
        game=game,
        stable=stable,
        not_converged=entry(None, moving),
        rest_points=entry(None, rest),
        other=other,
        counts=result.counts(),
        samples=n,
        sampling=sampling,
        confidence=confidence,
        interval=interval,
        seed=seed,
        trajectories=result,
        resolution=resolution,
        point=index,
        status_quo=fate,
        pushes=tuple(pushes),
        tol=tol,
        schedule=schedule,
    )


# --- how far must a temporary push move the state? ------------------------------------------------


@dataclass(frozen=True, eq=False)
class PushThreshold:
    """The smallest push along a segment after which the dynamics reach a target state.

    Attributes
    ----------
    target : tuple of int
        The target vertex (strategy indices).
    start, toward : list of ndarray
        The state before the push and the direction's end point.
    alpha : float or None
        Smallest fraction of the way from ``start`` to ``toward`` (within
        ``tol``) whose trajectory converges to ``target``; ``0`` if the start
        already does, ``None`` if no point of the segment does.
    bracket : tuple of float
        ``(lo, hi)``: ``lo`` does not reach the target, ``hi`` does.
    state : list of ndarray or None
        The pushed state at ``alpha`` (rounded up to ``hi``).
    shift : dict of str to float
        Per player, the share of the population that changes strategy in the
        push (total-variation distance between ``start`` and ``state``).
    monotone : bool
        Every scanned ``alpha`` above the threshold also reaches the target.
    scan : ndarray
        The scanned ``alpha`` values; ``scan_outcomes`` the vertex reached
        from each (``None`` where the outcome was not a vertex).
    players : tuple of str
        The players whose shares the push moves.
    point : int
        The parameter point of the game it was asked for.
    """

    game: Game
    target: tuple[int, ...]
    start: list[np.ndarray]
    toward: list[np.ndarray]
    alpha: float | None
    bracket: tuple[float, float] | None
    state: list[np.ndarray] | None
    shift: dict[str, float] | None
    monotone: bool
    scan: np.ndarray
    scan_outcomes: list[tuple[int, ...] | None]
    tol: float
    t_max: float
    players: tuple[str, ...] = ()
    point: int = 0

    def to_record(self) -> dict:
        """One entry of the ``push`` list of ``tripartite basins --json``.

        Returns
        -------
        dict
            ``target`` (player -> strategy), ``players`` (those pushed),
            ``alpha``, ``bracket`` (``[lo, hi]``), ``state`` (player ->
            {strategy: share} at ``alpha``), ``shift`` (player -> share that
            switches), ``monotone``, ``tolerance`` (on ``alpha``), ``t_max``;
            ``alpha``, ``bracket``, ``state`` and ``shift`` are None when no
            push along the segment reaches the target.

        Examples
        --------
        >>> import numpy as np
        >>> from tripartite.game import Game
        >>> g = Game.from_array(np.array([[[1, 0], [0, 1]], [[1, 0], [0, 1]]], dtype=float))
        >>> rec = push_threshold(g, [[0.2, 0.8], [0.2, 0.8]], (0, 0)).to_record()
        >>> rec["target"], rec["players"], round(rec["alpha"], 3), rec["monotone"]
        ({'P1': 's1', 'P2': 's1'}, ['P1', 'P2'], 0.375, True)
        """
        return {
            "target": self.game.profile_names(self.target),
            "players": list(self.players or self.game.players),
            "alpha": None if self.alpha is None else float(self.alpha),
            "bracket": None if self.bracket is None else [float(v) for v in self.bracket],
            "state": None if self.state is None else shares_record(self.game, self.state),
            "shift": None if self.shift is None else {p: float(v) for p, v in self.shift.items()},
            "monotone": bool(self.monotone),
            "tolerance": float(self.tol),
            "t_max": float(self.t_max),
        }

    def _repr_html_(self) -> str:
        from ..display import html_fields, html_table, number

        goal = ", ".join(self.game.profile_names(self.target).values())

        def shares(state: Sequence[np.ndarray] | None, i: int) -> str:
            if state is None:
                return ""
            return ", ".join(f"{s} {number(v)}" for s, v in zip(self.game.strategies[i], state[i]))

        if self.alpha is None:
            facts = [
                ("push needed", f"none reaches ({goal}): no point of the segment does (t = {self.t_max:g})")
            ]
        else:
            lo, hi = self.bracket
            facts = [
                ("push needed", f"alpha = {self.alpha:.4g} of the way (bracket [{lo:.4g}, {hi:.4g}])"),
                ("every larger push scanned also works", "yes" if self.monotone else "no"),
            ]
        out = html_fields(facts, f"{self.game.name}: push to reach ({goal})")
        rows = [
            [
                player,
                shares(self.start, i),
                shares(self.toward, i),
                shares(self.state, i),
                "" if self.shift is None else number(self.shift[player]),
            ]
            for i, player in enumerate(self.game.players)
        ]
        headers = ["player", "start", "pushed toward", "pushed state", "share that switches"]
        return out + html_table(headers, rows)

    def __repr__(self) -> str:
        goal = ", ".join(self.game.profile_names(self.target).values())
        how = "never" if self.alpha is None else f"alpha = {self.alpha:.4g}"
        return f"<PushThreshold to ({goal}): {how}>"


def _reaches(game, states, target, t_max, options) -> tuple[np.ndarray, list]:
    res = integrate_batch(game, states, t_max, **options)
    ends = [res.profile(b) for b in range(len(res))]
    return np.array([e == target for e in ends]), ends


def push_threshold(
    game: Game | GameSchedule,
    start: Sequence[Sequence[float]],
    target: Sequence[int] | Mapping[str, str] | str,
    *,
    toward: Sequence[Sequence[float]] | None = None,
    players: Sequence[str] | None = None,
    scan: int = 41,
    tol: float = 1e-4,
    t_max: float = DEFAULT_T_MAX,
    point: int | None = None,
    **integrate_options,
) -> PushThreshold:
    """How far must a temporary push move the state before ``target`` takes over?

    Parameters
    ----------
    game : Game or GameSchedule
        The game, or games in time followed after the push.
    start : list of probability vectors
        The state before the push (for a model, e.g. its ``initial_state``).
    target : profile
        The vertex to reach, as indices, names in player order, a
        ``"s1, s2, ..."`` string or a player -> strategy mapping.
    toward : list of probability vectors, optional
        The end point of the push; by default the target vertex for the
        pushed ``players`` and the start for everyone else.
    players : list of str, optional
        Players whose shares the push moves (default: all).
    scan : int
        Number of ``alpha`` values scanned on ``[0, 1]`` before bisection.
    tol : float
        Width of the final bracket on ``alpha``.
    t_max : float
        Horizon of each trajectory (default :data:`tripartite.dynamics.DEFAULT_T_MAX`).
    point : int, optional
        Which parameter point of a batched game (required when it has several).

    Examples
    --------
    >>> import numpy as np
    >>> from tripartite.game import Game
    >>> g = Game.from_array(np.array([[[1, 0], [0, 1]], [[1, 0], [0, 1]]], dtype=float))
    >>> push = push_threshold(g, [[0.2, 0.8], [0.2, 0.8]], (0, 0))
    >>> round(push.alpha, 3)   # the separatrix x + y = 1: 0.4 + 1.6 alpha = 1
    0.375
    """
    game, index, dynamics = one_point_in_time(game, point, "push_threshold")
    goal = _profile_indices(game, target)
    x0 = check_state(start, game.shape, game.players, what="start state")
    pushed = _check_players(game, players)
    if toward is None:
        y = [np.eye(m)[k] if p in pushed else x for p, m, k, x in zip(game.players, game.shape, goal, x0)]
    else:
        y = check_state(toward, game.shape, game.players, what="state pushed toward")
    if scan < 2:
        raise TripartiteError("scan needs at least 2 points")

    def along(alphas: np.ndarray) -> list[np.ndarray]:
        a = alphas[:, None]
        return [(1 - a) * x + a * v for x, v in zip(x0, y)]

    alphas = np.linspace(0.0, 1.0, scan)
    hits, ends = _reaches(dynamics, along(alphas), goal, t_max, integrate_options)
    first = int(np.argmax(hits)) if hits.any() else None
    alpha = bracket = state = shift = None
    monotone = False
    if first is not None:
        monotone = bool(hits[first:].all())
        if first == 0:
            alpha, bracket = 0.0, (0.0, 0.0)
        else:
            lo, hi = float(alphas[first - 1]), float(alphas[first])
            while hi - lo > tol:
                inner = np.linspace(lo, hi, 10)[1:-1]
                inner_hits, _ = _reaches(dynamics, along(inner), goal, t_max, integrate_options)
                if inner_hits.any():
                    k = int(np.argmax(inner_hits))
                    hi = float(inner[k])
                    lo = float(inner[k - 1]) if k > 0 else lo
                else:
                    lo = float(inner[-1])
            alpha, bracket = hi, (lo, hi)
        state = [s[0] for s in along(np.array([alpha]))]
        shift = {p: float(0.5 * np.abs(s - x).sum()) for p, s, x in zip(game.players, state, x0)}
    return PushThreshold(
        game=game,
        target=goal,
        start=x0,
        toward=y,
        alpha=alpha,
        bracket=bracket,
        state=state,
        shift=shift,
        monotone=monotone,
        scan=alphas,
        scan_outcomes=ends,
        tol=tol,
        t_max=t_max,
        players=pushed,
        point=index,
    )
