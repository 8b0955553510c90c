"""Documentation cannot rot: its examples run as tests.

- Every ``>>>`` example in README.md and docs/**/*.md runs as a doctest.
- Every ``tripartite ...`` command in a ```bash block of README.md and
  docs/**/*.md runs and must exit 0 (the commands of a page in order, in one
  scratch folder that sees the repository's ``examples/``).
- The generated parameter tables in docs/parameters/ match the code.
"""

from __future__ import annotations

import doctest
import re
import shlex
from pathlib import Path

import pytest

from tripartite import builtin_models
from tripartite.cli import main
from tripartite.cli.params import markdown
from tripartite.scenario import load_model

ROOT = Path(__file__).resolve().parents[1]
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]


def bash_commands(path: Path) -> list[str]:
    text = path.read_text(encoding="utf-8")
    commands = []
    for block in re.findall(r"```bash\n(.*?)```", text, flags=re.S):
        for line in block.splitlines():
            line = line.split(" #")[0].strip()
            if line.startswith("tripartite "):
                commands.append(line)
    return commands


PAGES_WITH_COMMANDS = [p for p in PAGES if bash_commands(p)]


@pytest.mark.parametrize(
    "page", [p for p in PAGES if ">>> " in p.read_text(encoding="utf-8")], ids=lambda p: p.name
)
@pytest.mark.slow
def test_python_examples(page):
    result = doctest.testfile(
        str(page),
        module_relative=False,
        optionflags=doctest.NORMALIZE_WHITESPACE | doctest.ELLIPSIS,
        verbose=False,
    )
    assert result.failed == 0


@pytest.mark.slow
@pytest.mark.parametrize("page", PAGES_WITH_COMMANDS, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_cli_examples(page, tmp_path, monkeypatch, capsys):
    # the commands of one page run in order in one folder: later ones may read earlier outputs
    if (ROOT / "examples").exists():
        (tmp_path / "examples").symlink_to(ROOT / "examples")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("MPLBACKEND", "Agg")
    for command in bash_commands(page):
        code = main(shlex.split(command)[1:])
        err = capsys.readouterr().err
        assert code == 0, f"{page.name}: `{command}` failed:\n{err}"


@pytest.mark.parametrize("name", builtin_models())
def test_parameter_tables_are_generated_from_the_code(name):
    page = ROOT / "docs" / "parameters" / f"{name}.md"
    assert page.exists(), f"run: tripartite params {name} --format markdown > {page.relative_to(ROOT)}"
    assert page.read_text(encoding="utf-8").strip() == markdown(load_model(name)).strip()


def test_the_chinese_guide_is_run_like_the_english_pages():
    zh = [p for p in PAGES_WITH_COMMANDS if p.parent.name == "zh"]
    assert zh and all(len(bash_commands(p)) >= 3 for p in zh)
    assert ROOT / "docs" / "zh" / "tutorial.md" in zh
