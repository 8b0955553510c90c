"""Running sweeps: tables, files with provenance, parallel and Dask execution, resume."""

import hashlib
import json
import os
import signal
import subprocess
import sys
import time

import numpy as np
import pandas as pd
import pytest

from tripartite import __version__, load_model, vertex_stability
from tripartite.dynamics import DEFAULT_T_MAX
from tripartite.errors import TripartiteError
from tripartite.sweep import grid, read_sweep, sample, sweep
from tripartite.sweep.parts import parts_path
from tripartite.sweep.tables import sidecar_path


@pytest.fixture(scope="module")
def model():
    return load_model("baseline")


@pytest.fixture(scope="module")
def design(model):
    return grid(model, {"nu": "0:1:41", "k": "0:1:21"})


@pytest.fixture(scope="module")
def reference(model, design):
    return sweep(model, design, values={"phi": 0.2}, chunk_size=100).table


def test_in_memory_record(model):
    result = sweep(model, grid(model, {"nu": [0.0, 0.25, 83 / 188, 0.5, 1.0]}))
    # the worker's gain at low is -332 + 752 nu: low below 83/188, a boundary at it, enrol above
    assert result.to_record() == {
        "points": 5,
        "regimes": {"low only": 2, "passive/shirk/enroll only": 2, "boundary": 1},
        "path": None,
    }


def test_table_is_tidy_and_matches_the_solver(model, design, reference):
    assert list(reference.columns) == [
        "nu", "k", "regime", "stable_vertices", "pure_equilibria", "n_stable", "n_pure"
    ]  # fmt: skip
    assert len(reference) == design.n_points
    values = {"nu": reference["nu"].to_numpy(), "k": reference["k"].to_numpy(), "phi": 0.2}
    st = vertex_stability(model.game(values))
    np.testing.assert_array_equal(
        reference["n_stable"].to_numpy(), st.stable.reshape(len(reference), -1).sum(1)
    )

    # spot checks by hand (MODEL.md gains; phi = 0.2 lowers the worker's cost to 1176)
    def at(nu, k):
        return reference[np.isclose(reference["nu"], nu) & np.isclose(reference["k"], k)].iloc[0]

    assert at(0, 0.5)["regime"] == "low only" and at(0, 0.5)["stable_vertices"] == "low"
    # k < 13/36 lets the platform share; nu = 0.5 makes workers enrol at high but not at low
    assert at(0.5, 0.3)["regime"] == "high only" and at(0.5, 0.3)["pure_equilibria"] == "high"
    assert at(0.25, 0.3)["regime"] == "low and high (bistable)"


def test_chunking_and_workers_do_not_change_the_table(model, design, reference):
    for kwargs in ({"chunk_size": 7}, {"chunk_size": 200, "workers": 2}):
        other = sweep(model, design, values={"phi": 0.2}, **kwargs).table
        pd.testing.assert_frame_equal(other.astype(str), reference.astype(str))


@pytest.mark.parametrize("suffix", [".csv", ".parquet"])
def test_file_with_provenance_sidecar(tmp_path, model, design, reference, suffix):
    out = tmp_path / f"map{suffix}"
    result = sweep(model, design, values={"phi": 0.2}, out=out, chunk_size=100, workers=2)
    assert not parts_path(out).exists()  # chunk files cleaned up
    back = read_sweep(out)
    pd.testing.assert_frame_equal(back.astype(str), reference.astype(str), check_dtype=False)
    meta = json.loads(sidecar_path(out).read_text(encoding="utf-8"))
    assert meta["version"] == __version__ and meta["model"] == "baseline"
    assert meta["model_hash"] == model.hash
    assert meta["parameters"]["phi"] == 0.2 and "nu" not in meta["parameters"]
    assert [v["name"] for v in meta["varied"]] == ["nu", "k"]
    assert meta["design"]["axes"][0]["spec"] == "0:1:41"
    assert meta["tolerance"] == 1e-9 and "eigenvalue" in meta["method"]
    assert meta["table"]["rows"] == design.n_points
    assert meta["table"]["sha256"] == hashlib.sha256(out.read_bytes()).hexdigest()
    assert sum(meta["regimes"].values()) == design.n_points == result.n_points
    assert result.counts == meta["regimes"]
    assert result.to_record() == {"points": design.n_points, "regimes": meta["regimes"], "path": str(out)}


def test_trajectories_from_the_status_quo_end_at_the_only_stable_vertex(model):
    # one stable vertex on either side of nu = 83/188 (MODEL.md), and the status quo in its basin
    result = sweep(model, grid(model, {"nu": [0.0, 1.0]}), initial="status quo")
    table = result.table
    assert table["outcome"].astype(str).tolist() == ["vertex", "vertex"]
    assert table["reached"].astype(str).tolist() == ["low", "passive/shirk/enroll"]
    assert result.provenance["trajectories"]["t_max"] == DEFAULT_T_MAX  # the one default horizon
    assert result.provenance["trajectories"]["initial"] == [list(x) for x in model.initial_state]


