"""Shared test helpers: seeded random games and parameter points, brute-force references, the CLI."""

from __future__ import annotations

import itertools
import math
import os

import numpy as np
import pytest
from hypothesis import settings

from tripartite.cli import main
from tripartite.game import Game

# CI runs a fixed, derandomised set of examples (a failure there is reproducible);
# local runs explore new examples each time.
settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")


def random_game(shape, seed=0, integer=False, batch=1):
    """A random game of the given shape (floats, or small integers to force ties)."""
    rng = np.random.default_rng(seed)
    size = (batch, len(shape), *shape)
    payoffs = rng.integers(-3, 4, size=size).astype(float) if integer else rng.normal(size=size)
    return Game.from_array(payoffs)


def random_points(model, n, seed=0):
    """``n`` random parameter points: uniform over each declared range (infinite ends cut off)."""
    rng = np.random.default_rng(seed)
    values = {}
    for p in model.parameters:
        lo = p.min if math.isfinite(p.min) else p.default - 100
        hi = p.max if math.isfinite(p.max) else max(p.default, 1.0) * 3
        values[p.name] = rng.uniform(lo, hi, size=n)
    return values


def brute_force_pure(payoffs_point, tol=0.0):
    """Pure equilibria of one point by the definition, with plain loops (reference)."""
    n = payoffs_point.shape[0]
    shape = payoffs_point.shape[1:]
    found, strict = [], []
    for prof in itertools.product(*(range(m) for m in shape)):
        gains = []
        for i in range(n):
            own = payoffs_point[(i, *prof)]
            for t in range(shape[i]):
                if t != prof[i]:
                    dev = prof[:i] + (t,) + prof[i + 1 :]
                    gains.append(payoffs_point[(i, *dev)] - own)
        if all(g <= tol for g in gains):
            found.append(prof)
            if all(g < -tol for g in gains):
                strict.append(prof)
    return found, strict


@pytest.fixture
def baseline():
    from tripartite import load_model

    return load_model("baseline")


@pytest.fixture
def cli(capsys):
    """Run the command line in this process: ``cli("solve", "--json")`` -> ``(status, stdout, stderr)``."""

    def run(*argv):
        code = main([str(a) for a in argv])
        out, err = capsys.readouterr()
        return code, out, err

    return run


UNICODE_SCENARIO = """
name = "劳动者博弈"
[players]
"政府" = ["积极", "消极"]
"平台" = ["分担", "规避"]
[parameters]
"成本" = { value = 1, min = 0, max = 4, description = "监管成本" }
[payoffs]
"积极, 分担" = ["2 - 成本", "1"]
"积极, 规避" = ["0", "0"]
"消极, 分担" = ["0", "0"]
"消极, 规避" = ["1", "2"]
"""


@pytest.fixture
def unicode_scenario(tmp_path):
    """A scenario file with Chinese names everywhere (players, strategies, parameter, file name)."""
    path = tmp_path / "游戏.toml"
    path.write_text(UNICODE_SCENARIO, encoding="utf-8")
    return path
