import json
import subprocess
import sys

import pytest

from tripartite import __version__, load_model


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


def test_solve_prints_the_low_equilibrium(cli):
    code, out, _ = cli("solve")
    assert code == 0
    assert "passive, shirk, lapse" in out
    assert "converges to: passive, shirk, lapse" in out
    assert "asymptotically stable" in out


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
    assert len(data["rest_points"]) == 8
    low = [
        r
        for r in data["rest_points"]
        if r["profile"] == {"government": "passive", "platform": "shirk", "worker": "lapse"}
    ]
    assert low[0]["classification"] == "asymptotically stable"
    assert all(len(pair) == 2 for pair in low[0]["eigenvalues"])
    assert data["status_quo"]["profile"] == low[0]["profile"]


def test_solve_with_a_lever_changes_the_answer(cli):
    # a mature data interface makes the government's low-vertex gain positive
    _, out, _ = cli("solve", "--json", "--set", "d=0.6")
    data = json.loads(out)
    low = [r for r in data["rest_points"] if list(r["profile"].values()) == ["passive", "shirk", "lapse"]]
    assert low[0]["classification"] == "saddle"


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
