"""``tripartite export MODEL --format nfg``: a model at given parameter values as a Gambit game.

The file's comment field records the provenance (tripartite version, model
name, content hash, source and citation, every parameter value) as
``exported by tripartite; provenance: {JSON}``
(:func:`tripartite.io.provenance.nfg_comment`), which ``tripartite cite
FILE.nfg`` reads, and which ``tripartite solve FILE.nfg`` carries on as
``exported_from``.  Payoffs are written exactly when they are rational at
those values (decimals are read as the decimals they print as).
"""

from __future__ import annotations

import argparse
import dataclasses
from typing import Any

from ..errors import TripartiteError
from ..io.nfg import write_nfg
from ..io.provenance import nfg_comment
from .common import add_model_argument, add_set_argument, command_provenance, emit, point_from_args

#: The ``method`` of an export's provenance.
METHOD = "export: the payoffs at the parameter point, as exact rationals where they are rational"

FORMATS = ("nfg",)


def add_parser(sub) -> None:
    parser = sub.add_parser("export", help="write a model at given parameter values as a Gambit .nfg game")
    add_model_argument(parser)
    add_set_argument(parser)
    parser.add_argument("--format", default="nfg", choices=FORMATS, help="output format (default: nfg)")
    parser.add_argument(
        "--outcomes",
        action="store_true",
        help="write the outcome version of the format (one outcome per profile) instead of the payoff version",
    )
    parser.add_argument(
        "-o", "--output", metavar="FILE", help="write to FILE (atomically) instead of printing"
    )
    parser.set_defaults(func=run)


def export_record(game, model, values: dict, source: str | None = None) -> dict[str, Any]:
    """The provenance of an export (the game at ``values``; ``source`` names a ``.nfg`` input)."""
    return command_provenance(game, model, values, method=METHOD, tolerance=None, source=source)


def export_text(game, model, values: dict, outcomes: bool = False, record: dict | None = None) -> str:
    """The ``.nfg`` text of a game, with its provenance (``record``, else :func:`export_record`) as the comment."""
    if model is not None:
        try:
            exact = model.exact_payoffs(values)
            if all(getattr(v, "is_Rational", False) for v in exact.ravel()):
                game = dataclasses.replace(game, exact_payoffs=exact)
        except (TypeError, ValueError):  # pragma: no cover - payoffs not rational at these values
            pass
    record = record if record is not None else export_record(game, model, values)
    return write_nfg(game, outcomes=outcomes, title=game.name, comment=nfg_comment(record))


def run(args: argparse.Namespace) -> None:
    if args.format != "nfg":  # pragma: no cover - argparse restricts the choices
        raise TripartiteError(f"unknown format {args.format!r}")
    game, model, values = point_from_args(args)
    record = export_record(game, model, values, source=None if model is not None else args.model)
    text = export_text(game, model, values, args.outcomes, record)
    emit(text, args.output, provenance=record, format="nfg")


__all__ = ["METHOD", "add_parser", "export_record", "export_text", "run"]
