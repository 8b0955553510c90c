"""Helpers shared by the commands: model arguments, ``--set``, tables, output."""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from pathlib import Path

from ..errors import ParameterError, TripartiteError
from ..game import Game
from ..io.results import to_json, write_text_atomic
from ..model import Model, parse_value
from ..scenario import load_model

__all__ = [
    "add_model_argument",
    "add_set_argument",
    "emit",
    "emit_json",
    "fmt",
    "game_from_args",
    "is_nfg",
    "model_from_args",
    "table",
    "values_from_sets",
]


def add_model_argument(parser: argparse.ArgumentParser, required: bool = False) -> None:
    kwargs = {} if required else {"nargs": "?", "default": "baseline"}
    parser.add_argument(
        "model",
        metavar="MODEL",
        help="a built-in model name (default: baseline), a .toml scenario file, or a Gambit .nfg game",
        **kwargs,
    )


def add_set_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--set",
        dest="sets",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="set a parameter (repeatable); others keep their defaults",
    )


def is_nfg(source: str) -> bool:
    """Whether a MODEL/GAME argument names a Gambit ``.nfg`` file."""
    return str(source).lower().endswith(".nfg")


def model_from_args(args: argparse.Namespace) -> Model:
    if is_nfg(args.model):
        raise TripartiteError(
            f"{args.model} is a game without parameters (a Gambit .nfg file); "
            "this command needs a model (a built-in name or a .toml scenario)"
        )
    return load_model(args.model)


def game_from_args(args: argparse.Namespace) -> tuple[Game, Model | None]:
    """The game named by ``args.model`` at the ``--set`` values, and its model.

    The model is ``None`` for sources that are games without parameters
    (Gambit ``.nfg`` files); ``--set`` on one of those is an error.
    """
    if is_nfg(args.model):
        from ..io.nfg import load_nfg

        sets = getattr(args, "sets", [])
        if sets:
            raise ParameterError(
                f"--set {sets[0]}: {args.model} is a .nfg game, which has no parameters to set"
            )
        return load_nfg(args.model), None
    model = model_from_args(args)
    values = values_from_sets(model, getattr(args, "sets", []))
    return model.game(values), model


def values_from_sets(model: Model, sets: Sequence[str]) -> dict[str, float]:
    """Parse ``NAME=VALUE`` items, checking names and ranges against the model."""
    values: dict[str, float] = {}
    for item in sets:
        name, sep, text = item.partition("=")
        name, text = name.strip(), text.strip()
        if not sep or not name or not text:
            raise ParameterError(f"--set expects NAME=VALUE, got {item!r}")
        parameter = model.parameter(name)
        values[name] = parse_value(name, text)
        parameter.check(values[name])
    return values


def table(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    """A plain text table with aligned columns."""
    cells = [[str(h) for h in headers]] + [[str(c) for c in row] for row in rows]
    widths = [max(len(r[k]) for r in cells) for k in range(len(headers))]
    lines = ["  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip() for r in cells]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def emit(text: str, out: str | None = None) -> None:
    """Print ``text``, or write it atomically to ``out``."""
    if out is None:
        print(text)
        return
    path = Path(out)
    if not path.parent.exists():
        raise TripartiteError(f"cannot write {out}: folder {path.parent} does not exist")
    try:
        write_text_atomic(path, text if text.endswith("\n") else text + "\n")
    except OSError as exc:
        raise TripartiteError(f"cannot write {out}: {exc.strerror}") from None


def emit_json(record: dict, out: str | None = None) -> None:
    emit(to_json(record), out)


def fmt(x: float) -> str:
    """Compact number formatting for tables."""
    return f"{x:.6g}"
