"""Symbolic stability analysis: hand-derived models, verdicts, rest points, critical values.

The two published-style 2x2x2 models below are re-encoded from their
indicator formulas; their payoff differences D_i are written out by hand,
and at a vertex the eigenvalue of player i is -D_i if i plays its first
strategy and +D_i if its second.  Comparisons are sympy equalities.
"""

from __future__ import annotations

import itertools
from pathlib import Path

import numpy as np
import pytest
import sympy as sp

from tripartite import load_model, read_scenario
from tripartite.dynamics import reduced_jacobian, replicator_field, vertex_stability
from tripartite.errors import TripartiteError
from tripartite.expr import symbol
from tripartite.symbolic import (
    ALWAYS,
    ALWAYS_INSIDE,
    DEPENDS,
    NEVER,
    UNDECIDED,
    critical_values,
    decide_negative,
    evaluate_vertices,
    replicator_equations,
    rest_points,
    stable_intervals,
    vertex_analysis,
    vertex_eigenvalues,
)

from .conftest import random_points

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "greenwashing.toml"

FOOD_SAFETY = """
name = "Food safety: regulator / producer / consumer"
[players]
regulator = ["inspect", "relax"]
producer = ["safe", "unsafe"]
consumer = ["complain", "silent"]
[parameters]
Ci = { value = 2, min = 0, description = "cost of inspection" }
q  = { value = 0.6, min = 0, max = 1, description = "probability an inspection detects unsafe food" }
F  = { value = 10, min = 0, description = "fine" }
S  = { value = 5, min = 0, description = "social loss to the regulator from unsafe food" }
B  = { value = 1, min = 0, description = "bonus to a complaining consumer" }
Lr = { value = 3, min = 0, description = "legitimacy loss when complaints expose a relaxed regulator" }
Rp = { value = 20, min = 0, description = "producer's revenue" }
Cs = { value = 4, min = 0, description = "extra cost of safe production" }
W  = { value = 2, min = 0, description = "compensation an unsafe producer pays a complainant" }
Cc = { value = 1.5, min = 0, description = "cost of complaining" }
D  = { value = 6, min = 0, description = "damage of unsafe food to the consumer" }
[payoffs]
"inspect, safe, complain"   = ["-Ci - B",              "Rp - Cs",      "-Cc + B"]
"inspect, safe, silent"     = ["-Ci",                  "Rp - Cs",      "0"]
"inspect, unsafe, complain" = ["-Ci + q*F - S - B",    "Rp - q*F - W", "-Cc + W - D + B"]
"inspect, unsafe, silent"   = ["-Ci + q*F - S",        "Rp - q*F",     "-D"]
"relax, safe, complain"     = ["0",                    "Rp - Cs",      "-Cc"]
"relax, safe, silent"       = ["0",                    "Rp - Cs",      "0"]
"relax, unsafe, complain"   = ["-S - Lr",              "Rp - W",       "-Cc + W - D"]
"relax, unsafe, silent"     = ["-S",                   "Rp",           "-D"]
"""

CYCLE = """
name = "three-player cycle"
[players]
a = ["H", "T"]
b = ["H", "T"]
c = ["H", "T"]
[parameters]
k = { value = 1, min = 0.1, max = 10 }
[payoffs]
# a wants to match b, b wants to match c, c wants to mismatch a
"H, H, H" = ["k/2", "k/2", "-k/2"]
"H, H, T" = ["k/2", "-k/2", "k/2"]
"H, T, H" = ["-k/2", "-k/2", "-k/2"]
"H, T, T" = ["-k/2", "k/2", "k/2"]
"T, H, H" = ["-k/2", "k/2", "k/2"]
"T, H, T" = ["-k/2", "-k/2", "-k/2"]
"T, T, H" = ["k/2", "-k/2", "k/2"]
"T, T, T" = ["k/2", "k/2", "-k/2"]
"""

RPS = """
name = "rock-paper-scissors against a coin"
[players]
row = ["rock", "paper", "scissors"]
col = ["heads", "tails"]
[parameters]
w = { value = 1, min = 0 }
l = { value = 2, min = 0 }
[payoffs]
"rock, heads" = ["w", "-l"]
"rock, tails" = ["-l", "w"]
"paper, heads" = ["-l", "w"]
"paper, tails" = ["w", "0"]
"scissors, heads" = ["0", "w"]
"scissors, tails" = ["w/2", "-l"]
"""


