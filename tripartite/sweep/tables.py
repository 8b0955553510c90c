"""The sweep table as a file: CSV or Parquet, written chunk by chunk, read back with categories.

A chunk is serialised on its own (:func:`to_bytes`: CSV rows without a
header, or a Parquet file); :func:`join_chunks` writes the header once and
appends the chunks in order (CSV), or streams the chunks' row groups into one
Parquet file, and returns the SHA-256 of the result, which the provenance
sidecar ``table.csv.json`` (:func:`sidecar_path`) records.  Text columns are
read back as categoricals (:func:`read_sweep`).
"""

from __future__ import annotations

import hashlib
import io
import itertools
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import TripartiteError

__all__ = [
    "FORMATS",
    "check_output_path",
    "concat",
    "file_digest",
    "join_chunks",
    "read_sweep",
    "sidecar_path",
    "to_bytes",
]

#: Table formats, by file suffix.
FORMATS = {".csv": "csv", ".parquet": "parquet"}
_STRING_COLUMNS = ("regime", "stable_vertices", "pure_equilibria", "outcome", "reached")


def sidecar_path(out: str | Path) -> Path:
    """The provenance sidecar of a table: ``table.csv`` -> ``table.csv.json``.

    The one rule of :func:`tripartite.io.provenance.sidecar_path`.
    """
    from ..io.provenance import sidecar_path as provenance_sidecar

    return provenance_sidecar(out)


def check_output_path(out: str | Path) -> Path:
    """Check that ``out`` has a table suffix and can be written (and that Parquet can be written)."""
    from ..io.atomic import check_writable

    path = check_writable(out, tuple(FORMATS), f"the file name must end in {' or '.join(FORMATS)}")
    if path.suffix.lower() == ".parquet":
        try:
            import pyarrow  # noqa: F401
        except ImportError:
            raise TripartiteError(
                f"cannot write {out}: Parquet needs pyarrow (pip install 'tripartite[parquet]'), or use .csv"
            ) from None
    return path


def to_bytes(frame: pd.DataFrame, fmt: str) -> bytes:
    """A chunk as CSV rows without a header (pyarrow's writer when installed), or as Parquet."""
    if fmt == "parquet":
        import pyarrow as pa
        import pyarrow.parquet as pq

        buf = io.BytesIO()
        pq.write_table(_arrow_table(frame, pa), buf)
        return buf.getvalue()
    try:
        import pyarrow as pa
        import pyarrow.csv as pacsv
    except ImportError:  # pandas writer: slower, same values
        return frame.to_csv(index=False, header=False, lineterminator="\n").encode("utf-8")
    buf = io.BytesIO()
    pacsv.write_csv(_arrow_table(frame, pa), buf, pacsv.WriteOptions(include_header=False))
    return buf.getvalue()


def _arrow_table(frame: pd.DataFrame, pa):
    arrays = []
    for name in frame.columns:
        col = frame[name]
        if isinstance(col.dtype, pd.CategoricalDtype):
            cats = pa.array(np.asarray(col.cat.categories, dtype=object), type=pa.string())
            codes = pa.array(col.cat.codes.to_numpy(dtype=np.int32))
            arrays.append(pa.DictionaryArray.from_arrays(codes, cats).cast(pa.string()))
        else:
            arrays.append(pa.array(col.to_numpy()))
    return pa.Table.from_arrays(arrays, names=list(frame.columns))


def join_chunks(
    chunk: Callable[[int], Path],
    n_chunks: int,
    fmt: str,
    columns: Sequence[str],
    out: Path,
    bom: bool = False,
) -> str:
    """Join the files ``chunk(0), ..., chunk(n_chunks - 1)`` into ``out``; the SHA-256 of ``out``.

    ``bom`` starts a CSV file with the UTF-8 byte-order mark (for Excel).
    """
    if fmt == "parquet":
        import pyarrow.parquet as pq

        writer = None
        try:
            for index in range(n_chunks):
                table = pq.read_table(chunk(index))
                if writer is None:
                    writer = pq.ParquetWriter(out, table.schema)
                writer.write_table(table)
        finally:
            if writer is not None:
                writer.close()
        return file_digest(out)
    digest = hashlib.sha256()
    with open(out, "wb") as fh:
        header = (",".join(_csv_field(c) for c in columns) + "\n").encode("utf-8-sig" if bom else "utf-8")
        for data in itertools.chain([header], (chunk(index).read_bytes() for index in range(n_chunks))):
            fh.write(data)
            digest.update(data)
    return digest.hexdigest()


def _csv_field(text: str) -> str:
    return f'"{text}"' if any(c in text for c in ',"\n') else text


def file_digest(path: Path) -> str:
    """The SHA-256 of a file, read in blocks."""
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def read_sweep(path: str | Path) -> pd.DataFrame:
    """Read a sweep table (CSV or Parquet) back, text columns as categoricals.

    Examples
    --------
    >>> import tempfile, os
    >>> from tripartite import load_model
    >>> from tripartite.sweep import grid, sweep
    >>> model = load_model("baseline")
    >>> out = os.path.join(tempfile.mkdtemp(), "nu.csv")
    >>> _ = sweep(model, grid(model, {"nu": "0:1:3"}), out=out)
    >>> read_sweep(out)["regime"].tolist()
    ['low only', 'passive/shirk/enroll only', 'passive/shirk/enroll only']
    """
    path = Path(path)
    if path.suffix.lower() == ".parquet":
        frame = pd.read_parquet(path)
    else:
        frame = pd.read_csv(
            path,
            keep_default_na=False,
            na_values=[],
            dtype={c: str for c in _STRING_COLUMNS},
            encoding="utf-8-sig",  # the byte-order mark of an --excel table, if any
        )
    for col in _STRING_COLUMNS:
        if col in frame.columns:
            frame[col] = frame[col].fillna("").astype("category")
    return frame


def concat(frames: list[pd.DataFrame]) -> pd.DataFrame:
    """Chunks held in memory, joined in order (categories united)."""
    if not frames:
        raise TripartiteError("the sweep has no points")
    if len(frames) == 1:
        return frames[0].reset_index(drop=True)
    data = {}
    for col in frames[0].columns:
        parts = [f[col] for f in frames]
        if isinstance(parts[0].dtype, pd.CategoricalDtype):
            data[col] = pd.api.types.union_categoricals([p.array for p in parts])
        else:
            data[col] = np.concatenate([p.to_numpy() for p in parts])
    return pd.DataFrame(data, columns=list(frames[0].columns))
