"""Scenario files with a ``[state]`` table: payoffs that depend on population shares."""

from __future__ import annotations

import numpy as np
import pytest
import sympy as sp

from tripartite import dump_scenario, load_model, read_scenario
from tripartite.errors import ScenarioError, TripartiteError
from tripartite.expr import symbol

DYNAMIC = """
name = "dynamic"
[players]
row = ["up", "down"]
col = ["left", "right"]
[parameters]
F = { value = 2, min = 0 }
b = 1
[state]
x = ["row", "up"]
y = ["col", "right"]
[derived]
fine = "F*(1 - x)^2"
[payoffs]
"up, left" = ["b", "x*y"]
"up, right" = ["0", "b"]
"down, left" = ["b - fine", "0"]
"down, right" = [1, "y"]
"""


def _replace(old: str, new: str) -> str:
    assert old in DYNAMIC
    return DYNAMIC.replace(old, new)


def test_state_names_are_symbols_in_derived_and_payoffs():
    m = read_scenario(DYNAMIC, "d.toml")
    x, y, F, b = (symbol(n) for n in "x y F b".split())
    assert [(s.name, s.player, s.strategy) for s in m.state] == [("x", 0, 0), ("y", 1, 1)]
    assert sp.simplify(m.payoffs[(1, 0)][0] - (b - F * (1 - x) ** 2)) == 0
    assert m.payoffs[(0, 0)][1] == x * y
    assert m.state_values((1, 1)) == {x: 0, y: 1}


def test_the_game_evaluates_the_payoffs_at_the_state():
    game = read_scenario(DYNAMIC, "d.toml").game(F=[2.0, 3.0])
    u = game.payoffs.at([np.array([0.25, 0.75]), np.array([0.4, 0.6])])
    assert u.shape == (2, 2, 2, 2)
    assert u[:, 0, 1, 0].tolist() == [1 - 2 * 0.75**2, 1 - 3 * 0.75**2]
    assert u[:, 1, 0, 0].tolist() == [0.25 * 0.6] * 2
    assert game.point(1).payoffs.at([np.array([1.0, 0.0]), np.array([1.0, 0.0])])[0, 0, 1, 0] == 1.0


def test_dump_round_trip_keeps_the_state():
    m = read_scenario(DYNAMIC, "d.toml")
    again = read_scenario(dump_scenario(m), "again.toml")
    assert again.state == m.state and again.hash == m.hash


def test_static_models_keep_their_hash_and_array():
    m = load_model("baseline")
    assert m.static_at()  # its state-dependent levers are 0 by default
    assert isinstance(m.game().payoffs, np.ndarray)
    with_state = read_scenario(DYNAMIC, "d.toml")
    without = read_scenario(
        DYNAMIC.replace('[state]\nx = ["row", "up"]\ny = ["col", "right"]\n', "")
        .replace("(1 - x)^2", "1")
        .replace('"x*y"', "0")
        .replace('"y"', "0"),
        "s.toml",
    )
    assert without.state == () and with_state.hash != without.hash


def test_a_state_model_refuses_what_needs_one_table():
    m = read_scenario(DYNAMIC, "d.toml")
    for call in (m.evaluate, m.exact_payoffs):
        with pytest.raises(TripartiteError, match=r"depend on the population state \(x, y\)"):
            call()


@pytest.mark.parametrize(
    "text, where, what",
    [
        (_replace('x = ["row", "up"]', 'x = ["nobody", "up"]'), "[state] key 'x'", "unknown player 'nobody'"),
        (
            _replace('x = ["row", "up"]', 'x = ["row", "left"]'),
            "[state] key 'x'",
            "'left' is not a strategy of 'row'",
        ),
        (_replace('x = ["row", "up"]', 'F = ["row", "up"]'), "[state] key 'F'", "same name as a parameter"),
        (
            _replace('x = ["row", "up"]', 'fine = ["row", "up"]'),
            "[state] key 'fine'",
            "same name as a derived",
        ),
        (
            _replace('x = ["row", "up"]', 'x = "row"'),
            "[state] key 'x'",
            'must be a pair ["player", "strategy"]',
        ),
        (
            _replace('y = ["col", "right"]', 'y = ["row", "up"]'),
            "[state] key 'y'",
            "names the same share as 'x'",
        ),
        (_replace('x = ["row", "up"]', 'exp = ["row", "up"]'), "[state] key 'exp'", "must be an identifier"),
        (
            _replace('[state]\nx = ["row", "up"]\ny = ["col", "right"]\n', "").replace(
                'name = "dynamic"', 'name = "dynamic"\nstate = 3'
            ),
            "[state]",
            "must be a table",
        ),
        (_replace('"x*y"', '"x*z"'), "[payoffs] key 'up, left' payoff of 'col'", "unknown name 'z'"),
    ],
)
def test_state_errors_name_file_table_and_key(text, where, what):
    with pytest.raises(ScenarioError) as info:
        read_scenario(text, "my.toml")
    message = str(info.value)
    assert f"my.toml: {where}: " in message
    assert what in message


def test_a_payoff_undefined_at_a_vertex_state_is_refused_by_name():
    # log(y) is -inf where the column population never plays right (y = 0): at the vertices
    # (., left) the vertex payoffs and eigenvalues would be nan, so the game refuses, naming the state
    from tripartite.errors import UndefinedPayoffError

    model = read_scenario(_replace('"down, right" = [1, "y"]', '"down, right" = [1, "log(y)"]'), "d.toml")
    with pytest.raises(
        UndefinedPayoffError, match=r"'down, right' payoff of 'col': log\(y\) .* at the state x = 1, y = 0"
    ):
        model.game()
    assert not model.defined_at().any()  # the sweeps' check agrees
    fine = read_scenario(_replace('"down, right" = [1, "y"]', '"down, right" = [1, "log(1 + y)"]'), "d.toml")
    from tripartite.welfare import expected_payoffs_at

    assert np.isfinite(expected_payoffs_at(fine.game(), [np.array([1.0, 0.0]), np.array([1.0, 0.0])])).all()
