"""Replicator dynamics: vector field, Jacobian, stability, trajectories."""

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
