"""``tripartite stability [MODEL]``: the symbolic stability table of every vertex.

For each pure profile: the Jacobian eigenvalues as expressions, the condition
for asymptotic stability (every eigenvalue negative) as inequalities with
their verdict over the declared parameter ranges, and at the given parameter
values (defaults unless ``--set``) each eigenvalue's exact value and sign and
the vertex's classification.  For games with two strategies per player, the
rest points on edges, faces and in the interior at those values follow.

Formats: ``text`` (default), ``markdown``, ``latex`` (a booktabs table in a
complete document; ``--fragment`` for the table alone) and ``json``, whose
expressions are strings that ``sympy.parse_expr`` reads back with every name
a real symbol.
"""

from __future__ import annotations

import argparse
from functools import partial
from typing import Any

import sympy as sp

from ..dynamics.stability import DEFAULT_TOL
from ..errors import TripartiteError
from ..expr import to_text
from ..io import latex
from ..io.results import parameter_range
from ..model import Model
from ..symbolic import (
    STATUSES,
    evaluate_vertices,
    replicator_equations,
    rest_points,
    vertex_analysis,
)
from .common import (
    add_format_arguments,
    add_model_argument,
    add_set_argument,
    command_provenance,
    emit_formatted,
    header,
    markdown_table,
    model_and_values,
    point_text,
    table,
)

__all__ = ["add_parser", "stability_record", "render_text", "render_markdown", "render_latex", "run"]

FORMATS = ("text", "markdown", "latex", "json")
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


def add_parser(sub) -> None:
    parser = sub.add_parser(
        "stability",
        help="symbolic stability table of every vertex: eigenvalues, conditions, verdicts, values",
    )
    add_model_argument(parser)
    add_set_argument(parser)
    add_format_arguments(parser, FORMATS)
    parser.add_argument(
        "--tol", type=float, default=DEFAULT_TOL, help="tolerance for signs of irrational values"
    )
    parser.set_defaults(func=run)


def _sign_text(sign: int) -> str:
    return {-1: "-", 0: "0", 1: "+"}[sign]


def _float(value: sp.Expr) -> float:
    return float(sp.N(value, 17))


def stability_record(model: Model, values: dict[str, float], tol: float = DEFAULT_TOL) -> dict[str, Any]:
    """The ``stability`` result as a JSON-ready record with provenance.

    Examples
    --------
    >>> from tripartite import load_model
    >>> rec = stability_record(load_model("baseline"), {})
    >>> rec["vertices"][7]["classification"], rec["vertices"][7]["eigenvalues"][1]["condition"]
    ('asymptotically stable', 'R*p + r < m')
    """
    if not tol >= 0:
        raise TripartiteError(f"--tol must be a non-negative number, got {tol}")
    analysis = vertex_analysis(model)
    evaluation = evaluate_vertices(model, values, tol)
    equations = replicator_equations(model)
    record = command_provenance(model.game(values), model, values, method=METHOD, tolerance=tol)
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
    if equations.two_strategies:
        record["rest_points"] = [_rest_point_record(model, p) for p in rest_points(model, at=values, tol=tol)]
    else:
        record["rest_points"] = None
        record["rest_points_note"] = (
            "rest points beyond the vertices are computed for two strategies per player"
        )
    return record


def _rest_point_record(model: Model, point) -> dict[str, Any]:
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
    """Plain-text rendering of a ``stability`` record."""
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
    """Markdown rendering of a ``stability`` record (a pipe table)."""
    eq = record["replicator_equations"]
    lines = [
        f"### Stability of {record['model']}",
        "",
        f"tripartite {record['version']}, model hash `{record['model_hash']}`; parameters: {point_text(record)}.",
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


def render_latex(model: Model, values: dict[str, float], record: dict, fragment: bool = False) -> str:
    """LaTeX rendering: the booktabs vertex table, in a complete document unless ``fragment``."""
    body = latex.vertex_table(
        model,
        vertex_analysis(model),
        evaluate_vertices(model, values, record["tolerance"]),
        point_text=point_text(record),
    )
    if fragment:
        return body
    comment = (
        f"% {record['model']}: tripartite {record['version']}, model hash {record['model_hash']}, "
        f"parameters: {point_text(record)}"
    )
    return latex.document(comment + "\n" + body)


def run(args: argparse.Namespace) -> None:
    model, values = model_and_values(args)
    record = stability_record(model, values, args.tol)
    latex = partial(render_latex, model, values, fragment=args.fragment)
    emit_formatted(record, args, {"text": render_text, "markdown": render_markdown, "latex": latex})
