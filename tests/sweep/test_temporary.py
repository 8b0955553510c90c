"""Temporary programmes: the minimal duration against a closed form, honest infeasibility, verification.

The hand-worked game: two populations play a coordination game (``A`` for
both on ``a``, ``B`` for both on ``b``), and a lever ``bonus`` pays ``bonus``
to whoever plays ``a``.  From a symmetric state the diagonal ``x = y`` is
invariant and the share ``x`` of ``a`` follows

    dx/dt = x (1 - x) (c x + d),   c = A + B,  d = bonus - B.

At ``bonus = 0`` the saddle ``x* = B / (A + B)`` separates the basins on the
diagonal (above it: both play ``a``).  Holding ``bonus`` from ``x0 < x*``
ends in the basin of ``(a, a)`` exactly when ``x(tau) > x*``, so the minimal
duration is the time from ``x0`` to ``x*`` under the bonus, by partial fractions

    tau* = F(x*) - F(x0),  F(x) = ln x / d - ln(1 - x) / (c + d) - c ln(c x + d) / (d (c + d)).
"""

import argparse
import json
import math

import numpy as np
import pytest

from tripartite import load_model
from tripartite.cli.temporary import add_temporary_arguments, run_temporary
from tripartite.dynamics.batch import integrate_batch
from tripartite.dynamics.schedules import GameSchedule
from tripartite.dynamics.stability import vertex_stability
from tripartite.errors import TripartiteError
from tripartite.sweep.temporary import minimal_duration, temporary_programme

A, B, X0 = 2.0, 1.0, 0.2

COORDINATION = f"""
name = "coordination with a bonus"
[players]
row = ["a", "b"]
col = ["a", "b"]
[parameters]
A = {{ value = {A}, min = 0 }}
B = {{ value = {B}, min = 0 }}
bonus = {{ value = 0, min = 0, max = 5 }}
rot = {{ value = 0, min = 0, max = 10 }}
[payoffs]
"a, a" = ["A + bonus + rot", "A + bonus - rot"]
"a, b" = ["bonus - rot", "rot"]
"b, a" = ["-rot", "bonus + rot"]
"b, b" = ["B + rot", "B - rot"]
[initial_state]
row = [{X0}, {1 - X0}]
col = [{X0}, {1 - X0}]
"""


@pytest.fixture(scope="module")
def coordination(tmp_path_factory):
    path = tmp_path_factory.mktemp("temporary") / "coordination.toml"
    path.write_text(COORDINATION, encoding="utf-8")
    return load_model(path)


def closed_form(bonus: float, x0: float = X0) -> float:
    c, d = A + B, bonus - B
    star = B / (A + B)

    def F(x):
        return math.log(x) / d - math.log(1 - x) / (c + d) - c * math.log(c * x + d) / (d * (c + d))

    return F(star) - F(x0)


@pytest.mark.parametrize(
    "bonus", [pytest.param(0.5, marks=pytest.mark.slow), 2.0, pytest.param(5.0, marks=pytest.mark.slow)]
)
def test_minimal_duration_matches_the_closed_form(coordination, bonus):
    found = minimal_duration(coordination, {"bonus": bonus}, target="a,a")
    expected = closed_form(bonus)
    lo, hi = found.bracket
    assert lo <= expected * (1 + 1e-6) and hi >= expected * (1 - 1e-6)  # the bracket holds the switch
    assert found.duration == pytest.approx(expected, rel=2e-3)
    assert found.monotone and found.switches == 1


def test_a_bonus_too_small_never_crosses_the_separatrix(coordination):
    # bonus <= B - (A + B) x0 = 0.4: the bonus's own rest point x = (B - bonus) / (A + B) >= x0 blocks the way
    found = minimal_duration(coordination, {"bonus": 0.3}, target="a,a")
    assert found.duration is None and found.bracket is None


@pytest.mark.slow
def test_success_is_not_assumed_monotone_in_the_duration(coordination):
    # a strong matching-pennies term makes the state circle: it enters and leaves the basin of (a, a)
    found = minimal_duration(coordination, {"rot": 6.0}, target="a,a", horizon=10.0)
    assert not found.monotone and found.switches >= 2
    base = coordination.game()
    game = GameSchedule((0.0, found.duration), (coordination.game(rot=6.0), base))
    res = integrate_batch(game, coordination.initial_state, found.duration + 50)
    assert res.certified[0] and res.profile(0) == (0, 0)


@pytest.mark.slow
def test_the_cheapest_bonus_programme_is_at_the_closed_form_optimum(coordination):
    # cost = bonus * tau*(bonus) (weight 1: the bonus is the row player's payoff), decreasing in the bonus
    # towards ln 2 as bonus -> inf, so the optimum on [0, 5] is the largest bonus
    bonuses = np.linspace(0.45, 5, 200)
    costs = [b * closed_form(b) for b in bonuses]
    assert np.all(np.diff(costs) < 0)
    p = temporary_programme(coordination, ["bonus"], target="a,a")
    assert p.feasible and p.verified and p.optimality == "grid+refine (local)"
    assert p.levers["bonus"] > 4.9  # the local refinement stops within 1 % of the search range
    assert p.cost == pytest.approx(5.0 * closed_form(5.0), rel=1e-3)
    assert p.duration == pytest.approx(closed_form(p.levers["bonus"]), rel=2e-3)
    assert p.weights == {"bonus": 1.0}


