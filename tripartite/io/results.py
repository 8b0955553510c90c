"""Result records: JSON-ready dictionaries with provenance.

Every output the tool writes carries its provenance: the package version,
the model (name, source and content hash), the parameter values, the method
and its tolerance.  Names of players and strategies are kept as the user
wrote them (any Unicode); JSON is written with ``ensure_ascii=False``.
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
    "provenance",
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


def provenance(
    game: Game,
    *,
    method: str,
    tolerance: float | None,
    model=None,
    model_hash: str | None = None,
    source: str | None = None,
    point: int = 0,
    extra: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """The provenance block every output carries.

    ``model`` (the :class:`~tripartite.model.Model` the game came from, if
    any) supplies ``model_hash`` and ``source`` unless they are given.

    Examples
    --------
    >>> from tripartite import load_model
    >>> p = provenance(load_model("baseline").game(), method="test", tolerance=1e-9)
    >>> p["method"], p["tolerance"]
    ('test', 1e-09)
    """
    from .._version import __version__

    if model is not None:
        model_hash = model_hash if model_hash is not None else model.hash
        source = source if source is not None else model.source
    record: dict[str, Any] = {
        "version": __version__,
        "model": game.name,
        "model_hash": model_hash,
        "source": source,
        "players": list(game.players),
        "strategies": {p: list(s) for p, s in zip(game.players, game.strategies)},
        "parameters": parameter_values(game, point),
        "method": method,
        "tolerance": tolerance,
    }
    if extra:
        record.update(extra)
    return record


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
