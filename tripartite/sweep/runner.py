"""Running a sweep: chunks, executors, chunk files, resume, provenance.

A sweep evaluates a :class:`~tripartite.sweep.grid.Design` chunk by chunk.
Each chunk is classified in one vectorised call
(:func:`~tripartite.sweep.regimes.classify_points`; optionally the replicator
dynamics are integrated from a given state with
:func:`tripartite.dynamics.batch.integrate_batch`), giving one row per point:

========================  =====================================================
column                    meaning
========================  =====================================================
*one per varied lever*    the parameter's value at the point
``regime``                the regime label (see :mod:`tripartite.sweep.regimes`)
``stable_vertices``       asymptotically stable vertices (strict equilibria), ``; ``-separated
``pure_equilibria``       pure Nash equilibria, strict or not
``n_stable``, ``n_pure``  how many of each
``outcome``               with trajectories: ``vertex``, ``rest point``, ``cycling``, ``not converged``
``reached``               with trajectories: the vertex reached, or empty
========================  =====================================================

**Executors.**  Chunks run in the calling process (``workers=1``), on a pool
of local processes (``workers > 1``), or on a Dask cluster when a scheduler
address (or a :class:`distributed.Client`) is given.  Workers receive the
model as its scenario text and rebuild it once; they return the finished
chunk (already serialised as CSV or Parquet bytes when writing a file), and
only this process writes files, so a Dask cluster needs no shared disk.

**Files.**  With ``out="table.csv"`` (or ``.parquet``) each finished chunk
is written at once, through a temporary name and a rename, to
``table.csv.parts/chunk-000123.csv``; ``manifest.json`` there identifies the
sweep.  An interrupted sweep keeps its finished chunks, and ``resume=True``
computes only the missing ones (after checking that the manifest describes
the same sweep).  When all chunks exist they are joined into a temporary
file, the provenance sidecar ``table.csv.json`` is written (it records the
table's SHA-256), and the table is renamed into place: a file under the
final name is always complete.

Examples
--------
>>> from tripartite import load_model
>>> from tripartite.sweep import grid
>>> model = load_model("baseline")
>>> result = sweep(model, grid(model, {"nu": "0:1:5"}))
>>> result.table[["nu", "regime"]].to_string(index=False)
'  nu                    regime\\n0.00                  low only\\n0.25                  low only\\n0.50 passive/shirk/enroll only\\n0.75 passive/shirk/enroll only\\n1.00 passive/shirk/enroll only'
"""

from __future__ import annotations

import concurrent.futures as cf
import hashlib
import io
import json
import math
import multiprocessing
import os
import shutil
import sys
import tempfile
import threading
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .. import __version__
from ..errors import TripartiteError
from ..io.results import provenance as provenance_record
from ..io.results import to_json, write_text_atomic
from ..model import Model
from ..scenario import builtin_models, dump_scenario, load_model, read_scenario
from .grid import Design
from .regimes import DEFAULT_TOL, NO_STABLE, Regimes, kernel_for, vertex_names

__all__ = [
    "OUTPUT_COLUMNS",
    "TRAJECTORY_COLUMNS",
    "SweepResult",
    "sweep",
    "read_sweep",
    "sidecar_path",
    "parts_path",
    "default_chunk_size",
    "check_output_path",
]

#: Output columns of every sweep, after the varied parameters.
OUTPUT_COLUMNS = ("regime", "stable_vertices", "pure_equilibria", "n_stable", "n_pure")
#: Extra columns when trajectories are integrated.
TRAJECTORY_COLUMNS = ("outcome", "reached")
_FORMATS = {".csv": "csv", ".parquet": "parquet"}
_STRING_COLUMNS = ("regime", "stable_vertices", "pure_equilibria", "outcome", "reached")
CYCLING_LABEL = "no stable vertex (cycling)"
METHOD = (
    "vertex stability from the vertex eigenvalues (deviation gains u_i(t, s_-i) - u_i(s)), "
    "evaluated from the symbolic expressions; asymptotically stable = every eigenvalue < -tol; "
    "pure Nash equilibrium = every eigenvalue <= tol; boundary = some vertex with largest "
    "eigenvalue in [-tol, tol]"
)


