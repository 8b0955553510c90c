"""Safe parsing of payoff expressions into sympy.

Expressions in scenario files are *parsed*, never evaluated as Python.  The
grammar is a small subset of arithmetic:

- numbers (``3``, ``0.25``, ``1e-3``), read exactly (``0.25`` is ``1/4``);
- names of parameters and derived quantities;
- ``+ - * /``, powers written ``^`` or ``**``, unary ``+``/``-`` and parentheses;
- calls of the whitelisted functions ``exp, log, sqrt, min, max, abs``.

The text is parsed with :mod:`ast` in ``eval`` mode and the syntax tree is
walked node by node; any node outside the grammar (attribute access,
subscripts, lambdas, comprehensions, strings, calls of other functions, ...)
raises :class:`ExpressionError`.  Nothing is ever executed: the walker only
builds sympy objects from numbers and names it has checked.

Size limits keep hostile input from hanging sympy or the machine:

- an expression has at most ``MAX_LENGTH`` characters and ``MAX_DEPTH`` levels;
- every numeric exponent is at most ``MAX_EXPONENT`` in absolute value, also
  after sympy merges nested powers (``(x^100)^100`` is ``x^10000``: rejected);
- a number (literal or computed power such as ``9^9^9^9``) has at most
  ``MAX_DIGITS`` digits;
- the number of terms the expression would have once multiplied out is at
  most ``MAX_TERMS`` (``(a+b+c+d+e)^100`` would have millions: rejected);
- once the derived quantities it uses are substituted, the expression tree
  is at most ``MAX_TREE_DEPTH`` levels deep (a chain of 2,000 derived
  quantities each wrapping the one before is refused, not a RecursionError),
  and every exact number in it still has at most ``MAX_DIGITS`` digits
  (``9^90*9^90*9^90*9^90`` would not fit a float: rejected).

The result is a finite, real expression: ``log(0)``, ``0^-1`` or
``sqrt(-1)`` are rejected.

Examples
--------
>>> parse_expression("(1+alpha)*R1 - C1", ["alpha", "R1", "C1"])
-C1 + R1*(alpha + 1)
>>> parse_expression("0.25*x", ["x"])
x/4
"""

from __future__ import annotations

import ast
import difflib
import math
import unicodedata
from collections.abc import Iterable, Mapping

import sympy as sp
from sympy.printing.str import StrPrinter

from .errors import ExpressionError

__all__ = [
    "ExpressionError",
    "FUNCTIONS",
    "parse_expression",
    "positive_first",
    "symbol",
    "to_text",
    "tree_depth",
]

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
MAX_DIGITS = 300
MAX_TERMS = 300  # (h+g+1)^60 has 1,891 terms and takes seconds to expand; the shipped models need 35
MAX_TREE_DEPTH = 100
_MAX_BITS = int(MAX_DIGITS * math.log2(10)) + 1
SHOWN = 80  # characters of an expression quoted in an error message

_BINARY = {
    ast.Add: lambda a, b: a + b,
    ast.Sub: lambda a, b: a - b,
    ast.Mult: lambda a, b: a * b,
    ast.Div: lambda a, b: a / b,
}
_OPERATOR_TEXT = {
    "Mod": "%",
    "FloorDiv": "//",
    "MatMult": "@",
    "BitAnd": "&",
    "BitOr": "|",
    "LShift": "<<",
    "RShift": ">>",
    "Not": "not",
    "Invert": "~",
}
_NODE_TEXT = {
    "Attribute": "attribute access (a.b)",
    "Subscript": "subscripting (a[b])",
    "Lambda": "a lambda",
    "Compare": "a comparison",
    "BoolOp": "and/or",
    "IfExp": "if/else",
    "NamedExpr": "assignment (:=)",
    "List": "a list",
    "Tuple": "a tuple",
    "Dict": "a dictionary",
    "Set": "a set",
    "ListComp": "a comprehension",
    "SetComp": "a comprehension",
    "DictComp": "a comprehension",
    "GeneratorExp": "a generator",
    "JoinedStr": "a string",
    "Starred": "unpacking (*)",
    "Await": "await",
    "Yield": "yield",
    "YieldFrom": "yield",
    "Slice": "a slice",
}


