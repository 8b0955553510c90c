"""Running a sweep: every point of a design classified, in chunks, with provenance.

A sweep evaluates a :class:`~tripartite.sweep.designs.Design` chunk by chunk
(:mod:`~tripartite.sweep.chunks` says what a chunk's rows hold).  Chunks run
in the calling process (``workers=1``), on a pool of local processes
(``workers > 1``), or on a Dask cluster when a scheduler address (or a
:class:`distributed.Client`) is given (:mod:`~tripartite.sweep.executors`);
only this process writes files, so a Dask cluster needs no shared disk.

**Files.**  With ``out="table.csv"`` (or ``.parquet``) each finished chunk
is kept at once in ``table.csv.parts/`` (:mod:`~tripartite.sweep.parts`).
An interrupted sweep keeps its finished chunks, and ``resume=True`` computes
only the missing ones (after checking that they belong to the same sweep).
When all chunks exist they are joined into a temporary file, the provenance
sidecar ``table.csv.json`` is written (it records the table's SHA-256), and
the table is renamed into place: a file under the final name is always
complete (:mod:`~tripartite.sweep.tables`, :mod:`tripartite.io.atomic`).

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

import hashlib
import json
import math
import shutil
import threading
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .._version import __version__
from ..dynamics import DEFAULT_T_MAX
from ..dynamics.batch import METHOD as TRAJECTORY_METHOD
from ..errors import TripartiteError
from ..game import check_state
from ..model import Model
from .chunks import OUTPUT_COLUMNS, TRAJECTORY_COLUMNS, Job, model_payload
from .designs import Design
from .executors import check_scheduler, execute
from .parts import Parts
from .regimes import DEFAULT_TOL, kernel_for, vertex_names
from .tables import FORMATS, check_output_path, concat, file_digest, join_chunks, read_sweep, sidecar_path

__all__ = ["METHOD", "SweepResult", "default_chunk_size", "sweep"]

METHOD = (
    "vertex stability from the vertex eigenvalues (deviation gains u_i(t, s_-i) - u_i(s)), "
    "evaluated from the symbolic expressions; each vertex's largest eigenvalue classified by "
    "tripartite.dynamics.stability.classify with the tolerance tau = tol * payoff scale at each point "
    "(the largest range of one player's payoffs there): asymptotically stable = every eigenvalue < -tau; "
    "pure Nash equilibrium = every eigenvalue <= tau; boundary = some vertex's largest eigenvalue "
    "within tau of zero (a non-hyperbolic vertex decides the regime)"
)


def default_chunk_size(n_points: int) -> int:
    """Points per chunk: about 1/16 of the sweep, between 1,000 and 50,000.

    It depends on the number of points only, so a sweep can be resumed with
    a different number of workers.
    """
    return int(min(50_000, max(1_000, math.ceil(n_points / 16))))


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

    def to_record(self) -> dict[str, Any]:
        """The JSON-ready answer, without provenance (that is :attr:`provenance`).

        ``points``: how many; ``regimes``: regime label -> number of points;
        ``path``: the table file (``None`` when the table is in memory only).

        Examples
        --------
        >>> from tripartite import load_model
        >>> from tripartite.sweep import grid
        >>> model = load_model("baseline")
        >>> sweep(model, grid(model, {"nu": "0:1:3"})).to_record()
        {'points': 3, 'regimes': {'passive/shirk/enroll only': 2, 'low only': 1}, 'path': None}
        """
        return {
            "points": self.n_points,
            "regimes": {str(k): int(v) for k, v in self.counts.items()},
            "path": None if self.path is None else str(self.path),
        }

    def summary(self) -> str:
        """A short text: the regimes found and their shares of the points."""
        n = max(self.n_points, 1)
        rows = sorted(self.counts.items(), key=lambda kv: -kv[1])
        width = max((len(k) for k in self.counts), default=6)
        lines = [f"{'regime'.ljust(width)}  {'points':>10}  share"]
        lines += [f"{k.ljust(width)}  {v:>10}  {100 * v / n:5.1f}%" for k, v in rows]
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        from ..display import html_fields, html_table

        n = max(self.n_points, 1)
        rows = [[k, v, f"{100 * v / n:.1f}%"] for k, v in sorted(self.counts.items(), key=lambda kv: -kv[1])]
        name = self.provenance.get("model", "sweep")
        caption = f"{name}: {self.n_points} points, {len(self.counts)} regimes"
        return html_table(["regime", "points", "share"], rows, caption) + html_fields(
            _provenance_rows(self.provenance, self.path), "how it was computed"
        )

    def __repr__(self) -> str:
        name = self.provenance.get("model", "?")
        varied = ", ".join(v["name"] for v in self.provenance.get("varied", [])) or "nothing"
        ranked = sorted(self.counts.items(), key=lambda kv: -kv[1])
        found = ", ".join(f"{k} {v}" for k, v in ranked[:3]) + (", ..." if len(ranked) > 3 else "")
        where = f", table {self.path.name}" if self.path is not None else ""
        return f"<SweepResult of {name!r}: {self.n_points} points over {varied}; {found}{where}>"


def _provenance_rows(record: Mapping[str, Any], path: Path | None) -> list[list[str]]:
    """The provenance of a sweep in a few lines: model, version, design, tolerance, file."""
    rows = [
        ["model", f"{record.get('model')} (hash {record.get('model_hash')})"],
        ["tripartite", str(record.get("version"))],
        ["design", _design_text(record.get("design") or {})],
    ]
    fixed = record.get("parameters") or {}
    rows.append(["other parameters", f"{len(fixed)} held fixed (listed in .provenance['parameters'])"])
    tol = record.get("tolerance")
    rows.append(["tolerance", "" if tol is None else f"{tol:g} relative to the payoff scale at each point"])
    trajectories = record.get("trajectories")
    if trajectories:
        start = "; ".join(", ".join(f"{v:g}" for v in x) for x in trajectories["initial"])
        rows.append(["trajectories", f"from ({start}) to t = {trajectories['t_max']:g}"])
    if path is not None:
        rows.append(["table", str(path)])
    if record.get("command"):
        rows.append(["command", record["command"]])
    rows.append(["method", str(record.get("method", ""))])
    return rows


def _design_text(spec: Mapping[str, Any]) -> str:
    if spec.get("kind") == "grid":
        return "grid: " + " x ".join(
            f"{a['name']} {a['spec']} ({a['n']} values)" for a in spec.get("axes", [])
        )
    if spec.get("kind") == "sample":
        bounds = ", ".join(
            f"{b['name']} in [{b['bounds'][0]:g}, {b['bounds'][1]:g}]" for b in spec.get("bounds", [])
        )
        return f"{spec.get('method')} sample of {spec.get('n')} points (seed {spec.get('seed')}): {bounds}"
    return str(spec)


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
    t_max: float = DEFAULT_T_MAX,
    names: Mapping[Any, str] | None = None,
    progress: bool = False,
    command: str | None = None,
    schedule=None,
    excel: bool = False,
) -> SweepResult:
    """Classify every point of a design; optionally write a table with provenance.

    Parameters
    ----------
    model : Model
    design : Design
        From :func:`~tripartite.sweep.designs.grid` or :func:`~tripartite.sweep.designs.sample`.
    values : mapping, optional
        Fixed values of parameters that are not varied (others: defaults).
    tol : float
        Tolerance on payoff differences, relative to the payoff scale at each point
        (:func:`~tripartite.sweep.regimes.payoff_scales`).
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
        Horizon of those trajectories (default
        :data:`tripartite.dynamics.DEFAULT_T_MAX`, the one default horizon);
        they are integrated by :func:`tripartite.dynamics.batch.integrate_batch`.
    names : mapping, optional
        Extra friendly vertex names.
    schedule : Schedule, optional
        Parameters piecewise constant in time along those trajectories
        (:mod:`tripartite.dynamics.schedules`); needs ``initial``, and may not
        schedule a varied parameter.  The regime columns stay those of the point.
    excel : bool
        Write the CSV table as UTF-8 with a byte-order mark, which Excel
        needs to open Chinese (or any non-ASCII) names intact; the digest in
        the sidecar covers the mark.  CSV only.
    progress : bool
        Show a progress bar on standard error.
    command : str, optional
        The command line, recorded in the provenance.

    Returns
    -------
    SweepResult

    Examples
    --------
    >>> from tripartite import load_model
    >>> from tripartite.sweep import grid
    >>> model = load_model("baseline")
    >>> sweep(model, grid(model, {"nu": "0:1:5"})).counts
    {'passive/shirk/enroll only': 3, 'low only': 2}
    """
    plan = _plan(
        model,
        design,
        values=values,
        tol=tol,
        out=out,
        resume=resume,
        workers=workers,
        scheduler=scheduler,
        chunk_size=chunk_size,
        initial=initial,
        t_max=t_max,
        names=names,
        schedule=schedule,
        excel=excel,
    )
    # the content hash of the model (sympy simplification, about a second for the
    # baseline) is computed alongside the work; it is only needed for the provenance
    hasher = threading.Thread(target=lambda: model.hash, daemon=True)
    hasher.start()

    def provenance(counts: Mapping[str, int]) -> dict[str, Any]:
        hasher.join()
        record = _provenance(model, design, plan, command)
        record["regimes"] = _ordered(counts)
        return record

    def run(indices: Sequence[int], done_points: int = 0):
        tasks = _tasks(design, indices, plan.chunk)
        return execute(tasks, plan.job, workers, scheduler, design.n_points, done_points, progress)

    if plan.path is None:
        return _in_memory(plan, run, provenance)
    return _to_file(plan, resume, run, provenance)


@dataclass
class _Plan:
    """A checked sweep: what every chunk computes, how the points are cut, what identifies it."""

    job: Job
    chunk: int
    n_chunks: int
    n_points: int
    fixed_all: dict[str, float]
    identity: dict[str, Any]
    fingerprint: str
    path: Path | None


def _plan(
    model: Model,
    design: Design,
    *,
    values,
    tol,
    out,
    resume,
    workers,
    scheduler,
    chunk_size,
    initial,
    t_max,
    names,
    schedule=None,
    excel=False,
) -> _Plan:
    """Every check on the inputs, before any work; the job and the sweep's identity."""
    from ..io.results import json_number

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
    if any(np.ndim(v) for k, v in resolved.items()):
        raise TripartiteError("fixed values must be single numbers; vary parameters through the design")
    fixed_all = {k: float(v) for k, v in resolved.items() if k not in design.names}
    state = _initial_state(model, initial)
    if state is not None and not (t_max > 0 and math.isfinite(t_max)):
        raise TripartiteError("t_max must be a positive number")
    if schedule:
        if state is None:
            raise TripartiteError(
                "a schedule applies to the trajectories: give an initial state (--trajectories)"
            )
        schedule.check(model)
        both = [n for n in schedule.names if n in design.names]
        if both:
            raise TripartiteError(f"parameter {both[0]!r} is both varied and scheduled; schedule another one")
    pieces = tuple(schedule.pieces.items()) if schedule else ()
    n_points = design.n_points
    chunk = int(chunk_size) if chunk_size is not None else default_chunk_size(n_points)
    if chunk < 1:
        raise TripartiteError("chunk size must be at least 1")
    path = check_output_path(out) if out is not None else None
    if path is None and resume:
        raise TripartiteError("resume needs an output file")
    check_scheduler(scheduler)
    fmt = FORMATS[path.suffix.lower()] if path is not None else None
    if excel and fmt != "csv":
        raise TripartiteError(
            "a byte-order mark for Excel (--excel) applies to a .csv table (--out FILE.csv)"
        )

    display = vertex_names(model, names)
    kernel_for(model)  # lambdify once here, so forked workers inherit it
    payload = model_payload(model)
    fixed = {k: float(v) for k, v in fixed_in.items()}
    job = Job(payload, design.names, fixed, float(tol), fmt, display, state, float(t_max), pieces)
    trajectories = None if state is None else {"initial": [list(x) for x in state], "t_max": t_max}
    if trajectories is not None and schedule:
        trajectories["schedule"] = schedule.to_record()
    identity = {
        "version": __version__,
        "model": payload.key,
        "design": design.spec,
        "fixed": {k: json_number(v) for k, v in fixed_all.items()},
        "tolerance": float(tol),
        "chunk_size": chunk,
        "columns": job.columns,
        "format": fmt,
        "vertex_names": {"/".join(map(str, k)): v for k, v in display.items()},
        "trajectories": trajectories,
        "encoding": "utf-8-sig" if excel else "utf-8",
    }
    fingerprint = hashlib.sha256(
        json.dumps(identity, sort_keys=True, ensure_ascii=False).encode()
    ).hexdigest()
    return _Plan(job, chunk, math.ceil(n_points / chunk), n_points, fixed_all, identity, fingerprint, path)