def sidecar_path(out: str | Path) -> Path:
    """The provenance sidecar of a table: ``table.csv`` -> ``table.csv.json``."""
    return Path(str(out) + ".json")


def parts_path(out: str | Path) -> Path:
    """The folder of finished chunks of an unfinished sweep: ``table.csv.parts``."""
    return Path(str(out) + ".parts")


def default_chunk_size(n_points: int) -> int:
    """Points per chunk: about 1/16 of the sweep, between 1,000 and 50,000.

    It depends on the number of points only, so a sweep can be resumed with
    a different number of workers.
    """
    return int(min(50_000, max(1_000, math.ceil(n_points / 16))))


# --- the model, as workers receive it -----------------------------------------------------------


@dataclass(frozen=True)
class _ModelPayload:
    """A picklable reference to a model: a built-in name or scenario text."""

    kind: str  # "builtin" | "text"
    value: str
    filename: str

    @property
    def key(self) -> str:
        return hashlib.sha256(f"{self.kind}\0{self.filename}\0{self.value}".encode()).hexdigest()

    def load(self) -> Model:
        if self.kind == "builtin":
            return load_model(self.value)
        return read_scenario(self.value, self.filename, default_name=self.filename)


_MODELS: dict[str, Model] = {}


def _payload(model: Model) -> _ModelPayload:
    source = model.source or ""
    if source == f"{model.name}.toml" and model.name in builtin_models():
        builtin = resources.files("tripartite") / "models" / source
        if _same_game(read_scenario(builtin.read_text(encoding="utf-8"), source), model):
            payload = _ModelPayload("builtin", model.name, source)
            _MODELS.setdefault(payload.key, model)
            return payload
    path = Path(source)
    text = None
    if source and path.is_file():
        try:
            text = path.read_text(encoding="utf-8")
            if not _same_game(read_scenario(text, source, default_name=model.name), model):
                text = None  # the file changed since the model was read
        except (OSError, UnicodeDecodeError, TripartiteError):
            text = None
    if text is None:
        text = dump_scenario(model)
    payload = _ModelPayload("text", text, source or model.name)
    _MODELS.setdefault(payload.key, model)
    return payload


def _same_game(a: Model, b: Model) -> bool:
    return (
        a.players == b.players
        and a.strategies == b.strategies
        and a.parameters == b.parameters
        and a.payoffs == b.payoffs
    )


def _model_of(payload: _ModelPayload) -> Model:
    model = _MODELS.get(payload.key)
    if model is None:
        model = payload.load()
        _MODELS[payload.key] = model
    return model


# --- one chunk ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Job:
    """Everything a worker needs to compute chunks (picklable)."""

    payload: _ModelPayload
    names: tuple[str, ...]
    fixed: dict[str, float]
    tol: float
    fmt: str | None  # "csv" | "parquet" | None (return a DataFrame)
    vertex_names: dict[tuple[int, ...], str]
    initial: tuple[tuple[float, ...], ...] | None = None
    t_max: float = 200.0

    @property
    def columns(self) -> list[str]:
        cols = [*self.names, *OUTPUT_COLUMNS]
        if self.initial is not None:
            cols += TRAJECTORY_COLUMNS
        return cols


@dataclass
class _ChunkOutput:
    index: int
    n: int
    counts: dict[str, int]
    data: Any  # bytes (fmt given) or DataFrame


def _chunk_frame(job: _Job, points: Mapping[str, np.ndarray]) -> pd.DataFrame:
    model = _model_of(job.payload)
    resolved = model.resolve({**job.fixed, **points})
    kernel = kernel_for(model)
    profiles = kernel.profiles
    regimes = Regimes(profiles, [job.vertex_names[p] for p in profiles], kernel.margins(resolved), job.tol)
    cols = regimes.columns()
    frame = {name: np.asarray(points[name], dtype=float) for name in job.names}
    frame.update(cols)
    if job.initial is not None:
        from ..dynamics.batch import CYCLING, OUTCOMES, VERTEX, integrate_batch

        payoffs = model.evaluate({**job.fixed, **points})
        res = integrate_batch(payoffs, [np.asarray(x) for x in job.initial], t_max=job.t_max)
        frame["outcome"] = pd.Categorical.from_codes(res.outcome.astype(np.int8), list(OUTCOMES))
        names = [""] + [job.vertex_names[p] for p in profiles]
        flat = np.where(
            res.outcome == VERTEX,
            np.ravel_multi_index(tuple(np.maximum(res.vertex, 0).T), model.shape) + 1,
            0,
        )
        frame["reached"] = pd.Categorical.from_codes(flat, names)
        regime = cols["regime"]
        cycling = (np.asarray(regime) == NO_STABLE) & (res.outcome == CYCLING)
        if cycling.any():
            regime = (
                regime.add_categories([CYCLING_LABEL]) if CYCLING_LABEL not in regime.categories else regime
            )
            regime[cycling] = CYCLING_LABEL
            frame["regime"] = regime.remove_unused_categories()
    return pd.DataFrame(frame, columns=job.columns)


