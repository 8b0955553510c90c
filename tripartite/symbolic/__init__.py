"""Symbolic (exact, sympy) stability analysis of a model.

Everything here takes a :class:`~tripartite.model.Model` and returns
expressions of its parameters, or exact numbers at a parameter point; the
numbers agree with the numeric solvers (the tests check this).

- :mod:`~tripartite.symbolic.equations`: the replicator equations and their
  Jacobian, :func:`replicator_equations`;
- :mod:`~tripartite.symbolic.vertices`: vertex eigenvalues (deviation gains),
  stability conditions and their verdicts, :func:`vertex_analysis`,
  :func:`evaluate_vertices`;
- :mod:`~tripartite.symbolic.restpoints`: rest points on edges, faces and in
  the interior, :func:`rest_points`;
- :mod:`~tripartite.symbolic.critical`: critical values of one parameter (every
  zero of a vertex eigenvalue, as a formula in the other parameters) and the
  ranges where each vertex is stable, :func:`critical_values`,
  :func:`stable_intervals` (where the *regime* changes at a point is a
  different question: :func:`tripartite.sweep.thresholds`);
- :mod:`~tripartite.symbolic.table`: all of it at one parameter point, as a
  table for notebooks, papers and the CLI, :func:`stability_table`;
- :mod:`~tripartite.symbolic.verdicts`: whether a condition holds over the
  declared parameter ranges (verdicts about conditions, not classifications of
  points; interval arithmetic from
  :mod:`~tripartite.symbolic.intervals`, exact witnesses, exact linear
  programs), :func:`decide_negative`;
- :mod:`~tripartite.symbolic.exact`: decimals read as rationals, exact signs.

Examples
--------
>>> from tripartite import load_model
>>> model = load_model("baseline")
>>> eig = vertex_eigenvalues(model)
>>> eig[(1, 1, 1)][1]
R*p + ell - m + r
>>> low = vertex_analysis(model)[(1, 1, 1)]
>>> print(low.conditions[1].inequality)
R*p + ell + r < m
>>> low.conditions[1].status
'depends'
"""

from .critical import CriticalValue, critical_values, stable_intervals
from .equations import ReplicatorEquations, replicator_equations
from .exact import exact_values
from .restpoints import RestPoint, rest_points
from .table import StabilityTable, stability_table
from .verdicts import ALWAYS, ALWAYS_INSIDE, DEPENDS, NEVER, STATUSES, UNDECIDED, decide_negative
from .vertices import (
    Condition,
    VertexAnalysis,
    VertexEvaluation,
    evaluate_vertices,
    vertex_analysis,
    vertex_eigenvalues,
)

__all__ = [
    "ALWAYS",
    "ALWAYS_INSIDE",
    "Condition",
    "CriticalValue",
    "DEPENDS",
    "NEVER",
    "ReplicatorEquations",
    "RestPoint",
    "STATUSES",
    "StabilityTable",
    "UNDECIDED",
    "VertexAnalysis",
    "VertexEvaluation",
    "critical_values",
    "decide_negative",
    "evaluate_vertices",
    "exact_values",
    "replicator_equations",
    "rest_points",
    "stability_table",
    "stable_intervals",
    "vertex_analysis",
    "vertex_eigenvalues",
]
