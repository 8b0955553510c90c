"""Symbolic (exact, sympy) stability analysis of a model.

**Replicator equations.**  Player ``i`` is a population with state
:math:`x_i` on its simplex.  The chart drops each player's last strategy
(:math:`x_{i,last} = 1 - \\sum_{k<last} x_{i,k}`), as
:func:`tripartite.dynamics.reduced_jacobian` does, so the state variables are
the shares of every strategy but the last.  With
:math:`f_{i,s}(x_{-i}) = u_i(s, x_{-i})` the expected payoff of strategy
``s``,

.. math:: \\dot x_{i,s} = x_{i,s}\\big(f_{i,s} - \\textstyle\\sum_t x_{i,t} f_{i,t}\\big),

which for a player with two strategies is the factored form
:math:`\\dot x_i = x_i (1 - x_i) D_i(x_{-i})`, with
:math:`D_i = f_{i,1} - f_{i,2}` the expected payoff difference
(:math:`x_i` is the share of the first strategy).

**Vertices.**  At a pure profile :math:`s` the Jacobian is triangular; its
eigenvalues are the deviation gains :math:`u_i(t, s_{-i}) - u_i(s)`, one for
every player ``i`` and alternative :math:`t \\ne s_i` (all real).  The vertex
is asymptotically stable if and only if every one is negative (a strict
equilibrium; in multi-population replicator dynamics no other rest point can
be asymptotically stable: Selten 1980, Ritzberger & Weibull 1995).  Each
condition :math:`\\lambda < 0` is printed with the terms moved so that both
sides read positively, and is decided against the declared parameter ranges
:math:`\\Theta = \\prod_j [\\min_j, \\max_j]`:

- ``always``: holds at every point of :math:`\\Theta` (proved by interval
  arithmetic on the expression);
- ``always inside``: holds at every point inside :math:`\\Theta`, perhaps not
  on its boundary (e.g. ``-C < 0`` fails only where the cost ``C`` is 0);
- ``never``: holds nowhere in :math:`\\Theta` (proved);
- ``depends``: holds at some admissible point and fails at another (both
  witnessed by exact evaluation);
- ``undecided``: none of the above could be shown.

The conditions of one vertex are decided jointly too: when all are linear in
the parameters, an exact linear program (``sympy.solvers.simplex``) decides
whether they can hold together.

**Other rest points** (every player with two strategies).  On a face where
the players in ``F`` mix and the others play pure strategies, the rest points
solve :math:`D_i = 0` for :math:`i \\in F`.  Because :math:`D_i` does not
depend on :math:`x_i`, the Jacobian there is block triangular: the players
outside ``F`` contribute the transverse eigenvalues
:math:`(1 - 2x_k) D_k`, and the block of ``F`` has a zero diagonal, hence
trace zero.  So an edge (``|F| = 1``) holds rest points only as a whole
continuum (where :math:`D_i \\equiv 0`); on a 2-dimensional face the block's
eigenvalues are :math:`\\pm\\sqrt{J_{ij} J_{ji}}` (a saddle, or a centre
within the face: non-hyperbolic); and an interior rest point of a
:math:`2\\times 2\\times 2` game is never asymptotically stable (its
eigenvalues sum to zero).  The systems are solved by eliminating one
variable at a time (each :math:`D_i` is multilinear), exactly.

**Critical values.**  For a parameter :math:`\\theta`, each vertex
eigenvalue :math:`\\lambda(\\theta) = 0` is solved for :math:`\\theta`: these
are the only values where that vertex's stability can change.

Examples
--------
>>> from tripartite import load_model
>>> model = load_model("baseline")
>>> eig = vertex_eigenvalues(model)
>>> eig[(1, 1, 1)][1]
R*p - m + r
>>> low = vertex_analysis(model)[(1, 1, 1)]
>>> print(low.conditions[1].inequality)
R*p + r < m
>>> low.conditions[1].status
'depends'
"""

from __future__ import annotations

import itertools
import math
import weakref
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from functools import cached_property
from typing import Any

import numpy as np
import sympy as sp

from .dynamics.stability import CLASSIFICATIONS, DEFAULT_TOL
from .errors import ParameterError, TripartiteError
from .expr import to_text
from .model import Model

__all__ = [
    "ALWAYS",
    "ALWAYS_INSIDE",
    "NEVER",
    "DEPENDS",
    "UNDECIDED",
    "STATUSES",
    "Condition",
    "VertexAnalysis",
    "VertexEvaluation",
    "ReplicatorEquations",
    "RestPoint",
    "CriticalValue",
    "replicator_equations",
    "vertex_eigenvalues",
    "vertex_analysis",
    "decide_negative",
    "evaluate_vertices",
    "rest_points",
    "critical_values",
    "stable_intervals",
    "exact_values",
]

ALWAYS, ALWAYS_INSIDE, NEVER, DEPENDS, UNDECIDED = "always", "always inside", "never", "depends", "undecided"
#: Possible verdicts on a condition over the declared parameter ranges.
STATUSES = (ALWAYS, ALWAYS_INSIDE, NEVER, DEPENDS, UNDECIDED)

_STABLE, _UNSTABLE, _SADDLE, _NON_HYPERBOLIC = CLASSIFICATIONS
_SAMPLES = 256
_COMPACT_LIMIT = 400  # count_ops above which no further rewriting is tried

_CACHE: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _cache(model: Model) -> dict:
    """Per-model memo of symbolic results (dropped with the model)."""
    try:
        return _CACHE.setdefault(model, {})
    except TypeError:  # pragma: no cover - a model that cannot be weakly referenced
        return {}


# --------------------------------------------------------------------------------------
# Helpers on expressions
# --------------------------------------------------------------------------------------


def _compact(expr: sp.Expr) -> sp.Expr:
    """The shortest of a few equivalent forms of ``expr`` (as written, expanded, factored)."""
    expr = sp.sympify(expr)
    ops = sp.count_ops(expr)
    if ops > _COMPACT_LIMIT:
        return expr
    best, best_ops = expr, ops
    expanded = sp.expand(expr)
    n = sp.count_ops(expanded)
    if n < best_ops:
        best, best_ops = expanded, n
    if n <= _COMPACT_LIMIT:
        factored = sp.factor_terms(expanded)
        n = sp.count_ops(factored)
        if n < best_ops:
            best, best_ops = factored, n
    return best


