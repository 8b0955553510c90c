"""Thresholds, single-lever escapes and least-cost packages out of the low equilibrium.

Everything here rests on the vertex eigenvalues
:math:`g_{v,k}(\\theta)` (the deviation gains at vertex :math:`v`, as sympy
expressions of the parameters :math:`\\theta`, from
:func:`tripartite.symbolic.vertex_eigenvalues`): vertex :math:`v` is
asymptotically stable exactly when every :math:`g_{v,k} < 0`.

**Thresholds along one lever** :math:`x` (the others fixed).  The regime can
only change where some :math:`g_{v,k}(x) = 0`.  When every eigenvalue is a
rational function of :math:`x` its real roots are found exactly (sympy),
the regime is classified between consecutive roots, and the roots where it
differs on the two sides are the thresholds (exact values, e.g. ``83/188``).
Otherwise the lever's range is scanned and each change of regime is
bracketed and bisected to a stated tolerance ``xtol``.

**Single-lever escape.**  For each lever alone, the smallest change from the
current value at which the low profile :math:`\\ell` stops being
asymptotically stable: the nearest :math:`x` (up or down) where
:math:`\\max_k g_{\\ell,k}(x)` reaches 0 and becomes positive.  Where the
system then goes is reported just beyond that point (5 % of the change
further, or halfway to the next regime change if nearer): the stable
vertices there, and where the replicator dynamics lead from the low profile
perturbed by 1 % and from the documented status quo.

**Least-cost package.**  Levers :math:`x \\in [lo, hi]` with weights
:math:`w`; minimise :math:`\\sum_l w_l |x_l - x^0_l|` subject to: the target
vertex :math:`T` is the *only* asymptotically stable vertex, with a strictness
margin :math:`\\mu`:

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
ranges, or a vertex that stays stable whenever the target is.

**Default cost: the government's fiscal exposure.**  Unless weights are
given, :math:`w_l = \\max_s |\\partial u_{gov}(s) / \\partial l|` at the
current values: the most one unit of the lever can move the government's
payoff at any profile (1 per yuan of subsidy or tax credit; :math:`q_{eff}`
per yuan of penalty; 0 for levers that never touch the government's budget,
such as nudges, which are then priced by the tie-break only).  The government
is the player called ``government``, else the first player.

Examples
--------
>>> from tripartite import load_model
>>> model = load_model("baseline")
>>> [str(t.exact) for t in thresholds(model, "nu")]
['83/188']
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
import sympy as sp

from ..errors import ParameterError, TripartiteError
from ..model import Model
from ..symbolic import vertex_eigenvalues
from .regimes import (
    DEFAULT_TOL,
    classify_points,
    eigenvalue_labels,
    parse_profile,
    regime_label,
    vertex_names,
)

__all__ = [
    "POLICY_LEVERS",
    "Threshold",
    "LeverEscape",
    "EscapePackage",
    "thresholds",
    "single_lever_escapes",
    "least_cost_package",
    "default_levers",
    "fiscal_weights",
    "low_profile",
]

#: Policy levers of the built-in models (section 5 of the seed paper), by model name.
POLICY_LEVERS: dict[str, tuple[str, ...]] = {
    "baseline": ("s", "c", "phi", "m", "theta", "k", "t", "r", "f", "q", "d", "rho", "nu"),
    # extended adds the portability of intermittent accrual (5.1) and penalties on formal-only cover
    "extended": ("s", "c", "phi", "port", "m", "theta", "k", "t", "r", "f", "f_F", "q", "d", "rho", "nu"),
}

_SCAN_POINTS = 2001


# --- results ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Threshold:
    """A value of one lever where the regime changes.

    Attributes
    ----------
    lever : str
    value : float
    exact : sympy expression or None
        The exact root (``None`` when found by bisection).
    below, above : str
        Regime just below and just above the threshold.
    vertices : tuple of str
        Vertices whose stability changes there.
    conditions : tuple of str
        The eigenvalues (deviation gains) that vanish there.
    method : str
    tolerance : float
        Bound on the error of ``value`` (0 for exact roots, up to rounding).
    """

    lever: str
    value: float
    exact: Any
    below: str
    above: str
    vertices: tuple[str, ...]
    conditions: tuple[str, ...]
    method: str
    tolerance: float

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready record."""
        return {
            "lever": self.lever,
            "value": self.value,
            "exact": None if self.exact is None else str(self.exact),
            "below": self.below,
            "above": self.above,
            "vertices": list(self.vertices),
            "conditions": list(self.conditions),
            "method": self.method,
            "tolerance": self.tolerance,
        }


