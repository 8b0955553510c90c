"""The four regimes of examples/dynamic_reward_punishment.toml, against the hand-worked rest points.

``D_x = y (R (1 - dr x) + F (1 - dp x)) - c``, ``D_y = (1 - x)(b + fine) - x reward - k - e z``,
``D_z = a x - h`` with ``R=1, F=4, c=2, b=2, k=1/2, e=4, a=1, h=1/2``: the interior point has
``x* = 1/2``, ``y* = c / (reward + fine)`` and ``z* = ((b + fine)/2 - reward/2 - k) / e`` at ``x*``.
"""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import pytest

from tripartite import load_model
from tripartite.solution import solve

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "dynamic_reward_punishment.toml"


def hand_interior(dr: int, dp: int) -> tuple[Fraction, Fraction, Fraction]:
    x = Fraction(1, 2)
    reward, fine = 1 * (1 - dr * x), 4 * (1 - dp * x)
    y = 2 / (reward + fine)
    z = ((1 - x) * (2 + fine) - x * reward - Fraction(1, 2)) / 4
    return x, y, z


@pytest.mark.slow
@pytest.mark.parametrize(
    "dr, dp, stable",
    [(0, 0, False), (1, 0, False), (0, 1, True), (1, 1, True)],
)
def test_only_dynamic_punishment_gives_a_stable_interior_focus(dr, dp, stable):
    model = load_model(EXAMPLE)
    assert model.static_at({"dr": dr, "dp": dp}) == (dr == dp == 0)
    rec = solve(model, {"dr": dr, "dp": dp}).to_record()
    (interior,) = [r for r in rec["rest_points"] if r["kind"] == "interior"]
    got = tuple(shares[next(iter(shares))] for shares in interior["strategies"].values())
    assert got == pytest.approx([float(v) for v in hand_interior(dr, dp)], abs=1e-12)
    assert interior["focus"] is True
    assert (interior["classification"] == "asymptotically stable") is stable
    if not stable:
        assert max(re for re, _ in interior["eigenvalues"]) > 0
    if dr == dp == 0:  # fixed payoffs: the eigenvalues sum to zero (volume-preserving flow)
        assert abs(sum(re for re, _ in interior["eigenvalues"])) < 1e-12
