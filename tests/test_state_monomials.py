"""The state monomials' coefficients (``model._state_monomials``) against ``sympy.Poly``, the reference."""

import random

import pytest
import sympy as sp

from tripartite.expr import symbol
from tripartite.model import _state_monomials

x, y = symbol("x"), symbol("y")
a, b, c = symbol("a"), symbol("b"), symbol("c")


def _poly_reference(expr, state):
    """Coefficients of the non-constant monomials by sympy.Poly; None when not a polynomial."""
    try:
        poly = sp.Poly(sp.expand(expr), *state)
    except sp.PolynomialError:
        return None
    if any(c.free_symbols & set(state) for c in poly.coeffs()):
        return None
    return {sp.Mul(*(s**k for s, k in zip(state, m))): c for m, c in poly.terms() if any(m)}


def _random_polynomial(rng):
    atoms = [x, y, a, b, c, sp.Integer(2), sp.Rational(1, 3), sp.Float(0.25)]
    terms = []
    for _ in range(rng.randint(1, 5)):
        factors = [rng.choice(atoms) ** rng.randint(1, 3) for _ in range(rng.randint(1, 4))]
        terms.append(rng.choice([1, -1, 2]) * sp.Mul(*factors))
    return sp.Add(*terms) * rng.choice([1, a - 1, x + b])


@pytest.mark.parametrize("seed", range(40))
def test_random_polynomials_match_poly(seed):
    rng = random.Random(seed)
    expr = _random_polynomial(rng)
    found = _state_monomials(sp.expand(expr), [x, y])
    expected = _poly_reference(expr, [x, y])
    assert found is not None and expected is not None
    assert set(found) == set(expected)
    for m in found:
        assert sp.expand(found[m] - expected[m]) == 0


@pytest.mark.parametrize(
    "expr",
    [sp.exp(x) * a, a / (1 + x), sp.sqrt(x) * b, x ** sp.Rational(3, 2), 2**x, sp.sin(x) * x, a * x**-1],
)
def test_not_polynomial(expr):
    assert _state_monomials(sp.expand(expr), [x, y]) is None
    assert _poly_reference(expr, [x, y]) is None


def test_cancelling_terms_and_constants():
    # a*x - a*x cancels to no monomial; the constant is not a monomial of the state
    assert _state_monomials(sp.expand(a * x - a * x + 3 + b), [x, y]) == {}
    assert _state_monomials(sp.expand((a + b) * x * y + a * x * y), [x, y]) == {x * y: 2 * a + b}
