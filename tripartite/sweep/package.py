"""The least-cost package of levers that makes a target vertex the only stable one.

Levers :math:`x \\in [lo, hi]` with weights :math:`w`; minimise
:math:`\\sum_l w_l |x_l - x^0_l|` subject to: the target vertex :math:`T` is
the *only* asymptotically stable vertex, with a strictness margin :math:`\\mu`:

.. math:: g_{T,k}(x) \\le -\\mu \\;\\forall k, \\qquad
          \\forall v \\ne T\\; \\exists k:\\; g_{v,k}(x) \\ge \\mu .

The "exists" makes the feasible set a union of polyhedra when the
:math:`g` are linear in the levers.  Each choice of destabilising eigenvalue
is then a linear program (:func:`scipy.optimize.linprog`, HiGHS, with
:math:`x = x^0 + u - w`, :math:`u, w \\ge 0`); a depth-first branch and
bound over the choices, pruned by infeasibility and by the LP bound, finds the
global optimum.  Ties (levers without cost) are broken by the smallest total
relative change :math:`\\sum_l |\\Delta x_l| / \\mathrm{scale}_l` (a second LP).
When some condition is nonlinear in the levers each choice is solved with
SLSQP from several starting points: a local optimum, reported as such.  An
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
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import sympy as sp

from ..errors import ParameterError, TripartiteError
from ..model import Model
from .escape import trajectory_outcomes
from .levers import current_values, default_levers, describe_eigenvalue, fiscal_weights, fixed_eigenvalues
from .regimes import DEFAULT_TOL, classify_points, parse_profile, vertex_names

__all__ = ["EscapePackage", "least_cost_package"]


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
        :math:`\\sum_l w_l |\\Delta_l|`.
    relative_change : float
        :math:`\\sum_l |\\Delta_l| / scale_l` (the tie-break).
    weights : dict
    cost_basis : str
        ``"fiscal exposure"`` or ``"given weights"``.
    destabilised : dict
        Each other vertex -> the deviation gain the package makes positive
        (or "unstable for every package" when no lever is needed).
    binding : tuple of str
        When infeasible: the conditions that cannot be met together.
    method : str
    optimality : str
        ``"global"`` (linear case) or ``"local"`` (nonlinear case).
    margin : float
        Strictness margin :math:`\\mu` on the eigenvalues (payoff units).
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
    destabilised: dict[str, str] = field(default_factory=dict)
    binding: tuple[str, ...] = ()
    method: str = ""
    optimality: str = ""
    margin: float = 0.0
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
            "destabilised": dict(self.destabilised),
            "binding": list(self.binding),
            "method": self.method,
            "optimality": self.optimality,
            "margin": float(self.margin),
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
                ("cost", f"{number(self.cost)} ({self.cost_basis})"),
                ("total relative change", number(self.relative_change)),
                ("optimality", self.optimality),
                ("verified", "yes" if self.verified else "NO"),
                ("stable at the package", ", ".join(self.stable_after) or "none"),
            ]
            if self.from_status_quo is not None:
                facts.append(("from the status quo the dynamics go to", self.from_status_quo))
        else:
            facts += [("binding condition", b) for b in self.binding]
        facts += [("margin", f"{self.margin:g}"), ("method", self.method)]
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
    margin: float = 1e-6,
    names: Mapping[Any, str] | None = None,
    trajectories: bool = True,
    max_nodes: int = 5_000,
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
        Cost weight per lever (per unit of change); levers not given keep the
        default, the government's fiscal exposure (:func:`fiscal_weights`).
    values : mapping, optional
        Current values of all parameters (defaults otherwise).
    bounds : mapping, optional
        Narrower ranges for some levers (default: the admissible ranges).
    tol : float
        Tolerance of the final numeric check.
    margin : float
        Strictness margin on the eigenvalues, in payoff units (> tol).
    trajectories : bool
        Also report where the dynamics go from the status quo under the package.
    max_nodes : int
        Budget of the branch and bound (programs solved).

    Returns
    -------
    EscapePackage

    Examples
    --------
    >>> from tripartite import load_model
    >>> pkg = least_cost_package(load_model("baseline"), "high", ["k", "nu"], costs={"k": 1, "nu": 1})
    >>> pkg.feasible, {k: round(v, 4) for k, v in pkg.changes.items()}, pkg.optimality
    (True, {'k': -0.1389, 'nu': 0.4415}, 'global')
    >>> pkg.verified, pkg.stable_after
    (True, ('high',))
    """
    if not margin > tol:
        raise TripartiteError("the margin must be larger than the tolerance")
    current = current_values(model, values)
    display = vertex_names(model, names)
    target_prof = parse_profile(model, target if target is not None else "high")
    levers = _checked_levers(levers, model)
    los, his = _lever_bounds(model, levers, current, bounds)
    weights, basis = _weights(model, levers, current, costs)
    x0 = np.array([current[n] for n in levers])
    problem = _Problem(
        levers,
        x0,
        los,
        his,
        np.array([weights[n] for n in levers]),
        np.array([_scale(model.parameter(n), current[n]) for n in levers]),
        margin,
        [model.symbols[n] for n in levers],
    )
    conds = _conditions(model, current, problem.syms, levers, display)
    every = [c for cs in conds.values() for c in cs]
    linear = all(c.a is not None for c in every)
    solver = _LinearSolver(problem, every) if linear else _NonlinearSolver(problem, every)
    common = {
        "target": display[target_prof],
        "levers": tuple(levers),
        "current": {n: float(v) for n, v in zip(levers, x0)},
        "weights": {n: float(w) for n, w in zip(levers, problem.w)},
        "cost_basis": basis,
        "margin": margin,
        "method": solver.method,
        "optimality": solver.optimality,
    }
    target_conds = conds[target_prof]
    others = {v: cs for v, cs in conds.items() if v != target_prof}
    best = _branch_and_bound(solver, target_conds, others, max_nodes)
    if best is None:
        return EscapePackage(
            feasible=False, binding=_binding(solver, target_conds, others, display, target_prof), **common
        )
    x_best, chosen = best
    x_best = np.clip(x_best, problem.lo, problem.hi)
    # solver noise: a lever moved by less than 1e-9 of its scale is left where it was
    x_best = np.where(np.abs(x_best - x0) <= 1e-9 * problem.scale, x0, x_best)
    destabilised = _destabilised(solver, x_best, others, chosen, display, margin)
    package = {n: float(v) for n, v in zip(levers, x_best)}
    point = {**current, **package}
    reg = classify_points(model, point, tol, names)
    stable_after = tuple(reg.names_of(reg.stable[0]))
    verified = stable_after == (display[target_prof],) and not bool(reg.boundary[0])
    from_sq = None
    if trajectories and model.initial_state is not None:
        start = [np.asarray(s, dtype=float) for s in model.initial_state]
        from_sq = trajectory_outcomes(model, [(point, start)], display)[0]
    delta = np.abs(x_best - x0)
    return EscapePackage(
        feasible=True,
        package=package,
        cost=float(problem.w @ delta),
        relative_change=float(np.sum(delta / problem.scale)),
        destabilised=destabilised,
        verified=verified,
        stable_after=stable_after,
        from_status_quo=from_sq,
        **common,
    )


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


