"""``tripartite export MODEL --format nfg``: a model at given parameter values as a Gambit game.

The file's comment field records the provenance (tripartite version, model
name and hash, every parameter value), and payoffs are written exactly when
they are rational at those values (decimals are read as the decimals they
print as).
"""

from __future__ import annotations

import argparse
import dataclasses
import json

from .._version import __version__
from ..errors import TripartiteError
from ..io.nfg import write_nfg
from ..io.results import parameter_values
from .common import add_model_argument, add_set_argument, emit, game_from_args, values_from_sets

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


def export_text(game, model, values: dict, outcomes: bool = False) -> str:
    """The ``.nfg`` text of a game, with provenance in its comment field."""
    if model is not None:
        try:
            exact = model.exact_payoffs(values)
            if all(getattr(v, "is_Rational", False) for v in exact.ravel()):
                game = dataclasses.replace(game, exact_payoffs=exact)
        except (TypeError, ValueError):  # pragma: no cover - payoffs not rational at these values
            pass
    provenance = {
        "tripartite": __version__,
        "model": model.name if model is not None else game.name,
        "model_hash": model.hash if model is not None else None,
        "parameters": parameter_values(game) if model is not None else {},
    }
    comment = "exported by tripartite; provenance: " + json.dumps(provenance, ensure_ascii=False)
    return write_nfg(game, outcomes=outcomes, title=game.name, comment=comment)


def run(args: argparse.Namespace) -> None:
    if args.format != "nfg":  # pragma: no cover - argparse restricts the choices
        raise TripartiteError(f"unknown format {args.format!r}")
    game, model = game_from_args(args)
    values = values_from_sets(model, args.sets) if model is not None else {}
    emit(export_text(game, model, values, args.outcomes), args.output)


__all__ = ["add_parser", "export_text", "run"]