def _symbols(names: str) -> list[sp.Symbol]:
    return [symbol(n) for n in names.split()]


def _vertex_rule(differences, profile):
    """Hand rule for two strategies each: player i's eigenvalue is -D_i (first) or +D_i (second)."""
    x = {i: 1 - k for i, k in enumerate(profile)}  # share of the first strategy
    out = []
    for i, d in enumerate(differences):
        value = d(x)
        out.append(-value if profile[i] == 0 else value)
    return out


def _assert_equal(got, expected):
    assert len(got) == len(expected)
    for a, b in zip(got, expected):
        assert sp.simplify(a - b) == 0, (a, b)


# --- hand-derived models ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def greenwashing():
    return load_model(EXAMPLE)


@pytest.fixture(scope="module")
def food():
    return read_scenario(FOOD_SAFETY, "food.toml")


@pytest.fixture(scope="module")
def baseline_model():
    return load_model("baseline")


def test_greenwashing_vertex_eigenvalues_by_hand(greenwashing):
    R1, C1, R2, C2, alpha, P, F, L, C4, H, K, C5 = _symbols("R1 C1 R2 C2 alpha P F L C4 H K C5")
    base = R1 - C1 - R2 + C2
    boost = alpha * (R1 + R2) + L
    expected = {
        (0, 0, 0): [-(base + boost + P + F), C4 + P + H, C5 + L - H],
        (0, 0, 1): [-(base + P + F), C4 + P, H - C5 - L],
        (0, 1, 0): [-(base + boost), -(C4 + P + H), C5 + L],
        (0, 1, 1): [-base, -(C4 + P), -(C5 + L)],
        (1, 0, 0): [base + boost + P + F, C4 - F + H - K, C5 - H],
        (1, 0, 1): [base + P + F, C4 - F, H - C5],
        (1, 1, 0): [base + boost, F + K - C4 - H, C5],
        (1, 1, 1): [base, F - C4, -C5],
    }
    eig = vertex_eigenvalues(greenwashing)
    analysis = vertex_analysis(greenwashing)
    for profile, values in expected.items():
        _assert_equal(eig[profile], values)
        _assert_equal(analysis[profile].eigenvalues, values)


def test_greenwashing_replicator_equations_by_hand(greenwashing):
    R1, C1, R2, C2, alpha, P, F, L, C4, H, K, C5 = _symbols("R1 C1 R2 C2 alpha P F L C4 H K C5")
    eq = replicator_equations(greenwashing)
    x, y, z = eq.states
    expected = [
        R1 - C1 - R2 + C2 + alpha * (R1 + R2) * z + L * z + (P + F) * y,
        -C4 - P * x + F * (1 - x) - H * z + K * (1 - x) * z,
        -C5 - L * x + H * y,
    ]
    _assert_equal([eq.differences[i] for i in range(3)], expected)
    _assert_equal(list(eq.rhs), [s * (1 - s) * d for s, d in zip(eq.states, expected)])
    assert eq.lines()[2] == "x3' = x3*(1 - x3)*(H*x2 - C5 - L*x1)"
    assert eq.meaning()[0] == "x1: share of enterprise playing green"


def test_food_safety_vertex_eigenvalues_by_hand(food):
    Ci, q, F, B, Lr, Cs, W, Cc = _symbols("Ci q F B Lr Cs W Cc")

    def d_regulator(x):  # x[1]: share of safe producers, x[2]: complaining consumers
        return -Ci + (1 - x[1]) * q * F - x[2] * B + (1 - x[1]) * x[2] * Lr

    def d_producer(x):
        return -Cs + x[0] * q * F + x[2] * W

    def d_consumer(x):
        return -Cc + (1 - x[1]) * W + x[0] * B

    eig = vertex_eigenvalues(food)
    for profile in itertools.product((0, 1), repeat=3):
        _assert_equal(eig[profile], _vertex_rule([d_regulator, d_producer, d_consumer], profile))
    # two written out in full: (relax, unsafe, silent) and (inspect, safe, complain)
    _assert_equal(eig[(1, 1, 1)], [q * F - Ci, -Cs, W - Cc])
    _assert_equal(eig[(0, 0, 0)], [Ci + B, Cs - q * F - W, Cc - B])


