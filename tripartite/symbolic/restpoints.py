"""Rest points beyond the vertices, for games with two strategies per player.

On a face where the players in ``F`` mix and the others play pure
strategies, the rest points solve :math:`D_i = 0` for :math:`i \\in F`
(:math:`D_i` the payoff difference of :mod:`~tripartite.symbolic.equations`).
Because :math:`D_i` does not depend on :math:`x_i`, the Jacobian there is
block triangular: the players outside ``F`` contribute the transverse
eigenvalues :math:`(1 - 2x_k) D_k`, and the block of ``F`` has a zero
diagonal, hence trace zero.  So an edge (``|F| = 1``) holds rest points only
as a whole continuum (where :math:`D_i \\equiv 0`); on a 2-dimensional face
the block's eigenvalues are :math:`\\pm\\sqrt{J_{ij} J_{ji}}` (a saddle, or a
centre within the face: non-hyperbolic); and an interior rest point of a
:math:`2\\times 2\\times 2` game is never asymptotically stable (its
eigenvalues sum to zero).  The systems are solved by eliminating one
variable at a time (each :math:`D_i` is multilinear), exactly.

**Payoffs that depend on the state** (a model with a ``[state]`` table)
break all of this: :math:`D_i` may depend on :math:`x_i`, the diagonal of
the Jacobian need not vanish, and an interior rest point can be
asymptotically stable (a stable focus under a penalty :math:`F (1 - x)`).
For such a model the rest points are found at a parameter point only: on
each face the system :math:`D_i = 0` (numerators, with the shares of the
pure players fixed) is reduced to a lexicographic Groebner basis; a
zero-dimensional system is solved completely (``sympy.solve_poly_system``,
real solutions strictly inside the face kept), a basis ``[1]`` has no
solution, and anything else (a continuum, or equations that are not
polynomial in the shares) is listed as one unclassified entry whose note
says why, so the list is labelled incomplete rather than silently short.
Each point found is classified from the eigenvalues of the exact Jacobian
(evaluated to 30 digits) by :func:`tripartite.dynamics.stability.classify`;
its note names the type of point: a stable or unstable node or focus, a
saddle or saddle-focus (a focus: some eigenvalues form a complex pair), or
non-hyperbolic.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import sympy as sp

from ..dynamics.stability import CLASSIFICATIONS, NON_HYPERBOLIC, classify
from ..errors import TripartiteError
from ..game import DEFAULT_TOL
from ..model import Model
from .equations import replicator_equations
from .exact import classify_signs, compact, exact_values, sign_of
from .verdicts import NEVER, UNDECIDED
from .vertices import vertex_analysis

__all__ = ["RestPoint", "rest_points"]

_NON_HYPERBOLIC = CLASSIFICATIONS[NON_HYPERBOLIC]


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
        Verdict over the declared parameter ranges on whether the point can be
        asymptotically stable, one of :data:`~tripartite.symbolic.verdicts.STATUSES`
        (a statement about a condition, not a classification): ``never`` for
        every point that is not a vertex; for a vertex, the verdict of
        :func:`~tripartite.symbolic.vertex_analysis`.
    condition : sympy.Expr or None
        For a continuum: the rest points exist exactly where this is 0.
    note : str
        Classification detail (centre, continuum, trace zero ...).
    classification : str or None
        At a parameter point: one of :data:`tripartite.dynamics.CLASSIFICATIONS`,
        from the signs of the eigenvalues' real parts by
        :func:`tripartite.dynamics.stability.classify` (``None`` without a
        point, or where the equations do not determine isolated rest points).
    numeric_eigenvalues : tuple of complex or None
        At a parameter point: the eigenvalues as numbers.
    model : Model or None
        The model (names the players and typesets the symbols in displays).
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
    model: Model | None = field(default=None, repr=False)

    def _players(self) -> list[str]:
        if self.model is None:
            return [f"player {i + 1}" for i in range(len(self.state))]
        return list(self.model.players)

    def _verdict(self) -> str:
        if self.classification is not None:
            return self.classification
        return "never asymptotically stable" if self.status == NEVER else f"can be stable: {self.status}"

    def _repr_html_(self) -> str:
        from ..display import html_fields, html_table, number
        from ..io.latex import latex_expr, latex_symbols

        symbols = latex_symbols(self.model, replicator_equations(self.model).states) if self.model else {}
        players = self._players()
        first = [self.model.strategies[i][0] for i in range(len(players))] if self.model else None
        rows = [
            [
                player,
                "mixing" if i in self.mixing else "pure",
                (f"share of {first[i]}: " if first else "share of the first strategy: ")
                + f"${latex_expr(sp.sympify(value), symbols)}$",
            ]
            for i, (player, value) in enumerate(zip(players, self.state))
        ]
        table = html_table(["player", "plays", "state"], rows, f"{self.kind} rest point: {self._verdict()}")
        facts = []
        if self.eigenvalues is not None:
            facts.append(["eigenvalues", ", ".join(f"${latex_expr(e, symbols)}$" for e in self.eigenvalues)])
        if self.numeric_eigenvalues is not None:
            facts.append(
                [
                    "eigenvalues (numeric)",
                    ", ".join(_complex_text(v, number) for v in self.numeric_eigenvalues),
                ]
            )
        if self.condition is not None and self.condition != 0:
            facts.append(["exists where", f"${latex_expr(self.condition, symbols)} = 0$"])
        if self.note:
            facts.append(["note", self.note])
        return table + (html_fields(facts) if facts else "")

    def __repr__(self) -> str:
        players = self._players()
        mixing = ", ".join(players[i] for i in self.mixing) or "none"
        state = ", ".join(str(v) for v in self.state)
        return f"<RestPoint {self.kind} ({mixing} mixing) at ({state}): {self._verdict()}>"


def _complex_text(value: complex, number) -> str:
    if abs(value.imag) <= 1e-12 * max(1.0, abs(value.real)):
        return number(value.real)
    sign = "+" if value.imag >= 0 else "-"
    return f"{number(value.real)} {sign} {number(abs(value.imag))}i"


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
    if model.state_dependent:
        if subs is None:
            raise TripartiteError(
                f"the payoffs of {model.name!r} depend on the population state: its rest points "
                "beyond the vertices are found at a parameter point (give at=)"
            )
        for size in range(0 if include_vertices else 1, min(max_mixing, n) + 1):
            for mixing in itertools.combinations(range(n), size):
                fixed_players = [j for j in range(n) if j not in mixing]
                for corner in itertools.product((1, 0), repeat=len(fixed_players)):
                    fixed = {states[j]: sp.Integer(v) for j, v in zip(fixed_players, corner)}
                    out += _state_rest_points_on(model, mixing, fixed, diffs, jac, states, tol)
        return out
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
        constant = compact(eqs[0])
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
                model=model,
            )
        )
    return points


#: The type of a classified rest point, by (classification, complex eigenvalues?).
_POINT_TYPES = {
    (CLASSIFICATIONS[0], True): "stable focus (complex eigenvalues)",
    (CLASSIFICATIONS[0], False): "stable node (real eigenvalues)",
    (CLASSIFICATIONS[1], True): "unstable focus (complex eigenvalues)",
    (CLASSIFICATIONS[1], False): "unstable node (real eigenvalues)",
    (CLASSIFICATIONS[2], True): "saddle-focus (complex eigenvalues)",
    (CLASSIFICATIONS[2], False): "saddle (real eigenvalues)",
    (CLASSIFICATIONS[3], True): "non-hyperbolic, complex eigenvalues (a centre in linear approximation "
    "if their real parts are zero)",
    (CLASSIFICATIONS[3], False): "non-hyperbolic (a zero eigenvalue)",
}


def _state_rest_points_on(model, mixing, fixed, diffs, jac, states, tol: float) -> list[RestPoint]:
    """The rest points of a state-dependent model on one face, at a parameter point (exact)."""
    kind = _kind(model, mixing)
    free = [states[i] for i in mixing]
    state0 = tuple(fixed.get(x, x) for x in states)
    if not mixing:
        return [_classified(model, kind, mixing, state0, jac, tol)]
    numerators = [sp.expand(sp.fraction(sp.together(diffs[i].xreplace(fixed)))[0]) for i in mixing]

    def unresolved(why: str) -> list[RestPoint]:
        return [
            RestPoint(kind, tuple(mixing), state0, jac.xreplace(fixed), None, NEVER, note=why, model=model)
        ]

    try:
        polys = [sp.Poly(e, *free) for e in numerators if e != 0]
        if any(not p.domain.is_Numerical for p in polys):
            raise sp.PolynomialError("coefficients are not numbers")
    except (sp.PolynomialError, sp.GeneratorsError):
        return unresolved("not solved: the equations are not polynomial in the shares; not complete")
    if len(polys) < len(free):
        return unresolved(
            "degenerate: a continuum of rest points (an equation vanishes identically); not classified"
        )
    basis = sp.groebner(polys, *free, order="lex")
    if list(basis.exprs) == [1]:
        return []
    if not basis.is_zero_dimensional:
        return unresolved("degenerate: a continuum of rest points on this face; not classified")
    solutions = sp.solve_poly_system(list(basis.exprs), *free) or []
    points = []
    for sol in solutions:
        value = dict(zip(free, sol))
        state = tuple(fixed.get(x, value.get(x, x)) for x in states)
        if _inside(state, mixing, tol):
            points.append(_classified(model, kind, mixing, state, jac, tol))
    return points


def _classified(model, kind, mixing, state, jac, tol: float) -> RestPoint:
    """A rest point classified from the eigenvalues of its exact Jacobian (numerically, 30 digits)."""
    states = replicator_equations(model).states
    at_point = jac.xreplace(dict(zip(states, state)))
    matrix = np.array(at_point.evalf(30).tolist(), dtype=complex)
    numbers = tuple(complex(v) for v in np.linalg.eigvals(matrix.real))
    classification = CLASSIFICATIONS[int(classify(np.array([v.real for v in numbers]), tol))]
    spiral = any(abs(v.imag) > tol for v in numbers)
    note = _POINT_TYPES[(classification, spiral)]
    # over the parameter ranges: a vertex has its verdict; a point found at one parameter point has none
    status = UNDECIDED
    if not mixing:
        status = vertex_analysis(model)[tuple(1 - int(x) for x in state)].status
    return RestPoint(
        kind,
        tuple(mixing),
        tuple(sp.nsimplify(v) if not isinstance(v, sp.Basic) else v for v in state),
        at_point,
        None,
        status,
        note=note,
        classification=classification,
        numeric_eigenvalues=numbers,
        model=model,
    )


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
                eigenvalues.append(compact(value) if numeric else value)
        if len(mixing) == 1:
            eigenvalues.append(sp.Integer(0))
        if len(mixing) == 2:
            i, j = mixing
            product = at_point[i, j] * at_point[j, i]
            product = compact(product) if numeric else product
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
            if eigenvalues is not None:  # closed forms: signs decided exactly
                classification = classify_signs([sign_of(sp.re(e), tol) for e in eigenvalues])
            else:
                classification = CLASSIFICATIONS[int(classify(np.array([v.real for v in numbers]), tol))]
            if (
                classification == _NON_HYPERBOLIC
                and len(mixing) >= 2
                and any(abs(v.imag) > tol and abs(v.real) <= tol for v in numbers)
            ):
                note += "; purely imaginary eigenvalues: a centre in linear approximation"
    status = NEVER
    if not mixing:  # a vertex (state: the share of each first strategy): its verdict over the ranges
        status = vertex_analysis(model)[tuple(1 - int(x) for x in state)].status
    return RestPoint(
        kind,
        tuple(mixing),
        tuple(sp.sympify(v) for v in state),
        at_point,
        eigenvalues,
        status,
        condition=condition if len(mixing) == 1 else None,
        note=note,
        classification=classification,
        numeric_eigenvalues=numbers,
        model=model,
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
                full[v] = compact(value.xreplace(sol))
                out.append(full)
            return out, degenerate
    if len(xs) == 1 and len(eqs) == 1:
        poly = sp.Poly(eqs[0], xs[0])
        if poly.degree() == 2:
            a, b, c = poly.all_coeffs()
            disc = compact(b**2 - 4 * a * c)
            if disc.is_number and disc < 0:
                return [], False
            roots = {(-b + sign * sp.sqrt(disc)) / (2 * a) for sign in (1, -1)}
            return [{xs[0]: sp.radsimp(r) if r.is_number else r} for r in roots], False
        if all(c.is_number for c in poly.all_coeffs()):
            return [{xs[0]: r} for r in sp.real_roots(poly)], False
    return [], True
