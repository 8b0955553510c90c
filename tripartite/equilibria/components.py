"""Components of the set of Nash equilibria, described exactly.

For a support profile :math:`S = (S_1, \\dots, S_N)` the equilibria with
exactly that support are the mixed profiles :math:`x` with

- :math:`x_i(s) > 0` for :math:`s \\in S_i` and :math:`\\sum_{s \\in S_i} x_i(s) = 1`;
- indifference on the support: :math:`u_i(s, x_{-i}) = u_i(s_i^0, x_{-i})` for
  :math:`s \\in S_i` (:math:`s_i^0` the first strategy of :math:`S_i`);
- no better reply outside it: :math:`u_i(t, x_{-i}) - u_i(s_i^0, x_{-i}) \\le 0`
  for :math:`t \\notin S_i`.

The unknowns are the probabilities of the players who mix (a pure player's
strategy is fixed), named ``x{i}_{s}`` (player ``i``, strategy ``s``,
counting from 1).  The equalities are polynomial (multilinear in the players'
strategies) and are solved exactly over the rationals by elimination: an
equation :math:`A v + B = 0` linear in an unknown :math:`v` gives either
:math:`v = -B/A` where :math:`A \\ne 0`, or :math:`A = B = 0`; a univariate
equation gives its real roots.  Each branch is a family parametrised by its
free unknowns; the inequalities then cut it into pieces:

- no free unknown: a point (dimension 0), checked exactly;
- one free unknown :math:`t`: the inequalities are rational functions of
  :math:`t`, decided exactly between and at their real roots, so the family
  splits into exact intervals and points;
- more, all constraints linear: a polytope (the cell of a two-player game,
  or of one player mixing against pure opponents), whose extreme points are
  enumerated exactly and whose dimension is that of their affine hull;
- more, nonlinear: the dimension is shown by an exactly checked interior
  point (found among sampled points); where none is found the support is
  left undecided (a thin region may hold equilibria the samples missed).

Each piece is a :class:`Component`: a set of equilibria of one support (the
pieces of one support that touch are listed separately when the elimination
splits them), with its dimension, its defining equalities and inequalities
as text sympy parses, and its extreme points where it is a polytope.  A
point, an interval of a curve (the image of an interval under rational
functions without poles on it) and a polytope (convex) are connected; so is
a curved piece of two parameters whose sections along one of them are
intervals over an interval of the other (each weak inequality affine in both
parameters, and bounding the second from the same side; see
``_connected_plane``).  Any other curved piece of dimension two or more is
exactly the set its constraints define, but whether that set is connected is
not established (:attr:`Component.proved_connected` is then ``False``): it
may fall apart, as ``(x1_1 - 1/2)(x2_1 - 1/2) <= -1/16`` does.  The components of
all supports together are every Nash equilibrium: :attr:`ComponentSet.complete`
says that every support was decided, so that every equilibrium lies in a
listed set.  :meth:`Component.contains` tests membership.

The enumeration has a budget: ``max_supports`` support profiles and, where
given, ``time_limit`` seconds (checked between supports, and by a timer that
interrupts the exact arithmetic in the main thread).  A run over budget
returns the components found so far, labelled not complete, with a note
naming the limit and how to raise it.

Examples
--------
The row player is indifferent between its strategies against the column
player's first strategy, which is a best reply while the row player plays its
first strategy with probability at least 1/2: every such profile is an
equilibrium, a segment of them, beside the pure equilibrium (s2, s2).

>>> import numpy as np
>>> from tripartite.game import Game
>>> g = Game.from_array(np.array([[[1, 0], [1, 2]], [[1, 0], [0, 1]]]))
>>> comps = equilibrium_components(g)
>>> [(c.support, c.dimension) for c in comps]
[(((0,), (0,)), 0), (((1,), (1,)), 0), (((0, 1), (0,)), 1)]
>>> segment = comps[2]
>>> segment.constraints
['Eq(x1_1 + x1_2, 1)', 'x1_1 > 0', 'x1_2 > 0', 'x1_1 - x1_2 >= 0']
>>> segment.vertices
(((1/2, 1/2), (1, 0)), ((1, 0), (1, 0)))
>>> segment.contains([np.array([0.7, 0.3]), np.array([1.0, 0.0])])
True
>>> segment.contains([np.array([0.3, 0.7]), np.array([1.0, 0.0])])
False
"""

from __future__ import annotations

import dataclasses
import itertools
import math
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import sympy as sp

from ..errors import TripartiteError
from ..game import Game
from .exact import _alarm, _Timeout, exact_payoff_array

__all__ = [
    "Component",
    "ComponentSet",
    "MAX_SUPPORTS",
    "components_note",
    "equilibrium_components",
    "in_closure",
    "isolated_components",
    "with_components",
]

#: Support profiles beyond which the components are not enumerated (the set is then not decided).
MAX_SUPPORTS = 4096
_SAMPLES = 4096
_PROBABILITY_TOL = 1e-7


class _Undecided(Exception):
    """A system the exact elimination does not handle (left undecided, never guessed)."""


