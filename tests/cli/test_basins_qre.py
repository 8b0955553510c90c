"""``tripartite basins`` and ``tripartite qre``; an ``extended`` run of every model command."""

import json

import pytest

from tripartite import __version__, load_model
from tripartite.dynamics import DEFAULT_T_MAX

SCENARIO = """
name = "协调博弈"
[players]
"甲" = ["合作", "背叛"]
"乙" = ["合作", "背叛"]
[parameters]
"收益" = { value = 2, min = 0, description = "合作收益" }
[payoffs]
"合作, 合作" = ["收益", "收益"]
"合作, 背叛" = ["0", "0"]
"背叛, 合作" = ["0", "0"]
"背叛, 背叛" = ["1", "1"]
"""


def test_basins_json_contract_on_extended(cli):
    code, out, _ = cli("basins", "extended", "--samples", "400", "--json")
    assert code == 0
    data = json.loads(out)
    assert data["version"] == __version__ and data["model"] == "extended"
    assert data["model_hash"] == load_model("extended").hash
    assert data["parameters"]["omega"] == 0.5 and "method" in data and "tolerance" in data
    profiles = [s["profile"] for s in data["stable_states"]]
    assert profiles == [
        {"government": "guide", "platform": "formal", "worker": "intermittent"},
        {"government": "laissez_faire", "platform": "share", "worker": "continuous"},
    ]
    for s in data["stable_states"]:
        lo, hi = s["ci"]
        assert lo <= s["share"] <= hi and s["count"] == round(s["share"] * 400)
    total = sum(s["share"] for s in data["stable_states"]) + data["not_converged"]["share"]
    total += data["rest_points"]["share"] + sum(s["share"] for s in data["other_vertices"])
    assert total == pytest.approx(1.0)
    assert data["stable_states"][0]["share"] > 0.6  # the low equilibrium has the larger basin
    assert data["status_quo"]["profile"] == profiles[0]
    assert (
        data["status_quo"]["outcome"] == "vertex"
        and data["status_quo"]["t_max"] == data["t_max"] == DEFAULT_T_MAX
    )
    model = load_model("extended")
    assert data["status_quo"]["initial_state"] == {
        player: dict(zip(names, x))
        for player, names, x in zip(model.players, model.strategies, model.initial_state)
    }
    (push,) = data["push"]
    assert push["target"] == profiles[1] and 0 < push["alpha"] < 1
    assert set(push["shift"]) == {"government", "platform", "worker"}
    assert data["seed"] == 0 and data["samples"] == 400 and data["interval"] == "wilson"


def test_basins_text_baseline_and_push_players(cli):
    code, out, _ = cli("basins", "--samples", "200")
    assert code == 0
    assert "passive, shirk, lapse" in out and "1.000" in out
    code, out, _ = cli("basins", "extended", "--samples", "200", "--push-players", "platform,worker")
    assert code == 0 and "to reach (laissez_faire, share, continuous)" in out
    assert "government" not in out.split("must switch:")[1]


def test_basins_grid_has_no_interval(cli):
    code, out, _ = cli("basins", "baseline", "--grid", "6", "--json", "--no-push")
    data = json.loads(out)
    assert data["samples"] == 125 and data["stable_states"][0]["ci"] is None
    assert data["push"] == []


def test_qre_json_contract_on_extended(cli):
    code, out, _ = cli("qre", "extended", "--lambda", "0.01,0.05", "--json", "--points", "10")
    assert code == 0
    data = json.loads(out)
    assert data["model"] == "extended" and data["version"] == __version__
    assert len(data["branch"]) == 10
    first = data["branch"][0]
    assert first["lambda"] == 0 and first["strategies"]["worker"] == pytest.approx(
        {"continuous": 1 / 3, "intermittent": 1 / 3, "none": 1 / 3}
    )
    assert [r["lambda"] for r in data["requested"]] == [0.01, 0.05]
    assert all(len(r["qre"]) == 1 for r in data["requested"])
    nash = data["nash"]
    assert nash["verified"] and nash["regret"] <= nash["regret_tolerance"]
    assert nash["strategies"]["government"]["guide"] == pytest.approx(1.0)
    assert nash["strategies"]["worker"]["intermittent"] == pytest.approx(1.0)


