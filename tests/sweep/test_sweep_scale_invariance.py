"""Sweeps and thresholds do not depend on the payoffs' units or offsets (issue 15, item 5).

A 2x2 game whose payoffs are ``S`` times fixed numbers plus a per-player offset proportional to
``H``; the lever ``x`` moves the row player's gain at (up, left), which is ``-S*x``:

- (up, left) is asymptotically stable for ``x > 0`` and non-hyperbolic at ``x = 0``;
- (down, right) is stable for every ``x`` (gains ``-S`` and ``-3*S``); the other two vertices
  are unstable (a gain of ``S`` or ``3*S``).

The payoff scale is ``3*S`` on ``[-1, 1]`` (the column player's payoffs 0, S, 2S, 3S), so with the
relative tolerance ``tol`` a point is on the boundary exactly when ``|x| <= 3*tol``.  That is the
reference, worked by hand; the regimes reported by ``classify_points``, by the sweep's table and by
``thresholds`` must equal it at ``S`` from 1e-12 to 1e9 and with offsets up to 1e4 times the scale.
With a tolerance in absolute payoff units the small scales put every point on the boundary
(``|S*x| <= 1e-9``) and the large scales resolve ``x = 1e-16`` as if it were not a tie.
"""

from __future__ import annotations

import pytest

from tripartite.game import DEFAULT_TOL
from tripartite.scenario import load_model
from tripartite.sweep import grid, sweep
from tripartite.sweep.regime_changes import thresholds
from tripartite.sweep.regimes import classify_points, payoff_scales

SCALED = """
name = "scaled"
[players]
row = ["up", "down"]
col = ["left", "right"]
[parameters]
x = { value = 0.5, min = -1, max = 1 }
S = { value = 1, min = 1e-15, max = 1e12 }
H = { value = 0, min = -1e4, max = 1e4 }
[payoffs]
"up, left" = ["S*x + H*S", "2*S - 3*H*S"]
"up, right" = ["S + H*S", "S - 3*H*S"]
"down, left" = ["H*S", "-3*H*S"]
"down, right" = ["2*S + H*S", "3*S - 3*H*S"]
"""

XS = [-1.0, -1e-4, -1e-7, -1e-16, 0.0, 1e-16, 1e-7, 1e-4, 1.0]
SCALES = [1e-12, 1e-6, 1.0, 1e9]


def _by_hand(x: float, tol: float = DEFAULT_TOL) -> str:
    """The regime from the definition: the deciding gain of (up, left) is -S*x, the scale 3*S."""
    if abs(x) <= 3 * tol:
        return "boundary"
    return "up/left and down/right (bistable)" if x > 0 else "down/right only"


@pytest.fixture(scope="module")
def model(tmp_path_factory):
    path = tmp_path_factory.mktemp("scaled") / "scaled.toml"
    path.write_text(SCALED, encoding="utf-8")
    return load_model(str(path))


@pytest.mark.parametrize("offset", [0.0, 1e4])
@pytest.mark.parametrize("scale", SCALES)
def test_regimes_of_points_and_of_the_sweep_table_follow_the_relative_tolerance(model, scale, offset):
    expected = [_by_hand(x) for x in XS]
    values = {"S": scale, "H": offset}
    assert payoff_scales(model, model.resolve({**values, "x": XS})) == pytest.approx(3 * scale, rel=1e-12)
    assert classify_points(model, {**values, "x": XS}).labels() == expected
    table = sweep(model, grid(model, {"x": XS}), values=values).table
    assert [str(r) for r in table["regime"]] == expected


@pytest.mark.parametrize("scale", SCALES)
def test_thresholds_are_the_same_at_every_scale(model, scale):
    found = thresholds(model, "x", values={"S": scale, "H": 1e4 if scale > 1 else 0.0})
    assert [(float(t.value), t.below, t.above) for t in found] == [
        (0.0, "down/right only", "up/left and down/right (bistable)")
    ]