def test_baseline_low_vertex_matches_the_worked_check(baseline_model):
    K, f, C, rho, d, q, p, R, r, m = _symbols("K f C rho d q p R r m")
    a, nu, beta, B, lam, c, kappa, sigma, phi, h, s, t = _symbols("a nu beta B lam c kappa sigma phi h s t")
    q_eff = q + (1 - q) * d
    nu_eff = nu + (1 - nu) * symbol("nu_T")  # targeted reminders at full strength: every worker lapsed
    low = vertex_eigenvalues(baseline_model)[(1, 1, 1)]
    _assert_equal(
        low,
        [
            K + q_eff * f - C * (1 - rho * d),
            p * R + r - m + symbol("ell"),
            (a + (1 - a) * nu_eff) * beta * B - lam * c * (1 + kappa * sigma * (1 - phi)) - h * (1 - nu_eff),
        ],
    )
    good = vertex_eigenvalues(baseline_model)[(1, 0, 0)]
    assert sp.simplify(good[0] + (C * (1 - rho * d) + s + t)) == 0


def test_baseline_defaults_low_vertex_is_the_only_stable_one(baseline_model):
    evaluation = evaluate_vertices(baseline_model)
    stable = [p for p, ev in evaluation.items() if ev.classification == "asymptotically stable"]
    assert stable == [(1, 1, 1)]
    assert evaluation[(1, 1, 1)].values == (sp.Rational(-73, 2), -20, -332)


# --- verdicts over the declared ranges ---------------------------------------------------------


def test_conditions_read_positively(greenwashing, baseline_model):
    low = vertex_analysis(baseline_model)[(1, 1, 1)]
    assert str(low.conditions[1].inequality) == "R*p + ell + r < m"
    e3 = vertex_analysis(greenwashing)[(0, 1, 0)]
    assert str(e3.conditions[1].inequality) == "0 < C4 + H + P"


def test_verdicts_of_the_greenwashing_game(greenwashing):
    analysis = vertex_analysis(greenwashing)
    # an eigenvalue equal to a sum of costs declared non-negative can never be negative
    assert analysis[(0, 0, 0)].conditions[1].status == NEVER  # C4 + P + H < 0
    assert analysis[(1, 1, 0)].conditions[2].status == NEVER  # C5 < 0
    assert analysis[(1, 1, 1)].conditions[2].status == ALWAYS_INSIDE  # -C5 < 0: fails only at C5 = 0
    assert analysis[(1, 1, 1)].conditions[0].status == DEPENDS
    assert analysis[(0, 0, 0)].status == NEVER
    assert analysis[(1, 1, 1)].status == DEPENDS


def test_decide_negative_cases(greenwashing):
    C4, P, F, alpha, C5 = _symbols("C4 P F alpha C5")
    assert decide_negative(C4 + P, greenwashing) == NEVER
    assert decide_negative(-C4 - 1, greenwashing) == ALWAYS
    assert decide_negative(-C4 - P, greenwashing) == ALWAYS_INSIDE
    assert decide_negative(F - C4, greenwashing) == DEPENDS
    assert decide_negative(alpha - 2, greenwashing) == ALWAYS  # alpha <= 1
    assert decide_negative(alpha * (alpha - 1), greenwashing) == ALWAYS_INSIDE
    assert decide_negative(C5 * (alpha - 1) - 1, greenwashing) == ALWAYS
    assert decide_negative(sp.Integer(-3), greenwashing) == ALWAYS


def test_an_unprovable_condition_is_undecided_not_guessed():
    model = read_scenario(
        '[players]\nr = ["a", "b"]\nc = ["a", "b"]\n[parameters]\nx = 0\ny = 0\n'
        '[payoffs]\n"a, a" = [0, 0]\n"a, b" = [0, 0]\n"b, a" = [0, 0]\n"b, b" = [0, 0]\n'
    )
    x, y = _symbols("x y")
    # x^2 - 2xy + y^2 + 1 = (x - y)^2 + 1 > 0, so "< 0" never holds; intervals cannot show it
    assert decide_negative(x**2 - 2 * x * y + y**2 + 1, model) == UNDECIDED