@dataclass(frozen=True, eq=False)
class Component:
    """A set of Nash equilibria with one support, described exactly; connected where :attr:`proved_connected`.

    Attributes
    ----------
    support : tuple of tuple of int
        The strategies each player uses with positive probability.
    dimension : int
        Its dimension (0 for an isolated equilibrium).
    symbols : dict
        Name of each unknown -> ``(player, strategy)`` indices; only players who mix have unknowns.
    equalities : tuple of sympy.Expr
        Each ``== 0`` on the component.
    inequalities : tuple of sympy.Rel
        Strict and weak inequalities that, with the equalities, define it.
    vertices : tuple of profiles, or None
        The extreme points of its closure (each a tuple of exact probability vectors)
        where it is a polytope, else ``None``.
    point : tuple of tuple
        One equilibrium in it (exact).
    polytope : bool
        Whether it is (relatively open) polytope: every constraint linear.
    note : str
        Anything not decided about it (e.g. connectedness of a nonlinear piece).
    connected : int or None
        The connected set of equilibria it belongs to: components whose closures
        are shown to meet (a vertex or the point of one lies in the closure of
        the other) share this number.  Only components proved connected are
        joined; one whose connectedness is not established keeps a number of its own.
    proved_connected : bool
        Whether the set is shown to be connected: ``True`` for a point, an
        interval of a curve, a polytope and a two-parameter piece whose
        sections are intervals over an interval; ``False`` for another curved
        piece of dimension two or more (exactly the set its constraints
        define, which may fall apart into several pieces).
    """

    support: tuple[tuple[int, ...], ...]
    dimension: int
    symbols: dict[str, tuple[int, int]]
    equalities: tuple[sp.Expr, ...]
    inequalities: tuple[sp.Rel, ...]
    vertices: tuple[tuple[tuple[sp.Expr, ...], ...], ...] | None
    point: tuple[tuple[sp.Expr, ...], ...]
    polytope: bool
    shape: tuple[int, ...] = ()
    scale: float = 1.0
    note: str = ""
    connected: int | None = None
    proved_connected: bool = True
    _functions: Any = field(default=None, compare=False, repr=False)

    @property
    def constraints(self) -> list[str]:
        """The equalities (``Eq(lhs, rhs)``) and inequalities as text :func:`sympy.sympify` reads."""
        return [_eq_text(e) for e in self.equalities] + [_rel_text(r) for r in self.inequalities]

    def contains(self, profile: Sequence[Sequence[float]], tol: float = 1e-6) -> bool:
        """Whether a mixed profile is in this component (within ``tol``, relative to the payoff scale).

        Probabilities up to ``max(tol, 1e-7)`` count as 0 when the support is compared.
        """
        xs = [np.asarray(x, dtype=float) for x in profile]
        if len(xs) != len(self.support) or any(len(x) != m for x, m in zip(xs, self.shape)):
            return False
        zero = max(tol, _PROBABILITY_TOL)
        support = tuple(tuple(int(s) for s in np.flatnonzero(x > zero)) for x in xs)
        if support != self.support:
            return False
        values = {name: float(xs[i][s]) for name, (i, s) in self.symbols.items()}
        order = list(self.symbols)
        point = [values[n] for n in order]
        eq_f, ineq_f = self._lambdas(order)
        # constraints on probabilities alone (sums to 1, x > 0) are compared within tol; those on
        # payoffs (indifference, no better reply) within tol times the payoff scale
        for (f, on_payoffs), _ in zip(eq_f, self.equalities):
            if abs(float(f(*point))) > (tol * self.scale if on_payoffs else tol):
                return False
        for f, kind, on_payoffs in ineq_f:
            v = float(f(*point))  # the inequality reads v (kind) 0
            slack = tol * self.scale if on_payoffs else tol
            if (kind in (">", ">=") and v < -slack) or (kind in ("<", "<=") and v > slack):
                return False
        return True

    def __getstate__(self) -> dict:  # the compiled membership functions are rebuilt, not pickled
        return {**self.__dict__, "_functions": None}

    def _lambdas(self, order):
        if self._functions is None:
            syms = [sp.Symbol(n, real=True) for n in order]
            table = dict(zip(order, syms))
            eqs = [
                (sp.lambdify(syms, sp.N(e.xreplace(_rename(e, table)), 30)), not _on_probabilities(e))
                for e in self.equalities
            ]
            ineqs = []
            for r in self.inequalities:
                expr = r.lhs - r.rhs
                f = sp.lambdify(syms, sp.N(expr.xreplace(_rename(expr, table)), 30))
                ineqs.append((f, r.rel_op, not _on_probabilities(expr)))
            object.__setattr__(self, "_functions", (eqs, ineqs))
        return self._functions

    def to_record(self, game: Game) -> dict[str, Any]:
        """JSON-ready: ``support``, ``dimension``, ``symbols``, ``constraints``, ``polytope``, ``vertices``,
        ``point``, ``connected``, ``connectedness``, ``note``.

        ``connectedness`` is ``"proved"`` or ``"not established"`` (:attr:`proved_connected`).

        ``symbols`` maps each unknown to ``[player, strategy]`` (names); ``vertices``
        is a list of player -> {strategy: probability} (exact text), or ``None``.
        """
        return {
            "support": {
                p: [game.strategies[i][s] for s in supp]
                for i, (p, supp) in enumerate(zip(game.players, self.support))
            },
            "dimension": self.dimension,
            "symbols": {n: [game.players[i], game.strategies[i][s]] for n, (i, s) in self.symbols.items()},
            "constraints": self.constraints,
            "polytope": self.polytope,
            "vertices": None if self.vertices is None else [_profile_record(game, v) for v in self.vertices],
            "point": _profile_record(game, self.point),
            "connected": self.connected,
            "connectedness": "proved" if self.proved_connected else "not established",
            "note": self.note or None,
        }

    def __repr__(self) -> str:
        return f"<Component support={self.support} dimension={self.dimension}>"


@dataclass(frozen=True, eq=False)
class ComponentSet:
    """Every component of a game's set of Nash equilibria (when :attr:`complete`).

    Attributes
    ----------
    components : tuple of Component
        Sorted by total support size, then support.
    complete : bool
        Whether every support profile was decided (every equilibrium then lies in a listed component).
    notes : tuple of str
        The supports left undecided, and why.
    budget : str
        Empty, or which budget ran out (support profiles or seconds) and how to raise it;
        the set is then not complete.
    """

    components: tuple[Component, ...]
    complete: bool
    notes: tuple[str, ...] = ()
    budget: str = ""

    def __len__(self) -> int:
        return len(self.components)

    def __iter__(self):
        return iter(self.components)

    def __getitem__(self, k: int) -> Component:
        return self.components[k]

    def find(self, profile: Sequence[Sequence[float]], tol: float = 1e-6) -> int | None:
        """The index of the component holding ``profile``, or ``None``."""
        for k, c in enumerate(self.components):
            if c.contains(profile, tol):
                return k
        return None

    def to_record(self, game: Game) -> list[dict[str, Any]]:
        return [c.to_record(game) for c in self.components]


def _rename(expr, table):
    return {s: table[s.name] for s in expr.free_symbols if s.name in table}


def _eq_text(e: sp.Expr) -> str:
    left, right = [], []
    for term in sp.Add.make_args(sp.expand(e)):
        (right.append(-term) if term.is_number else left.append(term))
    return f"Eq({sp.Add(*left)}, {sp.Add(*right)})"


def _rel_text(r: sp.Rel) -> str:
    if r.rel_op == "!=":  # sympify reads "a != b" as Python's comparison (True), so write Ne(a, b)
        return f"Ne({r.lhs}, {r.rhs})"
    return f"{r.lhs} {r.rel_op} {r.rhs}"


