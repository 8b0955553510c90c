"""Welfare beside decision payoffs, and Pareto comparisons (issue 13), against hand-worked games."""

from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import pytest

from tripartite import dump_scenario, read_scenario
from tripartite.errors import ScenarioError
from tripartite.game import Game
from tripartite.solution import RECORD_KEYS, solve
from tripartite.welfare import dominated_by, mixed_improvement, pareto_comparison, welfare_at, welfare_game

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
    # The government carries the pension fund (c + k*c_p[S] in, mu_F*(B + b_p[S]) out) and the injury
    # pool (m - p*theta*L with a sharing platform) with weight w_F = 1; with beta = lam = a = 1:
    # (passive, shirk, lapse): -K, Pi - p*R, y - p*L = -50, 980, 5940
    # (passive, shirk, enroll): V_E + c - B = -1500; Pi = 1000; y - p*L + B - c*(1 + kappa*sigma) - h = 7210
    # (passive, share, enroll): V_E + V_S + 700 + 360 - 2800 + 12 = -1428; 900; 7658
    rec = solve(baseline).to_record()
    (low,) = rec["equilibria"]
    assert low["welfare"] == {"government": -50.0, "platform": 980.0, "worker": 5940.0}
    assert low["dominated_by"] == []  # coverage costs the government the fund's deficit
    welfare = {tuple(r["profile"].values()): r["welfare"] for r in rec["rest_points"] if r["profile"]}
    assert welfare[("passive", "shirk", "enroll")] == {
        "government": -1500.0,
        "platform": 1000.0,
        "worker": 7210.0,
    }
    assert welfare[("passive", "share", "enroll")] == {
        "government": -1428.0,
        "platform": 900.0,
        "worker": 7658.0,
    }
    # Mixing the government between active (gains -10.5, +10, +48 at (active, share, lapse): the tax
    # credit t passes 30 to the platform, supervision costs 142.5) and passive (+162, -20, +48 at
    # (passive, share, lapse)): the two smallest gains cross at lam = 182/202.5, where both are 30*lam - 20.
    lam = 182 / 202.5
    gain = 30 * lam - 20
    assert low["welfare_note"].startswith(
        "a three-lose outcome only against a mixed state: at government active 0.899 / passive 0.101, "
        f"share, lapse every player is better off (government +{gain:.4g}, platform +{gain:.4g}, worker +48); "
        "no pure profile makes all three better off: where platform and worker gain, government loses 10.5 "
        "or more (least at active, share, lapse: platform +10, worker +48); where government and worker gain, "
        "platform loses 20 or more (least at passive, share, lapse: government +162, worker +48)"
    )
    assert "welfare" in RECORD_KEYS and rec["welfare"]["values"] == {"beta": 1.0, "lam": 1.0, "a": 1.0}
    # a government that ignores the fund (w_F = 0) gains V_E + K = 250 from coverage: three-lose in pure profiles
    w = welfare_game(baseline, {"w_F": 0})
    best = dominated_by(w, [np.array([0.0, 1.0])] * 3)[0]
    assert best.profile == {"government": "passive", "platform": "shirk", "worker": "enroll"}
    assert best.gains == {"government": 250.0, "platform": 20.0, "worker": 1270.0}


def test_mixed_improvement_is_the_best_state_on_one_player_segments(baseline):
    # brute force: every segment between two pure profiles that differ in one player's strategy,
    # on a grid of 2001 mixing shares, never beats the exact search, and comes within the grid step
    w = welfare_game(baseline)
    low = [np.array([0.0, 1.0])] * 3
    here = welfare_at(w, low)
    best = mixed_improvement(w, low)
    lam = np.linspace(0.0, 1.0, 2001)
    grid_best = -np.inf
    for prof in np.ndindex(2, 2, 2):
        for j in range(3):
            other = list(prof)
            other[j] = 1 - prof[j]
            gp, gq = w.payoffs[0][(slice(None), *prof)] - here, w.payoffs[0][(slice(None), *other)] - here
            grid_best = max(grid_best, np.max(np.min((1 - lam)[:, None] * gp + lam[:, None] * gq, axis=1)))
    smallest = min(best.gains.values())
    assert grid_best <= smallest + 1e-9 and smallest - grid_best < 0.2
    assert smallest == pytest.approx(30 * 182 / 202.5 - 20, abs=1e-9)
    # the state it names gives those gains when evaluated afresh
    state = [np.array(list(best.profile["government"].values())), np.eye(2)[0], np.eye(2)[1]]
    assert np.allclose(welfare_at(w, state) - here, list(best.gains.values()))
    assert best.profile["platform"] == "share" and best.profile["worker"] == "lapse"


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


