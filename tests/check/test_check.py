"""``tripartite check``: a published stability table against a model, and against itself.

The scenario ``referee_game.toml`` is fixed; ``table_correct.toml`` is its stability table
worked out by hand and written as a paper would (LaTeX symbols, share notation, conditions
rearranged); ``table_planted.toml`` is that table with six planted errors, each named in a
comment.  The tests check that every planted error, and nothing else, is reported.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest
import sympy as sp

from tripartite import load_model
from tripartite.cli import main
from tripartite.errors import TripartiteError
from tripartite.expr import symbol
from tripartite.symbolic.check import check_table, load_table, read_table

HERE = Path(__file__).parent
SCENARIO = HERE / "referee_game.toml"
CORRECT = HERE / "table_correct.toml"
PLANTED = HERE / "table_planted.toml"


@pytest.fixture(scope="module")
def model():
    return load_model(SCENARIO)


def _wrong_rows(report):
    return {(r.label, r.player): r.status for r in report.rows if not r.ok}


def _verdicts(report):
    return {c.label: c.verdict for c in report.ess}


@pytest.mark.slow
def test_the_hand_worked_table_is_right_against_the_model(model):
    report = check_table(load_table(CORRECT), model)
    assert report.ok, report.to_text()
    assert {r.status for r in report.rows} == {"equal"} and len(report.rows) == 24
    assert set(_verdicts(report).values()) == {"confirmed"}
    # the paper's symbols were read as the scenario's parameters
    assert report.symbols["\\lambda"] == "lam" and report.symbols["\\alpha"] == "al"
    assert report.symbols["R_1"] == "R1"


@pytest.mark.slow
def test_every_planted_error_and_nothing_else_is_reported(model):
    report = check_table(load_table(PLANTED), model)
    assert not report.ok
    assert _wrong_rows(report) == {
        ("E2 (green, strict, stay)", "public"): "sign flipped",  # planted 1
        ("E5 (wash, strict, join)", "firm"): "another player's",  # planted 2 (both halves of the swap)
        ("E5 (wash, strict, join)", "regulator"): "another player's",
        ("E7 (wash, loose, join)", "regulator"): "different",  # planted 3
    }
    rows = {(r.label, r.player): r for r in report.rows}
    wrong_term = rows[("E7 (wash, loose, join)", "regulator")]
    K = symbol("K")
    assert sp.expand(wrong_term.difference + 2 * K) == 0  # printed -K where the model has +K
    assert rows[("E5 (wash, strict, join)", "firm")].other.startswith("regulator's")
    assert _verdicts(report) == {
        "E4 (green, loose, stay)": "confirmed",
        "E6 (wash, strict, stay)": "wrong condition",  # planted 4
        "E8 (wash, loose, stay)": "missing condition",  # planted 5
        "E1 (green, strict, join)": "cannot be stable",  # planted 6
    }
    claims = {c.label: c for c in report.ess}
    reversed_ = [s for s in claims["E6 (wash, strict, stay)"].stated if s["status"] != "matches"]
    assert [s["status"] for s in reversed_] == ["reversed"] and "lambda" in reversed_[0]["condition"]
    assert claims["E8 (wash, loose, stay)"].missing == ["F*lam < C4"]
    assert len(report.problems()) == 7  # one message per planted problem (the swap is two rows)


@pytest.mark.slow
def test_one_flipped_sign_anywhere_is_found_and_named(model):
    """Every eigenvalue of the correct table, flipped in turn: that row alone is reported."""
    base = load_table(CORRECT)
    vertices = list(base.vertices)
    rng = random.Random(3)
    for _ in range(6):
        labels = rng.choice(vertices)
        j = rng.randrange(3)
        changed = list(base.vertices[labels])
        changed[j] = f"-({changed[j]})"
        table = _replace(base, {labels: tuple(changed)})
        report = check_table(table, model)
        wrong = [r for r in report.rows if not r.ok]
        assert len(wrong) == 1 and wrong[0].status == "sign flipped"
        assert wrong[0].player == model.players[j]


def _replace(table, vertices):
    from dataclasses import replace

    return replace(table, vertices={**table.vertices, **vertices}, ess={})


@pytest.mark.slow
def test_the_hand_worked_table_is_internally_consistent():
    report = check_table(load_table(CORRECT))
    assert report.ok, report.to_text()
    assert {r.status for r in report.rows} == {"consistent"}
    assert report.symbols["\\lambda"] == "λ"


def test_one_sign_error_breaks_one_neighbour_pair():
    base = load_table(CORRECT)
    labels = ("0", "1", "1")  # (wash, strict, join): the regulator's eigenvalue flipped
    changed = list(base.vertices[labels])
    changed[1] = f"-({changed[1]})"
    report = check_table(_replace(base, {labels: tuple(changed)}))
    wrong = {(r.label, r.player): r.status for r in report.rows if not r.ok}
    # the regulator's neighbour of (0, 1, 1) is (0, 0, 1): the pair now carries the same eigenvalue
    assert wrong == {
        ("E5 (0, 1, 1)", "player 2"): "same as neighbour's",
        ("E7 (0, 0, 1)", "player 2"): "same as neighbour's",
    }
    assert len(report.problems()) == 1  # one pair, one message


def test_a_table_whose_neighbours_all_carry_the_same_eigenvalue():
    """The published error: every neighbouring pair equal instead of opposite."""
    text = "[vertices]\n" + "\n".join(f'"{a}, {b}" = ["x1", "x2"]' for a in ("1", "0") for b in ("1", "0"))
    report = check_table(read_table(text, "same.toml"))
    assert {r.status for r in report.rows} == {"same as neighbour's"}
    assert len(report.problems()) == 4  # 4 neighbouring pairs in a 2 x 2 game


def test_a_wrong_term_is_not_opposite_with_the_sum_printed():
    text = '[vertices]\n"a, c" = ["x - y", "z"]\n"b, c" = ["y - x + w", "v"]\n'
    report = check_table(read_table(text))
    row = report.rows[0]
    assert row.status == "not opposite" and row.difference == symbol("w")


@pytest.mark.slow
def test_stated_conditions_against_the_tables_own_eigenvalues():
    report = check_table(load_table(PLANTED))
    assert _verdicts(report) == {
        "E4 (1, 0, 0)": "confirmed",
        "E6 (0, 1, 0)": "wrong condition",
        "E8 (0, 0, 0)": "missing condition",
        "E1 (1, 1, 1)": "cannot be stable",
    }


@pytest.mark.slow
def test_a_condition_divided_by_a_positive_factor_matches():
    text = (
        '[vertices]\n"a, c" = ["2*x - 2*y", "-z"]\n"b, c" = ["2*y - 2*x", "w"]\n[ess]\n"a, c" = ["x < y"]\n'
    )
    report = check_table(read_table(text))
    assert [c.verdict for c in report.ess] == ["confirmed"]  # -z < 0 holds for z >= 0: may be left out


# --- the command line ------------------------------------------------------------------------------


@pytest.mark.slow
def test_cli_names_the_one_sign_error_of_a_published_style_table(tmp_path, capsys):
    table = tmp_path / "paper.toml"
    text = CORRECT.read_text(encoding="utf-8")
    # the paper prints the regulator's eigenvalue at (0, 1, 0) with the wrong sign
    text = text.replace('"C_4 - \\\\lambda*F", "H - C_5"', '"\\\\lambda*F - C_4", "H - C_5"')
    table.write_text(text, encoding="utf-8")
    assert main(["check", str(SCENARIO), str(table)]) == 1
    out = capsys.readouterr().out
    assert "E6 (wash, strict, stay), regulator's eigenvalue (deviation to loose): sign flipped" in out
    assert "1 of 24 eigenvalues wrong" in out
    # the ESS claim at that vertex still matches the model: the conditions are the model's
    assert "0 of 3 stability claims wrong" in out
    assert main(["check", str(SCENARIO), str(table), "--json"]) == 1
    record = json.loads(capsys.readouterr().out)
    wrong = [r for r in record["rows"] if r["status"] != "equal"]
    assert [(r["vertex"], r["player"], r["status"]) for r in wrong] == [
        ("E6 (wash, strict, stay)", "regulator", "sign flipped")
    ]
    assert set(record["rows"][0]) >= {"profile", "player", "status"}
    assert set(record["ess"][0]) >= {"profile", "verdict"}
    assert record["version"] and record["source"].endswith("referee_game.toml")


@pytest.mark.slow
def test_cli_exit_0_on_a_consistent_table(capsys):
    assert main(["check", str(CORRECT)]) == 0
    assert "no problem found" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('[vertices]\n"green, strict, join" = ["x"]\n', "1 eigenvalues; the vertex has 3"),
        ('[vertices]\n"green, strict, join" = ["mu", "0", "0"]\n', "unknown symbol 'mu'"),
        ('[vertices]\n"green, lax, join" = ["0", "0", "0"]\n', "'lax' is not a strategy of regulator"),
        ('[vertices]\n"green, strict" = ["0", "0"]\n', "2 strategies for a 3-player model"),
        ('[vertices]\n"green, strict, join" = ["0", "0", "0"]\n[ess]\n"green, strict, join" = ["K"]\n',
         "a condition is one inequality"),
        ('[vertices]\n"green, strict, join" = ["__import__(1)", "0", "0"]\n', "unknown symbol '__import__'"),
        ('[vertices]\n"green, strict, join" = ["K[0]", "0", "0"]\n', "subscripting"),
        ('vertices = 3\n', "no [vertices] table"),
        ('[vertices\n', "not valid TOML"),
    ],
)  # fmt: skip
def test_cli_bad_input_is_one_line_naming_the_place(tmp_path, capsys, text, message):
    table = tmp_path / "bad.toml"
    table.write_text(text, encoding="utf-8")
    assert main(["check", str(SCENARIO), str(table)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("tripartite: error: ") and err.count("\n") == 1 and "Traceback" not in err
    assert message in err and "bad.toml" in err


def test_bad_input_names_the_table_key_and_line(tmp_path):
    table = tmp_path / "t.toml"
    table.write_text(
        'title = "x"\n[vertices]\n"a, b" = ["x", "y"]\n"c, b" = ["x +", "y"]\n', encoding="utf-8"
    )
    with pytest.raises(
        TripartiteError, match=r"t.toml: \[vertices\] 'c, b' \(line 4\), eigenvalue 1: syntax"
    ):
        check_table(load_table(table))


@pytest.mark.slow
def test_the_shipped_example_table_has_exactly_its_one_planted_error():
    root = HERE.parents[1] / "examples"
    model = load_model(root / "greenwashing.toml")
    report = check_table(load_table(root / "greenwashing_table.toml"), model)
    wrong = [r for r in report.rows if not r.ok]
    assert [(r.profile, r.player, r.status) for r in wrong] == [
        (
            {"enterprise": "greenwash", "government": "strict", "public": "abstain"},
            "government",
            "sign flipped",
        )
    ]
    assert all(c.ok for c in report.ess)
    # without the scenario the same error shows as one broken neighbour pair (and the claim at E6,
    # checked against the table's own wrong eigenvalue, as a reversed condition)
    alone = check_table(load_table(root / "greenwashing_table.toml"))
    assert {(r.label, r.status) for r in alone.rows if not r.ok} == {
        ("E6 (0, 1, 0)", "same as neighbour's"),
        ("E8 (0, 0, 0)", "same as neighbour's"),
    }
