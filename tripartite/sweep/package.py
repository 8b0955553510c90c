"""The least-cost package of levers that makes a target vertex the only stable one.

Levers :math:`x \\in [lo, hi]`; minimise the cost :math:`\\kappa(x)` subject to: the target vertex :math:`T` is
the *only* asymptotically stable vertex, with a strictness margin :math:`\\mu`:

.. math:: g_{T,k}(x) \\le -\\mu \\;\\forall k, \\qquad
          \\forall v \\ne T\\; \\exists k:\\; g_{v,k}(x) \\ge \\mu .

**The margin is part of the answer.**  :math:`\\mu` is a fraction (``margin``,
default :data:`~tripartite.sweep.levers.DEFAULT_MARGIN`, 1 %) of the game's
payoff scale :math:`\\sigma` at the current values
(:func:`~tripartite.sweep.levers.payoff_scale`, the largest range of one
player's payoffs), so it is in payoff units and means the same whatever the
currency: at the package every deviation from the target loses at least
:math:`\\mu`, and every other vertex has a deviation that gains at least
:math:`\\mu`.  The target is then asymptotically stable at the printed values
with room to spare (the package is checked again by the classification the
``stability`` command uses), and the dynamics near each vertex move at rates
of at least :math:`\\mu` rather than stalling on the edge of a condition.  The
margin kept at the printed (rounded) values is reported (``achieved_margin``).

**Costs in money.**  For a model with a ``[fiscal]`` table the package's
cost is its **fiscal cost** (:func:`~tripartite.sweep.levers.fiscal_cost`):
:math:`\\kappa(x) = F(\\ell; x^0) - F(T; x)`, what the government and the
funds pay or forgo at the target :math:`T` under the package, relative to
the low state :math:`\\ell` now, in the account's unit (``cost_unit``, yuan
per worker-month in the built-in models).  It is minimised through the
weights :math:`w_l = |\\partial\\kappa/\\partial x_l|` (the marginal fiscal
cost of each lever; :math:`\\kappa` must be linear in the levers): for a
package whose every move costs the purse money (lower contributions, higher
subsidies) :math:`\\kappa(x) = \\kappa(x^0) + \\sum_l w_l |\\Delta_l|`
exactly, so it is the least fiscal cost; a move that would *raise* revenue
(a higher contribution or premium) is charged, not credited, so the search
never buys the target with a tax rise, and the reported :math:`\\kappa` is
then below the objective.  With weights given (``costs``) the cost is
:math:`\\sum_l w_l |\\Delta_l|` (``cost_unit`` ``"weighted change"``) and the
fiscal cost is reported beside it (``fiscal_cost``); without a ``[fiscal]``
table the default weights are the government's fiscal exposure
(:func:`~tripartite.sweep.levers.fiscal_weights`).  Beside the cost the
package reports each player's welfare change (:mod:`tripartite.welfare`):
welfare at the target under the package minus welfare at the low state now.

The "exists" makes the feasible set a union of polyhedra when the
:math:`g` are linear in the levers.  Each choice of destabilising eigenvalue
is then a linear program (:func:`scipy.optimize.linprog`, HiGHS, with
:math:`x = x^0 + u - w`, :math:`u, w \\ge 0`); a depth-first branch and
bound over the choices, pruned by infeasibility and by the LP bound, finds the
global optimum.  Ties (levers without cost) are broken by the smallest total
relative change :math:`\\sum_l |\\Delta x_l| / \\mathrm{scale}_l` (a second LP).
A lever that enters no eigenvalue cannot change any vertex's stability; it is
left at its value and not searched (moving it would only add cost).  When some
condition is nonlinear in the levers and every condition is a polynomial in at
most :data:`GLOBAL_LEVERS` searched levers, each choice is solved by a
certified spatial branch and bound with interval bounds (``optimality``
``"global"``; past its box budget it reports its best point as ``"local"``).
Otherwise (more levers, or a condition that is not a polynomial) each choice
is solved with SLSQP from several starting points (the current values, the
parent node's solution, the nearest point meeting the conditions along each
lever's axis, and at the root three random points): a local optimum,
reported as such.  Polynomial conditions are evaluated numerically from their
monomials, with their exact Jacobian, and the programs run on one BLAS thread
(SLSQP's many tiny LAPACK calls are several times slower on a threaded
OpenBLAS).  An
infeasible target is reported with the binding conditions: an irreducible
set of the target's own conditions that cannot hold together within the lever
ranges, or a vertex that stays stable whenever the target is.  The default
weights are the government's fiscal exposure
(:func:`~tripartite.sweep.levers.fiscal_weights`).

Examples
--------
>>> from tripartite import load_model
>>> pkg = least_cost_package(load_model("baseline"), "high", ["nu"])
>>> pkg.feasible, pkg.binding
(False, ("platform's gain from share -> shirk at high < 0",))
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import sympy as sp

from ..errors import ParameterError, TripartiteError
from ..model import Model, numeric_function
from .escape import low_profile, trajectory_outcomes
from .levers import (
    DEFAULT_MARGIN,
    cost_weights,
    current_values,
    default_levers,
    describe_eigenvalue,
    fiscal_cost,
    fixed_eigenvalues,
    payoff_scale,
)
from .regimes import DEFAULT_TOL, classify_points, parse_profile, vertex_names

__all__ = ["DEFAULT_MARGIN", "EscapePackage", "least_cost_package", "payoff_scale"]


@dataclass(frozen=True)
class EscapePackage:
    """The least-cost package of levers under which the target is the only stable vertex.

    Attributes
    ----------
    target : str
    feasible : bool
    levers : tuple of str
    current : dict
        Lever -> value before the package.
    package : dict
        Lever -> value in the package (every lever; unchanged ones included).
    cost : float
        The fiscal cost (``cost_basis`` ``"fiscal cost ..."``) or :math:`\\sum_l w_l |\\Delta_l|`.
    relative_change : float
        :math:`\\sum_l |\\Delta_l| / scale_l` (the tie-break).
    weights : dict
    cost_basis : str
        ``"fiscal cost at the target relative to the low state"``, ``"given weights"``
        or ``"fiscal exposure"`` (weights, for a model without a ``[fiscal]`` table).
    cost_unit : str
        The unit of :attr:`cost` (``"yuan per worker-month"``; ``"weighted change"`` for weights).
    cost_formula : str
        The fiscal cost as an expression of the levers (empty without a ``[fiscal]`` table).
    fiscal_cost : float or None
        The fiscal cost in ``[fiscal]``'s unit (``None`` without the table); equal to
        :attr:`cost` unless weights were given.
    welfare_change : dict
        Player -> welfare at the target under the package minus welfare at the low state now.
    relative_to : str
        The low state the fiscal cost and the welfare change are measured from.
    achieved_margin : float or None
        At the package as given (and printed): the smallest of the target's
        eigenvalues' distance below 0 and each other vertex's largest
        eigenvalue above 0; at least :attr:`margin` (payoff units).  The
        package values are rounded away from the current values to the
        fewest significant digits (6, 9 or 12) that keep it.
    destabilised : dict
        Each other vertex -> the deviation gain the package makes positive
        (or "unstable for every package" when no lever is needed).
    binding : tuple of str
        When infeasible: the conditions that cannot be met together.
    method : str
    optimality : str
        ``"global"`` (linear case) or ``"local"`` (nonlinear case).
    margin : float
        Strictness margin :math:`\\mu` on the eigenvalues, in payoff units:
        :attr:`margin_relative` times :attr:`payoff_scale`.
    margin_relative : float
        The margin as a fraction of the payoff scale (``--margin``).
    payoff_scale : float
        The game's payoff scale at the current values (:func:`payoff_scale`).
    verified : bool
        The numeric classification at the package confirms the target is the
        only asymptotically stable vertex.
    stable_after : tuple of str
    from_status_quo : str or None
    """

    target: str
    feasible: bool
    levers: tuple[str, ...]
    current: dict[str, float]
    package: dict[str, float] = field(default_factory=dict)
    cost: float | None = None
    relative_change: float | None = None
    weights: dict[str, float] = field(default_factory=dict)
    cost_basis: str = ""
    cost_unit: str = ""
    cost_formula: str = ""
    welfare_change: dict[str, float] = field(default_factory=dict)
    fiscal_cost: float | None = None
    relative_to: str = ""
    achieved_margin: float | None = None
    destabilised: dict[str, str] = field(default_factory=dict)
    binding: tuple[str, ...] = ()
    method: str = ""
    optimality: str = ""
    margin: float = 0.0
    margin_relative: float = 0.0
    payoff_scale: float = 0.0
    verified: bool = False
    stable_after: tuple[str, ...] = ()
    from_status_quo: str | None = None

    @property
    def changes(self) -> dict[str, float]:
        """Lever -> change, for the levers the package moves."""
        return {
            k: self.package[k] - self.current[k]
            for k in self.levers
            if k in self.package
            and not math.isclose(self.package[k], self.current[k], rel_tol=0, abs_tol=1e-12)
        }

    def to_record(self) -> dict[str, Any]:
        """JSON-ready record: every field and :attr:`changes` (the same keys whether feasible or not).

        Examples
        --------
        >>> from tripartite import load_model
        >>> r = least_cost_package(load_model("baseline"), "high", ["nu"]).to_record()
        >>> r["feasible"], r["binding"], r["cost"]
        (False, ["platform's gain from share -> shirk at high < 0"], None)
        """
        return {
            "target": self.target,
            "feasible": bool(self.feasible),
            "levers": list(self.levers),
            "current": {k: float(v) for k, v in self.current.items()},
            "package": {k: float(v) for k, v in self.package.items()},
            "changes": {k: float(v) for k, v in self.changes.items()},
            "cost": None if self.cost is None else float(self.cost),
            "relative_change": None if self.relative_change is None else float(self.relative_change),
            "weights": {k: float(v) for k, v in self.weights.items()},
            "cost_basis": self.cost_basis,
            "cost_unit": self.cost_unit,
            "cost_formula": self.cost_formula,
            "welfare_change": {k: float(v) for k, v in self.welfare_change.items()},
            "fiscal_cost": None if self.fiscal_cost is None else float(self.fiscal_cost),
            "relative_to": self.relative_to,
            "achieved_margin": None if self.achieved_margin is None else float(self.achieved_margin),
            "destabilised": dict(self.destabilised),
            "binding": list(self.binding),
            "method": self.method,
            "optimality": self.optimality,
            "margin": float(self.margin),
            "margin_relative": float(self.margin_relative),
            "payoff_scale": float(self.payoff_scale),
            "verified": bool(self.verified),
            "stable_after": list(self.stable_after),
            "from_status_quo": self.from_status_quo,
        }

    def as_dict(self) -> dict[str, Any]:
        """The same as :meth:`to_record` (the older name)."""
        return self.to_record()

    def _repr_html_(self) -> str:
        from ..display import html_fields, html_table, number

        title = f"least-cost package making {self.target} the only asymptotically stable vertex"
        facts: list[tuple[str, object]] = [("feasible", "yes" if self.feasible else "no")]
        out = ""
        if self.feasible:
            moved = self.changes
            rows = [
                [
                    name,
                    number(self.current[name]),
                    number(self.package.get(name, self.current[name])),
                    f"{moved[name]:+.6g}" if name in moved else "0",
                    number(self.weights[name]) if name in self.weights else "",
                ]
                for name in self.levers
            ]
            out = html_table(["lever", "now", "package", "change", "weight"], rows, title)
            facts += [
                ("cost", f"{number(self.cost)} {self.cost_unit} ({self.cost_basis})"),
                ("welfare change", ", ".join(f"{k} {v:+.6g}" for k, v in self.welfare_change.items())),
                ("total relative change", number(self.relative_change)),
                ("optimality", self.optimality),
                ("verified", "yes" if self.verified else "NO"),
                ("stable at the package", ", ".join(self.stable_after) or "none"),
            ]
            if self.from_status_quo is not None:
                facts.append(("from the status quo the dynamics go to", self.from_status_quo))
        else:
            facts += [("binding condition", b) for b in self.binding]
        margin = f"{number(self.margin)} payoff units"
        if self.payoff_scale:
            margin += f" ({100 * self.margin_relative:g}% of the payoff scale {number(self.payoff_scale)})"
        facts += [("margin", margin), ("method", self.method)]
        return out + html_fields(facts, "" if self.feasible else title)

    def __repr__(self) -> str:
        if not self.feasible:
            binding = "; ".join(self.binding) or "no package found"
            return f"<EscapePackage to {self.target}: infeasible ({binding})>"
        changes = ", ".join(f"{k} {v:+.4g}" for k, v in self.changes.items()) or "none needed"
        check = "verified" if self.verified else "NOT verified"
        return (
            f"<EscapePackage to {self.target}: {changes}; cost {self.cost:.6g}, "
            f"{self.optimality.split(' ')[0]} optimum, {check}>"
        )


def least_cost_package(
    model: Model,
    target: str | Sequence[int] | None = "high",
    levers: Sequence[str] | None = None,
    *,
    costs: Mapping[str, float] | None = None,
    values: Mapping[str, Any] | None = None,
    bounds: Mapping[str, tuple[float, float]] | None = None,
    tol: float = DEFAULT_TOL,
    margin: float = DEFAULT_MARGIN,
    names: Mapping[Any, str] | None = None,
    trajectories: bool = True,
    max_nodes: int = 5_000,
    low: str | Sequence[int] | None = None,
) -> EscapePackage:
    """The cheapest change of ``levers`` that makes ``target`` the only stable vertex.

    Parameters
    ----------
    model : Model
    target : profile or friendly name
        Default ``"high"``.
    levers : list of str, optional
        Default: the model's policy levers (:func:`default_levers`).
    costs : mapping, optional
        Cost weight per lever (per unit of change) instead of the fiscal cost;
        levers not given are weighted by the government's fiscal exposure
        (:func:`fiscal_weights`).  Without it, the fiscal cost in money of a
        model with a ``[fiscal]`` table, else the fiscal-exposure weights.
    values : mapping, optional
        Current values of all parameters (defaults otherwise).
    bounds : mapping, optional
        Narrower ranges for some levers (default: the admissible ranges).
    tol : float
        Tolerance of the final numeric check, relative to the payoff scale (as ``margin``).
    margin : float
        Strictness margin on the eigenvalues as a fraction of the game's payoff scale
        :math:`\\sigma` at the current values (:func:`payoff_scale`): the package keeps
        every eigenvalue of the target at most :math:`-\\mu` and one of every other
        vertex at least :math:`\\mu`, :math:`\\mu = \\text{margin} \\cdot \\sigma` in payoff
        units (``EscapePackage.margin``).  Default :data:`DEFAULT_MARGIN` (1 %):
        a deviation from the target loses at least 1 % of the largest payoff range,
        so the target is asymptotically stable at the printed values with room to
        spare, and the dynamics near it move at rates of that order (a margin near
        0 leaves a package on the edge of its conditions, where they barely move).
        ``margin`` must exceed ``tol``.
    trajectories : bool
        Also report where the dynamics go from the status quo under the package.
    max_nodes : int
        Budget of the branch and bound (programs solved).
    low : profile or friendly name, optional
        The state the fiscal cost and the welfare change are relative to
        (default: the low profile, :func:`~tripartite.sweep.escape.low_profile`).

    Returns
    -------
    EscapePackage

    Examples
    --------
    >>> from tripartite import load_model
    >>> pkg = least_cost_package(load_model("baseline"), "high", ["k", "nu"], costs={"k": 1, "nu": 1})
    >>> pkg.feasible, {k: round(v, 4) for k, v in pkg.changes.items()}, pkg.optimality
    (True, {'k': -0.1641, 'nu': 0.4656}, 'global')
    >>> pkg.margin_relative, pkg.margin == 0.01 * pkg.payoff_scale  # k = (260 - margin)/720
    (0.01, True)
    >>> pkg.verified, pkg.stable_after
    (True, ('high',))
    """
    if not (margin > 0 and math.isfinite(margin)):
        raise TripartiteError("the margin must be a positive fraction of the payoff scale")
    current = current_values(model, values)
    scale = payoff_scale(model, current)
    mu = float(margin) * scale  # in payoff units
    if not margin > tol:
        raise TripartiteError(
            f"the margin ({margin:g} of the payoff scale {scale:g}) must be larger than the tolerance "
            f"({tol:g} of the payoff scale)"
        )
    display = vertex_names(model, names)
    target_prof = parse_profile(model, target if target is not None else "high")
    levers = _checked_levers(levers, model)
    los, his = _lever_bounds(model, levers, current, bounds)
    if costs or model.fiscal is None:
        weights, basis = cost_weights(model, levers, current, costs)
    x0 = np.array([current[n] for n in levers])
    low_prof = low_profile(model, low, current, tol)
    fiscal = fiscal_form = None
    unit = "weighted change"
    if model.fiscal is not None:
        fiscal = fiscal_cost(model, target_prof, low_prof, current, levers)
        fiscal_form = _linear(fiscal, [model.symbols[n] for n in levers])
        if fiscal_form is None:
            raise TripartiteError(
                f"the fiscal cost {fiscal} is not linear in the levers {', '.join(levers)}; give cost weights"
            )
        if not costs:
            weights = {n: abs(float(a)) for n, a in zip(levers, fiscal_form[0])}
            basis = f"fiscal cost at {display[target_prof]} relative to {display[low_prof]}"
            unit = model.fiscal.unit or "money"
    w_all = np.array([weights[n] for n in levers])
    scale_all = np.array([_scale(model.parameter(n), current[n]) for n in levers])
    eigenvalues = fixed_eigenvalues(model, current, levers)
    # A lever in none of the eigenvalues cannot change any vertex's stability: moving it only
    # adds cost (weight >= 0) and relative change, so the optimum leaves it where it is.  The
    # search runs over the levers that enter the conditions (fewer dimensions, and a certified
    # search whenever at most GLOBAL_LEVERS of them do).
    used = {s.name for exprs in eigenvalues.values() for e in exprs for s in e.free_symbols}
    active = np.array([k for k, n in enumerate(levers) if n in used] or range(len(levers)), dtype=int)
    problem = _Problem(
        [levers[k] for k in active],
        x0[active],
        los[active],
        his[active],
        w_all[active],
        scale_all[active],
        mu,
        [model.symbols[levers[k]] for k in active],
    )
    conds = _conditions(model, eigenvalues, problem.syms, display)
    every = [c for cs in conds.values() for c in cs]
    linear = all(c.a is not None for c in every)
    solver = _solver(problem, every, linear)
    common = {
        "target": display[target_prof],
        "levers": tuple(levers),
        "current": {n: float(v) for n, v in zip(levers, x0)},
        "weights": {n: float(w) for n, w in zip(levers, w_all)},
        "cost_basis": basis,
        "cost_unit": unit,
        "cost_formula": "" if fiscal is None else str(fiscal),
        "relative_to": display[low_prof],
        "margin": _clean(mu),
        "margin_relative": float(margin),
        "payoff_scale": _clean(scale),
        "method": solver.method,
        "optimality": solver.optimality,
    }
    target_conds = conds[target_prof]
    others = {v: cs for v, cs in conds.items() if v != target_prof}
    with _one_blas_thread():
        best = _branch_and_bound(solver, target_conds, others, max_nodes)
    common["optimality"] = solver.optimality  # the spatial search says whether it was certified
    if best is None:
        return EscapePackage(
            feasible=False, binding=_binding(solver, target_conds, others, display, target_prof), **common
        )
    x_best, chosen = best
    x_best = np.clip(x_best, problem.lo, problem.hi)
    # solver noise: a lever moved by less than 1e-9 of its scale is left where it was
    x_best = np.where(np.abs(x_best - problem.x0) <= 1e-9 * problem.scale, problem.x0, x_best)
    x_best = _unmoved_where_possible(solver, x_best, problem, target_conds, others)
    # the printed package: as few digits as keep the stated margin (rounded away from x0)
    x_best, achieved = _printable(solver, x_best, problem, target_conds, others)
    destabilised = _destabilised(solver, x_best, others, chosen, display, mu)
    x_best, x_active = x0.copy(), x_best
    x_best[active] = x_active  # the levers outside the conditions stay where they are
    package = {n: float(v) for n, v in zip(levers, x_best)}
    point = {**current, **package}
    reg = classify_points(model, point, tol, names)
    stable_after = tuple(reg.names_of(reg.stable[0]))
    verified = (
        stable_after == (display[target_prof],)
        and not bool(reg.boundary[0])
        and achieved > float(reg.tolerance[0])
    )
    from_sq = None
    if trajectories and model.initial_state is not None:
        start = [np.asarray(s, dtype=float) for s in model.initial_state]
        from_sq = trajectory_outcomes(model, [(point, start)], display)[0]
    delta = np.abs(x_best - x0)
    welfare_change = _welfare_change(model, point, current, target_prof, low_prof)
    in_money = None if fiscal_form is None else _clean(float(fiscal_form[0] @ x_best + fiscal_form[1]))
    return EscapePackage(
        feasible=True,
        package=package,
        cost=in_money if fiscal_form is not None and not costs else _clean(float(w_all @ delta)),
        fiscal_cost=in_money,
        welfare_change=welfare_change,
        achieved_margin=_clean(achieved),
        relative_change=float(np.sum(delta / scale_all)),
        destabilised=destabilised,
        verified=verified,
        stable_after=stable_after,
        from_status_quo=from_sq,
        **common,
    )


@contextmanager
def _one_blas_thread():
    """Run the block on one OpenBLAS thread, and restore the thread counts after.

    SLSQP makes thousands of tiny dense LAPACK calls; a multithreaded OpenBLAS
    wakes (and spins) its threads on each, which makes them several times
    slower, and much slower on a loaded machine.  The OpenBLAS libraries
    loaded in the process (numpy's and scipy's, found in ``/proc/self/maps``)
    are set to one thread through their ``*_set_num_threads`` entry points;
    where that is not possible (another BLAS, another platform) nothing changes.
    """
    import scipy.optimize  # noqa: F401  (loads scipy's OpenBLAS before the scan)

    restore = []
    try:
        for get, put in _openblas_controls():
            restore.append((put, get()))
            put(1)
    except (OSError, AttributeError, ValueError):  # pragma: no cover - no usable OpenBLAS
        pass
    try:
        yield
    finally:
        for put, count in restore:
            put(count)


def _openblas_controls() -> list:
    """(get_num_threads, set_num_threads) of each OpenBLAS loaded in the process."""
    import ctypes

    try:
        with open("/proc/self/maps") as maps:
            paths = dict.fromkeys(
                line.split()[-1] for line in maps if "openblas" in line.rsplit("/", 1)[-1].lower()
            )
    except OSError:
        return []
    out = []
    for path in paths:
        try:
            lib = ctypes.CDLL(path)
        except OSError:
            continue
        for suffix in ("64_", "", "_64_"):
            get = getattr(lib, f"scipy_openblas_get_num_threads{suffix}", None) or getattr(
                lib, f"openblas_get_num_threads{suffix}", None
            )
            put = getattr(lib, f"scipy_openblas_set_num_threads{suffix}", None) or getattr(
                lib, f"openblas_set_num_threads{suffix}", None
            )
            if get is not None and put is not None:
                get.restype = ctypes.c_int
                put.argtypes = [ctypes.c_int]
                out.append((get, put))
                break
    return out


def _achieved_margin(solver, x, target, others) -> float:
    """How far inside its conditions the package ``x`` is: min of -g (target) and max g (other vertices)."""
    g = solver.values(x)
    inside = [-g[c.index] for c in target]
    inside += [max(g[c.index] for c in cs) for cs in others.values()]
    return float(min(inside)) if inside else math.inf


def _unmoved_where_possible(solver, x, problem, target, others) -> np.ndarray:
    """``x`` with every lever whose return to its current value keeps the margin put back.

    Local solvers leave levers a hair away from where they started (SLSQP meets
    its constraints to about 1e-11 and stops); moving a lever back never raises
    the cost or the relative change, so a lever that can go back does.
    """
    need = problem.margin * (1 - 1e-3)
    x = x.copy()
    for k in np.argsort(np.abs(x - problem.x0) / problem.scale):
        if x[k] == problem.x0[k]:
            continue
        trial = x.copy()
        trial[k] = problem.x0[k]
        if _achieved_margin(solver, trial, target, others) >= need:
            x = trial
    return x


def _printable(solver, x, problem, target, others) -> tuple[np.ndarray, float]:
    """``x`` rounded away from the current values to 6, 9 or 12 significant digits, keeping the margin."""
    need = problem.margin * (1 - 1e-3)
    for digits in (6, 9, 12):
        y = x.copy()
        for k, (v, v0) in enumerate(zip(x, problem.x0)):
            if v == v0 or v == 0:
                continue
            step = 10.0 ** (math.floor(math.log10(abs(v))) - digits + 1)
            y[k] = math.ceil(v / step) * step if v > v0 else math.floor(v / step) * step
            y[k] = float(f"{min(max(y[k], problem.lo[k]), problem.hi[k]):.{digits}g}")
        achieved = _achieved_margin(solver, y, target, others)
        if achieved >= need:
            return y, achieved
    return x, _achieved_margin(solver, x, target, others)


def _clean(value: float, scale: float = 1.0) -> float:
    """A computed amount at sensible precision: 12 significant digits, float noise (< 1e-9) shown as 0."""
    value = float(value)
    if abs(value) <= 1e-9 * max(1.0, scale):
        return 0.0
    return float(f"{value:.12g}")


def _welfare_change(model: Model, point, current, target, low) -> dict[str, float]:
    """Player -> welfare at ``target`` under the package ``point`` minus welfare at ``low`` now."""
    from ..game import profile_from_indices
    from ..welfare import welfare_at, welfare_game

    after = welfare_at(welfare_game(model, point), profile_from_indices(model.shape, target))
    before = welfare_at(welfare_game(model, current), profile_from_indices(model.shape, low))
    scale = max(1.0, float(np.max(np.abs(before))))
    return {p: _clean(a - b, scale) for p, a, b in zip(model.players, after, before)}


def _solver(problem: _Problem, conditions: list[_Condition], linear: bool):
    """Linear programs; a certified spatial search for polynomial conditions in up to
    :data:`GLOBAL_LEVERS` levers; SLSQP (local) beyond."""
    if linear:
        return _LinearSolver(problem, conditions)
    polys = [c.poly for c in conditions]
    if not all(poly is not None for poly in polys):
        return _NonlinearSolver(problem, conditions)
    if len(problem.levers) <= GLOBAL_LEVERS:
        return _GlobalSolver(problem, conditions, polys)
    return _NonlinearSolver(problem, conditions, polys)


class _PolyStack:
    """Polynomial conditions evaluated numerically, with their exact Jacobian.

    Condition :math:`k` is :math:`g_k(x) = \\sum_j C_{kj} \\prod_l x_l^{E_{jl}}` over the
    monomials :math:`E` of all conditions; its derivative in :math:`x_l` is
    :math:`\\sum_j C_{kj} E_{jl} x_l^{E_{jl}-1} \\prod_{l' \\ne l} x_{l'}^{E_{jl'}}`.
    """

    def __init__(self, polys, n: int):
        monomials: dict[tuple[int, ...], int] = {}
        for exps, _ in polys:
            for e in exps.tolist():
                monomials.setdefault(tuple(e), len(monomials))
        self.exps = np.array(list(monomials), dtype=int).reshape(len(monomials), n)
        self.coefs = np.zeros((len(polys), len(monomials)))
        for k, (exps, coefs) in enumerate(polys):
            for e, c in zip(exps.tolist(), coefs):
                self.coefs[k, monomials[tuple(e)]] += c
        self.n = n
        eye = np.eye(n, dtype=int)
        self._lowered = np.maximum(self.exps[None, :, :] - eye[:, None, :], 0)  # (n, M, n)
        self._factor = self.exps.T.astype(float)  # (n, M): E_jv, 0 where x_v is absent

    def values(self, xs: np.ndarray) -> np.ndarray:
        """(..., K) condition values at points ``xs`` (..., n)."""
        xs = np.asarray(xs, dtype=float)
        flat = xs.reshape(-1, self.n)
        if len(flat) <= 16:  # a few points: one power per monomial and lever
            mono = np.prod(flat[:, None, :] ** self.exps, axis=-1)
            return (mono @ self.coefs.T).reshape(*xs.shape[:-1], len(self.coefs))
        top = int(self.exps.max(initial=0))
        # each monomial as a product of table look-ups x_v ** e (no general power per point)
        powers = flat[:, :, None] ** np.arange(top + 1)  # (B, n, top + 1)
        mono = np.ones((len(flat), len(self.exps)))
        for v in range(self.n):
            if self.exps[:, v].any():
                mono *= powers[:, v, self.exps[:, v]]
        return (mono @ self.coefs.T).reshape(*xs.shape[:-1], len(self.coefs))

    def jacobian(self, x: np.ndarray) -> np.ndarray:
        """(K, n) derivatives at one point ``x``."""
        x = np.asarray(x, dtype=float)
        # (n, M): d monomial_j / d x_v = E_jv * prod_l x_l ** (E_jl - [l == v])
        return self.coefs @ (self._factor * np.prod(x**self._lowered, axis=-1)).T


def _destabilised(solver, x, others, chosen, display, margin: float) -> dict[str, str]:
    """Each other vertex -> the deviation gain that is positive at the package ``x``."""
    values_at = solver.values(x)
    out = {}
    for v, cs in others.items():
        if v in chosen:
            out[display[v]] = chosen[v].text + " > 0"
        else:
            top = max(cs, key=lambda c: values_at[c.index])
            always = solver.always_at_least(top, margin)
            out[display[v]] = top.text + " > 0" + (" (for every package)" if always else "")
    return out


def _checked_levers(levers: Sequence[str] | None, model: Model) -> list[str]:
    levers = list(levers) if levers is not None else default_levers(model)
    if not levers:
        raise TripartiteError("give at least one lever")
    if len(set(levers)) != len(levers):
        raise TripartiteError("a lever is listed twice")
    return levers


def _lever_bounds(model: Model, levers, current, bounds) -> tuple[np.ndarray, np.ndarray]:
    """Each lever's range: its admissible range, or the narrower ``bounds`` given for it."""
    los, his = [], []
    for name in levers:
        p = model.parameter(name)
        lo, hi = p.min, p.max
        if bounds and name in bounds:
            lo, hi = (float(v) for v in bounds[name])
            if lo < p.min or hi > p.max or not lo <= current[name] <= hi:
                raise ParameterError(
                    f"lever {name!r}: bounds [{lo:g}, {hi:g}] must contain its current value and lie in "
                    f"{p.range_text()}"
                )
        los.append(lo)
        his.append(hi)
    return np.array(los), np.array(his)


