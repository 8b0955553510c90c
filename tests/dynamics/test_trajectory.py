import numpy as np
import pytest
from scipy.integrate import solve_ivp

from tripartite.dynamics.replicator import join_state, replicator_field, split_state
from tripartite.dynamics.trajectory import trajectory
from tripartite.errors import TripartiteError
from tripartite.game import Game

COORDINATION = Game.from_array(np.array([[[2, 0], [0, 1]], [[2, 0], [0, 1]]], dtype=float))
PENNIES = Game.from_array(np.array([[[1, -1], [-1, 1]], [[-1, 1], [1, -1]]], dtype=float))


def test_coordination_game_goes_to_the_side_of_the_separatrix():
    # the interior rest point is (1/3, 1/3); the diagonal is invariant by symmetry
    up = trajectory(COORDINATION, [[0.4, 0.6], [0.4, 0.6]], t_max=100)
    down = trajectory(COORDINATION, [[0.3, 0.7], [0.3, 0.7]], t_max=100)
    assert up.outcome == down.outcome == "vertex"
    assert up.profile == {"P1": "s1", "P2": "s1"}
    assert down.profile == {"P1": "s2", "P2": "s2"}


def test_cycling_is_reported_as_not_converged():
    tr = trajectory(PENNIES, [[0.8, 0.2], [0.5, 0.5]], t_max=50)
    assert tr.outcome == "not converged"
    assert tr.profile is None


def test_zero_shares_stay_zero():
    tr = trajectory(COORDINATION, [[0.0, 1.0], [0.9, 0.1]], t_max=50)
    assert np.all(tr.shares(0)[:, 0] == 0.0)
    assert tr.profile == {"P1": "s2", "P2": "s2"}


def test_agrees_with_ambient_integration_on_a_short_horizon():
    rng = np.random.default_rng(0)
    g = Game.from_array(rng.normal(size=(3, 2, 2, 2)))
    x0 = [[0.3, 0.7], [0.6, 0.4], [0.5, 0.5]]
    tr = trajectory(g, x0, t_max=2.0, n_eval=5)

    def rhs(_t, y):
        parts = [p[None] for p in split_state(y, g.shape)]
        return join_state(replicator_field(g.payoffs, parts))[0]

    ref = solve_ivp(
        rhs, (0, 2.0), join_state([np.array(x) for x in x0]), rtol=1e-10, atol=1e-12, t_eval=tr.times
    )
    assert np.allclose(tr.states, ref.y.T, atol=1e-6)


def test_bad_initial_state():
    with pytest.raises(TripartiteError, match="summing to 1"):
        trajectory(COORDINATION, [[0.5, 0.6], [0.5, 0.5]])
    with pytest.raises(TripartiteError, match="2 shares"):
        trajectory(COORDINATION, [[1.0], [0.5, 0.5]])


def test_early_stop_keeps_times_and_states_aligned():
    tr = trajectory(COORDINATION, [[0.9, 0.1], [0.9, 0.1]], t_max=100)
    assert tr.outcome == "vertex"
    assert tr.times[-1] < 100  # stopped at the stable vertex
    assert len(tr.times) == len(tr.states) == len(tr.shares(0))
    assert np.all(np.diff(tr.times) > 0)
