"""Finished chunks kept on disk, so that an interrupted sweep can be resumed.

A sweep writing ``table.csv`` keeps each finished chunk in the folder
``table.csv.parts`` (:func:`parts_path`): ``chunk-000123.csv`` (the rows)
and ``chunk-000123.json`` (its regime counts), each written atomically, and
``manifest.json``, which identifies the sweep by a fingerprint of everything
that determines its rows (model, design, fixed values, tolerance, chunk
size, format).  Resuming checks the fingerprint and computes only the
chunks that are missing.

Starting or resuming a sweep also removes the hidden temporary files
(``.table.csv.XXXXXXXX.part``, see :mod:`tripartite.io.atomic`) that a run
killed outright (``SIGKILL``) left beside the table, its sidecar and inside
the folder of chunks.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ..errors import TripartiteError
from .chunks import ChunkOutput

__all__ = ["Parts", "parts_path"]


def parts_path(out: str | Path) -> Path:
    """The folder of finished chunks of an unfinished sweep: ``table.csv.parts``."""
    return Path(str(out) + ".parts")


class Parts:
    """The folder of finished chunks of the sweep writing ``out``, in format ``fmt``."""

    def __init__(self, out: str | Path, fmt: str):
        self.folder = parts_path(out)
        self.fmt = fmt

    def exists(self) -> bool:
        return self.folder.exists()

    def chunk(self, index: int) -> Path:
        """The data file of chunk ``index``."""
        return self.folder / f"chunk-{index:06d}.{self.fmt}"

    def _counts_file(self, index: int) -> Path:
        return self.folder / f"chunk-{index:06d}.json"

    def out(self) -> Path:
        """The table this folder's sweep writes."""
        return self.folder.with_name(self.folder.name[: -len(".parts")])

    def remove_stale_temporaries(self) -> None:
        """Remove what a killed run left half-written: beside the table and its sidecar, and in the folder."""
        from ..io.atomic import PART_SUFFIX, remove_stale_temporaries

        out = self.out()
        remove_stale_temporaries(out)
        remove_stale_temporaries(out.with_name(out.name + ".json"))
        if self.folder.is_dir():
            for stale in self.folder.glob(f".*{PART_SUFFIX}"):
                stale.unlink(missing_ok=True)

    def start(self, fingerprint: str, identity: Mapping[str, Any]) -> None:
        """Create the folder with its manifest (after removing what a killed earlier run left)."""
        from ..io.atomic import write_text_atomic
        from ..io.results import to_json

        self.remove_stale_temporaries()
        self.folder.mkdir()
        write_text_atomic(
            self.folder / "manifest.json", to_json({"fingerprint": fingerprint, **identity}) + "\n"
        )

    def check_resumable(self, fingerprint: str) -> None:
        """Check that the folder holds chunks of this very sweep; remove stale temporary files."""
        try:
            manifest = json.loads((self.folder / "manifest.json").read_text(encoding="utf-8"))
        except (OSError, ValueError, RecursionError):
            manifest = None
        if not isinstance(manifest, dict):
            raise TripartiteError(
                f"cannot resume: {self.folder} has no readable manifest.json; delete that folder to start again"
            )
        if manifest.get("fingerprint") != fingerprint:
            raise TripartiteError(
                f"cannot resume: {self.folder} was written by a different sweep (model, ranges, fixed values, "
                "tolerance, chunk size or format differ); delete that folder to start again"
            )
        self.remove_stale_temporaries()

    def finished(self, n_chunks: int) -> list[int]:
        """Indices of the chunks already written."""
        return [i for i in range(n_chunks) if self.chunk(i).exists()]

    def counts(self, index: int) -> dict[str, int]:
        """The regime counts of a finished chunk."""
        try:
            counts = json.loads(self._counts_file(index).read_text(encoding="utf-8"))
        except (OSError, ValueError, RecursionError):
            counts = None
        if not (
            isinstance(counts, dict)
            and all(isinstance(v, int) and not isinstance(v, bool) and v >= 0 for v in counts.values())
        ):
            raise TripartiteError(
                f"cannot resume: the counts of chunk {index} in {self.folder} are missing or damaged; "
                "delete that folder"
            )
        return counts

    def write(self, res: ChunkOutput) -> None:
        """Keep a finished chunk: its counts, then its rows (whose presence marks it finished)."""
        from ..io.atomic import write_bytes_atomic, write_text_atomic

        write_text_atomic(self._counts_file(res.index), json.dumps(res.counts, ensure_ascii=False))
        write_bytes_atomic(self.chunk(res.index), res.data)
