"""Word output: the stability table as a three-line table (三线表), read back with python-docx."""

from __future__ import annotations

import pytest

docx = pytest.importorskip("docx", reason="python-docx is not installed (pip install 'tripartite[docx]')")

from docx.oxml.ns import qn  # noqa: E402

from tests.cjk_scenario import write_chinese_baseline  # noqa: E402
from tripartite.io.docx import THICK, THIN, three_line_docx  # noqa: E402
from tripartite.io.provenance import read_provenance  # noqa: E402


def border(cell, edge: str) -> tuple[str, int] | None:
    line = cell._tc.tcPr.find(qn("w:tcBorders"))
    line = None if line is None else line.find(qn(f"w:{edge}"))
    return None if line is None else (line.get(qn("w:val")), int(line.get(qn("w:sz"))))


def test_a_three_line_table_has_exactly_its_three_rules(tmp_path):
    path = tmp_path / "t.docx"
    path.write_bytes(
        three_line_docx(["a", "b"], [["1", "2"], ["3", "4"], ["5", "6"]], caption="Table 1", note="n")
    )
    document = docx.Document(path)
    (table,) = document.tables
    rows = table.rows
    assert [[c.text for c in r.cells] for r in rows] == [["a", "b"], ["1", "2"], ["3", "4"], ["5", "6"]]
    for cell in rows[0].cells:
        assert border(cell, "top") == ("single", THICK) and border(cell, "bottom") == ("single", THIN)
    for cell in rows[-1].cells:
        assert border(cell, "bottom") == ("single", THICK)
    for row in rows[1:-1]:
        assert all(border(c, "top") is None and border(c, "bottom") is None for c in row.cells)
    table_borders = table._tbl.tblPr.find(qn("w:tblBorders"))
    assert {e.get(qn("w:val")) for e in table_borders} == {"nil"}  # no vertical lines, no grid
    assert rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None  # repeated on every page
    texts = [p.text for p in document.paragraphs]
    assert texts[0] == "Table 1" and texts[-1] == "n"


@pytest.mark.slow
def test_stability_docx_from_the_command_reads_back(cli, tmp_path):
    out = tmp_path / "stability.docx"
    code, printed, _ = cli("stability", "baseline", "--format", "docx", "--out", out)
    assert code == 0 and printed == ""
    table, payoffs = docx.Document(out).tables  # the vertex table, then each vertex's payoffs and welfare
    assert [c.text for c in payoffs.rows[8].cells] == [
        "E8 (passive, shirk, lapse)",
        *("-50", "980", "5940"),  # payoffs: (passive, shirk, lapse) in issue 13
        *("-50", "980", "5940"),  # welfare: the unbiased evaluation changes nothing for the lapsing worker
    ]
    cells = [[c.text for c in r.cells] for r in table.rows]
    assert len(cells) == 1 + 24 and {len(r) for r in cells} == {7}
    assert cells[0][0] == "Vertex" and cells[0][-1] == "Classification"
    vertices = [r[0] for r in cells[1:] if r[0]]
    assert [v.split(" ")[0] for v in vertices] == [f"E{k}" for k in range(1, 9)]
    e8 = next(k for k, r in enumerate(cells) if r[0].startswith("E8 (passive, shirk, lapse)"))
    assert cells[e8][-1] == "asymptotically stable"
    assert cells[e8 + 1][1] == "platform to share" and "R·p" in cells[e8 + 1][2]
    provenance = read_provenance(out)  # the sidecar, as `tripartite cite` reads it
    assert provenance["model"] == "baseline" and provenance["model_hash"]


@pytest.mark.slow
def test_chinese_names_and_words_in_the_docx(cli, tmp_path):
    out = tmp_path / "稳定性.docx"
    scenario = write_chinese_baseline(tmp_path)
    assert cli("stability", scenario, "--format", "docx", "--out", out, "--lang", "zh")[0] == 0
    cells = [[c.text for c in r.cells] for r in docx.Document(out).tables[0].rows]
    assert cells[0][:3] == ["顶点", "偏离", "特征值 λ"]
    e8 = next(r for r in cells if r[0].startswith("E8"))
    assert (
        e8[0].startswith("E8 (消极监管, 规避, 不参保)")
        and e8[1] == "政府改为积极监管"
        and e8[-1] == "渐近稳定"
    )


@pytest.mark.parametrize(
    "extra, message",
    [([], "give --out FILE.docx"), (["--out", "{tmp}/t.txt"], "a Word file must end in .docx")],
)
def test_docx_needs_an_out_file(cli, tmp_path, extra, message):
    code, out, err = cli("stability", "--format", "docx", *[e.format(tmp=tmp_path) for e in extra])
    assert code == 2 and out == "" and message in err and "Traceback" not in err
    assert list(tmp_path.iterdir()) == []
