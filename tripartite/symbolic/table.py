"""The stability table of a model: every vertex's eigenvalues, conditions, verdicts and values.

For each pure profile (vertex) :math:`s` the table lists the eigenvalues of
the replicator Jacobian, the deviation gains
:math:`\\lambda = u_i(t, s_{-i}) - u_i(s)` (:mod:`~tripartite.symbolic.vertices`);
the condition :math:`\\lambda < 0` for asymptotic stability with its
verdict over the declared parameter ranges
(:mod:`~tripartite.symbolic.verdicts`); and, at one parameter point, each
eigenvalue's exact value and sign and the vertex's classification.  For
games with two strategies per player the rest points on edges, faces and in
the interior at that point follow (:mod:`~tripartite.symbolic.restpoints`).

Two vocabularies appear side by side, and mean different things:

- a *verdict* (``always``, ``always inside``, ``never``, ``depends``,
  ``undecided``: :data:`~tripartite.symbolic.verdicts.STATUSES`) is a statement
  about a condition over the declared parameter *ranges*; ``undecided`` says
  the analysis could not decide it, nothing about any point;
- a *classification* (:data:`tripartite.dynamics.CLASSIFICATIONS`:
  ``asymptotically stable``, ``unstable``, ``saddle``, ``non-hyperbolic``) is
  a statement about a rest point at the given parameter *values*, from the
  signs of its eigenvalues by :func:`tripartite.dynamics.stability.classify`.

:func:`stability_table` computes it once and returns a
:class:`StabilityTable`, which holds the data and its JSON-ready record
(:meth:`StabilityTable.to_record`, the content of ``tripartite stability
--format json``).  Its renderings are presentation
(:mod:`tripartite.io.tables`: text, Markdown, HTML; :mod:`tripartite.io.latex`:
the booktabs table), reached through thin methods: ``to_latex()``,
``to_markdown()``, ``to_text()`` and the Jupyter display.

Examples
--------
>>> from tripartite import load_model
>>> table = stability_table(load_model("baseline"), {"nu": 0.5})
>>> table.classification((1, 1, 1))
'saddle'
>>> table.to_latex().startswith("% requires")
True
"""

from __future__ import annotations

import copy
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import sympy as sp

from ..dynamics.stability import ASYMPTOTICALLY_STABLE, CLASSIFICATIONS
from ..errors import TripartiteError
from ..expr import to_text
from ..game import DEFAULT_TOL
from ..model import Model
from .equations import ReplicatorEquations, replicator_equations
from .hurwitz import routh_hurwitz
from .restpoints import RestPoint, rest_points
from .verdicts import STATUSES
from .vertices import VertexAnalysis, VertexEvaluation, evaluate_vertices, vertex_analysis

__all__ = [
    "METHOD",
    "PARSE_BACK",
    "STATUS_LEGEND",
    "StabilityTable",
    "stability_record",
    "stability_table",
]

METHOD = (
    "symbolic (sympy): vertex eigenvalues are the deviation gains; verdicts over the declared ranges by "
    "interval arithmetic, exact linear programming and exactly checked witnesses; rest points by exact "
    "elimination"
)
PARSE_BACK = "sympy.parse_expr(text, local_dict={name: sympy.Symbol(name, real=True) for name in symbols})"
#: What each verdict over the declared parameter ranges means (statements about conditions).
STATUS_LEGEND = {
    "always": "holds at every admissible parameter point",
    "always inside": "holds everywhere inside the declared ranges, perhaps not on their boundary",
    "never": "holds at no admissible point",
    "depends": "holds at some admissible points and not at others",
    "undecided": "could not be decided (a verdict on the analysis, not on the model)",
}
_STABLE = CLASSIFICATIONS[ASYMPTOTICALLY_STABLE]