@dataclass(frozen=True)
class LeverEscape:
    """The smallest change of one lever that makes the low profile stop being stable.

    Attributes
    ----------
    lever : str
    current : float
        The lever's value before the change.
    escapes : bool
        Whether any value in the admissible range ends the low profile's stability.
    threshold : float or None
    exact : sympy expression or None
    change : float or None
        ``threshold - current`` (signed).
    condition : str
        The deviation gain at the low profile that reaches zero.
    method : str
    tolerance : float
    after_value : float or None
        Where "after" is evaluated (just beyond the threshold).
    regime_after : str
    stable_after : tuple of str
    from_low, from_status_quo : str or None
        Where the replicator dynamics go at ``after_value`` from the low
        profile perturbed by 1 %, and from the model's documented status quo:
        a vertex name, or ``cycling`` / ``rest point`` / ``not converged``.
    other_direction : float or None
        The threshold in the opposite direction, if any.
    formula : sympy expression or None
        The threshold as a formula in the other parameters (when the
        condition can be solved for the lever), e.g. ``R*p + r``.
    note : str
    """

    lever: str
    current: float
    escapes: bool
    threshold: float | None = None
    exact: Any = None
    change: float | None = None
    condition: str = ""
    method: str = ""
    tolerance: float = 0.0
    after_value: float | None = None
    regime_after: str = ""
    stable_after: tuple[str, ...] = ()
    from_low: str | None = None
    from_status_quo: str | None = None
    other_direction: float | None = None
    note: str = ""
    formula: Any = None

    @property
    def relative_change(self) -> float | None:
        """``change / |current|`` (``None`` when the current value is 0)."""
        if self.change is None or self.current == 0:
            return None
        return self.change / abs(self.current)

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready record."""
        return {
            "lever": self.lever,
            "current": self.current,
            "escapes": self.escapes,
            "threshold": self.threshold,
            "exact": None if self.exact is None else str(self.exact),
            "change": self.change,
            "relative_change": self.relative_change,
            "condition": self.condition,
            "method": self.method,
            "tolerance": self.tolerance,
            "after_value": self.after_value,
            "regime_after": self.regime_after,
            "stable_after": list(self.stable_after),
            "from_low": self.from_low,
            "from_status_quo": self.from_status_quo,
            "other_direction": self.other_direction,
            "formula": None if self.formula is None else str(self.formula),
            "note": self.note,
        }


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

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready record."""
        return {
            "target": self.target,
            "feasible": self.feasible,
            "levers": list(self.levers),
            "current": self.current,
            "package": self.package,
            "changes": self.changes,
            "cost": self.cost,
            "relative_change": self.relative_change,
            "weights": self.weights,
            "cost_basis": self.cost_basis,
            "destabilised": self.destabilised,
            "binding": list(self.binding),
            "method": self.method,
            "optimality": self.optimality,
            "margin": self.margin,
            "verified": self.verified,
            "stable_after": list(self.stable_after),
            "from_status_quo": self.from_status_quo,
        }


# --- shared helpers -------------------------------------------------------------------------------


def _exact(value: float) -> sp.Rational:
    """A float read as the exact decimal it prints as (``0.1`` -> ``1/10``)."""
    return sp.Rational(repr(float(value)))


def _current_values(model: Model, values: Mapping[str, Any] | None) -> dict[str, float]:
    resolved = model.resolve(values or {})
    out = {}
    for name, arr in resolved.items():
        if np.ndim(arr) != 0:
            raise ParameterError(f"parameter {name!r}: give one value, not an array")
        out[name] = float(arr)
    return out


def _substituted(
    model: Model, current: Mapping[str, float], free: Sequence[str]
) -> dict[tuple[int, ...], list[sp.Expr]]:
    """Vertex eigenvalues with every parameter but ``free`` replaced by its exact value."""
    subs = {model.symbols[n]: _exact(v) for n, v in current.items() if n not in free}
    return {v: [sp.expand(e.xreplace(subs)) for e in exprs] for v, exprs in vertex_eigenvalues(model).items()}


def _describe(model: Model, names: Mapping[tuple[int, ...], str], vertex: tuple[int, ...], k: int) -> str:
    player, own, alt = eigenvalue_labels(model)[vertex][k]
    return f"{player}'s gain from {own} -> {alt} at {names[vertex]}"


