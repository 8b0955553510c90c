"""Result records: JSON-ready dictionaries with provenance.

Every output the tool writes carries its provenance: the package version,
the model (name, source and content hash), the parameter values, the method
and its tolerance.  Names of players and strategies are kept as the user
wrote them (any Unicode); JSON is written with ``ensure_ascii=False``.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from ..game import Game

__all__ = [
    "provenance",
    "mixed_strategies",
    "pure_strategies",
    "player_values",
    "parameter_values",
    "to_json",
    "write_text_atomic",
]


def _number(x: Any) -> float | int:
    x = float(x)
    return int(x) if x.is_integer() and abs(x) < 2**53 else x


def parameter_values(game: Game, b: int = 0) -> dict[str, float]:
    """Parameter name -> value at point ``b`` of a batched game."""
    out = {}
    for name, arr in game.parameters.items():
        arr = np.asarray(arr)
        out[name] = _number(arr if arr.ndim == 0 else arr[b])
    return out


def provenance(
    game: Game,
    *,
    method: str,
    tolerance: float | None,
    model_hash: str | None = None,
    source: str | None = None,
    point: int = 0,
    extra: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """The provenance block every output carries.

    Examples
    --------
    >>> from tripartite import load_model
    >>> p = provenance(load_model("baseline").game(), method="test", tolerance=1e-9)
    >>> p["method"], p["tolerance"]
    ('test', 1e-09)
    """
    from .. import __version__

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
        player: {s: _number(p) for s, p in zip(names, np.asarray(x, dtype=float).ravel())}
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
    return {p: _number(v) for p, v in zip(game.players, values)}


def to_json(record: Mapping[str, Any]) -> str:
    """JSON text of a record: Unicode kept, floats as numbers, NaN refused."""
    return json.dumps(record, ensure_ascii=False, indent=2, allow_nan=False)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_text_atomic(path: str | Path, text: str) -> None:
    """Write ``text`` to ``path`` through a temporary file and a rename.

    A crash mid-write never leaves a partial file under the final name.
    """
    path = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent or ".")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes 0600; give the usual permissions
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
