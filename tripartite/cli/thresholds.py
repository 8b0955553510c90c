"""``tripartite thresholds [MODEL] --param NAME``: critical values of one parameter.

For every vertex eigenvalue that depends on the parameter, the value at which
it is zero, solved exactly (an expression of the other parameters), and at
the given point (defaults unless ``--set``) its number, whether it lies in
the declared range, on which side the eigenvalue is negative, and whether
crossing it switches the vertex's asymptotic stability.  Then, per vertex,
the ranges of the parameter where the vertex is asymptotically stable.

Formats: ``text``, ``markdown``, ``latex``, ``json``, ``docx`` (three
three-line Word tables, ``--out FILE.docx``) and ``xlsx`` (three sheets,
``--out FILE.xlsx``); ``--lang zh`` writes the tables' own words in Chinese.
"""

from __future__ import annotations

import argparse
from typing import Any

from ..game import DEFAULT_TOL
from ..io.results import parameter_range
from ..io.text import markdown_header
from ..model import Model
from ..sweep.regime_changes import thresholds
from ..symbolic import critical_values, stable_intervals
from ..symbolic.cache import session
from ..symbolic.critical import intervals_record
from .common import (
    add_format_arguments,
    add_lang_argument,
    add_model_argument,
    add_set_argument,
    check_docx_output,
    check_xlsx_output,
    command_provenance,
    emit_docx,
    emit_formatted,
    fmt,
    header,
    markdown_table,
    model_from_args,
    point_text,
    table,
    values_from_sets,
)
from .stability import PARSE_BACK

__all__ = ["add_parser", "thresholds_record", "render_text", "render_markdown", "render_latex", "run"]

FORMATS = ("text", "markdown", "latex", "json", "docx", "xlsx")
METHOD = (
    "exact: each vertex eigenvalue solved for the parameter (sympy); stable ranges from the "
    "signs between consecutive critical values; regime thresholds from the exact roots of the "
    "eigenvalues at the point (bisection where they are not rational in the parameter)"
)


def add_parser(sub) -> None:
    parser = sub.add_parser(
        "thresholds",
        help="critical values of one parameter at which a vertex's stability can change",
    )
    add_model_argument(parser)
    parser.add_argument("--param", required=True, metavar="NAME", help="the parameter to solve for")
    add_set_argument(parser)
    add_format_arguments(parser, FORMATS)
    add_lang_argument(parser, "a docx or xlsx table")
    parser.set_defaults(func=run)


def _analysis(model: Model, parameter: str, values: dict[str, float]) -> tuple[list, dict, list]:
    """The library's three answers along one parameter: critical values, stable ranges, regime thresholds.

    The thresholds come first: they refuse a range where some payoff is undefined, with the payoff
    and the point named, before the symbolic answers meet its eigenvalues.
    """
    found = thresholds(model, parameter, values=values)
    return (
        critical_values(model, parameter, at=values),
        stable_intervals(model, parameter, at=values),
        found,
    )


def thresholds_record(
    model: Model, parameter: str, values: dict[str, float], analysis: tuple | None = None
) -> dict[str, Any]:
    """The ``thresholds`` result as a JSON-ready record with provenance.

    ``critical_values`` (:meth:`CriticalValue.to_record
    <tripartite.symbolic.critical.CriticalValue.to_record>`): every zero of a
    vertex eigenvalue, as a formula in the other parameters and at the point;
    ``stable_intervals``: where each vertex is asymptotically stable as the
    parameter varies; ``thresholds`` (:meth:`Threshold.to_record
    <tripartite.sweep.regime_changes.Threshold.to_record>`): where the regime
    changes, the other parameters at the point.

    Examples
    --------
    >>> from tripartite import load_model
    >>> rec = thresholds_record(load_model("baseline"), "nu", {})
    >>> rec["stable_intervals"][-1]
    {'profile': {'government': 'passive', 'platform': 'shirk', 'worker': 'lapse'}, 'intervals': [[0.0, 0.44148936170212766]], 'exact': [['0', '83/188']], 'closed': [[True, False]]}
    >>> [(t["exact"], t["below"], t["above"]) for t in rec["thresholds"]]
    [('83/188', 'low only', 'passive/shirk/enroll only')]
    """
    param = model.parameter(parameter)
    values = dict(values)
    critical, intervals, found = analysis if analysis is not None else _analysis(model, parameter, values)
    record = command_provenance(model, model, values, method=METHOD, tolerance=DEFAULT_TOL)
    record["parameter"] = {
        "name": param.name,
        "range": parameter_range(param),
        "value": float(values.get(param.name, param.default)),
    }
    record["symbols"] = {
        "parameters": list(model.parameter_names),
        "assumptions": "every symbol is real",
        "parse_back": PARSE_BACK,
    }
    record["critical_values"] = [c.to_record() for c in critical]
    record["stable_intervals"] = intervals_record(model, intervals)
    record["thresholds"] = [t.to_record() for t in found]
    return record


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
            closed = item.get("closed") or [[False, False]] * len(item["exact"])
            spans = " and ".join(
                f"{'[' if left else '('}{_inf(a)}, {_inf(b)}{']' if right else ')'}"
                for (a, b), (left, right) in zip(item["exact"], closed)
            )
            lines.append(f"  {vertex}: {name} in {spans}")
        else:
            lines.append(f"  {vertex}: for no value in the range")
    return lines


