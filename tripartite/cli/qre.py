"""``tripartite qre [GAME]``: the logit quantal-response branch and its Nash limit."""

from __future__ import annotations

import argparse

from ..errors import TripartiteError
from ..io.text import state_text
from ..qre import logit_branch
from ..welfare import welfare_game
from .common import (
    add_model_argument,
    add_output_arguments,
    add_set_argument,
    command_provenance,
    fmt,
    header,
    point_from_args,
    run_plotted,
    table,
)
from .prospect_options import RATIONAL, add_prospect_arguments, apply_prospect, payoffs_lines

__all__ = ["add_parser", "qre_record", "render", "run"]


def add_parser(sub) -> None:
    parser = sub.add_parser(
        "qre",
        help="logit quantal-response equilibria along the principal branch, and the Nash equilibrium it reaches",
    )
    add_model_argument(parser)
    add_set_argument(parser)
    parser.add_argument(
        "--lambda",
        dest="lambdas",
        action="append",
        default=[],
        metavar="L",
        help="report the QRE at precision L (repeatable, or comma-separated)",
    )
    parser.add_argument(
        "--lambda-max", type=float, help="trace the branch to this precision (default: far enough)"
    )
    parser.add_argument("--points", type=int, default=40, help="branch points listed (default 40)")
    add_output_arguments(parser, plot="the branch")
    add_prospect_arguments(parser)
    parser.set_defaults(func=run)


def _lambdas(items: list[str]) -> list[float]:
    out = []
    for item in items:
        for part in item.split(","):
            part = part.strip()
            if not part:
                continue
            try:
                value = float(part)
            except ValueError:
                raise TripartiteError(f"--lambda expects numbers, got {part!r}") from None
            if not value >= 0 or value == float("inf"):
                raise TripartiteError(f"--lambda must be a non-negative number, got {part}")
            out.append(value)
    return out


def qre_record(args: argparse.Namespace):
    """The ``qre`` result as a JSON-ready record, and the :class:`LogitBranch` behind it."""
    lambdas = _lambdas(args.lambdas)
    if args.points < 2:
        raise TripartiteError("--points must be at least 2")
    if args.lambda_max is not None and not args.lambda_max > 0:
        raise TripartiteError("--lambda-max must be positive")
    game, model, values = point_from_args(args)
    rational = game
    game, prospect = apply_prospect(game, args)
    branch = logit_branch(game, lambda_max=args.lambda_max, reach=lambdas)
    # welfare as solve takes it: the model's [welfare] evaluation, else the game before behavioural payoffs
    declared = model is not None and (bool(model.welfare) or model.welfare_payoffs is not None)
    welfare = welfare_game(model, values) if declared else rational
    record = command_provenance(
        game,
        model,
        values,
        method=branch.method,
        tolerance=branch.regret_tol,
        payoffs=prospect or RATIONAL,
        source=args.model if model is None else None,
    )
    record.update(branch.to_record(points=args.points, lambdas=lambdas, welfare=welfare))
    record["welfare_differs"] = bool(declared or prospect)
    return record, branch


def run(args: argparse.Namespace) -> None:
    run_plotted(args, qre_record, render, _figure, "logit QRE branch")


def _figure(branch):
    from ..plot import plot_qre_branch

    return plot_qre_branch(branch)


def _mix(strategies: dict) -> str:
    return state_text(strategies, "{:.4f}".format)


def render(record: dict) -> str:
    """Human-readable text of a ``qre`` record."""
    lines = [header(record), *payoffs_lines(record)]
    lines.append(f"Logit QRE principal branch, traced to lambda = {record['lambda_end']:.4g}")
    if record["turning_points"]:
        lines.append("turning points at lambda = " + ", ".join(f"{v:.4g}" for v in record["turning_points"]))
    both = record.get("welfare_differs", False)
    rows = [
        (f"{pt['lambda']:.4g}", _mix(pt["strategies"]), f"{pt['regret']:.3g}", *_values(pt, both))
        for pt in record["branch"]
    ]
    players = ", ".join(record["players"])
    headers = ("lambda", "QRE", "regret", f"payoffs ({players})", *(("welfare",) if both else ()))
    lines.append(table(headers, rows))
    for req in record["requested"]:
        lines.append("")
        if not req["qre"]:
            lines.append(f"lambda = {fmt(req['lambda'])}: no QRE found on the traced branch")
        for pt in req["qre"]:
            lines.append(
                f"lambda = {fmt(req['lambda'])}: {_mix(pt['strategies'])} (regret {pt['regret']:.3g}; "
                + "; ".join(_values(pt, both, named=True))
                + ")"
            )
    nash = record["nash"]
    lines.append("")
    state = "verified" if nash["verified"] else "NOT verified: the branch did not reach an equilibrium"
    lines.append(f"Nash equilibrium at the end of the branch ({state}, regret {nash['regret']:.3g}):")
    lines.append("  " + _mix(nash["strategies"]))
    lines.append("  " + "; ".join(_values(nash, both, named=True)))
    return "\n".join(lines)


def _values(point: dict, both: bool, named: bool = False) -> list[str]:
    """A point's payoffs (and welfare, when it differs from them) as text, players in order."""
    keys = ("payoffs", "welfare") if both else ("payoffs",)
    out = [", ".join(fmt(v) for v in point[k].values()) for k in keys]
    return [f"{k} {v}" for k, v in zip(keys, out)] if named else out
