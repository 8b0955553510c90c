"""``solve`` and ``basins`` in Chinese: the package's own words translated, names kept, columns aligned."""

from __future__ import annotations

import re

import pytest

from tripartite.cli import main
from tripartite.io.text import display_width


def _run(capsys, *args):
    assert main(list(args)) in (0, None)
    return capsys.readouterr().out


def _table_after(text: str, heading: str) -> list[str]:
    """The lines of the table that follows the line starting with ``heading`` (header, rule, rows)."""
    lines = text.splitlines()
    start = next(k for k, line in enumerate(lines) if line.startswith(heading))
    rule = next(k for k in range(start, len(lines)) if set(lines[k]) <= {"-", " "} and "-" in lines[k])
    end = next((k for k in range(rule + 1, len(lines)) if not lines[k].strip()), len(lines))
    return lines[rule - 1 : end]


def _column_starts(rule: str) -> list[int]:
    return [m.start() for m in re.finditer(r"-+", rule)]


def _assert_aligned(table: list[str]) -> None:
    """Every cell starts at its column's display position (each column is as wide as its rule)."""
    starts = _column_starts(table[1])
    for line in [table[0], *table[2:]]:
        for start in starts[1:]:
            # the text before the column, measured in display columns, ends with the gap of two spaces
            k = 0
            while display_width(line[:k]) < start:
                k += 1
            assert display_width(line[:k]) == start and line[k - 2 : k] == "  ", (line, start)


@pytest.mark.slow
def test_solve_in_chinese(capsys):
    english = _run(capsys, "solve", "baseline")
    text = _run(capsys, "solve", "baseline", "--lang", "zh")
    for phrase in (
        "纯策略纳什均衡",
        "复制动态下各顶点的稳定性",
        "渐近稳定",
        "鞍点",
        "类型",
        "特征值",
        "收敛到",
        "仅相对于混合状态属于三输局面",
        "按 beta = 1, lam = 1, a = 1 重新计算的决策收益",
    ):
        assert phrase in text, phrase
    for phrase in (
        "asymptotically stable",
        "saddle",
        "Pure Nash equilibria",
        "classification",
        "three-lose",
        "re-evaluated",
    ):
        assert phrase not in text and phrase in english, phrase
    assert (
        max(display_width(line) for line in text.splitlines() if "三输" in line or "至少损失" in line) <= 100
    )
    vertices = _table_after(text, "复制动态下各顶点的稳定性")
    assert vertices[0].split()[:4] == ["顶点", "特征值", "收益", "福利"]
    assert "-1428, 900, 5824" in vertices[6] and "-1428, 900, 7658" in vertices[6]  # payoffs, welfare
    assert "passive, shirk, lapse" in text and "government, platform, worker" in text  # names kept
    _assert_aligned(_table_after(text, "复制动态下各顶点的稳定性"))
    _assert_aligned(_table_after(text, "纯策略纳什均衡"))
    assert _run(capsys, "solve", "baseline", "--lang", "en") == english  # English stays the default


@pytest.mark.slow
def test_basins_in_chinese(capsys):
    english = _run(capsys, "basins", "baseline", "--samples", "40")
    text = _run(capsys, "basins", "baseline", "--samples", "40", "--lang", "zh")
    for phrase in ("吸引域", "稳定状态", "比例", "个数", "未收敛", "现状收敛到"):
        assert phrase in text, phrase
    assert "Basins of attraction" in english and "Basins of attraction" not in text
    assert "passive, shirk, lapse" in text
    _assert_aligned(_table_after(text, "吸引域"))


def test_render_words_without_running():
    from tripartite.cli.basins import render

    record = {
        "model": "toy",
        "version": "0",
        "changed": {"c": 0.5},
        "players": ["政府", "平台"],
        "samples": 10,
        "sampling": "regular grid of interior states, shares in steps of 1/4",
        "t_max": 5.0,
        "confidence": 0.95,
        "interval": "wilson",
        "stable_states": [
            {"profile": {"政府": "严格监管", "平台": "合规"}, "share": 0.5, "ci": [0.2, 0.8], "count": 5}
        ],
        "other_vertices": [],
        "rest_points": {"count": 0},
        "not_converged": {"share": 0.5, "ci": [0.2, 0.8], "count": 5},
    }
    text = render(record, "zh")
    assert "内部状态的规则网格，比例步长 1/4" in text and "参数：默认值（其中 c=0.5）" in text
    assert "严格监管, 合规" in text and "稳定状态（政府, 平台）" in text  # the model's names, untranslated
    _assert_aligned(_table_after(text, "吸引域"))


def test_the_welfare_sentence_wraps_by_display_width(baseline):
    import numpy as np

    from tripartite.cli.solve import wrap_sentence
    from tripartite.welfare import pareto_comparison, welfare_game

    w, low = welfare_game(baseline), [np.array([0.0, 1.0])] * 3
    for lang in ("en", "zh"):
        sentence = pareto_comparison(w, low, lang=lang)
        lines = wrap_sentence(sentence, "    ", "      ", width=60)
        assert len(lines) >= 6 and all(display_width(line) <= 60 for line in lines), lines
        assert lines[0].startswith("    ") and all(line.startswith("      ") for line in lines[1:])
        # nothing lost or reordered: only the spaces at the breaks change
        assert "".join(line.strip() for line in lines).replace(" ", "") == sentence.replace(" ", "")
        assert not any(line.strip()[0] in "，。；：）" for line in lines)
    assert wrap_sentence("a b; c", "", "", width=100) == ["a b; c"]  # a short sentence stays one line
    assert wrap_sentence("甲乙丙丁，戊己", width=8) == ["甲乙丙丁，", "戊己"]  # "，" never starts a line