def _counts(frame: pd.DataFrame) -> dict[str, int]:
    values = frame["regime"].value_counts(sort=False)
    return {str(k): int(v) for k, v in values.items() if v}


def _to_bytes(frame: pd.DataFrame, fmt: str) -> bytes:
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


def _run_chunk(job: _Job, index: int, points: Mapping[str, np.ndarray]) -> _ChunkOutput:
    frame = _chunk_frame(job, points)
    data = frame if job.fmt is None else _to_bytes(frame, job.fmt)
    return _ChunkOutput(index, len(frame), _counts(frame), data)


# --- executors ---------------------------------------------------------------------------------------------


def _serial(tasks: Iterator[tuple[int, dict]], job: _Job) -> Iterator[_ChunkOutput]:
    for index, points in tasks:
        yield _run_chunk(job, index, points)


def _pool_context():
    methods = multiprocessing.get_all_start_methods()
    # fork shares the already-built model with the workers; elsewhere they rebuild it once
    return multiprocessing.get_context("fork" if "fork" in methods else None)


def _local_pool(tasks: Iterator[tuple[int, dict]], job: _Job, workers: int) -> Iterator[_ChunkOutput]:
    limit = 2 * workers + 1
    with cf.ProcessPoolExecutor(max_workers=workers, mp_context=_pool_context()) as pool:
        running: set[cf.Future] = set()
        try:
            for index, points in tasks:
                running.add(pool.submit(_run_chunk, job, index, points))
                if len(running) >= limit:
                    done, running = cf.wait(running, return_when=cf.FIRST_COMPLETED)
                    for fut in done:
                        yield fut.result()
            for fut in cf.as_completed(running):
                yield fut.result()
        except BaseException:
            for fut in running:
                fut.cancel()
            raise


def _dask(
    tasks: Iterator[tuple[int, dict]], job: _Job, scheduler: Any, workers: int
) -> Iterator[_ChunkOutput]:
    try:
        from distributed import Client, as_completed
    except ImportError:  # checked before any work by check_scheduler
        raise TripartiteError("--scheduler needs dask.distributed: pip install 'tripartite[dask]'") from None
    own = not isinstance(scheduler, Client)
    client = Client(scheduler, set_as_default=False) if own else scheduler
    try:
        n_workers = max(1, len(client.scheduler_info().get("workers", {})) or workers)
        limit = 2 * n_workers + 2
        pending = as_completed(loop=client.loop)
        in_flight = 0
        for index, points in tasks:
            pending.add(client.submit(_run_chunk, job, index, points, pure=False))
            in_flight += 1
            if in_flight >= limit:
                fut = next(pending)
                in_flight -= 1
                yield fut.result()
                fut.release()
        for fut in pending:
            yield fut.result()
            fut.release()
    finally:
        if own:
            client.close()


# --- results -------------------------------------------------------------------------------------------------


