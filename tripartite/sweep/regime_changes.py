"""Thresholds along one lever: the values where the regime changes, the other parameters fixed.

The regime can only change where some vertex eigenvalue :math:`g_{v,k}(x) = 0`
(the symbolic deviation gains of :mod:`tripartite.symbolic.vertices`, every
other parameter at its exact value: :func:`~tripartite.sweep.levers.fixed_eigenvalues`).
When every eigenvalue is a rational function of the lever :math:`x` its real
roots are found exactly (:func:`tripartite.symbolic.critical.real_roots`), the
regime is classified between consecutive roots, and the roots where it
differs on the two sides are the thresholds (exact values, e.g. ``83/188``).
Otherwise the lever's range is scanned and each change of regime is
bracketed and bisected to a stated tolerance ``xtol``.

Where some payoff is not a finite real number (``log(x)`` at ``x <= 0``)
there is no game and no regime: a range in which the payoffs are undefined
at any of the scan's points is refused (:class:`~tripartite.errors.UndefinedPayoffError`,
naming the payoff, the first such point and how many there are), rather
than reporting the edge of the undefined part as a threshold.

A threshold is a statement about a parameter point and a lever: where, with
every other parameter at its value, the set of asymptotically stable vertices
changes.  :func:`tripartite.symbolic.critical_values` answers a different
question: every zero of every vertex eigenvalue as a formula in the other
parameters, whether or not crossing it changes any vertex's stability (see
:mod:`tripartite.symbolic.critical`).

Examples
--------
>>> from tripartite import load_model
>>> model = load_model("baseline")
>>> [str(t.exact) for t in thresholds(model, "nu")]
['83/188']
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import sympy as sp

from ..errors import ParameterError, TripartiteError, UndefinedPayoffError
from ..model import Model
from ..symbolic.critical import real_roots
from .designs import Design
from .levers import current_values, describe_eigenvalue, fixed_eigenvalues
from .regimes import (
    DEFAULT_TOL,
    Regimes,
    classify_points,
    kernel_for,
    payoff_scales,
    regime_label,
    vertex_names,
)

__all__ = ["EXACT_METHOD", "SCAN_POINTS", "Threshold", "design_thresholds", "real_roots", "thresholds"]

#: Points of the scan that brackets regime changes when exact roots are not available.
SCAN_POINTS = 2001
#: The method of a threshold found exactly.
EXACT_METHOD = "exact: real roots of the vertex eigenvalues (sympy)"


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

    def to_record(self) -> dict[str, Any]:
        """JSON-ready record (``exact`` as a string sympy reads back, or ``None``).

        ``method`` and ``tolerance`` are this threshold's own: how it was found
        and the bound on the error of ``value``.

        Examples
        --------
        >>> from tripartite import load_model
        >>> r = thresholds(load_model("baseline"), "nu")[0].to_record()
        >>> r["exact"], r["below"], r["tolerance"]
        ('83/188', 'low only', 0.0)
        """
        return {
            "lever": self.lever,
            "value": float(self.value),
            "exact": None if self.exact is None else str(self.exact),
            "below": self.below,
            "above": self.above,
            "vertices": list(self.vertices),
            "conditions": list(self.conditions),
            "method": self.method,
            "tolerance": float(self.tolerance),
        }

    def as_dict(self) -> dict[str, Any]:
        """The same as :meth:`to_record` (the older name)."""
        return self.to_record()

    def _value_text(self) -> str:
        exact = f"{self.exact} = " if self.exact is not None and str(self.exact) != f"{self.value:g}" else ""
        return f"{exact}{self.value:.6g}"

    def _repr_html_(self) -> str:
        from ..display import html_fields

        rows = [
            ["value", self._value_text()],
            ["regime below", self.below],
            ["regime above", self.above],
            ["vertices whose stability changes", ", ".join(self.vertices)],
            ["conditions", "; ".join(self.conditions)],
            ["method", self.method],
            ["tolerance", f"{self.tolerance:g}"],
        ]
        return html_fields(rows, f"threshold of {self.lever}")

    def __repr__(self) -> str:
        return f"<Threshold {self.lever} = {self._value_text()}: {self.below} -> {self.above}>"


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
        Tolerance on payoff differences (for the classification), relative to the payoff
        scale at each point (:func:`~tripartite.sweep.regimes.payoff_scales`).
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
    current = current_values(model, values)
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
    _require_defined(model, lever, current, lo, hi)
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


def _require_defined(model: Model, lever: str, current: Mapping[str, float], lo: float, hi: float) -> None:
    """Refuse a lever range where some payoff is not a finite real number (checked on the scan's points).

    A regime is a statement about a game; where a payoff is undefined
    (``log(x)`` at ``x <= 0``) there is none, and a change of "regime" at the
    edge of such a region would be no threshold.
    """
    a0, b0 = _finite_span(lo, hi, current[lever])
    xs = np.unique(np.concatenate([np.linspace(a0, b0, SCAN_POINTS), [current[lever]]]))
    xs = xs[(xs >= lo) & (xs <= hi)]
    others = {k: v for k, v in current.items() if k != lever}
    defined = model.defined_at({**others, lever: xs})
    if defined.all():
        return
    bad = xs[~defined]
    try:  # the model's own words: which payoff, at which point
        model.game({**others, lever: float(bad[0])})
        reason = f"a payoff is undefined at {lever} = {bad[0]:g}"
    except UndefinedPayoffError as exc:
        reason = str(exc)
    raise UndefinedPayoffError(
        f"{reason}; thresholds of {lever!r} need payoffs defined on all of [{lo:g}, {hi:g}], and they are "
        f"undefined at {len(bad)} of {len(xs)} scanned points ({lever} from {bad.min():g} to {bad.max():g})"
    )


def _fixed_eigenvalues(model: Model, current: Mapping[str, float], lever: str) -> dict[tuple, list[sp.Expr]]:
    """:func:`~tripartite.sweep.levers.fixed_eigenvalues` for one lever, cached in a symbolic session.

    Inside a :func:`tripartite.symbolic.cache.session` (the command line's)
    the expanded eigenvalues are read from, and written to, the model's cache
    file, keyed by the lever and the exact values of the other parameters.
    """
    from ..symbolic import vertex_eigenvalues
    from ..symbolic.cache import active, memo
    from ..symbolic.exact import rational

    if active() is None:
        return fixed_eigenvalues(model, current, [lever])
    point = ",".join(f"{k}={sp.srepr(rational(v))}" for k, v in sorted(current.items()) if k != lever)
    computed: dict[tuple, list[sp.Expr]] = {}

    def flat() -> list[sp.Expr]:
        computed.update(fixed_eigenvalues(model, current, [lever]))
        return [e for exprs in computed.values() for e in exprs]

    values = memo("solutions", [model.symbols[lever]], f"fixed eigenvalues; {point}", flat)
    shape = {v: len(exprs) for v, exprs in vertex_eigenvalues(model).items()}
    if sum(shape.values()) != len(values):  # pragma: no cover - the store's entry is for this model
        return fixed_eigenvalues(model, current, [lever])
    out, start = {}, 0
    for v, n in shape.items():
        out[v] = list(values[start : start + n])
        start += n
    return out


def _thresholds_exact(model, lever, current, lo, hi, tol, display, names) -> list[Threshold] | None:
    x = model.symbols[lever]
    eig = _fixed_eigenvalues(model, current, lever)
    candidates: list[tuple[float, sp.Expr, tuple[int, ...], int]] = []
    for v, exprs in eig.items():
        for k, e in enumerate(exprs):
            roots = real_roots(e, x, lo, hi)
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
    stable, boundary, reg = _stability_exact(model, eig, x, probes, current, tol, names)
    out = []
    for j, group in enumerate(groups):
        left, right = j, j + 1
        # an interval of zero width (a root at an end of the range) has nothing beyond it
        if edges[left] == edges[left + 1] or edges[right] == edges[right + 1]:
            continue
        if np.array_equal(stable[left], stable[right]) and boundary[left] == boundary[right]:
            continue
        changed = [v for v in reg.order() if stable[left, v] != stable[right, v]]
        vertex_set = {reg.profiles[v] for v in changed}
        rank = {reg.profiles[v]: j for j, v in enumerate(reg.order())}
        ordered = sorted(group, key=lambda c: (rank[c[2]], c[3]))
        conditions = tuple(
            dict.fromkeys(
                describe_eigenvalue(model, display, c[2], c[3]) for c in ordered if c[2] in vertex_set
            )
        ) or tuple(dict.fromkeys(describe_eigenvalue(model, display, c[2], c[3]) for c in ordered))
        exact = group[0][1]
        out.append(
            Threshold(
                lever,
                float(exact),
                exact,
                regime_label(reg.names_of(reg.stable[left]), bool(boundary[left])),
                regime_label(reg.names_of(reg.stable[right]), bool(boundary[right])),
                tuple(reg.names[v] for v in changed),
                conditions,
                EXACT_METHOD,
                0.0,
            )
        )
    return out


def _thresholds_bisection(model, lever, current, lo, hi, tol, xtol, display, names) -> list[Threshold]:
    a0, b0 = _finite_span(lo, hi, current[lever])
    xs = np.linspace(a0, b0, SCAN_POINTS)
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
            if bm[0]:  # within tol of the zero: the eigenvalues' signs alone locate it to xtol
                sm, bm, _ = _stability(model, lever, [m], current, 0.0, names)
            if bm[0]:
                a = b = m
                break
            if np.array_equal(sm[0], sa):
                a = m
            else:
                b = m
        value = 0.5 * (a + b)
        changed = [v for v in reg.order() if stable[j, v] != stable[j + 1, v]]
        kernel_eig = _eigen_at(model, lever, [xs[j], xs[j + 1]], current)
        conditions = []
        for v in changed:
            prof = reg.profiles[v]
            for k in range(kernel_eig.shape[-1]):
                e0, e1 = kernel_eig[(0, *prof, k)], kernel_eig[(1, *prof, k)]
                if np.sign(e0) != np.sign(e1):
                    conditions.append(describe_eigenvalue(model, display, prof, k))
        out.append(
            Threshold(
                lever,
                value,
                None,
                regime_label(reg.names_of(stable[j])),
                regime_label(reg.names_of(stable[j + 1])),
                tuple(reg.names[v] for v in changed),
                tuple(dict.fromkeys(conditions)),
                f"bisection of the regime on a {SCAN_POINTS}-point scan of [{a0:g}, {b0:g}]",
                float(max(xtol, 0.5 * (b - a))),
            )
        )
    return out


def design_thresholds(
    model: Model,
    design: Design,
    values: Mapping[str, Any] | None = None,
    tol: float = DEFAULT_TOL,
    names: Mapping[Any, str] | None = None,
) -> list[Threshold]:
    """The thresholds within the span of a one-lever grid (none for any other design).

    What ``tripartite sweep`` reports beside its table: along a grid of one
    lever, the exact (or bisected) values between its first and last point
    where the regime changes.

    Examples
    --------
    >>> from tripartite import load_model
    >>> from tripartite.sweep import grid
    >>> model = load_model("baseline")
    >>> [str(t.exact) for t in design_thresholds(model, grid(model, {"nu": "0:1:11"}))]
    ['83/188']
    """
    if not (design.kind == "grid" and len(design.names) == 1 and design.n_points > 1):
        return []
    axis = design.axes[0]
    return thresholds(
        model,
        design.names[0],
        values=values,
        lo=float(axis.min()),
        hi=float(axis.max()),
        tol=tol,
        names=names,
    )


def _finite_span(lo: float, hi: float, centre: float) -> tuple[float, float]:
    """A finite interval for scanning: infinite ends replaced by centre -/+ 10 * max(|centre|, 1)."""
    width = 10 * max(abs(centre), 1.0)
    return (lo if math.isfinite(lo) else centre - width, hi if math.isfinite(hi) else centre + width)


def _stability(model, lever, xs, current, tol, names):
    """(stable (n, P) bool, boundary (n,) bool, labels) along a lever."""
    vals = {k: v for k, v in current.items() if k != lever}
    reg = classify_points(model, {**vals, lever: np.asarray(xs, dtype=float)}, tol, names)
    return reg.stable, reg.boundary, reg


def _stability_exact(model, eig, x, probes, current, tol, names):
    """:func:`_stability` at a few probes, from the exact eigenvalues along the lever.

    ``eig`` are the vertex eigenvalues with every other parameter at its exact
    value (:func:`~tripartite.sweep.levers.fixed_eigenvalues`); at a rational
    probe each is an exact number, so no numeric kernel is built.
    """
    from ..symbolic.exact import rational

    if not all(eig.values()):
        return _stability(model, x.name, probes, current, tol, names)
    profiles = list(eig)
    display = vertex_names(model, names)
    points = [{x: rational(p)} for p in probes]
    margins = np.array([[_largest(eig[v], at, x) for at in points] for v in profiles])
    # the tolerance is relative to the payoff scale at each probe (evaluated numerically)
    vals = {k: v for k, v in current.items() if k != x.name}
    scales = payoff_scales(model, model.resolve({**vals, x.name: np.asarray(probes, dtype=float)}))
    reg = Regimes(profiles, [display[v] for v in profiles], margins, tol, scales)
    return reg.stable, reg.boundary, reg


def _largest(exprs, at: Mapping[sp.Symbol, sp.Expr], x: sp.Symbol) -> float:
    """The largest of the exact eigenvalues at a probe; refused where one is not a finite real number."""
    values = [e.xreplace(at) for e in exprs]
    if any(v.is_extended_real is False or v.is_finite is False or v.has(sp.nan) for v in values):
        raise UndefinedPayoffError(
            f"a payoff is undefined at {x} = {at[x]} (an eigenvalue there is not a real number)"
        )
    return float(max(values))


def _eigen_at(model, lever, xs, current) -> np.ndarray:
    vals = {k: v for k, v in current.items() if k != lever}
    resolved = model.resolve({**vals, lever: np.asarray(xs, dtype=float)})
    return kernel_for(model).eigenvalues(resolved)
