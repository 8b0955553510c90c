"""The safe expression parser: grammar, exactness, and hostile input."""

from __future__ import annotations

import builtins
import os

import pytest
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from tripartite.errors import ExpressionError
from tripartite.expr import MAX_TERMS, parse_expression, symbol, to_text, tree_depth

NAMES = ["x", "y", "alpha", "R1", "C_net"]
x, y, alpha, R1, C_net = (symbol(n) for n in NAMES)


# --- the grammar ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, expected",
    [
        ("(1+alpha)*R1 - C_net", (1 + alpha) * R1 - C_net),
        ("x^2 + x**3", x**2 + x**3),
        ("-x + +y", -x + y),
        ("x / 4", x / 4),
        ("0.1", sp.Rational(1, 10)),
        ("1e-3 * x", x / 1000),
        ("2.5e2", sp.Integer(250)),
        ("exp(x) + log(y) + sqrt(alpha)", sp.exp(x) + sp.log(y) + sp.sqrt(alpha)),
        ("min(x, y, 1) + max(x, 0) + abs(y)", sp.Min(x, y, 1) + sp.Max(x, 0) + sp.Abs(y)),
        ("Min(x, y) + Max(x, y) + Abs(x)", sp.Min(x, y) + sp.Max(x, y) + sp.Abs(x)),
        ("2^-1", sp.Rational(1, 2)),
        ("9^9", sp.Integer(387420489)),
    ],
)
def test_grammar(text, expected):
    assert sp.simplify(parse_expression(text, NAMES) - expected) == 0


def test_numbers_pass_through_exactly():
    assert parse_expression(3, []) == 3
    assert parse_expression(0.3, []) == sp.Rational(3, 10)
    assert parse_expression(-2.5, []) == sp.Rational(-5, 2)


def test_symbols_are_real():
    assert parse_expression("x", ["x"]).is_real


def test_mapping_substitutes_derived_quantities():
    derived = {"q_eff": symbol("q") + (1 - symbol("q")) * symbol("d"), "f": symbol("f")}
    got = parse_expression("q_eff*f", derived)
    assert sp.expand(got - (symbol("q") + (1 - symbol("q")) * symbol("d")) * symbol("f")) == 0


@given(
    st.recursive(
        st.sampled_from(["x", "y", "alpha", "2", "3", "(1/2)"]),
        lambda inner: st.one_of(
            st.tuples(inner, st.sampled_from(["+", "-", "*"]), inner).map(
                lambda t: f"({t[0]} {t[1]} {t[2]})"
            ),
            st.tuples(inner, st.sampled_from(["2", "3"])).map(lambda t: f"({t[0]})^{t[1]}"),
            inner.map(lambda t: f"-({t})"),
            st.tuples(st.sampled_from(["exp", "abs", "sqrt"]), inner).map(lambda t: f"{t[0]}(({t[1]})^2)"),
        ),
        max_leaves=8,
    )
)
@settings(max_examples=60, deadline=None)
def test_agrees_with_sympys_own_parser(text):
    """Our parser and sympy's reading of the same (trusted) text agree."""
    local = {n: symbol(n) for n in NAMES}
    ours = parse_expression(text, NAMES)
    theirs = sp.parse_expr(text.replace("^", "**"), local_dict=local)
    assert sp.simplify(ours - theirs) == 0


@given(st.sampled_from(["(1 - x)*(y + 2)/3", "exp(1)*x + sqrt(2)", "max(x, 1) - abs(y)", "0.25*x^2"]))
def test_to_text_reads_back_through_both_parsers(text):
    expr = parse_expression(text, ["x", "y"])
    printed = to_text(expr)
    assert parse_expression(printed, ["x", "y"]) == expr
    local = {"x": symbol("x"), "y": symbol("y")}
    assert sp.simplify(sp.parse_expr(printed, local_dict=local) - expr) == 0


def test_to_text_writes_positive_terms_first():
    assert to_text(parse_expression("-d*rho + 1", ["d", "rho"])) == "1 - d*rho"
    assert to_text(sp.E * x) == "exp(1)*x"


