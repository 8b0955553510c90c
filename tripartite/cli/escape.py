"""``tripartite escape MODEL``: single-lever escapes and the least-cost package out of the low profile."""

from __future__ import annotations

import argparse
import math

from ..errors import TripartiteError
from ..model import parse_value
from ..sweep.escape import REPORT_METHOD, T_MAX, escape_report
from ..sweep.levers import DEFAULT_MARGIN, default_levers
from ..sweep.regimes import DEFAULT_TOL, parse_profile, vertex_names
from .common import (
    add_json_argument,
    add_lang_argument,
    add_model_argument,
    add_set_argument,
    check_docx_output,
    check_xlsx_output,
    command_provenance,
    emit_docx,
    emit_record,
    fmt,
    header,
    model_and_values,
    parse_assignments,
    point_text,
    table,
)
from .temporary import add_temporary_arguments

__all__ = ["add_parser", "run", "escape_record", "render"]

METHOD = REPORT_METHOD


def add_parser(sub) -> None:
    parser = sub.add_parser(
        "escape",
        help="how far each lever must move to end the low equilibrium, and the least-cost package",
        description="For each lever alone, the smallest change that makes the low profile stop being "
        "asymptotically stable (and where the system then goes); and the least-cost package of "
        "levers under which the target profile is the only asymptotically stable vertex.",
    )
    add_model_argument(parser)
    parser.add_argument(
        "--levers", metavar="a,b,c", help="levers to use (default: the model's policy levers)"
    )
    parser.add_argument(
        "--target", metavar="PROFILE", help="the profile to make the only stable one (default: high)"
    )
    parser.add_argument(
        "--from",
        dest="low",
        metavar="PROFILE",
        help="the profile to escape from (default: low, or the only stable vertex)",
    )
    parser.add_argument(
        "--cost",
        action="append",
        default=[],
        metavar="NAME=WEIGHT",
        help="cost per unit of change of a lever (repeatable; default: the fiscal cost in money of the "
        "model's [fiscal] table, else the government's fiscal exposure)",
    )
    add_set_argument(parser)
    parser.add_argument(
        "--margin",
        type=float,
        default=DEFAULT_MARGIN,
        metavar="FRACTION",
        help="strictness margin of the package, as a fraction of the game's payoff scale (the largest "
        "range of one player's payoffs at the current values; default %(default)g): every deviation from "
        "the target must lose, and one deviation from every other vertex gain, at least FRACTION x scale "
        "in payoff units (printed beside the package)",
    )
    parser.add_argument(
        "--tol",
        type=float,
        default=DEFAULT_TOL,
        help="tolerance on payoff differences, relative to the payoff scale (the largest range of one player's payoffs)",
    )
    parser.add_argument(
        "--robustness",
        type=int,
        default=0,
        metavar="SAMPLES",
        help="also draw the other parameters SAMPLES times (each uniform within 20%% of its value) and "
        "report how often the package still ends the low equilibrium",
    )
    parser.add_argument(
        "--format",
        choices=("text", "json", "docx", "xlsx"),
        default="text",
        help="docx/xlsx: the tables as a Word or Excel file, written to --out FILE",
    )
    parser.add_argument("--out", metavar="FILE", help="--format docx/xlsx: FILE.docx or FILE.xlsx")
    add_lang_argument(parser, "a docx or xlsx table")
    add_json_argument(parser)
    add_temporary_arguments(parser)
    parser.set_defaults(func=run)


def parse_costs(items: list[str], levers: list[str]) -> dict[str, float]:
    """The ``--cost NAME=WEIGHT`` items: non-negative weights of the given levers."""
    out = {}
    for name, text in parse_assignments(items, "--cost", "NAME=WEIGHT"):
        if name not in levers:
            raise TripartiteError(
                f"--cost names {name!r}, which is not one of the levers ({', '.join(levers)})"
            )
        value = parse_value(name, text)
        if not (value >= 0 and math.isfinite(value)):
            raise TripartiteError(f"--cost {name}: the weight must be a non-negative number")
        out[name] = value
    return out


