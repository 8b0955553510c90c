"""Designs of a sweep: which parameter points to evaluate.

A *design* is a finite set of points in the space of the varied parameters,
every other parameter held at its default or at a given value.  Two kinds:

- a **grid**: the Cartesian product of one list of values per varied
  parameter, each given as an evenly spaced range ``START:STOP:N``
  (``numpy.linspace(START, STOP, N)``, both ends included) or an explicit
  list ``v1,v2,...``.  Points are numbered in row-major order: the first
  varied parameter changes slowest, as in :func:`itertools.product`;
- a **sample** of ``n`` points of the box :math:`\\prod_k [lo_k, hi_k]`:
  independent uniform draws (``random``), a Latin hypercube (``lhs``) or a
  scrambled Sobol' sequence (``sobol``), the last two through
  :mod:`scipy.stats.qmc`.  A seed makes every sample reproducible (and a
  sweep resumable).

Every value is checked against the parameter's admissible interval when the
design is built, so a bad range fails before any work starts.  Points are
produced chunk by chunk (:meth:`Design.chunk`), so a million-point grid
never has to be held in memory as a whole.

Examples
--------
>>> from tripartite import load_model
>>> design = grid(load_model("baseline"), {"nu": "0:1:3", "phi": [0, 1]})
>>> design.n_points
6
>>> {k: v.tolist() for k, v in design.chunk(0, 3).items()}
{'nu': [0.0, 0.0, 0.5], 'phi': [0.0, 1.0, 0.0]}
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..errors import LimitError, ParameterError
from ..limits import MAX_AXIS_POINTS, MAX_DESIGN_POINTS, MAX_MAGNITUDE, MAX_SAMPLE_POINTS, size_text
from ..model import Model

__all__ = [
    "Design",
    "SAMPLE_METHODS",
    "grid",
    "sample",
    "parse_range",
    "parse_bounds",
    "parse_sample",
]

#: Sampling methods: name -> description.
SAMPLE_METHODS = {
    "random": "independent uniform draws (numpy.random.default_rng)",
    "lhs": "Latin hypercube (scipy.stats.qmc.LatinHypercube)",
    "sobol": "scrambled Sobol' sequence (scipy.stats.qmc.Sobol)",
}
_ALIASES = {"uniform": "random", "latin": "lhs", "latin-hypercube": "lhs", "latinhypercube": "lhs"}


@dataclass(frozen=True, eq=False)
class Design:
    """A finite set of parameter points, produced chunk by chunk.

    Attributes
    ----------
    names : tuple of str
        The varied parameters, in column order.
    kind : str
        ``"grid"`` or ``"sample"``.
    axes : tuple of ndarray
        For a grid: the values of each varied parameter.
    points : ndarray, shape (n_points, len(names))
        For a sample: the points themselves.
    spec : dict
        A JSON-ready description (ranges, method, seed) for provenance and
        for checking that a resumed sweep is the same sweep.
    """

    names: tuple[str, ...]
    kind: str
    axes: tuple[np.ndarray, ...] = ()
    points: np.ndarray | None = None
    spec: Mapping[str, Any] | None = None

    @property
    def shape(self) -> tuple[int, ...]:
        """Grid shape (values per axis); ``(n_points,)`` for a sample."""
        if self.kind == "grid":
            return tuple(len(a) for a in self.axes)
        return (len(self.points),)

    @property
    def n_points(self) -> int:
        """Number of points."""
        return math.prod(self.shape)

    def chunk(self, start: int, stop: int) -> dict[str, np.ndarray]:
        """Values of the varied parameters at points ``start <= b < stop``.

        Examples
        --------
        >>> from tripartite import load_model
        >>> d = grid(load_model("baseline"), {"nu": [0, 1], "phi": [0, 0.5, 1]})
        >>> d.chunk(2, 5)["phi"].tolist()
        [1.0, 0.0, 0.5]
        """
        start, stop = max(0, start), min(stop, self.n_points)
        if self.kind == "grid":
            index = np.unravel_index(np.arange(start, stop), self.shape)
            return {name: axis[ix] for name, axis, ix in zip(self.names, self.axes, index)}
        return {name: self.points[start:stop, k].copy() for k, name in enumerate(self.names)}

    def _repr_html_(self) -> str:
        from ..display import html_table, number

        if self.kind == "grid":
            rows = [
                [name, len(axis), number(axis.min()), number(axis.max()), _spec_text(self.spec, k)]
                for k, (name, axis) in enumerate(zip(self.names, self.axes))
            ]
            dims = " x ".join(map(str, self.shape))
            caption = f"grid design: {dims} = {self.n_points} points"
            return html_table(["parameter", "values", "from", "to", "given as"], rows, caption)
        spec = self.spec or {}
        bounds = {b["name"]: b["bounds"] for b in spec.get("bounds", [])}
        rows = [
            [name, *(number(v) for v in bounds.get(name, (self.points[:, k].min(), self.points[:, k].max())))]
            for k, name in enumerate(self.names)
        ]
        how = f"{spec.get('method', 'sample')}, seed {spec.get('seed')}"
        caption = f"sample design ({how}): {self.n_points} points"
        return html_table(["parameter", "from", "to"], rows, caption)

    def __repr__(self) -> str:
        dims = " x ".join(map(str, self.shape)) if self.kind == "grid" else str(self.n_points)
        return f"<Design {self.kind} over {', '.join(self.names)}: {dims} points>"


def _spec_text(spec: Mapping[str, Any] | None, k: int) -> str:
    try:
        return str(spec["axes"][k]["spec"])
    except (KeyError, IndexError, TypeError):
        return ""


# --- parsing ----------------------------------------------------------------------------


def _number(name: str, text: str, what: str) -> float:
    shown = text.strip() if len(text.strip()) <= 40 else text.strip()[:40] + "..."
    try:
        value = float(text)
    except ValueError:
        raise ParameterError(f"parameter {name!r}: {what} {shown!r} is not a number") from None
    if not math.isfinite(value):
        raise ParameterError(f"parameter {name!r}: {what} must be finite")
    if abs(value) > MAX_MAGNITUDE:
        raise LimitError(
            f"parameter {name!r}: {what} {shown} is larger in absolute value than {MAX_MAGNITUDE:g}, "
            "the limit on numbers (tripartite.limits.MAX_MAGNITUDE)"
        )
    return value


def parse_range(name: str, text: str) -> np.ndarray:
    """Values of a grid axis from ``START:STOP:N`` or ``v1,v2,...``.

    Examples
    --------
    >>> parse_range("nu", "0:1:5").tolist()
    [0.0, 0.25, 0.5, 0.75, 1.0]
    >>> parse_range("c", "350, 700").tolist()
    [350.0, 700.0]
    """
    text = text.strip()
    if ":" in text:
        parts = text.split(":")
        if len(parts) != 3 or not all(p.strip() for p in parts):
            raise ParameterError(
                f"parameter {name!r}: malformed range {text!r}; expected START:STOP:N "
                "(e.g. 0:1:101) or a list v1,v2,..."
            )
        start = _number(name, parts[0], "range start")
        stop = _number(name, parts[1], "range stop")
        try:
            n = int(parts[2]) if len(parts[2].strip()) <= 12 else MAX_AXIS_POINTS + 1
        except ValueError:
            raise ParameterError(
                f"parameter {name!r}: in range {text!r} the number of points {parts[2].strip()!r} "
                "is not a whole number"
            ) from None
        if n < 1 or (n == 1 and start != stop):
            raise ParameterError(
                f"parameter {name!r}: range {text!r} needs at least 2 points (or START = STOP with N = 1)"
            )
        if n > MAX_AXIS_POINTS:
            raise LimitError(
                f"parameter {name!r}: range {text!r} asks for {n:,} values ({size_text(8.0 * n)}); "
                f"the limit is {MAX_AXIS_POINTS:,} values per parameter (tripartite.limits.MAX_AXIS_POINTS)"
            )
        return np.linspace(start, stop, n)
    items = [t for t in text.split(",")]
    if len(items) > MAX_AXIS_POINTS:
        raise LimitError(
            f"parameter {name!r}: a list of {len(items):,} values; the limit is {MAX_AXIS_POINTS:,} "
            "values per parameter (tripartite.limits.MAX_AXIS_POINTS)"
        )
    if not text or any(not t.strip() for t in items):
        raise ParameterError(
            f"parameter {name!r}: malformed value list {text!r}; expected START:STOP:N or v1,v2,..."
        )
    return np.array([_number(name, t, "value") for t in items])


def parse_bounds(name: str, text: str) -> tuple[float, float]:
    """Sampling bounds from ``LO:HI``.

    Examples
    --------
    >>> parse_bounds("nu", "0:0.5")
    (0.0, 0.5)
    """
    parts = text.strip().split(":")
    if len(parts) != 2 or not all(p.strip() for p in parts):
        raise ParameterError(
            f"parameter {name!r}: with --sample give bounds LO:HI (e.g. 0:1), not {text.strip()!r}; "
            "the number of points comes from --sample"
        )
    lo, hi = _number(name, parts[0], "lower bound"), _number(name, parts[1], "upper bound")
    if not lo < hi:
        raise ParameterError(f"parameter {name!r}: lower bound {lo:g} must be below upper bound {hi:g}")
    return lo, hi


def parse_sample(text: str) -> tuple[str, int]:
    """``METHOD:N`` (e.g. ``sobol:4096``) -> (method, n).

    Examples
    --------
    >>> parse_sample("lhs:100")
    ('lhs', 100)
    """
    method, sep, count = text.strip().partition(":")
    method = _ALIASES.get(method.strip().lower(), method.strip().lower())
    if not sep or method not in SAMPLE_METHODS:
        raise ParameterError(
            f"--sample expects METHOD:N with METHOD one of {', '.join(SAMPLE_METHODS)}, got {text!r}"
        )
    try:
        n = int(count) if len(count.strip()) <= 12 else MAX_SAMPLE_POINTS + 1
    except ValueError:
        raise ParameterError(f"--sample {text!r}: the number of points is not a whole number") from None
    if n < 1:
        raise ParameterError(f"--sample {text!r}: the number of points must be at least 1")
    _check_sample_size(n)
    return method, n


def _check_sample_size(n: int) -> None:
    if n > MAX_SAMPLE_POINTS:
        raise LimitError(
            f"a sample of {n:,} points; the limit is {MAX_SAMPLE_POINTS:,} points, held in memory "
            "(tripartite.limits.MAX_SAMPLE_POINTS; a grid of up to "
            f"{MAX_DESIGN_POINTS:,} points is computed chunk by chunk)"
        )


# --- building designs -----------------------------------------------------------------


def _check_names(model: Model, names: Sequence[str]) -> None:
    if not names:
        raise ParameterError("vary at least one parameter")
    seen = set()
    for name in names:
        model.parameter(name)  # unknown names: a message listing the known ones
        if name in seen:
            raise ParameterError(f"parameter {name!r} is varied twice")
        seen.add(name)


def _check_values(model: Model, name: str, values: np.ndarray, text: str) -> None:
    p = model.parameter(name)
    if values.size == 0:
        raise ParameterError(f"parameter {name!r}: no values given")
    if not np.all(np.isfinite(values)):
        raise ParameterError(f"parameter {name!r}: values must be finite")
    lo, hi = float(values.min()), float(values.max())
    if lo < p.min or hi > p.max:
        raise ParameterError(f"parameter {name!r}: {text} goes outside its admissible range {p.range_text()}")


def _axis_spec(name: str, values: np.ndarray, text: str) -> dict[str, Any]:
    spec: dict[str, Any] = {"name": name, "spec": text, "n": int(values.size)}
    if ":" not in text:  # an explicit list: record the values themselves
        spec["values"] = [float(v) for v in values]
    return spec


def grid(model: Model, axes: Mapping[str, Any]) -> Design:
    """A grid design: the Cartesian product of one list of values per parameter.

    Parameters
    ----------
    model : Model
    axes : mapping of parameter name to values
        Each value is ``"START:STOP:N"``, ``"v1,v2,..."``, a ``(start, stop, n)``
        tuple or a sequence of numbers.  The first parameter varies slowest.

    Raises
    ------
    ParameterError
        Unknown parameter, malformed range, or values outside the admissible range.

    Examples
    --------
    >>> from tripartite import load_model
    >>> grid(load_model("baseline"), {"nu": (0, 1, 11), "phi": "0:1:11"}).shape
    (11, 11)
    """
    names = tuple(axes)
    _check_names(model, names)
    values, specs = [], []
    for name, spec in axes.items():
        if isinstance(spec, str):
            arr, text = parse_range(name, spec), spec.strip()
        elif isinstance(spec, tuple) and len(spec) == 3 and isinstance(spec[2], int | np.integer):
            start, stop, n = spec
            text = f"{start:g}:{stop:g}:{n}"
            arr = parse_range(name, text)
        else:
            try:
                arr = np.asarray(spec, dtype=float).ravel()
            except (TypeError, ValueError):
                raise ParameterError(f"parameter {name!r}: {spec!r} is not a list of numbers") from None
            text = ",".join(f"{v:g}" for v in arr[:6]) + (",..." if arr.size > 6 else "")
        _check_values(model, name, arr, f"range {text}")
        values.append(np.ascontiguousarray(arr, dtype=float))
        specs.append(_axis_spec(name, arr, text))
    n_points = math.prod(len(v) for v in values)
    if n_points > MAX_DESIGN_POINTS:
        dims = " x ".join(f"{len(v):,}" for v in values)
        raise LimitError(
            f"a grid of {dims} = {n_points:,} points; the limit is {MAX_DESIGN_POINTS:,} points "
            "(tripartite.limits.MAX_DESIGN_POINTS)"
        )
    return Design(names, "grid", axes=tuple(values), spec={"kind": "grid", "axes": specs})


def _unit_sample(method: str, n: int, d: int, seed: int) -> np.ndarray:
    if method == "random":
        return np.random.default_rng(seed).random((n, d))
    from scipy.stats import qmc

    engine_cls = qmc.Sobol if method == "sobol" else qmc.LatinHypercube
    try:
        engine = engine_cls(d, rng=np.random.default_rng(seed))
    except TypeError:  # scipy < 1.15 calls it seed
        engine = engine_cls(d, seed=np.random.default_rng(seed))
    with warnings.catch_warnings():
        # Sobol' balance is best at powers of two; any n is still a valid low-discrepancy sample
        warnings.simplefilter("ignore", UserWarning)
        return engine.random(n)


def sample(
    model: Model,
    bounds: Mapping[str, Any],
    n: int,
    method: str = "sobol",
    seed: int = 0,
) -> Design:
    """A sample design: ``n`` points of the box given by ``bounds``.

    Parameters
    ----------
    model : Model
    bounds : mapping of parameter name to ``(lo, hi)`` or ``"LO:HI"``
    n : int
        Number of points.
    method : {"sobol", "lhs", "random"}
    seed : int
        Seed of the generator; the same seed gives the same points.

    Examples
    --------
    >>> from tripartite import load_model
    >>> d = sample(load_model("baseline"), {"nu": (0, 1), "phi": "0:0.5"}, 8, "lhs")
    >>> d.n_points, bool(d.chunk(0, 8)["phi"].max() <= 0.5)
    (8, True)
    """
    method = _ALIASES.get(method.lower(), method.lower())
    if method not in SAMPLE_METHODS:
        raise ParameterError(f"unknown sampling method {method!r}; use one of {', '.join(SAMPLE_METHODS)}")
    if int(n) < 1:
        raise ParameterError("a sample needs at least one point")
    _check_sample_size(int(n))
    if int(seed) < 0:
        raise ParameterError(f"the seed of a sample must be a whole number >= 0, got {seed}")
    names = tuple(bounds)
    _check_names(model, names)
    los, his, specs = [], [], []
    for name, spec in bounds.items():
        if isinstance(spec, str):
            lo, hi = parse_bounds(name, spec)
        else:
            try:
                lo, hi = (float(v) for v in spec)
            except (TypeError, ValueError):
                raise ParameterError(f"parameter {name!r}: bounds must be a pair (lo, hi)") from None
            if not (math.isfinite(lo) and math.isfinite(hi) and lo < hi):
                raise ParameterError(f"parameter {name!r}: bounds ({lo:g}, {hi:g}) must be finite, lo < hi")
        _check_values(model, name, np.array([lo, hi]), f"bounds {lo:g}:{hi:g}")
        los.append(lo)
        his.append(hi)
        specs.append({"name": name, "bounds": [lo, hi]})
    unit = _unit_sample(method, int(n), len(names), int(seed))
    lo, hi = np.array(los), np.array(his)
    points = lo + unit * (hi - lo)
    spec = {
        "kind": "sample",
        "method": method,
        "description": SAMPLE_METHODS[method],
        "n": int(n),
        "seed": int(seed),
        "bounds": specs,
    }
    return Design(names, "sample", points=points, spec=spec)
