"""``tripartite simulate``: the JSON contract, the table and its provenance, and one-line refusals."""

import json

import numpy as np
import pandas as pd
import pytest

from tripartite import load_model
from tripartite.dynamics.stability import vertex_stability

from ..dynamics.reference import solve_ivp_shares

BISTABLE = ["--set", "nu=0.25", "--set", "k=0.2"]


def _flat(state: dict) -> np.ndarray:
    return np.array([v for shares in state.values() for v in shares.values()])


@pytest.mark.slow
def test_json_trajectories_agree_with_solve_ivp(cli):
    # t = 0.05: still moving, so the comparison sees the path, not only the vertex
    code, out, _ = cli(
        "simulate",
        "--from",
        "0.3,0.2,0.3",
        "--from",
        "0.6,0.5,0.4",
        "--vary",
        "nu=0,0.5",
        "--t-max",
        "0.05",
        "--json",
    )
    assert code == 0
    data = json.loads(out)
    assert data["command"] == "simulate" and data["model"] == "baseline" and "method" in data
    assert data["vary"] == {"name": "nu", "values": [0.0, 0.5]} and data["schedule"] is None
    trajectories = data["trajectories"]
    assert [t["parameters"] for t in trajectories] == [{"nu": 0.0}, {"nu": 0.5}] * 2
    model = load_model("baseline")
    for t in trajectories:
        assert set(t) >= {"initial_state", "parameters", "schedule", "outcome", "final_state", "t_final"}
        x0 = [list(s.values()) for s in t["initial_state"].values()]
        ref = solve_ivp_shares(model.game(t["parameters"]).payoffs[0], x0, [0.0, t["t_final"]])[-1]
        np.testing.assert_allclose(_flat(t["final_state"]), ref, atol=1e-5)
    assert trajectories[0]["initial_state"]["platform"] == {"share": 0.2, "shirk": 0.8}


@pytest.mark.slow
def test_a_schedule_is_recorded_and_ends_in_the_better_stable_state(cli):
    code, out, _ = cli("simulate", *BISTABLE, "--schedule", "phi=0:1,8:0", "--t-max", "30", "--json")
    assert code == 0
    data = json.loads(out)
    (t,) = data["trajectories"]
    assert t["schedule"] == data["schedule"] == {"phi": [[0.0, 1.0], [8.0, 0.0]]}
    # where it ends is asymptotically stable at the parameters that stay (phi back at its default)
    game = load_model("baseline").game(nu=0.25, k=0.2)
    stable = vertex_stability(game).stable[0]
    index = tuple(game.strategy_index(i, s) for i, s in enumerate(t["profile"].values()))
    assert t["outcome"] == "vertex" and t["certified"] and stable[index]
    _, plain, _ = cli("simulate", *BISTABLE, "--t-max", "30", "--json")
    assert json.loads(plain)["trajectories"][0]["profile"] != t["profile"]


@pytest.mark.parametrize("suffix", [".csv", ".parquet"])
@pytest.mark.slow
def test_table_has_one_row_per_trajectory_and_time_and_cite_reads_it(cli, tmp_path, suffix):
    out = tmp_path / f"paths{suffix}"
    code, text, _ = cli(
        "simulate", "--from", "0.3,0.2,0.3", "--vary", "nu=0,0.5", "--t-max", "1", "--out", out, "--json"
    )
    assert code == 0
    data = json.loads(text)
    frame = pd.read_csv(out) if suffix == ".csv" else pd.read_parquet(out)
    assert len(frame) == 2 * data["sampled_times"]
    assert list(frame.columns[:4]) == ["trajectory", "initial_state", "nu", "t"]
    last = frame[frame["trajectory"] == 1].iloc[-1]
    assert last["t"] == 1.0 and last["nu"] == 0.5
    np.testing.assert_allclose(
        last.iloc[4:].to_numpy(dtype=float), _flat(data["trajectories"][1]["final_state"])
    )
    code, cited, _ = cli("cite", out)
    assert code == 0 and "baseline" in cited and data["model_hash"] in cited


