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

from ..dynamics.basins import INTERVALS, basins, push_threshold
from ..dynamics.batch import integrate_batch
from ..dynamics.stability import DEFAULT_TOL
from ..errors import TripartiteError
from ..io.results import mixed_strategies, provenance, pure_strategies
from .common import add_model_argument, add_set_argument, emit, emit_json, fmt, game_from_args, table
from .prospect_options import add_prospect_arguments, apply_prospect

__all__ = ["add_parser", "basins_record", "render", "run"]

T_MAX = 200.0


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
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--out", metavar="FILE", help="write the output to FILE instead of printing it")
    parser.add_argument("--plot", metavar="FILE", help="also draw the basin shares (.png, .pdf or .svg)")
    add_prospect_arguments(parser)
    parser.set_defaults(func=run)


def _share(entry) -> dict:
    return {
        "share": entry.share,
        "ci": None if entry.low is None else [entry.low, entry.high],
        "count": entry.count,
    }


def basins_record(args: argparse.Namespace):
    """The ``basins`` result as a JSON-ready record, and the :class:`Basins` behind it."""
    if args.samples < 1:
        raise TripartiteError("--samples must be at least 1")
    if not 0 < args.confidence < 1:
        raise TripartiteError("--confidence must be between 0 and 1")
    if not args.t_max > 0:
        raise TripartiteError("--t-max must be positive")
    game, model = game_from_args(args)
    game, prospect = apply_prospect(game, args)
    players = None
    if args.push_players:
        players = [p.strip() for p in args.push_players.split(",") if p.strip()]
        unknown = [p for p in players if p not in game.players]
        if unknown:
            raise TripartiteError(
                f"--push-players: unknown player(s) {', '.join(unknown)}; players: {', '.join(game.players)}"
            )
    result = basins(
        game,
        args.samples,
        grid=args.grid,
        seed=args.seed,
        t_max=args.t_max,
        confidence=args.confidence,
        interval=args.interval,
    )
    record = provenance(
        game,
        method=result.method,
        tolerance=DEFAULT_TOL,
        model_hash=model.hash if model is not None else None,
        source=model.source if model is not None else None,
        extra={
            "changed": {k: float(v) for k, v in _changed(args).items()},
            "payoffs": prospect or "rational (as written in the model)",
        },
    )
    traj = result.trajectories
    record.update(
        {
            "samples": result.samples,
            "sampling": {
                "uniform": "uniform on the product of simplices (Dirichlet(1) per player)",
                "grid": f"regular grid of interior states, shares in steps of 1/{args.grid}",
            }[result.sampling],
            "seed": result.seed,
            "t_max": args.t_max,
            "integration": {
                "method": traj.method,
                "rtol": traj.rtol,
                "atol": traj.atol,
                "vertex_tol": traj.vertex_tol,
            },
            "confidence": result.confidence,
            "interval": result.interval,
            "stable_states": [
                {"profile": s.strategies, "strategies": pure_strategies(game, s.profile), **_share(s)}
                for s in result.stable
            ],
            "not_converged": _share(result.not_converged),
            "rest_points": _share(result.rest_points),
            "other_vertices": [{"profile": s.strategies, **_share(s)} for s in result.other],
            "outcomes": result.counts,
        }
    )
    initial = model.initial_state if model is not None else None
    if initial is not None:
        start = integrate_batch(game.payoffs, [list(x) for x in initial], args.t_max)
        reached = start.profile(0)
        record["status_quo"] = {
            "initial_state": mixed_strategies(game, initial),
            "outcome": start.labels()[0],
            "profile": game.profile_names(reached) if reached is not None else None,
        }
        pushes = []
        if args.push:
            for s in result.stable:
                if s.profile == reached:
                    continue
                push = push_threshold(game, initial, s.profile, players=players, t_max=args.t_max)
                pushes.append(
                    {
                        "target": s.strategies,
                        "players": players or list(game.players),
                        "alpha": push.alpha,
                        "bracket": list(push.bracket) if push.bracket else None,
                        "state": mixed_strategies(game, push.state) if push.state else None,
                        "shift": push.shift,
                        "monotone": push.monotone,
                        "tolerance": push.tol,
                    }
                )
        record["push"] = pushes
    return record, result


def _changed(args: argparse.Namespace) -> dict[str, float]:
    out = {}
    for item in args.sets:
        name, _, text = item.partition("=")
        out[name.strip()] = float(text)
    return out


def run(args: argparse.Namespace) -> None:
    if args.plot:
        from ..plot_dynamics import FORMATS

        if not any(args.plot.lower().endswith(k) for k in FORMATS):
            raise TripartiteError(f"--plot {args.plot}: use a .png, .pdf or .svg file name")
    record, result = basins_record(args)
    if args.plot:
        from ..plot_dynamics import plot_basins, save_figure

        save_figure(plot_basins(result), args.plot)
    emit_json(record, args.out) if args.json else emit(render(record), args.out)


def _ci_text(entry: dict) -> str:
    return "-" if entry["ci"] is None else f"[{entry['ci'][0]:.3f}, {entry['ci'][1]:.3f}]"


def render(record: dict) -> str:
    """Human-readable text of a ``basins`` record."""
    origin = f", model hash {record['model_hash']}" if record.get("model_hash") else ""
    lines = [f"{record['model']} (tripartite {record['version']}{origin})"]
    changed = record.get("changed") or {}
    lines.append(
        "parameters: defaults"
        + (" except " + ", ".join(f"{k}={fmt(v)}" for k, v in changed.items()) if changed else "")
    )
    if isinstance(record["payoffs"], dict):
        p = record["payoffs"]
        lines.append(
            f"payoffs: prospect theory (alpha {p['alpha']:g}, beta {p['beta']:g}, "
            f"loss aversion {p['loss_aversion']:g}, reference {p['reference']})"
        )
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