def _probability_text(v) -> str:
    """Exact values as sympy prints them ("2/3"); floats (an isolated equilibrium of a float game) as Python does."""
    if isinstance(v, sp.Float) or isinstance(v, float):
        return repr(float(v))
    return str(v)


def _profile_record(game: Game, xs) -> dict[str, dict[str, str]]:
    return {
        p: {s: _probability_text(v) for s, v in zip(names, x)}
        for p, names, x in zip(game.players, game.strategies, xs)
    }


# --- the enumeration ------------------------------------------------------------------------------


def equilibrium_components(
    game: Game, max_supports: int = MAX_SUPPORTS, time_limit: float | None = None
) -> ComponentSet:
    """Every component of the set of Nash equilibria of one game, exactly.

    Parameters
    ----------
    game : Game
        One parameter point; payoffs read exactly (each float as the decimal it prints as).
    max_supports : int
        Refuse to enumerate more support profiles than this (the set is then not complete).
    time_limit : float, optional
        Seconds; when they run out the components found so far are returned, not complete,
        with :attr:`ComponentSet.budget` saying so.  ``None``: no limit.

    Returns
    -------
    ComponentSet

    Examples
    --------
    >>> import numpy as np
    >>> from tripartite.game import Game
    >>> pennies = Game.from_array(np.array([[[1, -1], [-1, 1]], [[-1, 1], [1, -1]]]))
    >>> comps = equilibrium_components(pennies)
    >>> len(comps), comps[0].dimension, comps[0].point, comps.complete
    (1, 0, ((1/2, 1/2), (1/2, 1/2)), True)
    """
    if game.batch_size != 1:
        raise TripartiteError(f"components of one game, not a batch of {game.batch_size}; use game.point(b)")
    if game.state_dependent if hasattr(game, "state_dependent") else False:  # pragma: no cover
        raise TripartiteError("components are computed for games whose payoffs do not depend on the state")
    shape = game.shape
    n_supports = math.prod(2**m - 1 for m in shape)
    if n_supports > max_supports:
        budget = (
            f"budget exhausted ({n_supports} support profiles, more than the limit of {max_supports}; "
            f"raise it with equilibrium_components(game, max_supports={n_supports}))"
        )
        return ComponentSet((), False, (f"components not enumerated: {budget}",), budget)
    u = exact_payoff_array(game)
    scale = _payoff_scale(game)
    out: list[Component] = []
    notes: list[str] = []
    subsets = [[S for k in range(1, m + 1) for S in itertools.combinations(range(m), k)] for m in shape]
    supports = sorted(itertools.product(*subsets), key=lambda s: (sum(map(len, s)), s))
    deadline = math.inf if time_limit is None else time.monotonic() + time_limit
    done = 0
    try:
        with _alarm(deadline):  # interrupts sympy in the main thread; the loop checks the clock anywhere
            for supp in supports:
                if time.monotonic() > deadline:
                    raise _Timeout
                try:
                    out.extend(_support_components(u, shape, supp, scale))
                except _Undecided as why:
                    notes.append(f"support {supp}: {why}")
                done += 1
    except _Timeout:
        budget = (
            f"budget exhausted (the time limit of {time_limit:g} s ran out after {done} of {n_supports} "
            "support profiles; raise it with equilibrium_components(game, time_limit=...))"
        )
        notes.append(f"components not complete: {budget}")
        return ComponentSet(_join_connected(out), False, tuple(notes), budget)
    return ComponentSet(_join_connected(out), not notes, tuple(notes))


def in_closure(component: Component, profile) -> bool:
    """Whether an exact profile lies in the closure of ``component`` (its strict inequalities relaxed)."""
    for i, x in enumerate(profile):
        if any(_sign(v) != 0 for s, v in enumerate(x) if s not in component.support[i]):
            return False
    subs = {sp.Symbol(n, real=True): profile[i][s] for n, (i, s) in component.symbols.items()}
    values = [e.xreplace(subs) for e in component.equalities]
    values += [(r.lhs - r.rhs).xreplace(subs) for r in component.inequalities]
    if any(sp.sympify(v).has(sp.zoo, sp.nan, sp.oo, -sp.oo) for v in values):
        return False  # a formula of the component divides by 0 there: not shown to be in its closure
    for e in values[: len(component.equalities)]:
        if _sign(e) != 0:
            return False
    for r, value in zip(component.inequalities, values[len(component.equalities) :]):
        v = _sign(value)
        if (r.rel_op in (">", ">=") and v < 0) or (r.rel_op in ("<", "<=") and v > 0):
            return False
    return True


def _join_connected(components: list[Component]) -> tuple[Component, ...]:
    """Number the connected sets: two components proved connected whose closures are shown to meet are one set.

    If ``A`` and ``B`` are connected and a point ``p`` of ``B`` lies in the closure of ``A``, then
    ``A + {p}`` is connected (it lies between ``A`` and its closure), hence so is ``A + B``.
    """
    parent = list(range(len(components)))

    def root(k: int) -> int:
        while parent[k] != k:
            parent[k] = parent[parent[k]]
            k = parent[k]
        return k

    for a, A in enumerate(components):
        for b, B in enumerate(components):
            if a == b or root(a) == root(b) or not (A.proved_connected and B.proved_connected):
                continue
            if not all(set(sb) <= set(sa) for sa, sb in zip(A.support, B.support)):
                continue
            if any(in_closure(A, p) for p in (B.point, *(B.vertices or ()))):
                parent[root(b)] = root(a)
    labels: dict[int, int] = {}
    out = []
    for k, c in enumerate(components):
        label = labels.setdefault(root(k), len(labels))
        out.append(dataclasses.replace(c, connected=label, _functions=None))
    return tuple(out)