def _inequality(expr: sp.Expr) -> sp.Rel:
    """``expr < 0`` with negative terms moved to the right: ``p*R + r < m``."""
    left, right = [], []
    for term in sp.Add.make_args(expr):
        (right.append(-term) if term.could_extract_minus_sign() else left.append(term))
    return sp.StrictLessThan(sp.Add(*left), sp.Add(*right), evaluate=False)


def _rational(value: float) -> sp.Rational:
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
        out[model.symbols[name]] = _rational(float(arr))
    return out


def _sign(value: sp.Expr, tol: float = DEFAULT_TOL) -> int:
    """Sign of a number: exact for rationals, else from a 30-digit evaluation with ``tol``."""
    value = sp.sympify(value)
    if value.is_Rational:
        return int(sp.sign(value))
    number = complex(sp.N(value, 30))
    if abs(number.imag) > tol:
        raise TripartiteError(f"expected a real number, got {value}")
    return 0 if abs(number.real) <= tol else (1 if number.real > 0 else -1)


def _classify(signs: Sequence[int]) -> str:
    if any(s == 0 for s in signs):
        return _NON_HYPERBOLIC
    if all(s < 0 for s in signs):
        return _STABLE
    if all(s > 0 for s in signs):
        return _UNSTABLE
    return _SADDLE


# --------------------------------------------------------------------------------------
# Replicator equations
# --------------------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class ReplicatorEquations:
    """The replicator equations of a model in the reduced chart.

    Attributes
    ----------
    states : tuple of sympy.Symbol
        State variables: the share of every strategy but each player's last.
        A player with two strategies has one variable, named ``x1``, ``x2``...
        by player number; otherwise ``x1_1, x1_2, ...`` (player, strategy).
    coordinates : tuple of (player, strategy)
        What each state variable is the share of.
    rhs : tuple of sympy.Expr
        Right-hand sides, factored as ``x*(1 - x)*D`` for two-strategy players.
    differences : dict of int to sympy.Expr
        Player -> :math:`D_i` (first strategy's expected payoff minus the
        second's), for players with two strategies.
    """

    model: Model
    states: tuple[sp.Symbol, ...]
    coordinates: tuple[tuple[int, int], ...]
    rhs: tuple[sp.Expr, ...]
    differences: dict[int, sp.Expr] = field(default_factory=dict)

    @cached_property
    def jacobian(self) -> sp.Matrix:
        """The Jacobian matrix of ``rhs`` with respect to ``states`` (the reduced Jacobian)."""
        return sp.Matrix(self.rhs).jacobian(sp.Matrix(self.states))

    @property
    def two_strategies(self) -> bool:
        """Whether every player has exactly two strategies (the factored case)."""
        return all(m == 2 for m in self.model.shape)

    def lines(self) -> list[str]:
        """The equations as text, one per state variable.

        Examples
        --------
        >>> from tripartite import load_model
        >>> eq = replicator_equations(load_model("baseline"))
        >>> eq.lines()[1]
        "x2' = x2*(1 - x2)*(R*p + r + x1*(f*(d*(1 - q) + q) + t) + x3*(pi_E - R*p - c_p*k) - m)"
        """
        return [f"{x}' = {to_text(r)}" for x, r in zip(self.states, self.rhs)]

    def meaning(self) -> list[str]:
        """What each state variable stands for, e.g. ``"x1: share of government playing active"``."""
        m = self.model
        return [
            f"{x}: share of {m.players[i]} playing {m.strategies[i][s]}"
            for x, (i, s) in zip(self.states, self.coordinates)
        ]


def _state_symbols(model: Model) -> tuple[tuple[sp.Symbol, ...], tuple[tuple[int, int], ...]]:
    taken = set(model.parameter_names) | set(model.derived)
    prefix = "x"
    while True:
        names, coords = [], []
        for i, m in enumerate(model.shape):
            for s in range(m - 1):
                names.append(f"{prefix}{i + 1}" if m == 2 else f"{prefix}{i + 1}_{s + 1}")
                coords.append((i, s))
        if not taken & set(names):
            break
        prefix += "x"
    return tuple(sp.Symbol(n, real=True) for n in names), tuple(coords)


def _shares(model: Model, states: Sequence[sp.Symbol]) -> list[list[sp.Expr]]:
    """Per player, the share of each strategy as an expression of the state variables."""
    out, k = [], 0
    for m in model.shape:
        own = list(states[k : k + m - 1])
        out.append(own + [1 - sp.Add(*own)])
        k += m - 1
    return out


def _polynomial_in_states(model: Model, i: int, shares: list[list[sp.Expr]], states, weight_of) -> sp.Expr:
    """``sum over the others' profiles of weight * value``, collected by monomials of the states.

    ``weight_of(rest)`` gives the payoff expression multiplying the others' profile ``rest``.
    """
    others = [j for j in range(model.n_players) if j != i]
    terms: dict[tuple[int, ...], list[sp.Expr]] = {}
    for rest in itertools.product(*(range(model.shape[j]) for j in others)):
        value = weight_of(rest)
        if value == 0:
            continue
        weight = sp.Mul(*(shares[j][k] for j, k in zip(others, rest)))
        for monom, coeff in sp.Poly(weight, *states).terms():
            terms.setdefault(monom, []).append(coeff * value)
    out = []
    for monom, parts in terms.items():
        coeff = _compact(sp.Add(*parts))
        if coeff != 0:
            out.append(coeff * sp.Mul(*(x**e for x, e in zip(states, monom))))
    return sp.Add(*out)


