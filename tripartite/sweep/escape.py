"""Single-lever escapes from the low equilibrium, and where the dynamics go after them.

For each lever alone, the smallest change from the current value at which
the low profile :math:`\\ell` stops being asymptotically stable: the nearest
:math:`x` (up or down) where :math:`\\max_k g_{\\ell,k}(x)` reaches 0 and
becomes positive (exact roots when the eigenvalues are rational in the
lever, else a scan and bisection; see :mod:`~tripartite.sweep.regime_changes`).
The eigenvalues are the symbolic deviation gains
(:func:`tripartite.symbolic.vertex_eigenvalues`), the threshold as a formula
is their solution for the lever (:func:`tripartite.symbolic.critical.solve_for`),
and "stops being stable" is the one rule of
:func:`tripartite.dynamics.stability.classify` applied to the largest of them
(:func:`~tripartite.sweep.regimes.margin_codes`).  Where the system then goes
is reported just beyond that point (5 % of the change further, or halfway to
the next regime change if nearer): the stable vertices there, and where the
replicator dynamics lead from the low profile perturbed by 1 % and from the
documented status quo (:func:`tripartite.dynamics.batch.integrate_batch`, to
:data:`tripartite.dynamics.DEFAULT_T_MAX`).

:func:`escape_report` puts the single-lever escapes and the least-cost
package (:mod:`~tripartite.sweep.package`) together: the answer of
``tripartite escape``.

Examples
--------
>>> from tripartite import load_model
>>> [e.formula for e in single_lever_escapes(load_model("baseline"), ["m"])]
[R*p + ell + r]
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any, NamedTuple

import numpy as np
import sympy as sp

from ..dynamics import DEFAULT_T_MAX
from ..dynamics.batch import OUTCOMES, VERTEX, integrate_batch
from ..dynamics.stability import UNSTABLE
from ..errors import TripartiteError
from ..model import Model, numeric_function
from ..symbolic import vertex_eigenvalues
from ..symbolic.critical import real_roots, solve_for
from ..symbolic.exact import rational
from .levers import DEFAULT_MARGIN, current_values, default_levers, describe_eigenvalue, fixed_eigenvalues
from .regime_changes import SCAN_POINTS
from .regimes import DEFAULT_TOL, classify_points, margin_codes, parse_profile, regime_label, vertex_names

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from .package import EscapePackage

__all__ = [
    "ESCAPE_COLUMNS",
    "REPORT_METHOD",
    "T_MAX",
    "EscapeReport",
    "LeverEscape",
    "escape_report",
    "escapes_table",
    "low_profile",
    "single_lever_escapes",
    "trajectory_outcomes",
]

#: Horizon of the trajectories that say where the system goes: the one default horizon
#: :data:`tripartite.dynamics.DEFAULT_T_MAX` (kept under this name).
T_MAX = DEFAULT_T_MAX
#: How :func:`escape_report` is computed (the ``method`` of ``tripartite escape``).
REPORT_METHOD = (
    "vertex eigenvalues (deviation gains) as sympy expressions; exact roots along each lever; "
    "least-cost package by linear programming (scipy.optimize.linprog) or SLSQP, costed by the "
    "model's [fiscal] table (fiscal cost in money at the target relative to the low state)"
)
EXACT_METHOD = "exact: real roots of the low profile's eigenvalues (sympy)"
BISECTION_METHOD = "bisection of the low profile's largest eigenvalue"


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

    def to_record(self) -> dict[str, Any]:
        """JSON-ready record: every field (the same keys whether or not it escapes).

        Expressions (``exact``, ``formula``) are strings sympy reads back;
        numbers not computed (no escape, no trajectories) are ``None``.

        Examples
        --------
        >>> from tripartite import load_model
        >>> (m,) = single_lever_escapes(load_model("baseline"), ["m"], trajectories=False)
        >>> r = m.to_record()
        >>> r["threshold"], r["change"], r["formula"], r["from_low"]
        (40.0, -20.0, 'R*p + ell + r', None)
        """
        return {
            "lever": self.lever,
            "current": float(self.current),
            "escapes": bool(self.escapes),
            "threshold": _float(self.threshold),
            "exact": None if self.exact is None else str(self.exact),
            "change": _float(self.change),
            "relative_change": _float(self.relative_change),
            "condition": self.condition,
            "method": self.method,
            "tolerance": float(self.tolerance),
            "after_value": _float(self.after_value),
            "regime_after": self.regime_after,
            "stable_after": list(self.stable_after),
            "from_low": self.from_low,
            "from_status_quo": self.from_status_quo,
            "other_direction": _float(self.other_direction),
            "formula": None if self.formula is None else str(self.formula),
            "note": self.note,
        }

    def as_dict(self) -> dict[str, Any]:
        """The same as :meth:`to_record` (the older name)."""
        return self.to_record()

    def _threshold_text(self) -> str:
        if self.threshold is None:
            return ""
        exact = self.exact is not None and str(self.exact) != f"{self.threshold:g}"
        return (f"{self.exact} = " if exact else "") + f"{self.threshold:.6g}"

    def _change_text(self) -> str:
        rel = self.relative_change
        return f"{self.change:+.6g}" + ("" if rel is None else f" ({100 * rel:+.0f}%)")

    def _repr_html_(self) -> str:
        from ..display import html_fields, number

        if not self.escapes:
            rows = [("now", number(self.current)), ("escapes", "no"), ("note", self.note)]
            return html_fields(rows, f"escape from the low profile along {self.lever}")
        rows = [
            ("now", number(self.current)),
            ("threshold", self._threshold_text()),
            ("change", self._change_text()),
            ("condition that fails", f"{self.condition} reaches 0"),
            ("as a formula", "" if self.formula is None else str(self.formula)),
            ("then", self.regime_after),
            ("from low the dynamics go to", self.from_low or ""),
            ("from the status quo they go to", self.from_status_quo or ""),
            ("threshold the other way", "" if self.other_direction is None else number(self.other_direction)),
            ("method", self.method),
        ]
        return html_fields(rows, f"escape from the low profile along {self.lever}")

    def __repr__(self) -> str:
        if not self.escapes:
            return f"<LeverEscape {self.lever}: no escape ({self.note})>"
        return (
            f"<LeverEscape {self.lever}: {self.current:g} -> {self._threshold_text()} "
            f"({self._change_text()}), then {self.regime_after}>"
        )


def _float(value: float | None) -> float | None:
    return None if value is None else float(value)


#: Columns of :func:`escapes_table`, in order (the fields of :meth:`LeverEscape.to_record`).
ESCAPE_COLUMNS = (
    "escapes",
    "current",
    "threshold",
    "exact",
    "change",
    "relative_change",
    "condition",
    "formula",
    "regime_after",
    "stable_after",
    "from_low",
    "from_status_quo",
    "other_direction",
    "after_value",
    "method",
    "tolerance",
    "note",
)


def escapes_table(escapes: Sequence[LeverEscape]) -> pd.DataFrame:
    """Single-lever escapes as a table: one row per lever (the index), the fields as columns.

    The columns are :data:`ESCAPE_COLUMNS` (the JSON fields of
    :meth:`LeverEscape.to_record`); ``stable_after`` is ``"; "``-separated,
    as in the sweep tables.

    Examples
    --------
    >>> from tripartite import load_model
    >>> escapes = single_lever_escapes(load_model("baseline"), ["m", "nu"], trajectories=False)
    >>> table = escapes_table(escapes)
    >>> list(table.index), table.loc["nu", "exact"], table.loc["m", "regime_after"]
    (['m', 'nu'], '83/188', 'passive/share/lapse only')
    """
    import pandas as pd

    rows = []
    for e in escapes:
        record = e.to_record()
        record["stable_after"] = "; ".join(record["stable_after"])
        rows.append({"lever": record["lever"], **{k: record[k] for k in ESCAPE_COLUMNS}})
    frame = pd.DataFrame(rows, columns=["lever", *ESCAPE_COLUMNS])
    return frame.set_index("lever")


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
        Tolerance on payoff differences, relative to the payoff scale (at each point
        classified; at the current values for the crossings); bisection tolerance on the lever.
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
    current = current_values(model, values)
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
    # the crossings' tolerance in payoff units: relative to the payoff scale at the current values
    tol_payoff = tol * float(low_margin.scale[0])
    out = []
    for lever in levers:
        model.parameter(lever)
        out.append(_escape_one(model, lever, low, current, tol, tol_payoff, xtol, display, names))
    return _with_destinations(model, out, current, low, display) if trajectories else out


def _with_destinations(model: Model, escapes: list[LeverEscape], current, low, display) -> list[LeverEscape]:
    """The escapes with ``from_low`` and ``from_status_quo`` filled in (all trajectories in one batch)."""
    return _destinations(model, escapes, current, low, display, [])[0]


def _destinations(model: Model, escapes, current, low, display, extra) -> tuple[list[LeverEscape], list[str]]:
    """:func:`_with_destinations`, and where the dynamics go in the ``extra`` runs (parameter values,
    initial state), all integrated in one batch."""
    runs, slots = [], []
    for j, e in enumerate(escapes):
        if not e.escapes:
            continue
        point = {**current, e.lever: e.after_value}
        runs.append((point, _near(model, low)))
        slots.append((j, "from_low"))
        if model.initial_state is not None:
            runs.append((point, [np.asarray(x, dtype=float) for x in model.initial_state]))
            slots.append((j, "from_status_quo"))
    out = list(escapes)
    outcomes = trajectory_outcomes(model, runs + list(extra), display)
    for (j, attr), where in zip(slots, outcomes):
        out[j] = replace(out[j], **{attr: where})
    return out, outcomes[len(runs) :]


class _Crossing(NamedTuple):
    """Where the low profile's largest eigenvalue crosses zero, moving one way along a lever."""

    value: float
    exact: Any  # the exact root, or None when bisected
    k: int  # which eigenvalue
    next_stop: float  # the next root beyond it, or the end of the range
    method: str
    width: float  # bracket width (0 for exact roots)