def _support_components(u, shape, supp, scale) -> list[Component]:
    N = len(shape)
    names: dict[str, tuple[int, int]] = {}
    x: list[list[sp.Expr]] = []
    for i, m in enumerate(shape):
        row = [sp.Integer(0)] * m
        if len(supp[i]) == 1:
            row[supp[i][0]] = sp.Integer(1)
        else:
            for s in supp[i]:
                name = f"x{i + 1}_{s + 1}"
                names[name] = (i, s)
                row[s] = sp.Symbol(name, real=True)
        x.append(row)
    unknowns = [sp.Symbol(n, real=True) for n in names]

    def payoff(i: int, s: int) -> sp.Expr:
        """u_i(s, x_-i) over the others' supports."""
        total = sp.Integer(0)
        others = [supp[j] if j != i else (s,) for j in range(N)]
        for prof in itertools.product(*others):
            w = sp.Integer(1)
            for j in range(N):
                if j != i:
                    w *= x[j][prof[j]]
            total += u[(i, *prof)] * w
        return sp.expand(total)

    equalities, weak, strict = [], [], []
    for i in range(N):
        s0 = supp[i][0]
        base = payoff(i, s0)
        for s in supp[i][1:]:
            equalities.append(sp.expand(payoff(i, s) - base))
        if len(supp[i]) > 1:
            equalities.append(sum(x[i][s] for s in supp[i]) - 1)
            strict.extend(x[i][s] for s in supp[i])
        for t in range(shape[i]):
            if t not in supp[i]:
                weak.append(sp.expand(payoff(i, t) - base))  # <= 0
    weak = [_without_positive_factors(w, unknowns) for w in weak]
    if any(w.is_number and w > 0 for w in weak):
        return []  # a better reply everywhere on the support's profiles
    weak = [w for w in weak if not w.is_number]  # a constant <= 0 holds everywhere
    out = []
    for subst, nonzero in _solve(equalities, unknowns, {}, []):
        out.extend(_pieces(supp, shape, names, unknowns, subst, nonzero, equalities, weak, strict, scale))
    return out


def _without_positive_factors(w: sp.Expr, unknowns) -> sp.Expr:
    """``w`` with the factors dropped that are positive wherever every probability of the support is.

    On the profiles of a support every unknown is positive, so a factor with only positive
    coefficients (a monomial, or ``x1_1 + 2 x1_2``) is positive there (negative coefficients:
    negative), and
    ``w <= 0`` holds exactly where the rest does: ``x1_2 (x2_1 - x2_2) <= 0`` is
    ``x2_1 - x2_2 <= 0``.  The set is unchanged; a curved-looking condition often becomes linear
    (then the set is a polytope, hence connected).
    """
    if w.is_number or not (w.free_symbols & set(unknowns)):
        return w
    coefficient, factors = sp.factor_list(w, *unknowns)
    kept = sp.sympify(coefficient)
    for g, power in factors:
        coefficients = sp.Poly(g, *unknowns).coeffs()
        if all(c > 0 for c in coefficients):
            continue  # positive on the support's profiles, and so is its power
        if all(c < 0 for c in coefficients):
            kept *= (-1) ** power  # negative there
            continue
        kept *= g**power
    return sp.expand(kept)


def _substitute(expr: sp.Expr, subst: dict) -> sp.Expr:
    expr = sp.sympify(expr).xreplace(subst) if subst else sp.sympify(expr)
    if all(not (p.exp.is_negative) for p in expr.atoms(sp.Pow)):
        return sp.expand(expr)  # a polynomial: no fraction to cancel
    return sp.cancel(expr)


def _solve(eqs, unknowns, subst, nonzero):
    """Branches ``(subst, nonzero)`` covering the real solutions of ``eqs = 0`` (see the module docstring)."""
    pending = []
    for e in eqs:
        num = _substitute(e, subst)
        num = sp.expand(sp.numer(sp.together(num))) if not num.is_polynomial() else num
        if num == 0:
            continue
        if num.is_number:
            return []
        pending.append(num)
    for a in nonzero:  # the branch holds only where these are not 0
        if _substitute(a, subst) == 0:
            return []
    if any(val.has(sp.zoo, sp.nan, sp.oo, -sp.oo) for val in subst.values()):
        return []
    if not pending:
        return [(subst, nonzero)]
    best = None
    for k, e in enumerate(pending):
        terms = sp.Add.make_args(e)
        powers = [t.as_powers_dict() for t in terms]
        for v in sorted(e.free_symbols & set(unknowns), key=str):
            if max(p.get(v, 0) for p in powers) != 1:
                continue
            A = sp.Add(*(t.xreplace({v: 1}) for t, p in zip(terms, powers) if p.get(v, 0) == 1))
            B = sp.Add(*(t for t, p in zip(terms, powers) if p.get(v, 0) == 0))
            score = (0 if A.is_number else 1, len(A.free_symbols), len(sp.Add.make_args(A)))
            if best is None or score < best[0]:
                best = (score, k, v, A, B)
    if best is not None:
        _, k, v, A, B = best
        rest = pending[:k] + pending[k + 1 :]
        value = sp.expand(-B / A) if A.is_number else sp.cancel(-B / A)
        branches = []
        merged = {key: _substitute(val, {v: value}) for key, val in subst.items()}
        merged[v] = value
        branches += _solve(rest, unknowns, merged, nonzero + ([] if A.is_number else [A]))
        if not A.is_number:
            branches += _solve(rest + [A, B], unknowns, subst, nonzero)
        return branches
    for k, e in enumerate(pending):
        free = e.free_symbols & set(unknowns)
        if len(free) == 1:
            v = next(iter(free))
            rest = pending[:k] + pending[k + 1 :]
            branches = []
            for root in sp.Poly(e, v).real_roots():
                merged = {key: _substitute(val, {v: root}) for key, val in subst.items()}
                merged[v] = root
                branches += _solve(rest, unknowns, merged, nonzero)
            return branches
    raise _Undecided("the indifference equations are not linear in any unknown (not decided)")


def _sign(value: sp.Expr) -> int:
    """The exact sign of a real algebraic number."""
    value = sp.sympify(value)
    if value.is_Rational:
        return int(sp.sign(value))
    value = sp.nsimplify(value, rational=True) if value.is_Float else value
    for attempt in (value, sp.radsimp(sp.simplify(value))):
        if attempt.is_zero:
            return 0
        if attempt.is_positive:
            return 1
        if attempt.is_negative:
            return -1
    numeric = sp.N(value, 60)
    if abs(numeric) > sp.Float("1e-45"):
        return 1 if numeric > 0 else -1
    if value.equals(0):
        return 0
    raise _Undecided(f"the sign of {value} was not decided")