def _real_roots(expr: sp.Expr, x: sp.Symbol, lo: float, hi: float) -> list[sp.Expr] | None:
    """Exact real roots of ``expr`` in ``[lo, hi]``, or ``None`` if it is not a rational function."""
    if x not in expr.free_symbols:
        return []
    num, den = sp.fraction(sp.together(expr))
    try:
        poly = sp.Poly(num, x)
    except sp.PolynomialError:
        return None
    if any(not c.is_number for c in poly.all_coeffs()):
        return None
    if poly.degree() <= 0:
        return []
    roots = []
    for r in sp.real_roots(poly):
        value = float(r)
        if lo - 1e-12 * max(1.0, abs(lo)) <= value <= hi + 1e-12 * max(1.0, abs(hi)):
            if den.free_symbols and den.subs(x, r) == 0:
                continue
            roots.append(sp.nsimplify(r) if r.is_Rational else r)
    return roots


def _finite_span(p, lo: float, hi: float, centre: float) -> tuple[float, float]:
    """A finite interval for scanning: infinite ends replaced by centre -/+ 10 * max(|centre|, 1)."""
    width = 10 * max(abs(centre), 1.0)
    return (lo if math.isfinite(lo) else centre - width, hi if math.isfinite(hi) else centre + width)


def _stability(model, lever, xs, current, tol, names):
    """(stable (n, P) bool, boundary (n,) bool, labels) along a lever."""
    vals = {k: v for k, v in current.items() if k != lever}
    reg = classify_points(model, {**vals, lever: np.asarray(xs, dtype=float)}, tol, names)
    return reg.stable, reg.boundary, reg


def _stable_names(reg, b: int) -> list[str]:
    order = reg._order()
    return [reg.names[v] for v in order if reg.stable[b, v]]


# --- thresholds -----------------------------------------------------------------------------------------


def thresholds(
    model: Model,
    lever: str,
    *,
    values: Mapping[str, Any] | None = None,
    lo: float | None = None,
    hi: float | None = None,
    tol: float = DEFAULT_TOL,
    xtol: float = 1e-10,
    method: str = "auto",
    names: Mapping[Any, str] | None = None,
) -> list[Threshold]:
    """Values of ``lever`` in ``[lo, hi]`` where the regime changes, others fixed.

    Parameters
    ----------
    model : Model
    lever : str
    values : mapping, optional
        Values of the other parameters (defaults otherwise).
    lo, hi : float, optional
        The interval searched (default: the lever's admissible range; an
        infinite end is replaced by ``current -/+ 10 * max(|current|, 1)`` when
        bisecting).
    tol : float
        Tolerance on payoff differences (for the classification).
    xtol : float
        Bisection tolerance on the lever.
    method : {"auto", "exact", "bisection"}
        ``auto``: exact when every eigenvalue is a rational function of the lever.

    Returns
    -------
    list of Threshold, in increasing order of value.

    Examples
    --------
    >>> from tripartite import load_model
    >>> t = thresholds(load_model("baseline"), "nu")[0]
    >>> t.exact, t.below, t.above
    (83/188, 'low only', 'passive/shirk/enroll only')
    >>> t.vertices
    ('low', 'passive/shirk/enroll')
    >>> t.conditions[0]
    "worker's gain from lapse -> enroll at low"
    """
    p = model.parameter(lever)
    current = _current_values(model, values)
    lo = p.min if lo is None else float(lo)
    hi = p.max if hi is None else float(hi)
    if not lo < hi:
        raise ParameterError(f"parameter {lever!r}: the interval [{lo:g}, {hi:g}] is empty")
    if lo < p.min or hi > p.max:
        raise ParameterError(
            f"parameter {lever!r}: [{lo:g}, {hi:g}] leaves its admissible range {p.range_text()}"
        )
    if method not in ("auto", "exact", "bisection"):
        raise TripartiteError(f"unknown method {method!r}; use auto, exact or bisection")
    display = vertex_names(model, names)
    if method != "bisection":
        found = _thresholds_exact(model, lever, current, lo, hi, tol, display, names)
        if found is not None:
            return found
        if method == "exact":
            raise TripartiteError(
                f"the vertex eigenvalues are not rational functions of {lever!r}; use bisection"
            )
    return _thresholds_bisection(model, lever, current, lo, hi, tol, xtol, display, names)