def symbol(name: str) -> sp.Symbol:
    """The sympy symbol of a parameter: real-valued, named as in the file.

    Examples
    --------
    >>> symbol("alpha").is_real
    True
    """
    return sp.Symbol(name, real=True)


class _Short(str):
    """Expression text whose ``repr`` is cut to ``SHOWN`` characters, for messages."""

    def __repr__(self) -> str:
        text = str(self)
        return repr(text) if len(text) <= SHOWN else repr(text[:SHOWN] + "...")


def _exact_number(value: int | float, text: str) -> sp.Rational:
    """An int or float literal as an exact rational (``0.1`` is ``1/10``)."""
    if isinstance(value, float) and not math.isfinite(value):
        raise ExpressionError(f"the number {value!r} is not finite in {text!r}")
    if abs(value) > 10**MAX_DIGITS:
        raise ExpressionError(f"number too large (more than {MAX_DIGITS} digits) in {text!r}")
    return sp.Integer(value) if isinstance(value, int) else sp.Rational(repr(value))


def parse_expression(
    text: str | int | float,
    names: Iterable[str] | Mapping[str, sp.Expr],
) -> sp.Expr:
    """Parse ``text`` into a sympy expression of the given names.

    Parameters
    ----------
    text : str or number
        The expression, e.g. ``"a_eff*beta*B - lam*c"``.  Numbers pass through
        (exactly: ``0.3`` becomes ``3/10``).
    names : iterable of str, or mapping of name to sympy expression
        The names the expression may use.  A plain name becomes a real
        :func:`symbol`; a mapping substitutes its value (derived quantities).

    Returns
    -------
    sympy.Expr
        A finite, real expression.

    Raises
    ------
    ExpressionError
        For anything outside the grammar or the size limits, with the
        offending piece named.  For an unknown name the error carries it as
        the attribute ``name``.

    Examples
    --------
    >>> parse_expression("x^2 + max(y, 0)", ["x", "y"])
    x**2 + Max(0, y)
    >>> parse_expression("__import__('os')", ["x"])
    Traceback (most recent call last):
    ...
    tripartite.errors.ExpressionError: calling '__import__' is not allowed in "__import__('os')"; allowed functions: exp, log, sqrt, min, max, abs
    """
    if isinstance(text, bool):
        raise ExpressionError("a boolean (true/false) is not a number")
    if isinstance(text, (int, float)):
        return _exact_number(text, repr(text))
    if not isinstance(text, str):
        raise ExpressionError(f"expected an expression string, got {type(text).__name__}")
    if len(text) > MAX_LENGTH:
        raise ExpressionError(f"expression longer than {MAX_LENGTH} characters")
    if not text.strip():
        raise ExpressionError("empty expression")
    table = dict(names) if isinstance(names, Mapping) else {n: symbol(n) for n in names}
    text = _Short(text)
    try:
        tree = ast.parse(text.replace("^", "**").strip(), mode="eval")
    except SyntaxError as exc:
        raise ExpressionError(f"syntax error in {text!r}: {exc.msg}") from None
    except (ValueError, RecursionError, MemoryError):
        raise ExpressionError(f"cannot parse {text!r} (too long or nested too deeply)") from None
    try:
        result = _Walker(table, text).visit(tree.body, 0)
    except RecursionError:
        raise ExpressionError(f"{text!r} is nested too deeply (more than {MAX_TREE_DEPTH} levels)") from None
    _check_result(result, text)
    return result


def to_text(expr: sp.Expr) -> str:
    """Text of an expression that both :func:`parse_expression` and sympy read back.

    Like ``str(expr)``, except that Euler's number is written ``exp(1)`` and the
    terms of a sum without a minus sign come first (``1 - x``, not ``-x + 1``).

    Examples
    --------
    >>> to_text(sp.exp(1) * symbol("x"))
    'exp(1)*x'
    """
    return _Printer().doprint(expr)


def positive_first(terms: list) -> list:
    """Terms of a sum reordered so that those without a minus sign come first (``1 - x``)."""
    return [t for t in terms if not t.could_extract_minus_sign()] + [
        t for t in terms if t.could_extract_minus_sign()
    ]


