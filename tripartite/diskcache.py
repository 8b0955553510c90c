"""The user's cache folder, and JSON documents in it that a stale or corrupted file cannot poison.

Light on purpose (no numpy, no sympy; a kernel-layer module that every layer
may import): the command line reads it before deciding whether it needs the
heavy libraries at all.

A cached *document* is a JSON object ``{"format", "key", "checksum",
"payload"}``:

- ``key`` names everything the payload was computed from (the caller hashes
  its inputs, the source files of the code that computed it, and the library
  versions): a document whose key differs from the one asked for is ignored;
- ``checksum`` is the SHA-256 of the payload: a truncated, edited or
  otherwise damaged document is ignored;
- documents are written under a temporary name and renamed, so a concurrent
  reader sees the old document or the new one, never half of one.

Nothing read from a document is ever executed; callers decode payloads with
their own validating readers.

Settings: ``TRIPARTITE_CACHE=off`` turns every cache off;
``TRIPARTITE_CACHE_DIR`` names the folder (default:
``$XDG_CACHE_HOME/tripartite``, else ``~/.cache/tripartite``;
``~/Library/Caches/tripartite`` on macOS; ``%LOCALAPPDATA%\\tripartite\\Cache``
on Windows).  Deleting the folder is always safe.

Examples
--------
>>> import os, tempfile
>>> before = os.environ.get("TRIPARTITE_CACHE_DIR")
>>> os.environ["TRIPARTITE_CACHE_DIR"] = tempfile.mkdtemp()
>>> write_document("demo", "k1", {"answer": 42})
>>> read_document("demo", "k1"), read_document("demo", "k2")
({'answer': 42}, None)
>>> if before is None:
...     del os.environ["TRIPARTITE_CACHE_DIR"]
... else:
...     os.environ["TRIPARTITE_CACHE_DIR"] = before
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

__all__ = ["FORMAT", "cache_dir", "checksum", "code_fingerprint", "read_document", "write_document"]

#: Version of the document layout.
FORMAT = 1

_FINGERPRINTS: dict[tuple[str, ...], str] = {}


def cache_dir() -> Path | None:
    """The cache folder, or ``None`` when ``TRIPARTITE_CACHE=off``."""
    if os.environ.get("TRIPARTITE_CACHE", "").strip().lower() in ("off", "0", "no", "false"):
        return None
    if os.environ.get("TRIPARTITE_CACHE_DIR"):
        return Path(os.environ["TRIPARTITE_CACHE_DIR"])
    if sys.platform == "win32":  # pragma: no cover - platform specific
        base = os.environ.get("LOCALAPPDATA") or str(Path.home() / "AppData" / "Local")
        return Path(base) / "tripartite" / "Cache"
    if sys.platform == "darwin":  # pragma: no cover - platform specific
        return Path.home() / "Library" / "Caches" / "tripartite"
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "tripartite"


def code_fingerprint(patterns: Iterable[str]) -> str:
    """SHA-256 of the package's source files matching ``patterns`` (relative glob patterns), names included."""
    patterns = tuple(patterns)
    if patterns not in _FINGERPRINTS:
        root = Path(__file__).resolve().parent.parent
        digest = hashlib.sha256()
        for path in sorted({p for pattern in patterns for p in root.glob(pattern)}):
            digest.update(str(path.relative_to(root)).encode("utf-8"))
            digest.update(path.read_bytes())
        _FINGERPRINTS[patterns] = digest.hexdigest()
    return _FINGERPRINTS[patterns]


def checksum(payload: Any) -> str:
    """SHA-256 of a JSON-ready payload (keys sorted)."""
    text = json.dumps(payload, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _path(kind: str, key: str) -> Path | None:
    folder = cache_dir()
    if folder is None:
        return None
    name = hashlib.sha256(f"{kind}\n{key}".encode()).hexdigest()[:32]
    return folder / f"{kind}-{name}.json"


def read_document(kind: str, key: str) -> Any:
    """The payload cached under ``(kind, key)``, or ``None`` (absent, off, stale or damaged)."""
    path = _path(kind, key)
    if path is None or not path.is_file():
        return None
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(document, dict) or document.get("format") != FORMAT or document.get("key") != key:
            return None
        payload = document["payload"]
        return payload if document.get("checksum") == checksum(payload) else None
    except (OSError, ValueError, KeyError, TypeError):
        return None


def write_document(kind: str, key: str, payload: Any) -> None:
    """Cache ``payload`` under ``(kind, key)``, atomically; a folder that cannot be written is skipped."""
    path = _path(kind, key)
    if path is None:
        return
    document = {"format": FORMAT, "key": key, "checksum": checksum(payload), "payload": payload}
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                json.dump(document, handle, ensure_ascii=False)
            os.replace(tmp, path)
        except BaseException:
            if os.path.exists(tmp):
                os.unlink(tmp)
            raise
    except OSError:  # pragma: no cover - a read-only or full disk: no cache, same answers
        return
