"""The one integrator: agreement with solve_ivp, outcomes, certificates, the kernel, errors."""

import itertools

import numpy as np
import pytest
from hypothesis import given, note, settings
from hypothesis import strategies as st

from tripartite import load_model
from tripartite.dynamics import DEFAULT_T_MAX
from tripartite.dynamics.batch import (
    CYCLING,
    NOT_CONVERGED,
    OUTCOMES,
    REST_POINT,
    VERTEX,
    _Field,
    _vertex_bounds,
    integrate_batch,
)
from tripartite.errors import TripartiteError
from tripartite.game import payoff_vectors, shares_from_log

from .reference import solve_ivp_shares

COORDINATION = np.array([[[[1, 0], [0, 1]], [[1, 0], [0, 1]]]], dtype=float)  # separatrix x + y = 1
PENNIES = np.array([[[[1, -1], [-1, 1]], [[-1, 1], [1, -1]]]], dtype=float)

# Stated tolerance of the agreement test: with rtol=1e-9, atol=1e-10 the batched shares agree with
# solve_ivp (DOP853, rtol=1e-11, atol=1e-12, tests/dynamics/reference.py) to within 1e-6 at every
# output time (recorded by the continuous extension, between steps).
AGREEMENT = 1e-6


def _random_case(shape, batch, seed):
    rng = np.random.default_rng(seed)
    payoffs = rng.normal(size=(batch, len(shape), *shape))
    x0 = [rng.dirichlet(np.ones(m), size=batch) for m in shape]
    x0[0][0] = np.eye(shape[0])[0]  # a player at a pure strategy: its face is invariant
    return payoffs, x0


@pytest.mark.parametrize("shape", [(2, 2, 2), (3, 3, 3), (2, 3), (2, 2, 2, 2)])
def test_agrees_with_solve_ivp_on_the_same_initial_states(shape):
    payoffs, x0 = _random_case(shape, 4, seed=sum(shape))
    res = integrate_batch(payoffs, x0, t_max=6.0, n_eval=7, rtol=1e-9, atol=1e-10)
    np.testing.assert_allclose(res.times, np.linspace(0, 6, 7))
    for b in range(4):
        ref = solve_ivp_shares(payoffs[b], [x[b] for x in x0], res.times, rtol=1e-11, atol=1e-12)
        mine = np.concatenate([p[b] for p in res.paths], axis=1)
        np.testing.assert_allclose(mine, ref, atol=AGREEMENT, rtol=0)


def test_default_tolerances_agree_with_solve_ivp_to_1e_5():
    payoffs, x0 = _random_case((2, 2, 2), 5, seed=11)
    res = integrate_batch(payoffs, x0, t_max=10.0, n_eval=5)
    for b in range(5):
        ref = solve_ivp_shares(payoffs[b], [x[b] for x in x0], res.times)
        np.testing.assert_allclose(np.concatenate([p[b] for p in res.paths], axis=1), ref, atol=1e-5)


def test_many_states_at_one_point_and_one_state_at_many_points_broadcast():
    game = load_model("baseline").game(nu=[0.0, 0.5, 1.0])
    one_state = [np.array([0.3, 0.7]), np.array([0.2, 0.8]), np.array([0.3, 0.7])]
    res = integrate_batch(game.payoffs, one_state, t_max=50.0)
    assert len(res) == 3
    point = load_model("baseline").game()
    many = [np.array([[0.3, 0.7], [0.9, 0.1]]), np.array([0.2, 0.8]), np.array([0.3, 0.7])]
    res2 = integrate_batch(point, many, t_max=50.0)
    assert len(res2) == 2 and res2.game is point
    for b in range(3):  # each point's result equals integrating that point alone
        alone = integrate_batch(game.payoffs[b : b + 1], one_state, t_max=50.0)
        assert alone.profile(0) == res.profile(b)


def test_coordination_states_go_to_their_side_of_the_separatrix():
    x = np.array([0.1, 0.3, 0.45, 0.55, 0.7, 0.9])
    y = np.array([0.2, 0.6, 0.5, 0.5, 0.25, 0.05])
    res = integrate_batch(COORDINATION, [np.column_stack([x, 1 - x]), np.column_stack([y, 1 - y])], t_max=100)
    expected = np.where(x + y > 1, 0, 1)
    assert res.labels().tolist() == ["vertex"] * 6
    assert res.vertex.tolist() == [[e, e] for e in expected]
    assert res.certified.all() and np.all(res.t_final < 100)


def test_matching_pennies_cycles_and_its_centre_is_a_rest_point():
    x0 = [np.array([[0.8, 0.2], [0.5, 0.5]]), np.array([[0.5, 0.5], [0.5, 0.5]])]
    res = integrate_batch(PENNIES, x0, t_max=60)
    assert res.outcome.tolist() == [CYCLING, REST_POINT]
    assert res.returns[0] >= 2
    assert res.vertex.tolist() == [[-1, -1], [-1, -1]]
    assert OUTCOMES[res.outcome[0]] == "cycling"


