"""``tripartite check [SCENARIO] TABLE``: a referee's check of a published stability table.

TABLE is a TOML file (format in ``docs/check.md``): ``[vertices]`` maps each
profile to its eigenvalues in player order, the optional ``[ess]`` maps the
profiles the paper calls stable to the conditions it states.  With SCENARIO
(a built-in model name or a ``.toml`` scenario), every eigenvalue is compared
with the derived one and every claim with the derived conditions; without
it, the table is checked against itself (neighbouring vertices' eigenvalues
are opposite).  The work is :func:`tripartite.symbolic.check.check_table`.

Exit status: 0 when the table is right, 1 when something is wrong (each
problem printed with what to do), 2 for input that cannot be read.
"""

from __future__ import annotations

import argparse
import hashlib

import numpy as np

from ..game import Game
from ..symbolic.check import check_table, load_table, table_strategies
from .common import add_json_argument, add_out_argument, command_provenance, emit_record, model_from_args

__all__ = ["METHOD", "add_parser", "run"]

METHOD = (
    "symbolic (sympy): printed eigenvalues compared exactly with the deviation gains u_i(t, s_-i) - u_i(s) "
    "at every vertex (or, without a scenario, with minus the neighbouring vertex's); stated conditions "
    "matched to 'eigenvalue < 0' up to a factor positive over the declared ranges (every symbol "
    "non-negative without a scenario); verdicts by interval arithmetic, exact linear programming and "
    "exactly checked witnesses"
)


def add_parser(sub) -> None:
    parser = sub.add_parser(
        "check",
        help="referee a published stability table: eigenvalues and stability claims, against a model or itself",
        description="Check a published stability table (TOML, see docs/check.md) against a scenario, or for "
        "internal consistency without one. Exit status 0: right; 1: something is wrong; 2: bad input.",
    )
    parser.add_argument(
        "scenario",
        nargs="?",
        metavar="SCENARIO",
        help="the paper's game: a built-in model name or a .toml scenario (omit it to check the table "
        "against itself)",
    )
    parser.add_argument("table", metavar="TABLE", help="the stability table, a .toml file (docs/check.md)")
    add_json_argument(parser, "print one JSON object (rows, ess, summary)")
    add_out_argument(parser)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    table = load_table(args.table)
    model = None
    if args.scenario is not None:
        args.model = args.scenario
        model = model_from_args(args)
    report = check_table(table, model)
    if model is not None:
        provenance = command_provenance(model.game(), model, {}, method=METHOD, tolerance=None)
    else:
        players, strategies = table_strategies(table)  # the provenance names the table's players
        shape = tuple(len(s) for s in strategies)
        game = Game.from_array(
            np.zeros((len(shape),) + shape), players, strategies, table.title or table.filename
        )
        digest = hashlib.sha256(table.text.encode("utf-8")).hexdigest()[:16]
        provenance = command_provenance(game, None, {}, method=METHOD, tolerance=None, source=table.filename)
        provenance["model_hash"] = digest
    record = {**provenance, **report.to_record()}
    emit_record(record, lambda _: report.to_text(), as_json=args.json, out=args.out)
    return 0 if report.ok else 1
