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

import importlib as _importlib

# Names are imported from their module on first use (PEP 562): a command that needs
# one part of the sweeps (``thresholds`` needs ``regime_changes``) does not load the
# others (``escape`` and its pandas tables).
_LAZY_MODULES = {
    "designs": ("Design", "grid", "sample"),
    "escape": ("EscapeReport", "LeverEscape", "escape_report", "escapes_table", "single_lever_escapes"),
    "levers": ("default_levers", "fiscal_receipts", "fiscal_weights"),
    "package": ("DEFAULT_MARGIN", "EscapePackage", "least_cost_package"),
    "regime_changes": ("Threshold", "design_thresholds", "thresholds"),
    "regimes": ("Regimes", "classify_points", "parse_profile", "regime_label", "vertex_names"),
    "robustness": ("package_robustness",),
    "runner": ("SweepResult", "sweep"),
    "tables": ("read_sweep",),
    "temporary": ("minimal_duration", "programme_fiscal_cost", "temporary_programme"),
}
_LAZY = {name: module for module, names in _LAZY_MODULES.items() for name in names}

__all__ = [
    "DEFAULT_MARGIN",
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
    "fiscal_receipts",
    "fiscal_weights",
    "grid",
    "least_cost_package",
    "minimal_duration",
    "package_robustness",
    "parse_profile",
    "programme_fiscal_cost",
    "read_sweep",
    "regime_label",
    "sample",
    "single_lever_escapes",
    "sweep",
    "temporary_programme",
    "thresholds",
    "vertex_names",
]


def __getattr__(name: str):
    if name in _LAZY:
        value = getattr(_importlib.import_module(f"{__name__}.{_LAZY[name]}"), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