def _escape_one(model, lever, low, current, tol, tol_payoff, xtol, display, names) -> LeverEscape:
    p = model.parameter(lever)
    x0 = current[lever]
    x = model.symbols[lever]
    exprs = fixed_eigenvalues(model, current, [lever], [low])[low]
    if not any(x in e.free_symbols for e in exprs):
        return LeverEscape(
            lever, x0, False, note=f"{lever} does not enter the stability conditions of {display[low]}"
        )
    roots = _roots(exprs, x, p.min, p.max)
    every = numeric_function([x], exprs)  # one compiled function for all the eigenvalues

    def values_at(value) -> np.ndarray:
        """The low profile's eigenvalues at lever value(s) ``value``, shape ``(K, *value.shape)``."""
        v = np.asarray(value, dtype=float)
        with np.errstate(all="ignore"):
            return np.stack([np.broadcast_to(np.asarray(g, dtype=float), v.shape) for g in every(v)])

    def gmax(value):
        """The low profile's largest eigenvalue (its stability margin) at lever value(s) ``value``."""
        return values_at(value).max(axis=0)

    found = {}
    for direction in (+1, -1):
        bound = p.max if direction > 0 else p.min
        if roots is not None:
            hit = _exact_crossing(roots, x0, bound, direction, gmax, tol_payoff)
        else:
            hit = _bisected_crossing(values_at, gmax, x0, bound, direction, tol_payoff, xtol)
        if hit is not None:
            found[direction] = hit
    if not found:
        return LeverEscape(
            lever,
            x0,
            False,
            note=f"{display[low]} stays stable over the whole admissible range {p.range_text()} of {lever}",
        )
    best = min(found, key=lambda d: (abs(found[d].value - x0), -d))
    hit, other = found[best], found.get(-best)
    step = _probe_step(hit.value, hit.next_stop, abs(hit.value - x0))
    after = hit.value + best * step if math.isfinite(step) else hit.value
    after = min(max(after, p.min), p.max)
    reg = classify_points(model, {**current, lever: after}, tol, names)
    stable_after = tuple(reg.names_of(reg.stable[0]))
    return LeverEscape(
        lever,
        x0,
        True,
        hit.value,
        hit.exact,
        hit.value - x0,
        describe_eigenvalue(model, display, low, hit.k),
        hit.method,
        hit.width,
        after,
        regime_label(list(stable_after), bool(reg.boundary[0])),
        stable_after,
        None,
        None,
        None if other is None else other.value,
        formula=_formula(model, low, hit.k, lever, hit.value, current) if hit.exact is not None else None,
    )


