"""``tripartite solve [GAME]``: equilibria, vertex stability and the status quo's fate.

GAME is a built-in model, a ``.toml`` scenario or a Gambit ``.nfg`` file.
``--all`` lists every Nash equilibrium, pure and mixed
(:func:`tripartite.equilibria.all_equilibria`); ``--exact`` computes them in
exact arithmetic (rationals and real algebraic numbers) and implies ``--all``.
"""

from __future__ import annotations

import argparse
import dataclasses
import hashlib

from ..dynamics import trajectory, vertex_stability
from ..equilibria.pure import pure_equilibria
from ..equilibria.support import all_equilibria
from ..errors import TripartiteError
from ..game import DEFAULT_TOL, expected_payoffs, profile_from_indices, regret
from ..io.results import mixed_strategies, player_values, pure_strategies
from ..io.text import state_text
from .common import (
    add_model_argument,
    add_set_argument,
    command_provenance,
    emit_record,
    fmt,
    header,
    point_from_args,
    point_text,
    table,
)
from .prospect_options import add_prospect_arguments, prospect_from_args

T_MAX = 20.0


def add_parser(sub) -> None:
    parser = sub.add_parser(
        "solve",
        help="pure equilibria, stability of every vertex, and where the status quo converges",
    )
    add_model_argument(parser)
    add_set_argument(parser)
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--tol", type=float, default=DEFAULT_TOL, help="tolerance on payoff differences")
    parser.add_argument(
        "--all",
        dest="all_equilibria",
        action="store_true",
        help="every Nash equilibrium, pure and mixed (says whether the list is complete)",
    )
    parser.add_argument(
        "--exact",
        action="store_true",
        help="exact arithmetic: rationals and real algebraic numbers (implies --all)",
    )
    parser.add_argument(
        "--time-limit",
        type=float,
        default=60.0,
        metavar="SECONDS",
        help="stop enumerating after this long; the list is then labelled not complete (default 60)",
    )
    add_prospect_arguments(parser)  # behavioural payoffs (tripartite.cli.prospect_options)
    parser.set_defaults(func=run)


def solve_record(
    model,
    values: dict,
    tol: float,
    prospect=None,
    *,
    all_equilibria_: bool = False,
    exact: bool = False,
    game=None,
    time_limit: float = 60.0,
    source: str | None = None,
) -> dict:
    """The ``solve`` result as a JSON-ready record (see the README for its fields).

    ``model`` may be ``None`` when ``game`` is given (a ``.nfg`` game has no model).
    """
    if game is None:
        game = model.game(values) if prospect is None else prospect.apply(model.game(values))
    if exact:
        if prospect is not None:
            raise TripartiteError(
                "--exact cannot be combined with prospect-theory payoffs (they are not rational)"
            )
        if model is not None:
            game = dataclasses.replace(game, exact_payoffs=model.exact_payoffs(values))
        all_equilibria_ = True
    eq = pure_equilibria(game, tol)
    st = vertex_stability(game, tol)
    u = game.payoffs
    equilibria = []
    summary = None
    if all_equilibria_:
        found = all_equilibria(game, exact=exact, tol=tol, time_limit=time_limit)
        equilibria = [e.record(game) for e in found]
        summary = found.summary()
    else:
        for prof in eq.profiles():
            x = profile_from_indices(game.shape, prof)
            strategies = pure_strategies(game, prof)
            equilibria.append(
                {
                    "strategies": strategies,
                    "pure": True,
                    "strict": bool(eq.strict[(0, *prof)]),
                    "payoffs": player_values(game, expected_payoffs(u, x)[0]),
                    "regret": float(max(regret(u, x)[0], 0.0)),
                    "support": {p: [game.strategies[i][prof[i]]] for i, p in enumerate(game.players)},
                    "exact": {p: {k: str(v) for k, v in d.items()} for p, d in strategies.items()},
                }
            )
    rest_points = []
    for prof in game.profiles():
        eig = st.eigenvalues[(0, *prof)]
        rest_points.append(
            {
                "profile": game.profile_names(prof),
                "eigenvalues": [[float(e), 0.0] for e in eig],
                "classification": st.label(0, prof),
                "strict_equilibrium": bool(eq.strict[(0, *prof)]),
            }
        )
    method = (
        f"all equilibria: {summary['method']}" if summary else "pure equilibria: enumeration of pure profiles"
    ) + "; vertex stability: eigenvalues of the replicator Jacobian (deviation gains)"
    record = command_provenance(
        game,
        model,
        values,
        method=method,
        tolerance=tol,
        **({"payoffs": prospect.describe()} if prospect else {}),
    )
    if model is None:  # a game without a model: hash its content, name its file
        record["model_hash"] = _game_hash(game)
        record["source"] = source or game.name
    record["equilibria"] = equilibria
    record["all"] = bool(all_equilibria_)
    record["exact"] = bool(summary and summary["exact"])
    record["complete"] = summary["complete"] if summary else None
    record["degenerate"] = summary["degenerate"] if summary else None
    record["notes"] = summary["notes"] if summary else []
    record["rest_points"] = rest_points
    if model is not None and model.initial_state is not None:
        traj = trajectory(game, model.initial_state, T_MAX)
        record["status_quo"] = {
            "initial_state": mixed_strategies(game, model.initial_state),
            "t_max": T_MAX,
            "outcome": traj.outcome,
            "profile": traj.profile,
            "final_state": mixed_strategies(game, traj.final),
            "method": traj.method,
            "rtol": traj.rtol,
        }
    return record


