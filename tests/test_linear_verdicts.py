"""A linear condition is never left 'undecided' (issue 15, item 5).

Sampled witnesses can miss a thin region: ``p1 + ... + p6 < 5.999`` with every ``p_k`` in [0, 1]
fails only near the corner where all are 1, which random and boundary samples almost never hit.
A linear form takes every value between its minimum and maximum over the box (its interval
enclosure, exact for a linear form), so the verdict is decided from those.
"""

from __future__ import annotations

import pytest
import sympy as sp

from tripartite.scenario import read_scenario
from tripartite.symbolic.verdicts import ALWAYS, ALWAYS_INSIDE, DEPENDS, NEVER, decide_negative

SIX = read_scenario(
    """
[players]
a = ["x", "y"]
b = ["x", "y"]
[parameters]
"""
    + "\n".join(f"p{k} = {{ value = 0.5, min = 0, max = 1 }}" for k in range(1, 7))
    + """
[payoffs]
"x, x" = ["p1", 0]
"x, y" = [0, 0]
"y, x" = [0, 0]
"y, y" = [0, 0]
"""
)


@pytest.mark.slow
def test_thin_linear_regions_are_decided_exactly():
    total = sum(SIX.symbols[f"p{k}"] for k in range(1, 7))
    near = sp.Rational(5999, 1000)
    assert decide_negative(total - near, SIX) == DEPENDS  # fails only near the corner (1, ..., 1)
    assert decide_negative(near - total, SIX) == DEPENDS  # holds only near that corner
    assert decide_negative(total - 6, SIX) == ALWAYS_INSIDE  # 0 at the corner only
    assert decide_negative(total - 7, SIX) == ALWAYS
    assert decide_negative(total + 1, SIX) == NEVER


def test_a_point_where_a_condition_is_undefined_is_no_witness():
    """log(a) - 1 < 0 with a in [-1, 2]: sampled points with a <= 0 are undefined, neither holding nor failing.

    Before, NaN was skipped by ``nanmax`` (with an 'All-NaN slice' warning) and the exact check at
    such a point raised "expected a real number, got ... + I*pi".
    """
    import warnings

    from tripartite.symbolic.verdicts import ParameterBox, witnesses

    a = SIX.symbols["p1"]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        found = witnesses([sp.log(a + sp.Rational(-1, 2)) - 1, SIX.symbols["p2"] - 10], ParameterBox(SIX))
    # by hand: log(p1 - 1/2) < 1 wherever p1 > 1/2 (p1 <= 1 < e + 1/2), and p2 - 10 < 0 on [0, 1]
    assert found == (True, False, False)


@pytest.mark.slow
def test_linear_conditions_holding_together_only_in_a_thin_slab_are_decided_by_the_lp():
    """5.99 < p1 + ... + p6 < 5.999 holds only near the corner (1, ..., 1): samples miss it, the LP does not."""
    from tripartite.symbolic.verdicts import ParameterBox, joint_status

    total = sum(SIX.symbols[f"p{k}"] for k in range(1, 7))
    lo, hi = sp.Rational(599, 100), sp.Rational(5999, 1000)
    box = ParameterBox(SIX)
    assert joint_status([total - hi, lo - total], [DEPENDS, DEPENDS], box) == DEPENDS
    assert (
        joint_status([total - lo, hi - total], [DEPENDS, DEPENDS], box) == NEVER
    )  # total < 5.99 and > 5.999
