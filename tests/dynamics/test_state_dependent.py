"""Replicator dynamics of games whose payoffs depend on the population state.

The hand-worked case (derived below, independently of the package):
enterprise ``x`` = share green, regulator ``y`` = share strict, public
``z`` = share reporting.  With two strategies each the replicator dynamics
are :math:`\\dot x_i = x_i (1 - x_i) D_i`, ``D_i`` the first strategy's
payoff minus the second's:

- enterprise: greenwashing saves ``c`` and is fined ``F (1 - x)`` when the
  regulator is strict (the fine grows with the share of greenwashers), so
  :math:`D_x = y F (1 - x) - c`;
- regulator: :math:`D_y = b (1 - x) - k + e z`;
- public: :math:`D_z = a x - d`.

The interior rest point: :math:`x^* = d/a`, :math:`y^* = c / (F (1 - x^*))`,
:math:`z^* = (k - b (1 - x^*)) / e`.  There :math:`D = 0`, so the Jacobian
is :math:`\\operatorname{diag}(p) \\nabla D` with :math:`p_i = x_i (1 - x_i)`:

.. math:: J = \\begin{pmatrix} -A & B & 0 \\\\ -p_y b & 0 & p_y e \\\\ p_z a & 0 & 0 \\end{pmatrix},
          \\quad A = p_x F y^*, \\; B = p_x F (1 - x^*),

with characteristic polynomial :math:`\\lambda^3 + A \\lambda^2 + B p_y b \\lambda - B p_y p_z a e`.
At ``F=4, c=1, b=2, k=1/2, e=-1, a=1, d=1/2`` the point is ``(1/2, 1/2, 1/2)``
and the polynomial :math:`\\lambda^3 + \\lambda^2/2 + \\lambda/4 + 1/32`
(Routh-Hurwitz: ``1/2 * 1/4 > 1/32``, all positive: asymptotically stable,
with a complex pair: a focus).  Its static twin (fine ``F`` whatever the
state: :math:`D_x = y F - c`) has :math:`y^* = 1/4`, ``A = 0`` and
:math:`\\lambda^3 + \\lambda (p_x F p_y b) - p_x F p_y p_z a e`: zero trace,
so its interior point cannot attract.
"""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.integrate import solve_ivp

from tripartite import read_scenario
from tripartite.dynamics.batch import integrate_batch
from tripartite.dynamics.paths import trajectory
from tripartite.dynamics.replicator import reduced_jacobian, replicator_field
from tripartite.dynamics.stability import vertex_stability
from tripartite.errors import TripartiteError
from tripartite.game import Game, StatePayoffs, deviation_gains, payoff_vectors, vertex_gains

VALUES = {"F": 4.0, "c": 1.0, "b": 2.0, "k": 0.5, "e": -1.0, "a": 1.0, "d": 0.5}


def scenario(fine: str = "F*(1 - x)") -> str:
    return f"""
name = "dynamic penalty, hand-worked"
[players]
enterprise = ["green", "greenwash"]
regulator = ["strict", "loose"]
public = ["report", "ignore"]
[parameters]
{chr(10).join(f"{k} = {v}" for k, v in VALUES.items())}
[state]
x = ["enterprise", "green"]
[derived]
fine = "{fine}"
[payoffs]
"green, strict, report" = ["0", "-k + e", "a - d"]
"green, strict, ignore" = ["0", "-k", "0"]
"green, loose, report" = ["0", "0", "a - d"]
"green, loose, ignore" = ["0", "0", "0"]
"greenwash, strict, report" = ["c - fine", "-k + b + e", "-d"]
"greenwash, strict, ignore" = ["c - fine", "-k + b", "0"]
"greenwash, loose, report" = ["c", "0", "-d"]
"greenwash, loose, ignore" = ["c", "0", "0"]
"""


