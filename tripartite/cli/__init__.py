"""The ``tripartite`` command line: a thin layer over the Python API.

Each command lives in its own module with ``add_parser(subparsers)``; user
mistakes raise :class:`~tripartite.errors.TripartiteError`, which is printed
as one line on standard error with exit status 2 (no traceback).

A command's module is imported only when that command runs: ``main`` reads the
command name from the arguments and builds the parser of that command alone,
so ``tripartite --version`` and ``tripartite params`` do not pay for the
solvers' libraries.  Help, errors and :func:`build_parser` build every command.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import sys
from collections.abc import Iterator, Sequence

from .._version import __version__
from ..errors import TripartiteError

__all__ = ["main", "build_parser"]

# command name -> its module in tripartite.cli, in the order of ``tripartite --help``
COMMANDS = {
    "params": "params",
    "solve": "solve",
    "cite": "cite",
    "basins": "basins",
    "qre": "qre",
    "sweep": "sweep",
    "escape": "escape",
    "stability": "stability",
    "thresholds": "thresholds",
    "export": "export",
}


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # one line, exit 2, like our own errors
        self.exit(2, f"{self.prog}: error: {message}\n")


def build_parser(commands: Sequence[str] | None = None) -> argparse.ArgumentParser:
    """The argument parser of the given commands (all of them by default).

    Examples
    --------
    >>> build_parser(["params"]).parse_args(["params", "baseline"]).model
    'baseline'
    """
    parser = _Parser(
        prog="tripartite",
        description="Equilibria and evolutionary stability of the government / platform / "
        "worker social-insurance game, and of any finite N-player game.",
    )
    parser.add_argument("--version", action="version", version=f"tripartite {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    sub.required = True
    for name in COMMANDS if commands is None else commands:
        importlib.import_module(f"{__name__}.{COMMANDS[name]}").add_parser(sub)
    return parser


def _commands_needed(argv: Sequence[str]) -> list[str] | None:
    """The commands whose parsers ``argv`` needs: the one it names, none for ``--version``, else all."""
    for token in argv:
        if token in COMMANDS:
            return [token]
        if not token.startswith("-"):
            break  # an unknown command: the full parser names the choices
    if list(argv[:1]) == ["--version"]:
        return []
    return None


@contextlib.contextmanager
def _command_settings(args: argparse.Namespace) -> Iterator[None]:
    """``--lang`` and ``--font`` hold for one command: ``main`` may run again in the same process."""
    lang, font = getattr(args, "lang", None), getattr(args, "font", None)
    if lang is None and font is None:
        yield
        return
    from ..io import words
    from ..plot import fonts

    language, chosen = words.get_language(), fonts.current_font()
    if lang is not None:
        words.set_language(lang)
    try:
        yield
    finally:
        words.set_language(language)
        fonts.use_font(chosen)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    argv = sys.argv[1:] if argv is None else list(argv)
    parser = build_parser(_commands_needed(argv))
    args = parser.parse_args(argv)
    try:
        with _command_settings(args):
            args.func(args)
    except TripartiteError as exc:
        print(f"tripartite: error: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # e.g. piped into `head`
        return 0
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
