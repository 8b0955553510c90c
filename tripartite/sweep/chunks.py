"""One chunk of a sweep, as a worker computes it.

A chunk is a slice of the design's points.  It is classified in one
vectorised call (:func:`~tripartite.sweep.regimes.Regimes.columns`), and,
when asked, the replicator dynamics are integrated from one state at every
point (:func:`tripartite.dynamics.batch.integrate_batch`), giving one row per
point:

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

Workers receive the model as a :class:`ModelPayload` (a built-in name or
scenario text, picklable) and rebuild it once per process; they return the
finished chunk, already serialised as CSV or Parquet bytes when the sweep
writes a file, so only the calling process touches the disk.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..dynamics import DEFAULT_T_MAX
from ..dynamics.batch import CYCLING, OUTCOMES, VERTEX, integrate_batch
from ..errors import TripartiteError
from ..model import Model
from ..scenario import builtin_models, dump_scenario, load_model, read_scenario
from .regimes import NO_STABLE, Regimes, kernel_for
from .tables import to_bytes

__all__ = [
    "CYCLING_LABEL",
    "OUTPUT_COLUMNS",
    "TRAJECTORY_COLUMNS",
    "ChunkOutput",
    "Job",
    "ModelPayload",
    "model_payload",
    "run_chunk",
]

#: Output columns of every sweep, after the varied parameters.
OUTPUT_COLUMNS = ("regime", "stable_vertices", "pure_equilibria", "n_stable", "n_pure")
#: Extra columns when trajectories are integrated.
TRAJECTORY_COLUMNS = ("outcome", "reached")
#: Regime of a point with no stable vertex where the dynamics cycle.
CYCLING_LABEL = "no stable vertex (cycling)"

# --- the model, as workers receive it -----------------------------------------------------------


@dataclass(frozen=True)
class ModelPayload:
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


def model_payload(model: Model) -> ModelPayload:
    """The payload of a model: its built-in name, its scenario file's text, or its dumped scenario."""
    source = model.source or ""
    if source == f"{model.name}.toml" and model.name in builtin_models():
        builtin = resources.files("tripartite") / "models" / source
        if _same_game(read_scenario(builtin.read_text(encoding="utf-8"), source), model):
            return _remember(ModelPayload("builtin", model.name, source), model)
    return _remember(ModelPayload("text", _scenario_text(model, source), source or model.name), model)


def _scenario_text(model: Model, source: str) -> str:
    """The text of the model's scenario file if it still describes the model, else the model dumped."""
    path = Path(source)
    if source and path.is_file():
        try:
            text = path.read_text(encoding="utf-8")
            if _same_game(read_scenario(text, source, default_name=model.name), model):
                return text
        except (OSError, UnicodeDecodeError, TripartiteError):
            pass  # unreadable, or the file changed since the model was read
    return dump_scenario(model)


def _remember(payload: ModelPayload, model: Model) -> ModelPayload:
    _MODELS.setdefault(payload.key, model)  # this process (and forked workers) need not rebuild it
    return payload


def _same_game(a: Model, b: Model) -> bool:
    return (
        a.players == b.players
        and a.strategies == b.strategies
        and a.parameters == b.parameters
        and a.payoffs == b.payoffs
    )


def _model_of(payload: ModelPayload) -> Model:
    model = _MODELS.get(payload.key)
    if model is None:
        model = payload.load()
        _MODELS[payload.key] = model
    return model


# --- one chunk ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Job:
    """Everything a worker needs to compute chunks (picklable)."""

    payload: ModelPayload
    names: tuple[str, ...]
    fixed: dict[str, float]
    tol: float
    fmt: str | None  # "csv" | "parquet" | None (return a DataFrame)
    vertex_names: dict[tuple[int, ...], str]
    initial: tuple[tuple[float, ...], ...] | None = None
    t_max: float = DEFAULT_T_MAX

    @property
    def columns(self) -> list[str]:
        cols = [*self.names, *OUTPUT_COLUMNS]
        if self.initial is not None:
            cols += TRAJECTORY_COLUMNS
        return cols


@dataclass
class ChunkOutput:
    """A finished chunk: its index, number of points, regime counts and data."""

    index: int
    n: int
    counts: dict[str, int]
    data: Any  # bytes (fmt given) or DataFrame


def run_chunk(job: Job, index: int, points: Mapping[str, np.ndarray]) -> ChunkOutput:
    """Compute chunk ``index`` (its ``points``: lever name -> values)."""
    frame = chunk_frame(job, points)
    data = frame if job.fmt is None else to_bytes(frame, job.fmt)
    return ChunkOutput(index, len(frame), regime_counts(frame), data)


def chunk_frame(job: Job, points: Mapping[str, np.ndarray]) -> pd.DataFrame:
    """The rows of one chunk."""
    model = _model_of(job.payload)
    resolved = model.resolve({**job.fixed, **points})
    kernel = kernel_for(model)
    profiles = kernel.profiles
    regimes = Regimes(profiles, [job.vertex_names[p] for p in profiles], kernel.margins(resolved), job.tol)
    frame = {name: np.asarray(points[name], dtype=float) for name in job.names}
    frame.update(regimes.columns())
    if job.initial is not None:
        frame.update(_trajectory_columns(job, model, points, frame["regime"]))
    return pd.DataFrame(frame, columns=job.columns)


def _trajectory_columns(job: Job, model: Model, points, regime: pd.Categorical) -> dict[str, Any]:
    """``outcome`` and ``reached`` from the job's initial state, and ``regime`` with cycling marked."""
    values = {**job.fixed, **points}
    # a model whose payoffs depend on the state integrates its state-dependent game (the kernel)
    payoffs = model.evaluate(values) if model.static_at(values) else model.game(values)
    res = integrate_batch(payoffs, [np.asarray(x) for x in job.initial], t_max=job.t_max)
    names = [""] + [job.vertex_names[p] for p in kernel_for(model).profiles]
    flat = np.where(
        res.outcome == VERTEX,
        np.ravel_multi_index(tuple(np.maximum(res.vertex, 0).T), model.shape) + 1,
        0,
    )
    columns = {
        "outcome": pd.Categorical.from_codes(res.outcome.astype(np.int8), list(OUTCOMES)),
        "reached": pd.Categorical.from_codes(flat, names),
    }
    cycling = (np.asarray(regime) == NO_STABLE) & (res.outcome == CYCLING)
    if cycling.any():
        if CYCLING_LABEL not in regime.categories:
            regime = regime.add_categories([CYCLING_LABEL])
        regime[cycling] = CYCLING_LABEL
        columns["regime"] = regime.remove_unused_categories()
    return columns


def regime_counts(frame: pd.DataFrame) -> dict[str, int]:
    """Regime label -> number of rows."""
    values = frame["regime"].value_counts(sort=False)
    return {str(k): int(v) for k, v in values.items() if v}