def _thresholds_exact(model, lever, current, lo, hi, tol, display, names) -> list[Threshold] | None:
    x = model.symbols[lever]
    eig = _substituted(model, current, [lever])
    candidates: list[tuple[float, sp.Expr, tuple[int, ...], int]] = []
    for v, exprs in eig.items():
        for k, e in enumerate(exprs):
            roots = _real_roots(e, x, lo, hi)
            if roots is None:
                return None
            candidates += [(float(r), r, v, k) for r in roots]
    if not candidates:
        return []
    candidates.sort(key=lambda c: c[0])
    groups: list[list[tuple[float, sp.Expr, tuple[int, ...], int]]] = []
    for c in candidates:
        if groups and abs(c[0] - groups[-1][0][0]) <= 1e-12 * max(1.0, abs(c[0])):
            groups[-1].append(c)
        else:
            groups.append([c])
    roots = [g[0][0] for g in groups]
    # classify one interior point of every interval between consecutive roots
    edges = [lo, *roots, hi]
    probes = []
    for a, b in zip(edges[:-1], edges[1:]):
        if math.isinf(a):
            probes.append(b - max(1.0, abs(b)))
        elif math.isinf(b):
            probes.append(a + max(1.0, abs(a)))
        else:
            probes.append(0.5 * (a + b))
    stable, boundary, reg = _stability(model, lever, probes, current, tol, names)
    out = []
    for j, group in enumerate(groups):
        left, right = j, j + 1
        # an interval of zero width (a root at an end of the range) has nothing beyond it
        if edges[left] == edges[left + 1] or edges[right] == edges[right + 1]:
            continue
        if np.array_equal(stable[left], stable[right]) and boundary[left] == boundary[right]:
            continue
        changed = [v for v in reg._order() if stable[left, v] != stable[right, v]]
        vertex_set = {reg.profiles[v] for v in changed}
        rank = {reg.profiles[v]: j for j, v in enumerate(reg._order())}
        ordered = sorted(group, key=lambda c: (rank[c[2]], c[3]))
        conditions = tuple(
            dict.fromkeys(_describe(model, display, c[2], c[3]) for c in ordered if c[2] in vertex_set)
        ) or tuple(dict.fromkeys(_describe(model, display, c[2], c[3]) for c in ordered))
        exact = group[0][1]
        out.append(
            Threshold(
                lever,
                float(exact),
                exact,
                regime_label(_stable_names(reg, left), bool(boundary[left])),
                regime_label(_stable_names(reg, right), bool(boundary[right])),
                tuple(reg.names[v] for v in changed),
                conditions,
                "exact: real roots of the vertex eigenvalues (sympy)",
                0.0,
            )
        )
    return out


def _thresholds_bisection(model, lever, current, lo, hi, tol, xtol, display, names) -> list[Threshold]:
    a0, b0 = _finite_span(model.parameter(lever), lo, hi, current[lever])
    xs = np.linspace(a0, b0, _SCAN_POINTS)
    stable, boundary, reg = _stability(model, lever, xs, current, tol, names)
    keep = ~boundary
    xs, stable = xs[keep], stable[keep]
    out = []
    for j in range(len(xs) - 1):
        if np.array_equal(stable[j], stable[j + 1]):
            continue
        a, b = xs[j], xs[j + 1]
        sa = stable[j]
        while b - a > xtol:
            m = 0.5 * (a + b)
            sm, bm, _ = _stability(model, lever, [m], current, tol, names)
            if bm[0]:
                a = b = m
                break
            if np.array_equal(sm[0], sa):
                a = m
            else:
                b = m
        value = 0.5 * (a + b)
        changed = [v for v in reg._order() if stable[j, v] != stable[j + 1, v]]
        kernel_eig = _eigen_at(model, lever, [xs[j], xs[j + 1]], current)
        conditions = []
        for v in changed:
            prof = reg.profiles[v]
            for k in range(kernel_eig.shape[-1]):
                e0, e1 = kernel_eig[(0, *prof, k)], kernel_eig[(1, *prof, k)]
                if np.sign(e0) != np.sign(e1):
                    conditions.append(_describe(model, display, prof, k))
        out.append(
            Threshold(
                lever,
                value,
                None,
                regime_label(_stable_names_mask(reg, stable[j])),
                regime_label(_stable_names_mask(reg, stable[j + 1])),
                tuple(reg.names[v] for v in changed),
                tuple(dict.fromkeys(conditions)),
                f"bisection of the regime on a {_SCAN_POINTS}-point scan of [{a0:g}, {b0:g}]",
                float(max(xtol, 0.5 * (b - a))),
            )
        )
    return out


