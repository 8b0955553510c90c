"""Scenario files: reading, validation (every error names file, table, key), writing."""

from __future__ import annotations

from pathlib import Path

import pytest
import sympy as sp

from tripartite import builtin_models, dump_scenario, load_model, read_scenario
from tripartite.errors import ScenarioError
from tripartite.expr import symbol
from tripartite.scenario import BUILTIN_CITATION

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "greenwashing.toml"

SMALL = """
name = "small"
[players]
row = ["up", "down"]
col = ["left", "right"]
[parameters]
a = { value = 2, min = 0, max = 5, description = "a payoff" }
b = 1
[derived]
c = "a + b"
[payoffs]
"up, left" = ["c", "a"]
"up, right" = ["0", "b"]
"down, left" = ["b", "0"]
"down, right" = [1, 0.5]
"""


def test_example_scenario_loads():
    model = load_model(EXAMPLE)
    assert model.players == ("enterprise", "government", "public")
    assert model.shape == (2, 2, 2)
    assert model.parameter("R3").default == 6  # short form
    assert model.parameter("alpha").max == 1
    assert model.initial_state[0] == (0.3, 0.7)
    # derived quantity substituted: (1 + alpha)*R1 - C1 + P + L
    s = {n: symbol(n) for n in ("alpha", "R1", "C1", "P", "L")}
    expected = (1 + s["alpha"]) * s["R1"] - s["C1"] + s["P"] + s["L"]
    assert sp.expand(model.payoffs[(0, 0, 0)][0] - expected) == 0


def test_read_small_scenario():
    model = read_scenario(SMALL, "small.toml")
    a, b = symbol("a"), symbol("b")
    assert model.payoffs[(0, 0)] == (a + b, a)
    assert model.payoffs[(1, 1)] == (1, sp.Rational(1, 2))
    assert model.source == "small.toml"


def test_builtin_models_are_scenario_files():
    assert "baseline" in builtin_models()
    assert load_model("baseline").source == "baseline.toml"


@pytest.mark.parametrize("name", ["baseline", "extended"])
def test_only_builtin_models_cite_the_seed_paper(name):
    model = load_model(name)
    assert model.builtin is True and model.citation == BUILTIN_CITATION
    assert "10.12677/ecl.2025.14124199" in model.citation
    scenario = load_model(EXAMPLE)  # a user's scenario: no citation unless it declares one
    assert scenario.builtin is False and scenario.citation == "" and scenario.source == str(EXAMPLE)


def test_a_scenario_declares_its_own_citation():
    text = 'citation = "  Doe, J. (2024). A game. J. Games 1, 2-3.  "\n' + SMALL
    model = read_scenario(text, "cited.toml")
    assert model.citation == "Doe, J. (2024). A game. J. Games 1, 2-3." and not model.builtin
    again = read_scenario(dump_scenario(model), "again.toml")
    assert again.citation == model.citation and again.hash == model.hash
    # the citation is not part of the game: the content hash ignores it
    assert read_scenario(SMALL).hash == model.hash


@pytest.mark.parametrize("name", ["baseline", str(EXAMPLE)])
def test_dump_scenario_round_trip(name):
    model = load_model(name)
    again = read_scenario(dump_scenario(model), "dumped.toml")
    assert again.hash == model.hash
    for profile, values in model.payoffs.items():
        for a, b in zip(values, again.payoffs[profile]):
            assert sp.expand(a - b) == 0
    assert [p.symbol for p in again.parameters] == [p.symbol for p in model.parameters]


def test_dump_round_trip_with_unicode_and_control_characters():
    text = SMALL.replace('name = "small"', 'name = "劳动者 \\"博弈\\"\\t"').replace("row", '"政府"')
    model = read_scenario(text)
    again = read_scenario(dump_scenario(model))
    assert again.name == model.name and again.players == model.players


# --- every error names the file, the table, the key and what is wrong ---------------------


def _error(text: str, filename: str = "my.toml") -> str:
    with pytest.raises(ScenarioError) as info:
        read_scenario(text, filename)
    message = str(info.value)
    assert message.startswith(f"{filename}: ")
    return message


