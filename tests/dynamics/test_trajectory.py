"""One trajectory: the single-trajectory front of the one integrator.

Checked against closed forms (separatrices, invariant faces), against
scipy's solve_ivp at tight tolerances, and for the promise of the one
integrator: the same state gives the same outcome word in ``trajectory``,
``integrate_batch`` and ``basins``' status quo.
"""

import numpy as np
import pytest

from tripartite import load_model
from tripartite.dynamics import DEFAULT_T_MAX
from tripartite.dynamics.basins import basins
from tripartite.dynamics.batch import OUTCOMES, integrate_batch
from tripartite.dynamics.paths import trajectory
from tripartite.errors import TripartiteError
from tripartite.game import Game

from ..conftest import random_game
from .reference import solve_ivp_shares

COORDINATION = Game.from_array(np.array([[[2, 0], [0, 1]], [[2, 0], [0, 1]]], dtype=float))
PENNIES = Game.from_array(np.array([[[1, -1], [-1, 1]], [[-1, 1], [1, -1]]], dtype=float))


def test_coordination_game_goes_to_the_side_of_the_separatrix():
    # the interior rest point is (1/3, 1/3); the diagonal is invariant by symmetry
    up = trajectory(COORDINATION, [[0.4, 0.6], [0.4, 0.6]], t_max=100)
    down = trajectory(COORDINATION, [[0.3, 0.7], [0.3, 0.7]], t_max=100)
    assert up.outcome == down.outcome == "vertex"
    assert up.profile == {"P1": "s1", "P2": "s1"}
    assert down.profile == {"P1": "s2", "P2": "s2"}


def test_matching_pennies_orbits_are_reported_as_cycling_never_as_a_limit():
    # H = log x(1-x) + log y(1-y) is conserved: the orbit is closed and never converges
    tr = trajectory(PENNIES, [[0.8, 0.2], [0.5, 0.5]], t_max=50)
    assert tr.outcome == "cycling"
    assert tr.profile is None and not tr.certified
    x, y = tr.shares(0)[:, 0], tr.shares(1)[:, 0]
    h = np.log(x * (1 - x)) + np.log(y * (1 - y))
    np.testing.assert_allclose(h, h[0], atol=1e-4)  # the drift of rtol = 1e-6 over five orbits


def test_zero_shares_stay_zero():
    tr = trajectory(COORDINATION, [[0.0, 1.0], [0.9, 0.1]], t_max=50)
    assert np.all(tr.shares(0)[:, 0] == 0.0)
    assert tr.profile == {"P1": "s2", "P2": "s2"}