def escape_record(
    model, values: dict, levers, target, low, costs, margin: float, tol: float, robustness: int = 0
) -> dict:
    """The ``escape`` result as a JSON-ready record: provenance, then :meth:`EscapeReport.to_record`.

    With ``robustness`` > 0, ``robustness`` holds
    :func:`tripartite.sweep.robustness.package_robustness` of the package (else ``None``).
    """
    report = escape_report(
        model, levers, target=target, low=low, values=values, costs=costs, margin=margin, tol=tol
    )
    record = command_provenance(model.game(values), model, values, method=METHOD, tolerance=tol)
    robust = None
    if robustness > 0 and report.package.feasible:
        from ..sweep.robustness import package_robustness

        robust = package_robustness(
            model,
            {k: report.package.package[k] for k in report.package.changes},
            low=report.low,
            target=target,
            values=values,
            samples=robustness,
        ).to_record()
    return {**record, **report.to_record(), "robustness": robust}


def parse_levers(text: str | None, model) -> list[str] | None:
    """The levers named by ``--levers`` (``None``: the model's policy levers)."""
    if not text:
        return None
    levers = [n.strip() for n in text.split(",") if n.strip()]
    if not levers:
        raise TripartiteError("--levers expects a comma-separated list of parameter names")
    for name in levers:
        model.parameter(name)
    if len(set(levers)) != len(levers):
        raise TripartiteError("--levers lists a lever twice")
    return levers


def run(args: argparse.Namespace) -> None:
    if args.temporary:
        if args.format in ("docx", "xlsx"):
            raise TripartiteError(
                "--temporary prints text or JSON; --format docx/xlsx is for the permanent escape"
            )
        from .temporary import run_temporary

        run_temporary(args)
        return
    check_docx_output(args)
    check_xlsx_output(args)
    model, values = model_and_values(args)
    levers = parse_levers(args.levers, model)
    costs = parse_costs(args.cost, levers if levers is not None else default_levers(model))
    if args.target is None and "high" not in vertex_names(model).values():
        raise TripartiteError(f"model {model.name!r} names no 'high' profile; give --target PROFILE")
    target = args.target or "high"
    parse_profile(model, target)
    if args.low is not None:
        parse_profile(model, args.low)
    if not (math.inf > args.margin > args.tol >= 0):
        raise TripartiteError("--margin must be larger than --tol, and --tol non-negative")
    if args.robustness < 0:
        raise TripartiteError("--robustness expects a number of samples (0: none)")
    from ..symbolic.cache import session

    with session(model):  # the symbolic results, cached on disk (tripartite.symbolic.cache)
        record = escape_record(
            model, values, levers, target, args.low, costs, args.margin, args.tol, args.robustness
        )
    if args.format in ("docx", "xlsx"):
        from ..io.docx import escape_docx
        from ..io.xlsx import escape_xlsx

        write = escape_docx if args.format == "docx" else escape_xlsx
        emit_docx(write(record, lang=args.lang), args.out, record)
        return
    emit_record(record, render, as_json=args.json or args.format == "json")


def render(record: dict) -> str:
    """Human-readable text of an ``escape`` record."""
    lines = [header(record), f"parameters: {point_text(record)}", ""]
    lines += _single_lever_lines(record)
    lines += ["", *_package_lines(record["package"])]
    robust = record.get("robustness")
    if robust:
        low, high = robust["interval"]
        lines.append(
            f"  robustness: ends {record['low']['name']} in {100 * robust['ends_low']:.1f}% of "
            f"{robust['samples']} draws (95% interval {100 * low:.1f}-{100 * high:.1f}%; the other "
            f"parameters uniform within 20% of their values); {record['package']['target']} the only "
            f"stable vertex in {100 * robust['target_only']:.1f}%"
        )
    return "\n".join(lines)


_SINGLE_HEADERS = (
    "lever",
    "now",
    "threshold",
    "change",
    "then stable",
    "from low goes to",
    "status quo goes to",
)


def _single_lever_lines(record: dict) -> list[str]:
    low = record["low"]
    low_text = f"{low['name']} ({', '.join(low['profile'].values())})"
    if not low["stable"]:
        now = ", ".join(record["stable_now"]) or "none"
        return [f"{low_text} is not asymptotically stable here (stable vertices: {now}); nothing to escape."]
    lines = [f"Escape from {low_text}, one lever at a time (others fixed):"]
    escapes = [e for e in record["single_lever"] if e["escapes"]]
    others = [f"  {e['lever']}: {e['note']}" for e in record["single_lever"] if not e["escapes"]]
    if escapes:
        lines.append(table(_SINGLE_HEADERS, [_escape_row(e) for e in escapes]))
        lines.append("(the condition that fails at each threshold:)")
        for e in escapes:
            short = e["formula"] and len(e["formula"]) <= 40  # long ones: see --json
            formula = f", at {e['lever']} = {e['formula']}" if short else ""
            lines.append(f"  {e['lever']}: {e['condition']} reaches 0{formula}")
    if others:
        lines.append("Levers that cannot end its stability alone:")
        lines += others
    if record.get("not_entering"):
        lines.append(
            "Levers that do not enter its stability conditions: " + ", ".join(record["not_entering"])
        )
    return lines