def test_joint_linear_conditions_decided_by_linear_programming():
    """Each condition alone can hold, but a - b < 0 and b - a < 0 never together."""
    model = read_scenario(
        '[players]\nrow = ["T", "B"]\ncol = ["L", "R"]\n'
        "[parameters]\na = { value = 1, min = 0 }\nb = { value = 2, min = 0 }\n"
        '[payoffs]\n"T, L" = ["b", "a"]\n"B, L" = ["a", "0"]\n"T, R" = ["0", "b"]\n"B, R" = ["0", "0"]\n'
    )
    analysis = vertex_analysis(model)[(0, 0)]
    assert [c.status for c in analysis.conditions] == [DEPENDS, DEPENDS]
    assert analysis.status == NEVER


def test_analysis_is_cached_per_model(greenwashing):
    assert vertex_analysis(greenwashing) is vertex_analysis(greenwashing)
    assert replicator_equations(greenwashing) is replicator_equations(greenwashing)


# --- numbers agree with the numeric Jacobian (properties) ----------------------------------------


def _vertex_state(shape, profile, batch):
    return [np.tile(np.eye(m)[k], (batch, 1)) for m, k in zip(shape, profile)]


@pytest.mark.parametrize("source", ["baseline", "greenwashing", "food", "rps"])
def test_symbolic_vertex_eigenvalues_equal_numeric_reduced_jacobian(source, greenwashing, food):
    model = {
        "baseline": lambda: load_model("baseline"),
        "greenwashing": lambda: greenwashing,
        "food": lambda: food,
        "rps": lambda: read_scenario(RPS),
    }[source]()
    values = random_points(model, 25, seed=sum(map(ord, source)))
    game = model.game(values)
    symbols = [model.symbols[n] for n in model.parameter_names]
    args = [values[n] for n in model.parameter_names]
    for profile, analysis in vertex_analysis(model).items():
        f = sp.lambdify(symbols, list(analysis.eigenvalues), modules="numpy")
        symbolic = np.array([np.broadcast_to(v, (25,)) for v in f(*args)], dtype=float).T
        numeric = np.linalg.eigvals(reduced_jacobian(game.payoffs, _vertex_state(model.shape, profile, 25)))
        assert np.allclose(np.sort(numeric.real, axis=1), np.sort(symbolic, axis=1), atol=1e-6)
        assert np.allclose(numeric.imag, 0, atol=1e-9)


def test_classification_agrees_with_numeric_vertex_stability(food):
    values = random_points(food, 15, seed=7)
    st = vertex_stability(food.game(values))
    for b in range(15):
        point = {k: float(v[b]) for k, v in values.items()}
        evaluation = evaluate_vertices(food, point)
        for profile, ev in evaluation.items():
            assert ev.classification == st.label(b, profile)


@pytest.mark.parametrize("source", ["greenwashing", "rps"])
def test_replicator_equations_and_jacobian_equal_the_numeric_ones(source, greenwashing):
    model = greenwashing if source == "greenwashing" else read_scenario(RPS)
    eq = replicator_equations(model)
    rng = np.random.default_rng(3)
    symbols = [model.symbols[n] for n in model.parameter_names]
    rhs = sp.lambdify([*symbols, *eq.states], list(eq.rhs), modules="numpy")
    jac = sp.lambdify([*symbols, *eq.states], eq.jacobian, modules="numpy")
    for _ in range(10):
        point = {k: float(v[0]) for k, v in random_points(model, 1, int(rng.integers(1e6))).items()}
        state = [rng.dirichlet(np.ones(m)) for m in model.shape]
        reduced = [x[k] for (i, k) in eq.coordinates for x in [state[i]]]
        game = model.game(point)
        field = replicator_field(game.payoffs, state)
        want = [field[i][0, k] for (i, k) in eq.coordinates]
        args = [point[n] for n in model.parameter_names] + reduced
        assert np.allclose(rhs(*args), want, atol=1e-9)
        assert np.allclose(
            np.array(jac(*args), dtype=float), reduced_jacobian(game.payoffs, state)[0], atol=1e-8
        )


# --- rest points beyond the vertices -------------------------------------------------------------


