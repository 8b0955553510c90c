"""``tripartite cite [RESULT_FILE] [--bibtex]``: how to cite, and a result's provenance.

Without a file: the package and the paper the built-in models follow.  With
one (any file a command wrote: JSON, a CSV or Parquet table, a figure, a
``.nfg`` export, a LaTeX or Markdown table; see
:func:`tripartite.io.provenance.read_provenance` for where each keeps its
provenance): the package, the model's own source (the seed paper only for a
built-in model; a scenario's own ``citation``, file and content hash), then
how the result was computed.
"""

from __future__ import annotations

import argparse

from .._version import __version__
from ..io.provenance import bibtex, citation_text, provenance_text, read_provenance
from .common import emit


def add_parser(sub) -> None:
    parser = sub.add_parser("cite", help="how to cite tripartite, and the provenance of a result file")
    parser.add_argument(
        "result",
        nargs="?",
        metavar="RESULT_FILE",
        help="a file the tool wrote: JSON, CSV, Parquet, .nfg, LaTeX, Markdown or a figure",
    )
    parser.add_argument("--bibtex", action="store_true", help="print BibTeX entries")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> None:
    record = read_provenance(args.result) if args.result else None
    parts = [bibtex(__version__, record) if args.bibtex else citation_text(__version__, record)]
    if record is not None:
        parts.append("")
        parts.append(provenance_text(record, args.result))
    emit("\n".join(parts))


__all__ = ["add_parser", "run"]
