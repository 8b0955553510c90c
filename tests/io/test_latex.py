"""LaTeX output: symbols, escaping, and a table that compiles as is."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from tripartite import load_model, read_scenario
from tripartite.io.latex import (
    document,
    escape,
    latex_expr,
    latex_name,
    latex_symbols,
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
    assert text.count(r"\toprule") == 1 and text.count(r"\midrule") == 1 and text.count(r"\bottomrule") == 1
    assert r"\begin{tabular}" in text and r"\end{table}" in text
    assert r"$E_{8}$ (passive, shirk, lapse)" in text
    assert r"R p + r < m" in text
    assert "asymptotically stable" in text
    # every row has the same number of cells
    rows = [line for line in text.splitlines() if line.endswith(r"\\") and "&" in line]
    assert len({line.count("&") for line in rows}) == 1
    assert len(rows) == 1 + 24


def test_long_tables_become_longtables():
    rps = read_scenario(
        "[players]\n"
        + "\n".join(f'p{i} = ["a", "b", "c"]' for i in range(3))
        + "\n[parameters]\nw = 1\n[payoffs]\n"
        + "\n".join(f'"{a}, {b}, {c}" = ["w", "0", "1"]' for a in "abc" for b in "abc" for c in "abc")
    )
    text = vertex_table(rps, vertex_analysis(rps))
    assert r"\begin{longtable}" in text and r"\endhead" in text


def _compile(tmp_path: Path, tex: str) -> subprocess.CompletedProcess:
    engine = shutil.which("pdflatex")
    if engine is None:
        pytest.skip(
            "pdflatex is not installed (apt-get install texlive-latex-base texlive-latex-recommended)"
        )
    source = tmp_path / "table.tex"
    source.write_text(tex, encoding="utf-8")
    return subprocess.run(
        [engine, "-interaction=nonstopmode", "-halt-on-error", source.name],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_baseline_table_compiles(tmp_path):
    model = load_model("baseline")
    body = vertex_table(model, vertex_analysis(model), evaluate_vertices(model), point_text="defaults")
    body += "\n\n" + thresholds_table(
        model, "nu", critical_values(model, "nu", at={}), stable_intervals(model, "nu", at={})
    )
    result = _compile(tmp_path, document(body, "baseline & friends"))
    assert result.returncode == 0, result.stdout[-3000:]
    assert (tmp_path / "table.pdf").stat().st_size > 1000


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
