"""Excel workbooks and the Word tables of thresholds/escape, read back with openpyxl / python-docx."""

from __future__ import annotations

import io

import pytest

openpyxl = pytest.importorskip("openpyxl")
docx = pytest.importorskip("docx")

from tests.games import SMALL  # noqa: E402
from tripartite import load_model  # noqa: E402
from tripartite.cli.thresholds import thresholds_record  # noqa: E402
from tripartite.io.docx import escape_docx, thresholds_docx  # noqa: E402
from tripartite.io.xlsx import escape_xlsx, sweep_xlsx, thresholds_xlsx  # noqa: E402


@pytest.fixture(scope="module")
def nu_record(tmp_path_factory):
    """A small game's thresholds along ``a`` (critical values and at least one regime change)."""
    path = tmp_path_factory.mktemp("small") / "small.toml"
    path.write_text(SMALL, encoding="utf-8")
    record = thresholds_record(load_model(str(path)), "a", {})
    assert record["critical_values"] and record["thresholds"]
    return record


def _sheet_rows(sheet):
    return [[c.value for c in row] for row in sheet.iter_rows()]


def test_thresholds_workbook_has_every_critical_value_as_a_number(nu_record):
    book = openpyxl.load_workbook(io.BytesIO(thresholds_xlsx(nu_record)))
    assert book.sheetnames == ["critical values", "stable ranges", "regime changes"]
    rows = _sheet_rows(book["critical values"])
    body = rows[3 : 3 + len(nu_record["critical_values"])]
    # numbers as numbers (a spreadsheet keeps about 16 significant digits)
    assert [r[4] for r in body] == pytest.approx(
        [c["value"] for c in nu_record["critical_values"]], rel=1e-15
    )
    assert all(isinstance(r[4], (int, float)) or r[4] is None for r in body)  # numbers, not text
    changes = _sheet_rows(book["regime changes"])[3:]
    found = changes[: len(nu_record["thresholds"])]
    assert [(r[2], r[3]) for r in found] == [(t["below"], t["above"]) for t in nu_record["thresholds"]]
    assert [r[0] for r in found] == pytest.approx([t["value"] for t in nu_record["thresholds"]], rel=1e-15)


def test_thresholds_docx_three_tables_in_chinese(nu_record):
    document = docx.Document(io.BytesIO(thresholds_docx(nu_record, lang="zh")))
    critical, ranges, changes = document.tables
    assert len(critical.rows) == 1 + len(nu_record["critical_values"])
    assert critical.rows[0].cells[2].text == "临界值"
    first = nu_record["critical_values"][0]
    assert critical.rows[1].cells[2].text == f"a = {first['critical']}".replace("*", "·")
    assert len(changes.rows) == 1 + len(nu_record["thresholds"])
    text = "\n".join(p.text for p in document.paragraphs)
    assert "small中 a 的临界值" in text


def _escape_record():
    """A small escape record of the shape ``tripartite escape --json`` writes."""
    return {
        "model": "toy",
        "version": "0",
        "model_hash": "ab",
        "parameters": {"nu": 0.1},
        "changed": {},
        "low": {"name": "low", "profile": {"a": "x", "b": "y"}, "stable": True},
        "stable_now": ["low"],
        "single_lever": [
            {
                "lever": "nu",
                "current": 0.1,
                "threshold": 83 / 188,
                "exact": "83/188",
                "change": 83 / 188 - 0.1,
                "relative_change": 3.4,
                "regime_after": "high only",
                "from_low": "high",
                "from_status_quo": "high",
                "condition": "m - R*p - r",
                "formula": "83/188",
                "escapes": True,
                "note": "",
            },
            {"lever": "c", "escapes": False, "note": "cannot end it alone"},
        ],
        "not_entering": [],
        "package": {
            "target": "high",
            "levers": ["nu", "c"],
            "cost_basis": "relative",
            "feasible": True,
            "current": {"nu": 0.1, "c": 1.0},
            "package": {"nu": 0.5, "c": 1.0},
            "changes": {"nu": 0.4},
            "weights": {"nu": 1.0, "c": 1.0},
            "cost": 0.4,
            "relative_change": 4.0,
            "verified": True,
            "stable_after": ["high"],
            "from_status_quo": "high",
            "optimality": "global",
            "margin": 1e-6,
            "method": "linear programming",
        },
    }


def test_escape_tables_in_word_and_excel():
    record = _escape_record()
    single, package = docx.Document(io.BytesIO(escape_docx(record))).tables
    assert [c.text for c in single.rows[1].cells][:4] == ["nu", "0.1", "0.441489", "83/188"]
    assert len(single.rows) == 2 and len(package.rows) == 2  # only the lever that changes
    book = openpyxl.load_workbook(io.BytesIO(escape_xlsx(record)))
    rows = _sheet_rows(book["single levers"])
    assert rows[3][:2] == ["nu", 0.1] and rows[3][2] == pytest.approx(83 / 188, rel=1e-15)
    assert any(r[0] == "c: cannot end it alone" for r in rows)  # the note lists the others


def test_sweep_table_keeps_numbers_and_text():
    pd = pytest.importorskip("pandas")
    frame = pd.DataFrame({"nu": [0.0, 0.5], "regime": pd.Categorical(["低", "high only"]), "n": [1, 2]})
    book = openpyxl.load_workbook(io.BytesIO(sweep_xlsx(frame, {"model": "m", "parameters": {"nu": 0.1}})))
    assert _sheet_rows(book["sweep"]) == [["nu", "regime", "n"], [0.0, "低", 1], [0.5, "high only", 2]]
    assert ["parameters", '{"nu": 0.1}'] in _sheet_rows(book["provenance"])


@pytest.mark.slow
def test_cli_writes_xlsx_with_a_sidecar_and_refuses_printing(cli, tmp_path):
    out = tmp_path / "稳定性.xlsx"
    code, _, _ = cli("stability", "baseline", "--format", "xlsx", "--out", out)
    assert code == 0 and out.exists() and (tmp_path / "稳定性.xlsx.json").exists()
    sheet = openpyxl.load_workbook(out)["stability"]
    assert sheet["A3"].value == "Vertex" and sheet.max_row >= 3 + 24
    code, out, err = cli("thresholds", "baseline", "--param", "nu", "--format", "xlsx")
    assert code == 2 and out == "" and "give --out FILE.xlsx" in err


@pytest.mark.slow
def test_stability_text_shows_the_interior_points_routh_hurwitz_conditions():
    from tripartite.io.tables import stability_text
    from tripartite.symbolic import stability_table

    record = stability_table(load_model("examples/dynamic_reward_punishment.toml")).record
    interior = [p for p in record["rest_points"] if p["routh_hurwitz"]]
    assert interior
    text = stability_text(record)
    for point in interior:
        rh = point["routh_hurwitz"]
        assert f"characteristic polynomial: {rh['characteristic_polynomial']}" in text
        for c in rh["conditions"]:
            assert f"{c['condition']}: {c['exact']} ({'holds' if c['holds'] else 'fails'})" in text
    from tripartite.io.latex import rest_point_table

    body = rest_point_table(record)
    assert body.count(r"p(\lambda) =") == len(interior)
    for point in interior:
        for c in point["routh_hurwitz"]["conditions"]:
            assert ("(holds)" if c["holds"] else "(fails)") in body
