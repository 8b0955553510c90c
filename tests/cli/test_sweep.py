"""The ``sweep`` and ``escape`` commands: output, provenance, and bad input before any work."""

import json

import pytest


@pytest.mark.parametrize(
    "argv, message",
    [
        (["--vary", "nope=0:1:3"], "unknown parameter 'nope' for model 'baseline'; known parameters: V_E"),
        (["--vary", "nu=0:1"], "parameter 'nu': malformed range '0:1'; expected START:STOP:N"),
        (["--vary", "nu=0:1:x"], "the number of points 'x' is not a whole number"),
        (["--vary", "nu"], "--vary expects NAME=START:STOP:N"),
        (["--vary", "nu=0:2:5"], "parameter 'nu': range 0:2:5 goes outside its admissible range [0, 1]"),
        (["--vary", "lam=0:2:5"], "parameter 'lam': range 0:2:5 goes outside its admissible range [1, inf]"),
        (["--vary", "nu=0:1:3", "--set", "nu=0.5"], "parameter 'nu' is both varied (--vary) and set (--set)"),
        (["--vary", "nu=0:1:3", "--vary", "nu=0:1:4"], "parameter 'nu' is varied twice"),
        (["--vary", "nu=0:1:3", "--sample", "sobol:8"], "with --sample give bounds LO:HI"),
        (["--vary", "nu=0:1", "--sample", "halton:8"], "--sample expects METHOD:N"),
        (["--vary", "nu=0:1:3", "--out", "{tmp}/missing/x.csv"], "folder {tmp}/missing does not exist"),
        (["--vary", "nu=0:1:3", "--out", "{tmp}/x.txt"], "must end in .csv or .parquet"),
        (["--vary", "nu=0:1:3", "--out", "{tmp}"], "must end in .csv or .parquet"),
        (["--vary", "nu=0:1:3", "--plot", "{tmp}/x.gif"], "x.gif: use a .png, .pdf or .svg file name"),
        (["--vary", "nu=0:1:3", "--resume"], "--resume needs --out FILE"),
        (["--vary", "nu=0:1:3", "--workers", "0"], "--workers must be at least 1"),
        (["--vary", "nu=0:1:3", "--excel"], "--excel writes a CSV file for Excel: give --out FILE.csv"),
        (["--vary", "nu=0:1:3", "--excel", "--out", "{tmp}/x.parquet"], "give --out FILE.csv"),
        (["--vary", "nu=0:1:2000", "--vary", "k=0:1:600", "--out", "{tmp}/x.xlsx"], "do not fit one Excel"),
        (["--vary", "nu=0:1:3", "--out", "{tmp}/x.xlsx", "--resume"], "--resume completes a .csv"),
    ],
)
def test_bad_input_is_one_clear_message_and_exit_2(cli, tmp_path, argv, message):
    argv = [a.replace("{tmp}", str(tmp_path)) for a in argv]
    code, out, err = cli("sweep", "baseline", *argv)
    assert code == 2 and out == ""
    assert err.startswith("tripartite: error: ") and err.count("\n") == 1
    assert message.replace("{tmp}", str(tmp_path)) in err
    assert list(tmp_path.iterdir()) == []  # nothing written


def test_sweep_prints_regimes_and_exact_thresholds(cli):
    code, out, _ = cli("sweep", "--vary", "nu=0:1:101")
    assert code == 0
    assert "low only" in out and "passive/shirk/enroll only" in out
    assert "nu = 0.441489 = 83/188: low only -> passive/shirk/enroll only" in out


def test_sweep_json_summary(cli):
    code, out, _ = cli("sweep", "--vary", "nu=0:1:5", "--json")
    record = json.loads(out)
    assert code == 0 and record["points"] == 5 and record["out"] is None and record["plot"] is None
    # nu = 0, 0.25 below 83/188 (low); 0.5, 0.75, 1 above (workers enrol)
    assert record["regimes"] == {"passive/shirk/enroll only": 3, "low only": 2}
    (t,) = record["thresholds"]
    assert (t["exact"], t["below"], t["above"], t["tolerance"]) == (
        "83/188",
        "low only",
        "passive/shirk/enroll only",
        0.0,
    )
    assert record["model_hash"] and "classify" in record["method"]


def test_sweep_writes_table_sidecar_and_plot(cli, tmp_path):
    out_file, plot = tmp_path / "map.csv", tmp_path / "map.png"
    code, out, _ = cli(
        "sweep", "baseline", "--vary", "nu=0:1:21", "--vary", "k=0:1:11", "--set", "phi=0.2",
        "--out", str(out_file), "--plot", str(plot), "--workers", "2", "--json",
    )  # fmt: skip
    assert code == 0
    record = json.loads(out)
    assert record["points"] == 231 and sum(record["regimes"].values()) == 231
    assert record["parameters"]["phi"] == 0.2 and record["command"].startswith("tripartite ")
    assert (
        out_file.read_text().splitlines()[0] == "nu,k,regime,stable_vertices,pure_equilibria,n_stable,n_pure"
    )
    assert len(out_file.read_text().splitlines()) == 232
    meta = json.loads((tmp_path / "map.csv.json").read_text())
    assert meta["fingerprint"] == record["fingerprint"]
    assert plot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert json.loads((tmp_path / "map.png.json").read_text())["figure_kind"] == "regime map"