def _stable_names_mask(reg, mask: np.ndarray) -> list[str]:
    return [reg.names[v] for v in reg._order() if mask[v]]


def _eigen_at(model, lever, xs, current) -> np.ndarray:
    from .regimes import kernel_for

    vals = {k: v for k, v in current.items() if k != lever}
    resolved = model.resolve({**vals, lever: np.asarray(xs, dtype=float)})
    return kernel_for(model).eigenvalues(resolved)


# --- levers and costs ------------------------------------------------------------------------------------


def low_profile(model: Model, low: str | Sequence[int] | None = None, values=None, tol=DEFAULT_TOL):
    """The low profile: given, else the vertex named ``low``, else the only stable vertex."""
    if low is not None:
        return parse_profile(model, low)
    names = vertex_names(model)
    for prof, name in names.items():
        if name == "low":
            return prof
    reg = classify_points(model, _current_values(model, values), tol)
    stable = [reg.profiles[v] for v in range(len(reg.profiles)) if reg.stable[0, v]]
    if len(stable) == 1:
        return stable[0]
    raise TripartiteError(
        f"model {model.name!r} names no 'low' profile and has {len(stable)} stable vertices; "
        "say which profile to escape from"
    )


def default_levers(model: Model, vertices: Sequence[tuple[int, ...]] | None = None) -> list[str]:
    """The policy levers of a model.

    For a built-in model, its documented policy levers (:data:`POLICY_LEVERS`);
    otherwise every parameter.  With ``vertices``, only the levers that enter
    the eigenvalues of those vertices (the others cannot change their stability).

    Examples
    --------
    >>> from tripartite import load_model
    >>> default_levers(load_model("baseline"), [(1, 1, 1)])
    ['c', 'phi', 'm', 'r', 'f', 'q', 'd', 'rho', 'nu']
    """
    names = [n for n in POLICY_LEVERS.get(model.name, model.parameter_names) if n in model.parameter_names]
    if vertices is None:
        return names
    eig = vertex_eigenvalues(model)
    used = set()
    for v in vertices:
        for e in eig[v]:
            used |= {s.name for s in e.free_symbols}
    return [n for n in names if n in used]


def _government(model: Model) -> int:
    return model.players.index("government") if "government" in model.players else 0


def fiscal_weights(
    model: Model, levers: Sequence[str], values: Mapping[str, Any] | None = None
) -> dict[str, float]:
    """Default cost weights: the government's fiscal exposure to each lever.

    ``w_l = max over profiles |d u_gov / d l|`` at the current values.

    Examples
    --------
    >>> from tripartite import load_model
    >>> w = fiscal_weights(load_model("baseline"), ["s", "t", "f", "nu"])
    >>> w["s"], w["t"], round(w["f"], 6), w["nu"]
    (1.0, 1.0, 0.28, 0.0)
    """
    current = _current_values(model, values)
    subs = {model.symbols[n]: v for n, v in current.items()}
    g = _government(model)
    out = {}
    for lever in levers:
        x = model.symbols[model.parameter(lever).name]
        best = 0.0
        for prof in model.profiles():
            d = sp.diff(model.payoffs[prof][g], x)
            if d != 0:
                best = max(best, abs(float(d.xreplace(subs))))
        out[lever] = best
    return out


# --- single-lever escapes ---------------------------------------------------------------------------------


#: Horizon of the trajectories that say where the system goes.
T_MAX = 200.0


def _trajectory_outcomes(model, runs, names) -> list[str]:
    """Where the dynamics go, for (parameter values, initial state) pairs, in one batch."""
    from ..dynamics.batch import OUTCOMES, VERTEX, integrate_batch

    if not runs:
        return []
    payoffs = np.concatenate([model.evaluate(point) for point, _ in runs])
    initial = [np.stack([start[i] for _, start in runs]) for i in range(model.n_players)]
    res = integrate_batch(payoffs, initial, t_max=T_MAX)
    out = []
    for b in range(len(runs)):
        if res.outcome[b] == VERTEX:
            out.append(names[tuple(int(k) for k in res.vertex[b])])
        else:
            out.append(OUTCOMES[int(res.outcome[b])])
    return out