def replicator_equations(model: Model) -> ReplicatorEquations:
    """The replicator equations of ``model``, factored where every player has two strategies.

    Examples
    --------
    >>> from tripartite import load_model
    >>> eq = replicator_equations(load_model("baseline"))
    >>> eq.states
    (x1, x2, x3)
    >>> eq.differences[2].has(eq.states[2])
    False
    """
    memo = _cache(model)
    if "equations" in memo:
        return memo["equations"]
    states, coords = _state_symbols(model)
    shares = _shares(model, states)

    def payoff(i: int, s: int, rest: tuple[int, ...]) -> sp.Expr:
        profile = list(rest)
        profile.insert(i, s)
        return model.payoffs[tuple(profile)][i]

    rhs, differences = [], {}
    k = 0
    for i, m in enumerate(model.shape):
        if m == 2:
            d = _polynomial_in_states(
                model, i, shares, states, lambda rest, i=i: payoff(i, 0, rest) - payoff(i, 1, rest)
            )
            differences[i] = d
            x = states[k]
            rhs.append(sp.Mul(x, 1 - x, d, evaluate=False) if d != 0 else sp.Integer(0))
        else:
            f = [
                _polynomial_in_states(model, i, shares, states, lambda rest, i=i, s=s: payoff(i, s, rest))
                for s in range(m)
            ]
            mean = sp.Add(*(shares[i][s] * f[s] for s in range(m)))
            for s in range(m - 1):
                rhs.append(sp.Mul(states[k + s], f[s] - mean, evaluate=False))
        k += m - 1
    result = ReplicatorEquations(model, states, coords, tuple(rhs), differences)
    memo["equations"] = result
    return result


# --------------------------------------------------------------------------------------
# Vertices
# --------------------------------------------------------------------------------------


def vertex_eigenvalues(model: Model) -> dict[tuple[int, ...], list[sp.Expr]]:
    """Eigenvalue expressions at every vertex (expanded).

    Returns
    -------
    dict
        Profile (strategy indices) -> list of ``sum(s_i - 1)`` expressions: for
        each player in order, the gain of each alternative strategy in order.
        The order matches :func:`tripartite.dynamics.stability.vertex_eigenvalues`.

    Examples
    --------
    >>> from tripartite import load_model
    >>> vertex_eigenvalues(load_model("baseline"))[(1, 1, 1)][1]
    R*p - m + r
    """
    memo = _cache(model)
    if "vertex_eigenvalues" not in memo:
        memo["vertex_eigenvalues"] = {
            profile: [sp.expand(e) for e in exprs] for profile, exprs in _raw_gains(model).items()
        }
    return {k: list(v) for k, v in memo["vertex_eigenvalues"].items()}


def _raw_gains(model: Model) -> dict[tuple[int, ...], list[sp.Expr]]:
    out = {}
    for profile in model.profiles():
        values = []
        for i, m in enumerate(model.shape):
            own = model.payoffs[profile][i]
            for t in range(m):
                if t != profile[i]:
                    other = profile[:i] + (t,) + profile[i + 1 :]
                    values.append(model.payoffs[other][i] - own)
        out[profile] = values
    return out


def _deviations(model: Model, profile: tuple[int, ...]) -> tuple[tuple[int, int], ...]:
    return tuple((i, t) for i, m in enumerate(model.shape) for t in range(m) if t != profile[i])


@dataclass(frozen=True)
class Condition:
    """One eigenvalue's stability condition ``eigenvalue < 0``.

    Attributes
    ----------
    eigenvalue : sympy.Expr
        The eigenvalue, in its most compact form.
    inequality : sympy.Rel
        ``eigenvalue < 0`` with negative terms moved to the right-hand side.
    status : str
        One of :data:`STATUSES`, over the declared parameter ranges.
    """

    eigenvalue: sp.Expr
    inequality: sp.Rel
    status: str

    def __str__(self) -> str:
        return f"{to_text(self.inequality)}  [{self.status}]"


@dataclass(frozen=True)
class VertexAnalysis:
    """Eigenvalues and stability conditions of one vertex (pure profile).

    Attributes
    ----------
    profile : tuple of int
        Strategy indices.
    strategies : tuple of str
        Strategy names, one per player.
    deviations : tuple of (player, strategy)
        The unilateral deviation behind each eigenvalue.
    conditions : tuple of Condition
        One per eigenvalue, in the order of :func:`vertex_eigenvalues`.
    status : str
        Verdict on the joint condition (every eigenvalue negative), one of
        :data:`STATUSES`: can this vertex be asymptotically stable within
        the declared ranges?
    """

    profile: tuple[int, ...]
    strategies: tuple[str, ...]
    deviations: tuple[tuple[int, int], ...]
    conditions: tuple[Condition, ...]
    status: str

    @property
    def eigenvalues(self) -> tuple[sp.Expr, ...]:
        return tuple(c.eigenvalue for c in self.conditions)


def vertex_analysis(model: Model) -> dict[tuple[int, ...], VertexAnalysis]:
    """Eigenvalues, simplified stability conditions and their verdicts at every vertex.

    Cached per model.

    Examples
    --------
    >>> from tripartite import load_model
    >>> a = vertex_analysis(load_model("baseline"))[(1, 0, 0)]
    >>> print(a.conditions[0].inequality), a.conditions[0].status
    C*d*rho < C + s + t
    (None, 'always inside')
    """
    memo = _cache(model)
    if "vertex_analysis" in memo:
        return memo["vertex_analysis"]
    box = _Box(model)
    out = {}
    for profile, gains in _raw_gains(model).items():
        conditions = []
        for gain in gains:
            eigenvalue = _compact(gain)
            status = decide_negative(eigenvalue, box, forms=[gain])
            conditions.append(Condition(eigenvalue, _inequality(eigenvalue), status))
        status = _joint_status([c.eigenvalue for c in conditions], [c.status for c in conditions], box)
        names = tuple(model.strategies[i][k] for i, k in enumerate(profile))
        out[profile] = VertexAnalysis(profile, names, _deviations(model, profile), tuple(conditions), status)
    memo["vertex_analysis"] = out
    return out


