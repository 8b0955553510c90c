"""Single-lever escapes from the low equilibrium, and where the dynamics go after them.

For each lever alone, the smallest change from the current value at which
the low profile :math:`\\ell` stops being asymptotically stable: the nearest
:math:`x` (up or down) where :math:`\\max_k g_{\\ell,k}(x)` reaches 0 and
becomes positive (exact roots when the eigenvalues are rational in the
lever, else a scan and bisection; see :mod:`~tripartite.sweep.thresholds`).
Where the system then goes is reported just beyond that point (5 % of the
change further, or halfway to the next regime change if nearer): the stable
vertices there, and where the replicator dynamics lead from the low profile
perturbed by 1 % and from the documented status quo.

Examples
--------
>>> from tripartite import load_model
>>> [e.formula for e in single_lever_escapes(load_model("baseline"), ["m"])]
[R*p + r]
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any, NamedTuple

import numpy as np
import pandas as pd
import sympy as sp

from ..dynamics.batch import OUTCOMES, VERTEX, integrate_batch
from ..errors import TripartiteError
from ..model import Model
from ..symbolic import vertex_eigenvalues
from ..symbolic.exact import rational
from .levers import current_values, default_levers, describe_eigenvalue, fixed_eigenvalues
from .regimes import DEFAULT_TOL, classify_points, parse_profile, regime_label, vertex_names
from .thresholds import SCAN_POINTS, real_roots

__all__ = [
    "ESCAPE_COLUMNS",
    "T_MAX",
    "LeverEscape",
    "escapes_table",
    "low_profile",
    "single_lever_escapes",
    "trajectory_outcomes",
]

#: Horizon of the trajectories that say where the system goes.
T_MAX = 200.0
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


#: Columns of :func:`escapes_table`, in order (the fields of :meth:`LeverEscape.as_dict`).
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
    :meth:`LeverEscape.as_dict`); ``stable_after`` is ``"; "``-separated,
    as in the sweep tables.

    Examples
    --------
    >>> from tripartite import load_model
    >>> escapes = single_lever_escapes(load_model("baseline"), ["m", "nu"], trajectories=False)
    >>> table = escapes_table(escapes)
    >>> list(table.index), table.loc["nu", "exact"], table.loc["m", "regime_after"]
    (['m', 'nu'], '83/188', 'passive/share/lapse only')
    """
    rows = []
    for e in escapes:
        record = e.as_dict()
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
    out = []
    for lever in levers:
        model.parameter(lever)
        out.append(_escape_one(model, lever, low, current, tol, xtol, display, names))
    return _with_destinations(model, out, current, low, display) if trajectories else out


def _with_destinations(model: Model, escapes: list[LeverEscape], current, low, display) -> list[LeverEscape]:
    """The escapes with ``from_low`` and ``from_status_quo`` filled in (all trajectories in one batch)."""
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
    for (j, attr), where in zip(slots, trajectory_outcomes(model, runs, display)):
        out[j] = replace(out[j], **{attr: where})
    return out


class _Crossing(NamedTuple):
    """Where the low profile's largest eigenvalue crosses zero, moving one way along a lever."""

    value: float
    exact: Any  # the exact root, or None when bisected
    k: int  # which eigenvalue
    next_stop: float  # the next root beyond it, or the end of the range
    method: str
    width: float  # bracket width (0 for exact roots)


def _escape_one(model, lever, low, current, tol, xtol, display, names) -> LeverEscape:
    p = model.parameter(lever)
    x0 = current[lever]
    x = model.symbols[lever]
    exprs = fixed_eigenvalues(model, current, [lever])[low]
    if not any(x in e.free_symbols for e in exprs):
        return LeverEscape(
            lever, x0, False, note=f"{lever} does not enter the stability conditions of {display[low]}"
        )
    roots = _roots(exprs, x, p.min, p.max)
    funcs = [sp.lambdify(x, e, "numpy") for e in exprs]

    def gmax(value: float) -> float:
        return max(float(f(value)) for f in funcs)

    found = {}
    for direction in (+1, -1):
        bound = p.max if direction > 0 else p.min
        if roots is not None:
            hit = _exact_crossing(roots, x0, bound, direction, gmax, tol)
        else:
            hit = _bisected_crossing(funcs, gmax, x0, bound, direction, tol, xtol)
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
        if value == bound or gmax(beyond) > tol:
            return _Crossing(value, exact, k, stops[j + 1], EXACT_METHOD, 0.0)
    return None


def _bisected_crossing(funcs, gmax, x0, bound, direction, tol, xtol) -> _Crossing | None:
    """The first point from ``x0`` toward ``bound`` where the largest eigenvalue reaches ``-tol``."""
    hit = _bisect_escape(gmax, x0, bound, direction, tol, xtol)
    if hit is None:
        return None
    value, width = hit
    k = int(np.argmax([float(f(value + direction * width)) for f in funcs]))
    return _Crossing(value, None, k, bound, BISECTION_METHOD, width)


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
    subs = {model.symbols[n]: rational(v) for n, v in current.items() if n != lever}
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
    xs = np.linspace(x0, far, SCAN_POINTS)
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


def low_profile(model: Model, low: str | Sequence[int] | None = None, values=None, tol=DEFAULT_TOL):
    """The low profile: given, else the vertex named ``low``, else the only stable vertex."""
    if low is not None:
        return parse_profile(model, low)
    names = vertex_names(model)
    for prof, name in names.items():
        if name == "low":
            return prof
    reg = classify_points(model, current_values(model, values), tol)
    stable = [reg.profiles[v] for v in range(len(reg.profiles)) if reg.stable[0, v]]
    if len(stable) == 1:
        return stable[0]
    raise TripartiteError(
        f"model {model.name!r} names no 'low' profile and has {len(stable)} stable vertices; "
        "say which profile to escape from"
    )


def trajectory_outcomes(model, runs, names) -> list[str]:
    """Where the dynamics go, for (parameter values, initial state) pairs, in one batch."""
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
