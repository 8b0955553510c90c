"""``tripartite escape MODEL``: single-lever escapes and the least-cost package out of the low profile."""

from __future__ import annotations

import argparse
import math

from ..errors import TripartiteError
from ..io.results import provenance
from ..model import parse_value
from ..sweep.escape import (
    T_MAX,
    default_levers,
    least_cost_package,
    low_profile,
    single_lever_escapes,
)
from ..sweep.regimes import DEFAULT_TOL, classify_points, parse_profile, vertex_names
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

__all__ = ["add_parser", "run", "escape_record", "render"]


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
        help="cost per unit of change of a lever (repeatable; default: the government's fiscal exposure)",
    )
    add_set_argument(parser)
    parser.add_argument("--margin", type=float, default=1e-6, help="strictness margin on the eigenvalues")
    parser.add_argument("--tol", type=float, default=DEFAULT_TOL, help="tolerance on payoff differences")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.set_defaults(func=run)


def _costs(items: list[str], levers: list[str]) -> dict[str, float]:
    out = {}
    for item in items:
        name, sep, text = item.partition("=")
        name, text = name.strip(), text.strip()
        if not sep or not name or not text:
            raise TripartiteError(f"--cost expects NAME=WEIGHT, got {item!r}")
        if name not in levers:
            raise TripartiteError(
                f"--cost names {name!r}, which is not one of the levers ({', '.join(levers)})"
            )
        value = parse_value(name, text)
        if not (value >= 0 and math.isfinite(value)):
            raise TripartiteError(f"--cost {name}: the weight must be a non-negative number")
        out[name] = value
    return out


def escape_record(model, values: dict, levers, target, low, costs, margin: float, tol: float) -> dict:
    """The ``escape`` result as a JSON-ready record."""
    current = model.resolve(values)
    names = vertex_names(model)
    game = model.game(values)
    record = provenance(
        game,
        method="vertex eigenvalues (deviation gains) as sympy expressions; exact roots along each lever; "
        "least-cost package by linear programming (scipy.optimize.linprog) or SLSQP",
        tolerance=tol,
        model_hash=model.hash,
        source=model.source,
        extra={"changed": {k: float(v) for k, v in values.items()}},
    )
    low_prof = low_profile(model, low, values, tol)
    reg = classify_points(model, {k: float(v) for k, v in current.items()}, tol)
    stable_low = bool(reg.stable[0, reg.profiles.index(low_prof)])
    record["low"] = {"name": names[low_prof], "profile": game.profile_names(low_prof), "stable": stable_low}
    record["stable_now"] = [names[p] for p, s in zip(reg.profiles, reg.stable[0]) if s]
    if stable_low:
        single = single_lever_escapes(model, levers, low=low_prof, values=values, tol=tol)
        record["single_lever"] = [e.as_dict() for e in single]
        if levers is None:
            entering = set(default_levers(model, [low_prof]))
            record["not_entering"] = [n for n in default_levers(model) if n not in entering]
    else:
        record["single_lever"] = []
    package = least_cost_package(model, target, levers, costs=costs, values=values, tol=tol, margin=margin)
    record["package"] = package.as_dict()
    return record


def run(args: argparse.Namespace) -> None:
    model = model_from_args(args)
    values = values_from_sets(model, args.sets)
    levers = None
    if args.levers:
        levers = [n.strip() for n in args.levers.split(",") if n.strip()]
        if not levers:
            raise TripartiteError("--levers expects a comma-separated list of parameter names")
        for name in levers:
            model.parameter(name)
        if len(set(levers)) != len(levers):
            raise TripartiteError("--levers lists a lever twice")
    costs = _costs(args.cost, levers if levers is not None else default_levers(model))
    if args.target is None and "high" not in vertex_names(model).values():
        raise TripartiteError(f"model {model.name!r} names no 'high' profile; give --target PROFILE")
    target = args.target or "high"
    parse_profile(model, target)
    if args.low is not None:
        parse_profile(model, args.low)
    if not (args.margin > args.tol >= 0):
        raise TripartiteError("--margin must be larger than --tol, and --tol non-negative")
    record = escape_record(model, values, levers, target, args.low, costs, args.margin, args.tol)
    if args.json:
        emit_json(record)
    else:
        emit(render(record))


