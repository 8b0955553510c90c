"""``tripartite thresholds [MODEL] --param NAME``: critical values of one parameter.

For every vertex eigenvalue that depends on the parameter, the value at which
it is zero, solved exactly (an expression of the other parameters), and at
the given point (defaults unless ``--set``) its number, whether it lies in
the declared range, on which side the eigenvalue is negative, and whether
crossing it switches the vertex's asymptotic stability.  Then, per vertex,
the ranges of the parameter where the vertex is asymptotically stable.
"""

from __future__ import annotations

import argparse
from typing import Any

import sympy as sp

from ..dynamics.stability import DEFAULT_TOL
from ..expr import to_text
from ..io import latex
from ..io.results import provenance
from ..model import Model
from ..symbolic import critical_values, stable_intervals
from .common import (
    add_model_argument,
    add_set_argument,
    emit,
    emit_json,
    fmt,
    model_from_args,
    table,
    values_from_sets,
)

__all__ = ["add_parser", "thresholds_record", "render_text", "render_markdown", "run"]

FORMATS = ("text", "markdown", "latex", "json")


def add_parser(sub) -> None:
    parser = sub.add_parser(
        "thresholds",
        help="critical values of one parameter at which a vertex's stability can change",
    )
    add_model_argument(parser)
    parser.add_argument("--param", required=True, metavar="NAME", help="the parameter to solve for")
    add_set_argument(parser)
    parser.add_argument("--format", choices=FORMATS, default="text", help="output format (default: text)")
    parser.add_argument("--fragment", action="store_true", help="latex: the table only, not a whole document")
    parser.add_argument("--out", metavar="FILE", help="write the output to FILE instead of printing it")
    parser.set_defaults(func=run)


def _bound(value: sp.Expr) -> float | None:
    value = sp.sympify(value)
    return None if value.is_infinite else float(sp.N(value, 17))


def thresholds_record(model: Model, parameter: str, values: dict[str, float]) -> dict[str, Any]:
    """The ``thresholds`` result as a JSON-ready record with provenance.

    Examples
    --------
    >>> from tripartite import load_model
    >>> rec = thresholds_record(load_model("baseline"), "nu", {})
    >>> rec["stable_intervals"][-1]
    {'profile': {'government': 'passive', 'platform': 'shirk', 'worker': 'lapse'}, 'intervals': [[0.0, 0.44148936170212766]], 'exact': [['0', '83/188']]}
    """
    param = model.parameter(parameter)
    values = {k: v for k, v in values.items()}
    critical = critical_values(model, parameter, at=values)
    intervals = stable_intervals(model, parameter, at=values)
    record = provenance(
        model.game(values),
        method="exact: each vertex eigenvalue solved for the parameter (sympy); stable ranges from the "
        "signs between consecutive critical values",
        tolerance=DEFAULT_TOL,
        model_hash=model.hash,
        source=model.source,
        extra={"changed": {k: float(v) for k, v in values.items()}},
    )
    record["parameter"] = {
        "name": param.name,
        "range": [
            None if param.min == float("-inf") else param.min,
            None if param.max == float("inf") else param.max,
        ],
        "value": float(values.get(param.name, param.default)),
    }
    record["symbols"] = {
        "parameters": list(model.parameter_names),
        "assumptions": "every symbol is real",
        "parse_back": "sympy.parse_expr(text, local_dict={name: sympy.Symbol(name, real=True) for name in symbols})",
    }
    rows = []
    for c in critical:
        player, alt = c.deviation
        rows.append(
            {
                "profile": {
                    p: model.strategies[i][k] for i, (p, k) in enumerate(zip(model.players, c.profile))
                },
                "player": model.players[player],
                "deviation": model.strategies[player][alt],
                "eigenvalue": to_text(c.eigenvalue),
                "critical": to_text(c.solution),
                "value": None if c.value is None else float(sp.N(c.value, 17)),
                "exact": None if c.value is None else to_text(c.value),
                "in_range": c.in_range,
                "stable_side": None if c.stable_below is None else ("below" if c.stable_below else "above"),
                "changes_stability": c.changes_stability,
            }
        )
    record["critical_values"] = rows
    record["stable_intervals"] = [
        {
            "profile": {p: model.strategies[i][k] for i, (p, k) in enumerate(zip(model.players, profile))},
            "intervals": [[_bound(a), _bound(b)] for a, b in spans],
            "exact": [[to_text(a), to_text(b)] for a, b in spans],
        }
        for profile, spans in intervals.items()
    ]
    return record