def _conditions(model: Model, eigenvalues, syms, display) -> dict[tuple[int, ...], list[_Condition]]:
    """Every vertex eigenvalue (:func:`fixed_eigenvalues`) as a function of the levers ``syms``,
    with its linear form when it has one."""
    conds: dict[tuple[int, ...], list[_Condition]] = {}
    index = 0
    for v, exprs in eigenvalues.items():
        conds[v] = []
        for k, e in enumerate(exprs):
            c = _Condition(v, k, index, describe_eigenvalue(model, display, v, k), e)
            index += 1
            c.poly = _GlobalSolver.polynomial(e, syms)
            if c.poly is not None and int(c.poly[0].sum(axis=1).max(initial=0)) <= 1:
                exps, coefs = c.poly
                c.a = exps.T.astype(float) @ coefs  # each linear term's coefficient
                c.b = float(coefs[exps.sum(axis=1) == 0].sum())
            conds[v].append(c)
    return conds


@dataclass
class _Condition:
    """One vertex eigenvalue as a function of the levers."""

    vertex: tuple[int, ...]
    k: int
    index: int  # position in the flat list of all eigenvalues
    text: str
    expr: sp.Expr
    a: np.ndarray | None = None  # linear case: g = a . x + b
    b: float = 0.0
    poly: tuple[np.ndarray, np.ndarray] | None = None  # (exponents, coefficients) if polynomial