def _roots(exprs, x, lo: float, hi: float) -> list[tuple[float, Any, int]] | None:
    """``(value, exact root, eigenvalue index)`` of every eigenvalue in ``[lo, hi]``; ``None`` if not exact."""
    roots = []
    for k, e in enumerate(exprs):
        found = real_roots(e, x, lo, hi)
        if found is None:
            return None
        roots += [(float(v), v, k) for v in found]
    return roots


def _exact_crossing(roots, x0: float, bound: float, direction: int, gmax, tol: float) -> _Crossing | None:
    """The nearest root beyond ``x0`` after which the largest eigenvalue is positive."""
    ahead = sorted({r for r in roots if (r[0] - x0) * direction > 0}, key=lambda r: abs(r[0] - x0))
    stops = [r[0] for r in ahead] + [bound]
    for j, (value, exact, k) in enumerate(ahead):
        beyond = value + direction * _probe_step(value, stops[j + 1])
        if value == bound or margin_codes(gmax(beyond), tol) == UNSTABLE:
            return _Crossing(value, exact, k, stops[j + 1], EXACT_METHOD, 0.0)
    return None


def _bisected_crossing(values_at, gmax, x0, bound, direction, tol, xtol) -> _Crossing | None:
    """The first point from ``x0`` toward ``bound`` where the largest eigenvalue crosses zero into positive."""
    hit = _bisect_escape(gmax, x0, bound, direction, tol, xtol)
    if hit is None:
        return None
    value, width = hit
    k = int(np.argmax(values_at(value + direction * width)))  # the eigenvalue that crossed
    return _Crossing(value, None, k, bound, BISECTION_METHOD, width)


