"""Verdicts: does a condition ``expression < 0`` hold over the declared parameter ranges?

The declared ranges form a box :math:`\\Theta = \\prod_j [\\min_j, \\max_j]`
(:class:`ParameterBox`).  :func:`decide_negative` returns one of

- ``always``: holds at every point of :math:`\\Theta` (proved by interval
  arithmetic, :mod:`~tripartite.symbolic.intervals`, on the expression
  written in several equivalent forms);
- ``always inside``: holds at every point inside :math:`\\Theta`, perhaps not
  on its boundary (e.g. ``-C < 0`` fails only where the cost ``C`` is 0);
- ``never``: holds nowhere in :math:`\\Theta` (proved);
- ``depends``: holds at some admissible point and fails at another (both
  witnessed by exact evaluation at sample points);
- ``undecided``: none of the above could be shown.

A verdict is a statement about a *condition over parameter ranges*, never a
classification of a rest point: the four words of
:data:`tripartite.dynamics.CLASSIFICATIONS` (``asymptotically stable``,
``unstable``, ``saddle``, ``non-hyperbolic``) say what a point is at given
parameter values, while ``always`` ... ``undecided`` say where a condition
holds.  In particular ``undecided`` is a verdict on the *analysis* (it could
not prove either way), not a property of the model or of any point.

Several conditions are decided jointly by :func:`joint_status`: when all are
linear in the parameters, an exact linear program
(``sympy.solvers.simplex``) decides whether they can hold together;
otherwise sampled witnesses show that they can.

Examples
--------
>>> from tripartite import load_model
>>> m = load_model("baseline")
>>> C, s = m.symbols["C"], m.symbols["s"]
>>> decide_negative(-C - s, m), joint_status([-C - s, C - 1], [ALWAYS_INSIDE, DEPENDS], ParameterBox(m))
('always inside', 'depends')
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from fractions import Fraction

import numpy as np
import sympy as sp

from ..errors import TripartiteError
from ..limits import symbolic_time_limit
from ..model import Model, numeric_function
from .exact import COMPACT_LIMIT, rational, sign_of
from .intervals import Interval, enclosure, is_inf, is_negative

__all__ = [
    "ALWAYS",
    "ALWAYS_INSIDE",
    "NEVER",
    "DEPENDS",
    "UNDECIDED",
    "STATUSES",
    "ParameterBox",
    "decide_negative",
    "joint_status",
    "witnesses",
]

ALWAYS, ALWAYS_INSIDE, NEVER, DEPENDS, UNDECIDED = "always", "always inside", "never", "depends", "undecided"
#: Possible verdicts on a condition over the declared parameter ranges (statements about
#: conditions, not classifications of points).
STATUSES = (ALWAYS, ALWAYS_INSIDE, NEVER, DEPENDS, UNDECIDED)

_SAMPLES = 256


class ParameterBox:
    """The declared ranges of a model's parameters, exact, with a seeded sampler."""

    def __init__(self, model: Model):
        self.model = model
        self.bounds: dict[sp.Symbol, tuple[sp.Expr, sp.Expr]] = {}
        self.defaults: dict[sp.Symbol, float] = {}
        for p in model.parameters:
            sym = model.symbols[p.name]
            lo = -sp.oo if math.isinf(p.min) else rational(p.min)
            hi = sp.oo if math.isinf(p.max) else rational(p.max)
            self.bounds[sym] = (lo, hi)
            self.defaults[sym] = p.default
        #: The box as text: part of the key of a cached verdict (:mod:`~tripartite.symbolic.cache`).
        self.tag = ";".join(f"{s}:{lo}:{hi}" for s, (lo, hi) in sorted(self.bounds.items(), key=str))

    def intervals(self, inside: bool) -> dict[sp.Symbol, Interval]:
        """Symbol -> its range; ``inside`` makes the finite endpoints open (not attained)."""
        out = {}
        for sym, (lo, hi) in self.bounds.items():
            fixed = lo == hi
            a = -math.inf if lo.is_infinite else Fraction(int(lo.p), int(lo.q))
            b = math.inf if hi.is_infinite else Fraction(int(hi.p), int(hi.q))
            out[sym] = Interval(
                a, b, (inside and not fixed) or is_inf(a), (inside and not fixed) or is_inf(b)
            )
        return out

    def sample(
        self, symbols: Sequence[sp.Symbol], n: int = _SAMPLES, seed: int = 0
    ) -> tuple[np.ndarray, np.ndarray]:
        """``2n`` admissible points (rows) for ``symbols``, and which lie strictly inside the ranges.

        The first ``n`` mix bounds, defaults and random values; the last ``n`` are random.
        """
        rng = np.random.default_rng(seed)
        columns = []
        interior = np.ones(2 * n, dtype=bool)
        for sym in symbols:
            lo, hi = self.bounds.get(sym, (-sp.oo, sp.oo))
            lo_f = -math.inf if lo.is_infinite else float(lo)
            hi_f = math.inf if hi.is_infinite else float(hi)
            default = self.defaults.get(sym, 0.0 if math.isinf(lo_f) else lo_f)
            scale = max(1.0, abs(default), *(abs(v) for v in (lo_f, hi_f) if math.isfinite(v)))
            if math.isfinite(lo_f) and math.isfinite(hi_f):
                random = rng.uniform(lo_f, hi_f, n)
            elif math.isfinite(lo_f):
                random = lo_f + rng.exponential(2 * scale, n)
            elif math.isfinite(hi_f):
                random = hi_f - rng.exponential(2 * scale, n)
            else:
                random = rng.normal(default, 2 * scale, n)
            choice = rng.random(n)
            col = np.where(choice < 0.15, default, random)
            if math.isfinite(lo_f):
                col = np.where((choice >= 0.15) & (choice < 0.35), lo_f, col)
            if math.isfinite(hi_f):
                col = np.where((choice >= 0.35) & (choice < 0.55), hi_f, col)
            col[0] = default
            col = np.concatenate([col, random])
            if math.isfinite(lo_f):
                interior &= col > lo_f
            if math.isfinite(hi_f):
                interior &= col < hi_f
            columns.append(col)
        return (np.column_stack(columns) if columns else np.zeros((2 * n, 0))), interior


