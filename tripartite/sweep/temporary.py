"""Temporary programmes: lever values held for a while, after which the system stays in a better stable state.

Where the low state and a better one are both asymptotically stable at the
model's values :math:`\\theta^0` (a bistable regime), a policy need not last
for ever: holding the levers at :math:`\\theta` for a duration :math:`\\tau`
from the status quo :math:`x_0`, then returning them to :math:`\\theta^0`,

.. math:: \\theta(t) = \\theta \\text{ for } 0 \\le t < \\tau, \\qquad \\theta(t) = \\theta^0 \\text{ for } t \\ge \\tau,

moves the system for good when :math:`x(\\tau)`, the state reached under
:math:`\\theta`, lies in the basin of attraction of the target vertex
:math:`v^*` at :math:`\\theta^0`.

**Cost in money.**  For a model with a ``[fiscal]`` table (the purse's net
receipts :math:`F(s; \\theta)` per profile,
:func:`~tripartite.sweep.levers.fiscal_receipts`) and no weights given, the
programme's cost is what the government and the funds pay or forgo because
of it while it runs:

.. math:: C(\\theta, \\tau) = \\int_0^\\tau \\big[F(x^0(t); \\theta^0) - F(x(t); \\theta)\\big]\\, dt,

the expected receipts at the population state (the multilinear extension of
:math:`F`) along the path :math:`x^0` from the status quo *without* the
programme minus those along the path :math:`x` *with* it
(:func:`programme_fiscal_cost`).  The counterfactual is the path without the
programme, not the low state: what the status quo would have brought in
anyway is not charged to the programme, and the receipts that change as the
state moves (contributions of workers who enrol, benefits the fund then
owes) are.  The integral runs in the time of the dynamics, so ``cost_unit``
is the account's unit times that time.  Beside it, ``fiscal_after`` is the
difference per period at the state the programme leads to, :math:`F(d;
\\theta^0) - F(v^*; \\theta^0)` with :math:`d` where the status quo goes
without it: what keeping the better state costs the purse (negative: it
pays for itself).  As for permanent packages, the search never buys the target
with a move that raises the purse's receipts (a higher contribution or premium,
a lower subsidy, judged by the expected receipts at the status quo): each
lever is searched only on its side that costs the purse, or on its whole range
when the receipts do not depend on it.

**Cost by weights** (``costs`` given, or no ``[fiscal]`` table):

.. math:: C(\\theta, \\tau) = \\tau \\sum_k w_k\\, |\\theta_k - \\theta^0_k|,

with the weights of ``tripartite escape``: by default the government's
fiscal exposure :math:`w_k = \\max_s |\\partial u_{gov}(s) / \\partial \\theta_k|`
(:func:`tripartite.sweep.levers.fiscal_weights`: 1 per yuan of subsidy or
tax credit, the enforcement probability per yuan of penalty, 0 for levers
that never touch the budget, such as nudges), or the weights given.  A lever
of weight 0 costs nothing in this measure; ties are broken by the *effort*
:math:`\\tau \\sum_k |\\theta_k - \\theta^0_k| / s_k` (:math:`s_k` the width
of the lever's search range).

**Success** of a programme is decided by the one integrator
(:mod:`tripartite.dynamics.batch`): after the programme the trajectory under
:math:`\\theta^0` is *certified* to converge to :math:`v^*` (the vertex
certificate; entry into a region proven to lie in the basin).  Payoffs that
depend on the state have no certificate and are refused.

**The minimal duration** at given intensities, :math:`\\tau^*(\\theta) =
\\inf\\{\\tau : x(\\tau; \\theta) \\in B(v^*; \\theta^0)\\}`, is a 1-D search.
It is *not* assumed monotone (a path under :math:`\\theta` can cross the
basin and leave it again, e.g. when it spirals): the success of every
duration of a geometric grid on ``(0, horizon]`` is computed (one batch),
the first success found, and the bracket between it and the failure before
refined by bisection, which assumes a single switch inside that bracket (a
window of success narrower than the grid spacing before the first grid
success could be missed).  :attr:`DurationSearch.monotone` says whether the
grid showed failures then only successes.

**The cheapest programme** over intensities is a low-dimensional search,
labelled as what it is (``optimality = "grid+refine (local)"``): each lever
alone on a grid of intensities over its search range, and for two or three
levers also a joint grid, then a bounded local refinement (golden section on
one lever, Nelder-Mead on several) of the best; nothing proves it global.
The search range of a lever is its admissible range, an unbounded end cut at
the current value :math:`\\pm 4 \\max(|\\theta^0_k|, 1)`.

The chosen programme is **verified** by integrating the whole schedule
(:class:`~tripartite.dynamics.schedules.GameSchedule`) from the status quo,
ending with certified convergence to the target.  Where nothing better than
where the status quo goes is stable at :math:`\\theta^0` (baseline's
defaults), no temporary programme can work: :attr:`TemporaryProgramme.feasible`
is ``False`` with a ``reason`` pointing to the permanent escapes
(:func:`tripartite.sweep.escape.escape_report`).

Examples
--------
>>> from tripartite import load_model
>>> p = temporary_programme(load_model("baseline"), ["phi"])
>>> p.feasible, p.reason.split(":")[0]
(False, 'no temporary programme can work')
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..dynamics import DEFAULT_T_MAX
from ..dynamics.batch import METHOD as INTEGRATOR
from ..dynamics.batch import integrate_batch
from ..dynamics.schedules import GameSchedule
from ..dynamics.stability import vertex_stability
from ..errors import TripartiteError
from ..game import check_state, expected_payoffs
from ..model import Model
from .levers import cost_weights, current_values, default_levers, fiscal_receipts
from .package import _clean
from .regimes import parse_profile, vertex_names

__all__ = [
    "DurationSearch",
    "TemporaryProgramme",
    "minimal_duration",
    "programme_fiscal_cost",
    "temporary_programme",
]

#: Durations of the grid of the minimal-duration search (geometric on (0, horizon]).
DURATION_POINTS = 64
#: Intensities per lever of the grid of the cost search.
INTENSITY_POINTS = 17
#: Relative precision of the bisection of the minimal duration.
DURATION_RTOL = 1e-4
#: Durations tested per round of that bisection (in one batch).
SECTIONS = 31
METHOD = (
    "temporary programme: minimal duration by a grid of durations and bisection, certified entry into the "
    f"target's basin by the replicator integrator ({INTEGRATOR}); cost minimised by grid + local refinement"
)
OPTIMALITY = "grid+refine (local)"
#: The cost basis of a programme costed by the ``[fiscal]`` table.
MONEY_BASIS = (
    "fiscal cost: expected net receipts of the purse along the path without the programme minus along "
    "the path with it, integrated over the programme"
)


@dataclass(frozen=True)
class DurationSearch:
    """The minimal duration of a programme at fixed intensities.

    Attributes
    ----------
    intensities : dict
        Lever -> value held during the programme.
    duration : float or None
        The smallest duration found that ends in the target's basin (the
        success end of the refined bracket); ``None``: none within the horizon.
    bracket : (float, float) or None
        The failing and the succeeding duration that bound the switch.
    monotone : bool
        The grid of durations showed failures, then successes only.
    switches : int
        How many times success changed along the grid.
    horizon : float
    """

    intensities: dict[str, float]
    duration: float | None
    bracket: tuple[float, float] | None
    monotone: bool
    switches: int
    horizon: float

    def to_record(self) -> dict[str, Any]:
        return {
            "intensities": dict(self.intensities),
            "duration": self.duration,
            "bracket": None if self.bracket is None else list(self.bracket),
            "monotone": self.monotone,
            "switches": self.switches,
            "horizon": self.horizon,
        }


@dataclass(frozen=True, eq=False)
class TemporaryProgramme:
    """The cheapest temporary programme found, or why there is none.

    Attributes
    ----------
    feasible : bool
    reason : str or None
        Why no programme works (``None`` when one does).
    levers : dict
        Lever -> value held during the programme.
    returns_to : dict
        Lever -> the model's value, restored at the end.
    duration, cost : float or None
    target : dict or None
        Player -> strategy of the stable state the programme leads to.
    verified : bool
        The whole schedule, integrated from the status quo, ends with
        certified convergence to the target.
    monotone : bool or None
        Whether success was monotone in the duration at the chosen intensities.
    status_quo : dict or None
        Player -> strategy where the status quo goes without a programme.
    stable : list of dict
        The asymptotically stable vertices at the model's values.
    weights : dict
        Lever -> cost weight (empty when the cost is the fiscal cost in money).
    cost_basis : str
    cost_unit : str
        The unit of :attr:`cost`: the ``[fiscal]`` unit (or "weighted change") times the
        time of the dynamics (a programme's cost accrues over its duration).
    fiscal_after : float or None
        With a ``[fiscal]`` table: :math:`F(d; \\theta^0) - F(v^*; \\theta^0)`, what the purse
        pays or forgoes per period at the state the programme leads to (the target) relative
        to where the status quo goes without it (:math:`d`), at the model's values after the
        programme; in :attr:`fiscal_unit`.
    fiscal_unit : str
    searched : tuple of str
        The levers the search could move.
    optimality : str
    alternatives : list of dict
        The best programme found for each lever alone.
    horizon : float
        The longest duration considered.
    method : str
    """

    feasible: bool
    reason: str | None = None
    levers: dict[str, float] = field(default_factory=dict)
    returns_to: dict[str, float] = field(default_factory=dict)
    duration: float | None = None
    cost: float | None = None
    target: dict[str, str] | None = None
    verified: bool = False
    monotone: bool | None = None
    status_quo: dict[str, str] | None = None
    stable: list[dict[str, str]] = field(default_factory=list)
    weights: dict[str, float] = field(default_factory=dict)
    cost_basis: str = ""
    cost_unit: str = ""
    fiscal_after: float | None = None
    fiscal_unit: str = ""
    searched: tuple[str, ...] = ()
    optimality: str = OPTIMALITY
    alternatives: list[dict[str, Any]] = field(default_factory=list)
    horizon: float = DEFAULT_T_MAX
    method: str = METHOD

    def to_record(self) -> dict[str, Any]:
        """JSON-ready (``tripartite escape --temporary --json``), without provenance.

        Returns
        -------
        dict
            ``feasible``, ``reason``, ``programme`` (``levers`` lever -> value
            during the programme, ``returns_to``, ``duration``, ``cost``,
            ``target`` (profile), ``verified``, ``monotone``; ``None`` when not
            feasible), ``status_quo``, ``stable_states``, ``weights``,
            ``cost_basis``, ``optimality``, ``alternatives``, ``horizon``,
            ``permanent`` (where to look when no temporary programme works).

        Examples
        --------
        >>> from tripartite import load_model
        >>> r = temporary_programme(load_model("baseline"), ["phi"]).to_record()
        >>> r["feasible"], r["programme"], r["permanent"]
        (False, None, 'tripartite escape MODEL (single-lever escapes and the least-cost package)')
        """
        programme = None
        if self.feasible:
            programme = {
                "levers": dict(self.levers),
                "returns_to": dict(self.returns_to),
                "duration": self.duration,
                "cost": self.cost,
                "target": self.target,
                "verified": self.verified,
                "monotone": self.monotone,
            }
        return {
            "feasible": self.feasible,
            "reason": self.reason,
            "programme": programme,
            "status_quo": self.status_quo,
            "stable_states": list(self.stable),
            "weights": dict(self.weights),
            "cost_basis": self.cost_basis,
            "cost_unit": self.cost_unit,
            "fiscal_after": self.fiscal_after,
            "fiscal_unit": self.fiscal_unit,
            "searched_levers": list(self.searched),
            "optimality": self.optimality,
            "alternatives": list(self.alternatives),
            "horizon": self.horizon,
            "permanent": None if self.feasible else PERMANENT,
        }

    def _repr_html_(self) -> str:
        from ..display import html_table

        if not self.feasible:
            return html_table(["temporary programme"], [[self.reason]])
        rows = [[k, f"{self.returns_to[k]:g}", f"{v:g}"] for k, v in self.levers.items()]
        caption = (
            f"temporary programme to {', '.join(self.target.values())}: duration {self.duration:.4g}, "
            f"cost {self.cost:.4g} {self.cost_unit} ({'verified' if self.verified else 'NOT verified'})"
        )
        return html_table(["lever", "model's value", "during the programme"], rows, caption)


PERMANENT = "tripartite escape MODEL (single-lever escapes and the least-cost package)"


# --- the pieces ---------------------------------------------------------------------------------------


def _search_range(model: Model, name: str, current: float) -> tuple[float, float]:
    p = model.parameter(name)
    span = 4.0 * max(abs(current), 1.0)
    lo = p.min if math.isfinite(p.min) else current - span
    hi = p.max if math.isfinite(p.max) else current + span
    return max(lo, p.min), min(hi, p.max)


def _duration_grid(horizon: float, points: int) -> np.ndarray:
    return np.geomspace(horizon * 1e-4, horizon, points)


#: Points (uniform in the programme's time) of the fiscal cost integral (Simpson's rule).
COST_POINTS = 129


def _expected_receipts(tables: np.ndarray, paths: Sequence[np.ndarray]) -> np.ndarray:
    """Expected net receipts along recorded paths: tables (R, *shape), paths per player (R, T, s_i) -> (R, T)."""
    rows, times = paths[0].shape[:2]
    n = len(paths)
    xs = [p.reshape(rows * times, p.shape[2]) for p in paths]
    table = np.repeat(tables, times, axis=0)[:, None]  # one "player" holding the receipts
    payoffs = np.broadcast_to(table, (rows * times, n, *tables.shape[1:]))
    return expected_payoffs(payoffs, xs)[:, 0].reshape(rows, times)


def _money(model: Model, current, start, pairs: Sequence[tuple[Mapping[str, float], float]]) -> np.ndarray:
    """The fiscal cost of each programme ``(intensities, duration)``, in the ``[fiscal]`` unit x time.

    :math:`\\int_0^\\tau [F(x^0(t); \\theta^0) - F(x(t); \\theta)]\\, dt`, with the paths from
    the status quo with (:math:`x`) and without (:math:`x^0`) the programme.  All programmes in
    one batch: on :math:`s = t/\\tau \\in [0, 1]` the replicator field of payoffs
    :math:`\\tau u` is :math:`\\tau` times that of :math:`u`, so every path is recorded at the
    same :data:`COST_POINTS` times of ``s`` and the integral is
    :math:`\\tau \\int_0^1 \\ldots ds` (Simpson's rule on the continuous extension's values).
    """
    from scipy.integrate import simpson

    if not pairs:
        return np.zeros(0)
    taus = np.array([float(tau) for _, tau in pairs])
    names = sorted({k for during, _ in pairs for k in during})
    point: dict[str, Any] = dict(current)
    for name in names:
        point[name] = np.array([float(during.get(name, current[name])) for during, _ in pairs])
    k = len(pairs)
    base_payoffs = model.game(current).payoffs
    held = np.broadcast_to(model.game(point).payoffs, (k, *base_payoffs.shape[1:]))
    both = np.concatenate([held, np.broadcast_to(base_payoffs, held.shape)])
    scaled = both * np.concatenate([taus, taus]).reshape(-1, *[1] * (both.ndim - 1))
    times = np.linspace(0.0, 1.0, COST_POINTS)
    res = integrate_batch(scaled, start, 1.0, t_eval=times)
    tables = np.concatenate(
        [
            np.broadcast_to(fiscal_receipts(model, point), (k, *model.shape)),
            np.repeat(fiscal_receipts(model, current), k, axis=0),
        ]
    )
    receipts = _expected_receipts(tables, res.paths)  # (2k, T): with the programme, then without
    return taus * simpson(receipts[k:] - receipts[:k], x=times, axis=1)


def programme_fiscal_cost(
    model: Model,
    intensities: Mapping[str, float],
    duration: float,
    *,
    values: Mapping[str, Any] | None = None,
    start: Sequence | None = None,
) -> float:
    """What a temporary programme costs the public purse while it runs, from the ``[fiscal]`` table.

    .. math:: C = \\int_0^\\tau \\big[F(x^0(t); \\theta^0) - F(x(t); \\theta)\\big]\\, dt,

    the expected net receipts (:func:`~tripartite.sweep.levers.fiscal_receipts`, at the
    population state) along the path without the programme minus those along the path with
    it, from the status quo: what the government and the funds pay or forgo *because of*
    the programme (subsidies paid, contributions forgone, and the receipts that change as
    the state moves), in the account's unit times the time of the dynamics.

    Examples
    --------
    >>> from tripartite import load_model
    >>> model = load_model("baseline")
    >>> programme_fiscal_cost(model, {"c": 600.0}, 0.0)
    0.0
    """
    current = current_values(model, values)
    if start is None:
        if model.initial_state is None:
            raise TripartiteError(f"model {model.name!r} documents no status quo (initial state): give one")
        start = model.initial_state
    start = check_state(start, model.shape, model.players, what="status quo")
    if not (duration >= 0 and math.isfinite(duration)):
        raise TripartiteError("the duration must be a non-negative number")
    if duration == 0:
        return 0.0
    return float(_money(model, current, start, [(dict(intensities), float(duration))])[0])


def _reaches(model, base, start, target, during: Sequence[Mapping[str, float]], durations) -> np.ndarray:
    """Success ``(P, D)`` of each intensity point held for each duration: certified convergence to ``target``.

    Phase 1: one trajectory per intensity point under its values, recorded at
    the durations; phase 2: from every recorded state, the trajectory at the
    model's values (one batch).
    """
    durations = np.asarray(durations, dtype=float)
    names = sorted({k for d in during for k in d})
    point = dict(base)
    for name in names:
        point[name] = np.array([float(d.get(name, base[name])) for d in during])
    horizon = float(durations[-1])
    first = integrate_batch(
        model.game(point), start, horizon, t_eval=np.concatenate([[0.0], durations]), stop_early=False
    )
    states = [p[:, 1:].reshape(-1, p.shape[2]) for p in first.paths]  # (P * D, s_i)
    ok = ~np.isnan(np.concatenate(states, axis=1)).any(axis=1)
    states = [np.where(ok[:, None], x, 1.0 / x.shape[1]) for x in states]
    second = integrate_batch(model.game(base), states, DEFAULT_T_MAX)
    reached = np.all(second.vertex == np.asarray(target), axis=1) & second.certified & ok
    return reached.reshape(len(during), len(durations))


def _first_success(row: np.ndarray) -> tuple[int | None, bool, int]:
    hits = np.flatnonzero(row)
    switches = int(np.count_nonzero(np.diff(row.astype(int))))
    if not len(hits):
        return None, True, switches
    first = int(hits[0])
    return first, bool(row[first:].all()), switches


def _bisect(model, base, start, target, during, lo: float, hi: float) -> tuple[float, float]:
    """Refine the bracket (``lo`` fails, ``hi`` succeeds) to :data:`DURATION_RTOL`.

    Each round tests :data:`SECTIONS` durations evenly inside the bracket in
    one batch and keeps the first success and the failure before it (a
    k-section: bisection's rule, with a 32-fold shrink per round).
    """
    while hi - lo > DURATION_RTOL * hi:
        inner = np.linspace(lo, hi, SECTIONS + 2)[1:-1]
        row = _reaches(model, base, start, target, [during], inner)[0]
        hits = np.flatnonzero(row)
        if len(hits):
            k = int(hits[0])
            lo, hi = (float(inner[k - 1]) if k else lo), float(inner[k])
        else:
            lo = float(inner[-1])
    return lo, hi


def _search(
    model, base, start, target, during: Mapping[str, float], horizon: float, points: int, row=None, near=None
):
    """The minimal duration at ``during``: a grid of durations on (0, horizon], then the bracket refined.

    With ``near`` (a duration found at nearby intensities, for the local
    refinement only), the grid spans ``near / 4`` to ``4 near``.
    """
    if near is None:
        grid = _duration_grid(horizon, points)
    else:
        grid = np.geomspace(near / 4, min(4 * near, horizon), 16)
    if row is None:
        row = _reaches(model, base, start, target, [during], grid)[0]
    first, monotone, switches = _first_success(row)
    if first is None:
        return DurationSearch(dict(during), None, None, monotone, switches, horizon)
    lo = float(grid[first - 1]) if first > 0 else 0.0
    lo, hi = _bisect(model, base, start, target, during, lo, float(grid[first]))
    return DurationSearch(dict(during), hi, (lo, hi), monotone, switches, horizon)


def _setup(model: Model, values, start, target):
    current = current_values(model, values)
    game = model.game(current)
    if game.state_dependent:
        raise TripartiteError(
            "temporary programmes need certified convergence to a vertex, which payoffs that depend on the "
            "state do not have: set the state-dependent levers to 0"
        )
    if start is None:
        if model.initial_state is None:
            raise TripartiteError(f"model {model.name!r} documents no status quo (initial state): give one")
        start = model.initial_state
    start = check_state(start, model.shape, model.players, what="status quo")
    status = integrate_batch(game, start, DEFAULT_T_MAX)
    destination = status.profile(0) if status.certified[0] else None
    stable = [tuple(int(k) for k in v) for v in np.argwhere(vertex_stability(game).stable[0])]
    goal = None if target is None else parse_profile(model, target)
    return current, game, start, destination, stable, goal


def minimal_duration(
    model: Model,
    intensities: Mapping[str, float],
    *,
    target: str | Sequence[int],
    values: Mapping[str, Any] | None = None,
    start: Sequence | None = None,
    horizon: float = DEFAULT_T_MAX,
    points: int = DURATION_POINTS,
) -> DurationSearch:
    """The shortest time the levers must be held at ``intensities`` for the system to end at ``target``.

    Parameters
    ----------
    model : Model
    intensities : mapping
        Lever -> value during the programme.
    target : profile
        The stable vertex to reach (a friendly name, strategy names, or indices).
    values : mapping, optional
        The model's point, restored after the programme.
    start : state, optional
        Default: the model's status quo (initial state).
    horizon : float
        The longest duration considered.
    points : int
        Durations of the search grid.

    Examples
    --------
    >>> from tripartite import load_model
    >>> model, bistable = load_model("baseline"), {"nu": 0.25, "k": 0.2}
    >>> found = minimal_duration(model, {"phi": 1.0}, target="high", values=bistable, points=8)
    >>> 0 < found.duration < 1, found.monotone
    (True, True)
    """
    current, _, start, _, _, goal = _setup(model, values, start, target)
    for name, value in intensities.items():
        model.parameter(name).check(value)
    if not (horizon > 0 and math.isfinite(horizon)):
        raise TripartiteError("the horizon must be a positive number")
    return _search(
        model, current, start, goal, {k: float(v) for k, v in intensities.items()}, horizon, points
    )


def temporary_programme(
    model: Model,
    levers: Sequence[str] | None = None,
    *,
    target: str | Sequence[int] | None = None,
    values: Mapping[str, Any] | None = None,
    costs: Mapping[str, float] | None = None,
    horizon: float = DEFAULT_T_MAX,
    start: Sequence | None = None,
    grid: int = INTENSITY_POINTS,
) -> TemporaryProgramme:
    """The cheapest temporary programme that moves the status quo for good to a better stable state.

    Parameters
    ----------
    model : Model
    levers : list of str, optional
        The levers the programme may move (default: the model's policy levers).
    target : profile, optional
        The stable vertex to reach; default: the cheapest of the asymptotically
        stable vertices the status quo does not already go to.
    values : mapping, optional
        The model's point (restored after the programme).
    costs : mapping, optional
        Cost weight per lever; others keep the fiscal exposure (as ``escape``).
    horizon : float
        The longest programme considered.
    start : state, optional
        The status quo (default: the model's initial state).
    grid : int
        Intensities per lever of the search grid.

    Returns
    -------
    TemporaryProgramme

    Examples
    --------
    At baseline's defaults only the low state is stable, so no programme can work:

    >>> from tripartite import load_model
    >>> p = temporary_programme(load_model("baseline"), ["phi"], target="high")
    >>> p.feasible, p.reason[:63]
    (False, 'no temporary programme can reach high: it is not asymptotically')

    In the bistable regime ``nu = 0.25, k = 0.2`` it can (see
    ``notebooks/05_temporary_programmes.ipynb``): ``temporary_programme(model,
    ["phi"], values={"nu": 0.25, "k": 0.2})`` holds phi near 1 for a short
    while, verified.
    """
    if not (horizon > 0 and math.isfinite(horizon)):
        raise TripartiteError("the horizon must be a positive number")
    if grid < 2:
        raise TripartiteError("the intensity grid needs at least 2 points")
    current, game, start, destination, stable, goal = _setup(model, values, start, target)
    levers = list(levers) if levers is not None else default_levers(model)
    for name in levers:
        model.parameter(name)
    if not levers:
        raise TripartiteError("a temporary programme needs at least one lever")
    money = model.fiscal is not None and not costs
    if money:
        weights: dict[str, float] = {}
        basis = MONEY_BASIS
        unit = f"{model.fiscal.unit or 'money'} x t (time of the dynamics)"
    else:
        weights, basis = cost_weights(model, levers, current, costs)
        unit = "weighted change x t (time of the dynamics)"
    names = vertex_names(model)

    def profile(v):
        return game.profile_names(v)

    common = dict(
        status_quo=profile(destination) if destination is not None else None,
        stable=[profile(v) for v in stable],
        weights=weights,
        cost_basis=basis,
        cost_unit=unit,
        searched=tuple(levers),
        horizon=float(horizon),
    )
    where = names[destination] if destination is not None else "no certified vertex"
    candidates = [v for v in stable if v != destination]
    if goal is not None:
        if goal not in stable:
            return TemporaryProgramme(
                False,
                f"no temporary programme can reach {names[goal]}: it is not asymptotically stable at the model's "
                "values, so the system would leave it when the levers return; a permanent change is needed "
                f"(see {PERMANENT})",
                **common,
            )
        if goal == destination:
            return TemporaryProgramme(
                True,
                None,
                levers={},
                returns_to={},
                duration=0.0,
                cost=0.0,
                target=profile(goal),
                verified=True,
                monotone=True,
                **common,
            )
        candidates = [goal]
    if not candidates:
        return TemporaryProgramme(
            False,
            "no temporary programme can work: at the model's values the only asymptotically stable state is "
            f"where the status quo goes ({where}), so any programme's effect fades when the levers return; "
            f"a permanent change is needed (see {PERMANENT})",
            **common,
        )
    ranges = {n: _search_range(model, n, current[n]) for n in levers}
    scale = {n: (hi - lo) or 1.0 for n, (lo, hi) in ranges.items()}
    if money:  # never buy the target with a tax rise or a subsidy cut: such moves are not searched
        ranges = _costly_sides(model, current, start, ranges)

    def effort(during: Mapping[str, float], tau: float) -> float:
        return tau * sum(abs(v - current[k]) / scale[k] for k, v in during.items())

    def scores(pairs) -> list[tuple[float, float]]:
        """(cost, effort) of each programme (intensities, duration); the fiscal costs in one batch."""
        if money:
            costs_ = _money(model, current, start, [(d, t) for d, t in pairs]).tolist()
        else:
            costs_ = [t * sum(weights[k] * abs(v - current[k]) for k, v in d.items()) for d, t in pairs]
        return [(_clean(c), effort(d, t)) for c, (d, t) in zip(costs_, pairs)]

    def score(during: Mapping[str, float], tau: float) -> tuple[float, float]:
        return scores([(during, tau)])[0]

    durations = _duration_grid(horizon, DURATION_POINTS)
    best = None  # (score, target, during, DurationSearch)
    alternatives = []
    for v in candidates:
        trials: list[dict[str, float]] = []
        for n in levers:
            lo, hi = ranges[n]
            trials += [{n: float(x)} for x in np.linspace(lo, hi, grid) if x != current[n]]
        if 2 <= len(levers) <= 3:
            axes = [np.linspace(*ranges[n], max(3, grid // 3)) for n in levers]
            for combo in np.array(np.meshgrid(*axes, indexing="ij")).reshape(len(levers), -1).T:
                during = {n: float(x) for n, x in zip(levers, combo) if x != current[n]}
                if len(during) >= 2:
                    trials.append(during)
        table = _reaches(model, current, start, v, trials, durations)
        hits = []
        for during, row in zip(trials, table):
            first, _, _ = _first_success(row)
            if first is not None:
                hits.append((during, row, float(durations[first])))
        found = [
            (sc, during, row, tau)
            for sc, (during, row, tau) in zip(scores([(h[0], h[2]) for h in hits]), hits)
        ]
        for n in levers:
            mine = [f for f in found if list(f[1]) == [n]]
            if mine:
                (cost, _), during, _, tau = min(mine, key=lambda f: f[0])
                alternatives.append(
                    {
                        "lever": n,
                        "value": during[n],
                        "duration": tau,
                        "cost": cost,
                        "target": profile(v),
                        "on": "grid",
                    }
                )
        if not found:
            continue
        # the durations on the grid are quantised: refine the three best before choosing one
        searches = [
            (during, _search(model, current, start, v, during, horizon, DURATION_POINTS, row=row))
            for _, during, row, _ in sorted(found, key=lambda f: f[0])[:3]
        ]
        refined = [
            (sc, during, search)
            for sc, (during, search) in zip(scores([(d, se.duration) for d, se in searches]), searches)
        ]
        _, during, search = min(refined, key=lambda f: f[0])
        during, search = _refine(model, current, start, v, during, search, ranges, score, horizon)
        candidate = (score(during, search.duration), v, during, search)
        if best is None or candidate[0] < best[0]:
            best = candidate
    if best is None:
        return TemporaryProgramme(
            False,
            f"no programme of {', '.join(levers)} within their search ranges and a duration up to {horizon:g} "
            f"moves the status quo into the basin of {', '.join(names[v] for v in candidates)}",
            alternatives=alternatives,
            **common,
        )
    (cost, _), v, during, search = best
    verified = _verify(model, current, start, v, during, search.duration)
    after = None
    if model.fiscal is not None and destination is not None:
        receipts = fiscal_receipts(model, current)[0]
        after = _clean(float(receipts[destination] - receipts[v]))
    return TemporaryProgramme(
        True,
        None,
        levers=dict(during),
        returns_to={k: current[k] for k in during},
        duration=float(search.duration),
        cost=float(cost),
        target=profile(v),
        verified=verified,
        monotone=search.monotone,
        alternatives=alternatives,
        fiscal_after=after,
        fiscal_unit=model.fiscal.unit if model.fiscal is not None else "",
        **common,
    )


def _costly_sides(model, current, start, ranges):
    """Each lever's search range cut to the side where moving it costs the purse (or nothing).

    The sign of :math:`\\partial F(x_0; \\theta) / \\partial \\theta_k`, the expected net
    receipts at the status quo :math:`x_0`, by a one-sided difference inside the range: where
    raising a lever raises the receipts (a contribution, a premium) only lowering it is
    searched, and the other way round (a subsidy); a lever the receipts do not depend on keeps
    its range.
    """
    out = {}
    xs = [np.asarray(x, dtype=float)[None, None, :] for x in start]
    for name, (lo, hi) in ranges.items():
        p = model.parameter(name)
        step = 1e-6 * max(abs(current[name]), 1.0)
        if current[name] + step > p.max:
            step = -step
        tables = fiscal_receipts(model, {**current, name: np.array([current[name], current[name] + step])})
        before, after = _expected_receipts(tables, [np.repeat(x, 2, axis=0) for x in xs])[:, 0]
        slope = (after - before) / step
        tiny = 1e-9 * max(1.0, abs(before)) / abs(step)
        if slope > tiny:
            hi = current[name]
        elif slope < -tiny:
            lo = current[name]
        out[name] = (lo, hi)
    return out


def _refine(model, current, start, target, during, search, ranges, score, horizon):
    """Local refinement of the intensities around the best grid point (golden section or Nelder-Mead)."""
    from scipy.optimize import minimize, minimize_scalar

    names = list(during)
    use_cost = score(during, search.duration)[0] != 0
    cache: dict[tuple[float, ...], DurationSearch] = {}

    def objective(x) -> float:
        x = np.clip(np.atleast_1d(x), [ranges[n][0] for n in names], [ranges[n][1] for n in names])
        key = tuple(float(v) for v in x)
        if key not in cache:
            cache[key] = _search(
                model, current, start, target, dict(zip(names, key)), horizon, DURATION_POINTS
            )
        found = cache[key]
        if found.duration is None:
            return math.inf
        return score(dict(zip(names, key)), found.duration)[0 if use_cost else 1]

    x0 = np.array([during[n] for n in names])
    if len(names) == 1:
        n = names[0]
        lo, hi = ranges[n]
        step = (hi - lo) / (INTENSITY_POINTS - 1)
        a, b = max(lo, x0[0] - step), min(hi, x0[0] + step)
        if current[n] > a and current[n] < b:  # never search across the model's own value
            a, b = (current[n], b) if x0[0] > current[n] else (a, current[n])
        res = minimize_scalar(objective, bounds=(a, b), method="bounded", options={"xatol": 1e-2 * (hi - lo)})
        trial = np.array([res.x])
    else:
        res = minimize(
            objective, x0, method="Nelder-Mead", options={"maxfev": 30, "xatol": 1e-2, "fatol": 1e-9}
        )
        trial = res.x
    trial = np.clip(trial, [ranges[n][0] for n in names], [ranges[n][1] for n in names])
    if objective(trial) < objective(x0):
        chosen = {n: float(v) for n, v in zip(names, trial)}
        # the minimal duration at the refined intensities, on the full grid of durations (first success)
        full = _search(model, current, start, target, chosen, horizon, DURATION_POINTS)
        if full.duration is not None and score(chosen, full.duration) <= score(during, search.duration):
            return chosen, full
    return during, search


def _verify(model, current, start, target, during, duration: float) -> bool:
    """Integrate the whole schedule from the status quo: certified convergence to ``target``?"""
    games = GameSchedule((0.0, duration), (model.game({**current, **during}), model.game(current)))
    res = integrate_batch(games, start, duration + DEFAULT_T_MAX)
    return bool(res.certified[0] and res.profile(0) == tuple(target))