def hand_D(x, y, z, dynamic=True):
    F, c, b, k, e, a, d = (VALUES[n] for n in "F c b k e a d".split())
    fine = F * (1 - x) if dynamic else F
    return np.array([y * fine - c, b * (1 - x) - k + e * z, a * x - d])


def hand_polynomial(x, y, z, dynamic=True):
    F, c, b, k, e, a, d = (VALUES[n] for n in "F c b k e a d".split())
    px, py, pz = x * (1 - x), y * (1 - y), z * (1 - z)
    A = px * F * y if dynamic else 0.0
    B = px * F * (1 - x) if dynamic else px * F
    return [1.0, A, B * py * b, -B * py * pz * a * e]


@pytest.fixture(scope="module")
def dynamic():
    return read_scenario(scenario(), "pen.toml")


@pytest.fixture(scope="module")
def static():
    return read_scenario(scenario("F"), "static.toml")


def state(*shares):
    return [np.array([s, 1 - s]) for s in shares]


def test_the_model_knows_its_state_and_a_static_model_has_none(dynamic, static):
    assert [(s.name, s.player, s.strategy) for s in dynamic.state] == [("x", 0, 0)]
    assert dynamic.game().state_dependent
    assert not static.game().state_dependent  # x declared, but the static twin's payoffs ignore it
    plain = read_scenario(scenario("F").replace('[state]\nx = ["enterprise", "green"]\n', ""), "plain.toml")
    assert plain.state == () and not plain.game().state_dependent
    assert isinstance(plain.game().payoffs, np.ndarray)


def test_field_vanishes_at_the_hand_derived_interior_point(dynamic, static):
    for model, point in ((dynamic, (0.5, 0.5, 0.5)), (static, (0.5, 0.25, 0.5))):
        assert np.allclose(hand_D(*point, dynamic=model is dynamic), 0)
        field = replicator_field(model.game().payoffs, state(*point))
        assert max(np.abs(f).max() for f in field) < 1e-14


def test_interior_eigenvalues_are_the_hand_derived_ones(dynamic):
    jac = reduced_jacobian(dynamic.game().payoffs, state(0.5, 0.5, 0.5))[0]
    # the chart keeps the first share of each player: the hand-worked J exactly
    expected = np.array([[-0.5, 0.5, 0.0], [-0.5, 0.0, -0.25], [0.25, 0.0, 0.0]])
    assert np.allclose(jac, expected, atol=1e-14)
    roots = np.sort_complex(np.roots(hand_polynomial(0.5, 0.5, 0.5)))
    eig = np.sort_complex(np.linalg.eigvals(jac))
    assert np.allclose(eig, roots, atol=1e-12)
    assert np.all(eig.real < 0) and np.any(np.abs(eig.imag) > 0.1)  # a stable focus
    assert hand_polynomial(0.5, 0.5, 0.5) == [1.0, 0.5, 0.25, 0.03125]


def test_the_static_twin_interior_point_does_not_attract(static):
    jac = reduced_jacobian(static.game().payoffs, state(0.5, 0.25, 0.5))[0]
    eig = np.linalg.eigvals(jac)
    assert np.allclose(
        np.sort_complex(eig), np.sort_complex(np.roots(hand_polynomial(0.5, 0.25, 0.5, False)))
    )
    assert abs(eig.sum()) < 1e-12  # zero trace: state-independent payoffs
    assert eig.real.max() > 0.05


@pytest.mark.slow
def test_trajectory_converges_to_the_focus_like_solve_ivp(dynamic):
    start = (0.3, 0.6, 0.4)

    def rhs(_t, s):
        p = s * (1 - s)
        return p * hand_D(*s)

    times = np.linspace(0.0, 120.0, 13)
    ref = solve_ivp(rhs, (0, 120), start, method="DOP853", rtol=1e-12, atol=1e-12, t_eval=times).y.T
    res = integrate_batch(dynamic.game(), state(*start), t_max=120.0, n_eval=13, rtol=1e-10, atol=1e-12)
    ours = np.stack([p[0, :, 0] for p in res.paths], axis=1)
    assert np.abs(ours - ref).max() < 1e-7
    assert np.abs(ref[-1] - 0.5).max() < 1e-3  # the reference itself reaches the focus
    long = trajectory(dynamic.game(), state(*start), t_max=400.0, rtol=1e-10, atol=1e-12)
    assert long.outcome == "rest point"
    assert all(np.abs(f - 0.5).max() < 1e-6 for f in long.final)


