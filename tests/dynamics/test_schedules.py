"""Schedules: parameters piecewise constant in time, integrated piece by piece.

Checked against an independent reference (solve_ivp on each piece, chained
by hand), against two chained runs of the integrator, and for the rules of
the schedule text.
"""

import numpy as np
import pytest

from tripartite import load_model
from tripartite.dynamics.batch import integrate_batch
from tripartite.dynamics.paths import trajectory
from tripartite.dynamics.schedules import GameSchedule, Schedule
from tripartite.errors import TripartiteError

from ..conftest import random_game
from .reference import solve_ivp_shares

BISTABLE = {"nu": 0.25, "k": 0.2}  # the bistable regime of baseline


def test_schedule_text_is_parsed_into_pieces():
    s = Schedule.parse(["phi=0:1,8:0", "k = 2:0.5"])
    assert s.pieces == {"phi": ((0.0, 1.0), (8.0, 0.0)), "k": ((2.0, 0.5),)}
    assert s.switch_times() == (2.0, 8.0)
    assert s.switch_times(t_max=5.0) == (2.0,)
    assert s.values_at(0.0) == {"phi": 1.0}  # k keeps the point's value until t = 2
    assert s.values_at(2.0) == {"phi": 1.0, "k": 0.5}
    assert s.values_at(100.0) == {"phi": 0.0, "k": 0.5}


@pytest.mark.parametrize(
    "text, message",
    [
        ("phi", "expects NAME=T0:V0"),
        ("phi=0:1,8", "TIME:VALUE pairs"),
        ("phi=0:1,x:0", "'x' is not a number"),
        ("phi=8:1,0:0", "times must increase"),
        ("phi=-1:1", "non-negative"),
        ("phi=0:nan", "not a finite number"),
    ],
)
def test_bad_schedule_text_is_refused_with_one_message(text, message):
    with pytest.raises(TripartiteError, match=message):
        Schedule.parse([text])


def test_schedule_values_are_checked_against_the_model():
    model = load_model("baseline")
    with pytest.raises(TripartiteError, match="unknown|no parameter"):
        Schedule.parse(["nonsense=0:1"]).games(model)
    with pytest.raises(TripartiteError, match="outside its admissible range"):
        Schedule.parse(["phi=0:7"]).games(model)


def test_a_schedule_with_one_jump_equals_two_chained_simulations():
    model = load_model("baseline")
    x0 = model.initial_state
    games = Schedule.parse(["phi=0:1,8:0"]).games(model, BISTABLE)
    whole = integrate_batch(games, x0, 30.0, n_eval=31)
    first = integrate_batch(model.game(BISTABLE, phi=1.0), x0, 8.0, n_eval=9, stop_early=False)
    second = integrate_batch(model.game(BISTABLE, phi=0.0), first.state(0), 22.0, n_eval=23)
    for a, b, c in zip(whole.paths, first.paths, second.paths):
        np.testing.assert_allclose(a[0, :9], b[0], rtol=0, atol=1e-13)
        np.testing.assert_allclose(a[0, 8:], c[0], rtol=0, atol=1e-13)
    assert whole.profile(0) == second.profile(0)
    assert whole.certified[0] == second.certified[0]


def test_scheduled_paths_agree_with_solve_ivp_chained_by_hand():
    # a random 2x2x2 game whose payoffs switch at t = 0.7 and t = 1.6
    tables = [random_game((2, 2, 2), seed=s) for s in (1, 2, 3)]
    games = GameSchedule((0.0, 0.7, 1.6), tuple(tables))
    x0 = [[0.3, 0.7], [0.6, 0.4], [0.5, 0.5]]
    res = integrate_batch(games, x0, 2.5, n_eval=6, rtol=1e-10, atol=1e-12, stop_early=False)
    state, ref_rows = x0, []
    # reference: integrate each piece with solve_ivp from the end of the previous one
    for game, (start, end) in zip(tables, [(0.0, 0.7), (0.7, 1.6), (1.6, 2.5)]):
        inside = [t - start for t in res.times if start < t <= end]
        at = [0.0, *inside] + ([] if inside and np.isclose(inside[-1], end - start) else [end - start])
        out = solve_ivp_shares(game.payoffs[0], state, at)
        if start == 0.0:
            ref_rows.append(out[0])
        ref_rows += list(out[1 : 1 + len(inside)])
        state = [out[-1][:2], out[-1][2:4], out[-1][4:]]
    got = np.concatenate([p[0] for p in res.paths], axis=1)
    np.testing.assert_allclose(got, np.array(ref_rows), atol=1e-8, rtol=0)
    np.testing.assert_allclose(np.concatenate(res.state(0)), np.concatenate(state), atol=1e-8)


def test_a_temporary_programme_moves_the_status_quo_for_good_and_is_certified():
    model = load_model("baseline")
    games = Schedule.parse(["phi=0:1,8:0"]).games(model, BISTABLE)
    tr = trajectory(games, model.initial_state, t_max=50.0)
    without = trajectory(model.game(BISTABLE), model.initial_state, t_max=50.0)
    assert tr.outcome == "vertex" and tr.certified and tr.times[-1] > 8.0
    assert tr.profile != without.profile
    rec = tr.to_record()
    assert rec["schedule"] == {"phi": [[0.0, 1.0], [8.0, 0.0]]}
    assert without.to_record()["schedule"] is None


@pytest.mark.slow
def test_schedule_over_many_points_and_states_keeps_rows_apart():
    model = load_model("baseline")
    games = Schedule.parse(["phi=0:1,8:0"]).games(model, {"nu": [0.25, 0.25, 0.0], "k": 0.2})
    assert games.batch_size == 3
    res = integrate_batch(games, model.initial_state, 50.0)
    for b in range(3):
        one = trajectory(games, model.initial_state, 50.0, point=b, n_eval=None)
        assert res.profile(b) == tuple(
            one.game.strategy_index(i, s) for i, s in enumerate(one.profile.values())
        )
    with pytest.raises(TripartiteError, match="point="):
        trajectory(games, model.initial_state)


def test_game_schedule_refuses_inconsistent_games():
    model = load_model("baseline")
    with pytest.raises(TripartiteError, match="begin at 0"):
        GameSchedule((1.0,), (model.game(),))
    with pytest.raises(TripartiteError, match="same players"):
        GameSchedule((0.0, 1.0), (model.game(), random_game((3, 3, 3))))
