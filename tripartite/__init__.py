"""tripartite: computable game theory for social-insurance policy.

Government, e-commerce platforms and flexible workers in a three-player game
whose payoffs are functions of named policy levers; solvers for its
equilibria and evolutionary stability; sweeps over the levers.  Any finite
N-player game written in a scenario file works the same way.

The public API, one name per answer (``docs/architecture.md``):

- models and games: :func:`load_model`, :func:`read_scenario`, :func:`dump_scenario`,
  :func:`builtin_models`, :class:`Model`, :class:`Parameter`, :class:`Game`,
  :func:`load_nfg`, :func:`read_nfg`, :func:`write_nfg`;
- the whole answer for one point: :func:`solve` -> :class:`Solution`;
- equilibria: :func:`pure_equilibria`, :func:`all_equilibria` (:func:`all_equilibria_batch`
  for many games at once), :func:`subgame_equilibria`, :func:`regret`, :func:`expected_payoffs`;
- dynamics: :func:`vertex_stability`, :func:`rest_point_stability`, :func:`replicator_field`,
  :func:`jacobian`, :func:`reduced_jacobian`, :func:`integrate_batch` (the one integrator,
  many trajectories) and :func:`trajectory` (one of them), :func:`basins`,
  :func:`push_threshold`;
- behaviour: :func:`logit_branch`, :func:`logit_qre`, :func:`prospect_game`;
- symbolic analysis: :func:`stability_table`, :func:`replicator_equations`,
  :func:`vertex_analysis`, :func:`rest_points`, :func:`critical_values`,
  :func:`stable_intervals`;
- sweeps and policy: :func:`grid`, :func:`sample`, :func:`run_sweep`, :func:`read_sweep`,
  :func:`classify_points`, :func:`thresholds`, :func:`single_lever_escapes`,
  :func:`escapes_table`, :func:`least_cost_package`.

The numeric kernel (payoff vectors, deviation gains, state checks) lives in
:mod:`tripartite.game` and is internal to the solvers.

Examples
--------
>>> import tripartite as tp
>>> model = tp.load_model("baseline")
>>> game = model.game()
>>> [game.profile_names(p) for p in tp.pure_equilibria(game).profiles()]
[{'government': 'passive', 'platform': 'shirk', 'worker': 'lapse'}]
"""

import warnings as _warnings

from ._version import __version__
from .behavioural import ProspectTheory, prospect_game
from .dynamics import (
    CLASSIFICATIONS,
    RestPointStability,
    Trajectory,
    VertexStability,
    jacobian,
    reduced_jacobian,
    replicator_field,
    rest_point_stability,
    trajectory,
    vertex_stability,
)
from .dynamics.basins import Basins, PushThreshold, basins, push_threshold
from .dynamics.batch import OUTCOMES, BatchTrajectories, integrate_batch
from .equilibria import (
    Equilibrium,
    EquilibriumSet,
    PureEquilibria,
    all_equilibria,
    all_equilibria_batch,
    pure_equilibria,
    subgame_equilibria,
)
from .errors import ExpressionError, ParameterError, ScenarioError, TripartiteError
from .game import Game, expected_payoffs, regret
from .io.nfg import load_nfg, read_nfg, write_nfg
from .model import Model, Parameter
from .qre import LogitBranch, QREPoint, logit_branch, logit_qre
from .scenario import builtin_models, dump_scenario, load_model, read_scenario
from .solution import Solution, solve
from .sweep import (
    EscapePackage,
    LeverEscape,
    SweepResult,
    Threshold,
    classify_points,
    escapes_table,
    grid,
    least_cost_package,
    read_sweep,
    sample,
    single_lever_escapes,
    thresholds,
)
from .sweep.runner import sweep as run_sweep
from .symbolic import (
    StabilityTable,
    critical_values,
    replicator_equations,
    rest_points,
    stability_table,
    stable_intervals,
    vertex_analysis,
)

__all__ = [
    "__version__",
    # errors
    "TripartiteError",
    "ScenarioError",
    "ParameterError",
    "ExpressionError",
    # models and games
    "load_model",
    "read_scenario",
    "dump_scenario",
    "builtin_models",
    "Model",
    "Parameter",
    "Game",
    "load_nfg",
    "read_nfg",
    "write_nfg",
    # one point, every answer
    "solve",
    "Solution",
    # equilibria
    "pure_equilibria",
    "all_equilibria",
    "all_equilibria_batch",
    "subgame_equilibria",
    "regret",
    "expected_payoffs",
    "PureEquilibria",
    "Equilibrium",
    "EquilibriumSet",
    # dynamics
    "vertex_stability",
    "rest_point_stability",
    "replicator_field",
    "jacobian",
    "reduced_jacobian",
    "integrate_batch",
    "trajectory",
    "basins",
    "push_threshold",
    "CLASSIFICATIONS",
    "OUTCOMES",
    "VertexStability",
    "RestPointStability",
    "BatchTrajectories",
    "Trajectory",
    "Basins",
    "PushThreshold",
    # behaviour
    "logit_branch",
    "logit_qre",
    "prospect_game",
    "LogitBranch",
    "QREPoint",
    "ProspectTheory",
    # symbolic analysis
    "stability_table",
    "replicator_equations",
    "vertex_analysis",
    "rest_points",
    "critical_values",
    "stable_intervals",
    "StabilityTable",
    # sweeps and policy
    "grid",
    "sample",
    "run_sweep",
    "read_sweep",
    "classify_points",
    "thresholds",
    "single_lever_escapes",
    "escapes_table",
    "least_cost_package",
    "SweepResult",
    "Threshold",
    "LeverEscape",
    "EscapePackage",
]

# Names of the 0.1 API that moved: they keep working for this release, with a warning.
_DEPRECATED = {
    "load_scenario": ("tripartite.scenario", "load_scenario", "tp.load_model(path)"),
    "strategy_payoffs": ("tripartite.game", "strategy_payoffs", "tripartite.game.payoff_vectors (internal)"),
    "deviation_gains": ("tripartite.game", "deviation_gains", "tp.vertex_stability(game).eigenvalues"),
    "evaluate_vertices": ("tripartite.symbolic", "evaluate_vertices", "tp.stability_table(model, values)"),
    "parse_expression": ("tripartite.expr", "parse_expression", "tripartite.expr.parse_expression"),
}


def __getattr__(name: str):
    if name in _DEPRECATED:
        module, attribute, instead = _DEPRECATED[name]
        _warnings.warn(
            f"tripartite.{name} is deprecated and will be removed in the next release; use {instead}",
            DeprecationWarning,
            stacklevel=2,
        )
        import importlib

        return getattr(importlib.import_module(module), attribute)
    raise AttributeError(f"module 'tripartite' has no attribute {name!r}")