@pytest.mark.slow
def test_samples_and_trajectories(model):
    design = sample(model, {"nu": (0, 1), "f": (200, 600)}, 16, "sobol", seed=1)
    table = sweep(model, design, initial="status quo", t_max=60).table
    assert {"outcome", "reached"} <= set(table.columns)
    cyc = table[table["regime"] == "no stable vertex (cycling)"]
    assert len(cyc) and set(cyc["outcome"]) == {"cycling"}
    single = table[table["n_stable"] == 1]
    # with one stable vertex every trajectory from the status quo ends there
    assert (single["reached"].astype(str) == single["stable_vertices"].astype(str)).all()


def test_inputs_are_checked_before_any_work(tmp_path, model, design):
    with pytest.raises(TripartiteError, match="both varied and set"):
        sweep(model, design, values={"nu": 0.3})
    with pytest.raises(TripartiteError, match="must end in .csv or .parquet"):
        sweep(model, design, out=tmp_path / "map.txt")
    with pytest.raises(TripartiteError, match="does not exist"):
        sweep(model, design, out=tmp_path / "missing" / "map.csv")
    with pytest.raises(TripartiteError, match="resume needs an output file"):
        sweep(model, design, resume=True)
    assert list(tmp_path.iterdir()) == []


def test_unfinished_sweep_needs_resume_and_the_same_sweep(tmp_path, model, design):
    out = tmp_path / "map.csv"
    parts = parts_path(out)
    parts.mkdir()
    (parts / "manifest.json").write_text('{"fingerprint": "something else"}')
    with pytest.raises(TripartiteError, match="--resume"):
        sweep(model, design, out=out)
    with pytest.raises(TripartiteError, match="different sweep"):
        sweep(model, design, out=out, resume=True)
    assert not out.exists()


@pytest.mark.slow
def test_killed_sweep_resumes_to_the_same_result(tmp_path, model):
    args = ["--vary", "nu=0:1:200", "--vary", "phi=0:1:500", "--chunk-size", "400", "--quiet"]
    killed = tmp_path / "killed.csv"
    cmd = [sys.executable, "-m", "tripartite", "sweep", "baseline", *args, "--out", str(killed)]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)
    parts = parts_path(killed)
    deadline = time.monotonic() + 60
    while not (parts.exists() and any(parts.glob("chunk-*.csv"))):
        assert proc.poll() is None, proc.stderr.read().decode()
        assert time.monotonic() < deadline
        time.sleep(0.005)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    done = len(list(parts.glob("chunk-*.csv")))
    assert 0 < done < 250  # killed mid-run
    assert not killed.exists() and not sidecar_path(killed).exists()  # nothing looks complete

    # a chunk half-written at the moment of the kill is ignored
    (parts / ".chunk-000249.csv.abc.part").write_bytes(b"0,0,partial")
    # and what a kill during the final join leaves beside the table and its sidecar is removed
    (tmp_path / ".killed.csv.0123abcd.part").write_bytes(b"nu,phi\n0,")
    (tmp_path / ".killed.csv.json.89abcdef.part").write_bytes(b"{")
    resumed = subprocess.run([*cmd, "--resume"], capture_output=True, text=True, timeout=120, check=False)
    assert resumed.returncode == 0, resumed.stderr
    assert not parts.exists()
    assert not list(tmp_path.glob(".*.part"))

    whole = tmp_path / "whole.csv"
    m = load_model("baseline")
    sweep(m, grid(m, {"nu": "0:1:200", "phi": "0:1:500"}), chunk_size=400, out=whole)
    assert killed.read_bytes() == whole.read_bytes()
    a = json.loads(sidecar_path(killed).read_text())
    b = json.loads(sidecar_path(whole).read_text())
    assert a["regimes"] == b["regimes"] and a["table"]["sha256"] == b["table"]["sha256"]


@pytest.mark.slow
def test_dask_gives_the_same_table(tmp_path, model, design, reference):
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(
        n_workers=1, threads_per_worker=1, processes=False, dashboard_address=None
    ) as cluster:
        table = sweep(
            model, design, values={"phi": 0.2}, chunk_size=100, scheduler=cluster.scheduler_address
        ).table
        out = tmp_path / "dask.parquet"
        with distributed.Client(cluster) as client:
            sweep(model, design, values={"phi": 0.2}, chunk_size=100, scheduler=client, out=out)
    pd.testing.assert_frame_equal(table.astype(str), reference.astype(str))
    pd.testing.assert_frame_equal(read_sweep(out).astype(str), reference.astype(str), check_dtype=False)