def test_a_game_with_no_incentives_stays_put_as_a_rest_point():
    res = integrate_batch(np.zeros((1, 2, 2, 3)), [np.array([0.3, 0.7]), np.array([0.2, 0.3, 0.5])], t_max=5)
    assert res.outcome[0] == REST_POINT
    np.testing.assert_allclose(res.final[1][0], [0.2, 0.3, 0.5])


def test_zero_shares_stay_exactly_zero():
    res = integrate_batch(COORDINATION, [np.array([0.0, 1.0]), np.array([0.9, 0.1])], t_max=20, n_eval=21)
    assert np.all(res.paths[0][0][:, 0] == 0.0)
    assert res.vertex[0].tolist() == [1, 1]


def test_step_budget_leaves_the_trajectory_not_converged_and_says_when():
    res = integrate_batch(PENNIES, [np.array([0.8, 0.2]), np.array([0.5, 0.5])], t_max=1000, max_steps=50)
    assert res.outcome[0] == NOT_CONVERGED
    assert res.t_final[0] < 1000 and res.steps[0] + res.rejected[0] == 50


def test_baseline_status_quo_is_certified_to_reach_the_low_vertex():
    model = load_model("baseline")
    res = integrate_batch(model.game(), [list(x) for x in model.initial_state], t_max=200)
    assert res.outcome[0] == VERTEX and res.certified[0]
    assert res.vertex[0].tolist() == [1, 1, 1]
    assert res.t_final[0] < 1.0  # stopped early, long before the horizon


@pytest.mark.slow
@settings(max_examples=15, deadline=None)
@given(seed=st.integers(0, 10_000), shape=st.sampled_from([(2, 2), (2, 2, 2), (3, 2, 2)]))
def test_every_trajectory_agrees_with_solve_ivp_and_certificates_are_kept(seed, shape):
    # integer payoffs: ties, non-strict vertices and cycles are common, so about 60% of the
    # trajectories end uncertified; every one of them is checked against the reference
    rng = np.random.default_rng(seed)
    payoffs = rng.integers(-3, 4, size=(1, len(shape), *shape)).astype(float)
    x0 = [rng.dirichlet(np.ones(m), size=5) for m in shape]
    # and three starts within vertex_tol of random vertices, stable or not: there the
    # certificate alone decides whether the trajectory may stop
    for x, m in zip(x0, shape):
        near = np.eye(m)[rng.integers(m, size=3)]
        x[:3] = (1 - 5e-5) * near + 5e-5 * rng.dirichlet(np.ones(m), size=3)
    horizon = 15.0
    early = integrate_batch(payoffs, x0, t_max=horizon)
    full = integrate_batch(payoffs, x0, t_max=horizon, stop_early=False, rtol=1e-10, atol=1e-12)
    note(f"{int(early.certified.sum())} of {len(early)} certified; outcomes {early.counts()}")
    for b in range(len(early)):
        ref = solve_ivp_shares(payoffs[0], [x[b] for x in x0], [0.0, horizon], rtol=1e-10)[-1]
        np.testing.assert_allclose(np.concatenate(full.state(b)), ref, atol=1e-6, rtol=0)
        assert early.outcome[b] == full.outcome[b]  # stopping early changes no outcome word
        if early.certified[b]:
            # the certificate: each population's share of the vertex strategy never falls again,
            # so at the horizon the reference is still within vertex_tol of the certified vertex
            top = [x[v] for x, v in zip(np.split(ref, np.cumsum(shape)[:-1]), early.vertex[b])]
            assert min(top) >= 1 - early.vertex_tol - 1e-9
            assert full.vertex[b].tolist() == early.vertex[b].tolist()


