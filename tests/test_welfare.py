"""Welfare beside decision payoffs, and Pareto comparisons (issue 13), against hand-worked games."""

from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import pytest

from tripartite import dump_scenario, read_scenario
from tripartite.errors import ScenarioError
from tripartite.solution import RECORD_KEYS, solve
from tripartite.welfare import dominated_by, pareto_comparison, welfare_at, welfare_game

from .models.baseline_formulas import reference_payoffs

# A prisoner's dilemma whose players act on a biased view: each over-weights the temptation by
# bias b (decision payoff of defecting against a cooperator 3 + b).  Welfare takes b = 0.
# Decision payoffs (b = 1): (C,C) 2,2  (C,D) 0,4  (D,C) 4,0  (D,D) 1,1: (D, D) is the only
# equilibrium and strict (deviation gains -1, -1).  Welfare: (C,C) 2,2  (C,D) 0,3  (D,C) 3,0
# (D,D) 1,1: (C, C) gives both +1, (C, D) and (D, C) make one worse off.
PD = """
name = "biased dilemma"
[players]
row = ["cooperate", "defect"]
col = ["cooperate", "defect"]
[parameters]
b = { value = 1, min = 0, max = 5, description = "over-weighting of the temptation" }
[payoffs]
"cooperate, cooperate" = ["2", "2"]
"cooperate, defect" = ["0", "3 + b"]
"defect, cooperate" = ["3 + b", "0"]
"defect, defect" = ["1", "1"]
[welfare]
b = { value = 0, source = "the temptation at its true value" }
"""

# Battle of the sexes without a welfare table: the mixed equilibrium (row plays opera with
# probability 2/3, col with 1/3) gives each 2/3; (opera, opera) gives 2, 1 and (fight, fight) 1, 2:
# both dominate it, gains (4/3, 1/3) and (1/3, 4/3).
BOS = """
name = "battle"
[players]
row = ["opera", "fight"]
col = ["opera", "fight"]
[payoffs]
"opera, opera" = [2, 1]
"opera, fight" = [0, 0]
"fight, opera" = [0, 0]
"fight, fight" = [1, 2]
"""


def test_welfare_with_the_unbiased_parameters_is_the_payoffs_at_those_values(baseline):
    unbiased = {"beta": 1.0, "lam": 1.0, "a": 1.0}
    assert {w.name: w.value for w in baseline.welfare} == unbiased
    for values in ({}, {"nu": 0.4, "c": 500.0, "beta": 0.6}):
        w = welfare_game(baseline, values).payoffs[0]
        v = {**baseline.defaults(), **values, **unbiased}
        for prof in np.ndindex(2, 2, 2):
            A, S, E = (1 - k for k in prof)
            assert np.allclose(w[(slice(None), *prof)], reference_payoffs(v, A, S, E))


def test_worked_welfare_of_the_baseline_low_equilibrium(baseline):
    # (passive, shirk, lapse): -K, Pi - p*R, y - p*L;  (passive, shirk, enroll) with beta = lam = a = 1:
    # V_E, Pi, y - p*L + B - c*(1 + kappa*sigma) - h = 6000 - 60 + 2400 - 1050 - 80 = 7210
    rec = solve(baseline).to_record()
    (low,) = rec["equilibria"]
    assert low["welfare"] == {"government": -50.0, "platform": 980.0, "worker": 5940.0}
    assert low["dominated_by"] == [
        {
            "profile": {"government": "passive", "platform": "shirk", "worker": "enroll"},
            "gains": {"government": 250.0, "platform": 20.0, "worker": 1270.0},
        }
    ]
    assert low["welfare_note"].startswith("a three-lose outcome: at passive, shirk, enroll")
    # the high state (passive, share, enroll) is no improvement: the platform loses 980 - 900 = 80 there
    high = next(
        r
        for r in rec["rest_points"]
        if r["profile"] and list(r["profile"].values()) == ["passive", "share", "enroll"]
    )
    assert high["welfare"] == {"government": 300.0, "platform": 900.0, "worker": 7658.0}
    assert "welfare" in RECORD_KEYS and rec["welfare"]["values"] == {"beta": 1.0, "lam": 1.0, "a": 1.0}


