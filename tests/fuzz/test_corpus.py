"""Every input that ever made a command fail, run again: each ends in a clean error or a result.

``corpus/cases.json`` lists the inputs (files in ``corpus/``, or command
lines alone for ``--set`` and ``--vary``), the command, what it must end in
(``error``: exit status 2 and one ``tripartite: error:`` line containing
``message``; ``accepted``: exit status 0) and what went wrong before
(``why``).  No case may let a numpy ``RuntimeWarning`` reach the user.
They run in this process, under a wall-clock guard; those that
compute a result (or load a large input) are marked ``slow`` (``"slow": true``).
A case whose cause is still open in another module carries ``"known"``: it
is a strict ``xfail``, so the fix makes it fail until the mark is removed.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from .fuzz import run_cli

CORPUS = Path(__file__).parent / "corpus"
CASES = json.loads((CORPUS / "cases.json").read_text(encoding="utf-8"))


def _id(case) -> str:
    return f"{case.get('file', '-')}:{case['args'][0]}"


def _marks(case) -> list:
    marks = [pytest.mark.slow] if case.get("slow") else []
    if case.get(
        "known"
    ):  # a failure found but not yet fixed where it lives: it must keep failing until it is
        marks.append(pytest.mark.xfail(reason=case["known"], strict=True))
    return marks


@pytest.mark.parametrize(
    "case", [pytest.param(c, marks=_marks(c)) for c in CASES], ids=[_id(c) for c in CASES]
)
def test_a_corpus_input_ends_cleanly(case, tmp_path, capsys):
    args = list(case["args"])
    if "file" in case:
        source = CORPUS / case["file"]
        shutil.copy(source, tmp_path / source.name)
        sidecar = CORPUS / (case["file"] + ".json")
        if sidecar.exists():
            shutil.copy(sidecar, tmp_path / sidecar.name)
        args = [str(tmp_path / source.name) if a == "{file}" else a for a in args]
    warned: list[str] = []
    outcome, seconds, detail = run_cli(args, timeout=20, warned=warned)
    assert outcome == case["expect"], f"{case['why']}: {outcome}: {detail}"
    assert not warned, f"{case['why']}: a RuntimeWarning reached the user: {warned[0]}"
    if outcome == "error":
        assert case.get("message", "") in detail, detail
    # a refused input leaves no file behind (no output, no temporary file)
    if "file" in case:
        left = sorted(p.name for p in tmp_path.iterdir()) if outcome == "error" else []
        assert all(not name.endswith(".part") for name in left)


def test_the_corpus_lists_every_file_it_holds():
    listed = {c["file"] for c in CASES if "file" in c}
    held = {p.name for p in CORPUS.iterdir() if p.name != "cases.json" and not p.name.endswith(".csv.json")}
    assert held == listed