# Welfare declared per profile: the players act on the dilemma's payoffs (b = 1) but their welfare
# is another table, evaluated at the welfare value b = 0 (so "4 - 2*b" is 4 there).
PD_TABLE = (
    PD
    + """
[welfare.payoffs]
"cooperate, cooperate" = ["5", "4 - 2*b"]
"cooperate, defect" = ["2 - b", "2"]
"defect, cooperate" = ["1", "-1"]
"defect, defect" = ["1 + b", "3*b"]
"""
)


def test_a_per_profile_welfare_table_gives_exactly_the_declared_numbers():
    model = read_scenario(PD_TABLE, "pd.toml")
    w = welfare_game(model)
    assert w.payoffs[0].tolist() == [[[5.0, 2.0], [1.0, 1.0]], [[4.0, 2.0], [-1.0, 0.0]]]
    assert np.array_equal(model.game().payoffs, read_scenario(PD, "pd.toml").game().payoffs)  # decisions
    (dd,) = solve(model).to_record()["equilibria"]
    assert dd["payoffs"] == {"row": 1, "col": 1} and dd["welfare"] == {"row": 1.0, "col": 0.0}
    assert dd["dominated_by"] == [
        {"profile": {"row": "cooperate", "col": "cooperate"}, "gains": {"row": 4.0, "col": 4.0}},
        {"profile": {"row": "cooperate", "col": "defect"}, "gains": {"row": 1.0, "col": 2.0}},
    ]
    assert solve(model).to_record()["welfare"]["evaluation"] == "the [welfare.payoffs] table at b = 0"
    again = read_scenario(dump_scenario(model), "again.toml")
    assert again.welfare_payoffs == model.welfare_payoffs and again.hash == model.hash
    assert model.hash != read_scenario(PD, "pd.toml").hash
    # without [welfare] values the table is evaluated at the decision values (b = 1): "4 - 2*b" is 2
    alone = read_scenario(
        PD_TABLE.replace('b = { value = 0, source = "the temptation at its true value" }', "")
    )
    assert alone.welfare == () and welfare_game(alone).payoffs[0, 1, 0, 0] == 2.0


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            ('"defect, defect" = ["1 + b", "3*b"]\n', ""),
            r"\[welfare\.payoffs\]: missing profile\(s\) \"defect, defect\"",
        ),
        (
            ('"1 + b", "3*b"', '"1 + zz", "3*b"'),
            r"\[welfare\.payoffs\] key 'defect, defect' payoff of 'row': .*zz",
        ),
        (
            ('"defect, cooperate" = ["1", "-1"]', '"defect, nap" = ["1", "-1"]'),
            r"\[welfare\.payoffs\] key 'defect, nap': 'nap' is not a strategy of 'col'",
        ),
        (
            ('["2 - b", "2"]', '["2 - b"]'),
            r"\[welfare\.payoffs\] key 'cooperate, defect': expected a list of 2 payoffs",
        ),
    ],
)
def test_bad_welfare_payoffs_name_file_table_and_key(change, message):
    with pytest.raises(ScenarioError, match=r"^pd\.toml: " + message):
        read_scenario(PD_TABLE.replace(*change), "pd.toml")


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
    # from (C, C) = (2, 2): (C, D) gives col +1 and row -2, (D, C) the reverse; no mix of one player helps
    assert pareto_comparison(w, cc) == (
        "not an all-2-lose outcome among pure profiles: no pure profile makes all 2 players better off: "
        "where col gains, row loses 2 or more (least at cooperate, defect: col +1); "
        "where row gains, col loses 2 or more (least at defect, cooperate: row +1)"
    )
    assert mixed_improvement(w, cc) is None


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
    assert "a three-lose outcome only against a mixed state: at government active 0.899" in out
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


def _numbers(text: str) -> list[str]:
    """The numbers of a sentence, in order (signs kept): what must not change with the language."""
    import re

    return re.findall(r"(?<![\w-])[+-]?\d+(?:\.\d+)?", text)  # not the 2 of "all-2-lose"