def _num(x) -> str:
    return "" if x is None else fmt(x)


def render(record: dict) -> str:
    """Human-readable text of an ``escape`` record."""
    lines = [f"{record['model']} (tripartite {record['version']}, model hash {record['model_hash']})"]
    changed = record.get("changed") or {}
    lines.append(
        "parameters: defaults"
        + (" except " + ", ".join(f"{k}={fmt(v)}" for k, v in changed.items()) if changed else "")
    )
    low = record["low"]
    low_text = f"{low['name']} ({', '.join(low['profile'].values())})"
    lines.append("")
    if not low["stable"]:
        now = ", ".join(record["stable_now"]) or "none"
        lines.append(
            f"{low_text} is not asymptotically stable here (stable vertices: {now}); nothing to escape."
        )
    else:
        lines.append(f"Escape from {low_text}, one lever at a time (others fixed):")
        rows, others = [], []
        for e in record["single_lever"]:
            if not e["escapes"]:
                others.append(f"  {e['lever']}: {e['note']}")
                continue
            exact = f" = {e['exact']}" if e["exact"] is not None and e["exact"] != fmt(e["threshold"]) else ""
            rel = "" if e["relative_change"] is None else f" ({100 * e['relative_change']:+.0f}%)"
            rows.append(
                (
                    e["lever"],
                    fmt(e["current"]),
                    fmt(e["threshold"]) + exact,
                    f"{e['change']:+.6g}{rel}",
                    e["regime_after"],
                    e["from_low"] or "",
                    e["from_status_quo"] or "",
                )
            )
        if rows:
            lines.append(
                table(
                    (
                        "lever",
                        "now",
                        "threshold",
                        "change",
                        "then stable",
                        "from low goes to",
                        "status quo goes to",
                    ),
                    rows,
                )
            )
            lines.append("(the condition that fails at each threshold:)")
            for e in record["single_lever"]:
                if e["escapes"]:
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
    pkg = record["package"]
    lines.append("")
    lines.append(
        f"Least-cost package making {pkg['target']} the only asymptotically stable vertex "
        f"(levers: {', '.join(pkg['levers'])}; cost: {pkg['cost_basis']}):"
    )
    if not pkg["feasible"]:
        lines.append("  infeasible within the levers' admissible ranges; binding:")
        lines += [f"    {b}" for b in pkg["binding"]]
    else:
        rows = []
        for name in pkg["levers"]:
            if name in pkg["changes"]:
                rows.append(
                    (
                        name,
                        fmt(pkg["current"][name]),
                        fmt(pkg["package"][name]),
                        f"{pkg['changes'][name]:+.6g}",
                        fmt(pkg["weights"][name]),
                    )
                )
        if rows:
            lines.append(table(("lever", "now", "package", "change", "weight"), rows))
        else:
            lines.append(f"  no change needed: {pkg['target']} is already the only stable vertex")
        lines.append(f"  cost {fmt(pkg['cost'])}; total relative change {fmt(pkg['relative_change'])}")
        check = "confirmed" if pkg["verified"] else "NOT confirmed"
        lines.append(
            f"  numeric check: {check} (stable at the package: {', '.join(pkg['stable_after']) or 'none'})"
        )
        where = pkg["from_status_quo"]
        if where is not None:
            if where == pkg["target"]:
                text = f"reach {where}"
            elif where == "not converged":
                text = (
                    f"have not converged by t = {T_MAX:g} (the package sits at the margin of its "
                    "conditions, where the dynamics are slow; a slightly larger change converges faster)"
                )
            elif where == "cycling":
                text = f"cycle: {pkg['target']} is the only stable vertex, but the status quo is not in its basin"
            else:
                text = f"end at: {where}"
            lines.append(f"  from the status quo the dynamics {text}")
        lines.append(f"  optimum: {pkg['optimality']}; margin {pkg['margin']:g}")
    lines.append(f"  method: {pkg['method']}")
    return "\n".join(lines)