def _threshold_lines(record: dict) -> list[str]:
    name = record["parameter"]["name"]
    if not record["thresholds"]:
        return ["  none: the regime is the same over the whole range"]
    lines = []
    for t in record["thresholds"]:
        if t["exact"] is None:
            exact = f" (+/- {t['tolerance']:g})"
        else:
            exact = "" if t["exact"] == fmt(t["value"]) else f" = {t['exact']}"
        where = "; ".join(t["conditions"])
        lines.append(
            f"  {name} = {fmt(t['value'])}{exact}: {t['below']} -> {t['above']}"
            + (f" (where {where} = 0)" if where else "")
        )
    return lines


def render_text(record: dict) -> str:
    """Plain-text rendering of a ``thresholds`` record."""
    p = record["parameter"]
    lo = "-inf" if p["range"][0] is None else fmt(p["range"][0])
    hi = "inf" if p["range"][1] is None else fmt(p["range"][1])
    lines = [
        header(record),
        f"parameters: {point_text(record)}; {p['name']} = {fmt(p['value'])}, declared range [{lo}, {hi}]",
        "",
        f"Critical values of {p['name']}: where a vertex eigenvalue is zero (the others at the point):",
    ]
    lines.append(table(_HEADERS, _rows(record, code=False)) if record["critical_values"] else "  none")
    lines += [
        "",
        f"Asymptotically stable vertices as {p['name']} varies over its range:",
        *_interval_lines(record),
        "",
        f"Regime changes as {p['name']} varies (the others at the point):",
        *_threshold_lines(record),
    ]
    return "\n".join(lines)


def render_markdown(record: dict) -> str:
    """Markdown rendering of a ``thresholds`` record."""
    p = record["parameter"]
    lines = [
        f"### Critical values of `{p['name']}` in {record['model']}",
        "",
        markdown_header(record),
        "",
        *markdown_table(_HEADERS, _rows(record, code=True)),
    ]
    lines += ["", f"Asymptotically stable as `{p['name']}` varies:", ""]
    lines += ["- " + line.strip() for line in _interval_lines(record)]
    lines += ["", f"Regime changes as `{p['name']}` varies (the others at the point):", ""]
    lines += ["- " + line.strip() for line in _threshold_lines(record)]
    return "\n".join(lines)


def render_latex(
    model: Model,
    values: dict[str, float],
    record: dict,
    fragment: bool = False,
    analysis: tuple | None = None,
) -> str:
    """LaTeX rendering: the booktabs table of critical values, in a complete document unless ``fragment``.

    ``analysis``: the critical values and stable intervals already computed
    (as :func:`thresholds_record` was given); computed here otherwise.
    """
    parameter = record["parameter"]["name"]
    if analysis is None:
        analysis = _analysis(model, parameter, values)
    critical, intervals = analysis[0], analysis[1]
    from ..io import latex  # loaded only for latex: sympy's LaTeX printer is slow to import

    body = latex.thresholds_table(model, parameter, critical, intervals)
    return latex.latex_output(body, fragment)


def run(args: argparse.Namespace) -> None:
    check_docx_output(args)
    check_xlsx_output(args)
    model = model_from_args(args)
    model.parameter(args.param)
    values = values_from_sets(model, args.sets)
    with session(model):  # the symbolic results, cached on disk (tripartite.symbolic.cache)
        analysis = _analysis(model, args.param, values)
        record = thresholds_record(model, args.param, values, analysis)

    if args.format in ("docx", "xlsx"):
        if args.format == "docx":
            from ..io.docx import thresholds_docx as render_binary
        else:
            from ..io.xlsx import thresholds_xlsx as render_binary
        emit_docx(render_binary(record, lang=args.lang), args.out, record)
        return

    def as_latex(record: dict) -> str:
        return render_latex(model, values, record, fragment=args.fragment, analysis=analysis)

    emit_formatted(record, args, {"text": render_text, "markdown": render_markdown, "latex": as_latex})
