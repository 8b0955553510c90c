"""The baseline game with Chinese player and strategy names (政府 / 平台 / 骑手), for the CJK tests."""

from __future__ import annotations

import re
from importlib import resources
from pathlib import Path

PLAYERS = {"government": "政府", "platform": "平台", "worker": "骑手"}
STRATEGIES = {
    "active": "积极监管",
    "passive": "消极监管",
    "share": "分担",
    "shirk": "规避",
    "enroll": "参保",
    "lapse": "不参保",
}


def chinese_baseline_text() -> str:
    """``baseline.toml`` with its players and strategies renamed; parameters, payoffs and values unchanged."""
    text = resources.files("tripartite").joinpath("models/baseline.toml").read_text(encoding="utf-8")
    text = text.replace('name = "baseline"', 'name = "平台用工社保博弈"')

    def strategies(match: re.Match) -> str:
        return re.sub(r"\w+", lambda w: STRATEGIES.get(w.group(0), w.group(0)), match.group(0))

    lines = []
    section = ""
    for line in text.splitlines():
        if line.startswith("["):
            section = line
        elif section in ("[players]", "[initial_state]") and "=" in line and not line.startswith("#"):
            player, rest = line.split("=", 1)
            rest = re.sub(r'"(\w+)"', lambda m: f'"{STRATEGIES[m.group(1)]}"', rest)
            line = f'"{PLAYERS[player.strip()]}" ={rest}'
        elif section == "[state]" and "=" in line and not line.startswith("#"):
            # x_S = ["platform", "share"]: a share named by its player and strategy
            line = re.sub(r'"(\w+)"', lambda m: f'"{PLAYERS.get(m[1], STRATEGIES.get(m[1], m[1]))}"', line)
        elif (section == "[payoffs]" or section.startswith("[fiscal")) and line.startswith('"'):
            key, rest = line.split("=", 1)
            line = re.sub(r'"[^"]*"', strategies, key, count=1) + "=" + rest
        elif section == "[profiles]" and "=" in line and not line.startswith("#"):
            # low = "passive, shirk, lapse": a named profile, written with strategy names
            name, rest = line.split("=", 1)
            line = name + "=" + re.sub(r'"[^"]*"', strategies, rest, count=1)
        lines.append(line)
    return "\n".join(lines) + "\n"


def write_chinese_baseline(directory: Path) -> Path:
    """Write the Chinese-named baseline scenario into ``directory``; returns its path."""
    path = Path(directory) / "平台博弈.toml"
    path.write_text(chinese_baseline_text(), encoding="utf-8")
    return path
