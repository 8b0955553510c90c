"""Every format of ``tripartite stability`` carries each vertex's decision payoffs and welfare.

The numbers in each rendering (text, Markdown, Word, Excel, LaTeX) are checked against the
payoff tables of the model evaluated independently: the decision payoffs at the point, and the
welfare as the decision payoffs at the values baseline declares for welfare (beta = 1, lam = 1,
a = 1: time-consistent, loss-neutral, fully informed), never against the record the renderers read.
"""

from __future__ import annotations

import io
import re

import pytest

from tests.games import SMALL
from tripartite import load_model
from tripartite.io.latex import stability_latex
from tripartite.io.tables import stability_markdown, stability_text
from tripartite.io.words import set_language
from tripartite.symbolic import stability_table
from tripartite.welfare import welfare_description

AT = {"nu": 0.5}  # not the defaults: the numbers must follow the point
UNBIASED = {"beta": 1, "lam": 1, "a": 1}


@pytest.fixture(scope="module")
def baseline_table():
    table = stability_table(load_model("baseline"), AT)
    assert table.record["vertices"]  # the record is computed once, here
    return table


def expected(model, values: dict) -> dict[str, list[float]]:
    """Vertex label ``E (s1, s2, ...)`` (without its number) -> every player's payoff, from the game itself."""
    payoffs = model.game(values).payoffs[0]
    return {
        f"({', '.join(model.strategies[i][k] for i, k in enumerate(p))})": payoffs[(slice(None), *p)].tolist()
        for p in model.profiles()
    }


def by_vertex(rows) -> dict[str, list[float]]:
    """``[[label, number, ...], ...]`` -> ``{"(s1, s2, ...)": [numbers]}``, label ``E<k> (...)`` or ``$E_{k}$ (...)``."""
    out = {}
    for label, *numbers in rows:
        out[re.sub(r"^\$?E_?\{?\d+\}?\$? ", "", str(label))] = [float(str(x).strip("$")) for x in numbers]
    return out


def both(model, values):
    """Payoffs then welfare, per vertex, as the tables lay them out (players in order, twice)."""
    decision, welfare = expected(model, values), expected(model, {**values, **UNBIASED})
    return {v: decision[v] + welfare[v] for v in decision}


def assert_numbers(found: dict, reference: dict, rel: float) -> None:
    assert list(found) == list(reference) or sorted(found) == sorted(reference)
    for vertex, numbers in reference.items():
        assert found[vertex] == pytest.approx(numbers, rel=rel, abs=1e-9), vertex


def test_text_and_markdown_carry_payoffs_and_welfare_after_the_legend(baseline_table):
    model, record = baseline_table.model, baseline_table.record
    text = stability_text(record)
    assert baseline_table.to_text() == text  # the library and the command line print the same
    lines = text.splitlines()
    legend = next(k for k, line in enumerate(lines) if line.startswith("Verdicts: "))
    heading = next(k for k, line in enumerate(lines) if line.startswith("Payoffs and welfare ("))
    rest = next(k for k, line in enumerate(lines) if line.startswith("Rest points on edges"))
    assert lines[legend - 1].strip() and "E8 (passive, shirk, lapse)" in lines[legend - 3]  # right under it
    assert legend < heading < rest and lines[heading + 1].split() == ["vertex", "payoffs", "welfare"]
    assert welfare_description(model) in lines[heading]
    rows = [re.split(r"\s{2,}", line) for line in lines[heading + 3 : heading + 11]]
    text_rows = [[r[0], *r[1].split(", "), *r[2].split(", ")] for r in rows]
    assert_numbers(by_vertex(text_rows), both(model, AT), rel=1e-6)
    set_language("zh")  # as `tripartite stability --lang zh` does
    try:
        chinese = stability_text(record)
    finally:
        set_language("en")
    assert f"；福利：{welfare_description(model, 'zh')}：" in chinese

    markdown = stability_markdown(record).splitlines()
    head = markdown.index(
        "| vertex | government payoff | platform payoff | worker payoff "
        "| government welfare | platform welfare | worker welfare |"
    )
    assert next(k for k, line in enumerate(markdown) if line.startswith("Verdicts: ")) < head
    cells = [line.strip("|").split(" | ") for line in markdown[head + 2 : head + 10]]
    assert_numbers(by_vertex([[c.strip() for c in r] for r in cells]), both(model, AT), rel=1e-6)


def test_word_carries_payoffs_and_welfare(baseline_table):
    docx = pytest.importorskip("docx")
    from tripartite.io.docx import stability_docx

    model, record = baseline_table.model, baseline_table.record
    vertices, payoffs = docx.Document(io.BytesIO(stability_docx(record))).tables
    cells = [[c.text for c in row.cells] for row in payoffs.rows]
    players = model.players
    assert cells[0] == ["Vertex", *(f"{p} payoff" for p in players), *(f"{p} welfare" for p in players)]
    assert_numbers(by_vertex(cells[1:]), both(model, AT), rel=1e-6)  # six significant digits in Word