@dataclass(frozen=True)
class VertexEvaluation:
    """A vertex at one parameter point.

    Attributes
    ----------
    profile : tuple of int
    values : tuple of sympy numbers
        The eigenvalues, exactly.
    signs : tuple of int
        -1, 0 or +1 each (exact for rational values, else within ``tol``).
    classification : str
        One of :data:`tripartite.dynamics.CLASSIFICATIONS`.
    """

    profile: tuple[int, ...]
    values: tuple[sp.Expr, ...]
    signs: tuple[int, ...]
    classification: str


def evaluate_vertices(
    model: Model, values: Mapping[str, Any] | None = None, tol: float = DEFAULT_TOL
) -> dict[tuple[int, ...], VertexEvaluation]:
    """Every vertex's eigenvalues, their signs and its classification at one point.

    Parameters not in ``values`` take their defaults; decimals are read
    exactly, so with rational inputs the signs are exact.

    Examples
    --------
    >>> from tripartite import load_model
    >>> evaluate_vertices(load_model("baseline"))[(1, 1, 1)].classification
    'asymptotically stable'
    """
    subs = exact_values(model, values)
    out = {}
    for profile, analysis in vertex_analysis(model).items():
        numbers = tuple(sp.sympify(e).xreplace(subs) for e in analysis.eigenvalues)
        signs = tuple(_sign(v, tol) for v in numbers)
        out[profile] = VertexEvaluation(profile, numbers, signs, _classify(signs))
    return out


# --------------------------------------------------------------------------------------
# Deciding a sign over the declared ranges
# --------------------------------------------------------------------------------------


class _Box:
    """The declared ranges of a model's parameters, exact, with a seeded sampler."""

    def __init__(self, model: Model):
        self.model = model
        self.bounds: dict[sp.Symbol, tuple[sp.Expr, sp.Expr]] = {}
        self.defaults: dict[sp.Symbol, float] = {}
        for p in model.parameters:
            sym = model.symbols[p.name]
            lo = -sp.oo if math.isinf(p.min) else _rational(p.min)
            hi = sp.oo if math.isinf(p.max) else _rational(p.max)
            self.bounds[sym] = (lo, hi)
            self.defaults[sym] = p.default

    def intervals(self, inside: bool) -> dict[sp.Symbol, _Interval]:
        """Symbol -> its range; ``inside`` makes the finite endpoints open (not attained)."""
        out = {}
        for sym, (lo, hi) in self.bounds.items():
            fixed = lo == hi
            a = -math.inf if lo.is_infinite else Fraction(int(lo.p), int(lo.q))
            b = math.inf if hi.is_infinite else Fraction(int(hi.p), int(hi.q))
            out[sym] = _Interval(a, b, (inside and not fixed) or _inf(a), (inside and not fixed) or _inf(b))
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


def _inf(value) -> bool:
    return isinstance(value, float) and math.isinf(value)


@dataclass(frozen=True)
class _Interval:
    """An interval of the extended reals; ``lo_open``/``hi_open``: endpoint not attained."""

    lo: Fraction | float
    hi: Fraction | float
    lo_open: bool = False
    hi_open: bool = False

    @staticmethod
    def everything() -> _Interval:
        return _Interval(-math.inf, math.inf, True, True)

    @staticmethod
    def point(value: Fraction) -> _Interval:
        return _Interval(value, value)


def _pick(candidates, lowest: bool):
    best = min(v for v, _ in candidates) if lowest else max(v for v, _ in candidates)
    return best, all(o for v, o in candidates if v == best)


def _mul_end(a, a_open: bool, b, b_open: bool):
    if (a == 0 and not a_open) or (b == 0 and not b_open):
        return Fraction(0), False
    value = Fraction(0) if (a == 0 or b == 0) else a * b
    return value, (a_open or b_open or _inf(value))


def _outward(value: float, lower: bool) -> Fraction | float:
    """A float result rounded one step outward, as an exact endpoint."""
    if math.isnan(value):
        raise OverflowError
    if math.isinf(value):
        return value
    return Fraction(math.nextafter(value, -math.inf if lower else math.inf))


def _monotone(fn, a: _Interval, increasing: bool = True) -> _Interval:
    """Image of ``a`` under a monotone float function, rounded outward."""
    lo_in, hi_in = (a.lo, a.hi) if increasing else (a.hi, a.lo)
    lo_open, hi_open = (a.lo_open, a.hi_open) if increasing else (a.hi_open, a.lo_open)
    lo, hi = _outward(fn(float(lo_in)), True), _outward(fn(float(hi_in)), False)
    return _Interval(lo, hi, lo_open or _inf(lo), hi_open or _inf(hi))


def _exp(x: float) -> float:
    try:
        return math.exp(x)
    except OverflowError:
        return math.inf


def _log(x: float) -> float:
    return -math.inf if x == 0 else (math.inf if math.isinf(x) else math.log(x))


def _interval(expr: sp.Expr, box: Mapping[sp.Symbol, _Interval], memo: dict) -> _Interval:
    """An enclosure of the values of ``expr`` over ``box`` (interval arithmetic)."""
    if expr in memo:
        return memo[expr]
    try:
        result = _interval_uncached(expr, box, memo)
    except (OverflowError, ValueError, ZeroDivisionError):
        result = _Interval.everything()
    memo[expr] = result
    return result


