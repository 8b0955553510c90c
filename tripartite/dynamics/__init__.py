"""Replicator dynamics: vector field, Jacobian, stability, trajectories."""

#: Default time horizon of every trajectory (``solve``'s status quo, ``basins``, sweeps with
#: trajectories, the Python API), in the reciprocal of the payoff unit.
DEFAULT_T_MAX = 200.0

from .replicator import jacobian, join_state, reduced_jacobian, replicator_field, split_state
from .stability import (
    CLASSIFICATIONS,
    RestPointStability,
    VertexStability,
    classify,
    rest_point_stability,
    vertex_stability,
)
from .trajectory import Trajectory, trajectory

__all__ = [
    "DEFAULT_T_MAX",
    "CLASSIFICATIONS",
    "RestPointStability",
    "Trajectory",
    "VertexStability",
    "classify",
    "jacobian",
    "join_state",
    "reduced_jacobian",
    "replicator_field",
    "rest_point_stability",
    "split_state",
    "trajectory",
    "vertex_stability",
]