def _replace(old: str, new: str) -> str:
    assert old in SMALL
    return SMALL.replace(old, new)


@pytest.mark.parametrize(
    "text, where, what",
    [
        (_replace('"down, right" = [1, 0.5]\n', ""), "[payoffs]", 'missing profile(s) "down, right"'),
        (
            _replace('"c", "a"]', '"c", "zz"]'),
            "[payoffs] key 'up, left' payoff of 'col'",
            "unknown name 'zz'",
        ),
        (
            _replace("value = 2, min = 0, max = 5", "value = 7, min = 0, max = 5"),
            "[parameters] key 'a'",
            "value 7 is outside its declared range [0, 5]",
        ),
        (
            _replace('["0", "b"]', '["0"]'),
            "[payoffs] key 'up, right'",
            "expected a list of 2 payoffs (one per player), got 1",
        ),
        (
            _replace('["0", "b"]', '"0"'),
            "[payoffs] key 'up, right'",
            "expected a list of 2 payoffs (one per player), got str",
        ),
        (
            _replace('row = ["up", "down"]', 'row = ["up", "up"]'),
            "[players] key 'row'",
            "duplicate strategy 'up'",
        ),
        (
            _replace('"down, right"', '"down,right"') + '"down , right" = [0, 0]\n',
            "[payoffs] key 'down , right'",
            "duplicate profile",
        ),
        (
            _replace('"up, left"', '"up, middle"'),
            "[payoffs] key 'up, middle'",
            "'middle' is not a strategy of 'col' (left, right)",
        ),
        (_replace('"up, left"', '"up"'), "[payoffs] key 'up'", "names 1 strategies; expected 2"),
        (
            _replace('row = ["up", "down"]', 'row = ["up", "do,wn"]'),
            "[players] key 'row'",
            "may not contain a comma",
        ),
        (
            _replace('row = ["up", "down"]', "row = []"),
            "[players] key 'row'",
            "non-empty list of strategy names",
        ),
        (_replace('col = ["left", "right"]\n', ""), "[players]", "needs at least two players"),
        (_replace("[payoffs]", "[payoff]"), "top level", "unknown key(s) payoff"),
        (_replace("b = 1", "b = { value = 1, maxx = 3 }"), "[parameters] key 'b'", "unknown field(s) maxx"),
        (_replace("b = 1", "b = { min = 0 }"), "[parameters] key 'b'", "needs a value"),
        (_replace("b = 1", 'b = "one"'), "[parameters] key 'b' field 'value'", "'one' is not a number"),
        (_replace("b = 1", "b = inf"), "[parameters] key 'b' field 'value'", "must be a finite number"),
        (_replace("b = 1", "b = nan"), "[parameters] key 'b' field 'value'", "NaN is not a number"),
        (
            _replace("b = 1", "b = { value = 1, min = 2, max = 0 }"),
            "[parameters] key 'b'",
            "min 2 is larger than max 0",
        ),
        (
            _replace("b = 1", "b = { value = 1, unit = 3 }"),
            "[parameters] key 'b' field 'unit'",
            "must be a string",
        ),
        (_replace("b = 1", "exp = 1"), "[parameters] key 'exp'", "a name must be an identifier"),
        (_replace("b = 1", "_b = 1"), "[parameters] key '_b'", "a name must be an identifier"),
        (_replace('c = "a + b"', 'c = "a + e"\ne = "b"'), "[derived] key 'c'", "'e' is defined below it"),
        (_replace('c = "a + b"', 'a = "b"'), "[derived] key 'a'", "has the same name as a parameter"),
        (
            _replace('c = "a + b"', "c = \"__import__('os')\""),
            "[derived] key 'c'",
            "calling '__import__' is not allowed",
        ),
        (
            _replace('["c", "a"]', '["c", "9^9^9^9"]'),
            "[payoffs] key 'up, left' payoff of 'col'",
            "exponent 387420489 larger than 100",
        ),
        (_replace('["c", "a"]', '["c", true]'), "[payoffs] key 'up, left' payoff of 'col'", "boolean"),
        (_replace('name = "small"', "name = 3"), "top level key 'name'", "must be a non-empty string"),
        (_replace('name = "small"', "citation = 3"), "top level key 'citation'", "must be a string"),
        (_replace('name = "small"', "source = 'x'"), "top level", "unknown key(s) source"),
        (SMALL + "[initial_state]\nrow = [0.5, 0.5]\n", "[initial_state] key 'col'", "missing"),
        (
            SMALL + "[initial_state]\nrow = [0.5, 0.6]\ncol = [1, 0]\n",
            "[initial_state] key 'row'",
            "sum to 1",
        ),
        (
            SMALL + "[initial_state]\nrow = [1, 0]\ncol = [1, 0]\nnobody = [1]\n",
            "[initial_state]",
            "unknown player(s) nobody",
        ),
    ],
)
def test_error_names_file_table_key_and_problem(text, where, what):
    message = _error(text)
    assert f"my.toml: {where}: " in message
    assert what in message


