"""Thresholds, single-lever escapes and least-cost packages against hand-derived answers."""

import json
from fractions import Fraction as F

import numpy as np
import pytest
import sympy as sp

from tripartite import load_model, read_scenario
from tripartite.sweep import (
    default_levers,
    fiscal_weights,
    least_cost_package,
    single_lever_escapes,
    thresholds,
)
from tripartite.sweep.escape import escape_report
from tripartite.sweep.regimes import classify_points, parse_profile

from ..models.baseline_formulas import low_gains
from .test_regimes import STAG_HUNT

# baseline defaults as exact fractions (MODEL.md / baseline.toml)
D = {
    "K": F(50), "C": F(150), "rho": F(1, 2), "f": F(200), "q": F(1, 5), "d": F(1, 10),
    "p": F(1, 500), "R": F(10000), "r": F(20), "m": F(60),
    "a": F(3, 5), "nu": F(0), "beta": F(7, 10), "B": F(2400), "lam": F(6, 5), "c": F(700),
    "kappa": F(1), "sigma": F(1, 2), "phi": F(0), "h": F(80),
}  # fmt: skip


def hand_thresholds(v):
    """Each gain set to zero and solved for one lever by hand (all linear in that lever)."""
    c_net = v["C"] * (1 - v["rho"] * v["d"])
    q_eff = v["q"] + (1 - v["q"]) * v["d"]
    cost_w = v["lam"] * v["c"] * (1 + v["kappa"] * v["sigma"] * (1 - v["phi"]))
    return {
        "f": (c_net - v["K"]) / q_eff,
        "q": ((c_net - v["K"]) / v["f"] - v["d"]) / (1 - v["d"]),
        "d": (v["C"] - v["K"] - v["q"] * v["f"]) / ((1 - v["q"]) * v["f"] + v["C"] * v["rho"]),
        "m": v["p"] * v["R"] + v["r"],
        "r": v["m"] - v["p"] * v["R"],
        "nu": (cost_w + v["h"] - v["a"] * v["beta"] * v["B"]) / ((1 - v["a"]) * v["beta"] * v["B"] + v["h"]),
        "phi": 1
        - ((v["a"] * v["beta"] * v["B"] - v["h"]) / (v["lam"] * v["c"]) - 1) / (v["kappa"] * v["sigma"]),
        "c": (v["a"] * v["beta"] * v["B"] - v["h"]) / (v["lam"] * (1 + v["kappa"] * v["sigma"])),
    }


@pytest.fixture(scope="module")
def baseline():
    return load_model("baseline")


def test_hand_formulas_are_consistent():
    for lever, value in hand_thresholds(D).items():
        gains = low_gains({**D, lever: value})
        assert 0 in gains, lever  # each hand threshold zeroes one of the gains


@pytest.mark.parametrize("lever", ["f", "q", "d", "m", "r", "nu", "phi", "c"])
def test_single_lever_thresholds_are_exact(baseline, lever):
    expected = hand_thresholds(D)[lever]
    (esc,) = single_lever_escapes(baseline, [lever], trajectories=False)
    assert esc.escapes and esc.method.startswith("exact")
    assert sp.Rational(esc.exact) == sp.Rational(expected.numerator, expected.denominator)
    assert esc.change == pytest.approx(float(expected) - float(D[lever]))
    # beyond the threshold the low profile is no longer stable; before it, it still is
    step = 1e-6 * max(1.0, abs(float(expected)))
    sign = 1 if esc.change > 0 else -1
    before, after = float(expected) - sign * step, float(expected) + sign * step
    reg = classify_points(baseline, {lever: [before, after]})
    low = reg.profiles.index((1, 1, 1))
    assert reg.stable[:, low].tolist() == [True, False]