def test_excel_carries_payoffs_and_welfare_as_numbers(baseline_table):
    openpyxl = pytest.importorskip("openpyxl")
    from tripartite.io.xlsx import stability_xlsx

    model, record = baseline_table.model, baseline_table.record
    book = openpyxl.load_workbook(io.BytesIO(stability_xlsx(record, lang="zh")))
    assert book.sheetnames[:2] == ["stability", "payoffs and welfare"]
    rows = [[c.value for c in row] for row in book["payoffs and welfare"].iter_rows()]
    assert rows[2] == ["顶点"] + [f"{p}收益" for p in model.players] + [f"{p}福利" for p in model.players]
    body = rows[3:11]
    assert all(isinstance(x, (int, float)) for r in body for x in r[1:])  # numbers, not text
    assert_numbers(by_vertex(body), both(model, AT), rel=1e-12)
    assert rows[-1][0].endswith(f"福利：{welfare_description(model, 'zh')}。")  # how welfare is evaluated


def _latex_payoff_rows(text: str) -> list[list[str]]:
    table = text[text.index(r"\label{tab:vertex-payoffs}") :]
    table = table[table.index(r"\endlastfoot") : table.index(r"\end{longtable}")]
    unescape = {r"\_": "_", r"\%": "%", r"\&": "&"}
    rows = [re.split(r"(?<!\\) & ", line.removesuffix(r" \\")) for line in table.splitlines()[1:]]
    return [[re.sub(r"\\[_%&]", lambda m: unescape[m.group(0)], cell) for cell in row] for row in rows]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_latex_carries_payoffs_and_welfare(baseline_table, lang):
    model = baseline_table.model
    text = stability_latex(baseline_table, lang=lang)
    assert text.index(r"\label{tab:vertex-stability}") < text.index(r"\label{tab:vertex-payoffs}")
    assert_numbers(by_vertex(_latex_payoff_rows(text)), both(model, AT), rel=1e-6)
    payoffs, welfare = ("收益", "福利") if lang == "zh" else ("Payoffs", "Welfare")
    assert (
        rf"\multicolumn{{3}}{{c}}{{\textbf{{{payoffs}}}}} & \multicolumn{{3}}{{c}}{{\textbf{{{welfare}}}}}"
        in text
    )
    # how welfare is evaluated, its values typeset as symbols
    typeset = r"$\beta = 1$, $\lambda = 1$, $a = 1$"
    assert welfare_description(model, lang).replace("beta = 1, lam = 1, a = 1", typeset) in text


def test_a_scenario_without_welfare_shows_payoffs_only(tmp_path):
    docx = pytest.importorskip("docx")
    openpyxl = pytest.importorskip("openpyxl")
    from tripartite.io.docx import stability_docx
    from tripartite.io.xlsx import stability_xlsx

    # LaTeX's special characters and CJK in every name
    path = tmp_path / "small.toml"
    scenario = SMALL.replace('"small"', '"small_50% & co"').replace("row =", '"row_1 & 2" =')
    path.write_text(scenario.replace("up", "上_%"), encoding="utf-8")
    model = load_model(str(path))
    table = stability_table(model, {"c": 0.3})  # c = 0.3: no continuum of rest points to describe
    record = table.record
    reference = expected(model, {"c": 0.3})
    assert not model.welfare and model.welfare_payoffs is None

    lines = stability_text(record).splitlines()
    heading = lines.index("Payoffs (row_1 & 2, col) at each vertex, at the parameters above:")
    assert lines[heading + 1].split() == ["vertex", "payoffs"]
    markdown = stability_markdown(record)
    assert "| vertex | row_1 & 2 payoff | col payoff |" in markdown and "welfare |" not in markdown
    cells = [
        [c.text for c in r.cells] for r in docx.Document(io.BytesIO(stability_docx(record))).tables[1].rows
    ]
    assert cells[0] == ["Vertex", "row_1 & 2 payoff", "col payoff"]
    assert_numbers(by_vertex(cells[1:]), reference, rel=1e-6)
    book = openpyxl.load_workbook(io.BytesIO(stability_xlsx(record)))
    rows = [[c.value for c in row] for row in book["payoffs"].iter_rows()]
    assert rows[2] == ["Vertex", "row_1 & 2 payoff", "col payoff"]
    assert_numbers(by_vertex(rows[3:7]), reference, rel=1e-12)

    text = stability_latex(table, lang="zh")
    assert r"\textbf{row\_1 \& 2} & \textbf{col} \\" in text and "福利}" not in text
    assert r"small\_50\% \& co各顶点处各参与者的收益" in text
    latex_rows = _latex_payoff_rows(text)
    assert r"$E_{1}$ (上\_\%, left) & $1$ & $0.6$ \\" in text
    assert_numbers(by_vertex(latex_rows), reference, rel=1e-6)


def test_jupyter_display_carries_payoffs_and_welfare(baseline_table):
    from html.parser import HTMLParser

    class Tables(HTMLParser):
        def __init__(self):
            super().__init__()
            self.tables, self.cell = [], None

        def handle_starttag(self, tag, attrs):
            if tag == "table":
                self.tables.append([])
            elif tag == "tr":
                self.tables[-1].append([])
            elif tag in ("td", "th"):
                self.cell = ""

        def handle_endtag(self, tag):
            if tag in ("td", "th"):
                self.tables[-1][-1].append(self.cell)
                self.cell = None

        def handle_data(self, data):
            if self.cell is not None:
                self.cell += data

    parser = Tables()
    parser.feed(baseline_table._repr_html_())
    vertices, payoffs = parser.tables[:2]
    players = baseline_table.model.players
    assert payoffs[0] == ["vertex", *(f"{p} payoff" for p in players), *(f"{p} welfare" for p in players)]
    assert_numbers(by_vertex(payoffs[1:]), both(baseline_table.model, AT), rel=1e-6)