def test_toml_syntax_error_names_the_line():
    message = _error(SMALL.replace("[players]", "[players"))
    assert "not valid TOML" in message and "line 3" in message


def test_missing_table():
    message = _error("[players]\nrow = ['a']\ncol = ['b']\n")
    assert "[payoffs]: table missing" in message


def test_missing_profiles_are_listed_with_a_count():
    big = "[players]\n" + "\n".join(f'p{i} = ["a", "b"]' for i in range(3)) + "\n[payoffs]\n"
    message = _error(big)
    assert "missing profile(s)" in message and "and 3 more" in message


def test_missing_file_and_unknown_model():
    with pytest.raises(ScenarioError, match="no such file"):
        load_model("does/not/exist.toml")
    with pytest.raises(ScenarioError, match="unknown model 'basline'; built-in models: .*baseline"):
        load_model("basline")


def test_parameter_values_are_checked_against_ranges_at_use():
    model = read_scenario(SMALL)
    from tripartite.errors import ParameterError

    with pytest.raises(ParameterError, match="outside its admissible range"):
        model.game(a=6)


def test_unquoted_non_ascii_key_gets_a_hint():
    text = '[players]\n政府 = ["积极", "消极"]\n"平台" = ["分担", "规避"]\n'
    with pytest.raises(ScenarioError, match='must be quoted: "政府" = '):
        read_scenario(text, "游戏.toml")


# --- hostile input (issue 15): names, numbers, sizes, payoffs undefined somewhere ------------------


@pytest.mark.parametrize(
    "first, second",
    [("c", "ｃ"), ("ǅ", "Dž"), ("ﬁx", "fix"), ("Ⅸ", "IX")],
)
def test_names_that_python_reads_as_one_are_refused_naming_both(first, second):
    import unicodedata

    assert unicodedata.normalize("NFKC", first) == unicodedata.normalize("NFKC", second)
    text = _replace("b = 1\n", f'b = 1\n"{first}" = 1\n"{second}" = 2\n')
    message = _error(text)
    assert f"[parameters] key {second!r}" in message
    assert repr(first) in message and repr(second) in message and "NFKC" in message


def test_a_derived_name_colliding_with_a_parameter_after_normalisation_is_refused():
    message = _error(_replace('c = "a + b"', '"ａ" = "b + 1"'))
    assert "[derived] key 'ａ'" in message and "'a'" in message and "NFKC" in message


def test_names_the_generated_code_uses_are_refused_and_e_only_with_exp_1():
    message = _error(_replace("b = 1\n", "b = 1\nmaximum = 2\n"))
    assert "[parameters] key 'maximum'" in message and "generates" in message
    with_e = _replace("b = 1\n", "b = 1\ne = 3\n")
    read_scenario(with_e)  # a parameter named e is fine (examples/dynamic_reward_punishment.toml has one)
    message = _error(with_e.replace('"0", "b"]', '"exp(1)*a", "b"]'))
    assert "[payoffs] key 'up, right' payoff of 'row'" in message and "'e'" in message