def test_escape_text(cli):
    code, out, _ = cli("escape", "baseline", "--levers", "nu,m,rho,s,k")
    assert code == 0
    assert "Escape from low (passive, shirk, lapse)" in out
    assert "0.441489 = 83/188" in out and "-20 (-33%)" in out
    assert "rho: low stays stable over the whole admissible range [0, 1] of rho" in out
    assert "s: s does not enter the stability conditions of low" in out
    assert "Least-cost package making high the only asymptotically stable vertex" in out
    assert "numeric check: confirmed" in out


def test_escape_json_and_costs(cli):
    code, out, _ = cli("escape", "--levers", "k,nu", "--cost", "k=1", "--cost", "nu=1", "--json")
    assert code == 0
    record = json.loads(out)
    assert record["low"]["stable"] and record["model_hash"]
    pkg = record["package"]
    assert pkg["feasible"] and pkg["verified"] and pkg["cost_basis"] == "given weights"
    # the platform shares at passive/shirk/enroll while 720 k < 260, kept inside by the default
    # margin: 1% of the payoff scale 1812.5 (the government's payoff range)
    assert pkg["payoff_scale"] == pytest.approx(1812.5)
    assert pkg["package"]["k"] == pytest.approx((260 - 0.01 * 1812.5) / 720, abs=1e-6)
    assert [e["exact"] for e in record["single_lever"]] == [
        None,
        "83/188",
    ]  # k does not enter low's conditions


@pytest.mark.parametrize(
    "argv, message",
    [
        (["--levers", "nu,zz"], "unknown parameter 'zz'"),
        (["--levers", "nu", "--cost", "k=1"], "--cost names 'k', which is not one of the levers (nu)"),
        (["--levers", "nu", "--cost", "nu=-1"], "the weight must be a non-negative number"),
        (["--target", "passive,share"], "give one strategy per player"),
        (["--target", "passive,share,nap"], "'nap' is not a strategy of 'worker'"),
    ],
)
def test_escape_bad_input(cli, argv, message):
    code, out, err = cli("escape", *argv)
    assert code == 2 and out == "" and message in err and err.count("\n") == 1


def test_escape_reports_infeasible_target(cli):
    code, out, _ = cli("escape", "--levers", "s,nu,phi")
    assert code == 0
    assert "infeasible within the levers' admissible ranges; binding:" in out
    assert "platform's gain from share -> shirk at high < 0" in out


def test_excel_csv_starts_with_a_byte_order_mark_and_reads_back(cli, tmp_path):
    from tripartite.sweep import read_sweep

    plain, marked = tmp_path / "plain.csv", tmp_path / "marked.csv"
    assert cli("sweep", "--vary", "nu=0:1:5", "--out", str(plain), "--quiet")[0] == 0
    assert cli("sweep", "--vary", "nu=0:1:5", "--out", str(marked), "--excel", "--quiet")[0] == 0
    assert marked.read_bytes() == b"\xef\xbb\xbf" + plain.read_bytes()
    sidecar = json.loads((tmp_path / "marked.csv.json").read_text(encoding="utf-8"))
    assert sidecar["table"]["encoding"] == "utf-8-sig"
    import hashlib

    assert sidecar["table"]["sha256"] == hashlib.sha256(marked.read_bytes()).hexdigest()
    assert read_sweep(marked).equals(read_sweep(plain))


def test_sweep_to_an_excel_workbook_holds_the_csv_table(cli, tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    from tripartite.sweep import read_sweep

    csv, xlsx = tmp_path / "t.csv", tmp_path / "t.xlsx"
    assert cli("sweep", "--vary", "nu=0:1:7", "--out", str(csv), "--quiet")[0] == 0
    assert cli("sweep", "--vary", "nu=0:1:7", "--out", str(xlsx), "--quiet")[0] == 0
    rows = [[c.value for c in r] for r in openpyxl.load_workbook(xlsx)["sweep"].iter_rows()]
    frame = read_sweep(csv)
    assert rows[0] == list(frame.columns)
    assert [r[0] for r in rows[1:]] == pytest.approx(frame["nu"].tolist())
    assert [r[1] for r in rows[1:]] == frame["regime"].astype(str).tolist()
    assert (tmp_path / "t.xlsx.json").exists()


def test_thresholds_beside_a_table_with_undefined_rows_are_not_claimed(cli, tmp_path):
    """log(a) is undefined for a <= 0: those rows are invalid, and the summary says why no threshold is given."""
    scenario = tmp_path / "log.toml"
    scenario.write_text(
        '[players]\nrow = ["up", "down"]\ncol = ["left", "right"]\n'
        "[parameters]\na = { value = 1, min = -1, max = 2 }\n"
        '[payoffs]\n"up, left" = ["log(a)", "1"]\n"up, right" = ["-1", "0"]\n'
        '"down, left" = ["1", "0"]\n"down, right" = ["0", "1"]\n',
        encoding="utf-8",
    )
    code, out, err = cli("sweep", scenario, "--vary", "a=-1:2:4", "--json")
    assert code == 0 and err == ""  # no numpy warning either
    record = json.loads(out)
    assert record["thresholds"] == []
    assert "log(a) is not a finite real number at a = -1" in record["thresholds_not_computed"]
    assert record["regimes"]["invalid: payoff of row at (up, left) undefined"] == 2  # a = -1 and a = 0