def _formula(model: Model, vertex, k: int, lever: str, value: float, current) -> sp.Expr | None:
    """The solution of eigenvalue ``k`` of ``vertex`` = 0 for ``lever``, in the other parameters.

    Among the solutions (:func:`tripartite.symbolic.critical.solve_for`, the
    critical values of that eigenvalue), the one that evaluates to ``value``
    at the current values.
    """
    expr = vertex_eigenvalues(model)[vertex][k]
    subs = {model.symbols[n]: rational(v) for n, v in current.items() if n != lever}
    for sol in solve_for(expr, model.symbols[lever]):
        try:
            if math.isclose(float(sol.xreplace(subs)), value, rel_tol=1e-9, abs_tol=1e-12):
                return sol
        except TypeError:  # complex or still symbolic
            continue
    return None


def _probe_step(value: float, nxt: float, change: float | None = None) -> float:
    """How far beyond a threshold to look: 5 % of the change, at most halfway to the next stop."""
    span = abs(nxt - value) if math.isfinite(nxt) else math.inf
    base = 0.05 * change if change else 1e-3 * max(1.0, abs(value))
    return min(base, 0.5 * span) if math.isfinite(span) else base


def _bisect_escape(gmax, x0, bound, direction, tol, xtol):
    """Where the low profile's largest eigenvalue, going from ``x0`` toward ``bound``, crosses zero for good.

    As for exact roots, the low profile escapes where its largest eigenvalue
    becomes positive: the scan finds the first point where its code by
    :func:`margin_codes` is ``UNSTABLE``, and the zero crossing before it is
    bisected to ``xtol``.  Returns ``(value, bracket width)`` or ``None``.
    """
    far = bound if math.isfinite(bound) else x0 + direction * 10 * max(abs(x0), 1.0)
    xs = np.linspace(x0, far, SCAN_POINTS)
    values = gmax(xs)
    unstable = np.flatnonzero(margin_codes(values, tol) == UNSTABLE)
    if not unstable.size:
        return None
    j = unstable[0]
    negative = np.flatnonzero(values[:j] < 0)  # not empty: the low profile is stable at x0
    a, b = xs[negative[-1]], xs[j]
    while abs(b - a) > xtol:
        m = 0.5 * (a + b)
        if gmax(m) < 0:
            a = m
        else:
            b = m
    return 0.5 * (a + b), abs(b - a)


