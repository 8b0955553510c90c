"""Terminal tables are aligned by display width: a CJK character takes two columns."""

from __future__ import annotations

import pytest
from wcwidth import wcswidth

from tests.cjk_scenario import write_chinese_baseline
from tripartite.io.text import display_width, table


def cell_columns(line: str) -> list[int]:
    """The display column at which each cell (separated by two or more spaces) starts."""
    columns, col, blanks = [0], 0, 0
    for ch in line:
        if ch == " ":
            blanks += 1
        else:
            if blanks >= 2:
                columns.append(col)
            blanks = 0
        col += display_width(ch)
    return columns


@pytest.mark.parametrize(
    "text, width",
    [("abc", 3), ("政府", 4), ("骑手 enroll", 11), ("消极监管, 规避, 不参保", 22), ("e\u0301", 1), ("", 0)],
)
def test_display_width_counts_wide_and_combining_characters(text, width):
    assert display_width(text) == width


def test_a_table_of_chinese_names_is_aligned():
    rows = [["政府", "积极监管", 1.5], ["platform", "share", 2], ["骑手", "不参保", -3]]
    lines = table(["参与者", "strategy", "x"], rows).splitlines()
    expected = cell_columns(lines[0])
    assert expected == [0, 10, 20]  # widest cells: "platform" (8) and "积极监管" (8), two spaces between
    for line in lines[2:]:
        assert cell_columns(line) == expected, line
    assert {wcswidth(line) for line in lines[1:2]} == {len(lines[1])}  # the rule is ASCII


def test_solve_with_chinese_names_prints_aligned_tables(tmp_path, capsys):
    from tripartite.cli import main

    path = write_chinese_baseline(tmp_path)
    assert main(["solve", str(path)]) == 0
    out = capsys.readouterr().out
    lines = out.splitlines()
    top = lines.index(next(line for line in lines if line.startswith("vertex")))
    header, rule, *body = lines[top : top + 10]
    assert [display_width(part) for part in rule.split("  ")] == [len(part) for part in rule.split("  ")]
    expected = cell_columns(header)
    assert len(body) == 8 and len(expected) >= 3  # vertex, eigenvalues, classification, and any later column
    for line in body:
        assert line.startswith(("积极监管", "消极监管"))
        assert cell_columns(line) == expected, line