@pytest.mark.parametrize("shape", [(2, 2, 2), (3, 3, 3), (2, 3, 4)])
@pytest.mark.parametrize("shared", [True, False], ids=["shared payoffs", "payoffs per trajectory"])
def test_the_specialised_field_equals_the_kernel(shape, shared):
    rng = np.random.default_rng(len(shape) + sum(shape))
    batch = 7
    payoffs = rng.normal(size=(1 if shared else batch, len(shape), *shape))
    xs = [rng.dirichlet(np.ones(m), size=batch) for m in shape]
    xs[0][0] = np.eye(shape[0])[-1]  # a vertex share among them
    field = _Field(payoffs, shape)
    field.bind(np.arange(batch))
    flat = np.ascontiguousarray(np.concatenate(xs, axis=1).T)  # the integrator's (S, B) layout
    kernel = np.concatenate(payoff_vectors(payoffs, xs), axis=1).T
    np.testing.assert_allclose(field.payoffs(flat), kernel, rtol=1e-13, atol=1e-13)
    # the softmax and the field (equal blocks: one reduction over the (N, s, B) view) against the kernel
    z = np.log(np.where(flat > 0, flat, 1.0)) + 3.0  # a gauge the softmax must remove
    mask = (flat > 0).astype(float)
    np.testing.assert_allclose(
        field.shares(z, mask), shares_from_log(z, shape, axis=0, mask=mask), atol=1e-15
    )
    dz, _ = field(z, mask)
    means = [(x * v).sum(axis=1, keepdims=True) for x, v in zip(xs, payoff_vectors(payoffs, xs))]
    want = np.concatenate([v - m for v, m in zip(payoff_vectors(payoffs, xs), means)], axis=1).T * mask
    np.testing.assert_allclose(dz, want, rtol=1e-12, atol=1e-12)


def test_stop_cycling_stops_at_the_second_return_with_the_same_word():
    x0 = [np.array([[0.8, 0.2], [0.6, 0.4]]), np.array([[0.5, 0.5], [0.5, 0.5]])]
    full = integrate_batch(PENNIES, x0, t_max=60)
    quick = integrate_batch(PENNIES, x0, t_max=60, stop_cycling=True)
    assert full.labels().tolist() == quick.labels().tolist() == ["cycling", "cycling"]
    assert np.all(quick.t_final < 0.8 * 60) and np.all(quick.returns == 2)
    assert np.all(quick.steps < full.steps)
    # a trajectory that converges is not touched (same steps, same certified vertex)
    conv = [np.array([0.9, 0.1]), np.array([0.9, 0.1])]
    a, b = integrate_batch(COORDINATION, conv), integrate_batch(COORDINATION, conv, stop_cycling=True)
    assert a.steps.tolist() == b.steps.tolist() and b.certified[0] and b.labels()[0] == "vertex"


def test_the_gauge_is_fixed_without_underflow():
    shape = (2, 3)
    field = _Field(np.zeros((1, 2, *shape)), shape)
    z = np.array([[-1200.0, 3.0], [5.0, 3.0], [-3000.0, 0.0], [7.0, 0.0], [7.5, -900.0]])
    mask = np.ones_like(z)
    x = field.shares(z, mask)
    fixed = field.normalise(z, x)
    np.testing.assert_allclose(field.shares(fixed, mask), x, rtol=1e-12)
    assert np.all(np.isfinite(fixed))  # tiny shares keep their log-share: exp() would give 0
    for c in field.cuts:  # log-sum-exp of each player is now 0
        top = fixed[c].max(axis=0)
        np.testing.assert_allclose(top + np.log(np.exp(fixed[c] - top).sum(axis=0)), 0.0, atol=1e-12)


@pytest.mark.parametrize("shape", [(2, 2, 2), (3, 2), (2, 3, 4)])
def test_certificate_bounds_follow_their_definition(shape):
    rng = np.random.default_rng(3)
    payoffs = rng.normal(size=(2, len(shape), *shape))
    gains, excess = _vertex_bounds(payoffs, shape)
    for b, (k, v) in itertools.product(range(2), enumerate(itertools.product(*map(range, shape)))):
        for i, m in enumerate(shape):
            u = payoffs[b, i]
            others = [range(n) if j != i else [None] for j, n in enumerate(shape)]
            for t in range(m):
                if t == v[i]:
                    assert gains[i][b, k, t] == -np.inf and excess[i][b, k, t] == 0
                    continue
                g = u[(*v[:i], t, *v[i + 1 :])] - u[v]
                worst = max(
                    u[(*s[:i], t, *s[i + 1 :])] - u[(*s[:i], v[i], *s[i + 1 :])]
                    for s in itertools.product(*others)
                )
                assert gains[i][b, k, t] == pytest.approx(g, abs=1e-12)
                assert excess[i][b, k, t] == pytest.approx(worst - g, abs=1e-12)


def test_default_horizon_is_the_package_default():
    res = integrate_batch(COORDINATION, [np.array([0.5, 0.5]), np.array([0.5, 0.5])])
    assert res.t_max == DEFAULT_T_MAX == 50.0 and res.labels().tolist() == ["rest point"]


def test_result_fields_and_counts():
    res = integrate_batch(COORDINATION, [np.array([[0.9, 0.1], [0.1, 0.9]]), np.array([0.8, 0.2])], t_max=50)
    assert res.counts() == {"vertex": 2, "rest point": 0, "cycling": 0, "not converged": 0}
    assert [x.shape for x in res.final] == [(2, 2), (2, 2)]
    assert res.profile(0) == (0, 0) and res.state(1)[0].shape == (2,)
    assert res.method.startswith("vectorised Dormand-Prince")
    assert res.rtol == 1e-6 and res.atol == 1e-8
    assert "vertex: 2" in repr(res)


