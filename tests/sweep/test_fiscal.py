"""Scenario ``levers`` and ``[fiscal]``: reading, errors, and the fiscal cost as an expression."""

from __future__ import annotations

import pytest

from tripartite import dump_scenario, load_model, read_scenario
from tripartite.errors import ScenarioError
from tripartite.sweep import default_levers
from tripartite.sweep.levers import current_values, fiscal_cost

GAME = """
name = "subsidy game"
levers = ["s"]
[players]
state = ["pay", "idle"]
firm = ["comply", "evade"]
[parameters]
s = { value = 2, min = 0, description = "subsidy to a complying firm" }
g = { value = 1, min = 0, description = "gain from evading" }
[payoffs]
"pay, comply" = ["-s", "s"]
"pay, evade" = ["0", "g"]
"idle, comply" = ["0", "0"]
"idle, evade" = ["0", "g"]
[fiscal]
unit = "yuan per firm-month"
source = "the state pays the subsidy"
[fiscal.budget]
"pay, comply" = "-s"
"pay, evade" = "0"
"idle, comply" = "0"
"idle, evade" = "0"
"""


def test_levers_and_fiscal_tables_are_read_and_round_trip():
    model = read_scenario(GAME, "g.toml")
    assert model.levers == ("s",) and default_levers(model) == ["s"]
    assert model.fiscal.unit == "yuan per firm-month" and str(model.fiscal.budget[(0, 0)]) == "-s"
    again = read_scenario(dump_scenario(model), "again.toml")
    assert again.levers == model.levers and again.hash == model.hash
    # reaching (pay, comply) from (idle, evade) with s = 3 costs the state 3
    assert fiscal_cost(model, (0, 0), (1, 1), current_values(model, {}), ["s"]) == model.symbols["s"]


@pytest.mark.slow
def test_the_built_in_models_declare_levers_and_a_fiscal_account():
    for name in ("baseline", "extended"):
        model = load_model(name)
        assert "c" in model.levers and model.fiscal.unit == "yuan per worker-month"
        assert len(model.fiscal.budget) == len(model.profiles())
    base = load_model("baseline")
    # the low state costs nothing; the high state: the fund owes B + b_p and receives c + k*c_p,
    # the injury pool receives m and pays theta*p*L: 700 + 360 - 2800 + 60 - 48 = -1728
    assert fiscal_cost(base, (1, 0, 0), (1, 1, 1), current_values(base, {}), []) == 1728


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (('levers = ["s"]', 'levers = ["zz"]'), r"g\.toml: top level key 'levers': 'zz' is not a parameter"),
        (('levers = ["s"]', 'levers = "s"'), r"top level key 'levers': must be a list of parameter names"),
        (
            ('"pay, evade" = "0"\n"idle', '"pay, evade" = "0"\n"idle, nope" = "1"\n"idle'),
            r"\[fiscal\.budget\] key 'idle, nope': not a profile",
        ),
        (('"idle, evade" = "0"\n', ""), r"\[fiscal\.budget\]: missing profile\(s\) idle, evade"),
        (('unit = "yuan per firm-month"', "colour = 1"), r"\[fiscal\]: unknown key\(s\) colour"),
        (('"pay, comply" = "-s"', '"pay, comply" = "-s +"'), r"\[fiscal\.budget\] key 'pay, comply'"),
    ],
)
def test_bad_tables_name_the_key(edit, message):
    old, new = edit
    text = GAME.replace(old, new, 1) if old in GAME else GAME
    # the fiscal edits apply to the [fiscal.budget] section (the last occurrence)
    if old.startswith('"') and old in GAME:
        head, tail = GAME.rsplit("[fiscal.budget]", 1)
        text = head + "[fiscal.budget]" + tail.replace(old, new, 1)
    with pytest.raises(ScenarioError, match=message):
        read_scenario(text, "g.toml")
