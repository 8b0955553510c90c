"""Argument definitions shared by the commands, in a module that imports nothing heavy.

A command whose answer may come from the cache (``params``) defines its parser
with these without loading numpy or sympy; :mod:`tripartite.cli.common`
re-exports them.
"""

from __future__ import annotations

import argparse

__all__ = ["add_json_argument", "add_model_argument"]


def add_model_argument(parser: argparse.ArgumentParser, required: bool = False) -> None:
    kwargs = {} if required else {"nargs": "?", "default": "baseline"}
    parser.add_argument(
        "model",
        metavar="MODEL",
        help="a built-in model name (default: baseline), a .toml scenario file, or a Gambit .nfg game",
        **kwargs,
    )


def add_json_argument(parser: argparse.ArgumentParser, help: str = "print one JSON object") -> None:
    parser.add_argument("--json", action="store_true", help=help)