def _weights(model: Model, levers, current, costs) -> tuple[dict[str, float], str]:
    """Cost weight per lever (given, else the fiscal exposure) and a description of the basis."""
    weights = fiscal_weights(model, levers, current)
    basis = "fiscal exposure"
    for name, w in (costs or {}).items():
        if name not in levers:
            raise ParameterError(
                f"cost given for {name!r}, which is not one of the levers ({', '.join(levers)})"
            )
        if not (float(w) >= 0 and math.isfinite(float(w))):
            raise ParameterError(f"cost weight of {name!r} must be a non-negative number")
        weights[name] = float(w)
        basis = (
            "given weights" if len(costs) == len(levers) else "given weights; fiscal exposure for the rest"
        )
    return weights, basis


def _conditions(model: Model, current, syms, levers, display) -> dict[tuple[int, ...], list[_Condition]]:
    """Every vertex eigenvalue as a function of the levers, with its linear form when it has one."""
    conds: dict[tuple[int, ...], list[_Condition]] = {}
    index = 0
    for v, exprs in fixed_eigenvalues(model, current, levers).items():
        conds[v] = []
        for k, e in enumerate(exprs):
            c = _Condition(v, k, index, describe_eigenvalue(model, display, v, k), e)
            index += 1
            lin = _linear(e, syms)
            if lin is not None:
                c.a, c.b = lin
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
        sol = solver.solve(target, list(chosen.values()), start)
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

    def solve(self, stable, unstable, start=None):
        """(cost, relative change, x) or None if infeasible."""
        p = self.p
        rows, rhs = self._rows(stable, unstable)
        c1 = np.concatenate([p.w, p.w])
        first = self._lp(c1, rows, rhs)
        if first is None:
            return None
        cap = first.fun + 1e-9 * max(1.0, abs(first.fun))
        c2 = np.concatenate([1 / p.scale, 1 / p.scale])
        second = self._lp(c2, np.vstack([rows, c1]), np.append(rhs, cap))
        y = (second if second is not None else first).x
        x = p.x0 + y[: self.n] - y[self.n :]
        delta = np.abs(x - p.x0)
        return float(p.w @ delta), float(np.sum(delta / p.scale)), x

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

    method = "constrained optimisation (scipy.optimize.minimize, SLSQP) " + _SEARCH
    optimality = "local (SLSQP; not proven globally optimal)"

    def __init__(self, problem: _Problem, conditions: list[_Condition]):
        super().__init__(problem, conditions)
        exprs = [c.expr for c in conditions]
        self._f = sp.lambdify([problem.syms], exprs, "numpy")
        jac = sp.Matrix(exprs).jacobian(problem.syms)
        self._j = sp.lambdify([problem.syms], jac, "numpy")
        self._count = len(exprs)

    def _g(self, x) -> np.ndarray:
        return np.array([float(v) for v in self._f(x)])

    def _jac(self, x) -> np.ndarray:
        return np.asarray(self._j(x), dtype=float).reshape(self._count, self.n)

    def values(self, x) -> np.ndarray:
        """Every eigenvalue at lever values ``x`` (indexed by ``_Condition.index``)."""
        return self._g(np.asarray(x, dtype=float))

    def solve(self, stable, unstable, start=None):
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
        c1 = np.concatenate([p.w, p.w])
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

        def polish(y):
            """Phases 2 and 3 from a feasible ``y``: the cost, then the relative change at that cost."""
            if not np.any(p.w > 0):
                return y
            y1 = run(c1, y, constraints)
            y = y1 if y1 is not None else y
            cap = float(c1 @ y) + 1e-9 * max(1.0, abs(float(c1 @ y)))
            capped = constraints + [
                {"type": "ineq", "fun": lambda y: cap - float(c1 @ y), "jac": lambda y: -c1}
            ]
            y3 = run(c2, y, capped)
            return y3 if y3 is not None else y

        # Every start is taken to a feasible point (phase 1: the smallest relative change,
        # skipped where the start is already feasible) and polished; the cheapest local
        # optimum is kept.  The starts include each lever moved alone to either end of its
        # range: with a concave cost along a curved boundary the optimum sits on such an axis.
        found = []
        for y0 in self._starts(start):
            y = y0 if self._ok(x_of(y0), stable, unstable) else run(c2, y0, constraints)
            if y is None:
                continue
            x = np.clip(x_of(polish(y)), p.lo, p.hi)
            delta = np.abs(x - p.x0)
            found.append((float(p.w @ delta), float(np.sum(delta / p.scale)), x))
        if not found:
            return None
        return min(found, key=lambda sol: (round(sol[0], 9), sol[1]))

    def _starts(self, start):
        p = self.p
        n = self.n
        out = []
        if start is not None:
            d = np.asarray(start) - p.x0
            out.append(np.concatenate([np.maximum(d, 0), np.maximum(-d, 0)]))
        out.append(np.zeros(2 * n))
        lo = np.where(np.isfinite(p.lo), p.lo, p.x0 - p.scale)
        hi = np.where(np.isfinite(p.hi), p.hi, p.x0 + p.scale)
        for k in range(n):  # each lever alone, to either end of its range
            for end in (lo[k], hi[k]):
                d = np.zeros(n)
                d[k] = end - p.x0[k]
                if d[k] != 0:
                    out.append(np.concatenate([np.maximum(d, 0), np.maximum(-d, 0)]))
        rng = np.random.default_rng(0)
        for _ in range(3):
            d = lo + rng.random(n) * (hi - lo) - p.x0
            out.append(np.concatenate([np.maximum(d, 0), np.maximum(-d, 0)]))
        return out

    def _ok(self, x, stable, unstable) -> bool:
        g = self._g(np.clip(x, self.p.lo, self.p.hi))
        m = self.p.margin * (1 - 1e-3)  # SLSQP meets active constraints to about 1e-11
        return all(g[c.index] <= -m for c in stable) and all(g[c.index] >= m for c in unstable)

    def feasible(self, stable, unstable) -> bool:
        return self.solve(stable, unstable) is not None

    def always_at_least(self, c: _Condition, level: float) -> bool:
        return not c.expr.free_symbols and float(c.expr) >= level
