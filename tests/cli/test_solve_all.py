"""``tripartite solve --all/--exact`` and ``tripartite export``."""

from __future__ import annotations

import hashlib
import json

import numpy as np
import pytest

from tests.equilibria.test_mixed import mckelvey_mclennan
from tripartite.cli import main
from tripartite.game import Game
from tripartite.io.nfg import load_nfg, write_nfg
from tripartite.io.provenance import NFG_MARK, read_provenance
from tripartite.scenario import BUILTIN_CITATION


@pytest.fixture
def mm_file(tmp_path):
    path = tmp_path / "mm.nfg"
    path.write_text(write_nfg(Game.from_array(mckelvey_mclennan()), title="McKelvey-McLennan"))
    return path


def run_json(capsys, *argv):
    assert main([*argv, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_all_exact_json_on_an_nfg_file(capsys, mm_file):
    rec = run_json(capsys, "solve", str(mm_file), "--all", "--exact")
    for key in ("players", "strategies", "parameters", "equilibria", "rest_points", "version"):
        assert key in rec
    assert rec["exact"] and rec["complete"] and not rec["degenerate"] and rec["source"] == str(mm_file)
    assert len(rec["equilibria"]) == 9
    for e in rec["equilibria"]:
        for key in ("strategies", "pure", "strict", "payoffs", "regret", "exact", "support"):
            assert key in e
        assert e["regret"] == 0
    mixed = [e for e in rec["equilibria"] if all(len(s) == 2 for s in e["support"].values())]
    assert sorted(e["exact"]["P1"]["s1"] for e in mixed) == ["1/2", "2/5"]
    # a game without a model: hashed by its content (the .nfg text without its title), named by its file
    text = write_nfg(load_nfg(mm_file), title="")
    assert rec["model_hash"] == hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]
    assert rec["model"] == "McKelvey-McLennan" and rec["builtin"] is False and rec["citation"] is None
    assert rec["parameters"] == {} and rec["changed"] == {} and rec["status_quo"] is None
    assert rec["method"].startswith("all equilibria: ") and "exact" in rec["method"]


def test_all_float_on_the_baseline_keeps_the_contract(capsys):
    rec = run_json(capsys, "solve", "--all")
    assert rec["complete"] is True and rec["exact"] is False
    (e,) = rec["equilibria"]
    assert e["pure"] and e["strict"]
    assert e["strategies"]["worker"] == {"enroll": 0, "lapse": 1}
    assert e["support"] == {"government": ["passive"], "platform": ["shirk"], "worker": ["lapse"]}
    assert "status_quo" in rec


def test_default_solve_adds_support_and_exact(capsys):
    rec = run_json(capsys, "solve")
    (e,) = rec["equilibria"]
    assert e["exact"]["government"] == {"active": "0", "passive": "1"}
    assert rec["complete"] is None


def test_text_output_says_complete(capsys, mm_file):
    assert main(["solve", str(mm_file), "--all"]) == 0
    out = capsys.readouterr().out
    assert "All Nash equilibria" in out and "complete): 9 found" in out


def test_set_on_an_nfg_file_is_an_error(capsys, mm_file):
    assert main(["solve", str(mm_file), "--set", "nu=1"]) == 2
    err = capsys.readouterr().err
    assert "no parameters" in err and "Traceback" not in err


def test_export_round_trip(tmp_path, capsys):
    out = tmp_path / "baseline.nfg"
    assert main(["export", "baseline", "--set", "nu=0.5", "-o", str(out)]) == 0
    game = load_nfg(out)
    assert game.players == ("government", "platform", "worker")
    assert NFG_MARK in out.read_text() and '\\"nu\\": 0.5' in out.read_text()
    from tripartite import load_model

    assert np.allclose(game.payoffs, load_model("baseline").game(nu=0.5).payoffs)
    # the comment is the provenance of the model at that point
    record = read_provenance(out)
    assert record["model"] == "baseline" and record["model_hash"] == load_model("baseline").hash
    assert record["changed"] == {"nu": 0.5} and record["parameters"]["nu"] == 0.5
    assert record["builtin"] is True and record["method"].startswith("export")
    rec = run_json(capsys, "solve", str(out), "--all")
    # by hand at nu = 0.5: the worker's gain from enrolling is (0.6 + 0.4*0.5)*0.7*2400 - 1260 - 80*0.5
    # = +44, so the only equilibrium is (passive, shirk, enroll) (government -186.5, platform -100)
    (e,) = rec["equilibria"]
    assert e["support"] == {"government": ["passive"], "platform": ["shirk"], "worker": ["enroll"]}
    assert e["strict"] is True and rec["complete"] is True
    # solving the exported file names the file, and the model it was exported from
    assert rec["source"] == str(out) and rec["exported_from"]["model"] == "baseline"
    assert rec["citation"] == BUILTIN_CITATION and rec["builtin"] is False


def test_export_outcome_version(capsys):
    assert main(["export", "baseline", "--outcomes"]) == 0
    text = capsys.readouterr().out
    assert text.startswith('NFG 1 R "baseline"') and '{ ""' in text


def _rows(text: str, title: str) -> list[list[str]]:
    """The rows of the aligned table that follows the line starting with ``title`` (cells split at 2+ spaces)."""
    import re

    lines = text.splitlines()
    start = next(k for k, line in enumerate(lines) if line.startswith(title)) + 3  # title, headers, rule
    rows = []
    for line in lines[start:]:
        if not line or line.startswith(" "):
            break
        rows.append(re.split(r"\s{2,}", line.strip()))
    return rows


@pytest.mark.slow
def test_solve_all_text_lists_the_components_in_english_and_chinese():
    # hand-worked: col's s1 is a best reply iff row plays s1 with probability p >= 1/2, and row is then
    # indifferent; so the equilibria are (s1, s1), (s2, s2) and the segment p in [1/2, 1) with col at s1,
    # whose closure has the vertices p = 1/2 and p = 1
    import sympy as sp

    from tripartite.cli.solve import render, solve_record

    game = Game.from_array(np.array([[[1, 0], [1, 2]], [[1, 0], [0, 1]]]), players=["row", "col"])
    record = solve_record(None, {}, 1e-9, game=game, all_equilibria_=True)
    text = render(record)
    rows = _rows(text, "Components of the set of equilibria (3; every equilibrium lies in one of them)")
    assert [r[:5] for r in rows] == [
        ["1", "row: s1; col: s1", "0", "point", "1"],
        ["2", "row: s2; col: s2", "0", "point", "2"],
        ["3", "row: s1, s2; col: s1", "1", "segment", "1"],  # its end (s1, s1) joins it: one connected set
    ]
    # every equilibrium names the component whose support it has
    for e in record["equilibria"]:
        used = {p: [s for s, v in probs.items() if v > 0] for p, probs in e["strategies"].items()}
        k = e["component"] + 1
        assert f"(component {k})" in text
        assert rows[k - 1][1] == "; ".join(f"{p}: {', '.join(s)}" for p, s in used.items())
    # the segment's constraints, read back with sympy, hold exactly where p >= 1/2
    line = next(x for x in text.splitlines() if x.startswith("    constraints: "))
    local = {n: sp.Symbol(n, real=True) for n in ("x1_1", "x1_2")}
    parsed = [sp.sympify(c, locals=local) for c in line.removeprefix("    constraints: ").split("; ")]
    for p, inside in ((sp.Rational(3, 4), True), (sp.Rational(1, 2), True), (sp.Rational(1, 3), False)):
        at = {local["x1_1"]: p, local["x1_2"]: 1 - p}
        assert all(bool(c.xreplace(at)) for c in parsed) == inside
    assert "    vertices: (row: s1 1/2, s2 1/2; col: s1); (row: s1; col: s1)" in text.splitlines()
    assert "x1_1 = row's probability of s1" in text
    chinese = render(record, "zh")
    assert "均衡集的分量（3 个；每个均衡都属于其中之一）：" in chinese and "（分量 3）" in chinese
    assert "    顶点：(row: s1 1/2, s2 1/2; col: s1); (row: s1; col: s1)" in chinese.splitlines()
    assert [r[3] for r in _rows(chinese, "均衡集的分量")] == ["点", "点", "线段"]
