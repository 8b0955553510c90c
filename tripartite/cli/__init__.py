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
import gc
import importlib
import os
import signal
import sys
import threading
from collections.abc import Iterator, Sequence

from .._version import __version__
from ..errors import TripartiteError

__all__ = ["main", "build_parser", "entry_point"]

# command name -> its module in tripartite.cli, in the order of ``tripartite --help``
COMMANDS = {
    "params": "params",
    "solve": "solve",
    "cite": "cite",
    "basins": "basins",
    "simulate": "simulate",
    "qre": "qre",
    "sweep": "sweep",
    "escape": "escape",
    "stability": "stability",
    "thresholds": "thresholds",
    "export": "export",
    "check": "check",
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


#: The environment variables that choose the number of BLAS threads; any one set is the user's choice.
BLAS_THREAD_VARIABLES = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS", "GOTO_NUM_THREADS")


def _one_blas_thread_by_default() -> None:
    """Run the command on one BLAS thread unless the user chose a number (``OPENBLAS_NUM_THREADS=4``).

    The solvers make many small dense LAPACK calls (SLSQP's steps, eigenvalues
    of 2x2 to 8x8 matrices); extra BLAS threads only wake and spin on each of
    them, and an idle OpenBLAS thread pool spins while the libraries load:
    about 0.3 s of CPU for ``tripartite escape baseline`` on two cores, and
    slower still on a loaded machine.  Set only when numpy has not been
    imported yet (the process is the command line's own: the setting then
    holds for all of it and for the sweep's worker processes); a ``main()``
    called from Python after numpy is loaded changes nothing.
    """
    if "numpy" in sys.modules or any(name in os.environ for name in BLAS_THREAD_VARIABLES):
        return
    os.environ["OPENBLAS_NUM_THREADS"] = "1"


class Terminated(BaseException):
    """``SIGTERM`` arrived: raised in the main thread so that half-written files are removed."""


@contextlib.contextmanager
def _terminate_cleanly() -> Iterator[None]:
    """While a command runs, ``SIGTERM`` raises :class:`Terminated` (atomic writers then clean up)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def terminate(signum, frame):
        raise Terminated()

    previous = signal.signal(signal.SIGTERM, terminate)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status.

    A user's mistake, or a limit of :mod:`tripartite.limits` reached, is one
    line ``tripartite: error: ...`` on standard error and status 2.  Running
    out of memory or of recursion depth is reported the same way (they are
    limits of the machine); ``SIGTERM`` ends the command with status 143
    after removing its temporary files.
    """
    _one_blas_thread_by_default()
    argv = sys.argv[1:] if argv is None else list(argv)
    parser = build_parser(_commands_needed(argv))
    args = parser.parse_args(argv)
    try:
        with _terminate_cleanly(), _command_settings(args):
            status = args.func(args)  # None for success; ``check`` returns 1 when the table is wrong
    except TripartiteError as exc:
        print(f"tripartite: error: {exc}", file=sys.stderr)
        return 2
    except MemoryError:
        print(
            "tripartite: error: out of memory; the input asks for more than this machine has "
            "(see docs/limits.md for the sizes tripartite accepts)",
            file=sys.stderr,
        )
        return 2
    except RecursionError:
        print(
            "tripartite: error: an expression or record is nested too deeply to process (see docs/limits.md)",
            file=sys.stderr,
        )
        return 2
    except Terminated:
        print("tripartite: terminated (SIGTERM); no partial output file was left", file=sys.stderr)
        return 143
    except BrokenPipeError:  # e.g. piped into `head`
        return 0
    return int(status or 0)


def entry_point() -> None:
    """The ``tripartite`` program (console script and ``python -m tripartite``): :func:`main`, then exit.

    The process ends with the command, so its objects are frozen out of the
    garbage collector first (:func:`gc.freeze`): without it the interpreter's
    final collections walk every expression sympy built and cached, about a
    quarter of a second of CPU after ``tripartite escape baseline`` has
    printed its answer.  Files, streams and ``atexit`` handlers are closed as
    usual.  Code that runs commands in its own process calls :func:`main`.
    """
    status = main()
    gc.freeze()
    sys.exit(status)


if __name__ == "__main__":  # pragma: no cover
    entry_point()