@pytest.mark.slow
def test_where_the_system_goes(baseline):
    esc = {e.lever: e for e in single_lever_escapes(baseline, ["nu", "m", "f", "rho", "s"])}
    # workers enrol first, platforms share first, or government/platform start cycling
    assert (
        esc["nu"].stable_after == ("passive/shirk/enroll",) and esc["nu"].from_low == "passive/shirk/enroll"
    )
    assert esc["m"].stable_after == ("passive/share/lapse",) and esc["m"].change == -20
    assert str(esc["m"].formula) == "R*p + ell + r"  # MODEL.md: the platform's gain p*R + r - m + ell
    assert esc["f"].regime_after == "no stable vertex" and esc["f"].from_low == "cycling"
    assert not esc["rho"].escapes and "stays stable" in esc["rho"].note
    assert not esc["s"].escapes and "does not enter" in esc["s"].note
    assert default_levers(baseline, [(1, 1, 1)]) == ["c", "phi", "m", "r", "f", "q", "d", "rho", "nu"]


def test_thresholds_along_one_lever(baseline):
    found = thresholds(baseline, "m")
    assert [t.exact for t in found] == [40]
    assert (found[0].below, found[0].above) == ("passive/share/lapse only", "low only")
    # stag hunt along H with S = 4: (hare,hare) stable above 0, (stag,stag) unstable above 4
    stag = read_scenario(STAG_HUNT)
    found = thresholds(stag, "H")
    assert [t.exact for t in found] == [0, 4]
    assert [t.above for t in found] == ["stag/stag and hare/hare (bistable)", "hare/hare only"]


def test_bisection_agrees_with_exact_roots(baseline):
    for lever in ("nu", "d", "c"):
        exact = thresholds(baseline, lever, method="exact")
        approx = thresholds(baseline, lever, method="bisection", xtol=1e-9)
        assert len(exact) == len(approx) == 1
        assert abs(approx[0].value - exact[0].value) <= max(1e-9, approx[0].tolerance)
        assert (approx[0].below, approx[0].above) == (exact[0].below, exact[0].above)


def test_thresholds_fall_back_to_bisection_when_not_rational():
    model = read_scenario(
        """
        [players]
        a = ["x", "y"]
        b = ["x", "y"]
        [parameters]
        z = { value = 1, min = 0, max = 3 }
        [payoffs]
        "x, x" = ["exp(z) - 2", "1"]
        "x, y" = ["0", "0"]
        "y, x" = ["0", "0"]
        "y, y" = ["1", "1"]
        """
    )
    (t,) = thresholds(model, "z", xtol=1e-10)
    assert t.exact is None and t.method.startswith("bisection")
    assert t.value == pytest.approx(np.log(2), abs=1e-9)


def brute_force_cheapest(model, axes, weights, target="high", mu=0.0):
    """Cheapest grid point (by weighted change) where the target is the only stable vertex, with
    margin ``mu``: its largest eigenvalue at most -mu, every other vertex's at least mu."""
    names = list(axes)
    mesh = np.meshgrid(*[axes[n] for n in names], indexing="ij")
    values = {n: m.ravel() for n, m in zip(names, mesh)}
    reg = classify_points(model, values)
    t = reg.profiles.index(parse_profile(model, target))
    others = np.delete(reg.margin, t, axis=0)
    ok = (reg.margin[t] <= -mu) & np.all(others >= mu, axis=0)
    if mu == 0:
        ok = np.array(reg.labels()) == f"{reg.names_of(np.arange(len(reg.profiles)) == t)[0]} only"
    defaults = model.defaults()
    cost = sum(weights[n] * np.abs(values[n] - defaults[n]) for n in names)
    return cost[ok].min() if ok.any() else None, cost, ok


@pytest.mark.slow
def test_least_cost_package_beats_every_grid_point(baseline):
    weights = {"k": 100.0, "m": 1.0, "nu": 50.0}
    pkg = least_cost_package(baseline, "high", list(weights), costs=weights)
    assert pkg.feasible and pkg.verified and pkg.optimality == "global"
    assert pkg.stable_after == ("high",)
    axes = {"k": np.linspace(0, 1, 101), "m": np.linspace(0, 120, 121), "nu": np.linspace(0, 1, 101)}
    best, cost, ok = brute_force_cheapest(baseline, axes, weights, mu=pkg.margin)
    assert best is not None
    assert not np.any(ok & (cost < pkg.cost - 1e-6))  # no cheaper package with its margin on the grid
    assert best <= pkg.cost + 100 * 0.01 + 1 + 50 * 0.01  # and the grid gets close (one step per lever)
    # the package meets its conditions: the target's gains negative, every other vertex unstable
    point = {**baseline.defaults(), **pkg.package}
    reg = classify_points(baseline, point)
    assert reg.labels() == ["high only"]