@pytest.mark.slow
def test_batched_trajectories_over_points_and_states(dynamic):
    game = dynamic.game(F=[4.0, 4.0])
    starts = [np.array([[0.3, 0.7], [0.7, 0.3]]), np.array([0.6, 0.4]), np.array([0.4, 0.6])]
    tight = {"rtol": 1e-10, "atol": 1e-12}  # default tolerances leave a ~1e-7 error floor, near FTOL
    res = integrate_batch(game, starts, t_max=400.0, **tight)
    assert res.labels().tolist() == ["rest point", "rest point"]
    one = integrate_batch(dynamic.game(), [starts[0][1], starts[1], starts[2]], t_max=400.0, **tight)
    assert np.allclose(np.concatenate([f[1] for f in res.final]), np.concatenate([f[0] for f in one.final]))


def test_vertex_stability_uses_the_table_at_the_vertex(dynamic):
    vs = vertex_stability(dynamic.game())
    # at (greenwash, strict, report): x = 0, the fine is F, green gains F - c = 3
    g = vertex_gains(dynamic.game().payoffs)[0][0, 1, 0, 0]
    assert g.tolist() == [3.0, 0.0]
    # by hand at v = (greenwash, strict, report): green gains F - c = 3 (the fine at x = 0),
    # strict -> loose gains -(b - k + e) = -0.5, report -> ignore gains d = 0.5
    assert vs.eigenvalues[0, 1, 0, 0].tolist() == [3.0, -0.5, 0.5]
    assert vs.label(0, (1, 0, 0)) == "saddle"
    # at (green, strict, report): x = 1, no fine: greenwashing gains c = 1
    assert vs.eigenvalues[0, 0, 0, 0].tolist()[0] == 1.0


def test_solvers_that_need_a_fixed_table_refuse_clearly(dynamic):
    game = dynamic.game()
    with pytest.raises(TripartiteError, match="depend on the population state"):
        np.asarray(game.payoffs, dtype=float)
    with pytest.raises(TripartiteError, match="depend on the population state"):
        dynamic.evaluate()


# --- properties on random state-dependent games ---------------------------------------------------


def random_state_game(rng: np.random.Generator, shape: tuple[int, ...]) -> StatePayoffs:
    """U(s; x) = A + sum_k B_k x_k + C_k x_k^2 over a few random share coordinates (numpy only)."""
    n = len(shape)
    full = (n, *shape)
    coords = sorted({(int(rng.integers(n)), int(rng.integers(shape[0]))) for _ in range(3)})
    coords = [(j, t % shape[j]) for j, t in coords]
    coords = sorted(set(coords))
    A = rng.normal(size=full)
    B = [rng.normal(size=full) for _ in coords]
    C = [rng.normal(size=full) for _ in coords]

    def table(*xs):
        rows = np.broadcast(*xs).shape if xs else ()
        total = np.broadcast_to(A.ravel(), (*rows, A.size)).copy()
        for Bk, Ck, x in zip(B, C, xs):
            x = np.asarray(x)[..., None]
            total = total + Bk.ravel() * x + Ck.ravel() * x**2
        return list(np.moveaxis(total, -1, 0))

    def gradient(*xs):
        rows = np.broadcast(*xs).shape if xs else ()
        parts = []
        for Bk, Ck, x in zip(B, C, xs):
            x = np.asarray(x)[..., None]
            parts.extend(
                np.moveaxis(np.broadcast_to(Bk.ravel() + 2 * Ck.ravel() * x, (*rows, A.size)), -1, 0)
            )
        return parts

    return StatePayoffs(
        (1, *full), tuple(coords), tuple(f"x{k}" for k in range(len(coords))), (), table, gradient
    )