@pytest.mark.parametrize("case", ["baseline", "3x3x3"])
def test_final_state_agrees_with_solve_ivp_at_rtol_1e_10(case):
    if case == "baseline":
        model = load_model("baseline")
        game, x0 = model.game(), model.initial_state
    else:
        game = random_game((3, 3, 3), seed=4)
        x0 = [[0.2, 0.3, 0.5], [0.6, 0.2, 0.2], [1 / 3, 1 / 3, 1 / 3]]
    tr = trajectory(game, x0, t_max=200.0)  # stops once convergence to a vertex is certified
    assert tr.outcome == "vertex" and tr.certified and tr.times[-1] < tr.t_max
    ref = solve_ivp_shares(game.payoffs[0], x0, [tr.times[-1]], rtol=1e-10, atol=1e-12)[-1]
    np.testing.assert_allclose(np.concatenate(tr.final), ref, atol=1e-6, rtol=0)
    # and the recorded path at every output time, at tight tolerances
    tight = trajectory(game, x0, t_max=tr.times[-1], n_eval=9, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(tight.states, solve_ivp_shares(game.payoffs[0], x0, tight.times), atol=1e-7)


def test_path_agrees_with_solve_ivp_on_a_random_three_player_game():
    g = random_game((2, 2, 2), seed=0, batch=1)
    x0 = [[0.3, 0.7], [0.6, 0.4], [0.5, 0.5]]
    tr = trajectory(g, x0, t_max=2.0, n_eval=5, stop_at_stable_vertex=False)
    np.testing.assert_allclose(tr.times, [0.0, 0.5, 1.0, 1.5, 2.0])
    np.testing.assert_allclose(tr.states, solve_ivp_shares(g.payoffs[0], x0, tr.times), atol=1e-6)


def test_bad_initial_state_gets_the_kernel_message():
    with pytest.raises(TripartiteError, match="non-negative and sum to 1 .within 1e-06.; they sum to 1.1"):
        trajectory(COORDINATION, [[0.5, 0.6], [0.5, 0.5]])
    with pytest.raises(TripartiteError, match="needs 2 shares"):
        trajectory(COORDINATION, [[1.0], [0.5, 0.5]])
    with pytest.raises(TripartiteError, match="t_max"):
        trajectory(COORDINATION, [[0.5, 0.5], [0.5, 0.5]], t_max=0)


def test_one_rule_for_a_state_off_the_simplex_by_rounding():
    # 1 + 5e-7 is within the one tolerance (1e-6) everywhere, 1 + 2e-6 is outside it everywhere
    close = [[0.5 + 5e-7, 0.5], [0.5, 0.5]]
    far = [[0.5 + 2e-6, 0.5], [0.5, 0.5]]
    tr = trajectory(COORDINATION, close, t_max=5)
    np.testing.assert_allclose(tr.states[0].sum(), 2.0, rtol=1e-15)  # renormalised
    res = integrate_batch(COORDINATION, [np.array(x) for x in close], t_max=5)
    assert res.labels()[0] == tr.outcome
    messages = []
    for run in (
        lambda: trajectory(COORDINATION, far),
        lambda: integrate_batch(COORDINATION, [np.array(x) for x in far]),
        lambda: basins(COORDINATION, 10, status_quo=far),
    ):
        with pytest.raises(TripartiteError) as err:
            run()
        messages.append(str(err.value))
    assert len(set(messages)) == 1 and "within 1e-06" in messages[0]


def test_early_stop_keeps_times_and_states_aligned():
    tr = trajectory(COORDINATION, [[0.9, 0.1], [0.9, 0.1]], t_max=100)
    assert tr.outcome == "vertex" and tr.certified
    assert tr.times[-1] < 100 and tr.t_max == 100  # stopped at the stable vertex
    assert len(tr.times) == len(tr.states) == len(tr.shares(0))
    assert np.all(np.diff(tr.times) > 0)
    np.testing.assert_array_equal(tr.states[-1], np.concatenate(tr.final))


def test_default_horizon_is_the_package_default():
    tr = trajectory(PENNIES, [[0.8, 0.2], [0.5, 0.5]], n_eval=None)
    assert tr.t_max == DEFAULT_T_MAX == 50.0 and tr.times.tolist() == [0.0, 50.0]


def test_a_batched_game_needs_point_and_the_result_records_it():
    model = load_model("baseline")
    game = model.game(nu=[0.0, 0.5, 1.0])
    with pytest.raises(TripartiteError, match=r"this game has 3: pass point= .0 to 2. or .* game\.take"):
        trajectory(game, model.initial_state)
    tr = trajectory(game, model.initial_state, point=2)
    alone = trajectory(game.take([2]), model.initial_state)
    assert tr.point == 2 and alone.point == 0
    np.testing.assert_array_equal(tr.states, alone.states)
    assert tr.game.parameters["nu"].tolist() == [1.0]
    with pytest.raises(TripartiteError, match="out of range"):
        trajectory(game, model.initial_state, point=3)


def test_batch_rows_are_trajectories_of_the_same_family():
    starts = [np.array([[0.4, 0.6], [0.3, 0.7], [0.8, 0.2]]), np.array([[0.4, 0.6], [0.3, 0.7], [0.5, 0.5]])]
    res = integrate_batch(COORDINATION, starts, t_max=30, n_eval=31, stop_early=True)
    for b in range(3):
        row = res.trajectory(b)
        alone = trajectory(COORDINATION, [x[b] for x in starts], t_max=30, n_eval=31)
        assert row.outcome == alone.outcome == OUTCOMES[res.outcome[b]]
        assert row.profile == alone.profile and row.point == 0
        np.testing.assert_allclose(row.states, alone.states, atol=1e-12)
        np.testing.assert_allclose(row.times, alone.times)
    # one state at several points: the row's point is its index
    model = load_model("baseline")
    points = integrate_batch(model.game(nu=[0.0, 1.0]), [np.array(x) for x in model.initial_state])
    assert points.trajectory(1).point == 1 and points.trajectory(1).game.parameters["nu"].tolist() == [1.0]


def test_recording_a_path_changes_no_step_and_no_outcome():
    rng = np.random.default_rng(5)
    payoffs = rng.normal(size=(1, 3, 2, 3, 2))
    x0 = [rng.dirichlet(np.ones(m), size=20) for m in (2, 3, 2)]
    plain = integrate_batch(payoffs, x0, t_max=40, stop_early=False)
    recorded = integrate_batch(payoffs, x0, t_max=40, n_eval=17)
    np.testing.assert_array_equal(plain.steps, recorded.steps)
    np.testing.assert_array_equal(plain.outcome, recorded.outcome)
    for a, b in zip(plain.final, recorded.final):
        np.testing.assert_allclose(a, b, rtol=0, atol=1e-14)
    for a, b in zip(recorded.paths, recorded.final):  # the last output time is the end
        np.testing.assert_allclose(a[:, -1], b, atol=1e-12)


def test_to_record_has_the_status_quo_keys():
    model = load_model("baseline")
    rec = trajectory(model.game(), model.initial_state).to_record()
    assert set(rec) >= {
        "initial_state",
        "t_max",
        "outcome",
        "profile",
        "final_state",
        "method",
        "rtol",
        "point",
    }
    assert rec["initial_state"] == {
        "government": {"active": 0.3, "passive": 0.7},
        "platform": {"share": 0.2, "shirk": 0.8},
        "worker": {"enroll": 0.3, "lapse": 0.7},
    }
    assert rec["t_max"] == DEFAULT_T_MAX and rec["outcome"] == "vertex" and rec["point"] == 0
    assert rec["profile"] == {"government": "passive", "platform": "shirk", "worker": "lapse"}
    assert rec["final_state"]["worker"]["lapse"] == pytest.approx(1.0, abs=1e-4)
    assert rec["method"].startswith("vectorised Dormand-Prince") and rec["rtol"] == 1e-6
    cycling = trajectory(PENNIES, [[0.8, 0.2], [0.5, 0.5]], 60).to_record()
    assert set(cycling) == set(rec) and cycling["profile"] is None and cycling["outcome"] == "cycling"


@pytest.mark.parametrize(
    "values", [{}, pytest.param({"f": 400.0}, marks=pytest.mark.slow)], ids=["defaults", "f=400"]
)
def test_trajectory_batch_and_basins_give_one_outcome_word(values):
    # before the one integrator, solve said "not converged" (t = 20) and basins "cycling" (t = 200) at f = 400
    model = load_model("baseline")
    game = model.game(values)
    single = trajectory(game, model.initial_state, n_eval=None)
    batch = integrate_batch(game, [np.array(x) for x in model.initial_state])
    status_quo = basins(game, 1, status_quo=model.initial_state, push=False).status_quo
    expected = "cycling" if values else "vertex"
    assert single.outcome == batch.labels()[0] == status_quo.outcome == expected
    assert single.t_max == batch.t_max == status_quo.t_max == DEFAULT_T_MAX