def test_package_is_lexicographic_in_cost_then_relative_change(baseline):
    # with both weights 0 the tie-break picks the smallest relative change,
    # which is to move each to its own threshold: k to 13/36, nu to 83/188
    pkg = least_cost_package(
        baseline, "high", ["k", "nu"], costs={"k": 0, "nu": 0}, trajectories=False, margin=1e-9, tol=1e-12
    )
    assert pkg.cost_basis == "given weights" and pkg.cost == 0 and pkg.cost_unit == "weighted change"
    assert pkg.package["k"] == pytest.approx(13 / 36, abs=1e-5)
    assert pkg.package["nu"] == pytest.approx(83 / 188, abs=1e-5)


def test_the_default_cost_is_the_fiscal_cost_in_yuan_by_hand(baseline):
    # c alone to (passive, shirk, enroll): the worker's gain at low is 1008 - 1.8*c - 80, which
    # must reach the margin mu (1 % of the largest range of one player's payoffs), so
    # c = (928 - mu)/1.8 (4640/9 at mu = 0); there the fund receives c and owes B = 2400 (the low
    # state: nothing): the purse pays 2400 - c yuan per worker-month more than at low
    u = baseline.game().payoffs[0]
    mu = 0.01 * max(float(u[i].max() - u[i].min()) for i in range(3))
    pkg = least_cost_package(baseline, "passive/shirk/enroll", ["c"], trajectories=False)
    assert pkg.cost_unit == "yuan per worker-month" and pkg.cost_formula == "2400 - c"
    assert pkg.margin == pytest.approx(mu, rel=1e-9) and pkg.margin > 1  # a margin in yuan, not 1e-6
    assert pkg.cost == pytest.approx(2400 - (928 - mu) / 1.8, abs=2e-3) and pkg.cost == pkg.fiscal_cost
    assert pkg.package["c"] <= (928 - mu) / 1.8 and pkg.achieved_margin >= pkg.margin
    # welfare (beta = lam = a = 1): government V_E + K (+ w_F times the fund's c - mu_F*B where the
    # government's payoff weighs the fund), platform p*R, worker B - 1.5*c - h
    c, v = pkg.package["c"], baseline.defaults()
    fund = v.get("w_F", 0.0) * (c - v.get("mu_F", 1.0) * 2400)
    assert pkg.welfare_change == pytest.approx(
        {"government": 250 + fund, "platform": 20, "worker": 2400 - 1.5 * c - 80}
    )
    # high by the obligation k and nudges: the platform's gain from shirking at high, 720*k - 260,
    # must fall to -mu: k = (260 - mu)/720 (13/36 at mu = 0); nu (free) for the worker; the purse
    # then owes B + b_p and receives c + k*c_p + m - p*theta*L: 2800 - 700 - 720*k - (60 - 48)
    # = 1828 + mu, of which 720 * (1/2 - 13/36) + mu = 100 + mu from k
    pkg = least_cost_package(baseline, "high", ["k", "nu"], trajectories=False)
    assert pkg.weights == {"k": 720.0, "nu": 0.0} and pkg.cost == pytest.approx(1828 + mu, abs=1e-2)
    assert pkg.optimality == "global" and pkg.verified


def test_weights_given_report_the_fiscal_cost_beside(baseline):
    pkg = least_cost_package(
        baseline, "high", ["k", "nu"], costs={"k": 1, "nu": 1}, trajectories=False, margin=1e-9, tol=1e-12
    )
    assert pkg.cost_unit == "weighted change" and pkg.cost == pytest.approx(0.13889 + 0.44149, abs=1e-4)
    assert pkg.fiscal_cost == pytest.approx(1828, abs=1e-2)


def test_infeasible_target_names_the_binding_condition(baseline):
    pkg = least_cost_package(baseline, "high", ["s", "nu", "phi"])
    assert not pkg.feasible
    # at high the platform gains k*c_p + m - r - pi_E = 100 from shirking, whatever s, nu, phi
    assert pkg.binding == ("platform's gain from share -> shirk at high < 0",)