def test_resume_of_a_finished_sweep_recomputes_nothing(tmp_path, model, design, monkeypatch):
    out = tmp_path / "map.csv"
    first = sweep(model, design, out=out, resume=True)  # nothing to resume: a fresh sweep
    stamp = out.stat().st_mtime_ns
    import tripartite.sweep.executors as executors

    monkeypatch.setattr(executors, "run_chunk", None)  # any computation would fail
    again = sweep(model, design, out=out, resume=True)
    assert again.counts == first.counts and out.stat().st_mtime_ns == stamp


def test_scenario_file_in_worker_processes(tmp_path, unicode_scenario):
    from tripartite import load_model as load

    model = load(str(unicode_scenario))
    design = grid(model, {"成本": "0:4:9"})
    out = tmp_path / "结果.csv"
    sweep(model, design, out=out, workers=2, chunk_size=2)
    table = read_sweep(out)
    # at (积极, 分担) the row player's gain from 消极 is 成本 - 2: strict below 成本 = 2
    assert table["regime"].tolist()[:5] == ["积极/分担 and 消极/规避 (bistable)"] * 4 + ["boundary"]
    assert set(table["regime"].tolist()[5:]) == {"消极/规避 only"}
    meta = json.loads(sidecar_path(out).read_text(encoding="utf-8"))
    assert meta["model"] == "劳动者博弈" and meta["varied"][0]["name"] == "成本"


UNDEFINED_SOMEWHERE = """
name = "log payoff"
[players]
row = ["up", "down"]
col = ["left", "right"]
[parameters]
x = { value = 0.5, min = -1, max = 3 }
[payoffs]
"up, left" = ["log(x)", "1"]
"up, right" = ["0", "0"]
"down, left" = ["0", "0"]
"down, right" = ["1", "sqrt(x)"]
[initial_state]
row = [0.5, 0.5]
col = [0.5, 0.5]
"""


@pytest.mark.parametrize("trajectories", [False, True])
def test_points_where_a_payoff_is_undefined_are_rows_marked_invalid(trajectories):
    from tripartite import read_scenario

    m = read_scenario(UNDEFINED_SOMEWHERE, "log.toml")
    initial = "status quo" if trajectories else None
    table = sweep(m, grid(m, {"x": "-1:3:9"}), initial=initial).table
    invalid = table["x"] <= 0  # log(x) is undefined there (and sqrt(x) below 0)
    assert (table.loc[invalid, "regime"] == "invalid: payoff of row at (up, left) undefined").all()
    assert (table.loc[invalid, ["n_stable", "n_pure"]] == 0).all().all()
    assert (table.loc[invalid, "stable_vertices"] == "").all()
    # the defined rows are exactly those of a sweep over the defined points alone
    alone = sweep(m, grid(m, {"x": table.loc[~invalid, "x"].tolist()}), initial=initial).table
    pd.testing.assert_frame_equal(
        table.loc[~invalid].reset_index(drop=True).astype(str), alone.astype(str), check_categorical=False
    )
    if trajectories:
        assert (table.loc[invalid, "outcome"] == "").all() and (table.loc[~invalid, "outcome"] != "").all()


def test_damaged_chunk_records_refuse_to_resume(tmp_path, model, monkeypatch):
    import tripartite.sweep.parts as parts_module

    small = grid(model, {"nu": "0:1:4"})
    out = tmp_path / "map.csv"
    real = parts_module.Parts.write

    def write_then_stop(self, res):
        real(self, res)
        raise KeyboardInterrupt

    monkeypatch.setattr(parts_module.Parts, "write", write_then_stop)
    with pytest.raises(KeyboardInterrupt):
        sweep(model, small, out=out, chunk_size=2)
    monkeypatch.setattr(parts_module.Parts, "write", real)
    folder = parts_path(out)
    (folder / "chunk-000000.json").write_text("[1, 2]")
    with pytest.raises(TripartiteError, match="missing or damaged"):
        sweep(model, small, out=out, chunk_size=2, resume=True)
    (folder / "manifest.json").write_text("[" * 5000 + "]" * 5000)
    with pytest.raises(TripartiteError, match="no readable manifest.json"):
        sweep(model, small, out=out, chunk_size=2, resume=True)


@pytest.mark.parametrize("damage", ["[1, 2]", "[" * 5000 + "]" * 5000, '{"fingerprint": null, "table": 3}'])
def test_resume_over_a_damaged_sidecar_computes_the_sweep_again(tmp_path, model, damage):
    small = grid(model, {"nu": "0:1:4"})
    out = tmp_path / "map.csv"
    first = sweep(model, small, out=out)
    sidecar_path(out).write_text(damage)
    again = sweep(model, small, out=out, resume=True)
    assert again.counts == first.counts
    assert json.loads(sidecar_path(out).read_text())["table"]["sha256"] == first.provenance["table"]["sha256"]
