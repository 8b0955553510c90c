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
from tripartite.sweep.temporary import minimal_duration, programme_fiscal_cost, temporary_programme

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


# --- the cost in money (issue 13): the purse pays the bonus to whoever plays a ---------------------------

FISCAL = """
[fiscal]
unit = "yuan"
[fiscal.budget]
"a, a" = "-2*bonus"
"a, b" = "-bonus"
"b, a" = "-bonus"
"b, b" = "0"
"""


@pytest.fixture(scope="module")
def coordination_fiscal(tmp_path_factory):
    path = tmp_path_factory.mktemp("temporary") / "coordination_fiscal.toml"
    path.write_text(COORDINATION + FISCAL, encoding="utf-8")
    return load_model(path)


def closed_form_cost(bonus: float, x0: float = X0) -> float:
    """The purse pays 2*bonus*x on the diagonal (x = y), none without the programme, until x = x*:
    int x dt = int dx / ((1 - x)(c x + d)) = [ln(c x + d) - ln(1 - x)] / (c + d)."""
    c, d = A + B, bonus - B
    star = B / (A + B)
    return 2 * bonus / (c + d) * (math.log((1 - x0) / (1 - star)) + math.log((c * star + d) / (c * x0 + d)))


@pytest.mark.slow
def test_the_cheapest_programme_is_priced_in_money(coordination_fiscal):
    cost = programme_fiscal_cost(coordination_fiscal, {"bonus": 2.0}, closed_form(2.0))
    assert cost == pytest.approx(closed_form_cost(2.0), rel=1e-6)  # 2 ln 1.5 / 3 = 0.2703
    p = temporary_programme(coordination_fiscal, ["bonus"])
    assert p.feasible and p.verified and p.cost_unit.startswith("yuan x t") and p.weights == {}
    bonus = p.levers["bonus"]
    # the minimal duration at that bonus, and its fiscal cost, in closed form
    assert p.duration == pytest.approx(closed_form(bonus), rel=2e-4)
    assert p.cost == pytest.approx(closed_form_cost(bonus), rel=1e-3) and p.cost > 0
    assert p.fiscal_after == 0  # after it nobody is paid: (a, a) and (b, b) both bring in nothing


@pytest.mark.slow
def test_a_lever_without_fiscal_weight_is_not_free_against_solve_ivp():
    # phi (contributions matched to income) touches no budget line, yet while it is held the
    # workers who enrol pay contributions and accrue entitlements: the cost is the difference of
    # the purse's expected receipts along the two paths, checked by solve_ivp and quad
    from scipy.integrate import quad, solve_ivp

    from tripartite.game import payoff_vectors

    model = load_model("baseline")
    values = {"nu": 0.25, "k": 0.2}
    tau = 0.01
    cost = programme_fiscal_cost(model, {"phi": 1.0}, tau, values=values)
    point = {**model.defaults(), **values}
    shape = model.shape

    def receipts_table(at):
        return {
            v: float(model.fiscal.budget[v].xreplace(model.state_values(v)).subs(
                {model.symbols[n]: x for n, x in at.items()}
            ))
            for v in model.profiles()
        }  # fmt: skip

    def path(at):
        u = model.game(at).payoffs
        cuts = np.cumsum([0, *shape])

        def rhs(t, y):
            xs = [y[cuts[i] : cuts[i + 1]][None, :] for i in range(len(shape))]
            vs = payoff_vectors(u, xs)
            return np.concatenate([x[0] * (v[0] - x[0] @ v[0]) for x, v in zip(xs, vs)])

        y0 = np.concatenate([np.asarray(x, dtype=float) for x in model.initial_state])
        return solve_ivp(rhs, (0, tau), y0, rtol=1e-11, atol=1e-13, dense_output=True).sol

    def expected(sol, table):
        def f(t):
            y = sol(t)
            xs = np.split(y, np.cumsum(shape)[:-1])
            return sum(F * np.prod([xs[i][k] for i, k in enumerate(v)]) for v, F in table.items())

        return f

    with_it, without = {**point, "phi": 1.0}, point
    f1 = expected(path(with_it), receipts_table(with_it))
    f0 = expected(path(without), receipts_table(without))
    want = quad(lambda t: f0(t) - f1(t), 0, tau, epsabs=1e-12, limit=200)[0]
    assert cost == pytest.approx(want, rel=1e-5) and abs(cost) > 0.1


def test_money_search_never_buys_the_target_with_a_tax_rise():
    # the purse's receipts fall with the subsidy s and rise with the contribution c and the
    # premium m (baseline's [fiscal] table): only raising s, lowering c and m are searched
    from tripartite.sweep.levers import current_values
    from tripartite.sweep.temporary import _costly_sides

    model = load_model("baseline")
    start = [np.asarray(x, dtype=float) for x in model.initial_state]
    ranges = {"s": (0.0, 500.0), "c": (0.0, 2000.0), "m": (0.0, 300.0), "phi": (0.0, 1.0)}
    sides = _costly_sides(model, current_values(model, {}), start, ranges)
    assert sides == {"s": (100.0, 500.0), "c": (0.0, 700.0), "m": (0.0, 60.0), "phi": (0.0, 1.0)}