@dataclass(eq=False)
class SweepResult:
    """The outcome of a sweep.

    Attributes
    ----------
    provenance : dict
        Version, model and hash, fixed parameter values, the design, method,
        tolerance, columns, regime counts (also the sidecar's content).
    counts : dict
        Regime label -> number of points.
    path : Path or None
        The table file, when one was written.
    """

    provenance: dict[str, Any]
    counts: dict[str, int]
    path: Path | None = None
    _table: pd.DataFrame | None = field(default=None, repr=False)

    @property
    def table(self) -> pd.DataFrame:
        """The table, one row per point (read from :attr:`path` if it was written)."""
        if self._table is None:
            if self.path is None:
                raise TripartiteError("this sweep has no table")
            self._table = read_sweep(self.path)
        return self._table

    @property
    def n_points(self) -> int:
        return int(sum(self.counts.values()))

    def summary(self) -> str:
        """A short text: the regimes found and their shares of the points."""
        n = max(self.n_points, 1)
        rows = sorted(self.counts.items(), key=lambda kv: -kv[1])
        width = max((len(k) for k in self.counts), default=6)
        lines = [f"{'regime'.ljust(width)}  {'points':>10}  share"]
        lines += [f"{k.ljust(width)}  {v:>10}  {100 * v / n:5.1f}%" for k, v in rows]
        return "\n".join(lines)


def read_sweep(path: str | Path) -> pd.DataFrame:
    """Read a sweep table (CSV or Parquet) back, text columns as categoricals.

    Examples
    --------
    >>> import tempfile, os
    >>> from tripartite import load_model
    >>> from tripartite.sweep import grid
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
            path, keep_default_na=False, na_values=[], dtype={c: str for c in _STRING_COLUMNS}
        )
    for col in _STRING_COLUMNS:
        if col in frame.columns:
            frame[col] = frame[col].fillna("").astype("category")
    return frame


def _concat(frames: list[pd.DataFrame]) -> pd.DataFrame:
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


# --- checks made before any work ---------------------------------------------------------------------------------


def check_output_path(out: str | Path, suffixes: Sequence[str] = tuple(_FORMATS)) -> Path:
    """Check that ``out`` has a known suffix and its folder exists and is writable."""
    path = Path(out)
    if path.suffix.lower() not in suffixes:
        raise TripartiteError(f"cannot write {out}: the file name must end in {' or '.join(suffixes)}")
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise TripartiteError(f"cannot write {out}: folder {folder} does not exist")
    if path.is_dir():
        raise TripartiteError(f"cannot write {out}: it is a folder")
    try:
        fd, probe = tempfile.mkstemp(prefix=".tripartite-probe-", dir=folder)
        os.close(fd)
        os.unlink(probe)
    except OSError as exc:
        raise TripartiteError(f"cannot write {out}: {exc.strerror or exc}") from None
    if path.suffix.lower() == ".parquet":
        try:
            import pyarrow  # noqa: F401
        except ImportError:
            raise TripartiteError(
                f"cannot write {out}: Parquet needs pyarrow (pip install 'tripartite[parquet]'), or use .csv"
            ) from None
    return path


def check_scheduler(scheduler: Any) -> None:
    """Check that Dask's distributed scheduler can be used."""
    if scheduler is None:
        return
    try:
        import distributed  # noqa: F401
    except ImportError:
        raise TripartiteError("--scheduler needs dask.distributed: pip install 'tripartite[dask]'") from None


# --- the sweep ------------------------------------------------------------------------------------------------------


def _json_number(x: float) -> float | int:
    x = float(x)
    return int(x) if x.is_integer() and abs(x) < 2**53 else x