class _Printer(StrPrinter):
    def _print_Exp1(self, expr):  # noqa: N802 (sympy's naming)
        return "exp(1)"

    def _as_ordered_terms(self, expr, order=None):
        return positive_first(super()._as_ordered_terms(expr, order=order))


def tree_depth(expr: sp.Basic) -> int:
    """Levels of the expression tree, counted without recursion (a leaf is 1).

    Examples
    --------
    >>> tree_depth(parse_expression("exp(exp(x)) + 1", ["x"]))
    4
    """
    depth: dict[int, int] = {}
    stack = [(expr, False)]
    while stack:
        node, expanded = stack.pop()
        key = id(node)
        if key in depth:
            continue
        if not node.args:
            depth[key] = 1
        elif expanded:
            depth[key] = 1 + max(depth[id(a)] for a in node.args)
        else:
            stack.append((node, True))
            stack.extend((a, False) for a in node.args if id(a) not in depth)
    return depth[id(expr)]


def _check_result(result: sp.Expr, text: str) -> None:
    levels = tree_depth(result)
    if levels > MAX_TREE_DEPTH:
        raise ExpressionError(
            f"{text!r} is nested {levels} levels deep once the derived quantities it uses are "
            f"substituted; the limit is {MAX_TREE_DEPTH} (tripartite.expr.MAX_TREE_DEPTH)"
        )
    for number in result.atoms(sp.Rational):
        if max(abs(number.p).bit_length(), number.q.bit_length()) > _MAX_BITS:
            raise ExpressionError(
                f"number too large (more than {MAX_DIGITS} digits) in {text!r} once its numbers are multiplied out"
            )
    if result.has(sp.zoo, sp.oo, -sp.oo, sp.nan):
        raise ExpressionError(f"{text!r} is not finite (division by zero or log(0)?)")
    if result.has(sp.I):
        raise ExpressionError(f"{text!r} is not a real number (square root or log of a negative number?)")
    for power in result.atoms(sp.Pow):
        exponent = power.exp
        if exponent.is_number and abs(exponent) > MAX_EXPONENT:
            raise ExpressionError(f"exponent {exponent} larger than {MAX_EXPONENT} in {text!r}")
    if _expansion_size(result, {}) > MAX_TERMS:
        raise ExpressionError(f"{text!r} is too large: multiplied out it has more than {MAX_TERMS} terms")


def _expansion_size(expr: sp.Expr, cache: dict) -> float:
    """An upper estimate of the number of terms of ``sympy.expand(expr)``."""
    if expr in cache:
        return cache[expr]
    if expr.is_Atom:
        size: float = 1
    elif expr.is_Add:
        size = sum(_expansion_size(a, cache) for a in expr.args)
    elif expr.is_Mul:
        size = math.prod(_expansion_size(a, cache) for a in expr.args)
    elif expr.is_Pow:
        base = _expansion_size(expr.base, cache)
        exponent = expr.exp
        if exponent.is_number:
            n = int(sp.ceiling(abs(exponent)))
            size = 1 if base == 1 else (math.inf if base > MAX_TERMS else math.comb(n + int(base) - 1, n))
        else:
            size = base * _expansion_size(exponent, cache)
    else:  # a function: its argument is expanded on its own
        size = max(_expansion_size(a, cache) for a in expr.args)
    size = math.inf if size > MAX_TERMS else size
    cache[expr] = size
    return size