@dataclass(frozen=True, eq=False)
class StabilityTable:
    """The stability table of a model at one parameter point.

    Attributes
    ----------
    model : Model
    values : dict
        The parameters set away from their defaults.
    tol : float
        Tolerance for the signs of irrational values.
    equations : ReplicatorEquations
    analysis : dict
        Vertex -> :class:`~tripartite.symbolic.VertexAnalysis` (eigenvalues,
        conditions, verdicts over the declared ranges).
    evaluation : dict
        Vertex -> :class:`~tripartite.symbolic.VertexEvaluation` at the point
        (values, signs, classification).
    rest_points : list of RestPoint or None
        Rest points on edges, faces and in the interior at the point (``None``
        unless every player has two strategies).
    """

    model: Model
    values: dict[str, float]
    tol: float
    equations: ReplicatorEquations
    analysis: dict[tuple[int, ...], VertexAnalysis]
    evaluation: dict[tuple[int, ...], VertexEvaluation]
    rest_points: list[RestPoint] | None

    def classification(self, profile: Sequence[int]) -> str:
        """The classification of a vertex (strategy indices) at the point."""
        return self.evaluation[tuple(profile)].classification

    def stable_profiles(self) -> list[tuple[int, ...]]:
        """The vertices that are asymptotically stable at the point."""
        return [p for p, ev in self.evaluation.items() if ev.classification == _STABLE]

    @cached_property
    def _record_content(self) -> dict[str, Any]:
        return _content(
            self.model, self.values, self.equations, self.analysis, self.evaluation, self.rest_points
        )

    def to_record(self) -> dict[str, Any]:
        """The JSON-ready table, without provenance (the same keys for every model).

        Keys: ``symbols`` (parameter and state names, how to parse the
        expressions back), ``ranges``, ``replicator_equations``, ``vertices``
        (per vertex: ``profile``, ``eigenvalues`` with each expression,
        condition, verdict, value, exact value and sign, the verdict
        ``stability_status``, the ``classification``, and ``payoffs`` and
        ``welfare``, player -> number at the point: the decision payoffs and
        the welfare of :mod:`tripartite.welfare`), ``welfare`` (how welfare is
        evaluated: ``evaluation`` in words, the ``[welfare]`` ``values``, and
        ``declared``, whether the model declares welfare apart from its
        payoffs), ``statuses`` (what each verdict means), ``rest_points``
        (``None`` unless every player has two strategies) and
        ``rest_points_note`` (why not, else ``None``).

        Examples
        --------
        >>> from tripartite import load_model
        >>> rec = stability_table(load_model("baseline")).to_record()
        >>> rec["vertices"][7]["classification"], rec["vertices"][7]["eigenvalues"][1]["condition"]
        ('asymptotically stable', 'R*p + ell + r < m')
        >>> "version" in rec, rec["rest_points_note"]
        (False, None)
        """
        return copy.deepcopy(self._record_content)

    @cached_property
    def record(self) -> dict[str, Any]:
        """The provenance block followed by :meth:`to_record` (the ``stability --format json`` output)."""
        from ..io.results import provenance

        record = provenance(
            self.model,  # the model at the values: no payoff arrays are needed
            values=self.values,
            method=METHOD,
            tolerance=self.tol,
            model=self.model,
        )
        return {**record, **self.to_record()}

    def to_text(self) -> str:
        """Plain text (the ``tripartite stability`` output): :func:`tripartite.io.tables.stability_text`."""
        from ..io.tables import stability_text

        return stability_text(self.record)

    def to_markdown(self) -> str:
        """Markdown: :func:`tripartite.io.tables.stability_markdown`."""
        from ..io.tables import stability_markdown

        return stability_markdown(self.record)

    def to_latex(self, fragment: bool = True) -> str:
        """The booktabs vertex table; a complete document (with provenance) when ``fragment`` is false.

        :func:`tripartite.io.latex.stability_latex`.
        """
        from ..io.latex import stability_latex

        return stability_latex(self, fragment)

    def _repr_latex_(self) -> str:
        return self.to_latex(fragment=True)

    def _repr_html_(self) -> str:
        from ..io.tables import stability_html

        return stability_html(self)

    def __repr__(self) -> str:
        from ..io.text import point_text

        stable = [", ".join(self.analysis[p].strategies) for p in self.stable_profiles()]
        found = "; ".join(f"({s})" for s in stable) or "none"
        return (
            f"<StabilityTable of {self.model.name!r} at {point_text({'changed': self.values})}: "
            f"{len(self.analysis)} vertices, asymptotically stable: {found}>"
        )


