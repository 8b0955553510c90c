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

**Continua of rest points** (at a parameter point) are described as sets,
:class:`RestPointSet`, carried by the entry that stands for the continuum
(:attr:`RestPoint.sets`).  The equations of the face are split into
branches, exactly: an equation :math:`c \\, v + r = 0` linear in a share
:math:`v` gives :math:`v = -r/c` where :math:`c \\ne 0` and
:math:`c = r = 0` otherwise (a system no share enters linearly is solved
when zero-dimensional); each branch expresses some shares as rational
functions of the free ones.  A one-dimensional branch is cut into the
parameter intervals on which every share lies strictly inside (0, 1) (end
points: the real roots of the numerators and denominators of the shares
and of the shares minus 1), each interval one set; so is a whole face.
Along a set the Jacobian :math:`J` annihilates the tangent vectors, so
``dimension`` of its eigenvalues are 0; in the basis ``M`` of the tangent
vectors followed by the unit vectors of the other shares, :math:`M^{-1} J
M` is block triangular and its lower block is the Jacobian *normal to the
set*, whose eigenvalues (closed form where it is triangular or 2x2) give
the set's stability: ``normally attracting`` (all real parts negative),
``normally repelling``, ``saddle-type``, ``non-hyperbolic`` (a zero
normal eigenvalue: for instance the in-face normal direction of a segment
on which a player's payoff difference vanishes identically), or ``changes
along the set``, with the pieces.  How far this is shown
(:attr:`RestPointSet.exact`):

- a one-dimensional set is cut exactly where a real part can cross 0 (the
  real roots of the determinant and of the Hurwitz determinant of order
  n-1 of the normal block, Orlando's formula); each piece is labelled from
  its eigenvalues at one exact point of it (30 digits), the same all along it;
- a set of dimension 2 or more whose free shares run over a whole box (a
  whole face, or a plane such as ``x1 = x2`` across the cube), with normal
  eigenvalues multilinear in them: each eigenvalue has the sign of its
  values at the box's corners (a multilinear function is, coordinate by
  coordinate, a convex combination of its values at the ends), exactly;
- otherwise (a curved set of dimension 2 or more, or no closed form) the
  label is read from the eigenvalues at sampled points of the set:
  ``exact`` is ``False``, the text says so, and the record gives the
  numbers at the sampled points (``sample_normal_eigenvalues``).
"""

from __future__ import annotations

import dataclasses
import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import sympy as sp

from ..dynamics.stability import CLASSIFICATIONS, NON_HYPERBOLIC, classify
from ..errors import LimitError, TripartiteError
from ..game import DEFAULT_TOL
from ..limits import symbolic_time_limit
from ..model import Model
from .equations import replicator_equations
from .exact import classify_signs, compact, exact_values, sign_of
from .verdicts import NEVER, UNDECIDED
from .vertices import vertex_analysis

__all__ = ["RestPoint", "RestPointSet", "rest_points"]

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
    sets : tuple of RestPointSet
        For an entry standing for a continuum at a parameter point: the
        continuum described completely, as sets with their normal stability
        (empty where it could not be described: then the entry's note says so).
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
    sets: tuple[RestPointSet, ...] = field(default=(), repr=False)

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
        At a parameter point, an entry standing for a continuum of rest
        points carries its description as sets in :attr:`RestPoint.sets`.

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
    if model.state_dependent and not (subs is not None and model.static_at(at)):
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
        if numeric:  # the whole edge: a segment of rest points
            branches = [({}, tuple(free), ())]
            sets = _rest_point_sets_on(model, kind, mixing, fixed, jac, states, branches, tol)
            point = dataclasses.replace(point, sets=tuple(sets), note=point.note + _DESCRIBED)
        return [point]
    solutions, degenerate = _solve_multilinear(eqs, free)
    note = "degenerate: the equations do not determine isolated rest points here (a continuum or none); not classified"
    if degenerate and numeric:
        # at a point the coefficients are numbers: decide with a Groebner basis whether the elimination
        # only lacked a pivot (isolated solutions, e.g. McKelvey-McLennan's interior), none exist, or
        # the solution set has positive dimension (a continuum)
        decided = _isolated_solutions(eqs, free)
        branches = _decompose(eqs, free) if decided is None else None
        if decided is not None:
            solutions, degenerate = decided, False
        elif branches is not None:  # a continuum, described as sets (and any isolated points besides)
            sets = _rest_point_sets_on(model, kind, mixing, fixed, jac, states, branches, tol)
            points = [
                _finish(model, kind, mixing, state, jac, diffs, numeric, tol)
                for state in _isolated_off_sets(branches, sets, fixed, states, mixing, tol)
            ]
            if sets:
                state = tuple(fixed.get(x, x) for x in states)
                points.append(_continuum(model, kind, mixing, state, jac.xreplace(fixed), sets))
            return points
        else:
            note = (
                "degenerate: the rest-point equations of this face have a positive-dimensional solution "
                "set (a continuum of rest points where it meets the face); not classified"
            )
    points = []
    for sol in solutions:
        state = tuple(fixed.get(x, sol.get(x, x)) for x in states)
        if numeric and not _inside(state, mixing, tol):
            continue
        points.append(_finish(model, kind, mixing, state, jac, diffs, numeric, tol))
    if degenerate and numeric:
        state = tuple(fixed.get(x, x) for x in states)
        points.append(
            RestPoint(kind, tuple(mixing), state, jac.xreplace(fixed), None, NEVER, note=note, model=model)
        )
    return points


def _isolated_solutions(eqs: list[sp.Expr], free: list[sp.Symbol]) -> list[dict] | None:
    """Every complex solution of polynomial equations with numeric coefficients, when there are finitely many.

    ``[]`` when there is none (a Groebner basis ``[1]``), ``None`` when the
    solution set has positive dimension or sympy cannot solve the system.
    """
    try:
        polys = [sp.Poly(e, *free) for e in eqs if sp.expand(e) != 0]
        if len(polys) < len(free) or any(not p.domain.is_Numerical for p in polys):
            return None
        with symbolic_time_limit("solving the rest-point equations of a face"):
            basis = sp.groebner(polys, *free, order="lex")
            if list(basis.exprs) == [1]:
                return []
            if not basis.is_zero_dimensional:
                return None
            found = sp.solve_poly_system(list(basis.exprs), *free) or []
    except (LimitError, NotImplementedError, sp.PolynomialError, sp.GeneratorsError):
        return None
    return [{x: compact(v) for x, v in zip(free, sol)} for sol in found]


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

    def continuum(why: str) -> list[RestPoint]:
        denominators = [sp.fraction(sp.together(diffs[i].xreplace(fixed)))[1] for i in mixing]
        branches = _decompose(numerators, free, [d for d in denominators if d.free_symbols])
        if branches is None:
            return unresolved(why)
        sets = _rest_point_sets_on(model, kind, mixing, fixed, jac, states, branches, tol)
        points = [
            _classified(model, kind, mixing, state, jac, tol)
            for state in _isolated_off_sets(branches, sets, fixed, states, mixing, tol)
        ]
        if sets:
            points.append(_continuum(model, kind, mixing, state0, jac.xreplace(fixed), sets))
        return points

    try:
        polys = [sp.Poly(e, *free) for e in numerators if e != 0]
        if any(not p.domain.is_Numerical for p in polys):
            raise sp.PolynomialError("coefficients are not numbers")
    except (sp.PolynomialError, sp.GeneratorsError):
        return unresolved("not solved: the equations are not polynomial in the shares; not complete")
    if len(polys) < len(free):
        return continuum(
            "degenerate: a continuum of rest points (an equation vanishes identically); not classified"
        )
    try:  # a guard on sympy's time (tripartite.limits); a system it cannot solve is reported, not raised
        with symbolic_time_limit("solving the rest-point equations of a face"):
            basis = sp.groebner(polys, *free, order="lex")
            if list(basis.exprs) == [1]:
                return []
            if not basis.is_zero_dimensional:
                return continuum("degenerate: a continuum of rest points on this face; not classified")
            solutions = sp.solve_poly_system(list(basis.exprs), *free) or []
    except LimitError as exc:
        return unresolved(f"not solved: {exc}; not classified")
    except NotImplementedError:
        return unresolved("not solved: sympy cannot solve these equations; not classified")
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
        tuple(sp.nsimplify(v, rational=True) if not isinstance(v, sp.Basic) else v for v in state),
        at_point,
        None,
        status,
        note=note,
        classification=classification,
        numeric_eigenvalues=numbers,
        model=model,
    )


#: Largest imaginary part of a share (evaluated to 30 digits) still read as a real number.  A share
#: is a probability: this tolerance is scale-free, unlike ``tol`` (payoff units).
_SHARE_IMAG_TOL = 1e-12


def _inside(state, mixing, tol) -> bool:
    """Whether every mixing share of ``state`` is a real number strictly between 0 and 1.

    ``tol`` (payoff units) is not used for the shares: see :data:`_SHARE_IMAG_TOL`.
    """
    for i in mixing:
        value = sp.sympify(state[i])
        if value.free_symbols:
            return False
        number = complex(sp.N(value, 30))
        if abs(number.imag) > _SHARE_IMAG_TOL or not (0 < number.real < 1):
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
            try:
                roots = sp.real_roots(poly)
            except NotImplementedError:  # coefficients outside QQ (exp(1), sqrt(2)): 30-digit roots instead
                roots = [sp.re(r) for r in poly.nroots(n=30) if abs(sp.im(r)) < 1e-20]
            return [{xs[0]: r} for r in roots], False
    return [], True


# --- sets of rest points ---------------------------------------------------------------------------------

#: What a set of rest points does in the directions normal to it, by the signs of the normal eigenvalues
#: (keyed by the point classification of :func:`tripartite.dynamics.stability.classify` they correspond to).
SET_CLASSIFICATIONS = {
    CLASSIFICATIONS[0]: "normally attracting",
    CLASSIFICATIONS[1]: "normally repelling",
    CLASSIFICATIONS[2]: "saddle-type",
    CLASSIFICATIONS[3]: "non-hyperbolic",
}
#: The classification of a set whose normal eigenvalues change sign along it.
CHANGES_ALONG = "changes along the set"
_NON_HYPERBOLIC_SET = SET_CLASSIFICATIONS[CLASSIFICATIONS[3]]


@dataclass(frozen=True, eq=False)
class RestPointSet:
    """A continuum of rest points on one face: a segment, curve or face, with its normal stability.

    The set is the closure of one branch of the solutions of :math:`D_i = 0`
    (players in ``mixing``) inside the open face: the shares of the players
    in ``parameters`` run freely (for a one-dimensional set over
    ``interval``), the others are the expressions in ``state``.  Along it
    the Jacobian ``J`` annihilates the tangent vectors, so ``dimension`` of
    its eigenvalues are 0 (the tangent directions); the others are the
    eigenvalues of the map ``J`` induces on the normal space,
    ``normal_jacobian`` (the block of :math:`M^{-1} J M` in a basis ``M`` of
    tangent vectors followed by the unit vectors of the non-free shares).

    Attributes
    ----------
    kind : str
        ``"edge"``, ``"face"`` or ``"interior"``: where the set lies.
    mixing : tuple of int
        The players mixing on that face.
    parameters : tuple of sympy.Symbol
        The free shares (state symbols ``x1, x2, ...``).
    state : tuple of sympy.Expr
        Every player's share of its first strategy along the set.
    interval : tuple or None
        For a one-dimensional set: the closed range of its parameter.
    conditions : tuple of sympy.Expr
        Expressions that must not vanish (excluded points of a branch).
    normal_jacobian : sympy.Matrix
        The Jacobian on the normal space, in the parameters.
    normal_eigenvalues : tuple of sympy.Expr or None
        Its eigenvalues in closed form (when triangular or at most 2x2).
    classification : str
        One of :data:`SET_CLASSIFICATIONS` values, or :data:`CHANGES_ALONG`.
    pieces : tuple of (str, str)
        Where the classification changes: (where, classification) pairs.
    model : Model
    exact : bool
        Whether the classification is shown for the whole set: ``True`` on a
        one-dimensional set (cut exactly where a real part can cross 0) and on
        a box (a whole face) whose normal eigenvalues are multilinear in the
        free shares (each has the sign of its values at the corners);
        ``False`` where it was read from the eigenvalues at sampled points
        only (a curved set of dimension two or more, or eigenvalues not in
        closed form): then :attr:`samples_checked` says how many.
    samples_checked : int
        The number of points the classification was read at, where ``exact`` is ``False``.
    """

    kind: str
    mixing: tuple[int, ...]
    parameters: tuple[sp.Symbol, ...]
    state: tuple[sp.Expr, ...]
    interval: tuple[sp.Expr, sp.Expr] | None
    conditions: tuple[sp.Expr, ...]
    normal_jacobian: sp.Matrix
    normal_eigenvalues: tuple[sp.Expr, ...] | None
    classification: str
    pieces: tuple[tuple[str, str], ...] = ()
    model: Model | None = field(default=None, repr=False)
    exact: bool = True
    samples_checked: int = 0

    @property
    def dimension(self) -> int:
        """The number of free shares."""
        return len(self.parameters)

    def at(self, values: Sequence[float]) -> np.ndarray:
        """The shares (first strategies) at parameter values, as floats."""
        subs = dict(zip(self.parameters, map(sp.sympify, values)))
        return np.array([float(sp.re(sp.N(sp.sympify(s).xreplace(subs), 30))) for s in self.state])

    def samples(self, count: int = 5) -> list[np.ndarray]:
        """Points of the set (shares of the first strategies), spread over it."""
        return [self.at(p) for p in _sample_parameters(self, count)]

    def normal_eigenvalues_at(self, values: Sequence[float]) -> np.ndarray:
        """The normal eigenvalues (numbers) at parameter values (none for a set as large as the state space)."""
        if self.normal_jacobian.rows == 0:
            return np.empty(0)
        subs = dict(zip(self.parameters, values))
        matrix = np.array(self.normal_jacobian.xreplace(subs).evalf(30).tolist(), dtype=complex)
        return np.linalg.eigvals(matrix.real if np.allclose(matrix.imag, 0) else matrix)

    def contains(self, shares: Sequence[float], tol: float = 1e-9) -> bool:
        """Whether a state (share of each first strategy) lies on the set."""
        index = [_index(self, p) for p in self.parameters]
        values = [float(shares[i]) for i in index]
        if self.interval is not None:
            low, high = (float(sp.N(v, 30)) for v in self.interval)
            if not low - tol <= values[0] <= high + tol:
                return False
        elif any(not -tol <= v <= 1 + tol for v in values):
            return False
        return bool(np.allclose(self.at(values), np.asarray(shares, dtype=float), atol=tol * 10, rtol=0))

    def to_record(self) -> dict[str, Any]:
        """The set as JSON: ``kind``, ``mixing``, ``dimension``, ``symbols``, ``constraints``, ... (docs/components.md)."""
        from ..expr import to_text

        model = self.model
        states = replicator_equations(model).states
        players = model.players
        constraints = []
        for x, value in zip(states, self.state):
            if x not in self.parameters:
                constraints.append(f"Eq({x}, {to_text(value)})")
        if self.interval is not None:
            t = self.parameters[0]
            constraints += [f"{to_text(self.interval[0])} <= {t}", f"{t} <= {to_text(self.interval[1])}"]
        else:
            for x in self.parameters:
                constraints += [f"0 <= {x}", f"{x} <= 1"]
            for x, value in zip(states, self.state):
                if x not in self.parameters and sp.sympify(value).free_symbols:
                    constraints += [f"0 <= {to_text(value)}", f"{to_text(value)} <= 1"]
        constraints += [f"Ne({to_text(c)}, 0)" for c in self.conditions]
        ends = _end_points(self)
        sample = _sample_parameters(self, 1)[0]
        normal = self.normal_eigenvalues_at(sample)
        return {
            "kind": self.kind,
            "mixing": [players[i] for i in self.mixing],
            "fixed": {
                players[i]: {model.strategies[i][0]: _number(self.state[i]), "exact": to_text(self.state[i])}
                for i in range(len(players))
                if i not in self.mixing
            },
            "dimension": self.dimension,
            "symbols": {str(x): [players[i], model.strategies[i][0]] for i, x in enumerate(states)},
            "constraints": constraints,
            "end_points": None if ends is None else [_state_record(model, e) for e in ends],
            "vertices": None
            if not self._polytope() or ends is None
            else [_state_record(model, e) for e in ends],
            "tangent_eigenvalues": [0.0] * self.dimension,
            "normal_eigenvalues": (
                None if self.normal_eigenvalues is None else [to_text(e) for e in self.normal_eigenvalues]
            ),
            "normal_jacobian": [
                [to_text(e) for e in self.normal_jacobian.row(r)] for r in range(self.normal_jacobian.rows)
            ],
            "point": _state_record(
                model, tuple(sp.sympify(s).xreplace(dict(zip(self.parameters, sample))) for s in self.state)
            ),
            "point_normal_eigenvalues": [[float(v.real), float(v.imag)] for v in normal],
            "sample_normal_eigenvalues": (
                None
                if self.exact and self.normal_eigenvalues is not None
                else [
                    {
                        "at": {str(x): float(v) for x, v in zip(self.parameters, p)},
                        "eigenvalues": [
                            [float(v.real), float(v.imag)] for v in self.normal_eigenvalues_at(p)
                        ],
                    }
                    for p in _sample_parameters(self, 5)
                ]
            ),
            "classification": self.classification,
            "exact": self.exact,
            "samples_checked": None if self.exact else self.samples_checked,
            "pieces": [{"where": w, "classification": c} for w, c in self.pieces],
            "text": self.text(),
        }

    def _polytope(self) -> bool:
        """Whether the set is a polytope: every share affine in the parameters, no excluded points."""
        for value in self.state:
            numerator, denominator = sp.fraction(sp.together(sp.sympify(value)))
            if denominator.free_symbols or sp.Poly(numerator, *self.parameters).total_degree() > 1:
                return False
        return not self.conditions

    def text(self) -> str:
        """One line: where the set lies, what it is, and its normal stability."""
        from ..expr import to_text

        players = self.model.players
        states = replicator_equations(self.model).states
        parts = []
        for x, value in zip(states, self.state):
            if x in self.parameters:
                if self.interval is not None:
                    parts.append(f"{x} in [{to_text(self.interval[0])}, {to_text(self.interval[1])}]")
                else:
                    parts.append(f"{x} in [0, 1]")
            else:
                parts.append(f"{x} = {to_text(value)}")
        if self.interval is None and any(
            x not in self.parameters and sp.sympify(v).free_symbols for x, v in zip(states, self.state)
        ):
            parts.append("where every share lies in [0, 1]")  # the solved shares bound the free ones
        mixing = ", ".join(players[i] for i in self.mixing)
        what = {1: "curve", 2: "surface"}.get(self.dimension, f"{self.dimension}-dimensional set")
        if self.dimension == 1 and self._polytope():
            what = "segment"
        elif self.dimension == 2 and self._polytope() and _end_points(self) is not None:
            what = "face"
        if self.normal_eigenvalues is not None:
            normal = ", ".join(to_text(e) for e in self.normal_eigenvalues)
        else:  # no closed form: the numbers at one point, said to be so
            sample = _sample_parameters(self, 1)[0]
            where = ", ".join(f"{x} = {to_text(v)}" for x, v in zip(self.parameters, sample))
            values = ", ".join(
                _complex_text(complex(v), "{:.4g}".format) for v in self.normal_eigenvalues_at(sample)
            )
            normal = f"(no closed form; numeric at {where}) {values}"
        kind = "" if what == self.kind else f"{self.kind} "  # "face face" reads "face"
        if self.normal_jacobian.rows == 0:  # the whole state space: every state is a rest point
            normal_text = "no normal direction (every state is a rest point)"
        else:
            normal_text = f"normal eigenvalues {normal}"
        line = (
            f"{kind}{what} of rest points ({mixing} mixing): {'; '.join(parts)}; "
            f"{normal_text} -> {self.classification}"
        )
        if self.pieces and self.classification == CHANGES_ALONG:
            line += " (" + "; ".join(f"{c} {w}" for w, c in self.pieces) + ")"
        if not self.exact:
            line += f" (read at {self.samples_checked} sampled points only: not shown for the whole set)"
        return line

    def __repr__(self) -> str:
        return f"<RestPointSet {self.text()}>"


def _index(rest_set: RestPointSet, x: sp.Symbol) -> int:
    return list(replicator_equations(rest_set.model).states).index(x)


def _number(value) -> float | None:
    value = sp.sympify(value)
    return None if value.free_symbols else float(sp.re(sp.N(value, 30)))


def _state_record(model: Model, state) -> dict[str, Any]:
    from ..expr import to_text

    return {
        p: {model.strategies[i][0]: _number(v), "exact": to_text(compact(sp.sympify(v)))}
        for i, (p, v) in enumerate(zip(model.players, state))
    }


def _end_points(rest_set: RestPointSet) -> list[tuple] | None:
    if rest_set.interval is not None:
        t = rest_set.parameters[0]
        return [
            tuple(compact(sp.sympify(s).xreplace({t: e})) for s in rest_set.state) for e in rest_set.interval
        ]
    if rest_set._polytope() and all(
        x in rest_set.parameters or not sp.sympify(s).free_symbols
        for x, s in zip(replicator_equations(rest_set.model).states, rest_set.state)
    ):
        corners = itertools.product((0, 1), repeat=rest_set.dimension)
        return [
            tuple(
                sp.sympify(s).xreplace(dict(zip(rest_set.parameters, map(sp.Integer, c))))
                for s in rest_set.state
            )
            for c in corners
        ]
    return None


def _sample_parameters(rest_set: RestPointSet, count: int) -> list[tuple]:
    """Parameter values inside the set (exact rationals), ``count`` of them where possible."""
    if rest_set.interval is not None:
        low, high = (
            sp.nsimplify(float(sp.N(v, 30)), rational=True) if not v.is_Rational else v
            for v in rest_set.interval
        )
        # off the middle (a symmetric set is often special there): fractions (k + 3/7)/count
        return [(low + (high - low) * (k + sp.Rational(3, 7)) / count,) for k in range(count)]
    grid = [sp.Rational(2 * k + 1, 2 * 8) for k in range(8)]
    found = [p for p in itertools.product(grid, repeat=rest_set.dimension) if _inside_set(rest_set, p)]
    if not found:
        return []
    step = max(1, len(found) // count)
    return found[::step][:count]


def _inside_set(rest_set: RestPointSet, params) -> bool:
    subs = dict(zip(rest_set.parameters, params))
    for c in rest_set.conditions:
        if sp.sympify(c).xreplace(subs) == 0:
            return False
    for s in rest_set.state:
        value = sp.sympify(s).xreplace(subs)
        if value.has(sp.zoo, sp.nan, sp.oo) or not (0 <= float(sp.re(sp.N(value, 30))) <= 1):
            return False
    return True


def _decompose(eqs, xs, conditions=()) -> list[tuple[dict, tuple, tuple]] | None:
    """Branches covering every complex solution of polynomial equations with numeric coefficients.

    Each branch is ``(solution, free, nonzero)``: the solved unknowns as
    expressions in the ``free`` ones, valid where every ``nonzero``
    expression is non-zero.  An equation ``c v + r`` linear in ``v`` splits
    into ``v = -r/c`` (where ``c != 0``) and ``c = r = 0``.  ``None`` when a
    system is met that is not solved so (not linear in any unknown and not
    zero-dimensional).
    """
    unknowns = set(xs)
    eqs = list(dict.fromkeys(e for e in (sp.expand(e) for e in eqs) if e != 0))
    if any(not (e.free_symbols & unknowns) for e in eqs):
        return []  # a non-zero constant
    if not eqs:
        kept = []
        for c in conditions:
            c = sp.expand(c)
            if c == 0:
                return []
            if c.free_symbols & unknowns:
                kept.append(c)
        return [({}, tuple(xs), tuple(kept))]
    best = None
    for k, e in enumerate(eqs):
        for v in xs:
            if v not in e.free_symbols:
                continue
            poly = sp.Poly(e, v)
            if poly.degree() != 1:
                continue
            c, r = poly.all_coeffs()
            score = 1 if c.free_symbols & unknowns else 0
            if best is None or score < best[0]:
                best = (score, k, v, c, r)
    if best is None:
        return _decompose_nonlinear(eqs, xs, conditions)
    score, k, v, c, r = best
    value = sp.cancel(-r / c)
    others = [e for j, e in enumerate(eqs) if j != k]
    rest = [x for x in xs if x != v]

    def numerator(e):
        return sp.expand(sp.fraction(sp.together(e.xreplace({v: value})))[0])

    sub = _decompose(
        [numerator(e) for e in others],
        rest,
        [numerator(e) for e in conditions] + ([c] if score else []),
    )
    if sub is None:
        return None
    branches = []
    for solution, free, nonzero in sub:
        full = dict(solution)
        full[v] = sp.cancel(value.xreplace(solution))
        branches.append((full, free, nonzero))
    if score:  # c may vanish: then r must too
        zero = _decompose(others + [c, r], xs, conditions)
        if zero is None:
            return None
        branches += zero
    return branches


def _decompose_nonlinear(eqs, xs, conditions) -> list[tuple[dict, tuple, tuple]] | None:
    """The isolated solutions of a system no unknown enters linearly (``None`` if not zero-dimensional)."""
    unknowns = [x for x in xs if any(x in e.free_symbols for e in eqs)]
    free = tuple(x for x in xs if x not in unknowns)
    if free:
        return None
    try:
        with symbolic_time_limit("solving the rest-point equations of a face"):
            polys = [sp.Poly(e, *unknowns) for e in eqs]
            if len(unknowns) == 1:
                g = polys[0]
                for p in polys[1:]:
                    g = sp.gcd(g, p)
                if g.degree() <= 0:
                    return []
                try:
                    roots = sp.real_roots(g)
                except NotImplementedError:
                    roots = [sp.re(r) for r in g.nroots(n=30) if abs(sp.im(r)) < 1e-20]
                found = [(r,) for r in roots]
            else:
                solutions = _isolated_solutions(eqs, unknowns)
                if solutions is None:
                    return None
                found = [tuple(sol[x] for x in unknowns) for sol in solutions]
    except (LimitError, NotImplementedError, sp.PolynomialError, sp.GeneratorsError):
        return None
    out = []
    for sol in found:
        solution = dict(zip(unknowns, sol))
        if any(sp.expand(sp.sympify(c).xreplace(solution)) == 0 for c in conditions):
            continue
        out.append((solution, (), ()))
    return out


def _real_roots_in_unit(expr, t) -> list:
    """The real roots in [0, 1] of a polynomial in ``t`` (exact where sympy can)."""
    expr = sp.expand(expr)
    if expr == 0 or not expr.has(t):
        return []
    poly = sp.Poly(expr, t)
    try:
        roots = sp.real_roots(poly)
    except NotImplementedError:
        roots = [sp.re(r) for r in poly.nroots(n=30) if abs(sp.im(r)) < 1e-20]
    return [r for r in roots if 0 <= float(sp.N(r, 30)) <= 1]


def _value(expr, t, at) -> complex | None:
    value = sp.sympify(expr).xreplace({t: at})
    if value.has(sp.zoo, sp.nan, sp.oo):
        return None
    return complex(sp.N(value, 30))


def _inside_open(exprs, t, at, conditions=()) -> bool:
    for e in exprs:
        v = _value(e, t, at)
        if v is None or abs(v.imag) > 1e-20 or not 0 < v.real < 1:
            return False
    return all(_value(c, t, at) not in (None, 0) for c in conditions)


def _intervals(exprs, t, conditions) -> list[tuple]:
    """The closed parameter intervals on which every expression lies in the open (0, 1) (their closures)."""
    cuts = {sp.Integer(0), sp.Integer(1)}
    for e in list(exprs) + list(conditions):
        num, den = sp.fraction(sp.together(sp.sympify(e)))
        for part in (num, den, *((num - den,) if e in exprs else ())):
            cuts.update(_real_roots_in_unit(part, t))
    cuts = sorted(cuts, key=lambda r: float(sp.N(r, 30)))
    good = []
    for a, b in zip(cuts, cuts[1:]):
        if float(sp.N(b - a, 30)) <= 0:
            continue
        if _inside_open(exprs, t, (a + b) / 2, conditions):
            if good and good[-1][1] == a and _inside_open(exprs, t, a):
                good[-1] = (good[-1][0], b)  # a is an interior point of the face: one piece
            else:
                good.append((a, b))
    return good


def _classify_normal(numbers: np.ndarray, tol: float) -> str:
    return SET_CLASSIFICATIONS[CLASSIFICATIONS[int(classify(np.array([v.real for v in numbers]), tol))]]


def _rest_point_sets_on(model, kind, mixing, fixed, jac, states, branches, tol) -> list[RestPointSet]:
    """The branches of positive dimension that meet the open face, as sets with their normal stability."""
    out = []
    mixing_states = [states[i] for i in mixing]
    for solution, free, nonzero in branches:
        if not free:
            continue
        state = tuple(fixed.get(x, solution.get(x, x)) for x in states)
        solved = [sp.sympify(s) for x, s in zip(states, state) if x in mixing_states and x not in free]
        intervals: list = [None]
        if len(free) == 1:
            intervals = _intervals(solved, free[0], nonzero)
            if not intervals:
                continue
        normal = _normal_jacobian(jac, states, state, free)
        closed = _closed_eigenvalues(normal)
        for interval in intervals:
            piece = RestPointSet(
                kind,
                tuple(mixing),
                tuple(free),
                state,
                interval,
                tuple(nonzero),
                normal,
                closed,
                "",
                (),
                model,
            )
            if len(free) > 1 and not _sample_parameters(piece, 1):
                continue
            classification, pieces, sampled = _set_classification(piece, tol)
            out.append(
                dataclasses.replace(
                    piece,
                    classification=classification,
                    pieces=pieces,
                    exact=not sampled,
                    samples_checked=sampled,
                )
            )
    return out


def _normal_jacobian(jac, states, state, free) -> sp.Matrix:
    """The Jacobian on the normal space of the set (the tangent directions carry the zero eigenvalues)."""
    n = len(states)
    at = jac.xreplace(dict(zip(states, state)))
    at = at.applyfunc(sp.cancel)
    index = [states.index(x) for x in free]
    others = [i for i in range(n) if i not in index]
    basis = sp.zeros(n, n)
    for col, x in enumerate(free):
        for row in range(n):
            basis[row, col] = sp.diff(sp.sympify(state[row]), x)
    for col, i in enumerate(others, start=len(index)):
        basis[i, col] = 1
    changed = (basis.inv() * at * basis).applyfunc(sp.cancel)
    d = len(index)
    if any(sp.cancel(e) != 0 for e in changed[:, :d]):  # J t = 0 along a set of rest points
        raise TripartiteError("internal error: the Jacobian does not vanish along a set of rest points")
    return changed[d:, d:]


def _closed_eigenvalues(normal: sp.Matrix) -> tuple[sp.Expr, ...] | None:
    if normal.rows == 0:
        return ()
    if normal.is_upper or normal.is_lower:
        return tuple(compact(normal[i, i]) for i in range(normal.rows))
    if normal.rows == 2:
        tr, det = normal.trace(), normal.det()
        root = sp.sqrt(compact(tr**2 - 4 * det))
        return (compact(tr / 2) + root / 2, compact(tr / 2) - root / 2)
    return None


def _crossing_expressions(normal: sp.Matrix) -> list[sp.Expr]:
    """Where an eigenvalue's real part can cross 0: the determinant and the Hurwitz determinant of order n - 1."""
    n = normal.rows
    lam = sp.Dummy("lambda")
    coeffs = normal.charpoly(lam).all_coeffs()  # 1, a1, ..., an
    out = [normal.det()]
    if n >= 2:

        def a(k):
            return coeffs[k] if 0 <= k <= n else 0

        hurwitz = sp.Matrix(n - 1, n - 1, lambda i, j: a(2 * (j + 1) - (i + 1)))
        out.append(hurwitz.det())
    return out


def _box_classification(rest_set: RestPointSet, tol: float) -> tuple[str, tuple[tuple[str, str], ...]] | None:
    """The normal stability of a box of rest points, exactly, when its normal eigenvalues are multilinear.

    The free shares run over a whole box when every other share is a constant or an affine
    function of them inside [0, 1] at the box's corners (a whole face; the plane ``x1 = x2``
    across the cube).  A multilinear function on a box is a convex combination of its values at
    the corners along each coordinate in turn, so: if its corner values are all <= 0 and not all
    0 it is < 0 on the open box (all 0: it vanishes identically), and likewise for >= 0; corner
    values of both signs make its sign change across the set.  ``None`` where this does not apply.
    """
    params = rest_set.parameters
    if rest_set.conditions or rest_set.normal_eigenvalues is None:
        return None
    corners = list(itertools.product((0, 1), repeat=len(params)))
    for x, v in zip(_states(rest_set), rest_set.state):
        v = sp.expand(sp.sympify(v))
        if x in params or not v.free_symbols:
            continue
        # a share solved as an affine function of the free ones, inside [0, 1] at every corner: inside on
        # the whole box, so the free shares run over the whole box
        if not v.is_polynomial(*params) or sp.Poly(v, *params).total_degree() > 1:
            return None
        if any(not 0 <= v.xreplace(dict(zip(params, map(sp.Integer, c)))) <= 1 for c in corners):
            return None
    values = []  # per eigenvalue, its values at the corners
    for e in rest_set.normal_eigenvalues:
        e = sp.expand(sp.sympify(e))
        if not e.is_polynomial(*params) or any(d > 1 for d in sp.Poly(e, *params).degree_list()):
            return None
        values.append([e.xreplace(dict(zip(params, map(sp.Integer, c)))) for c in corners])
    try:
        signs = [[sign_of(v, tol) for v in row] for row in values]
    except TripartiteError:
        return None  # a complex value: not a real multilinear eigenvalue
    whole = []
    for row in signs:
        if all(v <= 0 for v in row) and any(v < 0 for v in row):
            whole.append(-1)
        elif all(v >= 0 for v in row) and any(v > 0 for v in row):
            whole.append(1)
        elif all(v == 0 for v in row):
            whole.append(0)
        else:
            whole.append(None)  # both signs: changes across the set
    if None not in whole:
        return SET_CLASSIFICATIONS[classify_signs(whole)], ()
    # on the zero set of an eigenvalue of both signs the set is non-hyperbolic; near a corner where no
    # eigenvalue vanishes, the open box has the corner's signs (continuity)
    from ..expr import to_text

    pieces = [
        (f"on {to_text(compact(e))} = 0", _NON_HYPERBOLIC_SET)
        for e, w in zip(rest_set.normal_eigenvalues, whole)
        if w is None
    ]
    for k, corner in enumerate(corners):
        at_corner = [row[k] for row in signs]
        if 0 in at_corner:
            continue
        where = "near " + ", ".join(f"{x} = {c}" for x, c in zip(params, corner))
        label = SET_CLASSIFICATIONS[classify_signs(at_corner)]
        if label not in [c for _, c in pieces]:
            pieces.append((where, label))
    return CHANGES_ALONG, tuple(pieces)


def _states(rest_set: RestPointSet) -> tuple:
    return tuple(replicator_equations(rest_set.model).states)


def _set_classification(rest_set: RestPointSet, tol: float) -> tuple[str, tuple[tuple[str, str], ...], int]:
    """The normal stability along the set: one classification, or where it changes.

    The third value is 0 when the classification is shown for the whole set, else the number of
    sampled points it was read at.
    """
    from ..expr import to_text

    normal = rest_set.normal_jacobian
    if normal.rows == 0:
        return SET_CLASSIFICATIONS[CLASSIFICATIONS[3]], (), 0
    if rest_set.interval is not None:
        t = rest_set.parameters[0]
        low, high = rest_set.interval
        cuts = {low, high}
        # a real part crosses 0 where a real eigenvalue does (det = 0) or a complex pair does (the
        # Hurwitz determinant of order n - 1 of the characteristic polynomial vanishes)
        for e in _crossing_expressions(normal):
            num = sp.fraction(sp.together(sp.expand(e)))[0]
            cuts.update(
                r for r in _real_roots_in_unit(num, t) if sp.N(low, 30) < sp.N(r, 30) < sp.N(high, 30)
            )
        cuts = sorted(cuts, key=lambda r: float(sp.N(r, 30)))
        runs: list[list] = []  # [first, last, open at the start?, open at the end?, classification]
        for k, (a, b) in enumerate(zip(cuts, cuts[1:])):
            pieces = [((a + b) / 2, a, b, True)]
            if k + 2 < len(cuts):
                pieces.append((b, b, b, False))
            for value, first, last, open_piece in pieces:
                label = _classify_normal(rest_set.normal_eigenvalues_at((value,)), tol)
                if runs and runs[-1][4] == label:
                    runs[-1][1], runs[-1][3] = last, open_piece
                else:
                    runs.append([first, last, open_piece, open_piece, label])
        labelled = []
        for first, last, open_first, open_last, label in runs:
            if first == last:
                labelled.append((f"at {t} = {to_text(first)}", label))
            else:
                left = "(" if open_first else "["  # the relative interior: the ends lie on lower faces
                right = ")" if open_last else "]"
                labelled.append((f"for {t} in {left}{to_text(first)}, {to_text(last)}{right}", label))
    else:
        closed = rest_set.normal_eigenvalues
        if closed is not None and all(compact(sp.sympify(e)).is_number for e in closed):
            signs = [sign_of(sp.re(e), tol) for e in closed]  # constant along the set: decided once
            return SET_CLASSIFICATIONS[classify_signs(signs)], (), 0
        exact = _box_classification(rest_set, tol)
        if exact is not None:
            return (*exact, 0)
        grid = _sample_parameters(rest_set, 64)
        labelled = [
            (
                ", ".join(f"{x} = {v}" for x, v in zip(rest_set.parameters, p)),
                _classify_normal(rest_set.normal_eigenvalues_at(p), tol),
            )
            for p in grid
        ]
    sampled = 0 if rest_set.interval is not None else len(labelled)
    kinds = {c for _, c in labelled}
    if len(kinds) == 1:
        return kinds.pop(), (), sampled
    if rest_set.interval is None:
        where = f"across {to_text(compact(normal.det()))} = 0 (sampled)"
        return CHANGES_ALONG, tuple((where + f": {c} at some points", c) for c in sorted(kinds)), sampled
    return CHANGES_ALONG, tuple(labelled), 0


_DESCRIBED = "; described as a set of rest points with its normal stability (sets)"


def _continuum(model, kind, mixing, state, jac, sets) -> RestPoint:
    """The entry standing for a face's continuum of rest points, carrying its description as sets."""
    note = (
        f"a continuum of rest points: {len(sets)} set{'s' if len(sets) > 1 else ''} of rest points, "
        "each described with its normal stability (sets)"
    )
    return RestPoint(kind, tuple(mixing), state, jac, None, NEVER, note=note, model=model, sets=tuple(sets))


def _isolated_off_sets(branches, sets, fixed, states, mixing, tol) -> list[tuple]:
    """The states of the zero-dimensional branches inside the open face and on none of the sets, once each."""
    out: list[tuple] = []
    seen: list[np.ndarray] = []
    for solution, free, _ in branches:
        if free:
            continue
        state = tuple(fixed.get(x, solution.get(x, x)) for x in states)
        if not _inside(state, mixing, tol):
            continue
        shares = np.array([float(sp.re(sp.N(sp.sympify(v), 30))) for v in state])
        if any(np.allclose(shares, other, atol=1e-12, rtol=0) for other in seen):
            continue
        seen.append(shares)
        if any(rest_set.contains(shares) for rest_set in sets):
            continue
        out.append(tuple(compact(sp.sympify(v)) for v in state))
    return out