def test_qre_on_a_unicode_scenario(tmp_path, cli):
    path = tmp_path / "协调.toml"
    path.write_text(SCENARIO, encoding="utf-8")
    code, out, _ = cli("qre", str(path), "--json")
    assert code == 0
    data = json.loads(out)
    assert set(data["nash"]["strategies"]) == {"甲", "乙"}
    assert data["nash"]["strategies"]["甲"]["合作"] == pytest.approx(1.0)
    code, out, _ = cli("qre", str(path))
    assert "甲: 合作" in out and "verified" in out


MCKELVEY_MCLENNAN_NFG = """NFG 1 R "2x2x2 Example from McKelvey-McLennan" { "Player 1" "Player 2" "Player 3" }
{ { "1" "2" } { "1" "2" } { "1" "2" } }
""
{
{ "" 9, 8, 12 } { "" 0, 0, 0 } { "" 0, 0, 0 } { "" 9, 8, 2 }
{ "" 0, 0, 0 } { "" 3, 4, 6 } { "" 3, 4, 6 } { "" 0, 0, 0 }
}
1 2 3 4 5 6 7 8
"""


def test_qre_and_basins_on_a_gambit_nfg_file(tmp_path, cli):
    path = tmp_path / "2x2x2.nfg"
    path.write_text(MCKELVEY_MCLENNAN_NFG, encoding="utf-8")
    code, out, err = cli("qre", str(path), "--json")
    assert code == 0, err
    nash = json.loads(out)["nash"]
    assert nash["verified"] and nash["regret"] <= 1e-12
    assert nash["strategies"]["Player 3"] == pytest.approx({"1": 1.0, "2": 0.0})
    assert nash["strategies"]["Player 1"] == pytest.approx({"1": 0.5, "2": 0.5})
    code, out, err = cli("basins", str(path), "--samples", "200", "--json")
    assert code == 0, err
    data = json.loads(out)
    # a game without a model has no documented status quo: the keys stay, empty
    assert len(data["stable_states"]) == 4 and data["status_quo"] is None and data["push"] == []
    assert data["source"].endswith("2x2x2.nfg")


def test_prospect_options_change_the_payoffs_and_are_recorded(cli):
    code, out, _ = cli("basins", "extended", "--samples", "100", "--prospect", "--json", "--no-push")
    assert code == 0
    data = json.loads(out)
    assert data["payoffs"]["loss_aversion"] == 2.25 and data["payoffs"]["alpha"] == 0.88
    code, out, _ = cli("qre", "baseline", "--pt-loss-aversion", "1.5", "--pt-reference", "0,0,6000", "--json")
    data = json.loads(out)
    assert data["payoffs"]["loss_aversion"] == 1.5 and data["payoffs"]["reference"] == [0, 0, 6000]
    assert data["model"] == "baseline (prospect theory)"
    code, out, _ = cli("qre", "baseline", "--json")
    assert json.loads(out)["payoffs"] == "rational (as written in the model)"


@pytest.mark.slow
def test_plots_are_written(tmp_path, cli):
    png, svg = tmp_path / "basins.png", tmp_path / "branch.svg"
    assert cli("basins", "extended", "--samples", "100", "--no-push", "--plot", str(png))[0] == 0
    assert cli("qre", "baseline", "--plot", str(svg))[0] == 0
    assert png.read_bytes()[:4] == b"\x89PNG"
    assert svg.read_text().lstrip().startswith("<?xml")
    # each figure with its provenance sidecar, and no temporary left
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "basins.png",
        "basins.png.json",
        "branch.svg",
        "branch.svg.json",
    ]
    sidecar = json.loads((tmp_path / "basins.png.json").read_text(encoding="utf-8"))
    assert sidecar["model"] == "extended" and sidecar["figure_kind"] == "basin shares"


