"""tripartite: computable game theory for social-insurance policy.

Government, e-commerce platforms and flexible workers in a three-player game
whose payoffs are functions of named policy levers; solvers for its
equilibria and evolutionary stability; sweeps over the levers.  Any finite
N-player game written in a scenario file works the same way.

Examples
--------
>>> import tripartite as tp
>>> model = tp.load_model("baseline")
>>> game = model.game()
>>> [game.profile_names(p) for p in tp.pure_equilibria(game).profiles()]
[{'government': 'passive', 'platform': 'shirk', 'worker': 'lapse'}]
"""

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
    deviation_gains,
    pure_equilibria,
    subgame_equilibria,
)
from .errors import ExpressionError, ParameterError, ScenarioError, TripartiteError
from .expr import parse_expression
from .game import Game, expected_payoffs, regret, strategy_payoffs
from .io.nfg import load_nfg, read_nfg, write_nfg
from .model import Model, Parameter
from .qre import LogitBranch, QREPoint, logit_branch, logit_qre
from .scenario import builtin_models, dump_scenario, load_model, load_scenario, read_scenario
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
from .symbolic import (
    StabilityTable,
    critical_values,
    evaluate_vertices,
    replicator_equations,
    rest_points,
    stability_table,
    stable_intervals,
    vertex_analysis,
)

__all__ = [
    "EscapePackage",
    "LeverEscape",
    "SweepResult",
    "Threshold",
    "classify_points",
    "escapes_table",
    "grid",
    "least_cost_package",
    "read_sweep",
    "sample",
    "single_lever_escapes",
    "thresholds",
    "StabilityTable",
    "critical_values",
    "evaluate_vertices",
    "replicator_equations",
    "rest_points",
    "stability_table",
    "stable_intervals",
    "vertex_analysis",
    "Basins",
    "BatchTrajectories",
    "LogitBranch",
    "OUTCOMES",
    "ProspectTheory",
    "PushThreshold",
    "QREPoint",
    "basins",
    "integrate_batch",
    "logit_branch",
    "logit_qre",
    "prospect_game",
    "push_threshold",
    "CLASSIFICATIONS",
    "ExpressionError",
    "Game",
    "Model",
    "Parameter",
    "ParameterError",
    "PureEquilibria",
    "Equilibrium",
    "EquilibriumSet",
    "RestPointStability",
    "ScenarioError",
    "Trajectory",
    "TripartiteError",
    "VertexStability",
    "__version__",
    "builtin_models",
    "deviation_gains",
    "all_equilibria",
    "all_equilibria_batch",
    "dump_scenario",
    "expected_payoffs",
    "jacobian",
    "load_model",
    "load_scenario",
    "parse_expression",
    "pure_equilibria",
    "subgame_equilibria",
    "load_nfg",
    "read_nfg",
    "write_nfg",
    "read_scenario",
    "reduced_jacobian",
    "regret",
    "replicator_field",
    "rest_point_stability",
    "strategy_payoffs",
    "trajectory",
    "vertex_stability",
]
