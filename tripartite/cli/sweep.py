"""``tripartite sweep MODEL --vary NAME=START:STOP:N ...``: regime maps over the levers.

Every check (parameter names, ranges against the admissible intervals,
output paths) happens before any work; a bad input is one line on standard
error and exit status 2.
"""

from __future__ import annotations

import argparse
import math
import shlex
import sys
from pathlib import Path

from ..dynamics import DEFAULT_T_MAX
from ..errors import TripartiteError, UndefinedPayoffError
from ..sweep.designs import Design, grid, parse_sample, sample
from ..sweep.executors import check_scheduler
from ..sweep.parts import parts_path
from ..sweep.regime_changes import design_thresholds
from ..sweep.regimes import DEFAULT_TOL
from ..sweep.runner import sweep
from ..sweep.tables import check_output_path, sidecar_path
from .common import (
    add_figure_arguments,
    add_json_argument,
    add_lang_argument,
    add_model_argument,
    add_schedule_argument,
    add_set_argument,
    check_plot_options,
    emit,
    emit_docx,
    emit_json,
    fmt,
    model_and_values,
    parse_assignments,
    save_plot,
)

__all__ = ["add_parser", "run"]


def add_parser(sub) -> None:
    parser = sub.add_parser(
        "sweep",
        help="classify every point of a grid or sample of the levers (regimes, stable vertices)",
        description="Vary levers over a grid (NAME=START:STOP:N or NAME=v1,v2,...) or a sample "
        "(--sample sobol:N with NAME=LO:HI), classify every point, and write a table with a "
        "provenance sidecar.",
    )
    add_model_argument(parser)
    parser.add_argument(
        "--vary",
        action="append",
        default=[],
        required=True,
        metavar="NAME=START:STOP:N",
        help="a lever to vary (repeatable): START:STOP:N evenly spaced values, v1,v2,... a list, "
        "or LO:HI bounds with --sample",
    )
    add_set_argument(parser)
    parser.add_argument(
        "--sample",
        metavar="METHOD:N",
        help="sample N points instead of a grid; METHOD is sobol, lhs or random",
    )
    parser.add_argument("--seed", type=int, default=0, help="seed of the sample (default 0)")
    parser.add_argument(
        "--out", metavar="FILE", help="write the table to FILE.csv, FILE.parquet or FILE.xlsx (Excel)"
    )
    parser.add_argument(
        "--excel",
        action="store_true",
        help="--out FILE.csv: UTF-8 with a byte-order mark, which Excel needs to show Chinese names",
    )
    parser.add_argument("--plot", metavar="FILE", help="draw the regimes to FILE.png, .pdf or .svg")
    add_figure_arguments(parser)
    add_lang_argument(parser, "the --plot figure")
    parser.add_argument("--workers", type=int, default=1, help="local worker processes (default 1)")
    parser.add_argument("--scheduler", metavar="ADDRESS", help="run the chunks on this Dask scheduler")
    parser.add_argument("--resume", action="store_true", help="complete an interrupted sweep into --out")
    parser.add_argument("--chunk-size", type=int, help="points per chunk (default: about 1/16 of the sweep)")
    parser.add_argument(
        "--tol",
        type=float,
        default=DEFAULT_TOL,
        help="tolerance on payoff differences, relative to the payoff scale (the largest range of one player's payoffs)",
    )
    parser.add_argument(
        "--trajectories",
        action="store_true",
        help="also integrate the replicator dynamics from the model's status quo at every point",
    )
    parser.add_argument(
        "--t-max",
        type=float,
        default=DEFAULT_T_MAX,
        help=f"horizon of those trajectories (default {DEFAULT_T_MAX:g})",
    )
    add_schedule_argument(
        parser,
        "--trajectories: make a parameter piecewise constant in time along them (repeatable), e.g. phi=0:1,8:0",
    )
    parser.add_argument("--quiet", action="store_true", help="no progress bar")
    add_json_argument(parser, "print the summary as JSON")
    parser.set_defaults(func=run)


def _vary_items(items: list[str]) -> dict[str, str]:
    out: dict[str, str] = {}
    for name, spec in parse_assignments(items, "--vary", "NAME=START:STOP:N (or NAME=v1,v2,...)"):
        if name in out:
            raise TripartiteError(f"parameter {name!r} is varied twice")
        out[name] = spec
    return out


def _design(args: argparse.Namespace, model, fixed: dict) -> Design:
    """The grid or sample the ``--vary`` and ``--sample`` options describe."""
    items = _vary_items(args.vary)
    for name in items:
        model.parameter(name)
        if name in fixed:
            raise TripartiteError(f"parameter {name!r} is both varied (--vary) and set (--set)")
    if args.sample:
        method, n = parse_sample(args.sample)
        return sample(model, items, n, method, args.seed)
    return grid(model, items)


def _check_before_work(args: argparse.Namespace, model, design: Design) -> None:
    """Every remaining check on the options, before any point is computed."""
    if args.workers < 1:
        raise TripartiteError("--workers must be at least 1")
    if args.chunk_size is not None and args.chunk_size < 1:
        raise TripartiteError("--chunk-size must be at least 1")
    if not 0 <= args.tol < math.inf:
        raise TripartiteError("--tol must be a non-negative number")
    if args.resume and not args.out:
        raise TripartiteError("--resume needs --out FILE (the sweep to complete)")
    if _xlsx(args):
        _check_xlsx(args, design)
    elif args.out:
        check_output_path(args.out)
    if args.excel and not (args.out and args.out.lower().endswith(".csv")):
        raise TripartiteError("--excel writes a CSV file for Excel: give --out FILE.csv")
    if args.plot:
        check_plot_options(args)
        if len(design.names) not in (1, 2):
            raise TripartiteError("--plot draws one or two varied levers; vary one or two")
        if len(design.names) == 1 and design.kind != "grid":
            raise TripartiteError("--plot of one lever needs a grid (NAME=START:STOP:N), not a sample")
    check_scheduler(args.scheduler)
    if args.trajectories and model.initial_state is None:
        raise TripartiteError(f"--trajectories: model {model.name!r} documents no initial state")
    if args.schedules and not args.trajectories:
        raise TripartiteError("--schedule applies to the trajectories: add --trajectories")