def test_the_three_lose_sentence_in_chinese_has_the_same_numbers(baseline):
    from tripartite.welfare import welfare_description

    low = [np.array([0.0, 1.0])] * 3
    cases = [
        (
            welfare_game(baseline),
            ["仅相对于混合状态属于三输局面", "至少损失", "损失最小处为", "没有纯策略组合"],
        ),
        (welfare_game(baseline, {"w_F": 0}), ["属于三输局面", "各方的福利都提高"]),  # pure improvement
    ]
    for w, key_words in cases:
        english, chinese = pareto_comparison(w, low), pareto_comparison(w, low, lang="zh")
        assert pareto_comparison(w, low, lang="en") == english
        assert _numbers(chinese) == _numbers(english) and len(_numbers(english)) >= 3
        for phrase in key_words:
            assert phrase in chinese, phrase
        for phrase in ("three-lose", "better off", "loses", "where"):
            assert phrase not in chinese
        names = {*baseline.players, *(s for ss in baseline.strategies for s in ss)}
        for name in names:
            assert (name in chinese) == (name in english), name  # the model's names are kept
    # the two-player dilemma: the count of players appears, untranslated names, same numbers
    cc = [np.array([1.0, 0.0])] * 2
    pd_w = welfare_game(read_scenario(PD, "pd.toml"))
    zh = pareto_comparison(pd_w, cc, lang="zh")
    assert zh.startswith("就纯策略组合而言不属于全部 2 方皆输的局面") and "全部 2 方" in zh
    en = pareto_comparison(pd_w, cc)
    assert (
        _numbers(zh.replace("全部 2 方", "")) == _numbers(en.replace("all 2 players", "")) == ["2", "+1"] * 2
    )
    assert welfare_description(baseline, "zh") == "按 beta = 1, lam = 1, a = 1 重新计算的决策收益"
    assert welfare_description(None, "zh") == "决策收益本身（未声明 [welfare] 表）"
    rec = solve(read_scenario(PD, "pd.toml")).to_record("zh")
    assert rec["equilibria"][0]["welfare_note"].startswith(
        "属于全部 2 方皆输的局面：在 cooperate, cooperate 处"
    )


# Matching pennies with a biased row player: row's decision payoff at (opera, opera) is 3 + b (b = 1),
# its welfare 3 (b = 0).  The interior rest point: col's share q of opera makes row indifferent,
# (3 + b) q = 1 - q, q = 1/5; row's share p makes col indifferent, 1 - p = 2 p, p = 1/3.
# Decision payoffs there: row 4 p q + (1 - p)(1 - q) = 4/15 + 8/15 = 4/5, col 2 p (1 - q) + (1 - p) q
# = 8/15 + 2/15 = 2/3.  Welfare: row 3 p q + (1 - p)(1 - q) = 1/5 + 8/15 = 11/15, col 2/3.
PENNIES = """
name = "biased pennies"
[players]
row = ["opera", "fight"]
col = ["opera", "fight"]
[parameters]
b = { value = 1, min = 0, max = 5 }
[payoffs]
"opera, opera" = ["3 + b", "0"]
"opera, fight" = ["0", "2"]
"fight, opera" = ["0", "1"]
"fight, fight" = ["1", "0"]
[welfare]
b = 0
"""


def test_rest_points_carry_payoffs_and_welfare_by_hand():
    model = read_scenario(PENNIES, "pennies.toml")
    rec = solve(model).to_record()
    decision, welfare = model.game().payoffs[0], model.game({"b": 0}).payoffs[0]
    vertices = [r for r in rec["rest_points"] if r["kind"] == "vertex"]
    assert len(vertices) == 4
    for r in vertices:
        i, j = (model.strategies[k].index(r["profile"][p]) for k, p in enumerate(model.players))
        assert list(r["payoffs"].values()) == decision[:, i, j].tolist()
        assert list(r["welfare"].values()) == welfare[:, i, j].tolist()
    (inner,) = [r for r in rec["rest_points"] if r["kind"] != "vertex"]
    assert inner["strategies"]["row"]["opera"] == pytest.approx(1 / 3)
    assert inner["strategies"]["col"]["opera"] == pytest.approx(1 / 5)
    assert inner["payoffs"] == pytest.approx({"row": 4 / 5, "col": 2 / 3}, abs=1e-12)
    assert inner["welfare"] == pytest.approx({"row": 11 / 15, "col": 2 / 3}, abs=1e-12)
    assert list(inner)[-2:] == ["payoffs", "welfare"]


@pytest.mark.parametrize("scale", [1e-12, 1.0, 1e9])
def test_welfare_dominance_does_not_depend_on_units_or_offsets(scale):
    """The prisoner's dilemma: (defect, defect) is dominated by (cooperate, cooperate), each gaining 2
    (worked by hand), whatever the unit of the payoffs and after a shift of one player's payoffs;
    with an absolute tolerance of 1e-9 the gains at the scale 1e-12 would be ties."""
    u = np.array([[[3.0, 0.0], [5.0, 1.0]], [[3.0, 5.0], [0.0, 1.0]]]) * scale
    u[1] += 1e4 * scale
    game = Game.from_array(u)
    defect = [np.array([0.0, 1.0])] * 2
    found = dominated_by(game, defect)
    assert [c.profile for c in found] == [{game.players[0]: "s1", game.players[1]: "s1"}]
    assert [g / scale for g in found[0].gains.values()] == pytest.approx([2.0, 2.0])
    assert pareto_comparison(game, defect).startswith("an all-2-lose outcome: at s1, s1 every player")