# Interval arithmetic on exact rationals (fractions.Fraction) and +-inf (floats).
# An endpoint flagged open is not attained; infinite endpoints are always open.


def _form_stages(expr: sp.Expr, extra: Sequence[sp.Expr] = ()):
    """``expr`` written in more and more ways, cheapest first (each gives its own enclosure)."""
    yield [expr, *extra]
    if sp.count_ops(expr) > COMPACT_LIMIT:
        return
    expanded = sp.expand(expr)
    yield [expanded, sp.factor_terms(expanded)]
    if len(sp.Add.make_args(expanded)) > 40:
        return
    symbols = sorted(expanded.free_symbols, key=str)
    if len(symbols) <= 20:
        yield [sp.collect(expanded, sym) for sym in symbols if expanded.count(sym) > 1]
    try:
        yield [sp.factor(expanded)]
    except sp.PolynomialError:  # pragma: no cover - non-polynomial pieces
        return


def decide_negative(expr: sp.Expr, model_or_box: Model | ParameterBox, forms: Sequence[sp.Expr] = ()) -> str:
    """Whether ``expr < 0`` holds over the declared parameter ranges: one of :data:`STATUSES`.

    ``forms`` are optional equivalent ways of writing ``expr`` (they may
    give tighter interval bounds).

    Examples
    --------
    >>> from tripartite import load_model
    >>> m = load_model("baseline")
    >>> C, s, m_ = m.symbols["C"], m.symbols["s"], m.symbols["m"]
    >>> decide_negative(C, m), decide_negative(-C - 1, m), decide_negative(-C - s, m)
    ('never', 'always', 'always inside')
    >>> decide_negative(m_ - C, m)
    'depends'
    """
    from .cache import memo

    box = model_or_box if isinstance(model_or_box, ParameterBox) else ParameterBox(model_or_box)
    expr = sp.sympify(expr)
    forms = [sp.sympify(f) for f in forms]
    return memo("negative", [expr, *forms], box.tag, lambda: _limited_decision(expr, box, forms))


def _limited_decision(expr: sp.Expr, box: ParameterBox, forms: Sequence[sp.Expr]) -> str:
    """:func:`_decide_negative` within the symbolic time limit (a limit error, never a cached verdict)."""
    with symbolic_time_limit(f"deciding the sign of {_shown(expr)}"):
        return _decide_negative(expr, box, forms)


def _shown(expr: sp.Expr) -> str:
    text = str(expr)
    return text if len(text) <= 60 else text[:60] + "..."


def _decide_negative(expr: sp.Expr, box: ParameterBox, forms: Sequence[sp.Expr]) -> str:
    if expr.is_number:
        return ALWAYS if sign_of(expr) < 0 else NEVER
    closed_box, inside_box = box.intervals(inside=False), box.intervals(inside=True)
    closed = inside = None
    witnessed = None
    for stage, forms_now in enumerate(_form_stages(expr, forms)):
        closed = enclosure(forms_now, closed_box, closed)
        if is_negative(closed):
            return ALWAYS
        if closed.lo >= 0:
            return NEVER
        inside = enclosure(forms_now, inside_box, inside)
        if stage == 1:  # before the costly rewritings: is it plainly both ways, even inside?
            witnessed = witnesses([expr], box)
            if witnessed[0] and witnessed[2]:
                return DEPENDS
    if is_negative(inside):
        return ALWAYS_INSIDE
    holds, fails, _ = witnessed if witnessed is not None else witnesses([expr], box)
    if not (holds and fails) and _is_linear(sp.expand(expr), sorted(expr.free_symbols, key=str)):
        # a linear form takes every value of its (exact) interval enclosure on the closed box: below 0
        # (not never) and at or above 0 (not always), so it holds somewhere and fails somewhere
        return DEPENDS
    return DEPENDS if holds and fails else UNDECIDED


