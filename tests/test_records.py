"""Every command that writes output, written to files and cited back: one provenance writer.

Each output is written the way a user writes it (``--out``, ``-o``, ``--plot``,
or standard output redirected to a file), then ``tripartite cite FILE`` must
name the package version, the model, the method, and the model's own source:
for a user's scenario its citation (never the seed paper of the built-in
models), for a built-in model that paper.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tripartite._version import __version__
from tripartite.cli import main
from tripartite.io.provenance import LATEX_MARK, MARKDOWN_MARK, NFG_MARK, read_provenance
from tripartite.scenario import load_model

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "greenwashing.toml"
CITATION = "Doe, J. and Roe, R. (2024). Greenwashing under dynamic regulation. Journal of Illustrative Games 7(1), 1-20."
SEED = "Yang, X. and Li, C. (2025)"
NAME = "Greenwashing under static regulation"


@pytest.fixture(scope="module")
def scenario(tmp_path_factory) -> Path:
    """The example scenario, declaring a citation of its own."""
    path = tmp_path_factory.mktemp("scenario") / "greenwashing_cited.toml"
    path.write_text(f"citation = {json.dumps(CITATION)}\n" + EXAMPLE.read_text(encoding="utf-8"), "utf-8")
    return path


def run(capsys, argv, stdout_to: Path | None = None) -> str:
    """Run a command in this process; with ``stdout_to``, save what it prints there (``> FILE``)."""
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    assert code == 0, err
    if stdout_to is not None:
        stdout_to.write_text(out, encoding="utf-8")
    return out


def cite(capsys, path: Path) -> str:
    return run(capsys, ["cite", path])


def check_cited(text: str, *, model: str, method: str, own_source: str, not_source: str | None) -> None:
    assert f"tripartite {__version__} on the model '{model}'" in text
    method_line = next(line for line in text.splitlines() if line.startswith("Method: "))
    assert method in method_line
    source_line = next(line for line in text.splitlines() if line.startswith("Model source: "))
    assert own_source in source_line
    if not_source is not None:
        assert not_source not in text


def outputs(folder: Path, scenario: Path) -> list[tuple[str, list, Path, bool, str]]:
    """``(name, argv, file to cite, print to the file?, part of the method)`` of every writing command."""
    s = str(scenario)
    f = folder
    return [
        ("params json", ["params", s, "--format", "json"], f / "params.json", True, "parameter table"),
        ("solve json", ["solve", s, "--json"], f / "solve.json", True, "pure equilibria"),
        ("solve all json", ["solve", s, "--all", "--json"], f / "all.json", True, "all equilibria"),
        ("export nfg", ["export", s, "-o", f / "game.nfg"], f / "game.nfg", False, "export"),
        (
            "stability latex",
            ["stability", s, "--format", "latex", "--out", f / "table.tex"],
            f / "table.tex",
            False,
            "symbolic",
        ),
        (
            "stability markdown",
            ["stability", s, "--format", "markdown", "--out", f / "table.md"],
            f / "table.md",
            False,
            "symbolic",
        ),
        (
            "stability json",
            ["stability", s, "--format", "json", "--out", f / "stability.json"],
            f / "stability.json",
            False,
            "symbolic",
        ),
        (
            "thresholds json",
            ["thresholds", s, "--param", "F", "--format", "json", "--out", f / "thresholds.json"],
            f / "thresholds.json",
            False,
            "critical",
        ),
        (
            "thresholds latex",
            ["thresholds", s, "--param", "F", "--format", "latex", "--out", f / "thresholds.tex"],
            f / "thresholds.tex",
            False,
            "critical",
        ),
        (
            "sweep csv",
            ["sweep", s, "--vary", "F=0:10:3", "--out", f / "x.csv", "--plot", f / "m.png", "--quiet"],
            f / "x.csv",
            False,
            "vertex",
        ),
        ("sweep figure", None, f / "m.png", False, "vertex"),
        (
            "sweep parquet",
            ["sweep", s, "--vary", "F=0:10:3", "--vary", "P=0:5:2", "--out", f / "x.parquet", "--quiet"],
            f / "x.parquet",
            False,
            "vertex",
        ),
        (
            "escape json",
            ["escape", s, "--levers", "F,P", "--target", "green, strict, participate", "--json"],
            f / "escape.json",
            True,
            "linear programming",
        ),
        (
            "basins json",
            [
                "basins",
                s,
                "--samples",
                "30",
                "--no-push",
                "--json",
                "--out",
                f / "b.json",
                "--plot",
                f / "b.svg",
            ],
            f / "b.json",
            False,
            "replicator trajectories",
        ),
        ("basins figure", None, f / "b.svg", False, "replicator trajectories"),
        (
            "qre json",
            ["qre", s, "--points", "5", "--json", "--out", f / "q.json", "--plot", f / "q.png"],
            f / "q.json",
            False,
            "logit",
        ),
        ("qre figure", None, f / "q.png", False, "logit"),
    ]


@pytest.mark.slow
def test_every_output_is_cited_with_its_own_source(tmp_path, capsys, scenario):
    model = load_model(scenario)
    for name, argv, path, printed, method in outputs(tmp_path, scenario):
        if argv is not None:
            run(capsys, argv, stdout_to=path if printed else None)
        assert path.is_file(), name
        record = read_provenance(path)
        assert record["model_hash"] == model.hash and record["source"] == str(scenario), name
        assert record["citation"] == CITATION and record["builtin"] is False, name
        text = cite(capsys, path)
        check_cited(text, model=NAME, method=method, own_source=CITATION, not_source=SEED)
        assert model.hash in text, name


def test_figures_are_cited_from_their_metadata_alone(tmp_path, capsys, scenario):
    s = str(scenario)
    for suffix in (".png", ".pdf", ".svg"):
        figure = tmp_path / f"basins{suffix}"
        run(capsys, ["basins", s, "--samples", "10", "--no-push", "--plot", figure])
        (tmp_path / f"basins{suffix}.json").unlink()  # no sidecar: the metadata must do
        text = cite(capsys, figure)
        check_cited(text, model=NAME, method="replicator trajectories", own_source=CITATION, not_source=SEED)


@pytest.mark.slow
def test_three_outputs_are_cited_quickly(tmp_path, capsys, scenario):
    """The quick loop's version: a JSON record, an ``.nfg`` comment and a LaTeX comment line."""
    s = str(scenario)
    params = tmp_path / "params.json"
    run(capsys, ["params", s, "--json"], stdout_to=params)
    run(capsys, ["export", s, "-o", tmp_path / "game.nfg"])
    run(capsys, ["stability", s, "--format", "latex", "--out", tmp_path / "table.tex"])
    # each file carries its provenance the way its format allows
    assert NFG_MARK in (tmp_path / "game.nfg").read_text(encoding="utf-8")
    tex = (tmp_path / "table.tex").read_text(encoding="utf-8")
    assert tex.startswith(r"\documentclass") and tex.splitlines()[-1].startswith(LATEX_MARK)
    for path, method in (
        (params, "parameter table"),
        (tmp_path / "game.nfg", "export"),
        (tmp_path / "table.tex", "symbolic"),
    ):
        text = cite(capsys, path)
        check_cited(text, model=NAME, method=method, own_source=CITATION, not_source=SEED)
        assert f"  F = {load_model(scenario).parameter('F').default:g}" in text  # the parameter values


def test_builtin_model_outputs_cite_the_seed_paper(tmp_path, capsys):
    md = tmp_path / "table.md"
    run(capsys, ["stability", "--set", "nu=0.5", "--format", "markdown", "--out", md])
    assert md.read_text(encoding="utf-8").splitlines()[-1].startswith(MARKDOWN_MARK)
    text = cite(capsys, md)
    check_cited(text, model="baseline", method="symbolic", own_source=SEED, not_source=None)
    assert "Changed from the defaults: nu = 0.5." in text


def test_scenario_without_a_citation_is_named_by_file_and_hash(tmp_path, capsys):
    path = tmp_path / "plain.toml"
    path.write_text(EXAMPLE.read_text(encoding="utf-8"), encoding="utf-8")
    out = tmp_path / "params.json"
    run(capsys, ["params", path, "--json"], stdout_to=out)
    text = cite(capsys, out)
    assert (
        f"the scenario file {path} (content hash {load_model(path).hash}), which declares no citation" in text
    )
    assert "Yang" not in text and "ecl.2025" not in text
    bib = run(capsys, ["cite", out, "--bibtex"])
    assert "@software{tripartite" in bib and "yang_li_2025" not in bib and str(path) in bib