@dataclass
class _Problem:
    levers: list[str]
    x0: np.ndarray
    lo: np.ndarray
    hi: np.ndarray
    w: np.ndarray
    scale: np.ndarray
    margin: float
    syms: list[sp.Symbol]

    def cost(self, x: np.ndarray) -> float:
        """The objective at lever values ``x``: the weighted absolute change."""
        return float(self.w @ np.abs(np.asarray(x, dtype=float) - self.x0))

    def cost_vector(self) -> np.ndarray:
        """The objective as a linear function of ``(u, w)`` in ``x = x0 + u - w``."""
        return np.concatenate([self.w, self.w])

    def shift_bounds(self) -> list[tuple[float, float | None]]:
        """Bounds of ``(u, w)`` in ``x = x0 + u - w``: ``0 <= u <= hi - x0``, ``0 <= w <= x0 - lo``."""
        room = np.concatenate([self.hi - self.x0, self.x0 - self.lo])
        return [(0, None if math.isinf(b) else b) for b in room]


def _scale(p, value: float) -> float:
    """The unit of relative change of a lever: its range width if finite, else |value| (or 1)."""
    if math.isfinite(p.max - p.min) and p.max > p.min:
        return float(p.max - p.min)
    return abs(value) if value != 0 else 1.0


def _linear(expr: sp.Expr, syms: Sequence[sp.Symbol]) -> tuple[np.ndarray, float] | None:
    try:
        poly = sp.Poly(expr, *syms)
    except sp.PolynomialError:
        return None
    if poly.total_degree() > 1 or any(not c.is_number for c in poly.coeffs()):
        return None
    a = np.array([float(poly.coeff_monomial(s)) for s in syms])
    b = float(poly.coeff_monomial(1))
    return a, b


