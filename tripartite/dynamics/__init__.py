"""Replicator dynamics: vector field, Jacobian, stability, trajectories, basins.

- :mod:`~tripartite.dynamics.replicator`: the field
  :math:`\\dot x_{i,s} = x_{i,s}(u_i(s, x_{-i}) - \\bar u_i(x))` and its Jacobian,
  on the numeric kernel of :mod:`tripartite.game`;
- :mod:`~tripartite.dynamics.stability`: the one rest-point classifier
  (:func:`classify`, :data:`CLASSIFICATIONS`) and the stability of vertices
  and of any state;
- :mod:`~tripartite.dynamics.batch`: the one trajectory integrator, for one
  trajectory or many at once, and its outcome words;
- :mod:`~tripartite.dynamics.paths`: its single-trajectory front
  (:func:`trajectory`, :class:`Trajectory`);
- :mod:`~tripartite.dynamics.basins`: basins of attraction and push thresholds;
- :mod:`~tripartite.dynamics.schedules`: parameters piecewise constant in
  time (:class:`~tripartite.dynamics.schedules.Schedule`) and the games they
  make (:class:`~tripartite.dynamics.schedules.GameSchedule`), which the
  integrator, trajectories and basins accept in place of a game.

Every trajectory has the default horizon :data:`DEFAULT_T_MAX`.  Functions
that answer for one parameter point (a trajectory, basins, a push threshold)
need ``point=`` when given a batched game (:mod:`tripartite.dynamics._shared`).
"""

#: Default time horizon of every trajectory (``solve``'s status quo, ``basins``, sweeps with
#: trajectories, escapes, the Python API), in the reciprocal of the payoff unit: 50 times the
#: settling time of the built-in models (t ~ 1 with payoff gaps of tens to hundreds of yuan), and
#: long enough for the recurrence test to see cycling.  Defined before the submodules are
#: imported: they read it.
DEFAULT_T_MAX = 50.0

from .paths import Trajectory, trajectory  # noqa: E402
from .replicator import jacobian, join_state, reduced_jacobian, replicator_field, split_state  # noqa: E402
from .stability import (  # noqa: E402
    CLASSIFICATIONS,
    RestPointStability,
    VertexStability,
    classify,
    rest_point_stability,
    vertex_stability,
)

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
