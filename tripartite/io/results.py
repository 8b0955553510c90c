"""Result records: the JSON-ready pieces every record is made of.

Numbers for JSON (:func:`json_number`), strategies and parameter values as
player- and name-keyed objects, and the JSON text of a record
(:func:`to_json`).  Names of players and strategies are kept as the user
wrote them (any Unicode); JSON is written with ``ensure_ascii=False``.

The provenance every output carries is built and written by
:mod:`tripartite.io.provenance`; ``tripartite.io.results.provenance`` is the
same function, kept importable here.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from ..game import Game
from .atomic import write_text_atomic

__all__ = [
    "provenance",  # noqa: F822 - re-exported lazily by __getattr__ below
    "mixed_strategies",
    "pure_strategies",
    "player_values",
    "parameter_values",
    "to_json",
    "json_number",
    "parameter_range",
    "write_text_atomic",
]


def json_number(x: Any) -> float | int:
    """A number for JSON: whole floats as integers (``2.0`` -> ``2``), others as floats.

    Examples
    --------
    >>> json_number(2.0), json_number(0.25)
    (2, 0.25)
    """
    x = float(x)
    return int(x) if x.is_integer() and abs(x) < 2**53 else x


def parameter_range(parameter) -> list[float | None]:
    """A parameter's admissible range ``[min, max]`` for JSON, ``None`` for an infinite end.

    Examples
    --------
    >>> from tripartite import load_model
    >>> parameter_range(load_model("baseline").parameter("lam"))
    [1.0, None]
    """
    lo, hi = parameter.min, parameter.max
    return [None if math.isinf(lo) else lo, None if math.isinf(hi) else hi]


def parameter_values(game: Game, b: int = 0) -> dict[str, float]:
    """Parameter name -> value at point ``b`` of a batched game."""
    out = {}
    for name, arr in game.parameters.items():
        arr = np.asarray(arr)
        out[name] = json_number(arr if arr.ndim == 0 else arr[b])
    return out


def mixed_strategies(game: Game, profile: Sequence[np.ndarray]) -> dict[str, dict[str, float]]:
    """Player -> {strategy: probability} of a (possibly mixed) profile at one point."""
    return {
        player: {s: json_number(p) for s, p in zip(names, np.asarray(x, dtype=float).ravel())}
        for player, names, x in zip(game.players, game.strategies, profile)
    }


def pure_strategies(game: Game, profile: Sequence[int]) -> dict[str, dict[str, float]]:
    """Player -> {strategy: probability} of a pure profile given by indices."""
    return {
        player: {s: (1 if k == idx else 0) for k, s in enumerate(names)}
        for player, names, idx in zip(game.players, game.strategies, profile)
    }


def player_values(game: Game, values: Sequence[float]) -> dict[str, float]:
    """Player -> number."""
    return {p: json_number(v) for p, v in zip(game.players, values)}


def to_json(record: Mapping[str, Any]) -> str:
    """JSON text of a record: Unicode kept, floats as numbers, NaN refused."""
    return json.dumps(record, ensure_ascii=False, indent=2, allow_nan=False)


def __getattr__(name: str) -> Any:
    # ``provenance`` lives in :mod:`tripartite.io.provenance`, which imports this module;
    # it is re-exported lazily so that neither import depends on the other's line order
    if name == "provenance":
        from .provenance import provenance

        return provenance
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