def _interval_uncached(expr: sp.Expr, box, memo) -> _Interval:
    if expr.is_Rational:
        return _Interval.point(Fraction(int(expr.p), int(expr.q)))
    if expr.is_number:
        value = complex(sp.N(expr, 20))
        if value.imag != 0:
            return _Interval.everything()
        return _Interval(_outward(value.real, True), _outward(value.real, False))
    if expr.is_Symbol:
        return box.get(expr, _Interval.everything())
    if expr.is_Add:
        parts = [_interval(a, box, memo) for a in expr.args]
        lo, hi = sum(p.lo for p in parts), sum(p.hi for p in parts)
        if math.isnan(lo) or math.isnan(hi):
            return _Interval.everything()
        return _Interval(
            lo, hi, any(p.lo_open for p in parts) or _inf(lo), any(p.hi_open for p in parts) or _inf(hi)
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
            acc = _Interval(lo, hi, lo_open, hi_open)
        return acc
    if expr.is_Pow:
        return _power(_interval(expr.base, box, memo), expr.exp)
    if isinstance(expr, sp.exp):
        return _monotone(_exp, _interval(expr.args[0], box, memo))
    if isinstance(expr, sp.log):
        a = _interval(expr.args[0], box, memo)
        if a.lo > 0 or (a.lo == 0 and a.lo_open):
            return _monotone(_log, a)
        return _Interval.everything()
    if isinstance(expr, sp.Abs):
        a = _interval(expr.args[0], box, memo)
        if a.lo >= 0:
            return a
        if a.hi <= 0:
            return _Interval(-a.hi, -a.lo, a.hi_open, a.lo_open)
        hi, hi_open = _pick([(-a.lo, a.lo_open), (a.hi, a.hi_open)], False)
        return _Interval(Fraction(0), hi, False, hi_open)
    if isinstance(expr, (sp.Min, sp.Max)):
        parts = [_interval(a, box, memo) for a in expr.args]
        lowest = isinstance(expr, sp.Min)
        lo, lo_open = _pick([(p.lo, p.lo_open) for p in parts], lowest)
        hi, hi_open = _pick([(p.hi, p.hi_open) for p in parts], lowest)
        return _Interval(lo, hi, lo_open, hi_open)
    return _Interval.everything()


def _power(base: _Interval, exponent: sp.Expr) -> _Interval:
    if not exponent.is_number:
        return _Interval(Fraction(0), math.inf, True, True) if base.lo > 0 else _Interval.everything()
    if exponent.is_Integer:
        n = int(exponent)
        if n == 0:
            return _Interval.point(Fraction(1))
        if n < 0:
            p = _power(base, sp.Integer(-n))
            if p.lo > 0 or (p.lo == 0 and p.lo_open):
                lo = Fraction(0) if _inf(p.hi) else 1 / p.hi
                hi = math.inf if p.lo == 0 else 1 / p.lo
                return _Interval(lo, hi, p.hi_open, p.lo_open)
            if p.hi < 0 or (p.hi == 0 and p.hi_open):
                lo = -math.inf if p.hi == 0 else 1 / p.hi
                hi = Fraction(0) if _inf(p.lo) else 1 / p.lo
                return _Interval(lo, hi, p.hi_open, p.lo_open)
            return _Interval.everything()
        if n % 2 == 1 or base.lo >= 0:
            return _Interval(base.lo**n, base.hi**n, base.lo_open, base.hi_open)
        if base.hi <= 0:
            return _Interval(base.hi**n, base.lo**n, base.hi_open, base.lo_open)
        hi, hi_open = _pick([(base.lo**n, base.lo_open), (base.hi**n, base.hi_open)], False)
        return _Interval(Fraction(0), hi, False, hi_open)
    if base.lo < 0 or not exponent.is_real:
        return _Interval.everything()
    e = float(exponent)
    if e > 0:
        return _monotone(lambda v: v**e if not math.isinf(v) else math.inf, base)
    if base.lo == 0 and not base.lo_open:
        return _Interval.everything()
    return _monotone(
        lambda v: math.inf if v == 0 else (0.0 if math.isinf(v) else v**e), base, increasing=False
    )


def _form_stages(expr: sp.Expr, extra: Sequence[sp.Expr] = ()):
    """``expr`` written in more and more ways, cheapest first (each gives its own enclosure)."""
    yield [expr, *extra]
    if sp.count_ops(expr) > _COMPACT_LIMIT:
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


def _intersect(a: _Interval | None, b: _Interval) -> _Interval:
    """Both enclose the same set of values, so their intersection does too."""
    if a is None:
        return b
    lo, lo_open = _pick([(a.lo, a.lo_open), (b.lo, b.lo_open)], False)
    hi, hi_open = _pick([(a.hi, a.hi_open), (b.hi, b.hi_open)], True)
    if a.lo == b.lo:
        lo_open = a.lo_open or b.lo_open
    if a.hi == b.hi:
        hi_open = a.hi_open or b.hi_open
    return _Interval(lo, hi, lo_open, hi_open)


def _enclosure(forms: Sequence[sp.Expr], box: Mapping[sp.Symbol, _Interval], best=None) -> _Interval:
    """The tightest of the enclosures of equivalent ``forms`` of one expression (and ``best``)."""
    for form in forms:
        best = _intersect(best, _interval(form, box, {}))
    return best


def _negative(iv: _Interval) -> bool:
    return bool(iv.hi < 0) or (iv.hi == 0 and iv.hi_open)


def decide_negative(expr: sp.Expr, model_or_box: Model | _Box, forms: Sequence[sp.Expr] = ()) -> str:
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
    box = model_or_box if isinstance(model_or_box, _Box) else _Box(model_or_box)
    expr = sp.sympify(expr)
    if expr.is_number:
        return ALWAYS if _sign(expr) < 0 else NEVER
    closed_box, inside_box = box.intervals(inside=False), box.intervals(inside=True)
    closed = inside = None
    witnessed = None
    for stage, forms_now in enumerate(_form_stages(expr, forms)):
        closed = _enclosure(forms_now, closed_box, closed)
        if _negative(closed):
            return ALWAYS
        if closed.lo >= 0:
            return NEVER
        inside = _enclosure(forms_now, inside_box, inside)
        if stage == 1:  # before the costly rewritings: is it plainly both ways, even inside?
            witnessed = _witnesses([expr], box)
            if witnessed[0] and witnessed[2]:
                return DEPENDS
    if _negative(inside):
        return ALWAYS_INSIDE
    holds, fails, _ = witnessed if witnessed is not None else _witnesses([expr], box)
    return DEPENDS if holds and fails else UNDECIDED


def _witnesses(exprs: Sequence[sp.Expr], box: _Box) -> tuple[bool, bool, bool]:
    """Exactly checked sample points: where all ``exprs < 0`` (holds), where one is ``>= 0``
    (fails), and where one is ``>= 0`` strictly inside the ranges (fails inside)."""
    symbols = sorted(set().union(*(e.free_symbols for e in exprs)), key=str)
    points, interior = box.sample(symbols)
    with np.errstate(all="ignore"):
        f = sp.lambdify(symbols, list(exprs), modules="numpy")
        values = np.array([np.broadcast_to(np.asarray(v, dtype=float), (len(points),)) for v in f(*points.T)])
    worst = np.nanmax(values, axis=0)  # all hold iff worst < 0
    finite = np.isfinite(worst)

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


def _exact_all_negative(exprs, symbols, point) -> bool:
    subs = {s: _rational(v) for s, v in zip(symbols, point)}
    return all(_sign(e.xreplace(subs)) < 0 for e in exprs)


def _is_linear(expr: sp.Expr, symbols) -> bool:
    if not symbols:
        return True
    try:
        return sp.Poly(expr, *symbols).total_degree() <= 1
    except sp.PolynomialError:
        return False


def _joint_status(exprs: Sequence[sp.Expr], statuses: Sequence[str], box: _Box) -> str:
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
    holds, fails, _ = _witnesses(open_ones, box)
    return DEPENDS if holds and (fails or DEPENDS in statuses) else UNDECIDED


def _linear_joint(exprs, symbols, box: _Box, fails_somewhere: bool) -> str:
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


# --------------------------------------------------------------------------------------
# Rest points beyond the vertices (two strategies per player)
# --------------------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class RestPoint:
    """A rest point of the replicator dynamics (players with two strategies).

    Attributes
    ----------
    kind : str
        ``"vertex"``, ``"edge"``, ``"face"`` or ``"interior"``.
    mixing : tuple of int
        Players whose share lies strictly between 0 and 1.
    state : tuple of sympy.Expr
        Share of each player's first strategy (``x1, x2, ...``).  For a
        continuum (an edge of rest points) the mixing player's entry is its
        state symbol.
    jacobian : sympy.Matrix
        The reduced Jacobian at the point.
    eigenvalues : tuple of sympy.Expr or None
        Closed-form eigenvalues where available (vertices, edges, 2-dimensional faces).
    status : str
        Verdict on asymptotic stability, one of :data:`STATUSES` (``never``
        for every point that is not a vertex).
    condition : sympy.Expr or None
        For a continuum: the rest points exist exactly where this is 0.
    note : str
        Classification detail (centre, continuum, trace zero ...).
    classification : str or None
        At a parameter point: one of :data:`tripartite.dynamics.CLASSIFICATIONS`.
    numeric_eigenvalues : tuple of complex or None
        At a parameter point: the eigenvalues as numbers.
    """

    kind: str
    mixing: tuple[int, ...]
    state: tuple[sp.Expr, ...]
    jacobian: sp.Matrix
    eigenvalues: tuple[sp.Expr, ...] | None
    status: str
    condition: sp.Expr | None = None
    note: str = ""
    classification: str | None = None
    numeric_eigenvalues: tuple[complex, ...] | None = None


def _kind(model: Model, mixing: Sequence[int]) -> str:
    if not mixing:
        return "vertex"
    if len(mixing) == 1:
        return "edge"
    return "interior" if len(mixing) == model.n_players else "face"


def rest_points(
    model: Model,
    at: Mapping[str, Any] | None = None,
    *,
    include_vertices: bool = False,
    max_mixing: int = 3,
    tol: float = DEFAULT_TOL,
) -> list[RestPoint]:
    """Rest points on edges, faces and the interior, solved exactly.

    Parameters
    ----------
    model : Model
        Every player must have two strategies.
    at : mapping, optional
        A parameter point (name -> value; others at their defaults; ``{}``
        for the defaults).  Then the rest points are found exactly at that
        point, only those inside the state space are kept, and each is
        classified.  Without it the solution is symbolic (generic: valid
        where the eliminated denominators are non-zero), which can be slow
        for large models.
    include_vertices : bool
        Also list the vertices (always rest points).
    max_mixing : int
        Largest number of mixing players attempted (the systems grow quickly).

    Returns
    -------
    list of RestPoint

    Examples
    --------
    >>> import numpy as np
    >>> from tripartite.scenario import read_scenario
    >>> mp = read_scenario('''
    ... [players]
    ... row = ["heads", "tails"]
    ... col = ["heads", "tails"]
    ... [payoffs]
    ... "heads, heads" = [1, -1]
    ... "heads, tails" = [-1, 1]
    ... "tails, heads" = [-1, 1]
    ... "tails, tails" = [1, -1]
    ... ''')
    >>> [(p.kind, p.state, p.classification) for p in rest_points(mp, at={})]
    [('interior', (1/2, 1/2), 'non-hyperbolic')]
    """
    if any(m != 2 for m in model.shape):
        raise TripartiteError(
            f"rest points beyond the vertices are computed for two strategies per player; "
            f"{model.name!r} has {'x'.join(map(str, model.shape))}"
        )
    equations = replicator_equations(model)
    states = equations.states
    subs = exact_values(model, at) if at is not None else None
    diffs = {i: (d.xreplace(subs) if subs else d) for i, d in equations.differences.items()}
    jac = equations.jacobian.xreplace(subs) if subs else equations.jacobian
    n = model.n_players
    out: list[RestPoint] = []
    for size in range(0 if include_vertices else 1, min(max_mixing, n) + 1):
        for mixing in itertools.combinations(range(n), size):
            fixed_players = [j for j in range(n) if j not in mixing]
            for corner in itertools.product((1, 0), repeat=len(fixed_players)):
                fixed = {states[j]: sp.Integer(v) for j, v in zip(fixed_players, corner)}
                out += _rest_points_on(model, mixing, fixed, diffs, jac, states, subs is not None, tol)
    return out


def _rest_points_on(model, mixing, fixed, diffs, jac, states, numeric: bool, tol: float) -> list[RestPoint]:
    kind = _kind(model, mixing)
    free = [states[i] for i in mixing]
    eqs = [sp.expand(diffs[i].xreplace(fixed)) for i in mixing]
    if len(mixing) == 1:
        constant = _compact(eqs[0])
        if numeric and constant != 0:
            return []
        state = tuple(fixed.get(x, x) for x in states)
        point = _finish(model, kind, mixing, state, jac, diffs, numeric, tol, condition=constant)
        return [point]
    solutions, degenerate = _solve_multilinear(eqs, free)
    points = []
    for sol in solutions:
        state = tuple(fixed.get(x, sol.get(x, x)) for x in states)
        if numeric and not _inside(state, mixing, tol):
            continue
        points.append(_finish(model, kind, mixing, state, jac, diffs, numeric, tol))
    if degenerate and numeric:
        state = tuple(fixed.get(x, x) for x in states)
        points.append(
            RestPoint(
                kind,
                tuple(mixing),
                state,
                jac.xreplace(fixed),
                None,
                NEVER,
                note="degenerate: the equations do not determine isolated rest points here "
                "(a continuum or none); not classified",
            )
        )
    return points


def _inside(state, mixing, tol) -> bool:
    for i in mixing:
        value = sp.sympify(state[i])
        if value.free_symbols:
            return False
        number = complex(sp.N(value, 30))
        if abs(number.imag) > tol or not (0 < number.real < 1):
            return False
        if value.is_Rational and not (0 < value < 1):
            return False
    return True


def _finish(model, kind, mixing, state, jac, diffs, numeric: bool, tol: float, condition=None) -> RestPoint:
    states = replicator_equations(model).states
    at_point = jac.xreplace(dict(zip(states, state)))
    eigenvalues = None
    note = ""
    if len(mixing) == 1:
        note = "an edge of rest points (continuum); non-hyperbolic"
        if condition is not None and not numeric:
            note += "; exists only where the condition is 0"
    if len(mixing) <= 2:
        eigenvalues = []
        for i in range(len(states)):
            if i not in mixing:
                value = (1 - 2 * state[i]) * diffs[i].xreplace(dict(zip(states, state)))
                eigenvalues.append(_compact(value) if numeric else value)
        if len(mixing) == 1:
            eigenvalues.append(sp.Integer(0))
        if len(mixing) == 2:
            i, j = mixing
            product = at_point[i, j] * at_point[j, i]
            product = _compact(product) if numeric else product
            root = sp.sqrt(product)
            eigenvalues += [root, -root]
            note = "eigenvalues within the face are +-sqrt(J_ij*J_ji): a saddle if J_ij*J_ji > 0, a centre (non-hyperbolic) if < 0"
        eigenvalues = tuple(eigenvalues)
    if len(mixing) >= 3:
        note = "the Jacobian block of the mixing players has trace zero: never asymptotically stable"
    classification = numbers = None
    if numeric and len(mixing) == 1:
        classification = _NON_HYPERBOLIC
    if numeric:
        matrix = np.array(at_point.evalf(30).tolist(), dtype=complex) if not at_point.free_symbols else None
        if matrix is not None:
            numbers = tuple(
                complex(v) for v in np.linalg.eigvals(matrix.real if np.allclose(matrix.imag, 0) else matrix)
            )
            if eigenvalues is not None:
                signs = [_sign(sp.re(e), tol) for e in eigenvalues]
            else:
                signs = [0 if abs(v.real) <= tol else (1 if v.real > 0 else -1) for v in numbers]
            classification = _classify(signs)
            if (
                classification == _NON_HYPERBOLIC
                and len(mixing) >= 2
                and any(abs(v.imag) > tol and abs(v.real) <= tol for v in numbers)
            ):
                note += "; purely imaginary eigenvalues: a centre in linear approximation"
    return RestPoint(
        kind,
        tuple(mixing),
        tuple(sp.sympify(v) for v in state),
        at_point,
        eigenvalues,
        NEVER if mixing else UNDECIDED,
        condition=condition if len(mixing) == 1 else None,
        note=note,
        classification=classification,
        numeric_eigenvalues=numbers,
    )


def _solve_multilinear(eqs: list[sp.Expr], xs: list[sp.Symbol]) -> tuple[list[dict], bool]:
    """Isolated solutions of polynomial equations, eliminating one linear variable at a time.

    Returns the solutions (generic ones, for symbolic coefficients) and
    whether a degenerate case (an equation vanishing identically, or no
    variable to eliminate) was met.
    """
    eqs = [sp.expand(e) for e in eqs]
    if any(e == 0 for e in eqs):
        return [], True
    if any(not (e.free_symbols & set(xs)) for e in eqs):
        return [], False  # a non-zero constant: no solution (generically)
    if not xs:
        return [{}], False
    for k, eq in enumerate(eqs):
        for v in xs:
            poly = sp.Poly(eq, v)
            if poly.degree() != 1:
                continue
            coeff, rest = poly.all_coeffs()
            if coeff.free_symbols & set(xs) and len(eqs) > 1:
                continue
            value = -rest / coeff
            others = [v2 for v2 in xs if v2 != v]
            reduced = []
            for j, other in enumerate(eqs):
                if j == k:
                    continue
                q = sp.Poly(other, v)
                if q.degree() <= 0:
                    reduced.append(other)
                    continue
                # multiply through by coeff^degree to stay polynomial
                d = q.degree()
                total = sum(
                    c * (-rest) ** e * coeff ** (d - e)
                    for e, c in zip(range(d + 1), reversed(q.all_coeffs()))
                )
                reduced.append(sp.expand(total))
            subs_solutions, degenerate = _solve_multilinear(reduced, others)
            out = []
            for sol in subs_solutions:
                denominator = coeff.xreplace(sol)
                if sp.expand(denominator) == 0:
                    degenerate = True
                    continue
                full = dict(sol)
                full[v] = _compact(value.xreplace(sol))
                out.append(full)
            return out, degenerate
    if len(xs) == 1 and len(eqs) == 1:
        poly = sp.Poly(eqs[0], xs[0])
        if poly.degree() == 2:
            a, b, c = poly.all_coeffs()
            disc = _compact(b**2 - 4 * a * c)
            if disc.is_number and disc < 0:
                return [], False
            roots = {(-b + sign * sp.sqrt(disc)) / (2 * a) for sign in (1, -1)}
            return [{xs[0]: sp.radsimp(r) if r.is_number else r} for r in roots], False
        if all(c.is_number for c in poly.all_coeffs()):
            return [{xs[0]: r} for r in sp.real_roots(poly)], False
    return [], True


# --------------------------------------------------------------------------------------
# Critical values
# --------------------------------------------------------------------------------------


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


def _solve_for(expr: sp.Expr, sym: sp.Symbol) -> list[sp.Expr]:
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
            return [_compact(-b / a)]
        if poly.degree() == 2:
            a, b, c = poly.all_coeffs()
            disc = _compact(b**2 - 4 * a * c)
            return [_compact((-b + s * sp.sqrt(disc)) / (2 * a)) for s in (1, -1)]
    try:
        found = sp.solve(expr, sym)
    except (NotImplementedError, TypeError, ValueError):  # pragma: no cover - sympy cannot solve
        return []
    return [_compact(s) for s in found if not s.has(sp.I)]


def critical_values(
    model: Model, parameter: str, at: Mapping[str, Any] | None = None, tol: float = DEFAULT_TOL
) -> list[CriticalValue]:
    """Where each vertex eigenvalue crosses zero as ``parameter`` varies.

    Parameters
    ----------
    model : Model
    parameter : str
    at : mapping, optional
        Values of the other parameters (others at their defaults; ``{}`` for
        the defaults).  With it each critical value is also evaluated, checked
        against the declared range, and its effect on stability reported.

    Examples
    --------
    >>> from tripartite import load_model
    >>> m = load_model("baseline")
    >>> low = [c for c in critical_values(m, "m", at={}) if c.profile == (1, 1, 1)]
    >>> [(str(c.solution), c.value, c.stable_below) for c in low]
    [('R*p + r', 40, False)]
    """
    param = model.parameter(parameter)
    sym = model.symbols[parameter]
    subs = exact_values(model, at) if at is not None else None
    others = {k: v for k, v in (subs or {}).items() if k != sym}
    out = []
    for profile, analysis in vertex_analysis(model).items():
        for index, (deviation, eigenvalue) in enumerate(zip(analysis.deviations, analysis.eigenvalues)):
            for solution in _solve_for(eigenvalue, sym):
                record = CriticalValue(profile, index, deviation, parameter, eigenvalue, solution)
                if subs is not None:
                    record = _at_point(record, param, sym, others, analysis, tol)
                out.append(record)
    return out


def _at_point(record: CriticalValue, param, sym, others, analysis: VertexAnalysis, tol) -> CriticalValue:
    value = (
        sp.nsimplify(record.solution.xreplace(others)) if record.solution.free_symbols else record.solution
    )
    value = sp.sympify(value).xreplace(others)
    if value.free_symbols or value.has(sp.zoo, sp.nan, sp.oo, -sp.oo):
        return record
    number = complex(sp.N(value, 30))
    if abs(number.imag) > tol:
        return record
    real = number.real
    in_range = param.min - tol <= real <= param.max + tol
    step = max(1e-6, 1e-6 * abs(real))
    eig = record.eigenvalue.xreplace(others)
    below = _sign(eig.xreplace({sym: _rational(real - step)}), 0.0)
    above = _sign(eig.xreplace({sym: _rational(real + step)}), 0.0)
    stable_below = True if below < 0 <= above else (False if above < 0 <= below else None)
    rest = [
        e.xreplace(others).xreplace({sym: value})
        for k, e in enumerate(analysis.eigenvalues)
        if k != record.index
    ]
    changes = all(_sign(r, tol) < 0 for r in rest) and stable_below is not None
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
    )


