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

import importlib as _importlib
import warnings as _warnings

from ._version import __version__
from .errors import (
    ExpressionError,
    LimitError,
    ParameterError,
    ScenarioError,
    TripartiteError,
    UndefinedPayoffError,
)

# The public names are imported on first use (PEP 562), so that ``import tripartite`` and the
# command line start without loading sympy, scipy, pandas or matplotlib.  Each name is the same
# object as ``from <module> import <name>``.
_LAZY_MODULES = {
    "tripartite.behavioural": ("ProspectTheory", "prospect_game"),
    "tripartite.dynamics": (
        "CLASSIFICATIONS",
        "RestPointStability",
        "Trajectory",
        "VertexStability",
        "jacobian",
        "reduced_jacobian",
        "replicator_field",
        "rest_point_stability",
        "trajectory",
        "vertex_stability",
    ),
    "tripartite.dynamics.basins": ("Basins", "PushThreshold", "basins", "push_threshold"),
    "tripartite.dynamics.batch": ("OUTCOMES", "BatchTrajectories", "integrate_batch"),
    "tripartite.dynamics.schedules": ("GameSchedule", "Schedule"),
    "tripartite.equilibria": (
        "Equilibrium",
        "EquilibriumSet",
        "PureEquilibria",
        "all_equilibria",
        "all_equilibria_batch",
        "pure_equilibria",
        "subgame_equilibria",
    ),
    "tripartite.equilibria.components": ("Component", "ComponentSet", "equilibrium_components"),
    "tripartite.game": ("Game", "StatePayoffs", "expected_payoffs", "payoff_scale", "regret"),
    "tripartite.io.nfg": ("load_nfg", "read_nfg", "write_nfg"),
    "tripartite.model": ("Model", "Parameter", "StateShare"),
    "tripartite.qre": ("LogitBranch", "QREPoint", "logit_branch", "logit_qre"),
    "tripartite.scenario": ("builtin_models", "dump_scenario", "load_model", "read_scenario"),
    "tripartite.simulation": ("Simulation", "simulate"),
    "tripartite.solution": ("Solution", "solve"),
    "tripartite.sweep": (
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
    ),
    "tripartite.sweep.robustness": ("package_robustness",),
    "tripartite.sweep.temporary": ("TemporaryProgramme", "minimal_duration", "temporary_programme"),
    "tripartite.symbolic.check": ("CheckReport", "check_table", "load_table"),
    "tripartite.welfare": (
        "dominated_by",
        "mixed_improvement",
        "pareto_comparison",
        "welfare_at",
        "welfare_game",
    ),
    "tripartite.symbolic": (
        "StabilityTable",
        "critical_values",
        "replicator_equations",
        "rest_points",
        "stability_table",
        "stable_intervals",
        "vertex_analysis",
    ),
}
# public name -> (module, attribute in that module)
_LAZY = {name: (module, name) for module, names in _LAZY_MODULES.items() for name in names}
_LAZY["run_sweep"] = ("tripartite.sweep.runner", "sweep")

# Subpackages and modules reachable as attributes (``tripartite.dynamics.stability``) after
# ``import tripartite``, as they were when the package imported them all.
_SUBMODULES = frozenset(
    {
        "behavioural",
        "cli",
        "display",
        "dynamics",
        "equilibria",
        "expr",
        "game",
        "io",
        "model",
        "plot",
        "qre",
        "scenario",
        "simulation",
        "solution",
        "sweep",
        "welfare",
        "symbolic",
    }
)

__all__ = [
    "__version__",
    # errors
    "TripartiteError",
    "ScenarioError",
    "ParameterError",
    "ExpressionError",
    "LimitError",
    "UndefinedPayoffError",
    # models and games
    "load_model",
    "read_scenario",
    "dump_scenario",
    "builtin_models",
    "Model",
    "Parameter",
    "StateShare",
    "Game",
    "StatePayoffs",
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
    "payoff_scale",
    "expected_payoffs",
    "PureEquilibria",
    "Equilibrium",
    "EquilibriumSet",
    "equilibrium_components",
    "Component",
    "ComponentSet",
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
    # policy over time
    "simulate",
    "Simulation",
    "Schedule",
    "GameSchedule",
    "temporary_programme",
    "minimal_duration",
    "TemporaryProgramme",
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
    "check_table",
    "load_table",
    "CheckReport",
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
    # welfare and robustness
    "welfare_game",
    "welfare_at",
    "dominated_by",
    "mixed_improvement",
    "pareto_comparison",
    "package_robustness",
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
    if name in _LAZY:
        module, attribute = _LAZY[name]
        value = getattr(_importlib.import_module(module), attribute)
        globals()[name] = value  # later look-ups are plain attribute reads
        return value
    if name in _DEPRECATED:
        module, attribute, instead = _DEPRECATED[name]
        _warnings.warn(
            f"tripartite.{name} is deprecated and will be removed in the next release; use {instead}",
            DeprecationWarning,
            stacklevel=2,
        )
        return getattr(_importlib.import_module(module), attribute)
    if name in _SUBMODULES:
        return _importlib.import_module(f"{__name__}.{name}")
    raise AttributeError(f"module 'tripartite' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
