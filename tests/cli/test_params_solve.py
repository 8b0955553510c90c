import json
import re
import subprocess
import sys

import numpy as np
import pytest

from tripartite import load_model
from tripartite._version import __version__
from tripartite.cli.params import METHOD as PARAMS_METHOD
from tripartite.dynamics import DEFAULT_T_MAX
from tripartite.scenario import BUILTIN_CITATION
from tripartite.solution import RECORD_KEYS, solve


def test_params_lists_every_parameter(cli):
    code, out, _ = cli("params")
    assert code == 0
    for p in load_model("baseline").parameters:
        assert f"\n{p.name} " in out
    assert "section" in out and "yuan/month" in out


def test_params_json(cli):
    code, out, _ = cli("params", "baseline", "--json")
    data = json.loads(out)
    names = [p["name"] for p in data["parameters"]]
    assert names == [p.name for p in load_model("baseline").parameters]
    nu = data["parameters"][names.index("nu")]
    assert nu["min"] == 0 and nu["max"] == 1 and nu["section"] == "5.4"
    lam = data["parameters"][names.index("lam")]
    assert lam["default"] == 1.2 and lam["min"] == 1 and lam["max"] is None  # [1, inf)
    # the provenance of the model it describes, as every JSON output carries
    assert data["version"] == __version__ and data["model"] == "baseline"
    assert data["model_hash"] == load_model("baseline").hash and data["source"] == "baseline.toml"
    assert data["builtin"] is True and data["citation"] == BUILTIN_CITATION
    assert data["method"] == PARAMS_METHOD and data["tolerance"] is None and data["changed"] == {}
    assert cli("params", "baseline", "--format", "json")[1] == out


def test_solve_prints_the_low_equilibrium(cli):
    code, out, _ = cli("solve")
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == f"baseline (tripartite {__version__}, model hash {load_model('baseline').hash})"
    assert lines[1] == "parameters: defaults"
    # the README's numbers: one strict pure equilibrium, payoffs -50, 980, 5940
    row = next(line for line in lines if line.startswith("passive, shirk, lapse   "))
    assert row.split() == [
        "passive,",
        "shirk,",
        "lapse",
        "yes",
        "-50,",
        "980,",
        "5940",
        "-50,",
        "980,",
        "5940",
    ]
    low = next(line for line in lines if line.startswith("passive, shirk, lapse") and "stable" in line)
    assert "-36.5, -20, -332" in low and low.endswith("asymptotically stable")
    assert sum(line.endswith("saddle") for line in lines) == 6
    # the status quo's line: the time from which convergence to the vertex is certified
    assert re.fullmatch(r"  converges to: passive, shirk, lapse \(certified at t = 0\.\d+\)", lines[-1])


def test_solve_json_contract(cli):
    code, out, _ = cli("solve", "baseline", "--json", "--set", "nu=0.1")
    data = json.loads(out)
    assert data["version"] == __version__
    assert data["players"] == ["government", "platform", "worker"]
    assert data["strategies"]["worker"] == ["enroll", "lapse"]
    assert data["parameters"]["nu"] == 0.1
    assert data["tolerance"] > 0 and data["method"] and data["model_hash"]
    (eq,) = data["equilibria"]
    assert eq["strategies"] == {
        "government": {"active": 0, "passive": 1},
        "platform": {"share": 0, "shirk": 1},
        "worker": {"enroll": 0, "lapse": 1},
    }
    assert eq["pure"] is True and eq["strict"] is True and eq["regret"] == 0
    assert set(eq["payoffs"]) == {"government", "platform", "worker"}
    vertices = [r for r in data["rest_points"] if r["kind"] == "vertex"]
    assert len(vertices) == 8 and data["rest_points"][:8] == vertices
    others = data["rest_points"][8:]
    assert others and all(r["kind"] in ("edge", "face", "interior") for r in others)
    for r in data["rest_points"]:
        assert {"kind", "strategies", "eigenvalues", "classification", "focus", "nash_equilibrium"} <= set(r)
        assert all(abs(sum(shares.values()) - 1) < 1e-12 for shares in r["strategies"].values())
    assert data["rest_points_complete"] is True and data["rest_points_note"] is None
    # payoffs and welfare at every rest point, read independently: the payoff tables at nu = 0.1
    # (decision; welfare with beta = lam = a = 1) averaged over the state's product distribution
    model = load_model("baseline")
    decision = model.game({"nu": 0.1}).payoffs[0]
    welfare = model.game({"nu": 0.1, "beta": 1, "lam": 1, "a": 1}).payoffs[0]
    for r in data["rest_points"]:
        x, y, z = (list(r["strategies"][p].values()) for p in model.players)
        assert list(r["payoffs"]) == list(r["welfare"]) == list(model.players)
        assert list(r["payoffs"].values()) == pytest.approx(np.einsum("nijk,i,j,k->n", decision, x, y, z))
        assert list(r["welfare"].values()) == pytest.approx(np.einsum("nijk,i,j,k->n", welfare, x, y, z))
    # the low equilibrium, (passive, shirk, lapse), has the same payoffs as its vertex
    assert vertices[7]["payoffs"] == pytest.approx(eq["payoffs"])
    low = [
        r
        for r in data["rest_points"]
        if r["profile"] == {"government": "passive", "platform": "shirk", "worker": "lapse"}
    ]
    assert low[0]["classification"] == "asymptotically stable"
    assert all(len(pair) == 2 for pair in low[0]["eigenvalues"])
    assert low[0]["strict_equilibrium"] is True
    # deviation gains at the low vertex by hand: government -36.5 and platform -20 (README); the
    # worker's a_eff*beta*B - lam*c*(1 + kappa*sigma) - h*(1 - nu) with a_eff = a + (1 - a)*nu:
    # 0.64*0.7*2400 - 1.2*700*1.5 - 80*0.9 = 1075.2 - 1260 - 72 = -256.8
    assert [re for re, _ in low[0]["eigenvalues"]] == pytest.approx([-36.5, -20, -256.8])
    sq = data["status_quo"]
    assert sq["profile"] == low[0]["profile"] and sq["outcome"] == "vertex"
    assert sq["t_max"] == DEFAULT_T_MAX and sq["initial_state"]["worker"] == {"enroll": 0.3, "lapse": 0.7}
    assert data["payoffs"] == "rational (as written in the model)" and data["changed"] == {"nu": 0.1}
    assert data["citation"] == BUILTIN_CITATION and data["source"] == "baseline.toml"


