"""Exact numbers stay exact: sympy's ``nsimplify`` guesses a "simpler" number and can return another one.

``sympy.nsimplify(Rational(-6915, 752))`` is ``-625*2**(25/154)*3**(17/22)*5**(83/154)*7**(39/77)/1134``
(about 1 in 80 random rationals, and exact irrationals such as ``-74/23 + 8*sqrt(5)``, come back as a
different number 1e-17 away).  Each test goes through a public path that once applied it to an exact value.
"""

from __future__ import annotations

import sympy as sp

from tripartite.equilibria import all_equilibria
from tripartite.io.nfg import read_nfg, write_nfg
from tripartite.scenario import read_scenario
from tripartite.symbolic.critical import real_roots

A = sp.Rational(6915, 752)  # nsimplify(A) != A


def test_the_guess_is_wrong_for_this_number():
    """The premise: if sympy stops guessing wrong here, this file no longer tests anything."""
    assert sp.nsimplify(-A) != -A


def test_real_roots_of_a_linear_polynomial_are_the_exact_rational():
    x = sp.Symbol("x")
    assert real_roots(sp.Rational(47, 15) * x + sp.Rational(461, 16), x, -10, 10) == [-A]


def test_exact_payoffs_of_a_scenario():
    model = read_scenario(
        'name = "g"\n[players]\nrow = ["up", "down"]\ncol = ["left", "right"]\n'
        "[parameters]\na = 6915\n"
        '[payoffs]\n"up, left" = ["a/752", "0"]\n"up, right" = ["0", "1"]\n'
        '"down, left" = ["0", "1"]\n"down, right" = ["1", "0"]\n'
    )
    assert model.exact_payoffs()[0, 0, 0] == A


def test_nfg_round_trip_keeps_the_rational():
    game = read_nfg('NFG 1 R "" { "1" "2" } { 2 2 }\n6915/752 0 0 1 0 1 1 0\n')
    text = write_nfg(game)
    assert "6915/752" in text
    assert read_nfg(text).exact_payoffs[0, 0, 0] == A


def test_exact_mixed_equilibrium_with_such_payoffs():
    """Row: [[A, 0], [0, 1]]; column: [[0, 1], [1, 0]].  Column plays left with q = 1/(1 + A), row mixes 1/2."""
    game = read_nfg('NFG 1 R "" { "1" "2" } { 2 2 }\n6915/752 0 0 1 0 1 1 0\n')
    eqs = all_equilibria(game, exact=True)
    assert len(eqs) == 1
    row, column = eqs[0].exact
    assert column[0] == 1 / (1 + A) == sp.Rational(752, 7667)
    assert row == (sp.Rational(1, 2), sp.Rational(1, 2))