def _branch_and_bound(solver, target, others, max_nodes):
    """Lazy disjunctive branch and bound.

    Solve with the target's conditions and the destabilising conditions
    chosen so far; if every other vertex is already unstable (largest
    eigenvalue >= margin) at the solution, it is a candidate; otherwise branch
    on the eigenvalues of one vertex that is not.  A node whose optimum is no
    better than the best candidate is pruned (exact for linear programs, where
    a node's optimum bounds its whole subtree).
    """
    best: list = [None]  # (cost, rel, x, chosen)
    nodes = [0]
    slack = solver.p.margin * (1 - 1e-3)

    def key(sol):
        return (round(sol[0], 9), sol[1])

    def visit(chosen: dict, start):
        nodes[0] += 1
        if nodes[0] > max_nodes:
            raise TripartiteError(
                f"the least-cost search needed more than {max_nodes} programs; use fewer levers"
            )
        # the best package so far bounds the node (the certified search stops at it)
        bound = None if best[0] is None else (best[0][0], best[0][1])
        sol = solver.solve(target, list(chosen.values()), start, bound=bound)
        if sol is None:
            return
        if best[0] is not None and key(sol) >= key(best[0]):
            return
        x = sol[2]
        vals = solver.values(x)
        stuck = [
            (v, cs) for v, cs in others.items() if v not in chosen and max(vals[c.index] for c in cs) < slack
        ]
        if not stuck:
            best[0] = (*sol, dict(chosen))
            return
        v, cs = min(stuck, key=lambda vc: len(vc[1]))
        # try the most promising eigenvalue first (the largest at the node's solution)
        for c in sorted(cs, key=lambda c: -vals[c.index]):
            visit({**chosen, v: c}, x)

    visit({}, None)
    if best[0] is None:
        return None
    return best[0][2], best[0][3]