class _Walker:
    def __init__(self, table: Mapping[str, sp.Expr], text: str):
        self.table = table
        self.text = _Short(text)
        self._normal: dict[str, list[str]] | None = None
        self._ascii: bool | None = None

    @property
    def ascii(self) -> bool:
        """Whether every name of the table is ASCII (then it is its own NFKC form)."""
        if self._ascii is None:
            self._ascii = all(key.isascii() for key in self.table)
        return self._ascii

    @property
    def normal(self) -> dict[str, list[str]]:
        """NFKC form -> the names of the table: Python's parser hands names over in NFKC ('ｃ' as 'c')."""
        if self._normal is None:
            self._normal = {}
            for key in self.table:
                self._normal.setdefault(unicodedata.normalize("NFKC", key), []).append(key)
        return self._normal

    def fail(self, what: str) -> ExpressionError:
        return ExpressionError(f"{what} is not allowed in {self.text!r}")

    def visit(self, node: ast.AST, depth: int) -> sp.Expr:
        if depth > MAX_DEPTH:
            raise ExpressionError(f"expression nested too deeply: {self.text!r}")
        if isinstance(node, ast.Constant):
            value = node.value
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                raise self.fail(f"the literal {value!r}")
            return _exact_number(value, self.text)
        if isinstance(node, ast.Name):
            return self.name(node.id)
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
            operand = self.visit(node.operand, depth + 1)
            return -operand if isinstance(node.op, ast.USub) else operand
        if isinstance(node, (ast.BinOp, ast.UnaryOp)):
            name = type(node.op).__name__
            if (
                isinstance(node, ast.BinOp)
                and not isinstance(node.op, ast.Pow)
                and type(node.op) not in _BINARY
            ):
                raise self.fail(f"the operator {_OPERATOR_TEXT.get(name, name)!r}")
            if isinstance(node, ast.UnaryOp):
                raise self.fail(f"the operator {_OPERATOR_TEXT.get(name, name)!r}")
            left = self.visit(node.left, depth + 1)
            right = self.visit(node.right, depth + 1)
            if isinstance(node.op, ast.Pow):
                return self.power(left, right)
            if isinstance(node.op, ast.Div) and right == 0:
                raise ExpressionError(f"division by zero in {self.text!r}")
            return _BINARY[type(node.op)](left, right)
        if isinstance(node, ast.Call):
            return self.call(node, depth)
        kind = type(node).__name__
        raise self.fail(_NODE_TEXT.get(kind, f"{kind} syntax"))

    def name(self, name: str) -> sp.Expr:
        if name in self.table and self.ascii:
            return self.table[name]
        written = self.normal.get(name, [])
        if len(written) == 1:
            return self.table[written[0]]
        if len(written) > 1:
            raise ExpressionError(
                f"the name {name!r} in {self.text!r} is ambiguous: {', '.join(map(repr, written))} "
                "are the same name once Unicode-normalised (NFKC)"
            )
        hint = difflib.get_close_matches(name, list(self.table), n=1)
        if name in FUNCTIONS or name in _ALIASES:
            extra = f" ({name} is a function: call it as {name}(...))"
        elif hint:
            extra = f" (did you mean {hint[0]!r}?)"
        else:
            extra = ""
        error = ExpressionError(f"unknown name {name!r} in {self.text!r}{extra}")
        error.name = name
        raise error

    def call(self, node: ast.Call, depth: int) -> sp.Expr:
        functions = {**FUNCTIONS, **_ALIASES}
        if isinstance(node.func, ast.Attribute):
            raise self.fail(_NODE_TEXT["Attribute"])
        if not isinstance(node.func, ast.Name):
            raise self.fail("calling the result of an expression")
        if node.func.id not in functions:
            name = node.func.id
            raise ExpressionError(
                f"calling {name!r} is not allowed in {self.text!r}; allowed functions: {', '.join(FUNCTIONS)}"
            )
        if node.keywords or not node.args:
            raise self.fail(f"this call of {node.func.id!r} (give positional arguments only)")
        args = [self.visit(a, depth + 1) for a in node.args]
        if node.func.id.lower() not in ("min", "max") and len(args) != 1:
            raise ExpressionError(f"{node.func.id} takes one argument in {self.text!r}")
        return functions[node.func.id](*args)

    def power(self, base: sp.Expr, exponent: sp.Expr) -> sp.Expr:
        if exponent.is_number:
            if not exponent.is_finite or not exponent.is_real:
                raise ExpressionError(f"exponent {exponent} is not a finite real number in {self.text!r}")
            if abs(exponent) > MAX_EXPONENT:
                raise ExpressionError(f"exponent {exponent} larger than {MAX_EXPONENT} in {self.text!r}")
            if base.is_Rational and base != 0:
                digits = max(abs(base.p).bit_length(), base.q.bit_length()) * math.log10(2)
                if digits * abs(float(exponent)) > MAX_DIGITS:
                    raise ExpressionError(
                        f"number too large (more than {MAX_DIGITS} digits) in {self.text!r}"
                    )
        return sp.Pow(base, exponent)
