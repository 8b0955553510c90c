"""LaTeX output: symbols, escaping, and a table that compiles as is."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
import sympy as sp

from tests.cjk_scenario import write_chinese_baseline
from tripartite import load_model, read_scenario, stability_table
from tripartite.io.latex import (
    document,
    escape,
    latex_expr,
    latex_name,
    latex_symbols,
    stability_latex,
    thresholds_table,
    vertex_table,
)
from tripartite.symbolic import critical_values, evaluate_vertices, stable_intervals, vertex_analysis

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "greenwashing.toml"


@pytest.mark.parametrize(
    "name, expected",
    [
        ("alpha", r"\alpha"),
        ("Pi", r"\Pi"),
        ("lam", r"\lambda"),
        ("Delta", r"\Delta"),
        ("R1", "R_{1}"),
        ("C12", "C_{12}"),
        ("alpha_1", r"\alpha_{1}"),
        ("beta2", r"\beta_{2}"),
        ("pi_E", r"\pi_{E}"),
        ("q_eff", r"q_{\mathrm{eff}}"),
        ("x1_2", "x_{1,2}"),
        ("cost", r"\mathit{cost}"),
        ("cost_W", r"\mathit{cost}_{W}"),
        ("V_E", "V_{E}"),
        ("sigma_max", r"\sigma_{\mathrm{max}}"),
        ("k", "k"),
    ],
)
def test_automatic_symbols(name, expected):
    assert latex_name(name) == expected


def test_symbol_field_wins_over_the_automatic_one():
    model = load_model("baseline")
    symbols = latex_symbols(model)
    assert symbols[model.symbols["lam"]] == r"\lambda"
    assert symbols[model.symbols["pi_E"]] == r"\pi_E"
    assert symbols[model.symbols["Pi"]] == r"\Pi"
    rho, d = model.symbols["rho"], model.symbols["d"]
    assert latex_expr(1 - rho * d, symbols) == r"1 - d \rho"


def test_greenwashing_symbols():
    model = load_model(EXAMPLE)
    symbols = latex_symbols(model)
    R1, alpha, C5 = (model.symbols[n] for n in ("R1", "alpha", "C5"))
    assert latex_expr((1 + alpha) * R1 - C5, symbols) == r"R_{1} \left(\alpha + 1\right) - C_5"


def test_escape():
    assert escape("R&D_50% #1 {x} ~ ^ $ \\") == (
        r"R\&D\_50\% \#1 \{x\} \textasciitilde{} \textasciicircum{} \$ \textbackslash{}"
    )


def test_vertex_table_structure():
    model = load_model("baseline")
    text = vertex_table(model, vertex_analysis(model), evaluate_vertices(model), point_text="defaults")
    # a longtable: the header on the first page and again on every later one
    assert r"\begin{longtable}" in text and r"\endfirsthead" in text and r"\endhead" in text
    assert text.count(r"\toprule") == 2 and text.count(r"\bottomrule") == 1
    assert r"$E_{8}$ (passive, shirk, lapse)" in text
    assert re.search(r"R p (\+ \\ell )?\+ r < m", text)  # ell: the state-dependent lever (0 by default)
    assert "asymptotically stable" in text
    assert r"\left(" not in text  # plain brackets, so that formulas wrap inside them
    # every row has the same number of cells
    rows = [line for line in text.splitlines() if line.endswith(r"\\") and "&" in line]
    assert len({line.count("&") for line in rows}) == 1
    assert len(rows) == 2 + 24
    # the columns are fractions of the line width that add up to it
    fractions = [float(f) for f in re.findall(r"\\dimexpr ([0-9.]+)\\linewidth", text)]
    assert len(fractions) == 7 and sum(fractions) == pytest.approx(1.0)


def test_long_tables_are_longtables():
    rps = read_scenario(
        "[players]\n"
        + "\n".join(f'p{i} = ["a", "b", "c"]' for i in range(3))
        + "\n[parameters]\nw = 1\n[payoffs]\n"
        + "\n".join(f'"{a}, {b}, {c}" = ["w", "0", "1"]' for a in "abc" for b in "abc" for c in "abc")
    )
    text = vertex_table(rps, vertex_analysis(rps))
    assert r"\begin{longtable}" in text and r"\endhead" in text


def test_a_latin_document_is_pdflatex_with_outline_fonts():
    lines = document("x").splitlines()
    assert lines[0] == r"\documentclass[10pt,a4paper]{article}"
    assert r"\usepackage[T1]{fontenc}" in lines and r"\usepackage{lmodern}" in lines
    assert not any("landscape" in line or "ctex" in line for line in lines)


@pytest.mark.slow
def test_a_chinese_document_names_its_engine_and_loads_ctex(tmp_path):
    model = load_model(write_chinese_baseline(tmp_path))
    table = stability_table(model)
    text = stability_latex(table, fragment=False)
    assert text.splitlines()[0] == "% !TEX program = xelatex"
    assert r"\usepackage[UTF8,scheme=plain]{ctex}" in text and "inputenc" not in text
    assert r"\usepackage[UTF8,scheme=chinese]{ctex}" in stability_latex(table, fragment=False, lang="zh")
    fragment = stability_latex(table).splitlines()
    assert fragment[0].startswith("% requires") and "xelatex or lualatex" in fragment[1]
    assert "xelatex" not in stability_latex(stability_table(load_model("baseline")))


def test_lang_zh_writes_the_package_words_in_chinese(tmp_path):
    model = load_model(write_chinese_baseline(tmp_path))
    text = stability_latex(stability_table(model), lang="zh")
    assert r"\textbf{顶点}" in text and "政府改为消极监管" in text and "鞍点" in text and "渐近稳定" in text
    caption = next(line for line in text.splitlines() if line.startswith(r"\caption"))
    assert "参数取值：默认值" in caption
    english = stability_latex(stability_table(model))
    assert "政府 to 消极监管" in english and r"\textbf{Vertex}" in english


def _compile(tmp_path: Path, tex: str, engine: str = "pdflatex") -> subprocess.CompletedProcess:
    executable = shutil.which(engine)
    if executable is None:
        packages = {"pdflatex": "texlive-latex-base texlive-latex-recommended", "xelatex": "texlive-xetex"}
        pytest.skip(
            f"{engine} is not installed (apt-get install {packages.get(engine, engine)} texlive-lang-chinese)"
        )
    source = tmp_path / "table.tex"
    source.write_text(tex, encoding="utf-8")
    return subprocess.run(
        [executable, "-interaction=nonstopmode", "-halt-on-error", source.name],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
    )


def _pdf_text(pdf: Path) -> str:
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext is not installed (apt-get install poppler-utils)")
    return subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout


def _check_whole_table(result: subprocess.CompletedProcess, tmp_path: Path, names: list[str]) -> str:
    assert result.returncode == 0, result.stdout[-3000:]
    log = (tmp_path / "table.log").read_text(encoding="utf-8", errors="replace")
    assert "Float too large" not in log and "Missing character" not in log
    text = _pdf_text(tmp_path / "table.pdf")
    for k in range(1, 9):  # every vertex, on whatever page it lands
        assert f"E{k}" in text
    for name in names:
        assert name in text
    return text


@pytest.mark.slow
def test_the_stability_command_document_compiles_under_pdflatex_whole(tmp_path, capsys):
    from tripartite.cli import main

    assert main(["stability", "baseline", "--format", "latex"]) == 0
    result = _compile(tmp_path, capsys.readouterr().out)
    text = _check_whole_table(result, tmp_path, ["passive,", "shirk,", "lapse)", "asymptoti"])
    assert "strict Nash equilibrium" in text.replace("\n", " ")  # the note under the table is not lost
    assert "Payoffs and welfare of each player at the vertices of baseline" in text.replace("\n", " ")
    # E5's welfare, and the note with the [welfare] values as symbols
    assert "7658" in text and "re-evaluated at β = 1, λ = 1, a = 1" in text.replace("\n", " ")
    if shutil.which("pdffonts"):
        fonts = subprocess.run(
            ["pdffonts", str(tmp_path / "table.pdf")], capture_output=True, text=True
        ).stdout
        assert "Type 3" not in fonts  # outline fonts, no bitmaps


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_chinese_table_compiles_under_xelatex_with_the_characters(tmp_path, lang):
    model = load_model(write_chinese_baseline(tmp_path))
    result = _compile(tmp_path, stability_latex(stability_table(model), fragment=False, lang=lang), "xelatex")
    # the names, in cells that may wrap: each word is whole somewhere
    text = _check_whole_table(result, tmp_path, ["积极监管", "消极监管", "不参保", "政府", "平台", "骑手"])
    if lang == "zh":
        assert "鞍点" in text and "顶点" in text and "表 1" in text
    else:
        assert "saddle" in text and "Table 1" in text


@pytest.mark.slow
def test_baseline_table_compiles(tmp_path):
    model = load_model("baseline")
    body = vertex_table(model, vertex_analysis(model), evaluate_vertices(model), point_text="defaults")
    body += "\n\n" + thresholds_table(
        model, "nu", critical_values(model, "nu", at={}), stable_intervals(model, "nu", at={})
    )
    result = _compile(tmp_path, document(body, "baseline & friends"))
    assert result.returncode == 0, result.stdout[-3000:]
    assert (tmp_path / "table.pdf").stat().st_size > 1000


@pytest.mark.slow
def test_greenwashing_table_compiles(tmp_path):
    model = load_model(EXAMPLE)
    body = vertex_table(model, vertex_analysis(model), evaluate_vertices(model, {"alpha": 0.5}))
    result = _compile(tmp_path, document(body))
    assert result.returncode == 0, result.stdout[-3000:]


def test_thresholds_table_marks_out_of_range_values():
    model = load_model(EXAMPLE)
    text = thresholds_table(
        model, "alpha", critical_values(model, "alpha", at={}), stable_intervals(model, "alpha", at={})
    )
    assert r"\alpha = " in text
    assert "(out of range)" in text


def test_thresholds_footnote_brackets_an_included_end():
    from tripartite.symbolic.critical import Interval

    model = load_model(EXAMPLE)
    sym = model.parameter_names[0]
    spans = {(0, 0, 0): [Interval(0, sp.Rational(1, 2), (True, False))], (1, 1, 1): [Interval(1, sp.oo)]}
    text = thresholds_table(model, sym, [], spans)
    assert r"\in [0, \frac{1}{2})" in text and r"\in (1, \infty)" in text


@pytest.mark.slow
def test_the_parameter_table_compiles_whole_with_every_parameter(tmp_path, capsys, monkeypatch):
    from tripartite.cli import main

    monkeypatch.setenv("TRIPARTITE_CACHE", "off")
    assert main(["params", "baseline", "--format", "latex"]) == 0
    result = _compile(tmp_path, capsys.readouterr().out)
    assert result.returncode == 0, result.stdout[-3000:]
    log = (tmp_path / "table.log").read_text(encoding="utf-8", errors="replace")
    assert "Overfull" not in log
    text = " ".join(_pdf_text(tmp_path / "table.pdf").replace("\u2019", "'").split())
    for p in load_model("baseline").parameters:  # every row is there, however many pages
        assert p.name in text, p.name
        assert " ".join(p.description.split()[:2]) in text, p.description
    assert "Default" in text  # the headings are not hyphenated


@pytest.mark.slow
def test_the_chinese_payoff_matrix_compiles_under_xelatex(tmp_path):
    from tripartite.io.latex import payoff_table

    model = load_model(write_chinese_baseline(tmp_path))
    result = _compile(tmp_path, document(payoff_table(model, lang="zh"), lang="zh"), "xelatex")
    assert result.returncode == 0, result.stdout[-3000:]
    text = _pdf_text(tmp_path / "table.pdf")
    assert "支付矩阵" in text and "策略组合" in text
    for names in model.strategies:
        for name in names:
            assert name in text
    assert len(re.findall("积极监管, ", text)) == 4  # the four profiles where 政府 is 积极监管


def test_the_payoff_table_has_one_row_per_profile_and_each_payoff():
    from tripartite.io.latex import payoff_table

    model = load_model("baseline")
    body = payoff_table(model)
    symbols = latex_symbols(model, [model.state_symbols[s.name] for s in model.state])
    for profile in model.profiles():
        names = ", ".join(model.strategies[i][k] for i, k in enumerate(profile))
        row = next(line for line in body.splitlines() if line.startswith(escape(names) + " &"))
        cells = row.removesuffix(r" \\").split(" & ")
        assert len(cells) == 1 + len(model.players)
        for cell, expr in zip(cells[1:], model.payoffs[profile]):
            assert (
                cell == "$" + latex_expr(expr, symbols).replace(r"\left(", "(").replace(r"\right)", ")") + "$"
            )