def _binding(solver, target, others, display, target_prof) -> tuple[str, ...]:
    """Why no package exists: an irreducible set of conditions, or a vertex that stays stable."""
    if not solver.feasible(target, []):
        keep = list(target)
        for c in list(target):
            trial = [d for d in keep if d is not c]
            if not solver.feasible(trial, []):
                keep = trial
        return tuple(f"{c.text} < 0" for c in keep)
    for v, cs in others.items():
        if not any(solver.feasible(target, [c]) for c in cs):
            return (
                f"{display[v]} stays asymptotically stable whenever {display[target_prof]} is "
                f"({'; '.join(f'{c.text} < 0' for c in cs)})",
            )
    return (
        f"no package within the lever ranges destabilises every other vertex while keeping "
        f"{display[target_prof]} stable",
    )


_SEARCH = (
    "in a branch and bound over which deviation gain destabilises each other vertex; "
    "ties broken by the smallest relative change"
)


class _Solver:
    """The programs of one package search, over ``x = x0 + u - w`` with ``u, w >= 0``.

    ``solve(stable, unstable, start)`` minimises the cost subject to the
    conditions ``stable`` (<= -margin) and ``unstable`` (>= margin);
    ``values(x)`` gives every eigenvalue at lever values ``x``.
    """

    method: str
    optimality: str

    def __init__(self, problem: _Problem, conditions: list[_Condition]):
        self.p = problem
        self.n = len(problem.x0)
        self.bounds = problem.shift_bounds()


