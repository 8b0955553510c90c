"""``tripartite escape MODEL --temporary``: the cheapest temporary programme that ends the low state for good.

The options ``escape`` already has (``--levers``, ``--cost``, ``--target``,
``--set``, ``--json``) mean the same here; :func:`add_temporary_arguments`
adds ``--temporary`` and ``--horizon``, and :func:`run_temporary` answers
with :func:`tripartite.sweep.temporary.temporary_programme`: lever values
held for a duration from the status quo, then returned to the model's
values, after which the system is certified to converge to a better stable
state.  Its cost is, for a model with a ``[fiscal]`` table, the fiscal cost in
money while it runs (the purse's expected net receipts along the path without
the programme minus along the path with it, integrated over the programme:
:func:`tripartite.sweep.temporary.programme_fiscal_cost`), with the fiscal
difference per period at the state it leads to beside it; with ``--cost``
weights (or no ``[fiscal]`` table), duration x sum of w_k |change_k| with the
weights of ``escape``.
"""

from __future__ import annotations

import argparse
import math

from ..dynamics import DEFAULT_T_MAX
from ..errors import TripartiteError
from .common import command_provenance, emit_record, fmt, header, model_and_values, point_text, table

__all__ = ["add_temporary_arguments", "render_temporary", "run_temporary", "temporary_record"]


def add_temporary_arguments(parser: argparse.ArgumentParser) -> None:
    """``--temporary`` and ``--horizon T`` on the ``escape`` parser."""
    parser.add_argument(
        "--temporary",
        action="store_true",
        help="the cheapest temporary programme: lever values held for a while from the status quo, then "
        "returned, after which the system stays in a better stable state",
    )
    parser.add_argument(
        "--horizon",
        type=float,
        default=DEFAULT_T_MAX,
        metavar="T",
        help=f"--temporary: the longest programme considered (default {DEFAULT_T_MAX:g})",
    )


def temporary_record(args: argparse.Namespace) -> dict:
    """Provenance, then :meth:`TemporaryProgramme.to_record <tripartite.sweep.temporary.TemporaryProgramme.to_record>`."""
    from ..sweep.levers import default_levers
    from ..sweep.regimes import parse_profile
    from ..sweep.temporary import METHOD, temporary_programme

    if not (args.horizon > 0 and math.isfinite(args.horizon)):
        raise TripartiteError("--horizon must be a positive number")
    if getattr(args, "low", None) is not None:
        raise TripartiteError(
            "--from names the profile of the permanent escapes; --temporary starts from the model's status quo"
        )
    model, values = model_and_values(args)
    from .escape import parse_costs, parse_levers

    levers = parse_levers(getattr(args, "levers", None), model)
    costs = parse_costs(getattr(args, "cost", []), levers if levers is not None else default_levers(model))
    target = getattr(args, "target", None)
    if target is not None:
        parse_profile(model, target)
    result = temporary_programme(
        model, levers, target=target, values=values, costs=costs, horizon=args.horizon
    )
    record = command_provenance(
        model.game(values), model, values, method=METHOD, tolerance=None, command="escape"
    )
    return {**record, **result.to_record()}


def run_temporary(args: argparse.Namespace) -> int:
    """Print (or ``--json``) the cheapest temporary programme; 0 on success (errors raise)."""
    record = temporary_record(args)
    emit_record(record, render_temporary, as_json=getattr(args, "json", False))
    return 0


def _profile(p: dict | None) -> str:
    return ", ".join(p.values()) if p else "no certified vertex"


def render_temporary(record: dict) -> str:
    """Human-readable text of an ``escape --temporary`` record."""
    lines = [header(record), f"parameters: {point_text(record)}", ""]
    lines.append(f"Without a programme the status quo goes to: {_profile(record['status_quo'])}")
    lines.append(
        "Asymptotically stable at these values: " + "; ".join(_profile(s) for s in record["stable_states"])
    )
    if not record["feasible"]:
        lines += ["", f"No temporary programme: {record['reason']}"]
        return "\n".join(lines)
    prog = record["programme"]
    lines += [
        "",
        f"Cheapest temporary programme found ({record['optimality']}), to {_profile(prog['target'])}:",
    ]
    weights = record["weights"]
    headers = ("lever", "model's value", "during the programme") + (("weight",) if weights else ())
    rows = [
        (name, fmt(prog["returns_to"][name]), fmt(value)) + ((fmt(weights[name]),) if weights else ())
        for name, value in prog["levers"].items()
    ]
    if rows:
        lines.append(table(headers, rows))
    how = (
        record["cost_basis"]
        if not weights
        else f"duration x sum of weight x |change|; {record['cost_basis']}"
    )
    lines.append(
        f"  hold for t = {fmt(prog['duration'])} from the status quo, then return; cost {fmt(prog['cost'])} "
        f"{record.get('cost_unit', '')} ({how})"
    )
    if record.get("fiscal_after") is not None:
        lines.append(
            f"  after it, at {_profile(prog['target'])} instead of {_profile(record['status_quo'])}: the purse "
            f"pays or forgoes {fmt(record['fiscal_after'])} {record['fiscal_unit']} (negative: it gains)"
        )
    check = "verified" if prog["verified"] else "NOT verified"
    lines.append(
        f"  whole schedule integrated from the status quo: {check} (certified convergence to the target)"
    )
    if not prog["monotone"]:
        lines.append("  success is not monotone in the duration here: longer programmes can fail")
    if record["alternatives"]:
        lines += ["", "Each lever alone (best on the search grid):"]
        lines.append(
            table(
                ("lever", "during", "duration", "cost"),
                [
                    (a["lever"], fmt(a["value"]), fmt(a["duration"]), fmt(a["cost"]))
                    for a in record["alternatives"]
                ],
            )
        )
    alone = {a["lever"] for a in record["alternatives"]}
    missing = [name for name in record.get("searched_levers") or record["weights"] if name not in alone]
    if missing:
        lines.append(
            f"  alone, {', '.join(missing)} cannot do it within the search range and a duration up to "
            f"{fmt(record['horizon'])}"
        )
    return "\n".join(lines)