def _holds(strict_v, weak_v, nonzero_v) -> bool:
    values = [sp.sympify(v) for v in [*strict_v, *weak_v, *nonzero_v]]
    if any(v.has(sp.zoo, sp.nan, sp.oo, -sp.oo) for v in values):
        return False  # a point where the branch's formulas divide by 0: not on this branch
    if any(_sign(v) == 0 for v in nonzero_v):
        return False
    return (
        all(_sign(v) > 0 for v in strict_v)
        and all(_sign(v) <= 0 for v in weak_v)
        and all(_sign(v) != 0 for v in nonzero_v)
    )


def _profile(shape, supp, names, values: dict) -> tuple[tuple[sp.Expr, ...], ...]:
    out = []
    for i, m in enumerate(shape):
        row = [sp.Integer(0)] * m
        if len(supp[i]) == 1:
            row[supp[i][0]] = sp.Integer(1)
        out.append(row)
    for name, (i, s) in names.items():
        out[i][s] = (
            sp.nsimplify(values[name], rational=True) if isinstance(values[name], sp.Float) else values[name]
        )
    return tuple(tuple(r) for r in out)


def _pieces(supp, shape, names, unknowns, subst, nonzero, equalities, weak, strict, scale):
    free = [v for v in unknowns if v not in subst]
    value = {v: subst.get(v, v) for v in unknowns}
    strict_e = [_substitute(s, subst) for s in strict]
    weak_e = [_substitute(w, subst) for w in weak]
    nonzero_e = [_substitute(a, subst) for a in nonzero]
    eqs_text = [sp.expand(v - value[v]) for v in unknowns if v in subst]
    base = dict(support=supp, symbols=names, shape=shape, scale=scale)

    def component(dimension, equal, inequal, vertices, point, polytope, note=""):
        # equalities on the original unknowns; the sum-to-one equations kept as written
        sums = [e for e in equalities if _is_sum(e)]
        equal = sums + [e for e in equal if not any(sp.expand(e - s) == 0 for s in sums)]
        return Component(
            dimension=dimension, equalities=tuple(equal), inequalities=tuple(inequal),
            vertices=vertices, point=point, polytope=polytope, note=note, **base,
        )  # fmt: skip

    if not free:
        if not _holds(strict_e, weak_e, nonzero_e):
            return []
        point = _profile(shape, supp, names, {str(v): value[v] for v in unknowns})
        return [component(0, _point_equalities(unknowns, value), [], (point,), point, True)]
    if len(free) == 1:
        return _one_free(free[0], unknowns, value, strict_e, weak_e, nonzero_e, supp, shape, names, component,
                         strict, weak, eqs_text)  # fmt: skip
    linear = not nonzero_e and all(_is_linear(e, free) for e in [*strict_e, *weak_e, *value.values()])
    if linear:
        return _polytope(free, unknowns, value, strict_e, weak_e, supp, shape, names, component, strict, weak,
                         eqs_text)  # fmt: skip
    return _sampled(free, unknowns, value, strict_e, weak_e, nonzero_e, supp, shape, names, component, strict,
                    weak, eqs_text, subst, nonzero, equalities, scale)  # fmt: skip


def _is_sum(e: sp.Expr) -> bool:
    terms = sp.Add.make_args(sp.expand(e))
    return -1 in terms and all(t == -1 or t.is_Symbol for t in terms)


def _point_equalities(unknowns, value):
    return [v - value[v] for v in unknowns]


def _is_linear(e: sp.Expr, free) -> bool:
    e = sp.sympify(e)
    if not e.is_polynomial(*free):
        return False
    return sp.Poly(e, *free).total_degree() <= 1 if e.free_symbols else True


def _inequalities(strict, weak):
    """The defining inequalities on the original unknowns: probabilities positive, no better reply."""
    rels = [sp.StrictGreaterThan(s, 0) for s in strict] + [sp.GreaterThan(-w, 0) for w in weak]
    return [r for r in rels if r is not sp.true]  # a constant that holds says nothing


def _one_free(t, unknowns, value, strict_e, weak_e, nonzero_e, supp, shape, names, component, strict, weak,
              eqs_text):  # fmt: skip
    functions = [*strict_e, *weak_e, *nonzero_e]
    roots = set()
    for f in functions:
        num, den = sp.fraction(sp.together(f))
        for part in (num, den):
            part = sp.expand(part)
            if part.has(t) and not part.is_number:
                try:
                    roots.update(sp.Poly(part, t).real_roots())
                except (NotImplementedError, sp.PolynomialError) as why:  # e.g. coefficients over EX
                    raise _Undecided(
                        f"the real roots of {part} in {t} are not isolated exactly ({why})"
                    ) from why
    roots = sorted(roots, key=lambda r: float(sp.N(r, 30)))
    if roots:
        tests = [roots[0] - 1]
        for a, b in zip(roots, roots[1:]):
            tests += [a, _between(a, b)]
        tests += [roots[-1], roots[-1] + 1]
    else:
        tests = [sp.Rational(1, 2)]

    def feasible(point) -> bool:
        return _holds(
            [f.xreplace({t: point}) for f in strict_e],
            [f.xreplace({t: point}) for f in weak_e],
            [f.xreplace({t: point}) for f in nonzero_e],
        )

    flags = [feasible(p) for p in tests]
    runs = []  # maximal runs of feasible test points: the connected pieces
    k = 0
    while k < len(tests):
        if not flags[k]:
            k += 1
            continue
        j = k
        while j + 1 < len(tests) and flags[j + 1]:
            j += 1
        runs.append((k, j))
        k = j + 1
    linear = all(_is_linear(v, [t]) for v in value.values())
    out = []
    for k, j in runs:
        run = tests[k : j + 1]
        is_root = [p in roots for p in run]
        if len(run) == 1 and is_root[0]:  # an isolated point
            at = {v: sp.nsimplify(value[v].xreplace({t: run[0]}), rational=True) for v in unknowns}
            point = _profile(shape, supp, names, {str(v): at[v] for v in unknowns})
            out.append(component(0, _point_equalities(unknowns, at), [], (point,), point, True))
            continue
        lo_closed, hi_closed = is_root[0], is_root[-1]
        lo = run[0] if lo_closed else (tests[k - 1] if k > 0 else None)
        hi = run[-1] if hi_closed else (tests[j + 1] if j + 1 < len(tests) else None)
        bounds = []  # needed only where the inequalities leave several pieces
        if len(runs) > 1 and lo is not None:
            bounds.append(sp.GreaterThan(t, lo) if lo_closed else sp.StrictGreaterThan(t, lo))
        if len(runs) > 1 and hi is not None:
            bounds.append(sp.LessThan(t, hi) if hi_closed else sp.StrictLessThan(t, hi))
        inside = [p for p, r in zip(run, is_root) if not r]
        point = _profile(shape, supp, names, {str(v): value[v].xreplace({t: inside[0]}) for v in unknowns})
        vertices = None
        if linear and lo is not None and hi is not None:
            vertices = tuple(
                sorted(
                    (_profile(shape, supp, names, {str(v): value[v].xreplace({t: e}) for v in unknowns})
                     for e in (lo, hi)),
                    key=lambda pr: [float(x) for row in pr for x in row],
                )
            )  # fmt: skip
        note = "" if linear else "a curve of equilibria (not a polytope)"
        out.append(
            component(1, eqs_text, _inequalities(strict, weak) + bounds, vertices, point, linear, note)
        )
    return out