def _near(model: Model, profile: tuple[int, ...], eps: float = 0.01) -> list[np.ndarray]:
    state = []
    for k, m in zip(profile, model.shape):
        x = np.full(m, eps / (m - 1) if m > 1 else 0.0)
        x[k] = 1.0 - eps if m > 1 else 1.0
        state.append(x)
    return state


def single_lever_escapes(
    model: Model,
    levers: Sequence[str] | None = None,
    *,
    low: str | Sequence[int] | None = None,
    values: Mapping[str, Any] | None = None,
    tol: float = DEFAULT_TOL,
    xtol: float = 1e-10,
    names: Mapping[Any, str] | None = None,
    trajectories: bool = True,
) -> list[LeverEscape]:
    """For each lever alone, the smallest change that ends the low profile's stability.

    Parameters
    ----------
    model : Model
    levers : list of str, optional
        Default: the policy levers that enter the low profile's eigenvalues.
    low : profile, optional
        The profile to escape from (default: the vertex named ``low``, else
        the only stable vertex).
    values : mapping, optional
        The current values (defaults otherwise).
    tol, xtol : float
        Tolerance on payoff differences; bisection tolerance on the lever.
    trajectories : bool
        Also report where the dynamics go beyond the threshold.

    Returns
    -------
    list of LeverEscape, in the order of ``levers``.

    Examples
    --------
    >>> from tripartite import load_model
    >>> esc = {e.lever: e for e in single_lever_escapes(load_model("baseline"), ["m", "nu"])}
    >>> esc["nu"].exact, esc["nu"].regime_after, esc["nu"].from_low
    (83/188, 'passive/shirk/enroll only', 'passive/shirk/enroll')
    >>> esc["m"].exact, esc["m"].condition
    (40, "platform's gain from shirk -> share at low")
    """
    current = _current_values(model, values)
    display = vertex_names(model, names)
    low = low_profile(model, low, current, tol)
    low_margin = classify_points(model, current, tol, names)
    lv = low_margin.profiles.index(low)
    if not low_margin.stable[0, lv]:
        raise TripartiteError(
            f"{display[low]} is not asymptotically stable at the given values; there is nothing to escape"
        )
    if levers is None:
        levers = default_levers(model, [low])
    out = []
    for lever in levers:
        model.parameter(lever)
        out.append(_escape_one(model, lever, low, current, tol, xtol, display, names))
    if trajectories:  # all trajectories in one batch
        runs, slots = [], []
        for j, e in enumerate(out):
            if not e.escapes:
                continue
            point = {**current, e.lever: e.after_value}
            runs.append((point, _near(model, low)))
            slots.append((j, "from_low"))
            if model.initial_state is not None:
                runs.append((point, [np.asarray(x, dtype=float) for x in model.initial_state]))
                slots.append((j, "from_status_quo"))
        for (j, attr), where in zip(slots, _trajectory_outcomes(model, runs, display)):
            out[j] = replace(out[j], **{attr: where})
    return out