def _escape_row(e: dict) -> tuple[str, ...]:
    exact = f" = {e['exact']}" if e["exact"] is not None and e["exact"] != fmt(e["threshold"]) else ""
    rel = "" if e["relative_change"] is None else f" ({100 * e['relative_change']:+.0f}%)"
    return (
        e["lever"],
        fmt(e["current"]),
        fmt(e["threshold"]) + exact,
        f"{e['change']:+.6g}{rel}",
        e["regime_after"],
        e["from_low"] or "",
        e["from_status_quo"] or "",
    )


def _package_lines(pkg: dict) -> list[str]:
    lines = [
        f"Least-cost package making {pkg['target']} the only asymptotically stable vertex "
        f"(levers: {', '.join(pkg['levers'])}; cost: {pkg['cost_basis']}):"
    ]
    if not pkg["feasible"]:
        lines.append("  infeasible within the levers' admissible ranges; binding:")
        lines += [f"    {b}" for b in pkg["binding"]]
        return [*lines, f"  method: {pkg['method']}"]
    rows = [
        (
            name,
            fmt(pkg["current"][name]),
            f"{pkg['package'][name]:.12g}",  # every digit the rounding kept: the values re-solved
            f"{pkg['changes'][name]:+.6g}",
            fmt(pkg["weights"][name]),
        )
        for name in pkg["levers"]
        if name in pkg["changes"]
    ]
    if rows:
        lines.append(table(("lever", "now", "package", "change", "weight"), rows))
    else:
        lines.append(f"  no change needed: {pkg['target']} is already the only stable vertex")
    lines.append(
        f"  cost {fmt(pkg['cost'])} {pkg['cost_unit']}; total relative change {fmt(pkg['relative_change'])}"
    )
    if pkg.get("fiscal_cost") is not None and pkg["cost_unit"] == "weighted change":
        lines.append(f"  fiscal cost {fmt(pkg['fiscal_cost'])} (= {pkg['cost_formula']} at the package)")
    elif pkg.get("cost_formula"):
        lines.append(f"  fiscal cost = {pkg['cost_formula']} at the package")
    if pkg.get("welfare_change"):
        change = ", ".join(f"{p} {v:+.6g}" for p, v in pkg["welfare_change"].items())
        lines.append(f"  welfare change from {pkg['relative_to']} now: {change}")
    check = "confirmed" if pkg["verified"] else "NOT confirmed"
    lines.append(
        f"  numeric check: {check} (stable at the package: {', '.join(pkg['stable_after']) or 'none'})"
    )
    if pkg["from_status_quo"] is not None:
        lines.append(f"  from the status quo the dynamics {_destination_text(pkg)}")
    achieved = pkg.get("achieved_margin")
    inside = f"; {fmt(achieved)} at the printed values" if achieved is not None else ""
    lines.append(f"  optimum: {pkg['optimality']}")
    lines.append(
        f"  margin {fmt(pkg['margin'])} in payoff units ({100 * pkg['margin_relative']:g}% of the payoff "
        f"scale {fmt(pkg['payoff_scale'])}{inside})"
    )
    return [*lines, f"  method: {pkg['method']}"]


def _destination_text(pkg: dict) -> str:
    where = pkg["from_status_quo"]
    if where == pkg["target"]:
        return f"reach {where}"
    if where.startswith("not converged"):
        near = where[len("not converged") :].strip(" ()")
        return (
            f"have not converged by t = {T_MAX:g}{', ' + near if near else ''} ({pkg['target']} is the "
            "only stable vertex: a slow passage, or the status quo outside its basin; a larger --margin "
            "makes the dynamics faster)"
        )
    if where == "cycling":
        return f"cycle: {pkg['target']} is the only stable vertex, but the status quo is not in its basin"
    return f"end at: {where}"