def low_profile(model: Model, low: str | Sequence[int] | None = None, values=None, tol=DEFAULT_TOL):
    """The low profile: given, else the vertex named ``low``, else the only stable vertex."""
    if low is not None:
        return parse_profile(model, low)
    names = vertex_names(model)
    for prof, name in names.items():
        if name == "low":
            return prof
    reg = classify_points(model, current_values(model, values), tol)
    stable = [reg.profiles[v] for v in np.flatnonzero(reg.stable[0])]
    if len(stable) == 1:
        return stable[0]
    raise TripartiteError(
        f"model {model.name!r} names no 'low' profile and has {len(stable)} stable vertices; "
        "say which profile to escape from"
    )


def trajectory_outcomes(model, runs, names) -> list[str]:
    """Where the dynamics go, for (parameter values, initial state) pairs, in one batch.

    A vertex name when convergence to it is certified (for payoffs that depend on the
    state, which have no certificate: within ``vertex_tol`` of it at the horizon);
    ``"not converged (near X)"`` when the state is near vertex X at the horizon without a
    certificate (a slow passage by a saddle, say); else ``cycling``, ``rest point`` or
    ``not converged`` (:data:`~tripartite.dynamics.batch.OUTCOMES`).
    """
    if not runs:
        return []
    # the runs' points as one batch of parameter values (resolved once)
    defaults = model.defaults()
    keys = {n for point, _ in runs for n in point}
    batch = {n: np.array([float(point.get(n, defaults.get(n, np.nan))) for point, _ in runs]) for n in keys}
    if model.state and not model.static_at(batch):
        payoffs = model.game(batch)  # payoffs that depend on the state: one state-dependent game
    else:
        payoffs = model.evaluate(batch)
    initial = [np.stack([start[i] for _, start in runs]) for i in range(model.n_players)]
    # only the outcome words are needed: a recurrent orbit stops at its second return
    res = integrate_batch(payoffs, initial, t_max=DEFAULT_T_MAX, stop_cycling=True)
    static = isinstance(payoffs, np.ndarray)  # the vertex certificate needs multilinear payoffs
    out = []
    for b in range(len(runs)):
        if res.outcome[b] == VERTEX:
            where = names[tuple(int(k) for k in res.vertex[b])]
            # within vertex_tol of a vertex at t_max, unproven (e.g. a slow passage by a saddle)
            out.append(where if res.certified[b] or not static else f"not converged (near {where})")
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