def test_a_pareto_dominated_strict_equilibrium_by_hand():
    model = read_scenario(PD, "pd.toml")
    rec = solve(model).to_record()
    (dd,) = rec["equilibria"]
    assert dd["support"] == {"row": ["defect"], "col": ["defect"]} and dd["strict"]
    assert dd["payoffs"] == {"row": 1, "col": 1} and dd["welfare"] == {"row": 1.0, "col": 1.0}
    assert dd["dominated_by"] == [
        {"profile": {"row": "cooperate", "col": "cooperate"}, "gains": {"row": 1.0, "col": 1.0}}
    ]
    assert (
        dd["welfare_note"]
        == "an all-2-lose outcome: at cooperate, cooperate every player is better off (row +1, col +1)"
    )
    # under the decision payoffs (no welfare table) (C, D) would not dominate either: still only (C, C)
    w = welfare_game(model)
    assert welfare_at(w, [np.array([0.0, 1.0]), np.array([1.0, 0.0])]).tolist() == [3.0, 0.0]


def test_mixed_equilibria_are_compared_by_expected_welfare():
    rec = solve(read_scenario(BOS, "bos.toml"), all_equilibria=True).to_record()
    (mixed,) = [e for e in rec["equilibria"] if not e["pure"]]
    assert mixed["welfare"] == pytest.approx({"row": 2 / 3, "col": 2 / 3})
    gains = {tuple(d["profile"].values()): d["gains"] for d in mixed["dominated_by"]}
    assert set(gains) == {("opera", "opera"), ("fight", "fight")}
    assert gains[("opera", "opera")] == pytest.approx({"row": 4 / 3, "col": 1 / 3})
    assert gains[("fight", "fight")] == pytest.approx({"row": 1 / 3, "col": 4 / 3})
    for pure in (e for e in rec["equilibria"] if e["pure"]):
        assert pure["dominated_by"] == []  # each pure equilibrium is welfare-efficient
        assert "welfare-efficient" not in pure["welfare_note"] and "not an all-2-lose" in pure["welfare_note"]
    assert rec["welfare"]["evaluation"] == "the decision payoffs (no [welfare] table)"


def test_weak_improvements_and_the_closest_profile_in_words():
    # (D, D) against (C, D) in welfare: row 0 - 1 = -1: not an improvement; nothing else but (C, C)
    w = welfare_game(read_scenario(PD, "pd.toml"))
    cc = [np.array([1.0, 0.0])] * 2
    assert dominated_by(w, cc) == []
    assert pareto_comparison(w, cc).startswith("not an all-2-lose outcome: no profile makes all 2 players")


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ("[welfare]\nzz = 1\n", r"pd\.toml: \[welfare\] key 'zz': unknown parameter; known: b"),
        ("[welfare]\nb = 9\n", r"\[welfare\] key 'b': 9 is outside the parameter's range \[0, 5\]"),
        ("[welfare]\nb = { value = 1, why = 2 }\n", r"\[welfare\] key 'b': give a number or"),
        ('[welfare]\nb = "x"\n', r"\[welfare\] key 'b': 'x' is not a number"),
        ("welfare = 3\n", r"\[welfare\]: must be a table"),
    ],
)
def test_bad_welfare_tables_name_the_key(table, message):
    text = PD.split("[welfare]")[0]
    text = (table + text) if not table.startswith("[") else (text + table)
    with pytest.raises(ScenarioError, match=message):
        read_scenario(text, "pd.toml")


def test_welfare_tables_round_trip_and_enter_the_hash(baseline):
    again = read_scenario(dump_scenario(baseline), "b.toml")
    assert again.welfare == baseline.welfare and again.hash == baseline.hash
    without = read_scenario(PD.split("[welfare]")[0], "pd.toml")
    assert without.welfare == () and without.hash != read_scenario(PD, "pd.toml").hash


@pytest.mark.slow
def test_solve_says_who_loses(tmp_path):
    out = subprocess.run(
        [sys.executable, "-m", "tripartite", "solve", "baseline"], capture_output=True, text=True, check=True
    ).stdout
    assert "Welfare: decision payoffs re-evaluated at beta = 1, lam = 1, a = 1 (see docs/welfare.md)" in out
    assert "a three-lose outcome: at passive, shirk, enroll every player is better off" in out
    path = tmp_path / "pd.toml"
    path.write_text(PD, encoding="utf-8")
    rec = json.loads(
        subprocess.run(
            [sys.executable, "-m", "tripartite", "solve", str(path), "--json"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    )
    assert rec["equilibria"][0]["dominated_by"][0]["gains"] == {"row": 1.0, "col": 1.0}