shapes = st.sampled_from([(2, 2), (2, 3), (3, 2), (2, 2, 2), (3, 2, 2), (2, 2, 2, 2)])


def _interior_state(rng, shape):
    return [rng.dirichlet(np.ones(m)) for m in shape]


def _flat_field(table, shape, flat):
    cuts = np.cumsum(shape)[:-1]
    xs = np.split(flat, cuts)
    return np.concatenate([f[0] for f in replicator_field(table, xs)])


@settings(max_examples=40, deadline=None)
@given(shape=shapes, seed=st.integers(0, 2**32 - 1))
def test_analytic_jacobian_equals_finite_differences(shape, seed):
    from tripartite.dynamics.replicator import jacobian

    rng = np.random.default_rng(seed)
    table = random_state_game(rng, shape)
    xs = _interior_state(rng, shape)
    flat = np.concatenate(xs)
    h = 1e-6
    fd = np.empty((flat.size, flat.size))
    for c in range(flat.size):  # the field is defined off the simplex too: ambient derivatives
        up, down = flat.copy(), flat.copy()
        up[c] += h
        down[c] -= h
        fd[:, c] = (_flat_field(table, shape, up) - _flat_field(table, shape, down)) / (2 * h)
    assert np.allclose(jacobian(table, xs)[0], fd, atol=1e-6, rtol=1e-6)


@settings(max_examples=40, deadline=None)
@given(shape=shapes, seed=st.integers(0, 2**32 - 1))
@pytest.mark.slow
def test_vertex_eigenvalues_are_the_deviation_gains_at_the_vertex(shape, seed):
    rng = np.random.default_rng(seed)
    table = random_state_game(rng, shape)
    gains = vertex_gains(table)
    best = deviation_gains(table)
    for v in itertools.product(*(range(m) for m in shape)):
        xs = [np.eye(m)[k] for m, k in zip(shape, v)]
        u = table.at(xs)[0]  # the table at x = v, read directly
        expected = []
        for i in range(len(shape)):
            for t in range(shape[i]):
                if t != v[i]:
                    alt = list(v)
                    alt[i] = t
                    expected.append(u[(i, *alt)] - u[(i, *v)])
            got = gains[i][(0, *v)]
            assert got[v[i]] == 0.0
            others = [t for t in range(shape[i]) if t != v[i]]
            assert math.isclose(best[i][(0, *v)], max(got[t] for t in others))
        jac = reduced_jacobian(table, xs)[0]  # the analytic Jacobian, dU/dx terms included
        eig = np.sort(np.linalg.eigvals(jac).real)
        assert np.allclose(eig, np.sort(expected), atol=1e-9)
        assert np.allclose(np.linalg.eigvals(jac).imag, 0, atol=1e-9)


def test_kernel_evaluates_the_table_at_the_state(dynamic):
    game = dynamic.game()
    xs = state(0.2, 0.7, 0.4)
    u = game.payoffs.at(xs)[0]
    assert u[(0, 1, 0, 0)] == pytest.approx(VALUES["c"] - VALUES["F"] * 0.8)
    brute = [np.zeros(2) for _ in range(3)]
    for prof in itertools.product(range(2), repeat=3):
        for i in range(3):
            w = math.prod(xs[j][prof[j]] for j in range(3) if j != i)
            brute[i][prof[i]] += u[(i, *prof)] * w
    for got, want in zip(payoff_vectors(game.payoffs, xs), brute):
        assert np.allclose(got[0], want, atol=1e-14)
    assert isinstance(Game.take(game, [0]).payoffs, StatePayoffs)