@pytest.mark.slow
def test_no_temporary_programme_at_baselines_defaults():
    model = load_model("baseline")
    game = model.game()
    stable = [tuple(v) for v in np.argwhere(vertex_stability(game).stable[0])]
    status = integrate_batch(game, model.initial_state, 50.0)
    others = [v for v in stable if v != status.profile(0)]
    assert others == []  # the issue's premise: at the defaults only the low state is stable
    p = temporary_programme(model, ["phi"])
    assert not p.feasible and "permanent" in p.reason
    rec = p.to_record()
    assert rec["programme"] is None and rec["permanent"].startswith("tripartite escape")


def test_a_target_that_is_not_stable_is_refused_honestly(coordination):
    p = temporary_programme(coordination, ["bonus"], target="a,b")
    assert not p.feasible and "not asymptotically stable" in p.reason


@pytest.mark.slow
def test_the_issues_bistable_baseline_programme_is_verified_and_minimal():
    model = load_model("baseline")
    values = {"nu": 0.25, "k": 0.2}
    p = temporary_programme(model, ["phi"], values=values)
    assert p.feasible and p.verified and p.monotone
    # independently: held 10 % shorter, the same programme leaves the status quo where it was
    games = GameSchedule((0.0, 0.9 * p.duration), (model.game(values, **p.levers), model.game(values)))
    res = integrate_batch(games, model.initial_state, 60.0)
    assert res.profile(0) == integrate_batch(model.game(values), model.initial_state, 60.0).profile(0)
    target = tuple(model.strategies[i].index(s) for i, s in enumerate(p.target.values()))
    assert vertex_stability(model.game(values)).stable[(0, *target)]


def _parser():
    parser = argparse.ArgumentParser()
    parser.add_argument("model", nargs="?", default="baseline")
    parser.add_argument("--levers")
    parser.add_argument("--target")
    parser.add_argument("--from", dest="low")
    parser.add_argument("--cost", action="append", default=[])
    parser.add_argument("--set", dest="sets", action="append", default=[])
    parser.add_argument("--json", action="store_true")
    add_temporary_arguments(parser)
    return parser


def test_cli_reports_infeasible_at_defaults_with_provenance(capsys):
    args = _parser().parse_args(["baseline", "--temporary", "--levers", "phi", "--json"])
    assert run_temporary(args) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["model"] == "baseline" and "method" in data and data["feasible"] is False
    assert data["programme"] is None and "permanent" in data["reason"]


@pytest.mark.slow
def test_cli_programme_fields(coordination, capsys):
    args = _parser().parse_args(
        [
            str(coordination.source),
            "--temporary",
            "--levers",
            "bonus",
            "--cost",
            "bonus=2",
            "--json",
            "--horizon",
            "20",
        ]
    )
    run_temporary(args)
    data = json.loads(capsys.readouterr().out)
    prog = data["programme"]
    assert set(prog) >= {"levers", "duration", "cost", "target", "verified"}
    assert prog["target"] == {"row": "a", "col": "a"} and prog["verified"]
    assert prog["cost"] == pytest.approx(prog["duration"] * 2 * prog["levers"]["bonus"])
    assert data["weights"] == {"bonus": 2.0} and data["horizon"] == 20.0


@pytest.mark.parametrize(
    "argv, message",
    [
        (["--horizon", "0"], "--horizon"),
        (["--levers", "nonsense"], "nonsense"),
        (["--levers", "phi", "--cost", "nu=1"], "not one of the levers"),
        (["--from", "low"], "starts from the model's status quo"),
    ],
)
def test_cli_bad_options_raise_one_message(argv, message):
    args = _parser().parse_args(["baseline", "--temporary", *argv])
    with pytest.raises(TripartiteError, match=message):
        run_temporary(args)


def test_sweep_trajectories_follow_a_schedule():
    # at every point of the sweep the trajectory follows the schedule: the same end as trajectory() on
    # the schedule at that point; the programme ends the low state only where high is also stable
    from tripartite.dynamics.paths import trajectory
    from tripartite.dynamics.schedules import Schedule
    from tripartite.sweep import grid
    from tripartite.sweep.runner import sweep

    model = load_model("baseline")
    schedule = Schedule.parse(["phi=0:1,0.05:0"])
    design = grid(model, {"k": "0:0.5:6"})
    table = sweep(model, design, values={"nu": 0.25}, initial="status quo", schedule=schedule).table
    games = schedule.games(model, {"nu": 0.25, "k": np.asarray(table["k"], dtype=float)})
    for b, row in table.iterrows():
        end = trajectory(games, model.initial_state, point=b, n_eval=None)
        assert row["reached"] == (
            "high" if end.profile == dict(zip(model.players, ("passive", "share", "enroll"))) else "low"
        )
        assert (row["reached"] == "high") == (row["regime"] == "low and high (bistable)")
    with pytest.raises(TripartiteError, match="both varied and scheduled"):
        sweep(
            model, grid(model, {"phi": "0:1:3"}), initial="status quo", schedule=Schedule.parse(["phi=0:1"])
        )
