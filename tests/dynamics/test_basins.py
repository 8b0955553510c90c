"""Basins of attraction against closed forms; confidence intervals; push thresholds."""

import numpy as np
import pytest
from scipy import integrate, optimize, stats

from tripartite import load_model
from tripartite.dynamics.basins import (
    basins,
    binomial_interval,
    push_threshold,
    simplex_grid,
    uniform_states,
)
from tripartite.dynamics.batch import integrate_batch
from tripartite.errors import TripartiteError
from tripartite.game import Game

# A 2x2 coordination game: player 1 gets a1 at (s1, s1) and b1 at (s2, s2), player 2 a2 and b2.
A1, B1, A2, B2 = 2.0, 1.0, 1.0, 3.0
COORDINATION = Game.from_array(
    np.array([[[A1, 0], [0, B1]], [[A2, 0], [0, B2]]], dtype=float), players=["row", "col"]
)
X_STAR, Y_STAR = B2 / (A2 + B2), B1 / (A1 + B1)  # the interior saddle


# With x, y the shares of the first strategies, x' = x(1-x)((A1+B1)y - B1) and
# y' = y(1-y)((A2+B2)x - B2), so H = F1(y) - F2(x) is conserved, where
# F1(y) = -B1 log y - A1 log(1-y) and F2(x) = -B2 log x - A2 log(1-x).  The separatrix is the
# branch of the level set through the saddle that runs from (0, 1) to (1, 0).
def _f1(y):
    return -B1 * np.log(y) - A1 * np.log1p(-y)


def _f2(x):
    return -B2 * np.log(x) - A2 * np.log1p(-x)


LEVEL = _f1(Y_STAR) - _f2(X_STAR)


def separatrix(x: float) -> float:
    """Height of the separatrix above ``x``: the basin of (s1, s1) lies above it."""
    if np.isclose(x, X_STAR):
        return Y_STAR
    target = _f2(x) + LEVEL
    if x < X_STAR:  # the branch above the saddle's height
        return optimize.brentq(lambda y: _f1(y) - target, Y_STAR, 1 - 1e-15, xtol=1e-14)
    return optimize.brentq(lambda y: _f1(y) - target, 1e-300, Y_STAR, xtol=1e-14)


EXACT_SHARE_HIGH = integrate.quad(lambda x: 1 - separatrix(x), 0, 1, points=[X_STAR], limit=200)[0]


def test_the_closed_form_separatrix_is_invariant():
    # sanity check of the reference itself: H is conserved along a numerical trajectory
    x0, y0 = 0.3, separatrix(0.3) + 0.05
    res = integrate_batch(
        COORDINATION, [np.array([x0, 1 - x0]), np.array([y0, 1 - y0])], 0.5, n_eval=6, rtol=1e-10
    )
    xs, ys = res.paths[0][0][:, 0], res.paths[1][0][:, 0]
    h = _f1(ys) - _f2(xs)
    np.testing.assert_allclose(h, h[0], rtol=1e-7)


@pytest.mark.parametrize("interval", ["wilson", "clopper-pearson"])
def test_monte_carlo_shares_match_the_closed_form_within_their_interval(interval):
    result = basins(COORDINATION, 3000, seed=7, interval=interval)
    high, low = result.stable
    assert high.profile == (0, 0) and low.profile == (1, 1)
    assert high.low <= EXACT_SHARE_HIGH <= high.high
    assert low.low <= 1 - EXACT_SHARE_HIGH <= low.high
    assert result.not_converged.count == 0 and result.samples == 3000
    assert high.count + low.count == 3000


