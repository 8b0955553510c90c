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

A point where some payoff is not a finite real number (``log(x)`` at
``x <= 0``, ``(x - 1)^(1/3)`` below 1) has no game: its row is marked
``invalid: ...`` in ``regime``, naming the first such payoff, with empty
vertex lists, ``n_stable = n_pure = 0`` and no trajectory (``outcome``
empty), rather than a label computed from NaN.  Payoffs that depend on the
population state are checked at the states :meth:`~tripartite.model.Model.defined_at`
checks; a point undefined only at another state than all shares 0 is marked
``invalid: a payoff undefined at some population state``.

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
from .regimes import NO_STABLE, Regimes, kernel_for, payoff_scales
from .tables import to_bytes

__all__ = [
    "CYCLING_LABEL",
    "INVALID_LABEL",
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
#: Start of the regime of a point where some payoff is undefined (the rest names the payoff).
INVALID_LABEL = "invalid"

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
    #: parameter -> ((time, value), ...): the trajectories' schedule (tripartite.dynamics.schedules)
    schedule: tuple[tuple[str, tuple[tuple[float, float], ...]], ...] = ()

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
    with np.errstate(all="ignore"):  # undefined payoffs give NaN margins: their rows are marked below
        margins = kernel.margins(resolved)
        payoffs = model._payoff_values(resolved)
    invalid = _undefined_payoffs(model, resolved, payoffs)
    # the tolerance is relative to the payoff scale at each point (undefined points: scale 1, marked below)
    scales = payoff_scales(model, resolved, payoffs)
    regimes = Regimes(profiles, [job.vertex_names[p] for p in profiles], margins, job.tol, scales)
    frame = {name: np.asarray(points[name], dtype=float) for name in job.names}
    frame.update(regimes.columns())
    if job.initial is not None:
        frame.update(_trajectory_columns(job, model, points, frame["regime"], invalid))
    if invalid is not None:
        frame.update(_marked_invalid(frame, invalid))
    return pd.DataFrame(frame, columns=job.columns)


def _undefined_payoffs(
    model: Model, resolved: Mapping[str, np.ndarray], values: np.ndarray
) -> np.ndarray | None:
    """Per point, the reason its payoffs are undefined ('' where they are all finite reals); None if none is.

    ``values``: the payoffs at the points with every state share at 0 (``Model._payoff_values``).
    """
    bad = ~np.isfinite(values.reshape(values.shape[0], -1))
    elsewhere = None
    if model.state:  # payoffs of the state: also undefined at another state (Model.defined_at)?
        elsewhere = ~model.defined_at(resolved) & ~bad.any(axis=1)
    if not bad.any() and (elsewhere is None or not elsewhere.any()):
        return None
    first = np.argmax(bad, axis=1)
    per_player = int(np.prod(model.shape))
    profiles = model.profiles()
    reasons = np.full(values.shape[0], "", dtype=object)
    for j in np.unique(first[bad.any(axis=1)]):
        i, profile = divmod(int(j), per_player)
        key = ", ".join(model.strategies[k][s] for k, s in enumerate(profiles[profile]))
        reason = f"{INVALID_LABEL}: payoff of {model.players[i]} at ({key}) undefined"
        reasons[bad.any(axis=1) & (first == j)] = reason
    if elsewhere is not None:
        reasons[elsewhere] = f"{INVALID_LABEL}: a payoff undefined at some population state"
    return reasons


def _marked_invalid(frame: Mapping[str, Any], invalid: np.ndarray) -> dict[str, Any]:
    """The output columns with the rows of undefined points marked (see the module docstring)."""
    rows = invalid != ""
    out: dict[str, Any] = {}
    regime = pd.Categorical(frame["regime"])
    labels = [str(r) for r in np.unique(invalid[rows])]
    regime = regime.add_categories([c for c in labels if c not in regime.categories])
    regime[rows] = invalid[rows]
    out["regime"] = regime.remove_unused_categories()
    for key in ("stable_vertices", "pure_equilibria", "reached"):
        if key in frame:
            column = pd.Categorical(frame[key])
            if "" not in column.categories:
                column = column.add_categories([""])
            column[rows] = ""
            out[key] = column.remove_unused_categories()
    for key in ("n_stable", "n_pure"):
        out[key] = np.where(rows, 0, np.asarray(frame[key]))
    if "outcome" in frame:
        outcome = pd.Categorical(frame["outcome"])
        if "" not in outcome.categories:
            outcome = outcome.add_categories([""])
        outcome[rows] = ""
        out["outcome"] = outcome.remove_unused_categories()
    return out


def _trajectory_columns(
    job: Job, model: Model, points, regime: pd.Categorical, invalid: np.ndarray | None = None
) -> dict[str, Any]:
    """``outcome`` and ``reached`` from the job's initial state, and ``regime`` with cycling marked.

    Points whose payoffs are undefined (``invalid`` non-empty) are integrated at the first valid
    point instead, and their rows are then marked invalid by the caller.
    """
    if invalid is not None:
        rows = invalid != ""
        if rows.all():
            n = len(rows)
            return {
                "outcome": pd.Categorical([""] * n, categories=[""]),
                "reached": pd.Categorical([""] * n, categories=[""]),
            }
        stand_in = int(np.argmin(rows))
        points = {k: np.where(rows, np.asarray(v)[stand_in], v) for k, v in points.items()}
    values = {**job.fixed, **points}
    # a model whose payoffs depend on the state integrates its state-dependent game (the kernel)
    if job.schedule:  # parameters piecewise constant in time: the games of every piece, at every point
        from ..dynamics.schedules import Schedule

        payoffs = Schedule(dict(job.schedule)).games(model, values, t_max=job.t_max)
    else:
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
