"""Payoffs that depend on the state: defined at a parameter point only if defined at every state.

``Model.defined_at`` once checked a state-dependent model's payoffs with
every state share at 0 only (one vertex of the state space); it now checks
every vertex, the centre and seeded interior states.  A payoff can be undefined
at other states: ``log(1/2 - x)`` is a finite real number at ``x = 0`` but
not at ``x >= 1/2``, where the replicator dynamics go (the vertex at which
the whole population plays the strategy).  Such a point must be reported
as undefined, not classified.

The reference is by hand: ``log(1/2 - x)`` is undefined at the vertex
``x = 1`` for every parameter value, ``log(x + a)`` at the vertex ``x = 0``
exactly when ``a <= 0``, and ``sqrt(x*(1 - x) - a)`` (a three-strategy
player's share) is defined at both vertices only when ``a <= 0``.
"""

from __future__ import annotations

import numpy as np
import pytest

from tripartite.scenario import read_scenario

TEMPLATE = """
[players]
row = ["up", "down"]
col = ["left", "right"]
[parameters]
a = {{ value = 0.1, min = -1, max = 2 }}
[state]
x = ["row", "up"]
[payoffs]
"up, left" = ["{payoff}", "1"]
"up, right" = ["0", "0"]
"down, left" = ["1", "0"]
"down, right" = ["0", "1"]
"""


def test_a_payoff_undefined_at_another_vertex_is_undefined():
    model = read_scenario(TEMPLATE.format(payoff="log(1/2 - x) + a"))
    # defined at x = 0 (all play down), undefined at x = 1 (all play up), whatever a is
    assert model.defined_at({"a": np.array([-1.0, 0.0, 1.0])}).tolist() == [False, False, False]


def test_definedness_follows_the_parameters_at_each_vertex():
    model = read_scenario(TEMPLATE.format(payoff="log(a - x)"))
    a = np.array([-0.5, 0.5, 1.0, 1.5])
    # x = 0: log(a) needs a > 0; x = 1: log(a - 1) needs a > 1
    assert model.defined_at({"a": a}).tolist() == [False, False, False, True]


def test_a_payoff_undefined_only_inside_the_state_space_is_undefined():
    model = read_scenario(TEMPLATE.format(payoff="log(1/4 + a - x*(1 - x))"))
    # at both vertices log(1/4 + a), defined for a > -1/4; at x = 1/2 log(a), defined for a > 0
    assert model.defined_at({"a": np.array([-0.5, -0.1, 0.1])}).tolist() == [False, False, True]


def test_a_state_free_payoff_is_checked_as_before():
    model = read_scenario(TEMPLATE.format(payoff="log(a)"))
    assert model.defined_at({"a": np.array([-0.5, 0.5])}).tolist() == [False, True]


@pytest.mark.slow
def test_a_sweep_marks_points_undefined_at_another_state_invalid():
    from tripartite.sweep import grid, sweep

    model = read_scenario(TEMPLATE.format(payoff="log(a - x)").replace("value = 0.1", "value = 1.5"))
    table = sweep(model, grid(model, {"a": "0.5:2:4"})).table  # a = 0.5, 1, 1.5, 2: defined for a > 1
    assert table["regime"].astype(str).str.startswith("invalid").tolist() == [True, True, False, False]