def test_every_grid_state_goes_to_the_side_of_the_separatrix_it_starts_on():
    result = basins(COORDINATION, grid=40)
    xs = result.trajectories.final  # noqa: F841 - the final states are checked through the outcomes
    start = simplex_grid(COORDINATION.shape, 40)
    x, y = start[0][:, 0], start[1][:, 0]
    heights = np.array([separatrix(v) for v in x])
    clear = np.abs(y - heights) > 1e-3
    expected = np.where(y > heights, 0, 1)
    got = result.trajectories.vertex[:, 0]
    assert clear.sum() > 1400
    assert np.array_equal(got[clear], expected[clear])
    assert result.stable[0].low is None  # a grid is not a sample: no interval
    assert abs(result.stable[0].share - EXACT_SHARE_HIGH) < 0.02


@pytest.mark.parametrize("k, n", [(0, 10), (3, 10), (50, 100), (997, 1000), (20, 20)])
@pytest.mark.parametrize("confidence", [0.9, 0.95])
def test_intervals_match_scipy(k, n, confidence):
    ci = stats.binomtest(k, n).proportion_ci(confidence_level=confidence, method="wilson")
    assert binomial_interval(k, n, confidence, "wilson") == pytest.approx((ci.low, ci.high), abs=1e-12)
    ci = stats.binomtest(k, n).proportion_ci(confidence_level=confidence, method="exact")
    assert binomial_interval(k, n, confidence, "clopper-pearson") == pytest.approx(
        (ci.low, ci.high), abs=1e-12
    )


def test_interval_errors():
    with pytest.raises(TripartiteError, match="unknown interval"):
        binomial_interval(1, 2, method="normal")
    with pytest.raises(TripartiteError, match="at least one sample"):
        binomial_interval(0, 0)
    with pytest.raises(TripartiteError, match="unknown interval"):
        basins(COORDINATION, 10, interval="agresti")


def test_cycling_game_has_no_basins_and_reports_non_convergence():
    pennies = Game.from_array(np.array([[[1, -1], [-1, 1]], [[-1, 1], [1, -1]]], dtype=float))
    result = basins(pennies, 200, t_max=200)  # orbits near the boundary have long periods
    assert result.stable == []
    assert result.not_converged.share == 1.0
    assert result.counts["cycling"] == 200


def test_uniform_states_are_uniform_on_the_simplex():
    x = uniform_states((3,), 20_000, seed=3)[0]
    assert np.allclose(x.sum(axis=1), 1)
    # the first share of a flat Dirichlet(1, 1, 1) is Beta(1, 2)
    assert stats.kstest(x[:, 0], stats.beta(1, 2).cdf).pvalue > 0.01


def test_simplex_grid_has_interior_points_only():
    g = simplex_grid((3, 2), 5)
    assert g[0].shape == (6 * 4, 3) and np.all(g[0] > 0) and np.all(g[1] > 0)
    with pytest.raises(TripartiteError, match="resolution"):
        simplex_grid((3,), 2)


def test_given_initial_states_are_used_as_they_are():
    result = basins(
        COORDINATION, initial=[np.array([[0.9, 0.1], [0.1, 0.9]]), np.array([[0.9, 0.1], [0.1, 0.9]])]
    )
    assert result.sampling == "given" and result.samples == 2
    assert [s.count for s in result.stable] == [1, 1]
    assert result.share({"row": "s1", "col": "s1"}).count == 1
    assert result.share("s2, s1").count == 0


def test_push_threshold_on_the_symmetric_coordination_game():
    g = Game.from_array(np.array([[[1, 0], [0, 1]], [[1, 0], [0, 1]]], dtype=float))
    # both shares move from 0.2 towards 1: 0.4 + 1.6 alpha = 1 on the separatrix x + y = 1
    push = push_threshold(g, [[0.2, 0.8], [0.2, 0.8]], (0, 0), tol=1e-5)
    assert push.alpha == pytest.approx(0.375, abs=2e-5)
    assert push.monotone and push.bracket[0] <= 0.375 <= push.bracket[1]
    assert push.shift == pytest.approx({"P1": 0.8 * push.alpha, "P2": 0.8 * push.alpha})
    # pushing only the first player: 0.2 + 0.8 alpha + 0.2 = 1
    only = push_threshold(g, [[0.2, 0.8], [0.2, 0.8]], ("s1", "s1"), players=["P1"], tol=1e-5)
    assert only.alpha == pytest.approx(0.75, abs=2e-5)
    assert only.shift["P2"] == 0.0