def witnesses(exprs: Sequence[sp.Expr], box: ParameterBox) -> tuple[bool, bool, bool]:
    """Exactly checked sample points: where all ``exprs < 0`` (holds), where one is ``>= 0``
    (fails), and where one is ``>= 0`` strictly inside the ranges (fails inside)."""
    symbols = sorted(set().union(*(e.free_symbols for e in exprs)), key=str)
    points, interior = box.sample(symbols)
    with np.errstate(all="ignore"):
        f = numeric_function(symbols, list(exprs))  # renamed arguments: any parameter names
        values = np.array([np.broadcast_to(np.asarray(v, dtype=float), (len(points),)) for v in f(*points.T)])
    # all hold iff worst < 0; a point where some expression is not a finite number (NaN from the log
    # of a negative number or 0/0, inf from 1/0) is no witness either way
    worst = values.max(axis=0) if len(values) else np.full(len(points), np.nan)
    finite = np.isfinite(values).all(axis=0)

    def exact(mask: np.ndarray, lowest: bool) -> bool | None:
        if not np.any(mask):
            return None
        row = int(
            np.argmin(np.where(mask, worst, np.inf)) if lowest else np.argmax(np.where(mask, worst, -np.inf))
        )
        return _exact_all_negative(exprs, symbols, points[row])

    holds = exact(finite & (worst < 0), True) is True
    fails = exact(finite & (worst >= 0), False) is False
    fails_inside = exact(finite & (worst >= 0) & interior, False) is False
    return holds, fails, fails_inside


def _exact_all_negative(exprs, symbols, point) -> bool | None:
    """Whether every expression is negative at the point, exactly; None if one is undefined there."""
    subs = {s: rational(v) for s, v in zip(symbols, point)}
    signs = [_exact_sign(e.xreplace(subs)) for e in exprs]
    return None if None in signs else all(s < 0 for s in signs)


def _exact_sign(value: sp.Expr) -> int | None:
    """The sign of an exact number (:func:`~tripartite.symbolic.exact.sign_of`); None when it is
    not a finite real number (``zoo`` from 1/0, ``log(-2)``)."""
    if value.has(sp.zoo, sp.nan, sp.oo, -sp.oo):
        return None
    number = complex(sp.N(value, 30))
    if not (math.isfinite(number.real) and math.isfinite(number.imag)):
        return None
    try:
        return sign_of(value)
    except TripartiteError:  # not real
        return None


def _is_linear(expr: sp.Expr, symbols) -> bool:
    if not symbols:
        return True
    try:
        return sp.Poly(expr, *symbols).total_degree() <= 1
    except sp.PolynomialError:
        return False


def joint_status(exprs: Sequence[sp.Expr], statuses: Sequence[str], box: ParameterBox) -> str:
    """Verdict on all ``exprs < 0`` holding together, given each one's verdict ``statuses``.

    Examples
    --------
    >>> from tripartite import load_model
    >>> m = load_model("baseline")
    >>> C = m.symbols["C"]
    >>> joint_status([C - 1, 1 - C], [DEPENDS, DEPENDS], ParameterBox(m))
    'never'
    """
    from .cache import memo

    exprs = [sp.sympify(e) for e in exprs]
    tag = f"{box.tag}|{','.join(statuses)}"
    return memo("joint", exprs, tag, lambda: _joint_status(exprs, list(statuses), box))


def _joint_status(exprs: Sequence[sp.Expr], statuses: Sequence[str], box: ParameterBox) -> str:
    if NEVER in statuses:
        return NEVER
    if all(s == ALWAYS for s in statuses):
        return ALWAYS
    if all(s in (ALWAYS, ALWAYS_INSIDE) for s in statuses):
        return ALWAYS_INSIDE
    open_ones = [e for e, s in zip(exprs, statuses) if s != ALWAYS]
    symbols = sorted(set().union(*(e.free_symbols for e in open_ones)), key=str)
    if all(e.is_polynomial(*symbols) and _is_linear(e, symbols) for e in open_ones):
        return _linear_joint(open_ones, symbols, box, fails_somewhere=DEPENDS in statuses)
    holds, fails, _ = witnesses(open_ones, box)
    return DEPENDS if holds and (fails or DEPENDS in statuses) else UNDECIDED


def _linear_joint(exprs, symbols, box: ParameterBox, fails_somewhere: bool) -> str:
    """Exact LP: is there an admissible point where every (linear) ``expr < 0``?"""
    from sympy.solvers.simplex import InfeasibleLPError, UnboundedLPError, lpmax

    margin = sp.Dummy("margin")
    constraints = [e + margin <= 0 for e in exprs] + [margin <= 1]
    for sym in symbols:
        lo, hi = box.bounds.get(sym, (-sp.oo, sp.oo))
        if lo.is_finite:
            constraints.append(sym >= lo)
        if hi.is_finite:
            constraints.append(sym <= hi)
    try:
        best, _ = lpmax(margin, constraints)
    except InfeasibleLPError:  # pragma: no cover - the box is never empty
        return NEVER
    except UnboundedLPError:  # pragma: no cover - margin <= 1 bounds it
        return DEPENDS
    if best <= 0:
        return NEVER
    return DEPENDS if fails_somewhere else UNDECIDED
