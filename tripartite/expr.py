"""Safe parsing of payoff expressions into sympy.

Expressions in scenario files are *parsed*, never evaluated as Python.  The
grammar is a small subset of arithmetic:

- numbers (``3``, ``0.25``, ``1e-3``);
- names of parameters and derived quantities;
- ``+ - * /``, powers written ``^`` or ``**``, unary ``+``/``-`` and parentheses;
- calls of the whitelisted functions ``exp, log, sqrt, min, max, abs``.

The text is parsed with :mod:`ast` in ``eval`` mode and the syntax tree is
walked node by node; any node outside the grammar (attribute access,
subscripts, lambdas, comprehensions, strings, calls of other functions, ...)
raises :class:`ExpressionError`.  Constant exponents are bounded so that an
expression such as ``9^9^9^9`` cannot make sympy hang.

Examples
--------
>>> parse_expression("(1+alpha)*R1 - C1", ["alpha", "R1", "C1"])
-C1 + R1*(alpha + 1)
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Mapping

import sympy as sp

from .errors import ExpressionError

__all__ = ["ExpressionError", "FUNCTIONS", "parse_expression", "symbol"]

#: Functions an expression may call, with their sympy counterparts.
FUNCTIONS: dict[str, object] = {
    "exp": sp.exp,
    "log": sp.log,
    "sqrt": sp.sqrt,
    "min": sp.Min,
    "max": sp.Max,
    "abs": sp.Abs,
}
# sympy prints these names; accepting them lets printed expressions read back.
_ALIASES = {"Min": sp.Min, "Max": sp.Max, "Abs": sp.Abs}

MAX_LENGTH = 10_000
MAX_EXPONENT = 100
MAX_DEPTH = 200

_BINARY = {
    ast.Add: lambda a, b: a + b,
    ast.Sub: lambda a, b: a - b,
    ast.Mult: lambda a, b: a * b,
    ast.Div: lambda a, b: a / b,
}


def symbol(name: str) -> sp.Symbol:
    """The sympy symbol of a parameter: real-valued, named as in the file."""
    return sp.Symbol(name, real=True)


def parse_expression(
    text: str | int | float,
    names: Iterable[str] | Mapping[str, sp.Expr],
) -> sp.Expr:
    """Parse ``text`` into a sympy expression of the given names.

    Parameters
    ----------
    text : str or number
        The expression, e.g. ``"a_eff*beta*B - lam*c"``.  Numbers pass through.
    names : iterable of str, or mapping of name to sympy expression
        The names the expression may use.  A plain name becomes a real
        :func:`symbol`; a mapping substitutes its value (derived quantities).

    Returns
    -------
    sympy.Expr

    Raises
    ------
    ExpressionError
        For anything outside the grammar, with the offending piece named.

    Examples
    --------
    >>> parse_expression("x^2 + max(y, 0)", ["x", "y"])
    x**2 + Max(0, y)
    """
    if isinstance(text, bool):
        raise ExpressionError("a boolean is not a number")
    if isinstance(text, (int, float)):
        return sp.nsimplify(text) if isinstance(text, int) else sp.Float(text)
    if not isinstance(text, str):
        raise ExpressionError(f"expected an expression string, got {type(text).__name__}")
    if len(text) > MAX_LENGTH:
        raise ExpressionError(f"expression longer than {MAX_LENGTH} characters")
    if not text.strip():
        raise ExpressionError("empty expression")
    table = dict(names) if isinstance(names, Mapping) else {n: symbol(n) for n in names}
    try:
        tree = ast.parse(text.replace("^", "**").strip(), mode="eval")
    except SyntaxError as exc:
        raise ExpressionError(f"syntax error in {text!r}: {exc.msg}") from None
    except (ValueError, RecursionError, MemoryError):
        raise ExpressionError(f"cannot parse {text!r}") from None
    return _Walker(table, text).visit(tree.body, 0)


class _Walker:
    def __init__(self, table: Mapping[str, sp.Expr], text: str):
        self.table = table
        self.text = text

    def fail(self, what: str) -> ExpressionError:
        return ExpressionError(f"{what} is not allowed in {self.text!r}")

    def visit(self, node: ast.AST, depth: int) -> sp.Expr:
        if depth > MAX_DEPTH:
            raise ExpressionError(f"expression nested too deeply: {self.text!r}")
        if isinstance(node, ast.Constant):
            value = node.value
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                raise self.fail(f"the literal {value!r}")
            if isinstance(value, int):
                if abs(value) > 10**30:
                    raise ExpressionError(f"number too large in {self.text!r}")
                return sp.Integer(value)
            return sp.Float(value)
        if isinstance(node, ast.Name):
            if node.id not in self.table:
                raise ExpressionError(f"unknown name {node.id!r} in {self.text!r}")
            return self.table[node.id]
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
            operand = self.visit(node.operand, depth + 1)
            return -operand if isinstance(node.op, ast.USub) else operand
        if isinstance(node, ast.BinOp):
            left = self.visit(node.left, depth + 1)
            right = self.visit(node.right, depth + 1)
            if isinstance(node.op, ast.Pow):
                return self.power(left, right)
            op = _BINARY.get(type(node.op))
            if op is None:
                raise self.fail(f"the operator {type(node.op).__name__}")
            if isinstance(node.op, ast.Div) and right == 0:
                raise ExpressionError(f"division by zero in {self.text!r}")
            return op(left, right)
        if isinstance(node, ast.Call):
            functions = {**FUNCTIONS, **_ALIASES}
            if not isinstance(node.func, ast.Name) or node.func.id not in functions:
                name = node.func.id if isinstance(node.func, ast.Name) else "this call"
                raise ExpressionError(
                    f"calling {name!r} is not allowed in {self.text!r}; "
                    f"allowed functions: {', '.join(FUNCTIONS)}"
                )
            if node.keywords or not node.args:
                raise self.fail(f"this call of {node.func.id!r}")
            args = [self.visit(a, depth + 1) for a in node.args]
            if node.func.id.lower() not in ("min", "max") and len(args) != 1:
                raise ExpressionError(f"{node.func.id} takes one argument in {self.text!r}")
            return functions[node.func.id](*args)
        raise self.fail(f"{type(node).__name__} syntax")

    def power(self, base: sp.Expr, exponent: sp.Expr) -> sp.Expr:
        if exponent.is_number:
            if abs(exponent) > MAX_EXPONENT:
                raise ExpressionError(f"exponent {exponent} larger than {MAX_EXPONENT} in {self.text!r}")
            if base.is_number and base != 0:
                magnitude = abs(float(exponent)) * abs(float(sp.log(abs(base), 10)))
                if magnitude > 300:
                    raise ExpressionError(f"number too large in {self.text!r}")
        return sp.Pow(base, exponent)