def _escape_one(model, lever, low, current, tol, xtol, display, names) -> LeverEscape:
    p = model.parameter(lever)
    x0 = current[lever]
    x = model.symbols[lever]
    exprs = _substituted(model, current, [lever])[low]
    if not any(x in e.free_symbols for e in exprs):
        return LeverEscape(
            lever, x0, False, note=f"{lever} does not enter the stability conditions of {display[low]}"
        )
    roots: list[tuple[float, Any, int]] = []
    exact = True
    for k, e in enumerate(exprs):
        r = _real_roots(e, x, p.min, p.max)
        if r is None:
            exact = False
            break
        roots += [(float(v), v, k) for v in r]
    funcs = [sp.lambdify(x, e, "numpy") for e in exprs]

    def gmax(value: float) -> float:
        return max(float(f(value)) for f in funcs)

    found = {}
    for direction in (+1, -1):
        bound = p.max if direction > 0 else p.min
        if exact:
            ahead = sorted({r for r in roots if (r[0] - x0) * direction > 0}, key=lambda r: abs(r[0] - x0))
            stops = [r[0] for r in ahead] + [bound]
            for j, (value, ex, k) in enumerate(ahead):
                nxt = stops[j + 1]
                beyond = value + direction * _probe_step(value, nxt)
                if value == bound or gmax(beyond) > tol:
                    found[direction] = (
                        value,
                        ex,
                        k,
                        nxt,
                        "exact: real roots of the low profile's eigenvalues (sympy)",
                        0.0,
                    )
                    break
        else:
            hit = _bisect_escape(gmax, x0, bound, direction, tol, xtol)
            if hit is not None:
                value, width = hit
                k = int(np.argmax([float(f(value + direction * width)) for f in funcs]))
                nxt = bound
                found[direction] = (
                    value,
                    None,
                    k,
                    nxt,
                    "bisection of the low profile's largest eigenvalue",
                    width,
                )
    if not found:
        return LeverEscape(
            lever,
            x0,
            False,
            note=f"{display[low]} stays stable over the whole admissible range {p.range_text()} of {lever}",
        )
    best = min(found, key=lambda d: (abs(found[d][0] - x0), -d))
    value, ex, k, nxt, method, width = found[best]
    other = found.get(-best)
    step = _probe_step(value, nxt, abs(value - x0))
    after = value + best * step if math.isfinite(step) else value
    after = min(max(after, p.min), p.max)
    point = {**current, lever: after}
    reg = classify_points(model, point, tol, names)
    stable_after = tuple(_stable_names(reg, 0))
    return LeverEscape(
        lever,
        x0,
        True,
        value,
        ex,
        value - x0,
        _describe(model, display, low, k),
        method,
        width,
        after,
        regime_label(list(stable_after), bool(reg.boundary[0])),
        stable_after,
        None,
        None,
        None if other is None else other[0],
        formula=_formula(model, low, k, lever, value, current) if ex is not None else None,
    )


def _formula(model: Model, vertex, k: int, lever: str, value: float, current) -> sp.Expr | None:
    """The solution of eigenvalue ``k`` of ``vertex`` = 0 for ``lever``, in the other parameters.

    Among the solutions, the one that evaluates to ``value`` at the current values.
    """
    x = model.symbols[lever]
    expr = vertex_eigenvalues(model)[vertex][k]
    try:
        solutions = sp.solve(expr, x)
    except (NotImplementedError, ValueError):  # pragma: no cover - sympy gives up
        return None
    subs = {model.symbols[n]: _exact(v) for n, v in current.items() if n != lever}
    for sol in solutions:
        try:
            if math.isclose(float(sol.xreplace(subs)), value, rel_tol=1e-9, abs_tol=1e-12):
                return sp.factor_terms(sol)
        except TypeError:  # complex or still symbolic
            continue
    return None


def _probe_step(value: float, nxt: float, change: float | None = None) -> float:
    """How far beyond a threshold to look: 5 % of the change, at most halfway to the next stop."""
    span = abs(nxt - value) if math.isfinite(nxt) else math.inf
    base = 0.05 * change if change else 1e-3 * max(1.0, abs(value))
    return min(base, 0.5 * span) if math.isfinite(span) else base


def _bisect_escape(gmax, x0, bound, direction, tol, xtol):
    """First point from x0 toward bound where gmax >= -tol (scan, then bisection)."""
    far = bound if math.isfinite(bound) else x0 + direction * 10 * max(abs(x0), 1.0)
    xs = np.linspace(x0, far, _SCAN_POINTS)
    prev = x0
    for value in xs[1:]:
        if gmax(value) > -tol:
            a, b = prev, value
            while abs(b - a) > xtol:
                m = 0.5 * (a + b)
                if gmax(m) > -tol:
                    b = m
                else:
                    a = m
            return 0.5 * (a + b), abs(b - a)
        prev = value
    return None