def _point_text(record: dict) -> str:
    changed = record.get("changed") or {}
    return "defaults" + (
        " except " + ", ".join(f"{k}={fmt(v)}" for k, v in changed.items()) if changed else ""
    )


def _rows(record: dict, code: bool) -> list[tuple[str, ...]]:
    def wrap(text: str) -> str:
        return f"`{text}`" if code else text

    rows = []
    for c in record["critical_values"]:
        value = "" if c["exact"] is None else c["exact"]
        if c["value"] is not None and c["exact"] != fmt(c["value"]):
            value += f" = {fmt(c['value'])}"
        if c["in_range"] is False:
            value += " (out of range)"
        side = c["stable_side"] or ""
        if c["changes_stability"]:
            side += ", vertex stability changes"
        rows.append(
            (
                ", ".join(c["profile"].values()),
                f"{c['player']} to {c['deviation']}",
                wrap(f"{record['parameter']['name']} = {c['critical']}"),
                value,
                side,
            )
        )
    return rows


_HEADERS = ("vertex", "deviation", "critical value", "at the point", "eigenvalue < 0")


def _inf(text: str) -> str:
    return {"oo": "inf", "-oo": "-inf"}.get(text, text)


def _interval_lines(record: dict) -> list[str]:
    name = record["parameter"]["name"]
    lines = []
    for item in record["stable_intervals"]:
        vertex = ", ".join(item["profile"].values())
        if item["exact"]:
            spans = " and ".join(f"({_inf(a)}, {_inf(b)})" for a, b in item["exact"])
            lines.append(f"  {vertex}: {name} in {spans}")
        else:
            lines.append(f"  {vertex}: for no value in the range")
    return lines


def render_text(record: dict) -> str:
    """Plain-text rendering of a ``thresholds`` record."""
    p = record["parameter"]
    lo = "-inf" if p["range"][0] is None else fmt(p["range"][0])
    hi = "inf" if p["range"][1] is None else fmt(p["range"][1])
    lines = [
        f"{record['model']} (tripartite {record['version']}, model hash {record['model_hash']})",
        f"parameters: {_point_text(record)}; {p['name']} = {fmt(p['value'])}, declared range [{lo}, {hi}]",
        "",
        f"Critical values of {p['name']}: where a vertex eigenvalue is zero (the others at the point):",
    ]
    lines.append(table(_HEADERS, _rows(record, code=False)) if record["critical_values"] else "  none")
    lines += [
        "",
        f"Asymptotically stable vertices as {p['name']} varies over its range:",
        *_interval_lines(record),
    ]
    return "\n".join(lines)


def render_markdown(record: dict) -> str:
    """Markdown rendering of a ``thresholds`` record."""
    p = record["parameter"]
    lines = [
        f"### Critical values of `{p['name']}` in {record['model']}",
        "",
        f"tripartite {record['version']}, model hash `{record['model_hash']}`; parameters: {_point_text(record)}.",
        "",
        "| " + " | ".join(_HEADERS) + " |",
        "|" + "---|" * len(_HEADERS),
    ]
    lines += [
        "| " + " | ".join(str(c).replace("|", "\\|") for c in row) + " |" for row in _rows(record, code=True)
    ]
    lines += ["", f"Asymptotically stable as `{p['name']}` varies:", ""]
    lines += ["- " + line.strip() for line in _interval_lines(record)]
    return "\n".join(lines)


def run(args: argparse.Namespace) -> None:
    model = model_from_args(args)
    model.parameter(args.param)
    values = values_from_sets(model, args.sets)
    record = thresholds_record(model, args.param, values)
    if args.format == "json":
        emit_json(record, args.out)
    elif args.format == "markdown":
        emit(render_markdown(record), args.out)
    elif args.format == "latex":
        body = latex.thresholds_table(
            model,
            args.param,
            critical_values(model, args.param, at=values),
            stable_intervals(model, args.param, at=values),
        )
        emit(body if args.fragment else latex.document(body), args.out)
    else:
        emit(render_text(record), args.out)
