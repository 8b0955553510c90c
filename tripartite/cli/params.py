"""``tripartite params [MODEL]``: the parameter table of a model."""

from __future__ import annotations

import argparse

from .. import __version__
from .common import add_model_argument, emit, emit_json, fmt, model_from_args, table


def add_parser(sub) -> None:
    parser = sub.add_parser("params", help="print the parameter table of a model")
    add_model_argument(parser)
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> None:
    model = model_from_args(args)
    if args.json:
        emit_json(
            {
                "version": __version__,
                "model": model.name,
                "model_hash": model.hash,
                "parameters": [
                    {
                        "name": p.name,
                        "symbol": p.symbol or p.name,
                        "default": p.default,
                        "unit": p.unit,
                        "min": None if p.min == float("-inf") else p.min,
                        "max": None if p.max == float("inf") else p.max,
                        "description": p.description,
                        "section": p.section,
                        "source": p.source,
                    }
                    for p in model.parameters
                ],
            }
        )
        return
    rows = [
        (p.name, fmt(p.default), p.unit, p.range_text(), p.description, p.section) for p in model.parameters
    ]
    header = f"{model.name}: {model.description}" if model.description else model.name
    emit(header + "\n\n" + table(("symbol", "default", "unit", "range", "meaning", "section"), rows))