def _check_rest_point(model, point, values):
    """The residual is zero and the eigenvalues equal the numeric reduced Jacobian's."""
    state = [np.array([float(v), 1 - float(v)]) for v in point.state]
    game = model.game(values)
    field = replicator_field(game.payoffs, state)
    assert max(abs(f).max() for f in field) < 1e-9
    numeric = np.linalg.eigvals(reduced_jacobian(game.payoffs, state)[0])
    ours = np.array(point.numeric_eigenvalues)
    assert np.allclose(np.sort_complex(np.round(numeric, 9)), np.sort_complex(np.round(ours, 9)), atol=1e-7)
    if point.eigenvalues is not None:
        closed = np.array([complex(sp.N(e)) for e in point.eigenvalues])
        assert np.allclose(
            np.sort_complex(np.round(closed, 9)), np.sort_complex(np.round(numeric, 9)), atol=1e-7
        )


def test_matching_pennies_interior_is_a_centre():
    mp = read_scenario(
        '[players]\nrow = ["H", "T"]\ncol = ["H", "T"]\n[payoffs]\n'
        '"H, H" = [1, -1]\n"H, T" = [-1, 1]\n"T, H" = [-1, 1]\n"T, T" = [1, -1]\n'
    )
    (point,) = rest_points(mp, at={})
    assert point.kind == "interior" and point.state == (sp.Rational(1, 2), sp.Rational(1, 2))
    assert point.classification == "non-hyperbolic" and point.status == NEVER
    assert "centre" in point.note
    # J = [[0, x(1-x)*4], [y(1-y)*(-4), 0]] at (1/2, 1/2): eigenvalues +-i
    assert sorted(complex(sp.N(e)).imag for e in point.eigenvalues) == [-1.0, 1.0]


def test_three_player_cycle_interior_rest_point_is_never_stable():
    model = read_scenario(CYCLE)
    points = rest_points(model, at={"k": 2})
    interior = [p for p in points if p.kind == "interior"]
    assert len(interior) == 1
    (p,) = interior
    assert p.state == (sp.Rational(1, 2),) * 3
    assert p.status == NEVER and "trace zero" in p.note
    assert p.classification == "saddle"
    assert abs(sum(p.numeric_eigenvalues)) < 1e-12  # trace zero
    _check_rest_point(model, p, {"k": 2})


@pytest.mark.slow
def test_food_safety_face_and_interior_rest_points_agree_with_numerics(food):
    rng = np.random.default_rng(11)
    found = 0
    for _ in range(12):
        values = {k: float(v[0]) for k, v in random_points(food, 1, int(rng.integers(1e6))).items()}
        for point in rest_points(food, at=values):
            if point.numeric_eigenvalues is None:
                continue
            found += 1
            assert point.status == NEVER
            _check_rest_point(food, point, values)
    assert found > 0


def test_inspection_game_face_is_a_centre(food):
    # consumers silent: regulator/producer face is an inspection game with a centre
    points = rest_points(food, at={"Ci": 2, "q": 0.5, "F": 10, "Cs": 3, "W": 2, "Cc": 5})
    (face,) = [p for p in points if p.kind == "face" and p.mixing == (0, 1) and p.state[2] == 0]
    # D_regulator = -Ci + (1 - y)*q*F = 0 -> y = 1 - Ci/(qF) = 3/5; D_producer = -Cs + x*q*F = 0 -> x = 3/5
    assert face.state[:2] == (sp.Rational(3, 5), sp.Rational(3, 5))
    assert face.classification == "non-hyperbolic" and "centre" in face.note
    _check_rest_point(food, face, {"Ci": 2, "q": 0.5, "F": 10, "Cs": 3, "W": 2, "Cc": 5})


INTERIOR_POINT = {
    "Ci": 2,
    "q": 0.8,
    "F": 10,
    "S": 11,
    "B": 5,
    "Lr": 10,
    "Rp": 7,
    "Cs": 6,
    "W": 8,
    "Cc": 4,
    "D": 2,
}


