"""Sweeps over the policy levers: regime maps, thresholds, escape from the low equilibrium.

- :mod:`~tripartite.sweep.designs`: designs (grids, random / Latin hypercube / Sobol' samples);
- :mod:`~tripartite.sweep.regimes`: which vertices are stable at each point, and the regime
  (through :class:`~tripartite.sweep.regimes.EigenvalueKernel`, a faster path to the numbers
  of :func:`tripartite.game.vertex_gains`, classified by
  :func:`tripartite.dynamics.stability.classify`);
- :mod:`~tripartite.sweep.runner`: the sweep, :func:`sweep`: chunks, provenance, the table
  (:mod:`~tripartite.sweep.chunks` computes one chunk, :mod:`~tripartite.sweep.executors`
  runs chunks in this process, local processes or Dask, :mod:`~tripartite.sweep.parts`
  keeps finished chunks on disk for resuming);
- :mod:`~tripartite.sweep.levers`: the policy levers, their costs, the eigenvalues along them;
- :mod:`~tripartite.sweep.regime_changes`: where the regime changes along one lever;
- :mod:`~tripartite.sweep.escape`: single-lever escapes from the low equilibrium
  (:func:`escapes_table` puts a list of them in a table; :func:`escape_report` adds the
  least-cost package: the answer of ``tripartite escape``);
- :mod:`~tripartite.sweep.package`: the least-cost package of levers.

Every condition comes from the symbolic deviation gains
(:func:`tripartite.symbolic.vertex_eigenvalues`); every result has ``to_record()``.
"""

from .designs import Design, grid, sample
from .escape import EscapeReport, LeverEscape, escape_report, escapes_table, single_lever_escapes
from .levers import default_levers, fiscal_weights
from .package import EscapePackage, least_cost_package
from .regime_changes import Threshold, design_thresholds, thresholds
from .regimes import Regimes, classify_points, parse_profile, regime_label, vertex_names
from .runner import SweepResult, sweep
from .tables import read_sweep

__all__ = [
    "Design",
    "EscapePackage",
    "EscapeReport",
    "LeverEscape",
    "Regimes",
    "SweepResult",
    "Threshold",
    "classify_points",
    "default_levers",
    "design_thresholds",
    "escape_report",
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
