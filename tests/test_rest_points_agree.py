"""Symbolic rest points agree with the equilibrium solver (issue 15, item 5).

Every mixed Nash equilibrium with support on a face is a rest point of the replicator dynamics
there; the McKelvey-McLennan game is the worked case: its interior holds exactly two rest points,
(2/5, 1/2, 1/3) and (1/2, 2/5, 1/4) (first-strategy shares), its two totally mixed equilibria, both
saddles.  Worked by hand: D_1 = 3(1 - 2 x_2)(1 - 4 x_3), D_2 = 4(1 - 2 x_1)(1 - 3 x_3),
D_3 = 2 - 8 x_1 - 8 x_2 + 26 x_1 x_2; D_1 = 0 needs x_2 = 1/2 or x_3 = 1/4, D_2 = 0 needs
x_1 = 1/2 or x_3 = 1/3, and D_3 = 0 then fixes the third share.
"""

from __future__ import annotations

import numpy as np
import pytest
import sympy as sp

from tripartite.equilibria import all_equilibria
from tripartite.scenario import read_scenario
from tripartite.symbolic import rest_points

MCKELVEY_MCLENNAN = """
name = "McKelvey-McLennan"
[players]
one = ["a", "b"]
two = ["a", "b"]
three = ["a", "b"]
[payoffs]
"a, a, a" = [9, 8, 12]
"a, a, b" = [0, 0, 0]
"a, b, a" = [0, 0, 0]
"a, b, b" = [3, 4, 6]
"b, a, a" = [0, 0, 0]
"b, a, b" = [3, 4, 6]
"b, b, a" = [9, 8, 2]
"b, b, b" = [0, 0, 0]
"""


@pytest.mark.slow
def test_mckelvey_mclennan_interior_holds_two_isolated_saddles():
    model = read_scenario(MCKELVEY_MCLENNAN)
    points = rest_points(model, at={})
    interior = [p for p in points if p.kind == "interior"]
    R = sp.Rational
    assert sorted(p.state for p in interior) == [(R(2, 5), R(1, 2), R(1, 3)), (R(1, 2), R(2, 5), R(1, 4))]
    assert all(p.classification == "saddle" for p in interior)
    assert not any("degenerate" in p.note for p in points)


@pytest.mark.slow
def test_every_mixed_equilibrium_is_a_listed_and_classified_rest_point():
    model = read_scenario(MCKELVEY_MCLENNAN)
    points = rest_points(model, at={})
    listed = [
        np.array([float(v) for v in p.state])
        for p in points
        if not any(sp.sympify(v).free_symbols for v in p.state)
    ]
    eqs = all_equilibria(model.game())
    mixed = [e for e in eqs if not e.pure]
    assert len(mixed) == 5  # 3 on faces (one player pure), 2 interior
    for e in mixed:
        shares = np.array([x[0] for x in e.strategies])
        matches = [p for p, q in zip(points, listed) if np.allclose(q, shares, atol=1e-9)]
        assert len(matches) == 1, shares
        assert matches[0].classification is not None