def _between(a, b):
    """A rational strictly between two real algebraic numbers."""
    fa, fb = sp.N(a, 30), sp.N(b, 30)
    mid = sp.nsimplify((fa + fb) / 2, rational=True, tolerance=float(fb - fa) / 10)
    return mid if a < mid < b else (a + b) / 2


def _dedupe(rels):
    out, seen = [], set()
    for r in rels:
        key = str(r)
        if key not in seen and r is not sp.true:
            seen.add(key)
            out.append(r)
    return out


def _polytope(free, unknowns, value, strict_e, weak_e, supp, shape, names, component, strict, weak, eqs_text):
    d = len(free)
    rows = [(sp.expand(f), "strict") for f in strict_e] + [(sp.expand(-f), "weak") for f in weak_e]
    # a constant row decides alone: a probability of the support fixed at 0 (strict row 0), or a
    # better reply by a constant margin, leaves no equilibrium with this support
    if any(f.is_number and (f < 0 or (f == 0 and kind == "strict")) for f, kind in rows):
        return []
    rows = [(f, kind) for f, kind in rows if not f.is_number]  # each >= 0 on the closure
    coeff = [([f.coeff(v) for v in free], f.xreplace({v: 0 for v in free})) for f, _ in rows]
    vertices = []
    for combo in itertools.combinations(range(len(rows)), d):
        A = sp.Matrix([coeff[k][0] for k in combo])
        if A.rank() < d:
            continue
        b = sp.Matrix([-coeff[k][1] for k in combo])
        sol = list(A.LUsolve(b))
        at = dict(zip(free, sol))
        if all(sp.expand(f.xreplace(at)) >= 0 for f, _ in rows):
            if at not in vertices:
                vertices.append(at)
    if not vertices:
        return []
    centre = {v: sum(p[v] for p in vertices) / len(vertices) for v in free}
    if not all(sp.expand(f.xreplace(centre)) > 0 for f, kind in rows if kind == "strict"):
        return []  # the closure lies where some probability is 0: no equilibrium has this support
    base = vertices[0]
    dimension = (
        sp.Matrix([[p[v] - base[v] for v in free] for p in vertices]).rank() if len(vertices) > 1 else 0
    )
    point = _profile(shape, supp, names, {str(v): value[v].xreplace(centre) for v in unknowns})
    profiles = tuple(
        _profile(shape, supp, names, {str(v): value[v].xreplace(p) for v in unknowns}) for p in vertices
    )
    profiles = tuple(sorted(set(profiles), key=lambda pr: [float(x) for row in pr for x in row]))
    return [component(int(dimension), eqs_text, _inequalities(strict, weak), profiles, point, True)]


def _sampled(free, unknowns, value, strict_e, weak_e, nonzero_e, supp, shape, names, component, strict, weak,
             eqs_text, subst, nonzero, equalities, scale):  # fmt: skip
    """A nonlinear family of dimension two or more: nonempty and of full dimension, shown by an interior point.

    The point is sought among sampled rational points, then checked exactly.  Where none is found
    the support is left undecided: a thin region could hold equilibria the samples missed, and
    looking only on the boundaries of the inequalities would not show that it holds none.
    """
    # a constant row decides alone (a probability fixed at 0 or below, a better reply by a constant margin)
    fails = [f.is_number and _sign(f) <= 0 for f in strict_e] + [f.is_number and _sign(f) > 0 for f in weak_e]
    if any(fails) or any(f.is_number and _sign(f) == 0 for f in nonzero_e):
        return []
    strict_e = [f for f in strict_e if not f.is_number]
    weak_e = [f for f in weak_e if not f.is_number]  # a tie everywhere on the family (w = 0) holds
    nonzero_e = [f for f in nonzero_e if not f.is_number]
    rng = np.random.default_rng(0)
    points = rng.random((_SAMPLES, len(free)))
    fs = [sp.lambdify(free, f, "numpy") for f in [*strict_e, *weak_e, *nonzero_e]]
    with np.errstate(all="ignore"):
        vals = [np.broadcast_to(np.asarray(f(*points.T), dtype=float), (_SAMPLES,)) for f in fs]
    ns, nw = len(strict_e), len(weak_e)
    ok = np.ones(_SAMPLES, dtype=bool)
    for k, v in enumerate(vals):
        if k < ns:
            ok &= v > 1e-9
        elif k < ns + nw:
            ok &= v < -1e-9 * scale
        else:
            ok &= np.abs(v) > 1e-9
    for row in np.flatnonzero(ok)[:20]:
        at = {v: sp.Rational(round(float(points[row, q]) * 2**20), 2**20) for q, v in enumerate(free)}
        if _holds(
            [f.xreplace(at) for f in strict_e],
            [f.xreplace(at) for f in weak_e],
            [f.xreplace(at) for f in nonzero_e],
        ):
            point = _profile(shape, supp, names, {str(v): value[v].xreplace(at) for v in unknowns})
            inequal = _inequalities(strict, weak) + [sp.Ne(a, 0) for a in nonzero]
            connected = _connected_plane(free, value, strict_e, weak_e, nonzero_e)
            note = (
                f"a curved set of equilibria of dimension {len(free)} (not a polytope), exactly the set its "
                "constraints define; "
                + ("connected (its sections are intervals over an interval)" if connected
                   else "its connectedness is not established")
            )  # fmt: skip
            return [
                dataclasses.replace(
                    component(len(free), eqs_text, inequal, None, point, False, note),
                    proved_connected=connected,
                )
            ]
    raise _Undecided(
        f"a curved {len(free)}-parameter family: no interior point among {_SAMPLES} samples, and no proof "
        "that it holds no equilibrium; not decided"
    )


