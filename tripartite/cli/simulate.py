"""``tripartite simulate [MODEL]``: replicator trajectories from chosen states, under parameter values and schedules.

The numerical-simulation section of a paper from the command line
(:func:`tripartite.simulation.simulate`): trajectories from each ``--from``
state (default: the model's initial state), one per ``--vary`` value, with
parameters piecewise constant in time (``--schedule``).  Prints where each
trajectory ends; ``--json`` the record (``trajectories`` with
``initial_state``, ``parameters``, ``schedule``, ``outcome``,
``final_state``, ``t_final``, after the provenance); ``--out FILE.csv`` or
``.parquet`` the table (one row per trajectory and sampled time, provenance
in the sidecar ``FILE.json``); ``--plot FILE`` one of the three figures of
:mod:`tripartite.plot.simulation` (``--figure paths|cube|sensitivity``).

Every option is checked before any integration, and no file is written
unless the whole command succeeds.
"""

from __future__ import annotations

import argparse

from ..dynamics import DEFAULT_T_MAX
from ..errors import ParameterError, TripartiteError
from .common import (
    add_model_argument,
    add_plot_argument,
    add_schedule_argument,
    add_set_argument,
    check_plot_options,
    command_provenance,
    emit_record,
    fmt,
    header,
    model_and_values,
    point_text,
    save_plot,
    table,
)

__all__ = ["FIGURES", "add_parser", "parse_vary", "render", "run", "simulation_record"]

#: The figures of ``--plot``, by ``--figure`` name.
FIGURES = ("paths", "cube", "sensitivity")


def add_parser(sub) -> None:
    parser = sub.add_parser(
        "simulate",
        help="trajectories from chosen initial states, for several values of a parameter, with schedules",
        description="Integrate the replicator dynamics from each --from state (default: the model's "
        "initial state), once per --vary value, with parameters piecewise constant in time (--schedule).",
    )
    add_model_argument(parser)
    add_set_argument(parser)
    parser.add_argument(
        "--from",
        dest="states",
        action="append",
        default=[],
        metavar="STATE",
        help="an initial state (repeatable): with two strategies per player the shares of each player's first "
        "strategy in player order, e.g. 0.3,0.2,0.3; in general player=share,share,...;player=...",
    )
    parser.add_argument(
        "--vary",
        metavar="NAME=V1,V2,...",
        help="one trajectory per value of this parameter, from each state",
    )
    add_schedule_argument(
        parser,
        "make a parameter piecewise constant in time (repeatable): phi=0:1,8:0 is 1 from t = 0 and 0 from t = 8",
    )
    parser.add_argument(
        "--t-max",
        type=float,
        default=DEFAULT_T_MAX,
        help=f"horizon of each trajectory (default {DEFAULT_T_MAX:g})",
    )
    parser.add_argument(
        "--n-eval",
        type=int,
        default=201,
        metavar="N",
        help="sampled times: N evenly spaced, N more after each change",
    )
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--out", metavar="FILE", help="write the table to FILE.csv or FILE.parquet")
    add_plot_argument(parser, "a figure of the trajectories")
    parser.add_argument(
        "--figure",
        choices=FIGURES,
        help="--plot: paths (a panel per population, default), cube (paths in the state cube, three "
        "two-strategy populations) or sensitivity (one state, each --vary value; default with --vary and one state)",
    )
    parser.set_defaults(func=run)


def parse_vary(text: str | None) -> tuple[str, list[float]] | None:
    """``NAME=V1,V2,...`` as ``(name, values)``.

    Examples
    --------
    >>> parse_vary("nu=0,0.25, 0.5")
    ('nu', [0.0, 0.25, 0.5])
    """
    if text is None:
        return None
    name, sep, rest = text.partition("=")
    name = name.strip()
    if not sep or not name or not rest.strip():
        raise ParameterError(f"--vary expects NAME=V1,V2,..., got {text!r}")
    values = []
    for item in rest.split(","):
        try:
            value = float(item)
        except ValueError:
            raise ParameterError(f"--vary {text}: {item.strip()!r} is not a number") from None
        if value != value or value in (float("inf"), float("-inf")):
            raise ParameterError(f"--vary {text}: {item.strip()!r} is not a finite number")
        values.append(value)
    if len(set(values)) != len(values):
        raise ParameterError(f"--vary {text}: a value is given twice")
    return name, values


def _figure_kind(args: argparse.Namespace, vary, n_states: int) -> str:
    if args.figure is not None:
        return args.figure
    return "sensitivity" if vary is not None and n_states <= 1 else "paths"


