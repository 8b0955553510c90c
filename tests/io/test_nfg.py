"""Gambit .nfg files: reading, writing, round trips through pygambit, clear errors."""

from __future__ import annotations

import numpy as np
import pytest
import sympy as sp

from tests.equilibria.test_mixed import mckelvey_mclennan
from tripartite.equilibria import all_equilibria
from tripartite.errors import ScenarioError
from tripartite.game import Game
from tripartite.io.nfg import load_nfg, read_nfg, read_nfg_comment, write_nfg

pygambit = pytest.importorskip("pygambit")

SELTEN = 'NFG 1 R "Selten (IJGT, 75), Figure 2, normal form"\n{ "Player 1" "Player 2" } { 3 2 }\n\n1 1 0 2 0 2 1 1 0 3 2 0\n'
SELTEN_OUTCOMES = """NFG 1 R "Selten (IJGT, 75), Figure 2, normal form" { "Player 1" "Player 2" }

{
{ "1" "2" "3" }
{ "1" "2" }
}

{
{ "" 1, 1 }
{ "" 0, 2 }
{ "" 0, 2 }
{ "" 1, 1 }
{ "" 0, 3 }
{ "" 2, 0 }
}
1 2 3 4 5 6
"""


def test_payoff_and_outcome_versions_agree():
    a, b = read_nfg(SELTEN), read_nfg(SELTEN_OUTCOMES)
    assert a.shape == b.shape == (3, 2)
    assert np.array_equal(a.payoffs, b.payoffs)
    # first player's strategy changes fastest: profile (2, 1) is the second entry
    assert a.payoffs[0, :, 1, 0].tolist() == [0.0, 2.0]
    assert a.payoffs[0, :, 1, 1].tolist() == [0.0, 3.0]


def test_numbers_are_read_exactly():
    g = read_nfg('NFG 1 R "x" { "a" "b" } { 1 2 }\n0.1 1/3 -2e-1 7\n')
    assert g.exact_payoffs[0, 0, 0] == sp.Rational(1, 10)
    assert g.exact_payoffs[1, 0, 0] == sp.Rational(1, 3)
    assert g.exact_payoffs[0, 0, 1] == sp.Rational(-1, 5)


@pytest.mark.parametrize("outcomes", [False, True])
def test_round_trip_through_pygambit(tmp_path, outcomes):
    rng = np.random.default_rng(0)
    u = rng.integers(-9, 10, size=(3, 2, 3, 2)).astype(float)
    game = Game.from_array(
        u,
        players=["government", 'platform "P"', "worker"],
        strategies=[["a", "b"], ["x", "y", "z"], ["e", "l"]],
    )
    path = tmp_path / "g.nfg"
    path.write_text(write_nfg(game, outcomes=outcomes, title="test game"), encoding="utf-8")
    theirs = pygambit.read_nfg(str(path))
    assert [p.label for p in theirs.players] == list(game.players)
    for i, arr in enumerate(theirs.to_arrays()):
        assert np.array_equal(np.array(arr, dtype=float), u[i])
    back = load_nfg(path)
    assert back.players == game.players and back.strategies == game.strategies
    assert np.array_equal(back.payoffs, game.payoffs) and back.name == "test game"


def test_unicode_names_round_trip():
    # pygambit itself accepts only ASCII labels; our reader keeps any Unicode
    game = Game.from_array(
        np.arange(8.0).reshape(2, 2, 2), players=["政府", "平台"], strategies=[["积极", "消极"], ["是", "否"]]
    )
    back = read_nfg(write_nfg(game, title="测试"))
    assert back.players == game.players and back.strategies == game.strategies and back.name == "测试"


def test_reads_pygambit_output_and_solves_it(tmp_path):
    g = pygambit.Game.from_arrays(*mckelvey_mclennan())
    path = tmp_path / "mm.nfg"
    path.write_text(g.to_nfg())
    game = load_nfg(path)
    assert np.array_equal(game.payoffs[0], mckelvey_mclennan())
    eqs = all_equilibria(game, exact=True)
    assert len(eqs) == 9 and eqs.complete


def test_float_payoffs_round_trip_bit_for_bit(tmp_path):
    u = np.random.default_rng(1).normal(size=(2, 3, 2))
    back = read_nfg(write_nfg(Game.from_array(u)))
    assert np.array_equal(back.payoffs[0], u)


@pytest.mark.parametrize(
    "text, where",
    [
        ('NFG 1 R "x" { "a" "b" } { 2 2 }\n1 2 3\n', "line 2"),
        ('NFG 1 R "x" { "a" "b" } { 2 2 }\n1 2 3 4 5 6 7 8\n9\n', "line 3: expected the end of the file"),
        ('EFG 2 R "x"', "line 1"),
        ('NFG 1 R "x" { "a" "b" }\n{ 2 2 }\n{ { "" 1 2 } }\n1 1 1 5\n', "line 4: expected an outcome number"),
        ('NFG 1 R "x" { "a" "b" }\n{ 2 2 }\n{ { "" 1 } }\n', "line 3: expected 2 payoffs"),
        ('NFG 1 R "x { "a" "b" }', "unterminated"),
        ('NFG 1 R "x" { "a" "a" } { 1 1 }\n1 2\n', "duplicate player"),
    ],
)
def test_malformed_files_name_the_line(text, where):
    with pytest.raises(ScenarioError, match=where):
        read_nfg(text, "bad.nfg")