class _LinearSolver(_Solver):
    """Linear programs, two stages: cost, then relative change at that cost."""

    method = "linear programming (scipy.optimize.linprog, HiGHS) " + _SEARCH
    optimality = "global"

    def __init__(self, problem: _Problem, conditions: list[_Condition]):
        super().__init__(problem, conditions)
        self._a = np.array([c.a for c in conditions]).reshape(len(conditions), self.n)
        self._b = np.array([c.b for c in conditions])

    def values(self, x: np.ndarray) -> np.ndarray:
        """Every eigenvalue at lever values ``x`` (indexed by ``_Condition.index``)."""
        return self._a @ np.asarray(x, dtype=float) + self._b

    def _rows(self, stable, unstable):
        p = self.p
        rows, rhs = [], []
        for c in stable:  # a.x + b <= -margin
            rows.append(np.concatenate([c.a, -c.a]))
            rhs.append(-p.margin - c.b - c.a @ p.x0)
        for c in unstable:  # a.x + b >= margin
            rows.append(np.concatenate([-c.a, c.a]))
            rhs.append(-p.margin + c.b + c.a @ p.x0)
        return np.array(rows).reshape(-1, 2 * self.n), np.array(rhs)

    def _lp(self, cost, rows, rhs):
        from scipy.optimize import linprog

        res = linprog(
            cost,
            A_ub=rows if len(rhs) else None,
            b_ub=rhs if len(rhs) else None,
            bounds=self.bounds,
            method="highs",
        )
        return res if res.status == 0 else None

    def solve(self, stable, unstable, start=None, bound=None):
        """(cost, relative change, x) or None if infeasible."""
        p = self.p
        rows, rhs = self._rows(stable, unstable)
        c1 = p.cost_vector()
        first = self._lp(c1, rows, rhs)
        if first is None:
            return None
        cap = first.fun + 1e-9 * max(1.0, abs(first.fun))
        c2 = np.concatenate([1 / p.scale, 1 / p.scale])
        second = self._lp(c2, np.vstack([rows, c1]), np.append(rhs, cap))
        y = (second if second is not None else first).x
        x = p.x0 + y[: self.n] - y[self.n :]
        delta = np.abs(x - p.x0)
        return p.cost(x), float(np.sum(delta / p.scale)), x

    def feasible(self, stable, unstable) -> bool:
        rows, rhs = self._rows(stable, unstable)
        return self._lp(np.zeros(2 * self.n), rows, rhs) is not None

    def always_at_least(self, c: _Condition, level: float) -> bool:
        """Whether a.x + b >= level for every x in the box."""
        p = self.p
        low = c.b
        for a, lo, hi in zip(c.a, p.lo, p.hi):
            if a != 0:
                low += a * (lo if a > 0 else hi)
        return bool(math.isfinite(low) and low >= level)


class _NonlinearSolver(_Solver):
    """SLSQP, two stages, warm-started from the parent node."""

    method = (
        "constrained optimisation (scipy.optimize.minimize, SLSQP; unbounded levers searched within "
        "100 scales of their value) " + _SEARCH
    )
    optimality = "local (SLSQP; not proven globally optimal)"

    #: An unbounded lever range is searched within this many scales of the current value
    #: (SLSQP drifts along directions the cost ignores when a bound is infinite).
    SEARCH_SCALES = 100.0

    def __init__(self, problem: _Problem, conditions: list[_Condition], polys=None):
        super().__init__(problem, conditions)
        reach = self.SEARCH_SCALES * np.concatenate([problem.scale, problem.scale])
        self.bounds = [(0, r if b is None else min(b, r)) for (_, b), r in zip(self.bounds, reach)]
        exprs = [c.expr for c in conditions]
        self._count = len(exprs)
        # polynomial conditions: evaluated from their monomials (no symbolic Jacobian to build)
        self._stack = None if polys is None else _PolyStack(polys, self.n)
        if self._stack is None:  # renamed arguments (numeric_function): levers of any names
            self._f = numeric_function(problem.syms, exprs)
            self._j = numeric_function(problem.syms, list(sp.Matrix(exprs).jacobian(problem.syms)))

    def _g(self, x) -> np.ndarray:
        if self._stack is not None:
            return self._stack.values(x)
        return np.array([float(v) for v in self._f(*x)])

    def _jac(self, x) -> np.ndarray:
        if self._stack is not None:
            return self._stack.jacobian(x)
        return np.asarray(self._j(*x), dtype=float).reshape(self._count, self.n)

    def _many(self, xs: np.ndarray) -> np.ndarray:
        """(B, K) every condition at points ``xs`` (B, n)."""
        if self._stack is not None:
            return self._stack.values(xs)
        found = self._f(*np.asarray(xs, dtype=float).T)
        with np.errstate(all="ignore"):
            return np.stack([np.broadcast_to(np.asarray(v, dtype=float), (len(xs),)) for v in found], axis=1)

    def values(self, x) -> np.ndarray:
        """Every eigenvalue at lever values ``x`` (indexed by ``_Condition.index``)."""
        return self._g(np.asarray(x, dtype=float))

    def solve(self, stable, unstable, start=None, bound=None):
        from scipy.optimize import minimize

        p = self.p
        n = self.n
        idx = np.array([c.index for c in stable] + [c.index for c in unstable], dtype=int)
        sign = np.array([-1.0] * len(stable) + [1.0] * len(unstable))
        m = p.margin

        def x_of(y):
            return p.x0 + y[:n] - y[n:]

        def cons(y):
            return sign * self._g(x_of(y))[idx] - m

        def cons_jac(y):
            jx = self._jac(x_of(y))[idx] * sign[:, None]
            return np.hstack([jx, -jx])

        constraints = [{"type": "ineq", "fun": cons, "jac": cons_jac}]
        c1 = p.cost_vector()
        c2 = np.concatenate([1 / p.scale, 1 / p.scale])

        def run(c, y0, cons_list):
            res = minimize(
                lambda y: float(c @ y),
                y0,
                jac=lambda y: c,
                bounds=self.bounds,
                constraints=cons_list,
                method="SLSQP",
                options={"maxiter": 200, "ftol": 1e-12},
            )
            return res.x if self._ok(x_of(res.x), stable, unstable) else None

        def cheapest(y):
            """Phase 2 from a feasible ``y``: the least cost."""
            if not np.any(c1 != 0):
                return y
            y1 = run(c1, y, constraints)
            return y1 if y1 is not None else y

        def least_change(y):
            """Phase 3: the smallest relative change at no more than the cost of ``y``."""
            if not np.any(c1 != 0):
                return y
            cap = float(c1 @ y) + 1e-9 * max(1.0, abs(float(c1 @ y)))
            capped = constraints + [
                {"type": "ineq", "fun": lambda y: cap - float(c1 @ y), "jac": lambda y: -c1}
            ]
            y3 = run(c2, y, capped)
            return y3 if y3 is not None else y

        def key(y):  # starts that reach the same point (to 1e-8 of each scale) are followed once
            return tuple(np.round(x_of(y) / p.scale, 8).tolist())

        # Every start is taken to a feasible point (phase 1: the smallest relative change,
        # skipped where the start is already feasible) and to its least cost (phase 2); the
        # cheapest of these local optima (with every tie) then gets the smallest relative
        # change at its cost (phase 3).  The starts include each lever moved alone to either
        # end of its range: with a concave cost along a curved boundary the optimum sits on
        # such an axis.
        cheap: dict = {}
        seen = set()
        for y0 in self._starts(start, stable, unstable):
            y = y0 if self._ok(x_of(y0), stable, unstable) else run(c2, y0, constraints)
            if y is None or key(y) in seen:
                continue
            seen.add(key(y))
            y = cheapest(y)
            cheap.setdefault(key(y), y)
        if not cheap:
            return None
        costs = {k: p.cost(np.clip(x_of(y), p.lo, p.hi)) for k, y in cheap.items()}
        least = min(costs.values())
        found = []
        for k, y in cheap.items():
            if costs[k] > least + 1e-9 * max(1.0, abs(least)):
                continue
            x = np.clip(x_of(least_change(y)), p.lo, p.hi)
            delta = np.abs(x - p.x0)
            found.append((p.cost(x), float(np.sum(delta / p.scale)), x))
        return min(found, key=lambda sol: (round(sol[0], 9), sol[1]))

    def _starts(self, start, stable, unstable):
        """Starting points in ``(u, w)``: the parent's solution, ``x0``, the nearest point that
        meets the conditions along each lever's axis (each lever moved alone, found by a scan
        of :attr:`AXIS_POINTS` points to either end of its range and bisection; an axis with
        no such point gives no start), and, at the root node (no parent), three random points
        of the box."""
        p = self.p
        n = self.n

        def shift(d):
            return np.concatenate([np.maximum(d, 0), np.maximum(-d, 0)])

        out = []
        if start is not None:
            out.append(shift(np.asarray(start) - p.x0))
        out.append(np.zeros(2 * n))
        lo = np.where(np.isfinite(p.lo), p.lo, p.x0 - p.scale)
        hi = np.where(np.isfinite(p.hi), p.hi, p.x0 + p.scale)
        # each lever alone, toward either end of its range: all axes scanned in one evaluation
        axes = [(k, end) for k in range(n) for end in (lo[k], hi[k]) if end != p.x0[k]]
        if axes:
            t = np.linspace(0.0, 1.0, self.AXIS_POINTS + 1)[1:]
            ks = np.array([k for k, _ in axes])
            span = np.array([end - p.x0[k] for k, end in axes])
            rows = np.arange(len(axes))

            def along(frac):  # (A,) fractions of the way -> (A, n) points
                xs = np.tile(p.x0, (len(axes), 1))
                xs[rows, ks] += frac * span
                return xs

            xs = np.repeat(p.x0[None, :], len(axes) * len(t), axis=0)
            xs[np.arange(len(xs)), np.repeat(ks, len(t))] += np.tile(t, len(axes)) * np.repeat(span, len(t))
            ok = self._ok_many(xs, stable, unstable).reshape(len(axes), len(t))
            hit = ok.any(axis=1)
            first = np.argmax(ok, axis=1)
            good = t[first]
            bad = np.where(first > 0, t[np.maximum(first - 1, 0)], 0.0)
            for _ in range(30):  # the nearest such point on each axis, to ~1e-9 of the way
                mid = 0.5 * (good + bad)
                inside = self._ok_many(along(mid), stable, unstable)
                good, bad = np.where(inside, mid, good), np.where(inside, bad, mid)
            for a in np.flatnonzero(hit):
                d = np.zeros(n)
                d[ks[a]] = good[a] * span[a]
                out.append(shift(d))
        if start is None:  # the root of the branch and bound; below it the parent's solution leads
            rng = np.random.default_rng(0)
            for _ in range(3):
                out.append(shift(lo + rng.random(n) * (hi - lo) - p.x0))
        return out

    #: Points of the scan along each lever's axis for a starting point (:meth:`_starts`).
    AXIS_POINTS = 256

    def _ok_many(self, xs: np.ndarray, stable, unstable) -> np.ndarray:
        """:meth:`_ok` at many points ``xs`` (B, n) at once."""
        g = self._many(np.clip(xs, self.p.lo, self.p.hi))
        m = self.p.margin * (1 - 1e-3)
        ok = np.ones(len(xs), dtype=bool)
        with np.errstate(invalid="ignore"):
            for c in stable:
                ok &= g[:, c.index] <= -m
            for c in unstable:
                ok &= g[:, c.index] >= m
        return ok

    def _ok(self, x, stable, unstable) -> bool:
        g = self._g(np.clip(x, self.p.lo, self.p.hi))
        m = self.p.margin * (1 - 1e-3)  # SLSQP meets active constraints to about 1e-11
        return all(g[c.index] <= -m for c in stable) and all(g[c.index] >= m for c in unstable)

    def feasible(self, stable, unstable) -> bool:
        return self.solve(stable, unstable) is not None

    def always_at_least(self, c: _Condition, level: float) -> bool:
        return not c.expr.free_symbols and float(c.expr) >= level