def _fingerprint(record: Mapping[str, Any]) -> str:
    return hashlib.sha256(json.dumps(record, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def _write_bytes_atomic(path: Path, data: bytes) -> None:
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def _file_mode() -> int:
    """Permissions of a new file under the current umask (temporary files are private)."""
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


def _chunk_file(parts: Path, index: int, fmt: str) -> Path:
    return parts / f"chunk-{index:06d}.{fmt}"


def _join_parts(parts: Path, n_chunks: int, fmt: str, columns: Sequence[str], tmp: Path) -> str:
    """Join the chunk files into ``tmp``; returns the SHA-256 of the result."""
    if fmt == "parquet":
        import pyarrow.parquet as pq

        writer = None
        try:
            for index in range(n_chunks):
                table = pq.read_table(_chunk_file(parts, index, fmt))
                if writer is None:
                    writer = pq.ParquetWriter(tmp, table.schema)
                writer.write_table(table)
        finally:
            if writer is not None:
                writer.close()
    else:
        digest = hashlib.sha256()
        with open(tmp, "wb") as fh:
            header = (",".join(_csv_field(c) for c in columns) + "\n").encode("utf-8")
            fh.write(header)
            digest.update(header)
            for index in range(n_chunks):
                data = _chunk_file(parts, index, fmt).read_bytes()
                fh.write(data)
                digest.update(data)
        return digest.hexdigest()
    digest = hashlib.sha256()
    with open(tmp, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _csv_field(text: str) -> str:
    return f'"{text}"' if any(c in text for c in ',"\n') else text


def sweep(
    model: Model,
    design: Design,
    *,
    values: Mapping[str, Any] | None = None,
    tol: float = DEFAULT_TOL,
    out: str | Path | None = None,
    resume: bool = False,
    workers: int = 1,
    scheduler: Any = None,
    chunk_size: int | None = None,
    initial: Sequence[Sequence[float]] | str | None = None,
    t_max: float = 200.0,
    names: Mapping[Any, str] | None = None,
    progress: bool = False,
    command: str | None = None,
) -> SweepResult:
    """Classify every point of a design; optionally write a table with provenance.

    Parameters
    ----------
    model : Model
    design : Design
        From :func:`~tripartite.sweep.grid.grid` or :func:`~tripartite.sweep.grid.sample`.
    values : mapping, optional
        Fixed values of parameters that are not varied (others: defaults).
    tol : float
        Tolerance on payoff differences.
    out : path, optional
        ``.csv`` or ``.parquet`` file to write; the sidecar ``out + ".json"``
        holds the provenance.  Without it the table is returned in memory.
    resume : bool
        Complete an interrupted sweep of the same design into ``out``.
    workers : int
        Local worker processes (1: in this process).
    scheduler : str or distributed.Client, optional
        A Dask scheduler address (``tcp://host:8786``) or client; chunks then
        run on that cluster.
    chunk_size : int, optional
        Points per chunk (default :func:`default_chunk_size`).
    initial : state or ``"status quo"``, optional
        Also integrate the replicator dynamics from this state (one
        probability vector per player; ``"status quo"`` is the model's
        documented initial state) and record where they go.
    t_max : float
        Horizon of those trajectories.
    names : mapping, optional
        Extra friendly vertex names.
    progress : bool
        Show a progress bar on standard error.
    command : str, optional
        The command line, recorded in the provenance.

    Returns
    -------
    SweepResult
    """
    # --- every check before any work ---
    if not (tol >= 0 and math.isfinite(tol)):
        raise TripartiteError("tol must be a non-negative number")
    if int(workers) < 1:
        raise TripartiteError("workers must be at least 1")
    fixed_in = dict(values or {})
    for name in design.names:
        if name in fixed_in:
            raise TripartiteError(f"parameter {name!r} is both varied and set to a fixed value")
        if name in OUTPUT_COLUMNS or name in TRAJECTORY_COLUMNS:
            raise TripartiteError(f"parameter {name!r} has the name of an output column; rename it")
    resolved = model.resolve(fixed_in)
    fixed_all = {k: float(v) for k, v in resolved.items() if k not in design.names}
    if any(np.ndim(v) for k, v in resolved.items()):
        raise TripartiteError("fixed values must be single numbers; vary parameters through the design")
    fixed = {k: float(v) for k, v in fixed_in.items()}
    state = _initial_state(model, initial)
    if state is not None and not (t_max > 0 and math.isfinite(t_max)):
        raise TripartiteError("t_max must be a positive number")
    n_points = design.n_points
    chunk = int(chunk_size) if chunk_size is not None else default_chunk_size(n_points)
    if chunk < 1:
        raise TripartiteError("chunk size must be at least 1")
    n_chunks = math.ceil(n_points / chunk)
    fmt = None
    path = None
    if out is not None:
        path = check_output_path(out)
        fmt = _FORMATS[path.suffix.lower()]
    elif resume:
        raise TripartiteError("resume needs an output file")
    check_scheduler(scheduler)

    display = vertex_names(model, names)
    kernel_for(model)  # lambdify once here, so forked workers inherit it
    payload = _payload(model)
    job = _Job(payload, design.names, fixed, float(tol), fmt, display, state, float(t_max))
    # the content hash of the model (sympy simplification, about a second for the
    # baseline) is computed alongside the work; it is only needed for the provenance
    hasher = threading.Thread(target=lambda: model.hash, daemon=True)
    hasher.start()
    identity = {
        "version": __version__,
        "model": payload.key,
        "design": design.spec,
        "fixed": {k: _json_number(v) for k, v in fixed_all.items()},
        "tolerance": float(tol),
        "chunk_size": chunk,
        "columns": job.columns,
        "format": fmt,
        "vertex_names": {"/".join(map(str, k)): v for k, v in display.items()},
        "trajectories": None if state is None else {"initial": [list(x) for x in state], "t_max": t_max},
    }
    fingerprint = _fingerprint(identity)

    def provenance() -> dict[str, Any]:
        hasher.join()
        return _provenance(model, design, fixed_all, identity, fingerprint, n_points, command)

    if path is None:
        outputs = _execute(
            _tasks(design, range(n_chunks), chunk), job, workers, scheduler, n_points, 0, progress
        )
        frames, counts = {}, {}
        for res in outputs:
            frames[res.index] = res.data
            _add(counts, res.counts)
        table = _concat([frames[i] for i in range(n_chunks)])
        record = provenance()
        record["regimes"] = _ordered(counts)
        return SweepResult(record, _ordered(counts), None, table)

    parts = parts_path(path)
    sidecar = sidecar_path(path)
    if parts.exists():
        if not resume:
            raise TripartiteError(
                f"{parts} holds an unfinished sweep; add --resume to complete it, or delete that folder"
            )
        manifest = _read_manifest(parts)
        if manifest.get("fingerprint") != fingerprint:
            raise TripartiteError(
                f"cannot resume: {parts} was written by a different sweep (model, ranges, fixed values, "
                "tolerance, chunk size or format differ); delete that folder to start again"
            )
        for stale in parts.glob(".*.part"):
            stale.unlink()
    else:
        if resume and path.exists() and sidecar.exists():
            done = _complete_result(path, sidecar, fingerprint)
            if done is not None:
                return done
        parts.mkdir()
        write_text_atomic(parts / "manifest.json", to_json({"fingerprint": fingerprint, **identity}) + "\n")

    finished = {i for i in range(n_chunks) if _chunk_file(parts, i, fmt).exists()}
    counts: dict[str, int] = {}
    done_points = 0
    for i in sorted(finished):
        _add(counts, _read_counts(parts, i))
        done_points += min(chunk, n_points - i * chunk)
    todo = [i for i in range(n_chunks) if i not in finished]
    outputs = _execute(_tasks(design, todo, chunk), job, workers, scheduler, n_points, done_points, progress)
    for res in outputs:
        write_text_atomic(parts / f"chunk-{res.index:06d}.json", json.dumps(res.counts, ensure_ascii=False))
        _write_bytes_atomic(_chunk_file(parts, res.index, fmt), res.data)
        _add(counts, res.counts)

    # --- join, provenance, then the table under its final name ---
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        digest = _join_parts(parts, n_chunks, fmt, job.columns, tmp)
        record = provenance()
        record["regimes"] = _ordered(counts)
        record["table"] = {"file": path.name, "format": fmt, "rows": n_points, "sha256": digest}
        write_text_atomic(sidecar, to_json(record) + "\n")
        os.chmod(sidecar, _file_mode())
        os.chmod(tmp, _file_mode())
        os.replace(tmp, path)
    except BaseException:
        if tmp.exists():
            tmp.unlink()
        raise
    shutil.rmtree(parts, ignore_errors=True)
    return SweepResult(record, _ordered(counts), path)


def _initial_state(model: Model, initial: Any) -> tuple[tuple[float, ...], ...] | None:
    if initial is None:
        return None
    if isinstance(initial, str):
        if initial.strip().replace("_", " ").replace("-", " ") not in ("status quo", "statusquo"):
            raise TripartiteError(
                f"unknown initial state {initial!r}; give 'status quo' or shares per player"
            )
        if model.initial_state is None:
            raise TripartiteError(f"model {model.name!r} documents no initial state; give one")
        return tuple(tuple(float(v) for v in x) for x in model.initial_state)
    from ..dynamics.trajectory import check_state

    game = model.game()
    return tuple(tuple(float(v) for v in x) for x in check_state(game, initial))


def _tasks(design: Design, indices: Sequence[int], chunk: int) -> Iterator[tuple[int, dict]]:
    for i in indices:
        yield i, design.chunk(i * chunk, (i + 1) * chunk)


def _execute(
    tasks: Iterator[tuple[int, dict]],
    job: _Job,
    workers: int,
    scheduler: Any,
    total: int,
    initial: int,
    progress: bool,
) -> Iterator[_ChunkOutput]:
    from tqdm import tqdm

    if scheduler is not None:
        outputs = _dask(tasks, job, scheduler, workers)
    elif workers > 1:
        outputs = _local_pool(tasks, job, workers)
    else:
        outputs = _serial(tasks, job)
    bar = tqdm(
        total=total,
        initial=initial,
        unit="pt",
        unit_scale=True,
        disable=not progress,
        file=sys.stderr,
        desc="sweep",
        dynamic_ncols=True,
    )
    try:
        for res in outputs:
            bar.update(res.n)
            yield res
    finally:
        bar.close()


def _add(total: dict[str, int], counts: Mapping[str, int]) -> None:
    for k, v in counts.items():
        total[k] = total.get(k, 0) + int(v)


def _ordered(counts: Mapping[str, int]) -> dict[str, int]:
    return dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))


def _read_manifest(parts: Path) -> dict[str, Any]:
    try:
        return json.loads((parts / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        raise TripartiteError(
            f"cannot resume: {parts} has no readable manifest.json; delete that folder to start again"
        ) from None


def _read_counts(parts: Path, index: int) -> dict[str, int]:
    try:
        return json.loads((parts / f"chunk-{index:06d}.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        raise TripartiteError(
            f"cannot resume: the counts of chunk {index} in {parts} are missing; delete that folder"
        ) from None


def _complete_result(path: Path, sidecar: Path, fingerprint: str) -> SweepResult | None:
    try:
        record = json.loads(sidecar.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if record.get("fingerprint") != fingerprint:
        return None
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    if record.get("table", {}).get("sha256") != digest.hexdigest():
        return None
    return SweepResult(record, dict(record.get("regimes", {})), path)


def _provenance(
    model: Model,
    design: Design,
    fixed_all: Mapping[str, float],
    identity: Mapping[str, Any],
    fingerprint: str,
    n_points: int,
    command: str | None,
) -> dict[str, Any]:
    game = model.game(fixed_all) if fixed_all else model.game()
    record = provenance_record(
        game,
        method=METHOD,
        tolerance=identity["tolerance"],
        model_hash=model.hash,
        source=model.source,
    )
    record["parameters"] = dict(identity["fixed"])
    varied = []
    for name in design.names:
        p = model.parameter(name)
        varied.append(
            {
                "name": name,
                "unit": p.unit,
                "default": _json_number(p.default),
                "admissible": [None if math.isinf(p.min) else p.min, None if math.isinf(p.max) else p.max],
            }
        )
    record["varied"] = varied
    record["design"] = design.spec
    record["points"] = n_points
    record["chunk_size"] = identity["chunk_size"]
    record["columns"] = _column_docs(identity["columns"], design.names)
    record["vertex_names"] = identity["vertex_names"]
    record["trajectories"] = identity["trajectories"]
    if identity["trajectories"] is not None:
        from ..dynamics.batch import METHOD as TRAJ_METHOD

        record["trajectories"] = {**identity["trajectories"], "method": TRAJ_METHOD}
    record["fingerprint"] = fingerprint
    if command:
        record["command"] = command
    return record


def _column_docs(columns: Sequence[str], varied: Sequence[str]) -> dict[str, str]:
    docs = {
        "regime": "which vertices are asymptotically stable ('boundary': some vertex's stability is "
        "undecided within the tolerance)",
        "stable_vertices": "asymptotically stable vertices (strict Nash equilibria), '; '-separated",
        "pure_equilibria": "pure Nash equilibria, strict or not, '; '-separated",
        "n_stable": "number of asymptotically stable vertices",
        "n_pure": "number of pure Nash equilibria",
        "outcome": "where the replicator dynamics from the initial state end: vertex, rest point, "
        "cycling or not converged",
        "reached": "the vertex reached (empty unless outcome is vertex)",
    }
    return {c: ("varied parameter" if c in varied else docs[c]) for c in columns}
