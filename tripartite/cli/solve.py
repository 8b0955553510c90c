"""``tripartite solve [MODEL]``: equilibria, vertex stability and the status quo's fate."""

from __future__ import annotations

import argparse

from ..dynamics import trajectory, vertex_stability
from ..equilibria.pure import DEFAULT_TOL, pure_equilibria
from ..game import expected_payoffs, profile_from_indices, regret
from ..io.results import mixed_strategies, player_values, provenance, pure_strategies
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
    parser.set_defaults(func=run)


def solve_record(model, values: dict, tol: float) -> dict:
    """The ``solve`` result as a JSON-ready record (see the README for its fields)."""
    game = model.game(values)
    eq = pure_equilibria(game, tol)
    st = vertex_stability(game, tol)
    u = game.payoffs
    equilibria = []
    for prof in eq.profiles():
        x = profile_from_indices(game.shape, prof)
        equilibria.append(
            {
                "strategies": pure_strategies(game, prof),
                "pure": True,
                "strict": bool(eq.strict[(0, *prof)]),
                "payoffs": player_values(game, expected_payoffs(u, x)[0]),
                "regret": float(max(regret(u, x)[0], 0.0)),
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
    record = provenance(
        game,
        method="pure equilibria: enumeration of pure profiles; vertex stability: "
        "eigenvalues of the replicator Jacobian (deviation gains)",
        tolerance=tol,
        model_hash=model.hash,
        source=model.source,
        extra={"changed": {k: float(v) for k, v in values.items()}},
    )
    record["equilibria"] = equilibria
    record["rest_points"] = rest_points
    if model.initial_state is not None:
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


def run(args: argparse.Namespace) -> None:
    model = model_from_args(args)
    values = values_from_sets(model, args.sets)
    record = solve_record(model, values, args.tol)
    if args.json:
        emit_json(record)
    else:
        emit(render(record))


def _profile_text(strategies: dict) -> str:
    return ", ".join(max(p, key=p.get) for p in strategies.values())


def render(record: dict) -> str:
    """Human-readable text of a ``solve`` record."""
    players = record["players"]
    lines = [f"{record['model']} (tripartite {record['version']}, model hash {record['model_hash']})"]
    changed = record.get("changed") or {}
    lines.append(
        "parameters: defaults"
        + (" except " + ", ".join(f"{k}={fmt(v)}" for k, v in changed.items()) if changed else "")
    )
    lines.append("")
    lines.append(f"Pure Nash equilibria (tolerance {record['tolerance']:g}):")
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
        start = "; ".join(
            f"{p}: " + ", ".join(f"{s} {fmt(v)}" for s, v in shares.items())
            for p, shares in sq["initial_state"].items()
        )
        lines.append(f"Status-quo state ({start})")
        if sq["outcome"] == "vertex":
            lines.append(f"  converges to: {', '.join(sq['profile'].values())} (by t = {fmt(sq['t_max'])})")
        else:
            end = "; ".join(
                f"{p}: " + ", ".join(f"{s} {v:.4f}" for s, v in shares.items())
                for p, shares in sq["final_state"].items()
            )
            lines.append(f"  {sq['outcome']} by t = {fmt(sq['t_max'])}; state then: {end}")
    return "\n".join(lines)


__all__ = ["add_parser", "solve_record", "render", "run"]
