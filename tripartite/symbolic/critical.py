"""Critical values of one parameter, and the ranges where each vertex is stable.

For a parameter :math:`\\theta`, each vertex eigenvalue
:math:`\\lambda(\\theta) = 0` (the deviation gains of
:mod:`~tripartite.symbolic.vertices`) is solved for :math:`\\theta` (exactly:
linear and quadratic cases in closed form, others by ``sympy.solve``;
:func:`solve_for`): these are the only values where that vertex's stability
can change.  With the other parameters fixed, the signs between consecutive
critical values give the intervals of :math:`\\theta` where the vertex is
asymptotically stable (:class:`Interval`: an end is included when the vertex
is asymptotically stable *at* it -- every eigenvalue strictly negative there,
which happens only at an end of the declared range, since at a critical value
an eigenvalue is zero and the vertex is non-hyperbolic);
:func:`real_roots` gives the exact real roots of an eigenvalue whose other
parameters are fixed numbers.

*Critical values* and the *thresholds* of :func:`tripartite.sweep.thresholds`
answer different questions.  A critical value belongs to one eigenvalue of one
vertex: every zero of every vertex eigenvalue, as a formula in the other
parameters, including zeros outside the declared range and zeros where another
eigenvalue of the same vertex is positive (so that crossing it changes
nothing).  A threshold belongs to a parameter point: with every other
parameter fixed at a number, a value of the lever where the *regime* (the set
of asymptotically stable vertices) changes, with the regime on each side;
it is found from :func:`real_roots` when the eigenvalues are rational in the
lever, else by bisection.  Generically every threshold is a critical value
with ``changes_stability`` true at that point, and not conversely.

Examples
--------
>>> from tripartite import load_model
>>> stable_intervals(load_model("baseline"), "nu", at={})[(1, 1, 1)]
[Interval(0, 83/188, closed=(True, False))]
>>> print(stable_intervals(load_model("baseline"), "nu", at={})[(1, 1, 1)][0])
[0, 83/188)
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import sympy as sp

from ..game import DEFAULT_TOL
from ..model import Model
from .exact import compact, exact_values, rational, sign_of
from .vertices import _deviations, compact_eigenvalues

__all__ = [
    "CriticalValue",
    "Interval",
    "critical_values",
    "intervals_record",
    "real_roots",
    "solve_for",
    "stable_intervals",
]


class Interval(tuple):
    """An interval of a parameter, ``(lo, hi)`` with exact ends, and whether each end is included.

    It is the pair ``(lo, hi)`` (it compares, unpacks and indexes as one);
    ``closed`` says whether ``lo`` and ``hi`` belong to it.  An infinite end
    is never included.

    Examples
    --------
    >>> import sympy as sp
    >>> span = Interval(0, sp.Rational(83, 188), (True, False))
    >>> lo, hi = span
    >>> span == (0, sp.Rational(83, 188)), span.closed, str(span), span.text("nu in ")
    (True, (True, False), '[0, 83/188)', 'nu in [0, 83/188)')
    """

    closed: tuple[bool, bool]

    def __new__(cls, lo, hi, closed: tuple[bool, bool] = (False, False)):
        self = super().__new__(cls, (sp.sympify(lo), sp.sympify(hi)))
        self.closed = (bool(closed[0]), bool(closed[1]))
        return self

    def __getnewargs__(self):
        return (self[0], self[1], self.closed)

    def text(self, prefix: str = "", bound=None) -> str:
        """The interval in brackets: ``[a, b)``; ``bound`` writes an end (default :func:`~tripartite.expr.to_text`)."""
        from ..expr import to_text

        write = bound or to_text
        left = "[" if self.closed[0] else "("
        right = "]" if self.closed[1] else ")"
        return f"{prefix}{left}{write(self[0])}, {write(self[1])}{right}"

    def __str__(self) -> str:
        return self.text()

    def __repr__(self) -> str:
        return f"Interval({self[0]}, {self[1]}, closed={self.closed})"


@dataclass(frozen=True)
class CriticalValue:
    """A parameter value at which one vertex eigenvalue is zero.

    Attributes
    ----------
    profile : tuple of int
        The vertex.
    index : int
        Which eigenvalue (order of :func:`vertex_eigenvalues`).
    deviation : (player, strategy)
        The deviation behind that eigenvalue.
    parameter : str
    eigenvalue : sympy.Expr
    solution : sympy.Expr
        The critical value as an expression of the other parameters.
    value : sympy.Expr or None
        At the given point (other parameters at their values): exact number.
    in_range : bool or None
        Whether ``value`` lies in the parameter's declared range.
    stable_below : bool or None
        At ``value``: whether the eigenvalue is negative just below it
        (``True``), just above (``False``), or neither/unknown (``None``).
    changes_stability : bool or None
        Whether crossing ``value`` switches the vertex between asymptotically
        stable and not (all other eigenvalues negative there).
    model : Model or None
        The model (names the vertex and the deviation, typesets the symbols in displays).
    """

    profile: tuple[int, ...]
    index: int
    deviation: tuple[int, int]
    parameter: str
    eigenvalue: sp.Expr
    solution: sp.Expr
    value: sp.Expr | None = None
    in_range: bool | None = None
    stable_below: bool | None = None
    changes_stability: bool | None = None
    model: Model | None = field(default=None, compare=False, repr=False)

    def _names(self) -> tuple[str, str]:
        """The vertex and the deviation as text."""
        player, alt = self.deviation
        m = self.model
        if m is None:
            return str(self.profile), f"player {player + 1} to strategy {alt + 1}"
        vertex = ", ".join(m.strategies[i][k] for i, k in enumerate(self.profile))
        return vertex, f"{m.players[player]} to {m.strategies[player][alt]}"

    def _side(self) -> str:
        if self.stable_below is None:
            return ""
        side = "below" if self.stable_below else "above"
        return side + (" (vertex stability changes)" if self.changes_stability else "")

    def to_record(self) -> dict[str, Any]:
        """JSON-ready record (the rows of ``tripartite thresholds --format json``).

        Expressions are strings that ``sympy.parse_expr`` reads back; ``value``,
        ``exact``, ``in_range``, ``stable_side`` and ``changes_stability`` are
        ``None`` unless the critical value was evaluated at a point.

        Examples
        --------
        >>> from tripartite import load_model
        >>> c = [c for c in critical_values(load_model("baseline"), "m", at={}) if c.profile == (1, 1, 1)][0]
        >>> r = c.to_record()
        >>> r["critical"], r["value"], r["stable_side"], r["changes_stability"]
        ('R*p + ell + r', 40.0, 'above', True)
        """
        from .cache import memo

        def to_text(expr: sp.Expr) -> str:  # the text of an expression, cached in a session
            from ..expr import to_text

            return memo("text", [expr], "to_text", lambda: to_text(expr))

        player, alt = self.deviation
        m = self.model
        if m is not None:
            profile = m.profile_names(self.profile)
            player_name, deviation = m.players[player], m.strategies[player][alt]
        else:
            profile = {f"player {i + 1}": f"strategy {k + 1}" for i, k in enumerate(self.profile)}
            player_name, deviation = f"player {player + 1}", f"strategy {alt + 1}"
        side = None if self.stable_below is None else ("below" if self.stable_below else "above")
        return {
            "profile": profile,
            "player": player_name,
            "deviation": deviation,
            "eigenvalue": to_text(self.eigenvalue),
            "critical": to_text(self.solution),
            "value": None if self.value is None else float(sp.N(self.value, 17)),
            "exact": None if self.value is None else to_text(self.value),
            "in_range": self.in_range,
            "stable_side": side,
            "changes_stability": self.changes_stability,
        }

    def _repr_html_(self) -> str:
        from ..display import html_table
        from ..io.latex import latex_expr, latex_symbols

        symbols = latex_symbols(self.model) if self.model is not None else {}
        name = (
            symbols.get(self.model.symbols[self.parameter], self.parameter) if self.model else self.parameter
        )
        vertex, deviation = self._names()
        value = "" if self.value is None else f"${latex_expr(self.value, symbols)}$"
        if self.value is not None and self.in_range is False:
            value += " (out of range)"
        row = [vertex, deviation, f"${name} = {latex_expr(self.solution, symbols)}$", value, self._side()]
        headers = ["vertex", "deviation", "critical value", "at the point", "eigenvalue negative"]
        return html_table(headers, [row], f"critical value of {self.parameter}")

    def __repr__(self) -> str:
        from ..expr import to_text

        vertex, deviation = self._names()
        where = to_text(self.value if self.value is not None else self.solution)
        side = f"; negative {self._side()}" if self._side() else ""
        return f"<CriticalValue {self.parameter} = {where} at ({vertex}), {deviation}{side}>"


def solve_for(expr: sp.Expr, sym: sp.Symbol) -> list[sp.Expr]:
    """The solutions of ``expr = 0`` for ``sym``, as expressions of the other symbols (real ones only).

    Linear and quadratic cases in closed form (each in its most compact form),
    others by ``sympy.solve``; no solution when ``sym`` does not occur.

    Examples
    --------
    >>> from tripartite import load_model
    >>> from tripartite.symbolic import vertex_eigenvalues
    >>> m = load_model("baseline")
    >>> solve_for(vertex_eigenvalues(m)[(1, 1, 1)][1], m.symbols["m"])
    [R*p + ell + r]
    """
    from .cache import memo

    expr = sp.sympify(expr)
    return list(memo("solutions", [expr, sym], "", lambda: _solve_for(expr, sym)))


def _solve_for(expr: sp.Expr, sym: sp.Symbol) -> list[sp.Expr]:
    """:func:`solve_for` without the on-disk cache."""
    expr = sp.expand(expr)
    if sym not in expr.free_symbols:
        return []
    try:
        poly = sp.Poly(expr, sym)
    except sp.PolynomialError:
        poly = None
    if poly is not None and all(not (c.free_symbols & {sym}) for c in poly.all_coeffs()):
        if poly.degree() == 1:
            a, b = poly.all_coeffs()
            return [compact(-b / a)]
        if poly.degree() == 2:
            a, b, c = poly.all_coeffs()
            disc = compact(b**2 - 4 * a * c)
            return [compact((-b + s * sp.sqrt(disc)) / (2 * a)) for s in (1, -1)]
    try:
        found = sp.solve(expr, sym)
    except (NotImplementedError, TypeError, ValueError):  # pragma: no cover - sympy cannot solve
        return []
    return [compact(s) for s in found if not s.has(sp.I)]


def real_roots(expr: sp.Expr, x: sp.Symbol, lo: float, hi: float) -> list[sp.Expr] | None:
    """Exact real roots of ``expr`` in ``[lo, hi]``, or ``None`` if it is not a rational function of ``x``.

    ``expr`` must have no symbol but ``x`` (the other parameters fixed at
    exact values); roots of the denominator are dropped.

    Examples
    --------
    >>> import sympy as sp
    >>> x = sp.Symbol("x")
    >>> real_roots(x**2 - 2, x, 0, 2), real_roots(sp.exp(x) - 2, x, 0, 2)
    ([sqrt(2)], None)
    """
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
    coefficients = poly.all_coeffs()
    if poly.degree() == 1 and all(c.is_Rational for c in coefficients):
        found = [-coefficients[1] / coefficients[0]]  # what sp.real_roots gives, without root isolation
    else:
        try:
            found = sp.real_roots(poly)
        except (NotImplementedError, ValueError):  # coefficients such as exp(1): sympy cannot isolate roots
            return None
    for r in found:
        value = float(r)
        if lo - 1e-12 * max(1.0, abs(lo)) <= value <= hi + 1e-12 * max(1.0, abs(hi)):
            if den.free_symbols and den.subs(x, r) == 0:
                continue
            roots.append(r)
    return roots


def critical_values(
    model: Model, parameter: str, at: Mapping[str, Any] | None = None, tol: float = DEFAULT_TOL
) -> list[CriticalValue]:
    """Where each vertex eigenvalue crosses zero as ``parameter`` varies, as formulas.

    The only values at which some vertex's stability *can* change: for every
    vertex and every eigenvalue that involves ``parameter``, each solution of
    eigenvalue = 0 as an expression of the other parameters.  This is not the
    list of values where the regime changes (that is
    :func:`tripartite.sweep.thresholds`, at a point, with the regime on each
    side): a critical value may lie outside the declared range, or another
    eigenvalue of its vertex may be positive there so that crossing it changes
    nothing (``changes_stability`` says which, at a point).

    Parameters
    ----------
    model : Model
    parameter : str
    at : mapping, optional
        Values of the other parameters (others at their defaults; ``{}`` for
        the defaults).  With it each critical value is also evaluated, checked
        against the declared range, and its effect on stability reported.
    tol : float
        Tolerance for the signs of irrational values.

    Returns
    -------
    list of CriticalValue, vertex by vertex (lexicographic), eigenvalue by eigenvalue.

    Examples
    --------
    >>> from tripartite import load_model
    >>> m = load_model("baseline")
    >>> low = [c for c in critical_values(m, "m", at={}) if c.profile == (1, 1, 1)]
    >>> [(str(c.solution), c.value, c.stable_below) for c in low]
    [('R*p + ell + r', 40, False)]
    """
    param = model.parameter(parameter)
    sym = model.symbols[parameter]
    subs = exact_values(model, at) if at is not None else None
    others = {k: v for k, v in (subs or {}).items() if k != sym}
    out = []
    for profile, eigenvalues in compact_eigenvalues(model).items():
        deviations = _deviations(model, profile)
        for index, (deviation, eigenvalue) in enumerate(zip(deviations, eigenvalues)):
            for solution in solve_for(eigenvalue, sym):
                record = CriticalValue(
                    profile, index, deviation, parameter, eigenvalue, solution, model=model
                )
                if subs is not None:
                    record = _at_point(record, param, sym, others, eigenvalues, tol)
                out.append(record)
    return out


_FLAG_TEXT = {True: "T", False: "F", None: "N"}
_TEXT_FLAG = {v: k for k, v in _FLAG_TEXT.items()}


def _at_point(record: CriticalValue, param, sym, others, eigenvalues, tol) -> CriticalValue:
    """``record`` evaluated at the point ``others`` (cached in a :func:`~tripartite.symbolic.cache.session`).

    The cache key is the solution, the eigenvalues, the point's exact values,
    the declared range and the tolerance: everything the answer depends on.
    """
    from .cache import active, memo

    if active() is None:
        return _evaluate_at_point(record, param, sym, others, eigenvalues, tol)
    point = ",".join(f"{k}={v}" for k, v in sorted((str(k), sp.srepr(v)) for k, v in others.items()))
    tag = f"{record.index};{param.min!r};{param.max!r};{tol!r};{point}"
    keys = [record.solution, sym, *eigenvalues]
    found: list[CriticalValue] = []

    def compute() -> CriticalValue:
        if not found:
            found.append(_evaluate_at_point(record, param, sym, others, eigenvalues, tol))
        return found[0]

    values = memo(
        "solutions", keys, "at " + tag, lambda: [] if compute().value is None else [compute().value]
    )
    flags = memo(
        "text",
        keys,
        "flags " + tag,
        lambda: "".join(
            _FLAG_TEXT[f] for f in (compute().in_range, compute().stable_below, compute().changes_stability)
        ),
    )
    if not values:
        return record
    if len(flags) != 3 or any(f not in _TEXT_FLAG for f in flags):  # pragma: no cover - never written
        return compute()
    in_range, stable_below, changes = (_TEXT_FLAG[f] for f in flags)
    return CriticalValue(
        record.profile,
        record.index,
        record.deviation,
        record.parameter,
        record.eigenvalue,
        record.solution,
        values[0],
        in_range,
        stable_below,
        changes,
        record.model,
    )


def _evaluate_at_point(record: CriticalValue, param, sym, others, eigenvalues, tol) -> CriticalValue:
    value = (
        sp.nsimplify(record.solution.xreplace(others), rational=True)
        if record.solution.free_symbols
        else record.solution
    )
    value = sp.sympify(value).xreplace(others)
    if value.free_symbols or value.has(sp.zoo, sp.nan, sp.oo, -sp.oo):
        return record
    number = complex(sp.N(value, 30))
    if abs(number.imag) > tol:
        return record
    real = number.real
    if not math.isfinite(real):  # exact but beyond the floats (e.g. -4/F at F = 5e-324): left unevaluated
        return record
    in_range = param.min - tol <= real <= param.max + tol
    step = max(1e-6, 1e-6 * abs(real))
    eig = record.eigenvalue.xreplace(others)
    below = sign_of(eig.xreplace({sym: rational(real - step)}), 0.0)
    above = sign_of(eig.xreplace({sym: rational(real + step)}), 0.0)
    stable_below = True if below < 0 <= above else (False if above < 0 <= below else None)
    rest = [e.xreplace(others).xreplace({sym: value}) for k, e in enumerate(eigenvalues) if k != record.index]
    changes = all(sign_of(r, tol) < 0 for r in rest) and stable_below is not None
    return CriticalValue(
        record.profile,
        record.index,
        record.deviation,
        record.parameter,
        record.eigenvalue,
        record.solution,
        value,
        in_range,
        stable_below,
        changes,
        record.model,
    )


def intervals_record(
    model: Model, intervals: Mapping[tuple[int, ...], list[tuple[sp.Expr, sp.Expr]]]
) -> list[dict[str, Any]]:
    """:func:`stable_intervals` as JSON-ready records: per vertex, the intervals as numbers and exactly.

    An infinite end is ``None`` among the numbers, ``"oo"``/``"-oo"`` in
    ``exact``; ``closed`` gives, per interval, whether each end is included
    (``[true, false]``: ``[a, b)``; a plain pair counts as open).

    Examples
    --------
    >>> from tripartite import load_model
    >>> m = load_model("baseline")
    >>> r = intervals_record(m, stable_intervals(m, "nu", at={}))[-1]
    >>> r["exact"], r["closed"]
    ([['0', '83/188']], [[True, False]])
    """
    from ..expr import to_text

    def bound(value: sp.Expr) -> float | None:
        value = sp.sympify(value)
        return None if value.is_infinite else float(sp.N(value, 17))

    return [
        {
            "profile": model.profile_names(profile),
            "intervals": [[bound(a), bound(b)] for a, b in spans],
            "exact": [[to_text(a), to_text(b)] for a, b in spans],
            "closed": [list(getattr(span, "closed", (False, False))) for span in spans],
        }
        for profile, spans in intervals.items()
    ]


def stable_intervals(
    model: Model, parameter: str, at: Mapping[str, Any] | None = None, tol: float = DEFAULT_TOL
) -> dict[tuple[int, ...], list[Interval]]:
    """For each vertex, the ranges of ``parameter`` (others fixed) where it is asymptotically stable.

    Intervals lie within the declared range, with exact endpoints
    (``-oo``/``oo`` where unbounded).  An end is included
    (:attr:`Interval.closed`) when the vertex is asymptotically stable at it:
    every eigenvalue strictly negative there (decided exactly for rational
    values).  An end where an eigenvalue is zero is excluded: there the
    vertex is non-hyperbolic, and linearisation does not decide it.

    Examples
    --------
    >>> from tripartite import load_model
    >>> stable_intervals(load_model("baseline"), "m", at={})[(1, 1, 1)]
    [Interval(40, oo, closed=(False, False))]
    >>> print(stable_intervals(load_model("baseline"), "nu", at={})[(1, 1, 1)][0])
    [0, 83/188)
    """
    param = model.parameter(parameter)
    sym = model.symbols[parameter]
    subs = exact_values(model, at if at is not None else {})
    others = {k: v for k, v in subs.items() if k != sym}
    lo = -sp.oo if math.isinf(param.min) else rational(param.min)
    hi = sp.oo if math.isinf(param.max) else rational(param.max)
    out = {}
    for profile, eigenvalues in compact_eigenvalues(model).items():
        exprs = [e.xreplace(others) for e in eigenvalues]
        cuts = set()
        for e in exprs:
            for root in solve_for(e, sym):
                value = sp.sympify(root).xreplace(others)
                if value.free_symbols or not value.is_real:
                    continue
                if lo < value < hi:
                    cuts.add(sp.nsimplify(value, rational=True) if value.is_Float else value)
        points = [lo, *sorted(cuts, key=lambda v: float(v)), hi]
        spans: list[tuple[sp.Expr, sp.Expr]] = []
        for a, b in zip(points, points[1:]):
            probe = _probe(a, b)
            if all(sign_of(e.xreplace({sym: probe}), tol) < 0 for e in exprs):
                if spans and spans[-1][1] == a and not _stable_at(exprs, sym, a, tol):
                    spans.append((a, b))
                elif spans and spans[-1][1] == a:
                    spans[-1] = (spans[-1][0], b)
                else:
                    spans.append((a, b))
        out[profile] = [
            Interval(a, b, (_included(exprs, sym, a, tol), _included(exprs, sym, b, tol))) for a, b in spans
        ]
    return out


def _included(exprs, sym, value, tol) -> bool:
    """Whether an end of an interval belongs to it: finite, and the vertex asymptotically stable there."""
    return not value.is_infinite and _stable_at(exprs, sym, value, tol)


def _stable_at(exprs, sym, value, tol) -> bool:
    return all(sign_of(e.xreplace({sym: value}), tol) < 0 for e in exprs)


def _probe(a: sp.Expr, b: sp.Expr) -> sp.Expr:
    if a.is_infinite and b.is_infinite:
        return sp.Integer(0)
    if a.is_infinite:
        return sp.floor(b) - 1 - abs(sp.floor(b))
    if b.is_infinite:
        return sp.ceiling(a) + 1 + abs(sp.ceiling(a))
    return (a + b) / 2