# --- hostile input ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, message",
    [
        ("__import__('os').system('echo hacked')", "attribute access (a.b) is not allowed"),
        ("__import__('os')", "calling '__import__' is not allowed"),
        ("open('/etc/passwd')", "calling 'open' is not allowed"),
        ("eval('1')", "calling 'eval' is not allowed"),
        ("x.__class__", "attribute access (a.b) is not allowed"),
        ("x.__class__.__bases__[0].__subclasses__()", "attribute access (a.b) is not allowed"),
        ("__builtins__", "unknown name '__builtins__'"),
        ("lambda: 1", "a lambda is not allowed"),
        ("(lambda q: q)(1)", "calling the result of an expression is not allowed"),
        ("[c for c in ()]", "a comprehension is not allowed"),
        ("x[0]", "subscripting (a[b]) is not allowed"),
        ("'text'", "the literal 'text' is not allowed"),
        ("x if y else 1", "if/else is not allowed"),
        ("x < y", "a comparison is not allowed"),
        ("x and y", "and/or is not allowed"),
        ("(x := 1)", "assignment (:=) is not allowed"),
        ("x % 2", "the operator '%' is not allowed"),
        ("x // 2", "the operator '//' is not allowed"),
        ("~x", "the operator '~' is not allowed"),
        ("max(*x)", "unpacking (*) is not allowed"),
        ("max(x, key=y)", "give positional arguments only"),
        ("exp(x, y)", "exp takes one argument"),
        ("foo(x)", "calling 'foo' is not allowed"),
        ("9^9^9^9", "exponent 387420489 larger than 100"),
        ("10**10**10", "exponent 10000000000 larger than 100"),
        ("(x^100)^100", "exponent 10000 larger than 100"),
        ("(2^100)^100", "number too large"),
        ("2^1000", "exponent 1000 larger than 100"),
        ("10^999", "exponent 999 larger than 100"),
        ("(x+y+alpha+R1+C_net)^100", f"more than {MAX_TERMS} terms"),
        ("((x+1)^100 + 1)^100", f"more than {MAX_TERMS} terms"),
        ("1e999", "not finite"),
        ("log(0)", "not finite"),
        ("1/0", "division by zero"),
        ("0^-1", "not finite"),
        ("sqrt(-1)", "not a real number"),
        ("-" * 5000 + "1", "nested too deeply"),
        ("(" * 300 + "1" + ")" * 300, "too many nested parentheses"),
        ("", "empty expression"),
        ("x +", "syntax error"),
        ("nu + 1", "unknown name 'nu'"),
        ("alpah", "did you mean 'alpha'?"),
        ("max", "max is a function"),
        ("x*9^90*9^90*9^90*9^90", "more than 300 digits) in 'x*9^90*9^90*9^90*9^90' once its numbers"),
        ("(x + y + 1)^100", f"more than {MAX_TERMS} terms"),
    ],
)
def test_hostile_or_invalid_input_is_rejected_with_a_clear_message(text, message):
    with pytest.raises(ExpressionError) as info:
        parse_expression(text, NAMES)
    assert message in str(info.value)


def test_error_quotes_only_the_start_of_a_long_expression():
    with pytest.raises(ExpressionError) as info:
        parse_expression("x + " * 2000 + "foo", NAMES)
    assert len(str(info.value)) < 300


def test_too_long_expression_is_rejected():
    with pytest.raises(ExpressionError, match="longer than"):
        parse_expression("x+" * 6000 + "x", NAMES)


def test_non_string_and_boolean_are_rejected():
    with pytest.raises(ExpressionError, match="boolean"):
        parse_expression(True, NAMES)
    with pytest.raises(ExpressionError, match="expected an expression string"):
        parse_expression(["x"], NAMES)


def test_unknown_name_error_carries_the_name():
    with pytest.raises(ExpressionError) as info:
        parse_expression("x + zeta", NAMES)
    assert info.value.name == "zeta"


def test_nothing_is_executed(tmp_path, monkeypatch):
    """Hostile text never reaches Python's import machinery, ``open`` or ``eval``."""
    target = tmp_path / "pwned"
    calls = []
    real_import = builtins.__import__

    def spy(name, *args, **kwargs):
        calls.append(name)
        return real_import(name, *args, **kwargs)

    attempts = [
        f"__import__('os').system('touch {target}')",
        f"open('{target}', 'w')",
        f"exec(\"open('{target}', 'w')\")",
        "__import__('os')",
    ]
    monkeypatch.setattr(builtins, "__import__", spy)
    for text in attempts:
        with pytest.raises(ExpressionError):
            parse_expression(text, NAMES)
    monkeypatch.setattr(builtins, "__import__", real_import)
    assert not target.exists()
    assert "os" not in calls
    assert not os.path.exists(target)


def test_tree_depth_counts_levels_without_recursion():
    x = symbol("x")
    assert tree_depth(x) == 1
    assert tree_depth(sp.exp(x) + 1) == 3  # Add(1, exp(x)): Add, exp, x
    deep = x
    for _ in range(2000):  # built bottom-up, as derived quantities are; deeper than Python's recursion limit
        deep = sp.exp(deep, evaluate=False)
    assert tree_depth(deep) == 2001


def test_expressions_deeper_than_the_limit_once_substituted_are_refused():
    from tripartite.expr import MAX_TREE_DEPTH

    x = symbol("x")
    inner = x
    for _ in range(MAX_TREE_DEPTH - 2):
        inner = sp.exp(inner)
    assert parse_expression("y + 1", {"y": inner}) is not None  # depth MAX_TREE_DEPTH
    with pytest.raises(ExpressionError, match=f"nested {MAX_TREE_DEPTH + 1} levels deep.*MAX_TREE_DEPTH"):
        parse_expression("exp(exp(y))", {"y": inner})


def test_names_are_found_in_the_normal_form_python_hands_them_over_in():
    # ast.parse reads the identifier 'ｃ' (full-width) as 'c'
    assert parse_expression("ｃ + 1", ["ｃ"]) == symbol("ｃ") + 1
    with pytest.raises(
        ExpressionError, match="ambiguous: 'c', 'ｃ' are the same name once Unicode-normalised"
    ):
        parse_expression("ｃ + 1", {"c": symbol("c"), "ｃ": symbol("ｃ")})
