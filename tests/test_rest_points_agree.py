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
from hypothesis import given, settings
from hypothesis import strategies as st

from tripartite.equilibria import all_equilibria
from tripartite.game import regret
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


def _scenario(u: np.ndarray) -> str:
    """A 2x2x2 game as a scenario file (integer payoffs)."""
    names = ["a", "b"]
    rows = [
        f'"{", ".join(names[k] for k in prof)}" = [{", ".join(str(int(u[(i, *prof)])) for i in range(3))}]'
        for prof in np.ndindex(2, 2, 2)
    ]
    return (
        'name = "random"\n[players]\none = ["a", "b"]\ntwo = ["a", "b"]\nthree = ["a", "b"]\n[payoffs]\n'
        + "\n".join(rows)
    )


@pytest.mark.slow
@settings(max_examples=10, deadline=None)
@given(seed=st.integers(0, 2**32 - 1))
def test_on_random_games_the_rest_points_off_the_vertices_are_the_mixed_equilibria_and_the_others(seed):
    # the rest points on edges, faces and in the interior (solved exactly) are the mixed equilibria
    # (all_equilibria, floating point) plus rest points that are not equilibria; each is classified
    u = np.random.default_rng(seed).integers(-9, 10, size=(3, 2, 2, 2))
    model = read_scenario(_scenario(u))
    eqs = all_equilibria(model.game())
    points = rest_points(model, at={})
    isolated = [p for p in points if not any(sp.sympify(v).free_symbols for v in p.state)]
    shares = [np.array([float(sp.re(sp.N(v, 30))) for v in p.state]) for p in isolated]
    for e in eqs:
        if e.pure or len([s for s in e.support if len(s) > 1]) < 2:
            continue  # vertices, and edges (one player mixing: a continuum of rest points)
        x = np.array([s[0] for s in e.strategies])
        matches = [p for p, q in zip(isolated, shares) if np.allclose(q, x, atol=1e-9)]
        assert len(matches) == 1, (u.tolist(), x)
        assert matches[0].classification is not None, matches[0].note
    game = model.game()
    for p, q in zip(isolated, shares):
        if len(p.mixing) < 2:
            continue
        profile = [np.array([s, 1 - s]) for s in q]
        if regret(game.payoffs, profile)[0] <= 1e-9 * float(game.payoff_scale[0]):
            assert eqs.find(profile, 1e-6) is not None, (u.tolist(), q)  # an equilibrium: found by the solver
    if eqs.complete:  # a continuum of rest points only where the solver saw degeneracy
        assert not any(
            "degenerate" in p.note or "continuum" in p.note for p in points if len(p.mixing) >= 2
        ), u.tolist()
