"""Sweeps over the policy levers: regime maps, thresholds, escape from the low equilibrium.

- :mod:`~tripartite.sweep.grid`: designs (grids, random / Latin hypercube / Sobol' samples);
- :mod:`~tripartite.sweep.regimes`: which vertices are stable at each point, and the regime;
- :mod:`~tripartite.sweep.runner`: chunked, parallel (local processes or Dask), resumable sweeps;
- :mod:`~tripartite.sweep.escape`: thresholds along a lever, single-lever escapes, least-cost packages.
"""

from .escape import (
    EscapePackage,
    LeverEscape,
    Threshold,
    default_levers,
    fiscal_weights,
    least_cost_package,
    single_lever_escapes,
    thresholds,
)
from .grid import Design, grid, sample
from .regimes import Regimes, classify_points, parse_profile, regime_label, vertex_names
from .runner import SweepResult, read_sweep, sweep

__all__ = [
    "Design",
    "EscapePackage",
    "LeverEscape",
    "Regimes",
    "SweepResult",
    "Threshold",
    "classify_points",
    "default_levers",
    "fiscal_weights",
    "grid",
    "least_cost_package",
    "parse_profile",
    "read_sweep",
    "regime_label",
    "sample",
    "single_lever_escapes",
    "sweep",
    "thresholds",
    "vertex_names",
]
