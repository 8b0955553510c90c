"""Sweeps, thresholds and sweep trajectories on a model whose payoffs depend on the state.

The vertex conditions of a state-dependent game are still deviation gains,
with the payoffs at the vertex's own state; the sweep's lambdified symbolic
kernel must agree with the numeric kernel (which evaluates the table at the
vertex), and thresholds must land where the hand-worked gains change sign.
In ``examples/dynamic_reward_punishment.toml`` at ``(greenwash, strict,
ignore)`` the state is ``x = 0``, so the reward is ``R`` and the fine ``F``
whatever ``dr``, ``dp``: the enterprise gains ``R + F - c`` by turning green,
zero at ``F = c - R = 1``.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from tripartite import load_model
from tripartite.dynamics.stability import vertex_stability
from tripartite.sweep.regime_changes import thresholds
from tripartite.sweep.regimes import classify_points

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "dynamic_reward_punishment.toml"


@pytest.fixture(scope="module")
def model():
    return load_model(EXAMPLE)


def test_sweep_classification_is_the_numeric_kernel_at_the_vertex(model):
    rng = np.random.default_rng(3)
    values = {
        "F": rng.uniform(0, 8, 200),
        "R": rng.uniform(0, 3, 200),
        "dr": rng.uniform(0, 1, 200),
        "dp": rng.uniform(0, 1, 200),
        "b": rng.uniform(0, 4, 200),
    }
    reg = classify_points(model, values)
    game = model.game(values)
    assert game.state_dependent
    vs = vertex_stability(game)
    for k, prof in enumerate(reg.profiles):
        assert np.array_equal(reg.stable[:, k], vs.stable[(slice(None), *prof)])
        gains = np.stack([g[(slice(None), *prof)] for g in vs.gains], axis=1).max(axis=1)
        assert np.allclose(reg.margin[k], gains, atol=1e-12)


def test_threshold_along_the_fine_is_where_the_hand_worked_gain_vanishes(model):
    (t,) = thresholds(model, "F", values={"dp": 1})
    assert t.value == pytest.approx(1.0, abs=1e-9)
    assert "greenwash/strict/ignore" in t.below and t.above == "no stable vertex"


def test_sweep_trajectories_run_on_the_state_dependent_game(model, tmp_path):
    from tripartite.cli import main

    out = tmp_path / "sweep.csv"
    argv = ["sweep", str(EXAMPLE), "--set", "dp=1", "--vary", "F=3:5:3", "--trajectories", "--out", str(out)]
    code = main(argv)
    assert code == 0
    import pandas as pd

    frame = pd.read_csv(out)
    assert len(frame) == 3 and set(frame["regime"]) == {"no stable vertex"}
    # the interior focus attracts slowly: by the default horizon the honest word is not a vertex
    assert set(frame["outcome"]) <= {"rest point", "not converged", "cycling"}
    assert frame["reached"].isna().all()


def test_single_lever_escapes_from_the_greenwashing_vertex(model):
    from tripartite.sweep.escape import single_lever_escapes

    # at (greenwash, strict, ignore) the enterprise's gain from turning green is R + F - c
    # (x = 0: full reward and fine): with F = 1/2, R = 1, c = 2 it escapes at F = 1, R = 3/2, c = 3/2
    found = single_lever_escapes(model, ["F", "R", "c"], low=(1, 0, 1), values={"F": 0.5, "dp": 1})
    assert [(e.lever, str(e.exact)) for e in found] == [("F", "1"), ("R", "3/2"), ("c", "3/2")]
    assert all(e.to_record()["regime_after"] == "no stable vertex" for e in found)
    # the trajectories after the escape run on the state-dependent game (they spiral in slowly)
    assert {e.to_record()["from_low"] for e in found} <= {"not converged", "rest point", "cycling"}