def _in_memory(plan: _Plan, run, provenance) -> SweepResult:
    frames, counts = {}, {}
    for res in run(range(plan.n_chunks)):
        frames[res.index] = res.data
        _add(counts, res.counts)
    table = concat([frames[i] for i in range(plan.n_chunks)])
    return SweepResult(provenance(counts), _ordered(counts), None, table)


def _to_file(plan: _Plan, resume: bool, run, provenance) -> SweepResult:
    path, sidecar = plan.path, sidecar_path(plan.path)
    parts = Parts(path, plan.job.fmt)
    if parts.exists():
        if not resume:
            raise TripartiteError(
                f"{parts.folder} holds an unfinished sweep; add --resume to complete it, or delete that folder"
            )
        parts.check_resumable(plan.fingerprint)
    else:
        if resume and path.exists() and sidecar.exists():
            done = _complete_result(path, sidecar, plan.fingerprint)
            if done is not None:
                return done
        parts.start(plan.fingerprint, plan.identity)

    finished = set(parts.finished(plan.n_chunks))
    counts: dict[str, int] = {}
    for i in sorted(finished):
        _add(counts, parts.counts(i))
    done_points = sum(min(plan.chunk, plan.n_points - i * plan.chunk) for i in finished)
    todo = [i for i in range(plan.n_chunks) if i not in finished]
    for res in run(todo, done_points):
        parts.write(res)
        _add(counts, res.counts)

    from ..io.atomic import atomic_path
    from ..io.provenance import write_sidecar

    # join, provenance, then the table under its final name
    with atomic_path(path) as tmp:
        bom = plan.identity["encoding"] == "utf-8-sig"
        digest = join_chunks(parts.chunk, plan.n_chunks, plan.job.fmt, plan.job.columns, tmp, bom=bom)
        record = provenance(counts)
        record["table"] = {"file": path.name, "format": plan.job.fmt, "rows": plan.n_points, "sha256": digest}
        if plan.job.fmt == "csv":
            record["table"]["encoding"] = plan.identity["encoding"]
        write_sidecar(path, record)
    shutil.rmtree(parts.folder, ignore_errors=True)
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
    return tuple(tuple(float(v) for v in x) for x in check_state(initial, model.shape, model.players))


