"""``tripartite stability [MODEL]``: the symbolic stability table of every vertex.

For each pure profile: the Jacobian eigenvalues as expressions, the condition
for asymptotic stability (every eigenvalue negative) as inequalities with
their verdict over the declared parameter ranges, and at the given parameter
values (defaults unless ``--set``) each eigenvalue's exact value and sign and
the vertex's classification.  For games with two strategies per player, the
rest points on edges, faces and in the interior at those values follow.

``--tol`` is relative to the game's payoff scale at those values
(:func:`tripartite.game.payoff_scale`): the signs of irrational values are
decided with ``tol * payoff_scale``, so that the labels do not depend on the
payoffs' units; the JSON record gives ``payoff_scale`` beside the
provenance's ``tolerance``.

Formats: ``text`` (default), ``markdown``, ``latex`` (a booktabs table in a
complete document; ``--fragment`` for the table alone), ``docx`` (a Word
three-line table, written to ``--out FILE.docx``), ``xlsx`` (an Excel workbook,
``--out FILE.xlsx``) and ``json``, whose
expressions are strings that ``sympy.parse_expr`` reads back with every name
a real symbol.  The table is :func:`tripartite.stability_table`
(:mod:`tripartite.symbolic.table`); its renderings are
:mod:`tripartite.io.tables` and :func:`tripartite.io.latex.stability_latex`.

Each vertex's record also carries the players' expected ``payoffs`` and
``welfare`` there (:mod:`tripartite.welfare`).  Every format shows them in a
table of their own, after the vertex table and the legend (or note) of its
verdicts, before the rest points off the vertices: one column per player for
the decision payoffs and, only when the model declares welfare apart from them
(a ``[welfare]`` table), one per player for welfare, with how welfare is
evaluated.  The renderings read these numbers from the record.
"""

from __future__ import annotations

import argparse
import math

from ..errors import TripartiteError
from ..game import DEFAULT_TOL
from ..io.tables import payoff_text, stability_markdown, stability_text
from ..symbolic.cache import session
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
    add_lang_argument,
    add_model_argument,
    add_set_argument,
    check_docx_output,
    check_xlsx_output,
    command_provenance,
    emit_docx,
    emit_formatted,
    model_and_values,
)

__all__ = [
    "METHOD",
    "PARSE_BACK",
    "STATUS_LEGEND",
    "add_parser",
    "payoff_text",
    "stability_record",
    "render_text",
    "render_markdown",
    "render_latex",
    "run",
]

FORMATS = ("text", "markdown", "latex", "json", "docx", "xlsx")


def add_parser(sub) -> None:
    parser = sub.add_parser(
        "stability",
        help="symbolic stability table of every vertex: eigenvalues, conditions, verdicts, values",
    )
    add_model_argument(parser)
    add_set_argument(parser)
    add_format_arguments(parser, FORMATS)
    add_lang_argument(parser)
    parser.add_argument(
        "--tol",
        type=float,
        default=DEFAULT_TOL,
        help="tolerance for signs of irrational values, relative to the payoff scale (default %(default)g)",
    )
    parser.set_defaults(func=run)


def _latex(result, fragment: bool, record: dict, lang: str | None) -> str:
    from ..io.latex import stability_latex  # loaded only for latex: sympy's LaTeX printer is slow to import

    return stability_latex(result, fragment, record, lang=lang)


def run(args: argparse.Namespace) -> None:
    check_docx_output(args)
    check_xlsx_output(args)
    model, values = model_and_values(args)
    if not 0 <= args.tol < math.inf:
        raise TripartiteError(f"--tol must be a non-negative number, got {args.tol}")
    scale = float(model.game(values).payoff_scale[0])  # the tolerance in payoff units is tol * scale
    with session(model):  # the symbolic results, cached on disk (tripartite.symbolic.cache)
        result = stability_table(model, values, args.tol * scale)
        record = result.to_record()
    provenance = command_provenance(model, model, values, method=METHOD, tolerance=args.tol)
    record = {**provenance, "payoff_scale": scale, **record}
    if args.format == "docx":
        from ..io.docx import stability_docx

        emit_docx(stability_docx(record, lang=args.lang), args.out, record)
        return
    if args.format == "xlsx":
        from ..io.xlsx import stability_xlsx

        emit_docx(stability_xlsx(record, lang=args.lang), args.out, record)
        return
    renderers = {
        "text": stability_text,
        "markdown": stability_markdown,
        "latex": lambda record: _latex(result, args.fragment, record, args.lang),
    }
    emit_formatted(record, args, renderers)
