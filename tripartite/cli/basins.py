"""``tripartite basins [MODEL]``: basin shares of the stable states, and the push to leave one.

For the game at the given parameters: the share of initial states (uniform
over the product of simplices, or a regular grid) whose replicator
trajectory converges to each asymptotically stable state, with a confidence
interval, and the share that does not converge.  When the model documents a
status-quo state, the command also answers the policy question "how far
must a temporary push move the state before the other stable state takes
over?" for every stable state the status quo does not reach.
"""

from __future__ import annotations

import argparse

from ..dynamics import DEFAULT_T_MAX
from ..dynamics.basins import INTERVALS, basins
from ..errors import TripartiteError
from .common import (
    add_model_argument,
    add_output_arguments,
    add_set_argument,
    command_provenance,
    fmt,
    header,
    point_from_args,
    point_text,
    run_plotted,
    table,
)
from .prospect_options import RATIONAL, add_prospect_arguments, apply_prospect, payoffs_lines

__all__ = ["add_parser", "basins_record", "render", "run"]

#: The default horizon of ``--t-max`` (the package's one default).
T_MAX = DEFAULT_T_MAX


def add_parser(sub) -> None:
    parser = sub.add_parser(
        "basins",
        help="share of initial states converging to each stable state, and the push needed to switch",
    )
    add_model_argument(parser)
    add_set_argument(parser)
    parser.add_argument(
        "--samples", type=int, default=2000, metavar="N", help="random initial states (default 2000)"
    )
    parser.add_argument("--seed", type=int, default=0, help="seed of the random initial states (default 0)")
    parser.add_argument(
        "--grid",
        type=int,
        metavar="R",
        help="use a regular grid of interior states with shares in steps of 1/R instead of random states",
    )
    parser.add_argument(
        "--t-max", type=float, default=T_MAX, help=f"horizon of each trajectory (default {T_MAX:g})"
    )
    parser.add_argument(
        "--schedule",
        dest="schedules",
        action="append",
        default=[],
        metavar="NAME=T0:V0,T1:V1,...",
        help="make a parameter piecewise constant in time along every trajectory (repeatable), e.g. "
        "phi=0:1,8:0; the stable states are those of the values that stay",
    )
    parser.add_argument("--confidence", type=float, default=0.95, help="confidence level (default 0.95)")
    parser.add_argument(
        "--interval", choices=INTERVALS, default="wilson", help="binomial interval (default wilson)"
    )
    parser.add_argument(
        "--no-push",
        dest="push",
        action="store_false",
        help="skip the push needed to move the status quo into each other basin",
    )
    parser.add_argument(
        "--push-players",
        metavar="P1,P2",
        help="push only these players' shares (default: all players)",
    )
    add_output_arguments(parser, plot="the basin shares")
    add_prospect_arguments(parser)
    parser.set_defaults(func=run)


def basins_record(args: argparse.Namespace):
    """The ``basins`` result as a JSON-ready record, and the :class:`Basins` behind it."""
    if args.samples < 1:
        raise TripartiteError("--samples must be at least 1")
    if not 0 < args.confidence < 1:
        raise TripartiteError("--confidence must be between 0 and 1")
    if not args.t_max > 0:
        raise TripartiteError("--t-max must be positive")
    game, model, values = point_from_args(args)
    game, prospect = apply_prospect(game, args)
    dynamics = game
    if args.schedules:
        from ..dynamics.schedules import GameSchedule, Schedule

        if model is None:
            raise TripartiteError(f"--schedule: {args.model} is a game without parameters (a .nfg file)")
        games = Schedule.parse(args.schedules).games(model, values, t_max=args.t_max)
        pieces = tuple(apply_prospect(g, args)[0] for g in games.games)
        dynamics = GameSchedule(games.starts, pieces, games.schedule)
    result = basins(
        dynamics,
        args.samples,
        grid=args.grid,
        seed=args.seed,
        t_max=args.t_max,
        confidence=args.confidence,
        interval=args.interval,
        status_quo=model.initial_state if model is not None else None,
        push=args.push,
        push_players=_push_players(args.push_players, game),
    )
    record = command_provenance(
        game,
        model,
        values,
        method=result.method,
        tolerance=result.tol,
        payoffs=prospect or RATIONAL,
        source=args.model if model is None else None,
    )
    record.update(result.to_record())
    return record, result


def _push_players(text: str | None, game) -> list[str] | None:
    """The players named by ``--push-players`` (``None``: all of them)."""
    if not text:
        return None
    players = [p.strip() for p in text.split(",") if p.strip()]
    unknown = [p for p in players if p not in game.players]
    if unknown:
        raise TripartiteError(
            f"--push-players: unknown player(s) {', '.join(unknown)}; players: {', '.join(game.players)}"
        )
    return players


def run(args: argparse.Namespace) -> None:
    run_plotted(args, basins_record, render, _figure, "basin shares")


def _figure(result):
    from ..plot import plot_basins

    return plot_basins(result)


def _ci_text(entry: dict) -> str:
    return "-" if entry["ci"] is None else f"[{entry['ci'][0]:.3f}, {entry['ci'][1]:.3f}]"


def render(record: dict) -> str:
    """Human-readable text of a ``basins`` record."""
    lines = [header(record), f"parameters: {point_text(record)}", *payoffs_lines(record)]
    for name, steps in (record.get("schedule") or {}).items():
        lines.append(f"schedule: {name} = " + ", ".join(f"{fmt(v)} from t = {fmt(t)}" for t, v in steps))
    lines.append("")
    conf = f"{record['confidence']:.0%} {record['interval']} interval"
    lines.append(
        f"Basins of attraction: {record['samples']} initial states, {record['sampling']}, to t = {fmt(record['t_max'])}"
    )
    rows = [
        (", ".join(s["profile"].values()), f"{s['share']:.3f}", _ci_text(s), s["count"])
        for s in record["stable_states"]
    ]
    rows += [
        (
            ", ".join(s["profile"].values()) + " (not asymptotically stable)",
            f"{s['share']:.3f}",
            _ci_text(s),
            s["count"],
        )
        for s in record["other_vertices"]
    ]
    if record["rest_points"]["count"]:
        rp = record["rest_points"]
        rows.append(("mixed rest points", f"{rp['share']:.3f}", _ci_text(rp), rp["count"]))
    nc = record["not_converged"]
    rows.append(("not converged (cycling or still moving)", f"{nc['share']:.3f}", _ci_text(nc), nc["count"]))
    lines.append(table(("stable state (" + ", ".join(record["players"]) + ")", "share", conf, "count"), rows))
    sq = record.get("status_quo")
    if sq:
        lines.append("")
        where = ", ".join(sq["profile"].values()) if sq["profile"] else sq["outcome"]
        lines.append(f"Status quo converges to: {where}")
        for push in record.get("push", []):
            goal = ", ".join(push["target"].values())
            if push["alpha"] is None:
                lines.append(f"  no push towards ({goal}) along the straight line reaches its basin")
                continue
            moved = "; ".join(f"{p} {v:.3f}" for p, v in push["shift"].items() if v > 0)
            note = "" if push["monotone"] else " (basin not convex along the push: larger pushes can fail)"
            lines.append(
                f"  to reach ({goal}): push {push['alpha']:.3f} of the way towards it; "
                f"share of each population that must switch: {moved}{note}"
            )
    return "\n".join(lines)