def test_food_safety_interior_rest_point_by_hand(food):
    # D_producer = 0 gives x = 3/4 - z; D_consumer = 0 gives 1 - y = (1 + 20 z)/32;
    # then D_regulator = 0 is 100 z^2 + 5 z - 28 = 0, so z = (sqrt(449) - 1)/40.
    (point,) = [p for p in rest_points(food, at=INTERIOR_POINT) if p.kind == "interior"]
    z = (sp.sqrt(449) - 1) / 40
    expected = (sp.Rational(3, 4) - z, 1 - (1 + 20 * z) / 32, z)
    _assert_equal(point.state, expected)
    assert point.status == NEVER and point.classification == "saddle"
    _check_rest_point(food, point, INTERIOR_POINT)


@pytest.mark.slow
def test_symbolic_rest_points_evaluate_to_the_numeric_ones(food):
    symbolic = [p for p in rest_points(food) if p.kind in ("face", "interior")]
    rng = np.random.default_rng(5)
    compared = 0
    for k in range(5):
        values = {k: float(v[0]) for k, v in random_points(food, 1, int(rng.integers(1e6))).items()}
        if k == 0:
            values = {k: float(v) for k, v in INTERIOR_POINT.items()}
        subs = {food.symbols[k]: sp.Rational(repr(v)) for k, v in values.items()}
        numeric = [
            (p.kind, p.mixing, np.array([float(v) for v in p.state]))
            for p in rest_points(food, at=values)
            if p.numeric_eigenvalues is not None
        ]
        evaluated = []
        for p in symbolic:
            state = [complex(sp.N(sp.sympify(v).xreplace(subs))) for v in p.state]
            if all(abs(v.imag) < 1e-12 for v in state):
                real = np.array([v.real for v in state])
                if all(0 < real[i] < 1 for i in p.mixing):
                    evaluated.append((p.kind, p.mixing, real))

        def same(a, b):
            return a[0] == b[0] and a[1] == b[1] and np.allclose(a[2], b[2], atol=1e-9)

        assert all(any(same(n, e) for e in evaluated) for n in numeric)
        assert all(any(same(e, n) for n in numeric) for e in evaluated)
        compared += len(numeric)
    assert compared > 0


def test_edge_continuum_reported_when_a_payoff_difference_vanishes(greenwashing):
    # D_enterprise at (strict, abstain) is R1 - C1 - R2 + C2 + P + F: zero with P = 2 at the defaults
    points = rest_points(greenwashing, at={"P": 2})
    edges = [p for p in points if p.kind == "edge"]
    assert len(edges) == 1 and edges[0].mixing == (0,)
    assert "continuum" in edges[0].note and edges[0].classification == "non-hyperbolic"
    # on the edge (x1 free, government strict, public abstains) the eigenvalues are 0 and the
    # transverse gains; they agree with the numeric Jacobian at any point of the edge
    edge = edges[0]
    x1 = replicator_equations(greenwashing).states[0]
    for share in (sp.Rational(1, 3), sp.Rational(4, 5)):
        state = [np.array([float(share), 1 - float(share)]), np.array([1.0, 0.0]), np.array([0.0, 1.0])]
        numeric = np.linalg.eigvals(reduced_jacobian(greenwashing.game({"P": 2}).payoffs, state)[0])
        subs = {greenwashing.symbols["P"]: 2}
        ours = [
            complex(
                sp.N(
                    e.xreplace({x1: share})
                    .xreplace(subs)
                    .subs(
                        {
                            greenwashing.symbols[n]: sp.Rational(repr(v))
                            for n, v in greenwashing.defaults().items()
                            if n != "P"
                        }
                    )
                )
            )
            for e in edge.eigenvalues
        ]
        assert np.allclose(np.sort(numeric.real), np.sort(np.real(ours)), atol=1e-9)


def test_rest_points_need_two_strategies_each():
    with pytest.raises(TripartiteError, match="two strategies per player"):
        rest_points(read_scenario(RPS), at={})


# --- critical values ---------------------------------------------------------------------------


def test_baseline_nudge_threshold(baseline_model):
    low = [c for c in critical_values(baseline_model, "nu", at={}) if c.profile == (1, 1, 1)]
    assert len(low) == 1
    (c,) = low
    assert c.value == sp.Rational(83, 188) and c.in_range and c.stable_below and c.changes_stability
    # the expression: worker's gain = 0 solved for nu
    a, beta, B, lam, c_, kappa, sigma, phi, h, nu = _symbols("a beta B lam c kappa sigma phi h nu")
    nu_eff = nu + (1 - nu) * symbol(
        "nu_T"
    )  # at the low vertex every worker lapses: reminders at full strength
    gain = (a + (1 - a) * nu_eff) * beta * B - lam * c_ * (1 + kappa * sigma * (1 - phi)) - h * (1 - nu_eff)
    assert sp.simplify(gain.subs(nu, c.solution)) == 0
    assert stable_intervals(baseline_model, "nu", at={})[(1, 1, 1)] == [(0, sp.Rational(83, 188))]