def stability_table(
    model: Model, values: Mapping[str, float] | None = None, tol: float = DEFAULT_TOL
) -> StabilityTable:
    """The stability table of every vertex of ``model`` at one parameter point.

    Parameters
    ----------
    model : Model
    values : mapping, optional
        Parameter name -> number; the others keep their defaults.  Decimals
        are read as the exact rationals they print as.
    tol : float
        Tolerance for the signs of irrational values.

    Returns
    -------
    StabilityTable
        Shown as an HTML table in Jupyter; ``to_latex()``, ``to_markdown()``,
        ``to_text()``, ``to_record()`` (JSON-ready) and ``record`` (with provenance).

    Examples
    --------
    >>> from tripartite import load_model
    >>> table = stability_table(load_model("baseline"))
    >>> table
    <StabilityTable of 'baseline' at defaults: 8 vertices, asymptotically stable: (passive, shirk, lapse)>
    >>> print(table.analysis[(1, 1, 1)].conditions[1].inequality)
    R*p + ell + r < m
    >>> "| E8 (passive, shirk, lapse) | depends |" in table.to_markdown()
    True
    """
    if not tol >= 0:
        raise TripartiteError(f"tol must be a non-negative number, got {tol}")
    values = dict(values or {})
    analysis = vertex_analysis(model)
    evaluation = evaluate_vertices(model, values, tol)  # checks the names and ranges of the values
    equations = replicator_equations(model)
    points = rest_points(model, at=values, tol=tol) if equations.two_strategies else None
    return StabilityTable(model, values, tol, equations, analysis, evaluation, points)


def stability_record(model: Model, values: Mapping[str, float], tol: float = DEFAULT_TOL) -> dict[str, Any]:
    """The stability table as a JSON-ready record with provenance (:attr:`StabilityTable.record`).

    Examples
    --------
    >>> from tripartite import load_model
    >>> rec = stability_record(load_model("baseline"), {})
    >>> rec["vertices"][7]["classification"], rec["method"].startswith("symbolic")
    ('asymptotically stable', True)
    """
    return stability_table(model, values, tol).record


def _sign_text(sign: int) -> str:
    return {-1: "-", 0: "0", 1: "+"}[sign]


def _float(value: sp.Expr) -> float:
    return float(sp.N(value, 17))


def _text(key: sp.Expr, tag: str, expr: sp.Basic) -> str:
    """``to_text(expr)``, cached in a :func:`~tripartite.symbolic.cache.session` under ``(key, tag)``."""
    from .cache import memo

    return memo("text", [key], tag, lambda: to_text(expr))