@dataclass(frozen=True)
class EscapeReport:
    """The way out of the low profile: where it stands, each lever alone, and the least-cost package.

    Attributes
    ----------
    low : str
        Display name of the profile escaped from.
    low_profile : dict
        Its strategies, player -> strategy.
    low_stable : bool
        Whether it is asymptotically stable at the current values (else there is nothing to
        escape, and :attr:`single_lever` is empty).
    stable_now : tuple of str
        The asymptotically stable vertices at the current values.
    single_lever : tuple of LeverEscape
    not_entering : tuple of str or None
        With the default levers: the policy levers that do not enter the low profile's
        stability conditions (``None`` when the levers were given, or nothing is escaped).
    package : EscapePackage
    """

    low: str
    low_profile: dict[str, str]
    low_stable: bool
    stable_now: tuple[str, ...]
    single_lever: tuple[LeverEscape, ...]
    not_entering: tuple[str, ...] | None
    package: EscapePackage

    def to_record(self) -> dict[str, Any]:
        """JSON-ready record (the ``tripartite escape --json`` answer, without provenance).

        Examples
        --------
        >>> from tripartite import load_model
        >>> r = escape_report(load_model("baseline"), ["m", "nu"], trajectories=False).to_record()
        >>> r["low"]["name"], r["low"]["stable"], [e["exact"] for e in r["single_lever"]]
        ('low', True, ['40', '83/188'])
        >>> r["package"]["feasible"], r["not_entering"]
        (False, None)
        """
        return {
            "low": {"name": self.low, "profile": dict(self.low_profile), "stable": self.low_stable},
            "stable_now": list(self.stable_now),
            "single_lever": [e.to_record() for e in self.single_lever],
            "not_entering": None if self.not_entering is None else list(self.not_entering),
            "package": self.package.to_record(),
        }

    def _repr_html_(self) -> str:
        from ..display import html_fields

        rows = [
            ("escape from", f"{self.low} ({', '.join(self.low_profile.values())})"),
            ("asymptotically stable now", ", ".join(self.stable_now) or "none"),
        ]
        out = html_fields(rows, "the way out of the low profile")
        out += "".join(e._repr_html_() for e in self.single_lever)
        return out + self.package._repr_html_()

    def __repr__(self) -> str:
        escaping = [e.lever for e in self.single_lever if e.escapes]
        return (
            f"<EscapeReport from {self.low}: single levers {escaping or 'none'}; "
            f"package {'feasible' if self.package.feasible else 'infeasible'}>"
        )


def escape_report(
    model: Model,
    levers: Sequence[str] | None = None,
    *,
    target: str | Sequence[int] | None = "high",
    low: str | Sequence[int] | None = None,
    values: Mapping[str, Any] | None = None,
    costs: Mapping[str, float] | None = None,
    margin: float = DEFAULT_MARGIN,
    tol: float = DEFAULT_TOL,
    names: Mapping[Any, str] | None = None,
    trajectories: bool = True,
) -> EscapeReport:
    """Single-lever escapes from the low profile and the least-cost package to ``target``.

    Parameters as :func:`single_lever_escapes` and
    :func:`~tripartite.sweep.package.least_cost_package`; the single-lever
    escapes are computed only when the low profile is asymptotically stable.

    Examples
    --------
    >>> from tripartite import load_model
    >>> report = escape_report(
    ...     load_model("baseline"), ["k", "nu"], costs={"k": 1, "nu": 1}, trajectories=False
    ... )
    >>> report.low_stable, report.stable_now, report.package.verified
    (True, ('low',), True)
    """
    from .package import least_cost_package

    current = current_values(model, values)
    display = vertex_names(model, names)
    low_prof = low_profile(model, low, current, tol)
    reg = classify_points(model, current, tol, names)
    stable_now = tuple(reg.names_of(reg.stable[0]))
    low_stable = bool(reg.stable[0, reg.profiles.index(low_prof)])
    single: tuple[LeverEscape, ...] = ()
    not_entering = None
    if low_stable:
        single = tuple(
            single_lever_escapes(
                model, levers, low=low_prof, values=current, tol=tol, names=names, trajectories=False
            )
        )
        if levers is None:
            entering = set(default_levers(model, [low_prof]))
            not_entering = tuple(n for n in default_levers(model) if n not in entering)
    package = least_cost_package(
        model,
        target,
        levers,
        costs=costs,
        values=current,
        tol=tol,
        margin=margin,
        names=names,
        trajectories=False,
        low=low_prof,
    )
    if trajectories:  # every trajectory, single levers and package, in one batch
        extra = []
        if package.feasible and model.initial_state is not None:
            start = [np.asarray(x, dtype=float) for x in model.initial_state]
            extra.append(({**current, **package.package}, start))
        single_list, outcomes = _destinations(model, list(single), current, low_prof, display, extra)
        single = tuple(single_list)
        if extra:
            package = replace(package, from_status_quo=outcomes[0])
    return EscapeReport(
        display[low_prof],
        {p: model.strategies[i][k] for i, (p, k) in enumerate(zip(model.players, low_prof))},
        low_stable,
        stable_now,
        single,
        not_entering,
        package,
    )
