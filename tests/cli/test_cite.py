import json

from tripartite.cli import main


def test_cite_without_file_prints_the_package_and_paper(capsys):
    assert main(["cite"]) == 0
    out = capsys.readouterr().out
    assert "tripartite" in out and "10.12677/ecl.2025.14124199" in out


def test_cite_bibtex(capsys):
    assert main(["cite", "--bibtex"]) == 0
    out = capsys.readouterr().out
    assert out.count("@") == 2 and "@software{tripartite" in out


def test_cite_a_solve_result(tmp_path, capsys):
    assert main(["solve", "--json", "--set", "nu=0.25"]) == 0
    path = tmp_path / "result.json"
    path.write_text(capsys.readouterr().out, encoding="utf-8")
    assert main(["cite", str(path)]) == 0
    out = capsys.readouterr().out
    record = json.loads(path.read_text(encoding="utf-8"))
    assert f"tripartite {record['version']}" in out
    assert record["model_hash"] in out
    assert "Tolerance: 1e-09." in out
    assert "Changed from the defaults: nu = 0.25." in out
    assert "  lam = 1.2" in out


def test_cite_reads_a_sidecar(tmp_path, capsys):
    table = tmp_path / "sweep.csv"
    table.write_text("d,regime\n0.1,low only\n", encoding="utf-8")
    sidecar = tmp_path / "sweep.csv.json"
    sidecar.write_text(
        json.dumps({"version": "9.9", "model": "baseline", "method": "grid", "tolerance": 1e-9})
    )
    assert main(["cite", str(table)]) == 0
    assert "tripartite 9.9 on the model 'baseline'" in capsys.readouterr().out


def test_cite_without_provenance_is_a_clear_error(tmp_path, capsys):
    table = tmp_path / "plain.csv"
    table.write_text("a\n1\n", encoding="utf-8")
    assert main(["cite", str(table)]) == 2
    err = capsys.readouterr().err
    assert "no provenance found" in err and err.count("\n") == 1
