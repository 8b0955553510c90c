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
from ..io.words import point_words, words
from .common import (
    add_model_argument,
    add_output_arguments,
    add_schedule_argument,
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
    add_schedule_argument(
        parser,
        "make a parameter piecewise constant in time along every trajectory (repeatable), e.g. "
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
    add_output_arguments(parser, plot="the basin shares", lang="the text and the --plot figure")
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
    lang = getattr(args, "lang", None)
    run_plotted(args, basins_record, lambda record: render(record, lang), _figure, "basin shares")


def _figure(result):
    from ..plot import plot_basins

    return plot_basins(result)


def _ci_text(entry: dict) -> str:
    return "-" if entry["ci"] is None else f"[{entry['ci'][0]:.3f}, {entry['ci'][1]:.3f}]"


def _sampling_words(sampling: str, lang: str | None) -> str:
    """How the initial states were chosen (:data:`tripartite.dynamics.basins.SAMPLING`), in ``lang``."""
    from ..dynamics.basins import SAMPLING

    grid = SAMPLING["grid"]
    head = grid.split("{resolution}")[0]
    if sampling.startswith(head) and sampling[len(head) :].isdigit():
        return words(grid, lang, resolution=sampling[len(head) :])
    return words(sampling, lang)


def render(record: dict, lang: str | None = None) -> str:
    """Human-readable text of a ``basins`` record; the package's own words in ``lang`` (``"en"``, ``"zh"``).

    The names of the model (players, strategies) are never translated.
    """

    def w(phrase: str, **fields) -> str:
        return words(phrase, lang, **fields)

    lines = [
        header(record),
        w("parameters: {point}", point=point_words(point_text(record), lang)),
        *payoffs_lines(record),
    ]
    for name, steps in (record.get("schedule") or {}).items():
        lines.append(f"schedule: {name} = " + ", ".join(f"{fmt(v)} from t = {fmt(t)}" for t, v in steps))
    lines.append("")
    conf = w(
        "{confidence} {interval} interval",
        confidence=f"{record['confidence']:.0%}",
        interval=w(record["interval"]),
    )
    lines.append(
        w(
            "Basins of attraction: {samples} initial states, {sampling}, to t = {t}",
            samples=record["samples"],
            sampling=_sampling_words(record["sampling"], lang),
            t=fmt(record["t_max"]),
        )
    )
    rows = [
        (", ".join(s["profile"].values()), f"{s['share']:.3f}", _ci_text(s), s["count"])
        for s in record["stable_states"]
    ]
    rows += [
        (
            ", ".join(s["profile"].values()) + w(" (not asymptotically stable)"),
            f"{s['share']:.3f}",
            _ci_text(s),
            s["count"],
        )
        for s in record["other_vertices"]
    ]
    if record["rest_points"]["count"]:
        rp = record["rest_points"]
        rows.append((w("mixed rest points"), f"{rp['share']:.3f}", _ci_text(rp), rp["count"]))
    nc = record["not_converged"]
    rows.append(
        (w("not converged (cycling or still moving)"), f"{nc['share']:.3f}", _ci_text(nc), nc["count"])
    )
    headers = (
        w("stable state ({players})", players=", ".join(record["players"])),
        w("share"),
        conf,
        w("count"),
    )
    lines.append(table(headers, rows))
    sq = record.get("status_quo")
    if sq:
        lines.append("")
        where = ", ".join(sq["profile"].values()) if sq["profile"] else w(sq["outcome"])
        lines.append(w("Status quo converges to: {where}", where=where))
        for push in record.get("push", []):
            goal = ", ".join(push["target"].values())
            if push["alpha"] is None:
                lines.append(
                    w("  no push towards ({goal}) along the straight line reaches its basin", goal=goal)
                )
                continue
            moved = "; ".join(f"{p} {v:.3f}" for p, v in push["shift"].items() if v > 0)
            note = "" if push["monotone"] else w(" (basin not convex along the push: larger pushes can fail)")
            lines.append(
                w(
                    "  to reach ({goal}): push {alpha} of the way towards it; "
                    "share of each population that must switch: {moved}{note}",
                    goal=goal,
                    alpha=f"{push['alpha']:.3f}",
                    moved=moved,
                    note=note,
                )
            )
    return "\n".join(lines)