def _connected_plane(free, value, strict_e, weak_e, nonzero_e) -> bool:
    """Whether a curved two-parameter family is shown connected: its sections are intervals over an interval.

    With free unknowns ``(s, t)``: the strict inequalities bound each alone (an open box
    ``I x J``), every weak one reads ``c(s) t + d(s) <= 0`` with ``c`` and ``d`` affine in
    ``s`` and ``c`` of one sign on the open ``I`` for all of them (all upper bounds on ``t``,
    or all lower), or does not involve ``t`` (then affine in ``s``), and the profiles are
    polynomials in ``(s, t)`` with no excluded points.  Then for ``s`` in ``I`` the section
    is an interval of ``J`` ending at ``min(sup J, -d/c)`` (upper bounds), nonempty exactly on
    an interval ``P`` of ``s`` (each condition ``d + c inf J < 0`` is affine in ``s``); the
    midpoint of the section is continuous on ``P``, so its graph is connected and joins every
    point of the set by a segment of its section: the set is path-connected, and so is its
    image.  Both orders of ``(s, t)`` are tried; ``False`` means not shown (it may be connected).
    """
    if len(free) != 2 or nonzero_e or not all(sp.sympify(v).is_polynomial(*free) for v in value.values()):
        return False
    for s, t in (free, free[::-1]):
        bounds = {s: [sp.Integer(0), sp.Integer(1)], t: [sp.Integer(0), sp.Integer(1)]}
        box = True
        for f in strict_e:  # f > 0, affine in one unknown: a bound on it
            variables = f.free_symbols & set(free)
            if len(variables) != 1 or not _is_linear(f, free):
                box = False
                break
            (v,) = variables
            a, b = sp.Poly(f, v).all_coeffs()
            root = -b / a
            if a > 0:
                bounds[v][0] = max(bounds[v][0], root)
            else:
                bounds[v][1] = min(bounds[v][1], root)
        if not box:
            continue
        (lo_s, hi_s), lo_t = bounds[s], bounds[t][0]
        if not lo_s < hi_s:
            continue
        signs = set()
        conditions = []  # each affine in s, < 0 (or <= 0) where the section is nonempty
        for w in weak_e:
            poly = sp.Poly(w, t)
            if poly.degree() > 1:
                break
            c, d = poly.all_coeffs() if poly.degree() == 1 else [sp.Integer(0), w]
            if not (_is_linear(c, [s]) and _is_linear(d, [s])):
                break
            if c == 0:
                conditions.append(d)
                continue
            ends = [sp.sympify(c).xreplace({s: e}) for e in (lo_s, hi_s)]
            if all(e >= 0 for e in ends) and any(e > 0 for e in ends):
                signs.add(1)  # c > 0 on the open interval: t <= -d/c
            elif all(e <= 0 for e in ends) and any(e < 0 for e in ends):
                signs.add(-1)
            else:
                break
            conditions.append(d + c * (lo_t if c.xreplace({s: (lo_s + hi_s) / 2}) > 0 else bounds[t][1]))
        else:
            if len(signs) <= 1 and all(_is_linear(e, [s]) for e in conditions):
                return True
    return False


# --- joining an EquilibriumSet ---------------------------------------------------------------------

#: Games up to this many support profiles get their components when degenerate (inside ``time_limit``).
AUTOMATIC_SUPPORTS = 512


def components_note(comps: ComponentSet) -> str:
    """The note of a degenerate game whose components are all listed.

    Examples
    --------
    >>> import numpy as np
    >>> from tripartite.game import Game
    >>> print(components_note(equilibrium_components(Game.from_array(np.zeros((2, 2, 2))))))
    degenerate game: every equilibrium lies in one of the 9 components listed (4 points, 4 of dimension 1, 1 of dimension 2), which form 1 connected set; each has one point among the equilibria
    """
    dims: dict[int, int] = {}
    for c in comps:
        dims[c.dimension] = dims.get(c.dimension, 0) + 1
    parts = [
        (f"{n} point{'s' if n > 1 else ''}" if d == 0 else f"{n} of dimension {d}")
        for d, n in sorted(dims.items())
    ]
    sets = len({c.connected for c in comps})
    unproved = sum(not c.proved_connected for c in comps)
    if unproved:
        joined = (
            f"; {unproved} of them {'is a curved set' if unproved == 1 else 'are curved sets'} of equilibria "
            "whose connectedness is not established, so the connected sets they form are not counted"
        )
    else:
        joined = f", which form {sets} connected set{'s' if sets > 1 else ''}"
    return (
        f"degenerate game: every equilibrium lies in one of the {len(comps)} components listed "
        f"({', '.join(parts)}){joined}; each has one point among the equilibria"
    )


def isolated_components(eqs) -> ComponentSet:
    """The components of a nondegenerate, complete set: each equilibrium is an isolated point.

    The constraints give each probability its value (exact where the set is exact).
    """
    game = eqs.game
    shape = game.shape
    scale = _payoff_scale(game)
    out = []
    for e in eqs.equilibria:
        values = (
            e.exact
            if e.exact is not None
            else tuple(tuple(sp.Float(float(v), 17) for v in x) for x in e.strategies)
        )
        names = {
            f"x{i + 1}_{s + 1}": (i, s) for i, supp in enumerate(e.support) if len(supp) > 1 for s in supp
        }
        equal = [sp.Symbol(n, real=True) - values[i][s] for n, (i, s) in names.items()]
        point = tuple(tuple(sp.sympify(v) for v in x) for x in values)
        out.append(
            Component(tuple(e.support), 0, names, tuple(equal), (), (point,), point, True, shape, scale)
        )
    return ComponentSet(tuple(out), True)


class _Deferred(ComponentSet):
    """A :class:`ComponentSet` built on first access (the isolated components of a nondegenerate set)."""

    def __init__(self, eqs) -> None:
        object.__setattr__(self, "_eqs", eqs)

    def _built(self) -> ComponentSet:
        if "_set" not in self.__dict__:
            object.__setattr__(self, "_set", isolated_components(self._eqs))
        return self.__dict__["_set"]

    @property
    def components(self) -> tuple[Component, ...]:  # type: ignore[override]
        return self._built().components

    @property
    def complete(self) -> bool:  # type: ignore[override]
        return self._built().complete

    @property
    def notes(self) -> tuple[str, ...]:  # type: ignore[override]
        return self._built().notes


