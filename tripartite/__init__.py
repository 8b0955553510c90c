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

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("tripartite")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0.0.0+unknown"

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
from .equilibria import PureEquilibria, deviation_gains, pure_equilibria
from .errors import ExpressionError, ParameterError, ScenarioError, TripartiteError
from .expr import parse_expression
from .game import Game, expected_payoffs, regret, strategy_payoffs
from .model import Model, Parameter
from .scenario import builtin_models, dump_scenario, load_model, load_scenario, read_scenario

__all__ = [
    "CLASSIFICATIONS",
    "ExpressionError",
    "Game",
    "Model",
    "Parameter",
    "ParameterError",
    "PureEquilibria",
    "RestPointStability",
    "ScenarioError",
    "Trajectory",
    "TripartiteError",
    "VertexStability",
    "__version__",
    "builtin_models",
    "deviation_gains",
    "dump_scenario",
    "expected_payoffs",
    "jacobian",
    "load_model",
    "load_scenario",
    "parse_expression",
    "pure_equilibria",
    "read_scenario",
    "reduced_jacobian",
    "regret",
    "replicator_field",
    "rest_point_stability",
    "strategy_payoffs",
    "trajectory",
    "vertex_stability",
]
