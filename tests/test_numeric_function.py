"""The cheaper numeric functions of a model (issue 13's CPU target) keep their safety and their values.

:func:`tripartite.model.numeric_function` replaced ``sympy.lambdify(..., dummify=True)``: the
generated code must still keep apart names Python reads as one (NFKC), names numpy's functions
and cse's temporaries use, and give the values worked out by hand.
"""

from __future__ import annotations

import numpy as np
import sympy as sp

from tripartite.expr import symbol
from tripartite.model import Model, Parameter, StateShare, numeric_function


def test_colliding_names_stay_apart_and_give_the_hand_worked_values():
    # 'ﬁ' and 'fi' are one identifier to Python (NFKC), 'maximum' is the numpy function Max
    # prints as, 'x0' the first cse temporary: plain lambdify cannot even compile this
    fi_ligature, fi, c, maximum, x0 = (symbol(n) for n in ("ﬁ", "fi", "ｃ", "maximum", "x0"))
    exprs = [
        fi_ligature - fi,
        c,
        sp.Max(maximum, x0) + maximum * x0,
        (fi_ligature + fi) * x0 + (fi_ligature + fi) ** 2,
    ]
    f = numeric_function([fi_ligature, fi, c, maximum, x0], exprs, cse=True)
    assert [float(v) for v in f(1.0, 2.0, 3.0, 4.0, 5.0)] == [-1.0, 3.0, 25.0, 24.0]  # by hand
    batch = f(np.array([1.0, 2.0]), 2.0, 3.0, np.array([6.0, 1.0]), 5.0)
    np.testing.assert_array_equal(batch[2], [36.0, 10.0])  # max(6, 5) + 30, max(1, 5) + 5


def test_static_at_reads_parameter_and_number_coefficients_of_the_state():
    # row's payoff at (s, s): the coefficients of its state monomials are a parameter (k), an
    # expression (2*m) or a number (3); the game is static exactly where every one of them is 0
    x = symbol("x")
    k, m = symbol("k"), symbol("m")
    params = (Parameter("k", 0.0), Parameter("m", 0.0))
    zero = (sp.Integer(0), sp.Integer(0))

    def model(first):
        payoffs = {(0, 0): (first, sp.Integer(0)), (0, 1): zero, (1, 0): zero, (1, 1): zero}
        return Model(
            "m", ("row", "col"), (("s", "t"), ("s", "t")), params, payoffs, state=(StateShare("x", 0, 0),)
        )

    polynomial = model(k * x + 2 * m * x**2 + 1)
    assert polynomial.static_at()  # k = m = 0
    assert polynomial.static_at({"k": [0.0, 0.0], "m": [0.0, 0.0]})
    assert not polynomial.static_at({"k": [0.0, 1.0]})  # the parameter coefficient
    assert not polynomial.static_at({"m": [0.0, 0.5]})  # the expression coefficient
    assert not model(k * x + 3 * x**2).static_at()  # the number 3 never vanishes
    assert not model(sp.exp(x) * k).static_at()  # not polynomial in the state: never static