def test_a_lone_name_in_another_normal_form_still_evaluates_as_itself():
    text = _replace("b = 1\n", 'b = 1\n"ｃ" = 3\n').replace('"0", "b"]', '"ｃ", "b"]')
    model = read_scenario(text.replace('[derived]\nc = "a + b"\n', "").replace('["c", "a"]', '["a", "a"]'))
    assert model.evaluate()[0, 0, 0, 1] == 3.0


@pytest.mark.parametrize(
    "spec, what",
    [
        ("{ value = -1e39, max = -1e38 }", "field 'value': -1e+39 is larger in absolute value than 1e+15"),
        ("{ value = 1, min = -1e308 }", "field 'min': -1e+308 is larger in absolute value"),
        ("{ value = 1, max = 1e300 }", "field 'max': 1e+300"),
        ("1" + "0" * 360, "field 'value': an integer of 361 digits"),
        ("nan", "NaN is not a number"),
        ("inf", "must be a finite number"),
    ],
)
def test_numbers_are_finite_and_at_most_the_magnitude_limit(spec, what):
    message = _error(_replace("b = 1\n", f"b = {spec}\n"))
    assert "[parameters] key 'b'" in message and what in message


def test_unbounded_ranges_are_still_written_as_inf_or_left_out():
    model = read_scenario(_replace("b = 1\n", "b = { value = 1, min = -inf, max = inf }\n"))
    assert model.parameter("b").min == -float("inf")


def test_toml_beyond_the_parser_limits_is_one_error():
    assert "more than 4,300 digits" in _error(SMALL.replace("b = 1", "b = " + "9" * 5000))
    assert "nested too deeply" in _error(SMALL + "[initial_state]\nrow = " + "[" * 5000 + "]" * 5000)


def test_a_game_too_large_is_refused_before_reading_its_payoffs_with_its_size():
    from tripartite.errors import LimitError

    players = "\n".join(f'p{i} = ["x", "y"]' for i in range(20))
    with pytest.raises(LimitError) as info:
        read_scenario(f"[players]\n{players}\n[payoffs]\n", "my.toml")
    message = str(info.value)
    assert message.startswith("my.toml: [players]: ")
    assert (
        "20 players with 2 x 2 x ... x 2 strategies: 1,048,576 profiles (a payoff array of 160 MiB)"
        in message
    )
    assert "the limit is 16 players and 100,000 profiles" in message


def test_a_game_of_one_profile_is_refused():
    message = _error('[players]\nrow = ["up"]\ncol = ["left"]\n[payoffs]\n"up, left" = [1, 2]\n')
    assert "[players]: every player has a single strategy" in message


def test_derived_chains_are_limited_by_the_depth_of_what_they_build():
    chain = "\n".join(['z1 = "exp(a)"'] + [f'z{i} = "exp(z{i - 1})"' for i in range(2, 2001)])
    message = _error(_replace('c = "a + b"', chain))
    assert "[derived] key 'z100'" in message and "MAX_TREE_DEPTH" in message
    flat = "\n".join(['z1 = "a"'] + [f'z{i} = "z{i - 1} + 1"' for i in range(2, 301)])
    model = read_scenario(_replace('c = "a + b"', flat).replace('["c", "a"]', '["z300", "a"]'))
    assert model.payoffs[(0, 0)][0] == symbol("a") + 299


UNDEFINED = _replace("b = 1\n", "b = 1\nx = { value = 0.5, min = -1, max = 1 }\n").replace(
    '"0", "b"]', '"log(x)", "b"]'
)


def test_a_payoff_undefined_at_the_point_is_refused_naming_payoff_and_point():
    from tripartite.errors import UndefinedPayoffError

    model = read_scenario(UNDEFINED, "my.toml")
    assert model.game().payoffs[0, 0, 0, 1] == pytest.approx(-0.6931471805599453)
    with pytest.raises(UndefinedPayoffError) as info:
        model.game(x=-0.5)
    assert str(info.value) == (
        "my.toml: [payoffs] key 'up, right' payoff of 'row': log(x) is not a finite real number at x = -0.5"
    )
    with pytest.raises(UndefinedPayoffError, match=r"at point 0 \(x = -1\); undefined at 2 of 3 points"):
        model.game(x=[-1.0, 0.0, 1.0])
    assert model.defined_at({"x": [-1.0, 0.0, 0.5]}).tolist() == [False, False, True]