def _tasks(design: Design, indices: Sequence[int], chunk: int) -> Iterator[tuple[int, dict]]:
    for i in indices:
        yield i, design.chunk(i * chunk, (i + 1) * chunk)


def _add(total: dict[str, int], counts: Mapping[str, int]) -> None:
    for k, v in counts.items():
        total[k] = total.get(k, 0) + int(v)


def _ordered(counts: Mapping[str, int]) -> dict[str, int]:
    return dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))


def _complete_result(path: Path, sidecar: Path, fingerprint: str) -> SweepResult | None:
    """The finished sweep already at ``path``, if its sidecar and its digest say it is this one."""
    try:
        record = json.loads(sidecar.read_text(encoding="utf-8"))
    except (OSError, ValueError, RecursionError):
        return None
    if not isinstance(record, dict) or record.get("fingerprint") != fingerprint:
        return None  # a damaged or hostile sidecar: the sweep is computed again
    table = record.get("table")
    if not isinstance(table, dict) or table.get("sha256") != file_digest(path):
        return None
    if not isinstance(record.get("regimes", {}), dict):
        return None
    return SweepResult(record, dict(record.get("regimes", {})), path)


def _provenance(model: Model, design: Design, plan: _Plan, command: str | None) -> dict[str, Any]:
    """The sidecar's record: the one provenance block, with what identifies this sweep."""
    from ..io.results import provenance

    identity = plan.identity
    game = model.game(plan.fixed_all) if plan.fixed_all else model.game()
    trajectories = identity["trajectories"]
    extra = {
        "parameters": dict(identity["fixed"]),  # the fixed values; the varied ones are in the design
        "varied": [_varied(model.parameter(name)) for name in design.names],
        "design": design.spec,
        "points": plan.n_points,
        "chunk_size": identity["chunk_size"],
        "columns": _column_docs(identity["columns"], design.names),
        "vertex_names": identity["vertex_names"],
        "trajectories": None if trajectories is None else {**trajectories, "method": TRAJECTORY_METHOD},
        "fingerprint": plan.fingerprint,
    }
    if command:
        extra["command"] = command
    return provenance(
        game, values=plan.job.fixed, method=METHOD, tolerance=identity["tolerance"], model=model, extra=extra
    )


def _varied(p) -> dict[str, Any]:
    from ..io.results import json_number, parameter_range

    return {
        "name": p.name,
        "unit": p.unit,
        "default": json_number(p.default),
        "admissible": parameter_range(p),
    }


def _column_docs(columns: Sequence[str], varied: Sequence[str]) -> dict[str, str]:
    docs = {
        "regime": "which vertices are asymptotically stable ('boundary': some vertex's deciding "
        "eigenvalue is within the tolerance of zero, so a non-hyperbolic vertex decides the regime)",
        "stable_vertices": "asymptotically stable vertices (strict Nash equilibria), '; '-separated",
        "pure_equilibria": "pure Nash equilibria, strict or not, '; '-separated",
        "n_stable": "number of asymptotically stable vertices",
        "n_pure": "number of pure Nash equilibria",
        "outcome": "where the replicator dynamics from the initial state end: vertex, rest point, "
        "cycling or not converged",
        "reached": "the vertex reached (empty unless outcome is vertex)",
    }
    return {c: ("varied parameter" if c in varied else docs[c]) for c in columns}
