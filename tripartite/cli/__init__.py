"""The ``tripartite`` command line: a thin layer over the Python API.

Each command lives in its own module with ``add_parser(subparsers)``; user
mistakes raise :class:`~tripartite.errors.TripartiteError`, which is printed
as one line on standard error with exit status 2 (no traceback).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from .._version import __version__
from ..errors import TripartiteError
from . import basins, cite, escape, export, params, qre, solve, stability, sweep, thresholds

__all__ = ["main", "build_parser"]

COMMANDS = (params, solve, cite, basins, qre, sweep, escape, stability, thresholds, export)


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # one line, exit 2, like our own errors
        self.exit(2, f"{self.prog}: error: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="tripartite",
        description="Equilibria and evolutionary stability of the government / platform / "
        "worker social-insurance game, and of any finite N-player game.",
    )
    parser.add_argument("--version", action="version", version=f"tripartite {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    sub.required = True
    for command in COMMANDS:
        command.add_parser(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        args.func(args)
    except TripartiteError as exc:
        print(f"tripartite: error: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # e.g. piped into `head`
        return 0
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