def test_push_threshold_edge_cases():
    g = Game.from_array(np.array([[[1, 0], [0, 1]], [[1, 0], [0, 1]]], dtype=float))
    already = push_threshold(g, [[0.9, 0.1], [0.9, 0.1]], (0, 0))
    assert already.alpha == 0.0
    never = push_threshold(g, [[0.2, 0.8], [0.2, 0.8]], (0, 0), toward=[[0.3, 0.7], [0.3, 0.7]])
    assert never.alpha is None and never.state is None
    with pytest.raises(TripartiteError, match="unknown player"):
        push_threshold(g, [[0.2, 0.8], [0.2, 0.8]], (0, 0), players=["nobody"])
    with pytest.raises(TripartiteError, match="no strategy"):
        push_threshold(g, [[0.2, 0.8], [0.2, 0.8]], ("s1", "s9"))


def test_extended_push_out_of_the_low_equilibrium():
    model = load_model("extended")
    game = model.game()
    push = push_threshold(
        game, model.initial_state, "laissez_faire, share, continuous", players=["platform", "worker"]
    )
    assert 0 < push.alpha < 1
    lo, hi = push.bracket
    start = [np.asarray(x) for x in model.initial_state]
    states = [np.stack([(1 - a) * x + a * y for a in (lo, hi)]) for x, y in zip(start, push.toward)]
    ends = integrate_batch(game, states, 200)
    assert ends.profile(0) == (1, 1, 1)  # just short of the push: still the low equilibrium
    assert ends.profile(1) == (2, 0, 0)  # the push: the high one


def test_basins_with_a_status_quo_answer_the_policy_question_in_one_record():
    g = Game.from_array(np.array([[[1, 0], [0, 1]], [[1, 0], [0, 1]]], dtype=float))
    plain = basins(g, grid=10, t_max=200.0).to_record()
    result = basins(g, grid=10, t_max=200.0, status_quo=[[0.2, 0.8], [0.2, 0.8]])
    rec = result.to_record()
    assert set(rec) == set(plain)  # the same keys whatever the options
    assert plain["status_quo"] is None and plain["push"] == []
    assert rec["sampling"] == "regular grid of interior states, shares in steps of 1/10"
    assert rec["samples"] == 81 and rec["seed"] is None and rec["t_max"] == 200.0
    assert [s["profile"] for s in rec["stable_states"]] == [
        {"P1": "s1", "P2": "s1"},
        {"P1": "s2", "P2": "s2"},
    ]
    assert rec["stable_states"][0]["strategies"] == {
        "P1": {"s1": 1.0, "s2": 0.0},
        "P2": {"s1": 1.0, "s2": 0.0},
    }
    # the grid is symmetric about the separatrix x + y = 1: 36 states each side, 9 on it (a rest point)
    assert [s["count"] for s in rec["stable_states"]] == [36, 36] and rec["rest_points"]["count"] == 9
    assert rec["stable_states"][0]["ci"] is None and rec["outcomes"]["vertex"] == 72
    sq = rec["status_quo"]
    assert sq["outcome"] == "vertex" and sq["profile"] == {"P1": "s2", "P2": "s2"}
    assert sq["initial_state"] == {"P1": {"s1": 0.2, "s2": 0.8}, "P2": {"s1": 0.2, "s2": 0.8}}
    (push,) = rec["push"]  # only into the basin the status quo does not reach
    assert push["target"] == {"P1": "s1", "P2": "s1"} and push["players"] == ["P1", "P2"]
    assert push["alpha"] == pytest.approx(0.375, abs=1e-4)  # 0.4 + 1.6 alpha = 1
    lo, hi = push["bracket"]
    assert lo <= 0.375 <= hi and hi - lo <= push["tolerance"]
    assert push["shift"] == pytest.approx({"P1": 0.8 * push["alpha"], "P2": 0.8 * push["alpha"]})
    assert push["state"]["P1"]["s1"] == pytest.approx(0.2 + 0.8 * push["alpha"])
    assert result.pushes[0].to_record() == push
    only_p1 = basins(g, grid=4, status_quo=[[0.2, 0.8], [0.2, 0.8]], push_players=["P1"]).to_record()
    assert only_p1["push"][0]["alpha"] == pytest.approx(0.75, abs=1e-4)  # 0.2 + 0.8 alpha + 0.2 = 1
    assert basins(g, grid=4, status_quo=[[0.2, 0.8], [0.2, 0.8]], push=False).to_record()["push"] == []


