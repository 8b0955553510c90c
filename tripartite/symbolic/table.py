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

:func:`stability_table` computes it once and returns a
:class:`StabilityTable`, which presents it: an HTML table in Jupyter (LaTeX
in the expression cells), a booktabs LaTeX table for a paper
(:meth:`StabilityTable.to_latex`), Markdown (:meth:`StabilityTable.to_markdown`),
plain text, and a JSON-ready record with provenance
(:attr:`StabilityTable.record`, the ``tripartite stability --format json``
output).

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

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import sympy as sp

from ..errors import TripartiteError
from ..expr import to_text
from ..game import DEFAULT_TOL
from ..io import latex
from ..io.results import parameter_range, provenance
from ..io.text import header, markdown_header, markdown_table, point_text, table
from ..model import Model
from .equations import ReplicatorEquations, replicator_equations
from .restpoints import RestPoint, rest_points
from .verdicts import STATUSES
from .vertices import VertexAnalysis, VertexEvaluation, evaluate_vertices, vertex_analysis

__all__ = [
    "METHOD",
    "PARSE_BACK",
    "STATUS_LEGEND",
    "StabilityTable",
    "render_latex",
    "render_markdown",
    "render_text",
    "stability_record",
    "stability_table",
]

METHOD = (
    "symbolic (sympy): vertex eigenvalues are the deviation gains; verdicts over the declared ranges by "
    "interval arithmetic, exact linear programming and exactly checked witnesses; rest points by exact "
    "elimination"
)
PARSE_BACK = "sympy.parse_expr(text, local_dict={name: sympy.Symbol(name, real=True) for name in symbols})"
STATUS_LEGEND = {
    "always": "holds at every admissible parameter point",
    "always inside": "holds everywhere inside the declared ranges, perhaps not on their boundary",
    "never": "holds at no admissible point",
    "depends": "holds at some admissible points and not at others",
    "undecided": "could not be decided",
}
_HEADERS = (
    "vertex",
    "can be stable",
    "deviation",
    "eigenvalue",
    "condition (eigenvalue < 0)",
    "holds",
    "value",
    "sign",
    "classification",
)


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
        Vertex -> :class:`~tripartite.symbolic.VertexEvaluation` at the point.
    rest_points : list of RestPoint or None
        Rest points on edges, faces and in the interior at the point (``None``
        unless every player has two strategies).
    record : dict
        JSON-ready record with provenance (the ``tripartite stability --format json`` output).
    """

    model: Model
    values: dict[str, float]
    tol: float
    equations: ReplicatorEquations
    analysis: dict[tuple[int, ...], VertexAnalysis]
    evaluation: dict[tuple[int, ...], VertexEvaluation]
    rest_points: list[RestPoint] | None
    record: dict[str, Any]

    def classification(self, profile: Sequence[int]) -> str:
        """The classification of a vertex (strategy indices) at the point."""
        return self.evaluation[tuple(profile)].classification

    def stable_profiles(self) -> list[tuple[int, ...]]:
        """The vertices that are asymptotically stable at the point."""
        return [p for p, ev in self.evaluation.items() if ev.classification == "asymptotically stable"]

    def to_text(self) -> str:
        """Plain text (the ``tripartite stability`` output)."""
        return render_text(self.record)

    def to_markdown(self) -> str:
        """Markdown: the equations, a pipe table of the vertices, the rest points, the verdicts."""
        return render_markdown(self.record)

    def to_latex(self, fragment: bool = True) -> str:
        """The booktabs vertex table; a complete document (with provenance) when ``fragment`` is false."""
        return _latex(self.model, self.analysis, self.evaluation, self.record, fragment)

    def _repr_latex_(self) -> str:
        return self.to_latex(fragment=True)

    def _repr_html_(self) -> str:
        from ..display import html_table

        symbols = latex.latex_symbols(self.model)
        rows = []
        for k, (profile, a) in enumerate(self.analysis.items()):
            ev = self.evaluation[profile]
            for j, (deviation, cond) in enumerate(zip(a.deviation_names(), a.conditions)):
                first = j == 0
                rows.append(
                    [
                        f"E{k + 1} ({', '.join(a.strategies)})" if first else "",
                        a.status if first else "",
                        deviation,
                        f"${latex.latex_expr(cond.eigenvalue, symbols)}$",
                        f"${latex.latex_expr(cond.inequality, symbols)}$",
                        cond.status,
                        to_text(ev.values[j]),
                        _sign_text(ev.signs[j]),
                        ev.classification if first else "",
                    ]
                )
        caption = f"{self.model.name}: stability of every vertex at {point_text(self.record)}"
        out = html_table(_HEADERS, rows, caption)
        if self.rest_points is not None:
            rest = [_rest_point_row(self.model, p) for p in self.rest_points]
            out += html_table(
                ["kind", "mixing", "state", "classification", "note"],
                rest or [["none", "", "only the vertices are rest points", "", ""]],
                "rest points on edges, faces and in the interior",
            )
        return out

    def __repr__(self) -> str:
        stable = [", ".join(self.analysis[p].strategies) for p in self.stable_profiles()]
        found = "; ".join(f"({s})" for s in stable) or "none"
        return (
            f"<StabilityTable of {self.model.name!r} at {point_text(self.record)}: "
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
        ``to_text()`` and ``record`` (JSON-ready, with provenance).

    Examples
    --------
    >>> from tripartite import load_model
    >>> table = stability_table(load_model("baseline"))
    >>> table
    <StabilityTable of 'baseline' at defaults: 8 vertices, asymptotically stable: (passive, shirk, lapse)>
    >>> print(table.analysis[(1, 1, 1)].conditions[1].inequality)
    R*p + r < m
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
    record = _record(model, values, tol, equations, analysis, evaluation, points)
    return StabilityTable(model, values, tol, equations, analysis, evaluation, points, record)


def stability_record(model: Model, values: Mapping[str, float], tol: float = DEFAULT_TOL) -> dict[str, Any]:
    """The stability table as a JSON-ready record with provenance.

    Examples
    --------
    >>> from tripartite import load_model
    >>> rec = stability_record(load_model("baseline"), {})
    >>> rec["vertices"][7]["classification"], rec["vertices"][7]["eigenvalues"][1]["condition"]
    ('asymptotically stable', 'R*p + r < m')
    """
    return stability_table(model, values, tol).record


def _sign_text(sign: int) -> str:
    return {-1: "-", 0: "0", 1: "+"}[sign]


def _float(value: sp.Expr) -> float:
    return float(sp.N(value, 17))


def _record(model, values, tol, equations, analysis, evaluation, points) -> dict[str, Any]:
    changed = {k: float(v) for k, v in values.items()}
    record = provenance(
        model.game(values), method=METHOD, tolerance=tol, model=model, extra={"changed": changed}
    )
    record["symbols"] = {
        "parameters": list(model.parameter_names),
        "states": {str(x): text for x, text in zip(equations.states, equations.meaning())},
        "assumptions": "every symbol is real",
        "parse_back": PARSE_BACK,
    }
    record["ranges"] = {p.name: parameter_range(p) for p in model.parameters}
    record["replicator_equations"] = {
        "form": "x' = x*(1 - x)*D" if equations.two_strategies else "x_s' = x_s*(f_s - mean payoff)",
        "rhs": {str(x): to_text(r) for x, r in zip(equations.states, equations.rhs)},
        "payoff_differences": {model.players[i]: to_text(d) for i, d in equations.differences.items()},
    }
    vertices = []
    for profile, a in analysis.items():
        ev = evaluation[profile]
        eigen = []
        for j, ((player, alt), cond) in enumerate(zip(a.deviations, a.conditions)):
            eigen.append(
                {
                    "player": model.players[player],
                    "deviation": model.strategies[player][alt],
                    "expression": to_text(cond.eigenvalue),
                    "condition": to_text(cond.inequality),
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
            }
        )
    record["vertices"] = vertices
    record["statuses"] = {s: STATUS_LEGEND[s] for s in STATUSES}
    if points is not None:
        record["rest_points"] = [_rest_point_record(model, p) for p in points]
    else:
        record["rest_points"] = None
        record["rest_points_note"] = (
            "rest points beyond the vertices are computed for two strategies per player"
        )
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
    return {
        "kind": point.kind,
        "mixing": [model.players[i] for i in point.mixing],
        "state": state,
        "eigenvalues": None if eig is None else [[v.real, v.imag] for v in eig],
        "classification": point.classification,
        "stability_status": point.status,
        "note": point.note,
    }


def _rest_point_row(model: Model, point: RestPoint) -> list[str]:
    state = "; ".join(
        f"{player}: {model.strategies[i][0]} {to_text(sp.sympify(v))}"
        for i, (player, v) in enumerate(zip(model.players, point.state))
    )
    return [
        point.kind,
        ", ".join(model.players[i] for i in point.mixing),
        state,
        point.classification or "not classified",
        point.note,
    ]


# --- text renderings of the record -------------------------------------------------------------------


def _vertex_rows(record: dict, code: bool) -> list[tuple[str, ...]]:
    def wrap(text: str) -> str:
        return f"`{text}`" if code else text

    rows = []
    for k, v in enumerate(record["vertices"]):
        for j, e in enumerate(v["eigenvalues"]):
            head = f"E{k + 1} ({', '.join(v['profile'].values())})" if j == 0 else ""
            rows.append(
                (
                    head,
                    v["stability_status"] if j == 0 else "",
                    f"{e['player']} to {e['deviation']}",
                    wrap(e["expression"]),
                    wrap(e["condition"]),
                    e["status"],
                    e["exact"],
                    e["sign"],
                    v["classification"] if j == 0 else "",
                )
            )
    return rows


def _rest_point_lines(record: dict) -> list[str]:
    points = record.get("rest_points")
    if points is None:
        return [record.get("rest_points_note", "")]
    if not points:
        return ["  none on edges, faces or in the interior (only the vertices)"]
    lines = []
    for p in points:
        state = "; ".join(f"{player} {s['exact']}" for player, s in p["state"].items())
        label = p["classification"] or "not classified"
        lines.append(f"  {p['kind']} ({', '.join(p['mixing'])} mixing): {state} -> {label}")
        if p["note"]:
            lines.append(f"      {p['note']}")
    return lines


def render_text(record: dict) -> str:
    """Plain-text rendering of a stability record."""
    eq = record["replicator_equations"]
    lines = [
        header(record),
        f"parameters: {point_text(record)}",
        "",
        "Replicator equations (" + "; ".join(record["symbols"]["states"].values()) + "):",
    ]
    lines += [f"  {x}' = {rhs}" for x, rhs in eq["rhs"].items()]
    lines += [
        "",
        "Vertices: eigenvalues of the Jacobian and the condition for asymptotic stability "
        "(every eigenvalue < 0);",
        "'holds' / 'can be stable' are verdicts over the declared parameter ranges; value, sign and "
        "classification at the parameters above:",
        table(_HEADERS, _vertex_rows(record, code=False)),
        "",
        "Rest points on edges, faces and in the interior at the parameters above:",
        *_rest_point_lines(record),
        "",
        "Verdicts: " + "; ".join(f"{k}: {v}" for k, v in record["statuses"].items()) + ".",
    ]
    return "\n".join(lines)


def render_markdown(record: dict) -> str:
    """Markdown rendering of a stability record (a pipe table)."""
    eq = record["replicator_equations"]
    lines = [
        f"### Stability of {record['model']}",
        "",
        markdown_header(record),
        "",
        "Replicator equations (" + "; ".join(record["symbols"]["states"].values()) + "):",
        "",
    ]
    lines += [f"- `{x}' = {rhs}`" for x, rhs in eq["rhs"].items()]
    lines += ["", *markdown_table(_HEADERS, _vertex_rows(record, code=True))]
    lines += ["", "Rest points on edges, faces and in the interior:", ""]
    lines += ["- " + line.strip() for line in _rest_point_lines(record) if line.strip()]
    lines += ["", "Verdicts: " + "; ".join(f"*{k}*: {v}" for k, v in record["statuses"].items()) + "."]
    return "\n".join(lines)


def render_latex(model: Model, values: Mapping[str, float], record: dict, fragment: bool = False) -> str:
    """LaTeX rendering: the booktabs vertex table, in a complete document unless ``fragment``."""
    evaluation = evaluate_vertices(model, values, record["tolerance"])
    return _latex(model, vertex_analysis(model), evaluation, record, fragment)


def _latex(model: Model, analysis, evaluation, record: dict, fragment: bool) -> str:
    body = latex.vertex_table(model, analysis, evaluation, point_text=point_text(record))
    if fragment:
        return body
    comment = (
        f"% {record['model']}: tripartite {record['version']}, model hash {record['model_hash']}, "
        f"parameters: {point_text(record)}"
    )
    return latex.document(comment + "\n" + body)