def _content(model, values, equations, analysis, evaluation, points) -> dict[str, Any]:
    from ..game import profile_from_indices
    from ..io.results import parameter_range  # JSON pieces only; no presentation
    from ..welfare import expected_payoffs_at, welfare_at, welfare_description, welfare_game

    record: dict[str, Any] = {}
    record["symbols"] = {
        "parameters": list(model.parameter_names),
        "states": {str(x): text for x, text in zip(equations.states, equations.meaning())},
        "assumptions": "every symbol is real",
        "parse_back": PARSE_BACK,
    }
    record["ranges"] = {p.name: parameter_range(p) for p in model.parameters}
    record["replicator_equations"] = {
        "form": "x' = x*(1 - x)*D" if equations.two_strategies else "x_s' = x_s*(f_s - mean payoff)",
        "rhs": {str(x): _text(r, "to_text", r) for x, r in zip(equations.states, equations.rhs)},
        "payoff_differences": {
            model.players[i]: _text(d, "to_text", d) for i, d in equations.differences.items()
        },
    }
    # each vertex's decision payoffs and welfare at the point (tripartite.welfare; the same numbers as solve)
    game, welfare = model.game(values), welfare_game(model, values)
    vertices = []
    for profile, a in analysis.items():
        ev = evaluation[profile]
        x = profile_from_indices(game.shape, profile)
        eigen = []
        for j, ((player, alt), cond) in enumerate(zip(a.deviations, a.conditions)):
            eigen.append(
                {
                    "player": model.players[player],
                    "deviation": model.strategies[player][alt],
                    "expression": _text(cond.eigenvalue, "", cond.eigenvalue),
                    "condition": _text(cond.eigenvalue, "inequality", cond.inequality),
                    "status": cond.status,
                    "value": _float(ev.values[j]),
                    "exact": to_text(ev.values[j]),
                    "sign": _sign_text(ev.signs[j]),
                }
            )
        vertices.append(
            {
                "profile": model.profile_names(profile),
                "eigenvalues": eigen,
                "stability_status": a.status,
                "classification": ev.classification,
                "payoffs": dict(zip(model.players, map(float, expected_payoffs_at(game, x)))),
                "welfare": dict(zip(model.players, map(float, welfare_at(welfare, x)))),
            }
        )
    record["vertices"] = vertices
    record["welfare"] = {
        "evaluation": welfare_description(model),
        "values": {w.name: w.value for w in model.welfare},
        "declared": bool(model.welfare) or model.welfare_payoffs is not None,
    }
    record["statuses"] = {s: STATUS_LEGEND[s] for s in STATUSES}
    if points is not None:
        record["rest_points"] = [_rest_point_record(model, p) for p in points]
        record["rest_points_note"] = None
        record["rest_point_sets"] = [s.to_record() for p in points for s in p.sets]  # continua, as sets
    else:
        record["rest_points"] = None
        record["rest_points_note"] = (
            "rest points beyond the vertices are computed for two strategies per player"
        )
        record["rest_point_sets"] = None
    return record


def _rest_point_record(model: Model, point: RestPoint) -> dict[str, Any]:
    state = {}
    for i, value in enumerate(point.state):
        value = sp.sympify(value)
        state[model.players[i]] = {
            model.strategies[i][0]: None if value.free_symbols else _float(value),
            "exact": to_text(value),
        }
    eig = point.numeric_eigenvalues
    isolated = not any(sp.sympify(v).free_symbols for v in point.state)
    interior = point.kind == "interior" and isolated and not point.jacobian.free_symbols
    general = replicator_equations(model).jacobian
    return {
        "kind": point.kind,
        "mixing": [model.players[i] for i in point.mixing],
        "state": state,
        "eigenvalues": None if eig is None else [[v.real, v.imag] for v in eig],
        "classification": point.classification,
        "stability_status": point.status,
        "note": point.note,
        # interior points: the Jacobian (expressions and values), characteristic polynomial, Routh-Hurwitz
        "jacobian": (
            {
                "expression": [[to_text(e) for e in general.row(r)] for r in range(general.rows)],
                "value": [[to_text(e) for e in point.jacobian.row(r)] for r in range(point.jacobian.rows)],
            }
            if interior
            else None
        ),
        "routh_hurwitz": routh_hurwitz(point.jacobian) if interior else None,
    }


# --- the renderers' old names (they live in tripartite.io now) ----------------------------------------


def _moved(old: str, new: str) -> None:
    warnings.warn(
        f"tripartite.symbolic.table.{old} is deprecated; use {new}", DeprecationWarning, stacklevel=3
    )


def render_text(record: dict) -> str:
    """Deprecated: :func:`tripartite.io.tables.stability_text`."""
    from ..io.tables import stability_text

    _moved("render_text", "tripartite.io.tables.stability_text (or StabilityTable.to_text)")
    return stability_text(record)


def render_markdown(record: dict) -> str:
    """Deprecated: :func:`tripartite.io.tables.stability_markdown`."""
    from ..io.tables import stability_markdown

    _moved("render_markdown", "tripartite.io.tables.stability_markdown (or StabilityTable.to_markdown)")
    return stability_markdown(record)


def render_latex(model: Model, values: Mapping[str, float], record: dict, fragment: bool = False) -> str:
    """Deprecated: :meth:`StabilityTable.to_latex` (:func:`tripartite.io.latex.stability_latex`)."""
    from ..io.latex import stability_latex

    _moved("render_latex", "StabilityTable.to_latex (tripartite.io.latex.stability_latex)")
    return stability_latex(stability_table(model, values, record["tolerance"]), fragment, record)