def test_output_file_is_written_atomically(tmp_path, cli):
    out = tmp_path / "basins.json"
    assert cli("basins", "extended", "--samples", "100", "--json", "--out", str(out))[0] == 0
    assert json.loads(out.read_text(encoding="utf-8"))["samples"] == 100


@pytest.mark.parametrize(
    "argv, message",
    [
        (["basins", "extended", "--samples", "0"], "--samples"),
        (["basins", "extended", "--confidence", "1.5"], "--confidence"),
        (["basins", "extended", "--push-players", "citizens"], "unknown player"),
        (["basins", "extended", "--plot", "out.txt"], ".png, .pdf or .svg"),
        (["basins", "extended", "--set", "omega=2"], "omega"),
        (["basins", "nosuchmodel"], "unknown model"),
        (["qre", "extended", "--lambda", "-1"], "non-negative"),
        (["qre", "extended", "--lambda", "abc"], "numbers"),
        (["qre", "baseline", "--pt-alpha", "1.5"], "alpha"),
        (["qre", "baseline", "--pt-reference", "x"], "--pt-reference"),
    ],
)
def test_bad_input_gets_one_line_and_exit_2(cli, argv, message):
    code, out, err = cli(*argv)
    assert code == 2 and out == ""
    assert err.startswith("tripartite: error:") and message in err
    assert len(err.strip().splitlines()) == 1


LOW = "guide, formal, intermittent"


def _json(out: str) -> dict:
    return json.loads(out)


@pytest.mark.parametrize(
    "argv, check",
    [
        (["params", "extended"], lambda out: "V_E" in out and "3x3x3" in out),
        (["params", "extended", "--json"], lambda out: _json(out)["model"] == "extended" and "omega" in out),
        (["solve", "extended"], lambda out: LOW in out and "Status-quo state" in out),
        (["solve", "extended", "--json"], lambda out: len(_json(out)["rest_points"]) == 27),
        (["basins", "extended", "--samples", "100"], lambda out: f"Status quo converges to: {LOW}" in out),
        (["qre", "extended"], lambda out: "Nash equilibrium at the end of the branch (verified" in out),
        (["solve", "extended", "--all"], lambda out: "All Nash equilibria" in out and LOW in out),
        (["export", "extended"], lambda out: out.startswith("NFG 1 R") and '"worker"' in out),
        pytest.param(
            ["stability", "extended", "--format", "json"],
            lambda out: _json(out)["model"] == "extended",
            marks=pytest.mark.slow,
        ),
        pytest.param(
            ["thresholds", "extended", "--param", "port"],
            lambda out: "port" in out and "16/21" in out,
            marks=pytest.mark.slow,
        ),
        (["sweep", "extended", "--vary", "port=0:1:5", "--quiet"], lambda out: "bistable" in out),
        pytest.param(
            ["escape", "extended", "--levers", "port,f_F"],
            lambda out: f"Escape from low ({LOW})" in out,
            marks=pytest.mark.slow,
        ),
    ],
    ids=lambda v: " ".join(v) if isinstance(v, list) else "",
)
@pytest.mark.slow
def test_every_model_command_accepts_extended(cli, argv, check):
    code, out, err = cli(*argv)
    assert code == 0, err
    assert check(out), out[:2000]


@pytest.mark.slow
def test_solve_and_basins_give_the_status_quo_one_outcome_word(cli):
    # baseline with f = 400: solve said "not converged" (t = 20) and basins "cycling" (t = 200);
    # now one integrator, one horizon, one word
    code, out, err = cli("basins", "--set", "f=400", "--samples", "1", "--no-push", "--json")
    assert code == 0, err
    from_basins = json.loads(out)["status_quo"]
    code, out, err = cli("solve", "--set", "f=400", "--json")
    assert code == 0, err
    from_solve = json.loads(out)["status_quo"]
    assert from_basins["outcome"] == from_solve["outcome"] == "cycling"
    assert from_basins["t_max"] == from_solve["t_max"] == DEFAULT_T_MAX
    for player, shares in from_solve["final_state"].items():
        assert from_basins["final_state"][player] == pytest.approx(shares)