def test_greenwashing_fine_threshold(greenwashing):
    crit = [c for c in critical_values(greenwashing, "F", at={}) if c.profile == (1, 1, 1)]
    # (greenwash, loose, abstain): the government's gain F - C4 vanishes at F = C4 = 3
    (c,) = [c for c in crit if c.deviation == (1, 0)]
    assert c.solution == symbol("C4") and c.value == 3 and c.stable_below
    spans = stable_intervals(greenwashing, "F", at={})
    assert spans[(1, 1, 1)] == [(0, 3)]
    assert spans[(0, 0, 0)] == []


def test_unknown_parameter_in_critical_values(greenwashing):
    with pytest.raises(TripartiteError, match="unknown parameter 'G'"):
        critical_values(greenwashing, "G")


def test_critical_value_records(baseline_model):
    (c,) = [c for c in critical_values(baseline_model, "nu", at={}) if c.profile == (1, 1, 1)]
    record = c.to_record()
    assert record["exact"] == "83/188" and record["stable_side"] == "below" and record["changes_stability"]
    (bare,) = [c for c in critical_values(baseline_model, "nu") if c.profile == (1, 1, 1)]
    assert bare.to_record().keys() == record.keys() and bare.to_record()["value"] is None


# --- the stability table's record and the vertex verdicts of rest points -------------------------


PROVENANCE = {"version", "model", "model_hash", "source", "parameters", "changed", "method", "tolerance"}


def test_stability_table_record_has_no_provenance_and_the_same_keys(baseline_model):
    from tripartite.symbolic import stability_table

    two = stability_table(baseline_model, {"nu": 0.5})
    three = stability_table(read_scenario(RPS))  # three strategies: no rest points beyond vertices
    a, b = two.to_record(), three.to_record()
    assert a.keys() == b.keys() and not PROVENANCE & a.keys()
    assert a["rest_points"] == [] and a["rest_points_note"] is None
    assert b["rest_points"] is None and "two strategies" in b["rest_points_note"]
    # worker's gain at low: -332 + 752 * 1/2 = 44 > 0
    assert (
        a["vertices"][7]["eigenvalues"][2]["exact"] == "44" and a["vertices"][7]["classification"] == "saddle"
    )
    full = two.record
    assert {k: full[k] for k in a} == a and full["changed"] == {"nu": 0.5}
    assert full["model_hash"] == baseline_model.hash and full["method"].startswith("symbolic")
    a["vertices"].clear()
    assert two.to_record()["vertices"]  # a copy each time


def test_old_renderer_names_warn_and_still_render(baseline_model):
    from tripartite.symbolic import stability_table, table

    t = stability_table(baseline_model)
    with pytest.warns(DeprecationWarning, match="io.tables.stability_text"):
        # the old name renders the whole table, payoffs and welfare included, as to_text does
        assert t.to_text() == table.render_text(t.record)
    with pytest.warns(DeprecationWarning, match="stability_markdown"):
        assert table.render_markdown(t.record) == t.to_markdown()
    with pytest.warns(DeprecationWarning, match="to_latex"):
        assert table.render_latex(baseline_model, {}, t.record, fragment=True) == t.to_latex()


def test_vertices_as_rest_points_carry_their_verdict_and_classification(food):
    values = {"Ci": 2, "q": 0.5, "F": 10, "Cs": 3, "W": 2, "Cc": 5}
    vertices = [p for p in rest_points(food, at=values, include_vertices=True) if p.kind == "vertex"]
    analysis = vertex_analysis(food)
    evaluation = evaluate_vertices(food, values)
    assert len(vertices) == 8
    for p in vertices:
        profile = tuple(1 - int(x) for x in p.state)  # the state is the share of each first strategy
        assert p.status == analysis[profile].status
        assert p.classification == evaluation[profile].classification