def _payoff_scale(game: Game) -> float:
    """The game's payoff scale (:attr:`Game.payoff_scale`), the unit of the payoff constraints' slack."""
    return float(game.payoff_scale[0])


def _on_probabilities(expr: sp.Expr) -> bool:
    """Whether a constraint speaks of probabilities alone: a sum of unknowns minus a number (``x1_1 + x1_2 - 1``)."""
    try:
        poly = sp.Poly(expr, *sorted(expr.free_symbols, key=str))
    except sp.PolynomialError:
        return False
    if poly.total_degree() != 1:
        return False
    terms = dict(poly.terms())
    terms.pop((0,) * len(poly.gens), None)  # the constant
    return all(c == 1 for c in terms.values())


_RECENT: dict = {}  # payoffs -> ComponentSet, the last few games


def _short_decimals(game: Game) -> bool:
    """Whether every payoff, read exactly (:func:`exact_payoff_array`), has a denominator of at most 10^6."""
    if game.exact_payoffs is not None:
        values = np.asarray(game.exact_payoffs, dtype=object).ravel()
        if any(isinstance(v, sp.Basic) and not v.is_Rational for v in values):
            return False
    return all(v.q <= 10**6 for v in exact_payoff_array(game).ravel())


def with_components(eqs, time_limit: float = 10.0):
    """``eqs`` with its components; a degenerate game's set becomes complete when every one is listed.

    For a complete, nondegenerate set each equilibrium is its own component.
    Otherwise the components are enumerated exactly
    (:func:`equilibrium_components`, for up to :data:`AUTOMATIC_SUPPORTS`
    support profiles, payoffs that are short decimals (denominators up to
    10^6) and within ``time_limit`` seconds); each equilibrium
    listed is then assigned its component, a component no listed equilibrium
    lies in gets one of its points added, and the set is labelled complete
    when every support was decided.  Otherwise the set is returned not
    complete, with a note saying why (for a budget: ``components not
    complete: budget exhausted (...)``, naming the limit and how to raise it).

    Examples
    --------
    >>> import numpy as np
    >>> from tripartite.game import Game
    >>> from tripartite.equilibria import all_equilibria
    >>> eqs = all_equilibria(Game.from_array(np.array([[[1, 0], [1, 2]], [[1, 0], [0, 1]]])))
    >>> eqs.complete, [c.dimension for c in eqs.components]
    (True, [0, 0, 1])
    """
    from ..game import expected_payoffs, regret
    from .result import Equilibrium, sort_key

    game = eqs.game
    if not isinstance(game.payoffs, np.ndarray):
        return eqs  # payoffs that depend on the state: not a normal-form game
    if (
        eqs.complete and not eqs.degenerate
    ):  # each equilibrium alone (built when first read: sweeps pay nothing)
        listed = tuple(dataclasses.replace(e, component=k) for k, e in enumerate(eqs.equilibria))
        return dataclasses.replace(eqs, equilibria=listed, components=_Deferred(eqs))
    n_supports = math.prod(2**m - 1 for m in game.shape)
    if not _short_decimals(game):
        return dataclasses.replace(
            eqs,
            notes=(
                *eqs.notes,
                "components not enumerated: the payoffs are not short decimals (exact arithmetic on them "
                "would be slow; call equilibrium_components to insist)",
            ),
        )
    if n_supports > AUTOMATIC_SUPPORTS:
        return dataclasses.replace(
            eqs,
            complete=False,
            notes=(
                *eqs.notes,
                f"components not complete: budget exhausted ({n_supports} support profiles, more than the "
                f"automatic limit of {AUTOMATIC_SUPPORTS}; enumerate them with "
                "tripartite.equilibrium_components(game), optionally with max_supports=... and time_limit=...)",
            ),
        )
    exact = (
        None if game.exact_payoffs is None else repr(np.asarray(game.exact_payoffs, dtype=object).tolist())
    )
    key = (game.shape, np.asarray(game.payoffs, dtype=float).tobytes(), exact)
    comps = _RECENT.get(key)
    if comps is None:
        comps = equilibrium_components(game, time_limit=time_limit)
        if comps.budget:
            return dataclasses.replace(
                eqs,
                complete=False,
                notes=(
                    *eqs.notes,
                    f"components not complete: budget exhausted (the time limit of {time_limit:g} s for the "
                    f"components ran out; solve's --time-limit lowers it, and "
                    "tripartite.equilibrium_components(game, time_limit=...) gives them with any limit)",
                ),
            )
        _RECENT[key] = comps
        while len(_RECENT) > 32:  # the float and the exact run of one game share the work
            _RECENT.pop(next(iter(_RECENT)))
    tol = max(eqs.tolerance, 1e-9)
    u = game.payoffs

    def point_of(k: int, c: Component):
        xs = [np.array([float(v) for v in row]) for row in c.point]
        return Equilibrium(
            strategies=tuple(xs),
            support=c.support,
            payoffs=expected_payoffs(u, xs)[0],
            regret=0.0 if eqs.exact else max(float(regret(u, xs)[0]), 0.0),
            exact=c.point,
            quasi_strict=None,
            regular=None if c.dimension == 0 else False,
            note=f"an exact point of a component of dimension {c.dimension}, listed because no solver point "
            "fell into it",
            component=k,
        )

    listed = []
    stray = 0
    for e in eqs.equilibria:
        k = comps.find(e.strategies, max(1e-6, 1e3 * tol))
        stray += k is None
        if k is not None and eqs.exact and e.exact is None:
            listed.append(point_of(k, comps[k]))  # exact arithmetic: the exact point of its component
        else:
            listed.append(dataclasses.replace(e, component=k))
    covered = {e.component for e in listed}
    for k, c in enumerate(comps.components):
        if k not in covered:
            listed.append(point_of(k, c))
    listed.sort(key=sort_key)
    complete = comps.complete and not stray
    if complete:  # the components supersede the enumeration's notes on ties and continua
        notes = [components_note(comps)]
    else:
        notes = list(eqs.notes) + list(comps.notes)
        if stray:
            notes.append(
                f"{stray} listed equilibria lie in no component found: the components are not complete"
            )
    return dataclasses.replace(
        eqs, equilibria=tuple(listed), components=comps, complete=complete, notes=tuple(notes)
    )