# --- least-cost package -----------------------------------------------------------------------------------------


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
    current = _current_values(model, values)
    display = vertex_names(model, names)
    target_prof = parse_profile(model, target if target is not None else "high")
    levers = list(levers) if levers is not None else default_levers(model)
    if not levers:
        raise TripartiteError("give at least one lever")
    if len(set(levers)) != len(levers):
        raise TripartiteError("a lever is listed twice")
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
    x0 = np.array([current[n] for n in levers])
    syms = [model.symbols[n] for n in levers]
    problem = _Problem(
        levers,
        x0,
        np.array(los),
        np.array(his),
        np.array([weights[n] for n in levers]),
        np.array([_scale(model.parameter(n), current[n]) for n in levers]),
        margin,
        syms,
    )

    conds: dict[tuple[int, ...], list[_Condition]] = {}
    linear = True
    index = 0
    for v, exprs in _substituted(model, current, levers).items():
        conds[v] = []
        for k, e in enumerate(exprs):
            c = _Condition(v, k, index, _describe(model, display, v, k), e)
            index += 1
            lin = _linear(e, syms)
            if lin is None:
                linear = False
            else:
                c.a, c.b = lin
            conds[v].append(c)
    every = [c for cs in conds.values() for c in cs]
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
    destabilised = {}
    values_at = solver.values(x_best)
    for v, cs in others.items():
        if v in chosen:
            destabilised[display[v]] = chosen[v].text + " > 0"
        else:
            top = max(cs, key=lambda c: values_at[c.index])
            always = solver.always_at_least(top, margin)
            destabilised[display[v]] = top.text + " > 0" + (" (for every package)" if always else "")
    package = {n: float(v) for n, v in zip(levers, x_best)}
    point = {**current, **package}
    reg = classify_points(model, point, tol, names)
    stable_after = tuple(_stable_names(reg, 0))
    verified = stable_after == (display[target_prof],) and not bool(reg.boundary[0])
    from_sq = None
    if trajectories and model.initial_state is not None:
        start = [np.asarray(s, dtype=float) for s in model.initial_state]
        from_sq = _trajectory_outcomes(model, [(point, start)], display)[0]
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


class _LinearSolver:
    """Linear programs over x = x0 + u - w (u, w >= 0): two stages, cost then relative change."""

    method = (
        "linear programming (scipy.optimize.linprog, HiGHS) in a branch and bound over which "
        "deviation gain destabilises each other vertex; ties broken by the smallest relative change"
    )
    optimality = "global"

    def __init__(self, problem: _Problem, conditions: list[_Condition]):
        self.p = problem
        self.n = len(problem.x0)
        up = problem.hi - problem.x0
        down = problem.x0 - problem.lo
        self.bounds = [(0, None if math.isinf(b) else b) for b in up] + [
            (0, None if math.isinf(b) else b) for b in down
        ]
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


class _NonlinearSolver:
    """SLSQP over x = x0 + u - w, two stages, warm-started from the parent node."""

    method = (
        "constrained optimisation (scipy.optimize.minimize, SLSQP) in a branch and bound over which "
        "deviation gain destabilises each other vertex; ties broken by the smallest relative change"
    )
    optimality = "local (SLSQP; not proven globally optimal)"

    def __init__(self, problem: _Problem, conditions: list[_Condition]):
        self.p = problem
        self.n = len(problem.x0)
        exprs = [c.expr for c in conditions]
        self._f = sp.lambdify([problem.syms], exprs, "numpy")
        jac = sp.Matrix(exprs).jacobian(problem.syms)
        self._j = sp.lambdify([problem.syms], jac, "numpy")
        self._count = len(exprs)
        up = problem.hi - problem.x0
        down = problem.x0 - problem.lo
        self.bounds = [(0, None if math.isinf(b) else b) for b in up] + [
            (0, None if math.isinf(b) else b) for b in down
        ]

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

        # phase 1: the smallest relative change (well conditioned), from the parent's
        # solution, the current values, then a few random points of the box
        y = None
        for y0 in self._starts(start):
            y = run(c2, y0, constraints)
            if y is not None:
                break
        if y is None:
            return None
        if np.any(p.w > 0):  # phase 2: the cost; phase 3: relative change at that cost
            y1 = run(c1, y, constraints)
            y = y1 if y1 is not None else y
            cap = float(c1 @ y) + 1e-9 * max(1.0, abs(float(c1 @ y)))
            capped = constraints + [
                {"type": "ineq", "fun": lambda y: cap - float(c1 @ y), "jac": lambda y: -c1}
            ]
            y3 = run(c2, y, capped)
            y = y3 if y3 is not None else y
        x = np.clip(x_of(y), p.lo, p.hi)
        delta = np.abs(x - p.x0)
        return float(p.w @ delta), float(np.sum(delta / p.scale)), x

    def _starts(self, start):
        p = self.p
        n = self.n
        out = []
        if start is not None:
            d = np.asarray(start) - p.x0
            out.append(np.concatenate([np.maximum(d, 0), np.maximum(-d, 0)]))
        out.append(np.zeros(2 * n))
        rng = np.random.default_rng(0)
        lo = np.where(np.isfinite(p.lo), p.lo, p.x0 - p.scale)
        hi = np.where(np.isfinite(p.hi), p.hi, p.x0 + p.scale)
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
