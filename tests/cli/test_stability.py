"""``tripartite stability`` and ``tripartite thresholds`` (and scenario paths in ``solve``)."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import sympy as sp

from tripartite import load_model
from tripartite.symbolic import vertex_analysis

EXAMPLE = str(Path(__file__).resolve().parents[2] / "examples" / "greenwashing.toml")


@pytest.mark.slow
def test_text_table_of_the_baseline(cli):
    code, out, err = cli("stability")
    assert code == 0 and not err
    assert "x2' = x2*(1 - x2)*(" in out
    assert "E8 (passive, shirk, lapse)" in out
    low = next(line for line in out.splitlines() if line.startswith("E8"))
    assert "asymptotically stable" in low
    assert re.search(r"R\*p (\+ ell )?\+ r < m", out)  # ell: the state-dependent lever (0 by default)
    assert "none on edges, faces or in the interior" in out
    heading = (
        "Payoffs and welfare (government, platform, worker) at each vertex, at the parameters above; welfare:"
    )
    assert heading in out
    lines = out.splitlines()
    start = next(k for k, line in enumerate(lines) if line.startswith(heading))
    assert start > next(k for k, line in enumerate(lines) if line.startswith("Verdicts: "))  # legend first
    # E5 (passive, share, enroll): payoffs, then welfare
    enrolled = next(line for line in lines[start:] if line.startswith("E5")).split("  ")
    assert [c.strip() for c in enrolled if c.strip()] == [
        "E5 (passive, share, enroll)",
        "-1428, 900, 5824",
        "-1428, 900, 7658",
    ]


def test_set_changes_values_signs_and_classification(cli):
    code, out, _ = cli("stability", "--set", "nu=0.5", "--format", "json")
    record = json.loads(out)
    assert code == 0 and record["changed"] == {"nu": 0.5}
    low = record["vertices"][7]
    assert low["classification"] == "saddle"
    assert [e["sign"] for e in low["eigenvalues"]] == ["-", "-", "+"]
    assert low["eigenvalues"][2]["exact"] == "44"
    # payoffs and welfare at every vertex, read independently from the payoff tables at those values
    model = load_model("baseline")
    decision = model.game({"nu": 0.5}).payoffs[0]
    welfare = model.game({"nu": 0.5, "beta": 1, "lam": 1, "a": 1}).payoffs[0]
    for vertex in record["vertices"]:
        at = tuple(model.strategies[k].index(s) for k, s in enumerate(vertex["profile"].values()))
        assert list(vertex["payoffs"]) == list(vertex["welfare"]) == list(model.players)
        assert list(vertex["payoffs"].values()) == pytest.approx(decision[(slice(None), *at)].tolist())
        assert list(vertex["welfare"].values()) == pytest.approx(welfare[(slice(None), *at)].tolist())
    enrolled = record["vertices"][4]  # (passive, share, enroll): the worker's bias changes its payoff
    assert enrolled["payoffs"]["worker"] < enrolled["welfare"]["worker"]
    assert record["welfare"]["declared"] is True
    assert record["welfare"]["values"] == {"beta": 1, "lam": 1, "a": 1}


def test_payoff_text_shows_welfare_only_when_declared():
    from tripartite.cli.stability import payoff_text

    vertex = {"profile": {"A": "x", "B": "y"}, "payoffs": {"A": 1.5, "B": -2}, "welfare": {"A": 7, "B": 8}}
    record = {"players": ["A", "B"], "vertices": [vertex], "welfare": {"declared": False, "evaluation": "e"}}
    plain = payoff_text(record)
    assert plain.splitlines()[0] == "Payoffs (A, B) at each vertex, at the parameters above:"
    assert plain.splitlines()[-1].split() == ["E1", "(x,", "y)", "1.5,", "-2"] and "welfare" not in plain
    record["welfare"] = {"declared": True, "evaluation": "decision payoffs re-evaluated at b = 0"}
    both = payoff_text(record)
    assert "; welfare: decision payoffs re-evaluated at b = 0:" in both.splitlines()[0]
    assert both.splitlines()[1].split() == ["vertex", "payoffs", "welfare"]
    assert both.splitlines()[-1].split()[-2:] == ["7,", "8"]


@pytest.mark.slow
def test_json_expressions_parse_back_with_sympy(cli):
    code, out, _ = cli("stability", EXAMPLE, "--format", "json")
    record = json.loads(out)
    model = load_model(EXAMPLE)
    names = record["symbols"]["parameters"] + list(record["symbols"]["states"])
    local = {n: sp.Symbol(n, real=True) for n in names}
    analysis = list(vertex_analysis(model).values())
    for vertex, a in zip(record["vertices"], analysis):
        assert vertex["profile"] == dict(zip(model.players, a.strategies))
        for item, cond in zip(vertex["eigenvalues"], a.conditions):
            expr = sp.parse_expr(item["expression"], local_dict=local)
            assert sp.simplify(expr - cond.eigenvalue) == 0
            relation = sp.parse_expr(item["condition"], local_dict=local)
            assert isinstance(relation, sp.StrictLessThan)
            assert sp.simplify((relation.lhs - relation.rhs) - cond.eigenvalue) == 0
            assert item["value"] == pytest.approx(float(sp.parse_expr(item["exact"])))
    for text in record["replicator_equations"]["rhs"].values():
        sp.parse_expr(text, local_dict=local)
    assert record["model_hash"] == model.hash and record["version"]
    assert record["method"].startswith("symbolic")


def test_markdown(cli):
    code, out, _ = cli("stability", EXAMPLE, "--format", "markdown")
    assert code == 0
    assert "| vertex | can be stable |" in out
    assert "`C2 + R1 < C1 + R2`" in out


def test_rest_points_at_a_point_with_a_face_centre(cli):
    code, out, _ = cli("stability", "--set", "K=300", "--set", "f=1000", "--format", "json")
    faces = [p for p in json.loads(out)["rest_points"] if p["kind"] == "face"]
    assert faces and all(p["classification"] == "non-hyperbolic" for p in faces)
    assert all("centre" in p["note"] for p in faces)


@pytest.mark.slow
def test_latex_document_and_fragment(cli, tmp_path):
    out_file = tmp_path / "table.tex"
    code, out, _ = cli("stability", "--format", "latex", "--out", str(out_file))
    assert code == 0 and out == ""
    text = out_file.read_text(encoding="utf-8")
    assert text.startswith(r"\documentclass") and r"\usepackage{booktabs}" in text
    code, out, _ = cli("stability", "--format", "latex", "--fragment")
    assert out.startswith("% requires") and r"\documentclass" not in out
    if shutil.which("pdflatex"):
        result = subprocess.run(
            ["pdflatex", "-interaction=nonstopmode", "-halt-on-error", out_file.name],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert result.returncode == 0, result.stdout[-2000:]


def test_three_strategies_have_no_rest_point_section(cli, tmp_path):
    path = tmp_path / "rps.toml"
    path.write_text(
        '[players]\nrow = ["rock", "paper", "scissors"]\ncol = ["a", "b"]\n[parameters]\nw = 1\n[payoffs]\n'
        + "\n".join(f'"{r}, {c}" = ["w", "1"]' for r in ("rock", "paper", "scissors") for c in "ab"),
        encoding="utf-8",
    )
    code, out, _ = cli("stability", str(path), "--format", "json")
    record = json.loads(out)
    assert code == 0 and record["rest_points"] is None
    assert "x1_1" in record["symbols"]["states"]
    assert all(v["classification"] == "non-hyperbolic" for v in record["vertices"])


@pytest.mark.parametrize(
    "argv, message",
    [
        (["stability", "--set", "zz=1"], "unknown parameter 'zz'"),
        (["stability", "--set", "nu=2"], "outside its admissible range [0, 1]"),
        (["stability", "--set", "nu"], "--set expects NAME=VALUE"),
        (["stability", "nowhere.toml"], "nowhere.toml: no such file"),
        (["stability", "basline"], "unknown model 'basline'"),
        (["stability", "--tol", "-1"], "--tol must be a non-negative number"),
        (["thresholds", "--param", "zz"], "unknown parameter 'zz'"),
        (["thresholds", "--param", "nu", "--set", "m=-5"], "outside its admissible range"),
    ],
)
def test_user_errors_exit_2_with_one_line(cli, argv, message):
    code, out, err = cli(*argv)
    assert code == 2 and out == ""
    assert err.startswith("tripartite: error: ") and message in err
    assert len(err.strip().splitlines()) == 1


def test_bad_scenario_file_error_names_file_table_key(cli, tmp_path):
    text = Path(EXAMPLE).read_text(encoding="utf-8").replace('"R3 - C4 - P",', '"R3 - C9 - P",')
    path = tmp_path / "broken.toml"
    path.write_text(text, encoding="utf-8")
    code, _, err = cli("stability", str(path))
    assert code == 2
    assert f"{path}: [payoffs] key 'green, strict, abstain' payoff of 'government': unknown name 'C9'" in err


def test_thresholds_text(cli):
    code, out, _ = cli("thresholds", "--param", "nu")
    assert code == 0
    assert "83/188 = 0.441489" in out
    assert "passive, shirk, lapse: nu in [0, 83/188)" in out
    assert "below, vertex stability changes" in out
    # the regime changes once, where the worker's gain at low, -332 + 752 nu, vanishes
    regime = out[out.index("Regime changes as nu varies") :].splitlines()
    assert len(regime) == 2
    assert regime[1].startswith("  nu = 0.441489 = 83/188: low only -> passive/shirk/enroll only (where ")


def test_thresholds_json_and_formats(cli):
    code, out, _ = cli("thresholds", EXAMPLE, "--param", "F", "--format", "json")
    record = json.loads(out)
    assert code == 0 and record["parameter"]["name"] == "F"
    low = [
        r
        for r in record["critical_values"]
        if r["profile"]["government"] == "loose"
        and r["profile"]["public"] == "abstain"
        and r["profile"]["enterprise"] == "greenwash"
    ]
    assert any(r["critical"] == "C4" and r["value"] == 3 and r["stable_side"] == "below" for r in low)
    spans = {tuple(s["profile"].values()): s["exact"] for s in record["stable_intervals"]}
    assert spans[("greenwash", "loose", "abstain")] == [["0", "3"]]
    # the regime changes where that vertex stops being stable: F = C4 = 3
    assert [(t["exact"], t["below"]) for t in record["thresholds"]] == [("3", "greenwash/loose/abstain only")]
    assert record["method"].startswith("exact") and record["model_hash"] == load_model(EXAMPLE).hash
    code, out, _ = cli("thresholds", EXAMPLE, "--param", "F", "--format", "markdown")
    assert code == 0 and out.startswith("### Critical values of `F` in Greenwashing")
    assert (
        "| greenwash, loose, abstain | government to strict | `F = C4` | 3 | below, vertex stability changes |"
        in out
    )
    assert "- greenwash, loose, abstain: F in [0, 3)" in out
    assert "- F = 3: greenwash/loose/abstain only -> " in out
    code, out, _ = cli("thresholds", EXAMPLE, "--param", "F", "--format", "latex", "--fragment")
    assert code == 0 and out.startswith("% requires") and r"\documentclass" not in out
    assert (
        r"\toprule" in out
        and "$F = C_{4}$" in out
        and "(greenwash, loose, abstain) for $F \\in [0, 3)$" in out
    )


def test_solve_accepts_a_scenario_path(cli):
    code, out, _ = cli("solve", EXAMPLE, "--json")
    record = json.loads(out)
    assert code == 0
    assert record["model"] == "Greenwashing under static regulation"
    assert record["source"] == EXAMPLE
    assert [e["strategies"]["enterprise"] for e in record["equilibria"]] == [{"green": 0, "greenwash": 1}]
    assert record["status_quo"]["outcome"] == "vertex"


@pytest.mark.slow
def test_lang_zh_writes_the_table_words_in_chinese_for_this_command_only(cli, tmp_path):
    from tests.cjk_scenario import write_chinese_baseline
    from tripartite.io.words import get_language

    scenario = write_chinese_baseline(tmp_path)
    code, out, _ = cli("stability", scenario, "--lang", "zh")
    assert code == 0
    lines = out.splitlines()
    rule = next(k for k, line in enumerate(lines) if line.startswith("-----"))
    assert lines[rule - 1].split()[:3] == ["顶点", "可否稳定", "偏离"]  # the table's header
    assert "复制动态方程" in out and "判定：" in out  # the sentences around it are Chinese too
    e8 = next(line for line in out.splitlines() if line.startswith("E8"))
    assert "政府改为积极监管" in e8 and e8.rstrip().endswith("渐近稳定")
    assert get_language() == "en"  # the next command is English again
    code, out, _ = cli("stability", scenario)
    assert "政府 to 积极监管" in out and "asymptotically stable" in out
    with pytest.raises(SystemExit) as exit_:
        cli("stability", scenario, "--lang", "fr")
    assert exit_.value.code == 2


def test_latex_of_chinese_names_names_xelatex(cli, tmp_path):
    from tests.cjk_scenario import write_chinese_baseline

    code, out, _ = cli("stability", write_chinese_baseline(tmp_path), "--format", "latex")
    assert code == 0 and out.startswith("% !TEX program = xelatex\n") and "{ctex}" in out
