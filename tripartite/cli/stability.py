"""``tripartite stability [MODEL]``: the symbolic stability table of every vertex.

For each pure profile: the Jacobian eigenvalues as expressions, the condition
for asymptotic stability (every eigenvalue negative) as inequalities with
their verdict over the declared parameter ranges, and at the given parameter
values (defaults unless ``--set``) each eigenvalue's exact value and sign and
the vertex's classification.  For games with two strategies per player, the
rest points on edges, faces and in the interior at those values follow.

Formats: ``text`` (default), ``markdown``, ``latex`` (a booktabs table in a
complete document; ``--fragment`` for the table alone) and ``json``, whose
expressions are strings that ``sympy.parse_expr`` reads back with every name
a real symbol.  The table and its renderings are
:func:`tripartite.stability_table` (:mod:`tripartite.symbolic.table`).
"""

from __future__ import annotations

import argparse

from ..dynamics.stability import DEFAULT_TOL
from ..errors import TripartiteError
from ..symbolic.table import (
    METHOD,
    PARSE_BACK,
    STATUS_LEGEND,
    render_latex,
    render_markdown,
    render_text,
    stability_record,
    stability_table,
)
from .common import (
    add_format_arguments,
    add_model_argument,
    add_set_argument,
    emit_formatted,
    model_and_values,
)

__all__ = [
    "METHOD",
    "PARSE_BACK",
    "STATUS_LEGEND",
    "add_parser",
    "stability_record",
    "render_text",
    "render_markdown",
    "render_latex",
    "run",
]

FORMATS = ("text", "markdown", "latex", "json")


def add_parser(sub) -> None:
    parser = sub.add_parser(
        "stability",
        help="symbolic stability table of every vertex: eigenvalues, conditions, verdicts, values",
    )
    add_model_argument(parser)
    add_set_argument(parser)
    add_format_arguments(parser, FORMATS)
    parser.add_argument(
        "--tol", type=float, default=DEFAULT_TOL, help="tolerance for signs of irrational values"
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> None:
    model, values = model_and_values(args)
    if not args.tol >= 0:
        raise TripartiteError(f"--tol must be a non-negative number, got {args.tol}")
    result = stability_table(model, values, args.tol)
    renderers = {
        "text": render_text,
        "markdown": render_markdown,
        "latex": lambda record: result.to_latex(fragment=args.fragment),
    }
    emit_formatted(result.record, args, renderers)