@pytest.mark.slow
def test_nonlinear_package_against_brute_force(baseline):
    # lam*c*(1 + kappa*sigma*(1 - phi)) is bilinear in (c, phi): the optimiser path
    weights = {"c": 1.0, "phi": 100.0}
    pkg = least_cost_package(baseline, "passive/shirk/enroll", ["c", "phi"], costs=weights)
    assert pkg.feasible and pkg.verified and pkg.optimality.startswith("global")
    # by hand: the worker's gain from enrolling at low is a*beta*B - h - lam*c*(1 + kappa*sigma*(1 - phi))
    # = -332 + 420*phi, so phi alone must reach (332 + mu)/420 (83/105 at mu = 0) and costs 100 times
    # that, cheaper per unit than lowering c; mu is 1 % of the largest range of one player's payoffs
    u = baseline.game().payoffs[0]
    mu = 0.01 * max(float(u[i].max() - u[i].min()) for i in range(3))
    assert pkg.margin == pytest.approx(mu, rel=1e-9)
    assert pkg.cost == pytest.approx(100 * (332 + mu) / 420, rel=1e-5)
    axes = {"c": np.linspace(400, 700, 301), "phi": np.linspace(0, 1, 201)}
    best, cost, ok = brute_force_cheapest(baseline, axes, weights, "passive/shirk/enroll", mu=pkg.margin)
    assert not np.any(ok & (cost < pkg.cost - 1e-6))


def test_fiscal_weights(baseline):
    w = fiscal_weights(baseline, ["s", "t", "f", "q", "nu"])
    # d U_gov / d f = q_eff at active shirking profiles; d/dq = (1 - d) * f
    assert w == pytest.approx({"s": 1.0, "t": 1.0, "f": 0.28, "q": 180.0, "nu": 0.0})


PROVENANCE = {"version", "model", "model_hash", "source", "parameters", "changed"}


def test_records_have_the_same_keys_whatever_the_answer(baseline):
    m, s = single_lever_escapes(baseline, ["m", "s"], trajectories=False)
    assert m.escapes and not s.escapes
    rm, rs = m.to_record(), s.to_record()
    assert rm.keys() == rs.keys() and not PROVENANCE & rm.keys()
    # the platform's gain R p + r - m = 20 + 20 - m vanishes at m = 40, from 60
    assert (rm["threshold"], rm["change"], rm["relative_change"]) == (40.0, -20.0, -1 / 3)
    assert rs["threshold"] is None and rs["stable_after"] == [] and m.as_dict() == rm
    feasible = least_cost_package(
        baseline, "high", ["k", "nu"], costs={"k": 1, "nu": 1}, trajectories=False, margin=1e-9, tol=1e-12
    )
    infeasible = least_cost_package(baseline, "high", ["nu"], trajectories=False)
    rf, ri = feasible.to_record(), infeasible.to_record()
    assert rf.keys() == ri.keys() and not PROVENANCE & rf.keys()
    assert ri["cost"] is None and ri["changes"] == {} and rf["changes"]["k"] == pytest.approx(13 / 36 - 0.5)
    assert feasible.as_dict() == rf
    for record in (rm, rs, rf, ri):
        json.dumps(record, allow_nan=False)  # JSON-ready: plain numbers, no NaN


def test_escape_report_when_low_is_not_stable(baseline):
    # nu = 1/2 makes workers enrol at low (gain -332 + 752/2 = 44 > 0): nothing to escape
    report = escape_report(baseline, ["nu"], values={"nu": 0.5}, trajectories=False)
    assert not report.low_stable and report.single_lever == ()
    assert report.stable_now == ("passive/shirk/enroll",)
    record = report.to_record()
    assert record["low"] == {
        "name": "low",
        "profile": {"government": "passive", "platform": "shirk", "worker": "lapse"},
        "stable": False,
    }
    given = escape_report(baseline, ["nu", "m"], trajectories=False).to_record()
    assert given.keys() == record.keys() and given["not_entering"] is None
    assert [e["exact"] for e in given["single_lever"]] == ["83/188", "40"]


