"""Sweeps over the policy levers: regime maps, thresholds, escape from the low equilibrium.

- :mod:`~tripartite.sweep.grid`: designs (grids, random / Latin hypercube / Sobol' samples);
- :mod:`~tripartite.sweep.regimes`: which vertices are stable at each point, and the regime;
- :mod:`~tripartite.sweep.runner`: the sweep: chunks, provenance, the table
  (:mod:`~tripartite.sweep.chunks` computes one chunk, :mod:`~tripartite.sweep.executors`
  runs chunks in this process, local processes or Dask, :mod:`~tripartite.sweep.parts`
  keeps finished chunks on disk for resuming);
- :mod:`~tripartite.sweep.levers`: the policy levers, their costs, the eigenvalues along them;
- :mod:`~tripartite.sweep.thresholds`: where the regime changes along one lever;
- :mod:`~tripartite.sweep.escape`: single-lever escapes from the low equilibrium
  (:func:`escapes_table` puts a list of them in a table);
- :mod:`~tripartite.sweep.package`: the least-cost package of levers.
"""

from .escape import LeverEscape, escapes_table, single_lever_escapes
from .grid import Design, grid, sample
from .levers import default_levers, fiscal_weights
from .package import EscapePackage, least_cost_package
from .regimes import Regimes, classify_points, parse_profile, regime_label, vertex_names
from .runner import SweepResult, sweep
from .tables import read_sweep
from .thresholds import Threshold, thresholds

__all__ = [
    "Design",
    "EscapePackage",
    "LeverEscape",
    "Regimes",
    "SweepResult",
    "Threshold",
    "classify_points",
    "default_levers",
    "escapes_table",
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