#: Rows of one Excel worksheet, the header included.
EXCEL_ROWS = 1_048_576


def _xlsx(args: argparse.Namespace) -> bool:
    return bool(args.out) and args.out.lower().endswith(".xlsx")


def _check_xlsx(args: argparse.Namespace, design: Design) -> None:
    """``--out FILE.xlsx``: openpyxl installed, the folder there, the table within one worksheet."""
    from ..io.xlsx import check_available

    check_available()
    if args.resume:
        raise TripartiteError("--resume completes a .csv or .parquet table, not an Excel file")
    if design.n_points > EXCEL_ROWS - 1:
        raise TripartiteError(
            f"{design.n_points:,} points do not fit one Excel worksheet ({EXCEL_ROWS - 1:,} rows): "
            "write .csv or .parquet"
        )
    folder = Path(args.out).parent
    if not folder.exists():
        raise TripartiteError(f"cannot write {args.out}: folder {folder} does not exist")


def _schedule(items: list[str]):
    """The ``--schedule`` items as a :class:`~tripartite.dynamics.schedules.Schedule` (``None``: none)."""
    if not items:
        return None
    from ..dynamics.schedules import Schedule

    return Schedule.parse(items)


def _run_sweep(args: argparse.Namespace, model, design: Design, fixed: dict):
    """The sweep itself; on Ctrl-C, say where the finished chunks are and exit 130."""
    try:
        return sweep(
            model,
            design,
            values=fixed,
            tol=args.tol,
            out=None if _xlsx(args) else args.out,
            resume=args.resume,
            workers=args.workers,
            scheduler=args.scheduler,
            chunk_size=args.chunk_size,
            initial="status quo" if args.trajectories else None,
            t_max=args.t_max,
            schedule=_schedule(args.schedules),
            progress=not args.quiet and sys.stderr.isatty(),
            command="tripartite " + " ".join(shlex.quote(a) for a in sys.argv[1:]),
            excel=args.excel,
        )
    except KeyboardInterrupt:
        where = (
            f"; finished chunks are kept in {parts_path(args.out)}: rerun with --resume" if args.out else ""
        )
        print(f"tripartite: interrupted{where}", file=sys.stderr)
        raise SystemExit(130) from None


def run(args: argparse.Namespace) -> None:
    model, fixed = model_and_values(args)
    design = _design(args, model, fixed)
    _check_before_work(args, model, design)
    result = _run_sweep(args, model, design, fixed)
    if _xlsx(args):
        from ..io.xlsx import sweep_xlsx

        emit_docx(sweep_xlsx(result.table, result.provenance), args.out, result.provenance)
    try:
        found, not_found = design_thresholds(model, design, fixed, args.tol), None
    except UndefinedPayoffError as exc:  # the table marks those rows invalid; no threshold is claimed
        found, not_found = [], f"not computed: {exc}"
    if args.plot:
        _plot(args, model, design, fixed, result, found)
    if args.json:
        emit_json(_summary_record(args, result, found, not_found))
    else:
        emit(_summary_text(args, model, design, result, found, not_found))


def _summary_record(args: argparse.Namespace, result, found, not_found: str | None = None) -> dict:
    """The sweep's provenance, then its answer: counts, the thresholds (or why not), the files written."""
    return {
        **result.provenance,
        **result.to_record(),
        "thresholds": [t.to_record() for t in found],
        **({"thresholds_not_computed": not_found} if not_found else {}),
        "out": args.out,
        "plot": args.plot,
    }


def _summary_text(
    args: argparse.Namespace, model, design: Design, result, found, not_found: str | None = None
) -> str:
    lines = [
        f"{model.name}: {result.n_points} points over {', '.join(design.names)} "
        f"({design.spec.get('method', 'grid')}), tolerance {args.tol:g} relative to the payoff scale",
        "",
        result.summary(),
    ]
    if not_found:
        lines += ["", f"Thresholds along {design.names[0]}: {not_found}"]
    if found:
        lines += ["", f"Thresholds along {design.names[0]} (others fixed):"]
        for t in found:
            if t.exact is None:
                exact = f" (+/- {t.tolerance:g})"
            else:
                exact = "" if str(t.exact) == fmt(t.value) else f" = {t.exact}"
            lines.append(f"  {design.names[0]} = {fmt(t.value)}{exact}: {t.below} -> {t.above}")
            lines.append(f"      where {'; '.join(t.conditions)} = 0")
    if args.out:
        lines += ["", f"wrote {args.out} and {sidecar_path(args.out)}"]
    if args.plot:
        lines.append(f"wrote {args.plot} and {args.plot}.json")
    return "\n".join(lines)


def _plot(args, model, design: Design, fixed: dict, result, found) -> None:
    from ..plot import regime_map, stability_diagram

    if len(design.names) == 2:
        fig = regime_map(result.table, design.names[0], design.names[1], model=model, values=fixed)
        save_plot(fig, args.plot, result.provenance, "regime map", args)
    else:
        fig = stability_diagram(result.table, design.names[0], thresholds=found, model=model)
        save_plot(fig, args.plot, result.provenance, "stability diagram", args)
