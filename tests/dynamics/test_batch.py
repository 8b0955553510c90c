"""Batched replicator trajectories: agreement with solve_ivp, outcomes, certificates, errors."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tripartite import load_model
from tripartite.dynamics.batch import (
    CYCLING,
    NOT_CONVERGED,
    OUTCOMES,
    REST_POINT,
    VERTEX,
    integrate_batch,
)
from tripartite.dynamics.trajectory import trajectory
from tripartite.errors import TripartiteError
from tripartite.game import Game

COORDINATION = np.array([[[[1, 0], [0, 1]], [[1, 0], [0, 1]]]], dtype=float)  # separatrix x + y = 1
PENNIES = np.array([[[[1, -1], [-1, 1]], [[-1, 1], [1, -1]]]], dtype=float)

# Stated tolerance of the agreement test: with rtol=1e-9, atol=1e-10 the batched shares agree with
# solve_ivp (DOP853, rtol=1e-11, atol=1e-12) to within 1e-6 at every output time.
AGREEMENT = 1e-6


def _random_case(shape, batch, seed):
    rng = np.random.default_rng(seed)
    payoffs = rng.normal(size=(batch, len(shape), *shape))
    x0 = [rng.dirichlet(np.ones(m), size=batch) for m in shape]
    x0[0][0] = np.eye(shape[0])[0]  # a player at a pure strategy: its face is invariant
    return payoffs, x0


@pytest.mark.parametrize("shape", [(2, 2, 2), (3, 3, 3), (2, 3), (2, 2, 2, 2)])
def test_agrees_with_solve_ivp_on_the_same_initial_states(shape):
    payoffs, x0 = _random_case(shape, 4, seed=sum(shape))
    res = integrate_batch(payoffs, x0, t_max=6.0, n_eval=7, rtol=1e-9, atol=1e-10)
    for b in range(4):
        ref = trajectory(
            Game.from_array(payoffs[b]), [x[b] for x in x0], t_max=6.0, n_eval=7, rtol=1e-11, atol=1e-12
        )
        mine = np.concatenate([p[b] for p in res.paths], axis=1)
        np.testing.assert_allclose(mine, ref.states, atol=AGREEMENT, rtol=0)
        np.testing.assert_allclose(res.times, ref.times)


def test_default_tolerances_agree_with_solve_ivp_to_1e_5():
    payoffs, x0 = _random_case((2, 2, 2), 5, seed=11)
    res = integrate_batch(payoffs, x0, t_max=10.0, n_eval=5)
    for b in range(5):
        ref = trajectory(Game.from_array(payoffs[b]), [x[b] for x in x0], t_max=10.0, n_eval=5)
        np.testing.assert_allclose(np.concatenate([p[b] for p in res.paths], axis=1), ref.states, atol=1e-5)


def test_many_states_at_one_point_and_one_state_at_many_points_broadcast():
    game = load_model("baseline").game(nu=[0.0, 0.5, 1.0])
    one_state = [np.array([0.3, 0.7]), np.array([0.2, 0.8]), np.array([0.3, 0.7])]
    res = integrate_batch(game.payoffs, one_state, t_max=50.0)
    assert len(res) == 3
    point = load_model("baseline").game()
    many = [np.array([[0.3, 0.7], [0.9, 0.1]]), np.array([0.2, 0.8]), np.array([0.3, 0.7])]
    res2 = integrate_batch(point, many, t_max=50.0)
    assert len(res2) == 2 and res2.game is point
    for b in range(3):  # each point's result equals integrating that point alone
        alone = integrate_batch(game.payoffs[b : b + 1], one_state, t_max=50.0)
        assert alone.profile(0) == res.profile(b)


def test_coordination_states_go_to_their_side_of_the_separatrix():
    x = np.array([0.1, 0.3, 0.45, 0.55, 0.7, 0.9])
    y = np.array([0.2, 0.6, 0.5, 0.5, 0.25, 0.05])
    res = integrate_batch(COORDINATION, [np.column_stack([x, 1 - x]), np.column_stack([y, 1 - y])], t_max=100)
    expected = np.where(x + y > 1, 0, 1)
    assert res.labels().tolist() == ["vertex"] * 6
    assert res.vertex.tolist() == [[e, e] for e in expected]
    assert res.certified.all() and np.all(res.t_final < 100)


def test_matching_pennies_cycles_and_its_centre_is_a_rest_point():
    x0 = [np.array([[0.8, 0.2], [0.5, 0.5]]), np.array([[0.5, 0.5], [0.5, 0.5]])]
    res = integrate_batch(PENNIES, x0, t_max=60)
    assert res.outcome.tolist() == [CYCLING, REST_POINT]
    assert res.returns[0] >= 2
    assert res.vertex.tolist() == [[-1, -1], [-1, -1]]
    assert OUTCOMES[res.outcome[0]] == "cycling"


def test_a_game_with_no_incentives_stays_put_as_a_rest_point():
    res = integrate_batch(np.zeros((1, 2, 2, 3)), [np.array([0.3, 0.7]), np.array([0.2, 0.3, 0.5])], t_max=5)
    assert res.outcome[0] == REST_POINT
    np.testing.assert_allclose(res.final[1][0], [0.2, 0.3, 0.5])


def test_zero_shares_stay_exactly_zero():
    res = integrate_batch(COORDINATION, [np.array([0.0, 1.0]), np.array([0.9, 0.1])], t_max=20, n_eval=21)
    assert np.all(res.paths[0][0][:, 0] == 0.0)
    assert res.vertex[0].tolist() == [1, 1]


def test_step_budget_leaves_the_trajectory_not_converged_and_says_when():
    res = integrate_batch(PENNIES, [np.array([0.8, 0.2]), np.array([0.5, 0.5])], t_max=1000, max_steps=50)
    assert res.outcome[0] == NOT_CONVERGED
    assert res.t_final[0] < 1000 and res.steps[0] + res.rejected[0] == 50


def test_baseline_status_quo_is_certified_to_reach_the_low_vertex():
    model = load_model("baseline")
    res = integrate_batch(model.game(), [list(x) for x in model.initial_state], t_max=200)
    assert res.outcome[0] == VERTEX and res.certified[0]
    assert res.vertex[0].tolist() == [1, 1, 1]
    assert res.t_final[0] < 1.0  # stopped early, long before the horizon


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 10_000), shape=st.sampled_from([(2, 2), (2, 2, 2), (3, 2, 2)]))
def test_certified_vertices_are_where_the_full_trajectory_ends(seed, shape):
    rng = np.random.default_rng(seed)
    payoffs = rng.integers(-3, 4, size=(1, len(shape), *shape)).astype(float)
    x0 = [rng.dirichlet(np.ones(m), size=8) for m in shape]
    early = integrate_batch(payoffs, x0, t_max=200)
    full = integrate_batch(payoffs, x0, t_max=200, stop_early=False)
    for b in np.flatnonzero(early.certified):
        assert full.outcome[b] == VERTEX
        assert full.vertex[b].tolist() == early.vertex[b].tolist()


def test_result_fields_and_counts():
    res = integrate_batch(COORDINATION, [np.array([[0.9, 0.1], [0.1, 0.9]]), np.array([0.8, 0.2])], t_max=50)
    assert res.counts() == {"vertex": 2, "rest point": 0, "cycling": 0, "not converged": 0}
    assert [x.shape for x in res.final] == [(2, 2), (2, 2)]
    assert res.profile(0) == (0, 0) and res.state(1)[0].shape == (2,)
    assert res.method.startswith("vectorised Dormand-Prince")
    assert res.rtol == 1e-6 and res.atol == 1e-8
    assert "vertex: 2" in repr(res)


@pytest.mark.parametrize(
    "payoffs, initial, message",
    [
        (COORDINATION, [np.array([0.5, 0.6]), np.array([0.5, 0.5])], "sum to 1"),
        (COORDINATION, [np.array([1.5, -0.5]), np.array([0.5, 0.5])], "non-negative"),
        (COORDINATION, [np.array([0.5, 0.5])], "one array per player"),
        (COORDINATION, [np.array([0.2, 0.3, 0.5]), np.array([0.5, 0.5])], "shape"),
        (np.repeat(COORDINATION, 3, axis=0), [np.ones((2, 2)) / 2, np.ones((2, 2)) / 2], "broadcast"),
        (np.full((1, 2, 2, 2), np.nan), [np.array([0.5, 0.5])] * 2, "finite"),
        (np.zeros((2, 2)), [np.array([0.5, 0.5])] * 2, "shape"),
    ],
)
def test_bad_input_gets_one_clear_error(payoffs, initial, message):
    with pytest.raises(TripartiteError, match=message):
        integrate_batch(payoffs, initial)


def test_bad_horizon_and_tolerances():
    x0 = [np.array([0.5, 0.5])] * 2
    with pytest.raises(TripartiteError, match="t_max"):
        integrate_batch(COORDINATION, x0, t_max=0)
    with pytest.raises(TripartiteError, match="rtol"):
        integrate_batch(COORDINATION, x0, rtol=0)
    with pytest.raises(TripartiteError, match="n_eval"):
        integrate_batch(COORDINATION, x0, n_eval=1)
