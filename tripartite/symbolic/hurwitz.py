"""The Routh-Hurwitz conditions of a rest point: its characteristic polynomial and Hurwitz determinants.

For the reduced Jacobian :math:`J` (size :math:`n`) at a rest point, the
characteristic polynomial is

.. math:: p(\\lambda) = \\det(\\lambda I - J) = \\lambda^n + c_1 \\lambda^{n-1} + \\dots + c_n .

Every root has a negative real part (the rest point is asymptotically
stable) if and only if every Hurwitz determinant is positive,
:math:`\\Delta_k = \\det H_k > 0` for :math:`k = 1..n`, where :math:`H_k` is
the leading :math:`k \\times k` block of the Hurwitz matrix
:math:`H_{ij} = c_{2j - i}` (with :math:`c_0 = 1` and :math:`c_m = 0` for
:math:`m < 0` or :math:`m > n`).  For :math:`n = 3`: :math:`c_1 > 0`,
:math:`c_1 c_2 - c_3 > 0` and :math:`c_3 (c_1 c_2 - c_3) > 0`, i.e. all
:math:`c_k > 0` and :math:`c_1 c_2 > c_3`.  A zero determinant is the
boundary (some root on the imaginary axis, e.g. a centre or a Hopf point).

Examples
--------
>>> import sympy as sp
>>> rh = routh_hurwitz(sp.Matrix([[-1, 1], [-1, -1]]))
>>> rh["characteristic_polynomial"], [c["condition"] for c in rh["conditions"]]
('lambda**2 + 2*lambda + 2', ['c1 > 0', 'c2 > 0'])
>>> rh["stable"]
True
"""

from __future__ import annotations

from typing import Any

import sympy as sp

from ..expr import to_text

__all__ = ["hurwitz_determinants", "routh_hurwitz"]

#: The variable of characteristic polynomials.
LAMBDA = sp.Symbol("lambda")


def hurwitz_determinants(n: int) -> list[sp.Expr]:
    """The Hurwitz determinants :math:`\\Delta_1..\\Delta_n` as expressions in ``c1..cn``.

    Examples
    --------
    >>> hurwitz_determinants(3)
    [c1, c1*c2 - c3, c1*c2*c3 - c3**2]
    """
    c = [sp.Integer(1)] + list(sp.symbols(f"c1:{n + 1}"))

    def coeff(m: int) -> sp.Expr:
        return c[m] if 0 <= m <= n else sp.Integer(0)

    hurwitz = sp.Matrix(n, n, lambda i, j: coeff(2 * (j + 1) - (i + 1)))
    return [sp.expand(hurwitz[:k, :k].det()) for k in range(1, n + 1)]


def routh_hurwitz(jacobian: sp.Matrix) -> dict[str, Any]:
    """The characteristic polynomial and the Routh-Hurwitz conditions of a Jacobian, with their values.

    Parameters
    ----------
    jacobian : sympy.Matrix
        The reduced Jacobian at the rest point, exact numbers.

    Returns
    -------
    dict
        ``characteristic_polynomial`` (text, in ``lambda``), ``coefficients``
        (``c1..cn``: exact text and value), ``conditions`` (each with the
        ``condition`` on the ``c`` (:math:`\\Delta_k > 0`, the last stated
        as :math:`c_n > 0`), its ``exact`` text and ``value`` at the point, and
        ``holds``), and
        ``stable`` (every condition holds: asymptotically stable).
    """
    n = jacobian.shape[0]
    poly = sp.Poly(jacobian.charpoly(LAMBDA).as_expr(), LAMBDA)
    coeffs = [
        sp.nsimplify(sp.simplify(v), rational=True) if v.is_number else v for v in poly.all_coeffs()[1:]
    ]
    names = sp.symbols(f"c1:{n + 1}")
    subs = dict(zip(names, coeffs))
    conditions = []
    for k, det in enumerate(hurwitz_determinants(n), start=1):
        if k == n and n > 1:  # Delta_n = c_n * Delta_{n-1}: given the others, the usual c_n > 0
            det = names[-1]
        value = sp.simplify(det.xreplace(subs))
        number = float(sp.N(value, 30))
        sign = value.is_positive  # exact where sympy can decide it
        conditions.append(
            {
                "condition": f"{to_text(det)} > 0",
                "exact": to_text(value),
                "value": number,
                "holds": bool(sign) if sign is not None else number > 0,
            }
        )
    return {
        "characteristic_polynomial": to_text(poly.as_expr()),
        "coefficients": {str(c): {"exact": to_text(v), "value": float(sp.N(v, 30))} for c, v in subs.items()},
        "conditions": conditions,
        "stable": all(c["holds"] for c in conditions),
    }