def test_threshold_records(baseline):
    (t,) = thresholds(baseline, "nu")
    record = t.to_record()
    assert record == {
        "lever": "nu",
        "value": 83 / 188,
        "exact": "83/188",
        "below": "low only",
        "above": "passive/shirk/enroll only",
        "vertices": ["low", "passive/shirk/enroll"],
        "conditions": record["conditions"],
        "method": "exact: real roots of the vertex eigenvalues (sympy)",
        "tolerance": 0.0,
    }
    assert record["conditions"][0] == "worker's gain from lapse -> enroll at low" and t.as_dict() == record


def test_escape_by_bisection_where_the_condition_is_not_rational():
    # at (x, x) the row player gains 0 - (2 - exp(z)) = exp(z) - 2 from y: zero at z = log 2
    model = read_scenario(
        """
        [players]
        a = ["x", "y"]
        b = ["x", "y"]
        [parameters]
        z = { value = 0.2, min = 0, max = 3 }
        [payoffs]
        "x, x" = ["2 - exp(z)", "1"]
        "x, y" = ["0", "0"]
        "y, x" = ["0", "0"]
        "y, y" = ["1", "1"]
        """
    )
    (esc,) = single_lever_escapes(model, ["z"], low="x,x", trajectories=False)
    assert esc.escapes and esc.exact is None and esc.method.startswith("bisection")
    assert abs(esc.threshold - np.log(2)) <= max(esc.tolerance, 1e-10)
    assert esc.stable_after == ("y/y",) and esc.to_record()["formula"] is None


def _cli_record(capsys, *argv):
    from tripartite.cli import main

    assert main(["escape", *argv, "--json"]) in (0, None)
    return json.loads(capsys.readouterr().out)


@pytest.mark.slow
def test_escape_baseline_reports_a_yuan_cost_by_hand(capsys):
    # the command a new user runs, one lever: c alone to (passive, shirk, enroll) must bring the
    # worker's gain at low, 928 - 1.8*c, up to the margin mu; the purse then receives c from the
    # worker and owes B = 2400: 2400 - c more per worker-month than at low (where nothing moves)
    record = _cli_record(capsys, "baseline", "--levers", "c", "--target", "passive/shirk/enroll")
    pkg = record["package"]
    u = load_model("baseline").game().payoffs[0]
    mu = 0.01 * max(float(u[i].max() - u[i].min()) for i in range(3))
    assert pkg["cost_unit"] == "yuan per worker-month" and pkg["margin"] == pytest.approx(mu)
    assert pkg["cost"] == pytest.approx(2400 - (928 - mu) / 1.8, abs=2e-3) and pkg["cost"] > 1000
    assert pkg["from_status_quo"] == "passive/shirk/enroll"  # safely inside: the dynamics get there


@pytest.mark.slow
def test_package_where_the_condition_is_not_a_polynomial():
    # (x, x) must become unstable by the margin: exp(z) + w - 2 >= mu = 0.01 (payoff scale 1 at the
    # current values); w costs ten times as much, so z alone moves, to log 2.01.  Not a polynomial
    # in z: SLSQP on the compiled conditions and their Jacobian, over both levers
    from tripartite.sweep.package import least_cost_package

    model = read_scenario(
        """
        [players]
        a = ["x", "y"]
        b = ["x", "y"]
        [parameters]
        z = { value = 0.2, min = 0, max = 3 }
        w = { value = 0, min = 0, max = 0.5 }
        [payoffs]
        "x, x" = ["2 - exp(z) - w", "1"]
        "x, y" = ["0", "0"]
        "y, x" = ["0", "0"]
        "y, y" = ["1", "1"]
        """
    )
    costs = {"z": 1.0, "w": 10.0}
    pkg = least_cost_package(model, "y,y", ["z", "w"], costs=costs, low="x,x", trajectories=False)
    assert pkg.feasible and pkg.verified and pkg.optimality.startswith("local")
    assert pkg.margin == pytest.approx(0.01) and pkg.package["w"] == 0
    assert np.log(2.01) <= pkg.package["z"] <= np.log(2.01) + 1e-6