def stable_intervals(
    model: Model, parameter: str, at: Mapping[str, Any] | None = None, tol: float = DEFAULT_TOL
) -> dict[tuple[int, ...], list[tuple[sp.Expr, sp.Expr]]]:
    """For each vertex, the ranges of ``parameter`` (others fixed) where it is asymptotically stable.

    Intervals are open, within the declared range, with exact endpoints
    (``-oo``/``oo`` where unbounded).

    Examples
    --------
    >>> from tripartite import load_model
    >>> stable_intervals(load_model("baseline"), "m", at={})[(1, 1, 1)]
    [(40, oo)]
    """
    param = model.parameter(parameter)
    sym = model.symbols[parameter]
    subs = exact_values(model, at if at is not None else {})
    others = {k: v for k, v in subs.items() if k != sym}
    lo = -sp.oo if math.isinf(param.min) else _rational(param.min)
    hi = sp.oo if math.isinf(param.max) else _rational(param.max)
    out = {}
    for profile, analysis in vertex_analysis(model).items():
        exprs = [e.xreplace(others) for e in analysis.eigenvalues]
        cuts = set()
        for e in exprs:
            for root in _solve_for(e, sym):
                value = sp.sympify(root).xreplace(others)
                if value.free_symbols or not value.is_real:
                    continue
                if lo < value < hi:
                    cuts.add(sp.nsimplify(value) if value.is_Float else value)
        points = [lo, *sorted(cuts, key=lambda v: float(v)), hi]
        intervals: list[tuple[sp.Expr, sp.Expr]] = []
        for a, b in zip(points, points[1:]):
            probe = _probe(a, b)
            if all(_sign(e.xreplace({sym: probe}), tol) < 0 for e in exprs):
                if intervals and intervals[-1][1] == a and not _stable_at(exprs, sym, a, tol):
                    intervals.append((a, b))
                elif intervals and intervals[-1][1] == a:
                    intervals[-1] = (intervals[-1][0], b)
                else:
                    intervals.append((a, b))
        out[profile] = intervals
    return out


def _stable_at(exprs, sym, value, tol) -> bool:
    return all(_sign(e.xreplace({sym: value}), tol) < 0 for e in exprs)


def _probe(a: sp.Expr, b: sp.Expr) -> sp.Expr:
    if a.is_infinite and b.is_infinite:
        return sp.Integer(0)
    if a.is_infinite:
        return sp.floor(b) - 1 - abs(sp.floor(b))
    if b.is_infinite:
        return sp.ceiling(a) + 1 + abs(sp.ceiling(a))
    return (a + b) / 2
