"""Exact numbers for the symbolic analysis: decimals as rationals, signs, compact forms.

A parameter value typed as a decimal is read as the exact rational it prints
as (``0.3`` is :math:`3/10`), so with rational inputs every sign below is
exact; irrational numbers (roots) are signed from a 30-digit evaluation
within a tolerance.  Results that are costly to derive (replicator
equations, vertex verdicts) are memoised per model.

Examples
--------
>>> rational(0.3), sign_of(rational(0.1) + rational(0.2) - rational(0.3))
(3/10, 0)
"""

from __future__ import annotations

import weakref
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import sympy as sp

from ..dynamics.stability import CLASSIFICATIONS, classify
from ..errors import ParameterError, TripartiteError
from ..game import DEFAULT_TOL
from ..model import Model

__all__ = ["COMPACT_LIMIT", "classify_signs", "compact", "exact_values", "model_cache", "rational", "sign_of"]

#: ``count_ops`` above which no further rewriting of an expression is tried.
COMPACT_LIMIT = 400

_CACHE: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def model_cache(model: Model) -> dict:
    """Per-model memo of symbolic results (dropped with the model)."""
    try:
        return _CACHE.setdefault(model, {})
    except TypeError:  # pragma: no cover - a model that cannot be weakly referenced
        return {}


def compact(expr: sp.Expr) -> sp.Expr:
    """The shortest of a few equivalent forms of ``expr`` (as written, expanded, factored).

    Inside a :func:`tripartite.symbolic.cache.session` the answer is cached on disk.
    """
    from .cache import memo

    expr = sp.sympify(expr)
    return memo("compact", [expr], "", lambda: _compact(expr))


def _compact(expr: sp.Expr) -> sp.Expr:
    ops = sp.count_ops(expr)
    if ops > COMPACT_LIMIT:
        return expr
    best, best_ops = expr, ops
    expanded = sp.expand(expr)
    n = sp.count_ops(expanded)
    if n < best_ops:
        best, best_ops = expanded, n
    if n <= COMPACT_LIMIT:
        factored = sp.factor_terms(expanded)
        n = sp.count_ops(factored)
        if n < best_ops:
            best, best_ops = factored, n
    return best


def rational(value: float) -> sp.Rational:
    """A float as the exact decimal it prints as (``0.3`` is ``3/10``)."""
    return sp.Rational(repr(float(value)))


def exact_values(model: Model, values: Mapping[str, Any] | None = None) -> dict[sp.Symbol, sp.Rational]:
    """Every parameter's symbol -> its exact value (defaults, overridden by ``values``).

    Values are checked against the declared ranges.

    Examples
    --------
    >>> from tripartite import load_model
    >>> m = load_model("baseline")
    >>> exact_values(m, {"nu": 0.25})[m.symbols["nu"]]
    1/4
    """
    resolved = model.resolve(values)
    out = {}
    for name, arr in resolved.items():
        if np.ndim(arr) != 0:
            raise ParameterError(f"parameter {name!r}: give one value, not an array")
        out[model.symbols[name]] = rational(float(arr))
    return out


def sign_of(value: sp.Expr, tol: float = DEFAULT_TOL) -> int:
    """Sign of a number: exact for rationals, else from a 30-digit evaluation with ``tol``."""
    value = sp.sympify(value)
    if value.is_Rational:
        return int(sp.sign(value))
    number = complex(sp.N(value, 30))
    if abs(number.imag) > tol:
        raise TripartiteError(f"expected a real number, got {value}")
    return 0 if abs(number.real) <= tol else (1 if number.real > 0 else -1)


def classify_signs(signs: Sequence[int]) -> str:
    """The classification of a rest point from the signs of its eigenvalues' real parts.

    The signs (-1, 0, +1) were decided exactly (or within a tolerance, by
    :func:`sign_of`); the rule applied to them is the one of
    :func:`tripartite.dynamics.stability.classify`, and the answer one of
    :data:`tripartite.dynamics.CLASSIFICATIONS`.

    Examples
    --------
    >>> classify_signs([-1, -1]), classify_signs([-1, 1]), classify_signs([0, 1])
    ('asymptotically stable', 'saddle', 'non-hyperbolic')
    """
    return CLASSIFICATIONS[int(classify(np.asarray(signs, dtype=float), 0.0))]