def _check(args: argparse.Namespace):
    """Everything that can be refused before any integration: the model, values, states, schedule, files."""
    from ..dynamics.schedules import Schedule
    from ..simulation import parse_state

    if args.out is not None:
        from ..sweep.tables import check_output_path

        check_output_path(args.out)
    if args.plot:
        check_plot_options(args)
    if not (args.t_max > 0 and args.t_max < float("inf")):
        raise TripartiteError("--t-max must be a positive number")
    if args.n_eval < 2:
        raise TripartiteError("--n-eval must be at least 2")
    model, values = model_and_values(args)
    vary = parse_vary(args.vary)
    schedule = Schedule.parse(args.schedules)
    schedule.check(model)
    states = [parse_state(text, model.players, model.strategies) for text in args.states]
    if vary is not None:
        model.parameter(vary[0]).check(vary[1])
    kind = _figure_kind(args, vary, max(len(states), 1))
    if args.plot:
        if kind == "sensitivity" and vary is None:
            raise TripartiteError("--figure sensitivity needs --vary NAME=V1,V2,...")
        if kind == "cube" and model.shape != (2, 2, 2):
            raise TripartiteError(
                f"--figure cube is for three two-strategy populations; {model.name} is "
                f"{'x'.join(map(str, model.shape))}"
            )
    return model, values, vary, schedule, states, kind


def simulation_record(args: argparse.Namespace):
    """The ``simulate`` record (provenance, then the result) and the :class:`Simulation` behind it."""
    from ..simulation import simulate

    model, values, vary, schedule, states, kind = _check(args)
    sim = simulate(
        model,
        states or None,
        values=values,
        vary=vary,
        schedule=schedule,
        t_max=args.t_max,
        n_eval=args.n_eval,
    )
    record = command_provenance(
        sim.game, model, values, method=sim.method, tolerance=sim.result.rtol, command="simulate"
    )
    record.update(sim.to_record())
    return record, sim, kind


def _draw(sim, kind: str):
    from ..plot.simulation import plot_sensitivity, plot_simulation_cube, plot_simulation_paths

    return {"paths": plot_simulation_paths, "cube": plot_simulation_cube, "sensitivity": plot_sensitivity}[
        kind
    ](sim)


def _write_table(sim, out: str, record: dict) -> None:
    from pathlib import Path

    from ..io.atomic import write_bytes_atomic
    from ..io.provenance import provenance_part, write_sidecar
    from ..sweep.tables import to_bytes

    frame = sim.table()
    path = Path(out)
    fmt_name = "parquet" if path.suffix.lower() == ".parquet" else "csv"
    data = to_bytes(frame, fmt_name)
    if fmt_name == "csv":
        data = (",".join(_csv_field(c) for c in frame.columns) + "\n").encode("utf-8") + data
    try:
        write_bytes_atomic(path, data)
        write_sidecar(path, {**provenance_part(record), "rows": len(frame), "columns": list(frame.columns)})
    except OSError as exc:
        raise TripartiteError(f"cannot write {out}: {exc.strerror}") from None


def _csv_field(text: str) -> str:
    return f'"{text}"' if any(c in text for c in ',"\n') else text


def run(args: argparse.Namespace) -> None:
    record, sim, kind = simulation_record(args)
    fig = _draw(sim, kind) if args.plot else None  # drawn before any file is written
    if args.out:
        _write_table(sim, args.out, record)
        record["out"] = args.out
    if fig is not None:
        save_plot(fig, args.plot, record, f"simulation {kind}", args)
        record["plot"] = args.plot
    emit_record(record, render, as_json=args.json)


def render(record: dict) -> str:
    """Human-readable text of a ``simulate`` record."""
    lines = [header(record), f"parameters: {point_text(record)}"]
    if record.get("vary"):
        vary = record["vary"]
        lines.append(f"varied: {vary['name']} = {', '.join(fmt(v) for v in vary['values'])}")
    if record.get("schedule"):
        for name, steps in record["schedule"].items():
            lines.append(f"schedule: {name} = " + ", ".join(f"{fmt(v)} from t = {fmt(t)}" for t, v in steps))
    lines += ["", f"{len(record['trajectories'])} trajectories to t = {fmt(record['t_max'])}:"]
    rows = []
    for t in record["trajectories"]:
        end = ", ".join(t["profile"].values()) if t["profile"] else t["outcome"]
        if t["outcome"] == "vertex":
            end += " (certified)" if t["certified"] else " (within tolerance at t_max, not certified)"
        rows.append((t["label"], end, fmt(t["t_final"])))
    lines.append(table(("trajectory", "ends at", "t_final"), rows))
    if record.get("out"):
        lines += ["", f"wrote {record['out']} and {record['out']}.json"]
    if record.get("plot"):
        lines.append(f"wrote {record['plot']} and {record['plot']}.json")
    return "\n".join(lines)
