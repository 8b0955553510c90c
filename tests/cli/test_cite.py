import json

import pytest

from tripartite.cli import main
from tripartite.io.provenance import comment_line, read_provenance


def _deep(n: int):
    value: object = 1
    for _ in range(n):
        value = {"x": value}
    return value


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


# --- hostile or malformed files: one clear line, never a traceback ---------------------------


def _cite_error(capsys, path) -> str:
    assert main(["cite", str(path)]) == 2
    out, err = capsys.readouterr()
    assert out == "" and err.count("\n") == 1 and "Traceback" not in err
    return err


@pytest.mark.parametrize(
    "text, message",
    [
        ("[" * 100_000 + "]" * 100_000, "nested too deeply"),
        (json.dumps({"version": "1", "method": "m", "d": _deep(80)}), "nested more than 64"),
        (json.dumps({"version": {"v": 1}, "method": "m"}), "field 'version' must be a string"),
        (json.dumps({"version": "1", "method": ["m"]}), "field 'method' must be a string"),
        (json.dumps({"version": "1", "method": "m", "parameters": "all"}), "field 'parameters'"),
        (json.dumps({"version": "1", "method": "m", "changed": {"nu": [1, 2]}}), "field 'changed'"),
        (
            json.dumps({"version": "1", "method": "m", "tolerance": "small"}),
            "field 'tolerance' must be a number",
        ),
        (json.dumps({"version": "1", "method": "m", "builtin": "yes"}), "field 'builtin'"),
        (json.dumps({"version": "1", "method": "m", "model": 3}), "field 'model' must be a string"),
        ("1" * 5000, "not a JSON provenance record"),
        ("{not json", "not a JSON provenance record"),
        (json.dumps([{"version": "1", "method": "m"}]), "no provenance found"),
        ('{"version": "1", "method": "\\ud800"}', "lone surrogate"),
        ('{"provenance": ' * 3000 + '{"version": "1", "method": "m"}' + "}" * 3000, "nested too deeply"),
    ],
)
def test_hostile_json_gives_one_clear_error(tmp_path, capsys, text, message):
    path = tmp_path / "result.json"
    path.write_text(text, encoding="utf-8")
    assert message in _cite_error(capsys, path)


def test_undecodable_and_missing_files(tmp_path, capsys):
    path = tmp_path / "result.json"
    path.write_bytes(b"\xff\xfe{\x00")
    assert "not UTF-8" in _cite_error(capsys, path)
    assert "no such file" in _cite_error(capsys, tmp_path / "nothing.csv")
    assert "is a folder" in _cite_error(capsys, tmp_path)
    broken = tmp_path / "broken.png"
    broken.write_bytes(b"\x89PNG not really")
    assert "no provenance found" in _cite_error(capsys, broken)


def test_comment_lines_survive_hostile_names(tmp_path, capsys):
    """A model name that would end a comment early (``-->``, TeX's ``^^M``) stays inside it."""
    name = "a --> b ^^M c %"
    record = {"version": "1", "model": name, "method": "m", "tolerance": None}
    for style, suffix in (("markdown", ".md"), ("latex", ".tex")):
        path = tmp_path / f"table{suffix}"
        line = comment_line(record, style)
        if style == "markdown":
            assert line.count("-->") == 1 and line.endswith(" -->")
        else:
            assert "^" not in line and line.isascii()
        path.write_text("| x |\n" + line + "\n", encoding="utf-8")
        assert read_provenance(path)["model"] == name
        assert main(["cite", str(path)]) == 0
        assert f"on the model '{name}'" in capsys.readouterr().out


def test_an_nfg_comment_of_an_earlier_version_is_read(tmp_path, capsys):
    comment = 'exported by tripartite; provenance: {"tripartite": "0.1.0", "model": "baseline", "parameters": {"nu": 0.5}}'
    path = tmp_path / "old.nfg"
    path.write_text(
        f'NFG 1 R "baseline" {{ "a" "b" }} {{ 1 1 }}\n"{comment.replace(chr(34), chr(92) + chr(34))}"\n1 2\n'
    )
    assert main(["cite", str(path)]) == 0
    out = capsys.readouterr().out
    assert "tripartite 0.1.0 on the model 'baseline'" in out and "  nu = 0.5" in out
    assert "built-in model 'baseline'" in out  # an old record without `builtin`: by its name


def test_a_plain_nfg_game_has_no_provenance(tmp_path, capsys):
    path = tmp_path / "plain.nfg"
    path.write_text('NFG 1 R "x" { "a" "b" } { 1 1 }\n"just a game"\n1 2\n')
    assert "no provenance found" in _cite_error(capsys, path)


def test_a_hostile_sidecar_beside_a_real_table_gives_one_clear_error(tmp_path, capsys):
    table = tmp_path / "map.csv"
    table.write_text("nu,regime\n0,low only\n")
    (tmp_path / "map.csv.json").write_text('{"version": "1", "method": "m", "parameters": {"\\udc80": 1}}')
    assert "lone surrogate" in _cite_error(capsys, table)
    (tmp_path / "map.csv.json").write_text(json.dumps({"version": "1", "method": "m", "fixed": [1, 2]}))
    assert "field 'fixed'" in _cite_error(capsys, table)