def test_solve_json_has_the_same_keys_with_and_without_all(cli):
    pure = json.loads(cli("solve", "--json")[1])
    every = json.loads(cli("solve", "--all", "--json")[1])
    assert list(pure) == list(every)  # the same fields, in the same order
    assert set(RECORD_KEYS) <= set(pure)
    (a,), (b,) = pure["equilibria"], every["equilibria"]
    assert list(a) == list(b)
    for key in ("strategies", "pure", "strict", "quasi_strict", "regular", "support", "note"):
        assert key in a
    assert a["strategies"] == b["strategies"] and a["support"] == b["support"]
    assert a["payoffs"] == pytest.approx(b["payoffs"]) and a["strict"] is b["strict"] is True
    assert (pure["all"], every["all"]) == (False, True)
    assert (pure["complete"], every["complete"]) == (None, True)


def test_solution_record_carries_no_provenance(baseline):
    record = solve(baseline, {"nu": 0.1}).to_record()
    assert tuple(record) == RECORD_KEYS
    assert not {"version", "model", "model_hash", "parameters", "method", "tolerance"} & set(record)
    json.dumps(record, allow_nan=False)  # JSON-ready as it is


def test_solve_a_scenario_without_status_quo(tmp_path, cli):
    from tests.test_scenario import SMALL

    path = tmp_path / "small.toml"
    path.write_text(SMALL, encoding="utf-8")
    data = json.loads(cli("solve", path, "--json")[1])
    assert data["status_quo"] is None and data["source"] == str(path)
    assert data["builtin"] is False and data["citation"] is None
    # by hand: (up, left) pays (3, 2); row loses 2 by moving down, col loses 1 by moving right
    up_left = next(r for r in data["rest_points"] if r["profile"] == {"row": "up", "col": "left"})
    assert sorted(re for re, _ in up_left["eigenvalues"]) == [-2, -1]
    assert "Status-quo" not in cli("solve", path)[1]


def test_solve_with_a_lever_changes_the_answer(baseline):
    # a mature data interface makes the government's low-vertex gain positive: by hand,
    # q_eff*f + K - C*(1 - rho*d) = (0.2 + 0.8*0.6)*200 + 50 - 150*(1 - 0.3) = 136 + 50 - 105 = 81
    # (the game alone: no status quo to integrate)
    rest = solve(baseline.game(d=0.6)).to_record()["rest_points"]
    low = [r for r in rest if r["profile"] and list(r["profile"].values()) == ["passive", "shirk", "lapse"]]
    assert low[0]["classification"] == "saddle"
    assert low[0]["eigenvalues"][0][0] == pytest.approx(81)


def test_unicode_scenario_round_trip(unicode_scenario, cli):
    code, out, _ = cli("solve", unicode_scenario, "--json")
    assert code == 0
    data = json.loads(out)
    assert data["players"] == ["政府", "平台"]
    assert {"积极, 分担", "消极, 规避"} == {
        ", ".join(max(s, key=s.get) for s in e["strategies"].values()) for e in data["equilibria"]
    }
    assert "政府" in out  # not \\u-escaped


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["solve", "nosuchmodel"], "unknown model 'nosuchmodel'"),
        (["solve", "--set", "zeta=1"], "unknown parameter 'zeta'"),
        (["solve", "--set", "nu=high"], "'high' is not a number"),
        (["solve", "--set", "nu=1.5"], "outside its admissible range [0, 1]"),
        (["solve", "--set", "nu"], "expects NAME=VALUE"),
        (["params", "missing.toml"], "missing.toml: no such file"),
    ],
)
def test_user_errors_exit_nonzero_with_one_message(cli, argv, message):
    code, out, err = cli(*argv)
    assert code == 2
    assert message in err
    assert err.count("\n") == 1 and "Traceback" not in err
    assert out == ""


@pytest.mark.slow  # a fresh interpreter: about 3-6 s of imports on 2 shared cores
def test_no_traceback_from_the_real_command():
    proc = subprocess.run(
        [sys.executable, "-m", "tripartite", "solve", "--set", "lam=0.5"],
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 2
    assert (
        proc.stderr.strip()
        == "tripartite: error: parameter 'lam': 0.5 is outside its admissible range [1, inf]"
    )