@pytest.mark.parametrize(
    "payoff, defaults",
    [
        ("(x - 1e9)^(1/3)", "x = 1"),  # a negative number to a fractional power: complex in Python
        ("log(-sqrt(-x*x))", "x = 1"),
        ("exp(sqrt(x*log((-x)^3)))", "x = 1"),
        ("log(-abs(x + b))", "b = 1, x = 1"),
        ("x^2*1e200*1e200", "x = 1"),  # beyond the floats: inf, not an OverflowError
    ],
)
def test_payoffs_not_real_or_not_finite_at_the_defaults(payoff, defaults):
    from tripartite.errors import UndefinedPayoffError

    text = _replace("b = 1\n", "b = 1\nx = { value = 1, min = -2, max = 2 }\n").replace(
        '"0", "b"]', f'"{payoff}", "b"]'
    )
    try:
        model = read_scenario(text, "my.toml")
    except ScenarioError as exc:  # refused when read (too many digits): also a clean answer
        assert "my.toml: [payoffs]" in str(exc)
        return
    with pytest.raises(UndefinedPayoffError, match=f"at the defaults \\({defaults}\\)"):
        model.game()


NAMED = (
    SMALL
    + """
[profiles]
low = "down, right"
"status quo" = "up, right"
"""
)


def test_declared_profiles_name_vertices_and_are_the_escape_defaults(baseline):
    from tripartite.sweep.escape import low_profile
    from tripartite.sweep.regimes import parse_profile, vertex_names

    model = read_scenario(NAMED, "named.toml")
    assert model.named_profiles == {"low": (1, 1), "status quo": (0, 1)}
    names = vertex_names(model)
    assert names == {(0, 0): "up/left", (0, 1): "status quo", (1, 0): "down/left", (1, 1): "low"}
    assert parse_profile(model, "status quo") == (0, 1) and low_profile(model) == (1, 1)
    # nothing declared: every vertex by its strategies, whatever the players are called
    assert set(vertex_names(read_scenario(SMALL)).values()) == {
        "up/left",
        "up/right",
        "down/left",
        "down/right",
    }
    # the built-in models declare theirs
    assert baseline.named_profiles == {"low": (1, 1, 1), "high": (1, 0, 0)}  # extended: tests/models
    again = read_scenario(dump_scenario(model), "again.toml")
    assert again.named_profiles == model.named_profiles and again.hash == model.hash


def test_profiles_enter_the_hash_only_when_declared():
    # SMALL's hash before [profiles] and [welfare.payoffs] existed: scenarios without them keep it
    assert read_scenario(SMALL).hash == "1c6ee7f54c1482d5"
    assert read_scenario(NAMED).hash != read_scenario(SMALL).hash


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ('low = "down, nap"', r"\[profiles\] key 'low': 'nap' is not a strategy of 'col' \(left, right\)"),
        ('low = "down"', r"\[profiles\] key 'low': names 1 strategies; expected 2"),
        ("low = 3", r"\[profiles\] key 'low': must be a string"),
        (
            'low = "down, right"\nhigh = "down,right"',
            r"\[profiles\] key 'high': names the same profile as 'low'",
        ),
        ('"a/b" = "down, right"', r"\[profiles\] key 'a/b': a profile's name must be"),
    ],
)
def test_bad_profiles_name_file_table_and_key(table, message):
    with pytest.raises(ScenarioError, match=r"^named\.toml: " + message):
        read_scenario(SMALL + "[profiles]\n" + table + "\n", "named.toml")
    with pytest.raises(ScenarioError, match=r"^named\.toml: \[profiles\]: must be a table"):
        read_scenario(SMALL.replace('name = "small"', 'name = "small"\nprofiles = 1'), "named.toml")
