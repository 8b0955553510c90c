"""Robustness of a package: how likely it still ends the low equilibrium when other parameters are uncertain.

A package fixes the levers at :math:`x^*`; the other parameters
:math:`\\theta` are uncertain.  With :math:`\\theta` drawn from a
distribution :math:`P` (Monte Carlo, ``samples`` draws), the package's
**robustness** is

.. math::  \\hat p = \\frac{1}{n} \\sum_{k=1}^{n} \\mathbf 1[\\text{low is not asymptotically stable at } (x^*, \\theta_k)],

with the Wilson 95 % interval, and beside it the share of draws where the
target is the only asymptotically stable vertex.  Stability is the one
vertex classification of :func:`tripartite.sweep.regimes.classify_points`
(a draw within ``tol`` of a regime boundary counts as not ending it).

The distribution: each uncertain parameter uniform on a range, by default
its value :math:`\\pm` ``spread`` (20 %) clipped to its declared range
(``ranges`` gives other ranges), or any sampler given in
``distributions`` (name -> callable ``(rng, n) -> array``).  Parameters
not named in ``vary`` keep their values (``vary`` defaults to every
parameter that is not a lever and that enters some vertex eigenvalue).

Examples
--------
>>> from tripartite import load_model
>>> r = package_robustness(load_model("baseline"), {"m": 39.0}, vary=["p"], samples=2000)
>>> round(r.ends_low, 1)     # the low profile ends where p*R + 20 > 39: p > 0.0019 of [0.0016, 0.0024]
0.6
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..errors import ParameterError
from ..model import Model
from ..symbolic import vertex_eigenvalues
from .levers import current_values
from .regimes import DEFAULT_TOL, classify_points, parse_profile

__all__ = ["Robustness", "package_robustness"]


@dataclass(frozen=True)
class Robustness:
    """The Monte Carlo robustness of a package.

    Attributes
    ----------
    package : dict
        Lever -> value (held fixed).
    samples : int
    ends_low : float
        Share of draws where the low profile is not asymptotically stable.
    interval : tuple of float
        Wilson 95 % interval of :attr:`ends_low`.
    target_only : float or None
        Share of draws where the target is the only asymptotically stable vertex.
    varied : dict
        Parameter -> how it was drawn (``"uniform [lo, hi]"`` or ``"given"``).
    seed : int
    """

    package: dict[str, float]
    samples: int
    ends_low: float
    interval: tuple[float, float]
    target_only: float | None
    varied: dict[str, str] = field(default_factory=dict)
    seed: int = 0

    def to_record(self) -> dict[str, Any]:
        return {
            "package": dict(self.package),
            "samples": self.samples,
            "ends_low": self.ends_low,
            "interval": list(self.interval),
            "target_only": self.target_only,
            "varied": dict(self.varied),
            "seed": self.seed,
        }


def _wilson(k: int, n: int, z: float = 1.959963984540054) -> tuple[float, float]:
    if n == 0:
        return (0.0, 1.0)
    p = k / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return (max(0.0, centre - half), min(1.0, centre + half))


def package_robustness(
    model: Model,
    package: Mapping[str, float],
    *,
    low: str | Sequence[int] | None = "low",
    target: str | Sequence[int] | None = None,
    values: Mapping[str, Any] | None = None,
    vary: Sequence[str] | None = None,
    spread: float = 0.2,
    ranges: Mapping[str, tuple[float, float]] | None = None,
    distributions: Mapping[str, Callable[[np.random.Generator, int], np.ndarray]] | None = None,
    samples: int = 1000,
    seed: int = 0,
    tol: float = DEFAULT_TOL,
) -> Robustness:
    """The probability that ``package`` still ends the low equilibrium under parameter uncertainty.

    Parameters
    ----------
    model : Model
    package : mapping
        Lever -> value, held fixed in every draw.
    low, target : profile or friendly name
        The profile to end (default ``"low"``) and, optionally, the one that should be
        the only stable vertex.
    values : mapping, optional
        The other parameters' values (defaults otherwise): the centres of the default ranges.
    vary : list of str, optional
        The uncertain parameters (default: every non-lever parameter in some vertex eigenvalue).
    spread : float
        Default range: value * (1 -+ spread), clipped to the declared range.
    ranges : mapping, optional
        Uniform ranges (lo, hi) for some parameters instead.
    distributions : mapping, optional
        Samplers ``(rng, n) -> array`` for some parameters instead.
    samples, seed : int
        Number of draws and the seed of :func:`numpy.random.default_rng`.

    Returns
    -------
    Robustness
    """
    if samples < 1:
        raise ParameterError("samples must be at least 1")
    current = current_values(model, {**dict(values or {}), **dict(package)})
    low_prof = parse_profile(model, low)
    target_prof = parse_profile(model, target) if target is not None else None
    if vary is None:
        used = set()
        for exprs in vertex_eigenvalues(model).values():
            for e in exprs:
                used |= {s.name for s in e.free_symbols}
        vary = [n for n in model.parameter_names if n in used and n not in package]
    rng = np.random.default_rng(seed)
    draws: dict[str, np.ndarray] = {}
    varied: dict[str, str] = {}
    for name in vary:
        p = model.parameter(name)
        if name in package:
            raise ParameterError(f"{name!r} is a lever of the package; it cannot also be uncertain")
        if distributions and name in distributions:
            draws[name] = np.asarray(distributions[name](rng, samples), dtype=float).reshape(samples)
            varied[name] = "given"
            continue
        if ranges and name in ranges:
            lo, hi = (float(v) for v in ranges[name])
        else:
            v = current[name]
            lo, hi = sorted((v * (1 - spread), v * (1 + spread)))
        lo, hi = max(lo, p.min), min(hi, p.max)
        if not lo <= hi:
            raise ParameterError(f"{name!r}: empty range [{lo:g}, {hi:g}] within {p.range_text()}")
        draws[name] = rng.uniform(lo, hi, samples)
        varied[name] = f"uniform [{lo:.6g}, {hi:.6g}]"
    point = {**current, **draws}
    reg = classify_points(model, point, tol)
    stable = reg.stable & ~reg.boundary[:, None]
    low_stable = reg.stable[:, reg.profiles.index(low_prof)] | reg.boundary
    ended = int(np.count_nonzero(~low_stable))
    target_only = None
    if target_prof is not None:
        only = np.arange(len(reg.profiles)) == reg.profiles.index(target_prof)
        target_only = float(np.mean(np.all(stable == only, axis=1)))
    return Robustness(
        {k: float(v) for k, v in package.items()},
        samples,
        ended / samples,
        _wilson(ended, samples),
        target_only,
        varied,
        seed,
    )
