"""Interval arithmetic on sympy expressions, with exact endpoints.

An :class:`Interval` is a set :math:`[lo, hi]` of the extended reals whose
finite endpoints are exact rationals (:class:`fractions.Fraction`) and whose
infinite ones are ``+-inf``; an endpoint flagged open is not attained (so
``(0, 1]`` and ``[0, 1]`` differ, which is how "holds inside the ranges but
not on their boundary" is proved).  :func:`enclosure` bounds the values an
expression takes when each symbol ranges over its interval: sums, products,
integer and real powers, ``exp``, ``log``, ``Abs``, ``Min``, ``Max``; float
results (``exp``, ``log``, real powers) are rounded one step outward, and
anything else encloses as "everything".  Equivalent forms of one
expression give different enclosures of the same set, so their
intersection is one too.

Examples
--------
>>> import sympy as sp
>>> from fractions import Fraction
>>> x = sp.Symbol("x")
>>> box = {x: Interval(Fraction(0), Fraction(1), True, False)}
>>> iv = enclosure([x**2 - 2 * x], box)  # each x ranges independently: loose
>>> (iv.lo, iv.hi, is_negative(iv))
(Fraction(-2, 1), Fraction(1, 1), False)
>>> is_negative(enclosure([x**2 - 2 * x, x * (x - 2)], box))  # the factored form proves it
True
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction

import sympy as sp

__all__ = ["Interval", "enclosure", "is_inf", "is_negative"]


def is_inf(value) -> bool:
    """Whether an endpoint is infinite (infinite endpoints are floats, finite ones fractions)."""
    return isinstance(value, float) and math.isinf(value)


@dataclass(frozen=True)
class Interval:
    """An interval of the extended reals; ``lo_open``/``hi_open``: endpoint not attained."""

    lo: Fraction | float
    hi: Fraction | float
    lo_open: bool = False
    hi_open: bool = False

    @staticmethod
    def everything() -> Interval:
        return Interval(-math.inf, math.inf, True, True)

    @staticmethod
    def point(value: Fraction) -> Interval:
        return Interval(value, value)


def _pick(candidates, lowest: bool):
    best = min(v for v, _ in candidates) if lowest else max(v for v, _ in candidates)
    return best, all(o for v, o in candidates if v == best)


def _mul_end(a, a_open: bool, b, b_open: bool):
    if (a == 0 and not a_open) or (b == 0 and not b_open):
        return Fraction(0), False
    value = Fraction(0) if (a == 0 or b == 0) else a * b
    return value, (a_open or b_open or is_inf(value))


def _outward(value: float, lower: bool) -> Fraction | float:
    """A float result rounded one step outward, as an exact endpoint."""
    if math.isnan(value):
        raise OverflowError
    if math.isinf(value):
        return value
    return Fraction(math.nextafter(value, -math.inf if lower else math.inf))


def _monotone(fn, a: Interval, increasing: bool = True) -> Interval:
    """Image of ``a`` under a monotone float function, rounded outward."""
    lo_in, hi_in = (a.lo, a.hi) if increasing else (a.hi, a.lo)
    lo_open, hi_open = (a.lo_open, a.hi_open) if increasing else (a.hi_open, a.lo_open)
    lo, hi = _outward(fn(float(lo_in)), True), _outward(fn(float(hi_in)), False)
    return Interval(lo, hi, lo_open or is_inf(lo), hi_open or is_inf(hi))


def _exp(x: float) -> float:
    try:
        return math.exp(x)
    except OverflowError:
        return math.inf


def _log(x: float) -> float:
    return -math.inf if x == 0 else (math.inf if math.isinf(x) else math.log(x))


def _interval(expr: sp.Expr, box: Mapping[sp.Symbol, Interval], memo: dict) -> Interval:
    """An enclosure of the values of ``expr`` over ``box`` (interval arithmetic)."""
    if expr in memo:
        return memo[expr]
    try:
        result = _interval_uncached(expr, box, memo)
    except (OverflowError, ValueError, ZeroDivisionError):
        result = Interval.everything()
    memo[expr] = result
    return result


def _interval_uncached(expr: sp.Expr, box, memo) -> Interval:
    if expr.is_Rational:
        return Interval.point(Fraction(int(expr.p), int(expr.q)))
    if expr.is_number:
        value = complex(sp.N(expr, 20))
        if value.imag != 0:
            return Interval.everything()
        return Interval(_outward(value.real, True), _outward(value.real, False))
    if expr.is_Symbol:
        return box.get(expr, Interval.everything())
    if expr.is_Add:
        parts = [_interval(a, box, memo) for a in expr.args]
        lo, hi = sum(p.lo for p in parts), sum(p.hi for p in parts)
        if math.isnan(lo) or math.isnan(hi):
            return Interval.everything()
        return Interval(
            lo, hi, any(p.lo_open for p in parts) or is_inf(lo), any(p.hi_open for p in parts) or is_inf(hi)
        )
    if expr.is_Mul:
        acc = _interval(expr.args[0], box, memo)
        for arg in expr.args[1:]:
            other = _interval(arg, box, memo)
            ends = [
                _mul_end(a, ao, b, bo)
                for a, ao in ((acc.lo, acc.lo_open), (acc.hi, acc.hi_open))
                for b, bo in ((other.lo, other.lo_open), (other.hi, other.hi_open))
            ]
            lo, lo_open = _pick(ends, True)
            hi, hi_open = _pick(ends, False)
            acc = Interval(lo, hi, lo_open, hi_open)
        return acc
    if expr.is_Pow:
        return _power(_interval(expr.base, box, memo), expr.exp)
    if isinstance(expr, sp.exp):
        return _monotone(_exp, _interval(expr.args[0], box, memo))
    if isinstance(expr, sp.log):
        a = _interval(expr.args[0], box, memo)
        if a.lo > 0 or (a.lo == 0 and a.lo_open):
            return _monotone(_log, a)
        return Interval.everything()
    if isinstance(expr, sp.Abs):
        a = _interval(expr.args[0], box, memo)
        if a.lo >= 0:
            return a
        if a.hi <= 0:
            return Interval(-a.hi, -a.lo, a.hi_open, a.lo_open)
        hi, hi_open = _pick([(-a.lo, a.lo_open), (a.hi, a.hi_open)], False)
        return Interval(Fraction(0), hi, False, hi_open)
    if isinstance(expr, (sp.Min, sp.Max)):
        parts = [_interval(a, box, memo) for a in expr.args]
        lowest = isinstance(expr, sp.Min)
        lo, lo_open = _pick([(p.lo, p.lo_open) for p in parts], lowest)
        hi, hi_open = _pick([(p.hi, p.hi_open) for p in parts], lowest)
        return Interval(lo, hi, lo_open, hi_open)
    return Interval.everything()


def _power(base: Interval, exponent: sp.Expr) -> Interval:
    if not exponent.is_number:
        return Interval(Fraction(0), math.inf, True, True) if base.lo > 0 else Interval.everything()
    if exponent.is_Integer:
        n = int(exponent)
        if n == 0:
            return Interval.point(Fraction(1))
        if n < 0:
            p = _power(base, sp.Integer(-n))
            if p.lo > 0 or (p.lo == 0 and p.lo_open):
                lo = Fraction(0) if is_inf(p.hi) else 1 / p.hi
                hi = math.inf if p.lo == 0 else 1 / p.lo
                return Interval(lo, hi, p.hi_open, p.lo_open)
            if p.hi < 0 or (p.hi == 0 and p.hi_open):
                lo = -math.inf if p.hi == 0 else 1 / p.hi
                hi = Fraction(0) if is_inf(p.lo) else 1 / p.lo
                return Interval(lo, hi, p.hi_open, p.lo_open)
            return Interval.everything()
        if n % 2 == 1 or base.lo >= 0:
            return Interval(base.lo**n, base.hi**n, base.lo_open, base.hi_open)
        if base.hi <= 0:
            return Interval(base.hi**n, base.lo**n, base.hi_open, base.lo_open)
        hi, hi_open = _pick([(base.lo**n, base.lo_open), (base.hi**n, base.hi_open)], False)
        return Interval(Fraction(0), hi, False, hi_open)
    if base.lo < 0 or not exponent.is_real:
        return Interval.everything()
    e = float(exponent)
    if e > 0:
        return _monotone(lambda v: v**e if not math.isinf(v) else math.inf, base)
    if base.lo == 0 and not base.lo_open:
        return Interval.everything()
    return _monotone(
        lambda v: math.inf if v == 0 else (0.0 if math.isinf(v) else v**e), base, increasing=False
    )


def _intersect(a: Interval | None, b: Interval) -> Interval:
    """Both enclose the same set of values, so their intersection does too."""
    if a is None:
        return b
    lo, lo_open = _pick([(a.lo, a.lo_open), (b.lo, b.lo_open)], False)
    hi, hi_open = _pick([(a.hi, a.hi_open), (b.hi, b.hi_open)], True)
    if a.lo == b.lo:
        lo_open = a.lo_open or b.lo_open
    if a.hi == b.hi:
        hi_open = a.hi_open or b.hi_open
    return Interval(lo, hi, lo_open, hi_open)


def enclosure(forms: Sequence[sp.Expr], box: Mapping[sp.Symbol, Interval], best=None) -> Interval:
    """The tightest of the enclosures of equivalent ``forms`` of one expression (and ``best``)."""
    for form in forms:
        best = _intersect(best, _interval(form, box, {}))
    return best


def is_negative(iv: Interval) -> bool:
    """Whether every value in the interval is negative."""
    return bool(iv.hi < 0) or (iv.hi == 0 and iv.hi_open)
