"""``tripartite cite [RESULT_FILE] [--bibtex]``: how to cite, and a result's provenance."""

from __future__ import annotations

import argparse

from .._version import __version__
from ..io.provenance import bibtex, citation_text, provenance_text, read_provenance
from .common import emit


def add_parser(sub) -> None:
    parser = sub.add_parser("cite", help="how to cite tripartite, and the provenance of a result file")
    parser.add_argument(
        "result", nargs="?", metavar="RESULT_FILE", help="a JSON, CSV, Parquet or figure file the tool wrote"
    )
    parser.add_argument("--bibtex", action="store_true", help="print BibTeX entries")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> None:
    parts = [bibtex(__version__) if args.bibtex else citation_text(__version__)]
    if args.result:
        parts.append("")
        parts.append(provenance_text(read_provenance(args.result), args.result))
    emit("\n".join(parts))