#: The most levers for which a nonlinear package is solved to a certified global optimum.
GLOBAL_LEVERS = 4


class _GlobalSolver(_NonlinearSolver):
    """Certified spatial branch and bound over the lever box (polynomial conditions, <= 4 levers).

    Each program minimises :math:`\\sum_l w_l |\\Delta_l| + \\delta \\sum_l |\\Delta_l| / scale_l`
    (:math:`\\delta` = 1e-6 when some weight is positive, else 1: the tie-break) over boxes of
    the levers.  On a box, interval arithmetic on the conditions' monomials bounds every
    eigenvalue: a box where some condition certainly fails is discarded; the objective's
    least value on a box is its value at the box's point nearest :math:`x^0`, a lower bound,
    and that point, when it meets the conditions, an upper bound.  Boxes are split along
    their widest side (in scale units) until no box can beat the best point found by more
    than 1e-9 of its cost: the point is then the global optimum of the program within that
    tolerance.  Unbounded lever ranges are searched within
    :attr:`_NonlinearSolver.SEARCH_SCALES` scales of the current value.  A program that
    needs more than :attr:`MAX_BOXES` boxes returns its best point labelled local.
    """

    method = (
        "certified spatial branch and bound with interval bounds on the polynomial conditions "
        "(unbounded levers searched within 100 scales of their value) " + _SEARCH
    )
    MAX_BOXES = 30_000

    def __init__(self, problem: _Problem, conditions: list[_Condition], polys):
        _Solver.__init__(self, problem, conditions)  # no SLSQP Jacobian: only the values are needed
        reach = self.SEARCH_SCALES * np.concatenate([problem.scale, problem.scale])
        self.bounds = [(0, r if b is None else min(b, r)) for (_, b), r in zip(self.bounds, reach)]
        self._count = len(conditions)
        self._stack = _PolyStack(polys, self.n)
        self._polys = polys  # per condition: (exponents (T, n) int array, coefficients (T,))
        self.certified = True
        room = [b for _, b in self.bounds]
        n = self.n
        self._box_lo = problem.x0 - np.array(room[n:], dtype=float)
        self._box_hi = problem.x0 + np.array(room[:n], dtype=float)
        self._delta = 1e-6 if np.any(problem.w > 0) else 1.0

    @property
    def optimality(self) -> str:  # type: ignore[override]
        if self.certified:
            return "global (certified spatial branch and bound, to 1e-9 of the cost)"
        return "local (the spatial branch and bound ran out of boxes; best point found)"

    @staticmethod
    def polynomial(expr: sp.Expr, syms: Sequence[sp.Symbol]):
        """(exponents, coefficients) of ``expr`` as a polynomial in ``syms``; None if it is not one."""
        try:
            poly = sp.Poly(expr, *syms)
        except sp.PolynomialError:
            return None
        if any(not c.is_number for c in poly.coeffs()):
            return None
        terms = poly.terms()
        exps = np.array([m for m, _ in terms], dtype=int).reshape(len(terms), len(syms))
        return exps, np.array([float(c) for _, c in terms])

    def _bounds(self, lo: np.ndarray, hi: np.ndarray, index: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Interval bounds (B, C) of conditions ``index`` over boxes ``[lo, hi]`` (B, n)."""
        out_lo = np.empty((lo.shape[0], len(index)))
        out_hi = np.empty_like(out_lo)
        for j, k in enumerate(index):
            exps, coefs = self._polys[k]
            tl = np.ones((lo.shape[0], len(coefs)))
            th = np.ones_like(tl)
            for v in range(self.n):
                for t, e in enumerate(exps[:, v]):
                    if e == 0:
                        continue
                    a, b = lo[:, v] ** e, hi[:, v] ** e
                    pl, ph = np.minimum(a, b), np.maximum(a, b)
                    if e % 2 == 0:
                        pl = np.where((lo[:, v] < 0) & (hi[:, v] > 0), 0.0, pl)
                    prods = np.stack([tl[:, t] * pl, tl[:, t] * ph, th[:, t] * pl, th[:, t] * ph])
                    tl[:, t], th[:, t] = prods.min(axis=0), prods.max(axis=0)
            out_lo[:, j] = np.where(coefs > 0, coefs * tl, coefs * th).sum(axis=1)
            out_hi[:, j] = np.where(coefs > 0, coefs * th, coefs * tl).sum(axis=1)
        return out_lo, out_hi

    def _objective(self, x: np.ndarray) -> np.ndarray:
        d = np.abs(x - self.p.x0)
        return d @ self.p.w + self._delta * (d / self.p.scale).sum(axis=-1)

    def solve(self, stable, unstable, start=None, bound=None):
        import heapq

        p = self.p
        m = p.margin
        idx_s = np.array([c.index for c in stable], dtype=int)
        idx_u = np.array([c.index for c in unstable], dtype=int)
        index = np.concatenate([idx_s, idx_u])
        ns = len(idx_s)

        def feasible_points(x):  # (B, n) -> (B,) bool, the conditions' floating-point values
            if not len(index):
                return np.ones(len(x), dtype=bool)
            g = self._stack.values(x)[:, index]
            return np.all(g[:, :ns] <= -m, axis=1) & np.all(g[:, ns:] >= m, axis=1)

        if self._contradictory(stable, unstable):
            return None
        best_x, best_f = None, math.inf
        if bound is not None:  # (cost, relative change) of the best package of other nodes
            best_f = bound[0] + self._delta * bound[1]
        heap: list = []
        counter = 0

        def push(lo, hi):
            nonlocal best_x, best_f, counter
            if len(index):
                blo, bhi = self._bounds(lo, hi, index)
                dead = np.any(blo[:, :ns] > -m, axis=1) | np.any(bhi[:, ns:] < m, axis=1)
            else:
                dead = np.zeros(len(lo), dtype=bool)
            near = np.clip(p.x0, lo, hi)
            f = self._objective(near)
            alive = ~dead & (f < best_f)
            if not np.any(alive):
                return
            ok = np.zeros(len(lo), dtype=bool)
            ok[alive] = feasible_points(near[alive])
            # upper bounds: the nearest point, else the centre or the far corner of a live box
            live = np.flatnonzero(alive)
            far = np.where(np.abs(lo - p.x0) > np.abs(hi - p.x0), lo, hi)[live]
            centre = 0.5 * (lo + hi)[live]
            for points, good in ((near[live], ok[live]), (centre, None), (far, None)):
                good = feasible_points(points) if good is None else good
                if np.any(good):
                    values = self._objective(points[good])
                    j = int(np.argmin(values))
                    if values[j] < best_f:
                        point = self._toward_x0(points[good][j], feasible_points)
                        best_f, best_x = float(self._objective(point)), point
            for b in np.flatnonzero(alive & ~ok):
                counter += 1
                heapq.heappush(heap, (float(f[b]), counter, lo[b].copy(), hi[b].copy()))

        def cutoff():  # a box whose lower bound is not below this cannot improve the best point
            return best_f - 1e-9 * max(1.0, abs(best_f)) if math.isfinite(best_f) else math.inf

        push(self._box_lo[None, :], self._box_hi[None, :])
        boxes = 1
        while heap:
            if heap[0][0] >= cutoff():
                break
            if boxes > self.MAX_BOXES:
                self.certified = False
                break
            batch = [heapq.heappop(heap) for _ in range(min(64, len(heap)))]
            batch = [b for b in batch if b[0] < cutoff()]
            if not batch:
                continue
            lo = np.array([b[2] for b in batch])
            hi = np.array([b[3] for b in batch])
            width = (hi - lo) / p.scale
            k = np.argmax(width, axis=1)
            rows = np.arange(len(batch))
            mid = 0.5 * (lo[rows, k] + hi[rows, k])
            # split at x0 where it lies inside: the objective is smooth on each side of it
            inside = (lo[rows, k] < p.x0[k]) & (p.x0[k] < hi[rows, k])
            mid = np.where(inside, p.x0[k], mid)
            hi_left, lo_right = hi.copy(), lo.copy()
            hi_left[rows, k] = mid
            lo_right[rows, k] = mid
            push(np.vstack([lo, lo_right]), np.vstack([hi_left, hi]))
            boxes += 2 * len(batch)
        if best_x is None:
            return None
        delta = np.abs(best_x - p.x0)
        return p.cost(best_x), float(np.sum(delta / p.scale)), best_x

    def _terms(self, k: int) -> tuple[dict, float]:
        """Condition ``k`` as {monomial: coefficient} without its constant, and the constant."""
        exps, coefs = self._polys[k]
        terms = {tuple(e): c for e, c in zip(exps.tolist(), coefs) if any(e)}
        constant = float(sum(c for e, c in zip(exps.tolist(), coefs) if not any(e)))
        return terms, constant

    def _contradictory(self, stable, unstable) -> bool:
        """Whether two of the conditions are opposite multiples of one another and cannot hold together.

        Each condition is read as ``h >= m`` (``h = -g`` for a stable one, ``g`` for an unstable
        one).  If ``h2 = -lam*h1 + c`` with ``lam > 0``, both hold only if ``c - lam*m >= m``;
        boxes cannot prove this near the level set of ``h1``, where the two regions are a
        margin apart.
        """
        m = self.p.margin
        oriented = []
        for sign, conds in ((-1.0, stable), (1.0, unstable)):
            for c in conds:
                terms, constant = self._terms(c.index)
                if terms:
                    oriented.append(({t: sign * v for t, v in terms.items()}, sign * constant))
        for a, (t1, c1) in enumerate(oriented):
            key = max(t1, key=lambda t: abs(t1[t]))
            for t2, c2 in oriented[a + 1 :]:
                if set(t2) != set(t1):
                    continue
                lam = -t2[key] / t1[key]
                if lam > 0 and all(
                    math.isclose(t2[t], -lam * t1[t], rel_tol=1e-12, abs_tol=1e-12) for t in t1
                ):
                    if (c2 + lam * c1) - lam * m < m:
                        return True
        return False

    def _toward_x0(self, x: np.ndarray, feasible_points) -> np.ndarray:
        """A feasible point moved lever by lever towards ``x0`` as far as it stays feasible (bisection)."""
        x = x.copy()
        for _ in range(1):
            for k in np.argsort(-self.p.w):
                if x[k] == self.p.x0[k]:
                    continue
                good, bad = x[k], self.p.x0[k]
                trial = x.copy()
                trial[k] = bad
                if feasible_points(trial[None, :])[0]:
                    x = trial
                    continue
                for _ in range(34):  # to ~1e-10 of the move
                    trial[k] = 0.5 * (good + bad)
                    if feasible_points(trial[None, :])[0]:
                        good = trial[k]
                    else:
                        bad = trial[k]
                x[k] = good
        return x