def _game_hash(game) -> str:
    """A short content hash of a game without a model (its payoffs and names)."""
    from ..io.nfg import write_nfg

    return hashlib.sha256(write_nfg(game, title="").encode("utf-8")).hexdigest()[:16]


def run(args: argparse.Namespace) -> None:
    game, model, values = point_from_args(args)
    prospect = prospect_from_args(args)
    if model is None and prospect is not None:
        game = prospect.apply(game)
    record = solve_record(
        model,
        values,
        args.tol,
        prospect,
        all_equilibria_=args.all_equilibria or args.exact,
        exact=args.exact,
        game=game if model is None else None,
        time_limit=args.time_limit,
        source=args.model,
    )
    emit_record(record, render, as_json=args.json)


def _profile_text(strategies: dict) -> str:
    return ", ".join(max(p, key=p.get) for p in strategies.values())


def render(record: dict) -> str:
    """Human-readable text of a ``solve`` record."""
    players = record["players"]
    lines = [header(record), f"parameters: {point_text(record)}", ""]
    if record.get("all"):
        lines.extend(_render_all(record))
    else:
        lines.extend(_render_pure(record, players))
    lines.append("")
    lines.append("Stability of every vertex under the replicator dynamics")
    lines.append(
        "(eigenvalues = each player's gain from switching; asymptotically stable = strict equilibrium):"
    )
    rows = [
        (
            ", ".join(r["profile"].values()),
            ", ".join(fmt(re) for re, _ in r["eigenvalues"]),
            r["classification"],
        )
        for r in record["rest_points"]
    ]
    lines.append(table(("vertex", "eigenvalues", "classification"), rows))
    sq = record.get("status_quo")
    if sq:
        lines.append("")
        lines.append(f"Status-quo state ({state_text(sq['initial_state'])})")
        if sq["outcome"] == "vertex":
            lines.append(f"  converges to: {', '.join(sq['profile'].values())} (by t = {fmt(sq['t_max'])})")
        else:
            end = state_text(sq["final_state"], "{:.4f}".format)
            lines.append(f"  {sq['outcome']} by t = {fmt(sq['t_max'])}; state then: {end}")
    return "\n".join(lines)


def _render_pure(record: dict, players) -> list[str]:
    lines = [f"Pure Nash equilibria (tolerance {record['tolerance']:g}):"]
    if record["equilibria"]:
        rows = [
            (
                _profile_text(e["strategies"]),
                "yes" if e["strict"] else "no",
                ", ".join(fmt(v) for v in e["payoffs"].values()),
            )
            for e in record["equilibria"]
        ]
        lines.append(table(("profile (" + ", ".join(players) + ")", "strict", "payoffs"), rows))
    else:
        lines.append("  none: no pure profile is a Nash equilibrium")
    return lines


def _strategy_text(e: dict, exact: bool) -> str:
    parts = []
    source = e["exact"] if exact and e.get("exact") else e["strategies"]
    for player, probs in source.items():
        used = [(s, v) for s, v in probs.items() if (v != "0" if isinstance(v, str) else v > 0)]
        if len(used) == 1:
            parts.append(f"{player}: {used[0][0]}")
        else:
            parts.append(
                f"{player}: " + ", ".join(f"{s} {v if isinstance(v, str) else fmt(v)}" for s, v in used)
            )
    return "; ".join(parts)


def _render_all(record: dict) -> list[str]:
    exact = record.get("exact")
    status = "complete" if record.get("complete") else "NOT complete"
    if record.get("degenerate"):
        status += ", degenerate game"
    arithmetic = "exact arithmetic" if exact else f"tolerance {record['tolerance']:g}"
    lines = [f"All Nash equilibria ({arithmetic}; {status}): {len(record['equilibria'])} found"]
    for k, e in enumerate(record["equilibria"], 1):
        kind = "pure" + (", strict" if e["strict"] else "") if e["pure"] else "mixed"
        payoffs = ", ".join(fmt(v) for v in e["payoffs"].values())
        lines.append(f"  {k}. {_strategy_text(e, bool(exact))}  [{kind}; payoffs {payoffs}]")
        if e.get("note"):
            lines.append(f"     note: {e['note']}")
    for note in record.get("notes") or []:
        lines.append(f"  * {note}")
    return lines


__all__ = ["add_parser", "solve_record", "render", "run"]