def test_missing_file():
    with pytest.raises(ScenarioError, match="no such file"):
        load_nfg("/nonexistent/game.nfg")


def test_the_comment_field_is_read_back_exactly():
    game = Game.from_array(np.arange(8.0).reshape(2, 2, 2), players=["a", "b"])
    comment = 'made by "hand" \\ with {json: 1} and 政府'
    text = write_nfg(game, title="t", comment=comment)
    assert read_nfg_comment(text) == comment
    assert np.array_equal(read_nfg(text).payoffs, game.payoffs)  # the comment does not disturb the payoffs
    assert read_nfg_comment(SELTEN) is None  # no comment line at all
    assert read_nfg_comment(write_nfg(game)) == ""
    with pytest.raises(ScenarioError, match="line 1"):
        read_nfg_comment('NFG 1 R "x" { "a" }', "bad.nfg")


# --- hostile files (issue 15): limits checked before anything is allocated -----------------------


@pytest.mark.parametrize(
    "text, what",
    [
        (
            'NFG 1 R "t" { ' + " ".join(f'"p{i}"' for i in range(64)) + " } { " + "2 " * 64 + "}\n",
            "64 players with 2 x 2 x ... x 2 strategies: 18,446,744,073,709,551,616 profiles (a payoff array of 8,192 EiB)",
        ),
        (
            'NFG 1 R "t" { ' + " ".join(f'"p{i}"' for i in range(1000)) + " } { " + "2 " * 1000 + "}\n",
            "1000 players",
        ),
        ('NFG 1 R "t" { "a" "b" "c" } { 100 100 100 }\n', "1,000,000 profiles (a payoff array of 22.9 MiB)"),
        ('NFG 1 R "t" { "a" "b" "c" } { 100000 100000 100000 }\n', "at most 10,000 strategies"),
        ('NFG 1 R "t" { "a" "b" } { ' + "9" * 5000 + " 2 }\n", "at most 10,000 strategies"),
        ('NFG 1 R "t" { "a" "b" } { 2 1 }\n' + "9" * 5000 + " 1 1 1\n", "has 5000 characters; the limit is 400"),
        ('NFG 1 R "t" { "a" "b" } { 2 1 }\n1e999999999 1 2 3\n', "exponent beyond +-300"),
        ('NFG 1 R "t" { "a" "b" } { 2 1 }\n1e-999999999 1 2 3\n', "exponent beyond +-300"),
        ('NFG 1 R "t" { "a" "b" } { 2 1 }\n1e300 1 2 3\n', "larger in absolute value than 1e+15"),
        ('NFG 1 R "t" { "a" "b" } { 2 1 }\n1/0 1 2 3\n', "divides by zero"),
        ('NFG 1 R "t" { "a" "b" } { 2 1 }\n{ { "" 1 2 } }\n' + "9" * 5000 + " 1\n", "an outcome number"),
        ('NFG 1 R "t" { "a" "b" } { 1 1 }\n1 2\n', "every player has a single strategy"),
    ],
    ids=["64 players", "1000 players", "1e6 profiles", "1e15 profiles", "5000 digits", "long number",
         "huge exponent", "tiny exponent", "1e300", "1/0", "outcome digits", "one profile"],
)  # fmt: skip
def test_hostile_files_are_refused_with_the_limit_hit(text, what):
    from tripartite.errors import TripartiteError

    with pytest.raises(TripartiteError) as info:
        read_nfg(text, "big.nfg")
    assert str(info.value).startswith("big.nfg: line ")
    assert what in str(info.value)


def test_numbers_at_the_limits_are_read_exactly():
    game = read_nfg('NFG 1 R "t" { "a" "b" } { 2 1 }\n1e15 -1e-300 1/3 2.5e-3\n')
    assert game.exact_payoffs[0, 0, 0] == sp.Integer(10**15)
    assert game.exact_payoffs[1, 0, 0] == -sp.Rational(1, 10**300)
    assert game.exact_payoffs[0, 1, 0] == sp.Rational(1, 3)
    assert game.exact_payoffs[1, 1, 0] == sp.Rational(1, 400)


def test_digits_outside_ascii_are_not_numbers():
    with pytest.raises(ScenarioError, match="line 1"):
        read_nfg('NFG 1 R "t" { "a" "b" } { ２ 2 }\n1 2 3 4 5 6 7 8\n', "wide.nfg")