@pytest.mark.parametrize(
    "payoffs, initial, message",
    [
        (COORDINATION, [np.array([0.5, 0.6]), np.array([0.5, 0.5])], "sum to 1"),
        (COORDINATION, [np.array([1.5, -0.5]), np.array([0.5, 0.5])], "non-negative"),
        (COORDINATION, [np.array([0.5, 0.5])], "one probability vector per player"),
        (COORDINATION, [np.array([0.2, 0.3, 0.5]), np.array([0.5, 0.5])], "shape"),
        (np.repeat(COORDINATION, 3, axis=0), [np.ones((2, 2)) / 2, np.ones((2, 2)) / 2], "broadcast"),
        (np.full((1, 2, 2, 2), np.nan), [np.array([0.5, 0.5])] * 2, "finite"),
        (np.zeros((2, 2)), [np.array([0.5, 0.5])] * 2, "shape"),
    ],
)
def test_bad_input_gets_one_clear_error(payoffs, initial, message):
    with pytest.raises(TripartiteError, match=message):
        integrate_batch(payoffs, initial)


def test_bad_horizon_and_tolerances():
    x0 = [np.array([0.5, 0.5])] * 2
    with pytest.raises(TripartiteError, match="t_max"):
        integrate_batch(COORDINATION, x0, t_max=0)
    with pytest.raises(TripartiteError, match="rtol"):
        integrate_batch(COORDINATION, x0, rtol=0)
    with pytest.raises(TripartiteError, match="n_eval"):
        integrate_batch(COORDINATION, x0, n_eval=1)


@pytest.mark.slow
def test_given_output_times_agree_with_solve_ivp_and_many_per_step_are_all_recorded():
    # dense early times (several per step) and sparse late ones, as simulate() asks for
    payoffs, x0 = _random_case((2, 2, 2), 3, seed=5)
    times = np.unique(np.concatenate([np.linspace(0, 8, 5), np.geomspace(1e-4, 8, 40)]))
    res = integrate_batch(payoffs, x0, t_max=8.0, t_eval=times, rtol=1e-9, atol=1e-10, stop_early=False)
    np.testing.assert_array_equal(res.times, times)
    for b in range(3):
        ref = solve_ivp_shares(payoffs[b], [x[b] for x in x0], times, rtol=1e-11, atol=1e-12)
        np.testing.assert_allclose(np.concatenate([p[b] for p in res.paths], axis=1), ref, atol=AGREEMENT)
    loose = integrate_batch(payoffs, x0, t_max=8.0, t_eval=times, stop_early=False)
    assert (loose.steps < len(times) / 2).all()  # at the default tolerances: several times per step
    for b in range(3):
        ref = solve_ivp_shares(payoffs[b], [x[b] for x in x0], times)
        np.testing.assert_allclose(np.concatenate([p[b] for p in loose.paths], axis=1), ref, atol=1e-5)


@pytest.mark.parametrize(
    "t_eval, message",
    [([0.5, 1.0], "starting at 0"), ([0.0, 2.0, 1.0], "non-decreasing"), ([0.0, 20.0], "within")],
)
def test_bad_output_times_are_refused(t_eval, message):
    with pytest.raises(TripartiteError, match=message):
        integrate_batch(COORDINATION, [np.array([0.5, 0.5]), np.array([0.5, 0.5])], 10.0, t_eval=t_eval)


@pytest.mark.parametrize("scale", [1e-8, 1.0, 1e8])
def test_rest_point_label_is_relative_to_the_payoff_scale(scale):
    """Anti-coordination in two populations (worked by hand): each player's gain from its first
    strategy is 1 - 2 * (the other's share of it), so (1/2, 1/2) is the interior rest point, and
    from (0.3, 0.7) against (0.7, 0.3) the populations go to (second, first).  Scaled by 1e-8 the
    dynamics are 1e8 times slower: by t = 50 they have hardly moved, which is "not converged", not
    a rest point, although the field there (about 2e-9) is below 1e-7 in payoff units."""
    u = np.array([[[0.0, 1.0], [1.0, 0.0]], [[0.0, 1.0], [1.0, 0.0]]])[None] * scale
    centre = integrate_batch(u, [np.array([0.5, 0.5])] * 2, t_max=50.0)
    assert centre.labels().tolist() == ["rest point"]
    moving = integrate_batch(u, [np.array([0.3, 0.7]), np.array([0.7, 0.3])], t_max=50.0)
    if scale < 1:
        assert moving.labels().tolist() == ["not converged"]
    else:
        assert moving.outcome[0] == VERTEX and moving.vertex[0].tolist() == [1, 0]