def test_solve_on_extended_reports_the_low_equilibrium_and_status_quo(cli):
    code, out, _ = cli("solve", "extended", "--json")
    data = json.loads(out)
    profiles = [{p: max(v, key=v.get) for p, v in e["strategies"].items()} for e in data["equilibria"]]
    assert {"government": "guide", "platform": "formal", "worker": "intermittent"} in profiles
    assert data["status_quo"]["profile"] == {
        "government": "guide",
        "platform": "formal",
        "worker": "intermittent",
    }


def test_solve_takes_the_prospect_options(cli):
    code, out, _ = cli("solve", "extended", "--json", "--prospect")
    assert code == 0
    data = json.loads(out)
    assert data["payoffs"]["alpha"] == 0.88
    # a strictly increasing value function keeps every pure equilibrium
    strict = [e["strict"] for e in data["equilibria"]]
    assert len(data["equilibria"]) == 2 and all(strict)


def _expected(payoffs, strategies, players):
    """Each player's expected payoff at a mixed profile, by the joint distribution (not the kernel)."""
    import numpy as np

    x = [np.array(list(strategies[p].values())) for p in players]
    joint = x[0]
    for xi in x[1:]:
        joint = np.multiply.outer(joint, xi)
    return [float((payoffs[i] * joint).sum()) for i in range(len(players))]


def test_qre_points_carry_payoffs_and_welfare(cli):
    code, out, _ = cli("qre", "baseline", "--lambda", "0.01", "--json", "--points", "6")
    assert code == 0
    data = json.loads(out)
    model = load_model("baseline")
    decision = model.game().payoffs[0]
    welfare = model.game({"beta": 1, "lam": 1, "a": 1}).payoffs[0]  # baseline's [welfare] values
    points = data["branch"] + data["requested"][0]["qre"] + [data["nash"]]
    assert data["welfare_differs"] is True
    for pt in points:
        got_payoffs = [pt["payoffs"][p] for p in model.players]
        got_welfare = [pt["welfare"][p] for p in model.players]
        assert got_payoffs == pytest.approx(_expected(decision, pt["strategies"], model.players), abs=1e-9)
        assert got_welfare == pytest.approx(_expected(welfare, pt["strategies"], model.players), abs=1e-9)
    assert data["branch"][0]["welfare"]["worker"] != pytest.approx(data["branch"][0]["payoffs"]["worker"])
    code, text, _ = cli("qre", "baseline", "--points", "3")
    assert "payoffs (government, platform, worker)" in text and "welfare" in text
    # at the Nash limit (passive, shirk, lapse)
    assert "  payoffs -50, 980, 5940; welfare -50, 980, 5940" in text


def test_qre_welfare_of_behavioural_payoffs_is_the_game_as_written(tmp_path, cli):
    from tripartite.io.nfg import read_nfg

    path = tmp_path / "2x2x2.nfg"
    path.write_text(MCKELVEY_MCLENNAN_NFG, encoding="utf-8")
    code, out, err = cli("qre", str(path), "--json", "--points", "4", "--pt-loss-aversion", "2")
    assert code == 0, err
    data = json.loads(out)
    game = read_nfg(MCKELVEY_MCLENNAN_NFG)
    assert data["welfare_differs"] is True
    for pt in data["branch"]:
        welfare = [pt["welfare"][p] for p in game.players]
        assert welfare == pytest.approx(_expected(game.payoffs[0], pt["strategies"], game.players), abs=1e-9)
    code, out, err = cli("qre", str(path), "--points", "3")
    assert code == 0 and "welfare" not in out.split("\n\n")[0]  # the same as the payoffs: one column