def test_a_push_that_never_works_has_a_record_with_the_same_keys():
    g = Game.from_array(np.array([[[1, 0], [0, 1]], [[1, 0], [0, 1]]], dtype=float))
    never = push_threshold(g, [[0.2, 0.8], [0.2, 0.8]], (0, 0), toward=[[0.3, 0.7], [0.3, 0.7]]).to_record()
    works = push_threshold(g, [[0.2, 0.8], [0.2, 0.8]], (0, 0)).to_record()
    assert set(never) == set(works)
    assert never["alpha"] is never["bracket"] is never["state"] is never["shift"] is None
    assert never["monotone"] is False


def test_single_point_answers_need_point_on_a_batched_game():
    model = load_model("baseline")
    game = model.game(nu=[0.0, 1.0])
    for run in (
        lambda **kw: basins(game, 20, **kw),
        lambda **kw: push_threshold(game, model.initial_state, (0, 0, 0), scan=3, **kw),
    ):
        with pytest.raises(TripartiteError, match="this game has 2: pass point="):
            run()
        assert run(point=1).point == 1
    assert basins(game, 20, point=1).game.parameters["nu"].tolist() == [1.0]


def test_a_start_state_off_the_simplex_is_refused_with_the_one_message():
    g = Game.from_array(np.array([[[1, 0], [0, 1]], [[1, 0], [0, 1]]], dtype=float))
    with pytest.raises(
        TripartiteError, match=r"start state of 'P1': shares must be non-negative and sum to 1"
    ):
        push_threshold(g, [[0.2, 0.9], [0.2, 0.8]], (0, 0))


def test_basins_under_a_schedule_are_the_basins_of_where_the_first_piece_leaves_the_states():
    # coordination with a bonus for s1 until t = 0.5: basins of (s1, s1) grow; independently, push every
    # sampled state through the first piece and take the plain basins of the game that stays
    from tripartite.dynamics.schedules import GameSchedule

    base = np.array([[[1, 0], [0, 1]], [[1, 0], [0, 1]]], dtype=float)
    bonus = base.copy()
    bonus[0, 0, :] += 0.8  # P1's s1 pays 0.8 more
    bonus[1, :, 0] += 0.8  # P2's s1 too
    game, pushed = Game.from_array(base), Game.from_array(bonus)
    schedule = GameSchedule((0.0, 0.5), (pushed, game))
    states = uniform_states(game.shape, 300, seed=3)
    scheduled = basins(schedule, initial=states)
    moved = integrate_batch(pushed, states, 0.5, stop_early=False)
    plain = basins(game, initial=moved.final)
    assert [s.count for s in scheduled.stable] == [s.count for s in plain.stable]
    assert scheduled.share((0, 0)).share > basins(game, initial=states).share((0, 0)).share
    assert scheduled.to_record()["schedule"] == {"switch_times": [0.5]}
    assert basins(game, initial=states).to_record()["schedule"] is None