@pytest.mark.slow
def test_text_output_names_each_trajectory_and_where_it_ends(cli):
    code, out, _ = cli(
        "simulate", "--from", "0.3,0.2,0.3", "--from", "0.5,0.5,0.5", *BISTABLE, "--t-max", "5"
    )
    assert code == 0
    assert "(0.3, 0.2, 0.3)" in out and "(0.5, 0.5, 0.5)" in out and "certified" in out


@pytest.mark.parametrize(
    "args, message",
    [
        (["--from", "0.3,0.2"], "one share per player"),
        (["--from", "0.3,1.2,0.3"], "between 0 and 1"),
        (["--from", "government=0.5,0.5;platform=0.5,0.5"], "no shares for worker"),
        (["--from", "nobody=1,0"], "unknown player 'nobody'"),
        (["--from", "government=0.5,0.6;platform=1,0;worker=1,0"], "sum to 1"),
        (["--vary", "nu"], "expects NAME=V1,V2"),
        (["--vary", "nu=0,x"], "'x' is not a number"),
        (["--vary", "nu=0,99"], "outside its admissible range"),
        (["--vary", "nonsense=1,2"], "nonsense"),
        (["--vary", "nu=0,1", "--set", "nu=0.5"], "also set with --set"),
        (["--schedule", "phi=0:1,8"], "TIME:VALUE pairs"),
        (["--schedule", "phi=8:1,2:0"], "times must increase"),
        (["--schedule", "phi=0:9"], "outside its admissible range"),
        (["--schedule", "phi=0:1", "--vary", "phi=0,1"], "also has a --schedule"),
        (["--t-max", "0"], "--t-max"),
        (["--figure", "sensitivity", "--plot", "PLOT"], "needs --vary"),
    ],
)
def test_bad_options_give_one_error_line_and_no_file(cli, tmp_path, args, message):
    out = tmp_path / "paths.csv"
    args = [str(tmp_path / "fig.png") if a == "PLOT" else a for a in args]
    code, stdout, err = cli("simulate", *args, "--out", out)
    assert code == 2 and stdout == ""
    assert err.startswith("tripartite: error: ") and err.count("\n") == 1 and message in err
    assert list(tmp_path.iterdir()) == []


def test_the_cube_needs_three_two_strategy_populations(cli, tmp_path):
    code, _, err = cli("simulate", "extended", "--figure", "cube", "--plot", tmp_path / "c.png")
    assert code == 2 and "three two-strategy populations" in err and list(tmp_path.iterdir()) == []


@pytest.mark.slow
def test_general_state_form_on_a_three_strategy_model(cli):
    state = "government=0.2,0.6,0.2;platform=0.15,0.6,0.25;worker=0.2,0.45,0.35"
    code, out, _ = cli("simulate", "extended", "--from", state, "--t-max", "5", "--json")
    assert code == 0
    t = json.loads(out)["trajectories"][0]
    assert t["initial_state"]["platform"] == {"share": 0.15, "formal": 0.6, "none": 0.25}
    assert np.isclose(sum(t["final_state"]["worker"].values()), 1.0)


@pytest.mark.slow
def test_basins_accepts_a_schedule_and_records_it(cli):
    base = ["basins", *BISTABLE, "--samples", "100", "--no-push", "--json"]
    code, out, _ = cli(*base, "--schedule", "phi=0:1,0.05:0")
    assert code == 0
    data = json.loads(out)
    assert data["schedule"] == {"phi": [[0.0, 1.0], [0.05, 0.0]]}
    _, plain, _ = cli(*base)
    shares = {tuple(s["profile"].values()): s["share"] for s in json.loads(plain)["stable_states"]}
    scheduled = {tuple(s["profile"].values()): s["share"] for s in data["stable_states"]}
    assert scheduled.keys() == shares.keys()  # the stable states of the values that stay
    high = ("passive", "share", "enroll")
    assert scheduled[high] > shares[high]
    code, _, err = cli("basins", "--schedule", "phi=0:7")
    assert code == 2 and "outside its admissible range" in err
