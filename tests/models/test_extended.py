"""The built-in extended (3x3x3) model, against its formulas encoded here independently."""

import numpy as np
import pytest
import sympy as sp

from tripartite import (
    builtin_models,
    integrate_batch,
    load_model,
    pure_equilibria,
    trajectory,
    vertex_stability,
)
from tripartite.sweep.regime_changes import thresholds
from tripartite.symbolic import vertex_eigenvalues

from ..conftest import random_points

BACKSTOP, GUIDE, LAISSEZ = 0, 1, 2
SHARE, FORMAL, NONE = 0, 1, 2
CONTINUOUS, INTERMITTENT, OUT = 0, 1, 2
LOW = (GUIDE, FORMAL, INTERMITTENT)
HIGH = (LAISSEZ, SHARE, CONTINUOUS)


@pytest.fixture(scope="module")
def extended():
    return load_model("extended")


def reference_payoffs(v, g, pl, w, x_S=0.0, x_C=0.0):
    """The indicator formulas of extended.toml's header, written out directly.

    ``x_S``, ``x_C``: the shares of sharing platforms and of continuously
    contributing workers, which the state levers ``ell`` and ``nu_T`` read.
    """
    B_, G_, L_ = (g == BACKSTOP), (g == GUIDE), (g == LAISSEZ)
    S, F, N = (pl == SHARE), (pl == FORMAL), (pl == NONE)
    C, Im = (w == CONTINUOUS), (w == INTERMITTENT)
    q_eff = v["q"] + (1 - v["q"]) * v["d"]
    nu_eff = v["nu"] + (1 - v["nu"]) * v["nu_T"] * (1 - x_C)
    a_eff = v["a"] + (1 - v["a"]) * nu_eff
    acc = v["gamma"] + (1 - v["gamma"]) * v["port"]
    e = C + Im * v["omega"]
    cov = C + Im * v["omega"] * acc
    # the pension fund's (contributions e*(c + k*c_p[S]) in, mu_F times the accrued entitlements out)
    # and the injury pool's net receipts, weighted by w_F; independent of the government's strategy
    accrued = C + Im * v["omega"] * acc
    fund = (
        e * (v["c"] + S * v["k"] * v["c_p"])
        - v["mu_F"] * accrued * (v["B"] + S * v["b_p"])
        + S * (v["m"] - v["p"] * v["theta"] * v["L"])
    )
    gov = (
        v["w_F"] * fund
        + v["V_E"] * cov
        + v["V_S"] * S
        - v["K"] * L_ * (1 - cov)
        + B_
        * (-v["C"] * (1 - v["rho"] * v["d"]) - v["s"] * e - v["t"] * S + q_eff * (v["f"] * N + v["f_F"] * F))
        + G_ * (-v["C_g"] + q_eff * v["f"] * N)
    )
    plat = (
        v["Pi"]
        + S * (-v["k"] * v["c_p"] * e - v["m"] + v["r"] + v["pi_E"] * C + v["t"] * B_)
        + F
        * (
            -(1 - v["chi"]) * v["m_F"]
            - q_eff * v["f_F"] * B_
            - v["p"] * v["R"] * (1 - v["theta_F"]) * (1 - cov)
        )
        - N * (q_eff * v["f"] * (B_ + G_) + v["p"] * v["R"] * (1 - cov))
        - (F + N) * v["ell"] * (1 - x_S)
    )
    benefit = a_eff * v["beta"] * (v["B"] + v["b_p"] * S)
    work = (
        v["y"]
        - v["p"] * v["L"] * (1 - v["theta"] * S - v["theta_F"] * F)
        - v["chi"] * v["m_F"] * F
        + C
        * (
            benefit
            + v["s"] * B_
            - v["lam"] * v["c"] * (1 + v["kappa"] * v["sigma"] * (1 - v["phi"]))
            - v["h"] * (1 - nu_eff)
        )
        + Im * v["omega"] * (acc * benefit + v["s"] * B_ - v["lam"] * v["c"] - v["h"] * (1 - nu_eff))
    )
    return gov, plat, work


def test_is_a_builtin_3x3x3_model(extended):
    assert "extended" in builtin_models()
    assert extended.players == ("government", "platform", "worker")
    assert extended.strategies == (
        ("backstop", "guide", "laissez_faire"),
        ("share", "formal", "none"),
        ("continuous", "intermittent", "none"),
    )
    # the declared names (extended.toml's [profiles]): the low equilibrium and the good state
    assert extended.named_profiles == {
        "low": (GUIDE, FORMAL, INTERMITTENT),
        "high": (LAISSEZ, SHARE, CONTINUOUS),
    }


def test_every_parameter_is_documented(extended):
    for p in extended.parameters:
        assert p.unit and p.description and p.section and p.symbol and p.source, p.name
        assert p.min <= p.default <= p.max
    names = set(extended.parameter_names)
    assert {"omega", "gamma", "port", "C_g", "m_F", "chi", "theta_F", "f_F"} <= names


def test_payoffs_equal_the_formulas(extended):
    values = random_points(extended, 40)
    values["ell"] = values["nu_T"] = np.zeros(40)  # the state-dependent levers off: a static game
    payoffs = extended.evaluate(values)
    for prof in np.ndindex(3, 3, 3):
        ref = reference_payoffs(values, *prof)
        for i in range(3):
            np.testing.assert_allclose(payoffs[(slice(None), i, *prof)], ref[i], rtol=1e-12, atol=1e-9)


def test_state_dependent_payoffs_equal_the_formulas_at_random_states(extended):
    values = random_points(extended, 40, seed=11)
    rng = np.random.default_rng(12)
    plat, work = rng.dirichlet(np.ones(3), 40), rng.dirichlet(np.ones(3), 40)
    state = [rng.dirichlet(np.ones(3), 40), plat, work]
    payoffs = extended.game(values).payoffs.at(state)
    for prof in np.ndindex(3, 3, 3):
        ref = reference_payoffs(values, *prof, x_S=plat[:, SHARE], x_C=work[:, CONTINUOUS])
        for i in range(3):
            np.testing.assert_allclose(payoffs[(slice(None), i, *prof)], ref[i], rtol=1e-12, atol=1e-9)


def test_defaults_make_guide_formal_intermittent_the_stable_low_equilibrium(extended):
    game = extended.game()
    st = vertex_stability(game)
    assert st.label(0, LOW) == "asymptotically stable"
    # the deviation gains documented in extended.toml
    np.testing.assert_allclose(st.eigenvalues[(0, *LOW)], [-124.5, -20, -199, -47, -124, -44])
    np.testing.assert_allclose(st.eigenvalues[(0, *HIGH)], [-272.5, -40, -65, -50, -128, -340])
    assert st.stable_profiles() == [LOW, HIGH]
    eq = pure_equilibria(game)
    assert eq.profiles() == [LOW, HIGH] and eq.strict[(0, *LOW)] and eq.strict[(0, *HIGH)]


def test_status_quo_converges_to_the_low_equilibrium(extended):
    game = extended.game()
    tr = trajectory(game, extended.initial_state)
    assert tr.profile == {"government": "guide", "platform": "formal", "worker": "intermittent"}
    batch = integrate_batch(game, [list(x) for x in extended.initial_state], 200)
    assert batch.profile(0) == LOW and batch.certified[0]


def test_low_vertex_gains_match_the_closed_forms(extended):
    # random values of every parameter, the state levers included: at the low vertex
    # x_S = x_C = 0, so the ladder is ell on formal and none alike, nu_eff = nu + (1 - nu)*nu_T
    values = random_points(extended, 20, seed=5)
    eig = vertex_stability(extended.game(values)).eigenvalues[(slice(None), *LOW)]
    v = values
    q_eff = v["q"] + (1 - v["q"]) * v["d"]
    nu_eff = v["nu"] + (1 - v["nu"]) * v["nu_T"]
    a_eff = v["a"] + (1 - v["a"]) * nu_eff
    acc = v["gamma"] + (1 - v["gamma"]) * v["port"]
    cov = v["omega"] * acc
    hassle = v["h"] * (1 - nu_eff)
    formal = -(1 - v["chi"]) * v["m_F"] - v["p"] * v["R"] * (1 - v["theta_F"]) * (1 - cov) - v["ell"]
    intermittent = v["omega"] * (a_eff * v["beta"] * acc * v["B"] - v["lam"] * v["c"] - hassle)
    expected = [
        -(v["C"] * (1 - v["rho"] * v["d"]) - v["C_g"]) - v["s"] * v["omega"] + q_eff * v["f_F"],  # backstop
        v["C_g"] - v["K"] * (1 - cov),  # laissez-faire
        -v["k"] * v["c_p"] * v["omega"] - v["m"] + v["r"] - formal,  # share
        -q_eff * v["f"] - v["p"] * v["R"] * (1 - cov) - v["ell"] - formal,  # none
        a_eff * v["beta"] * v["B"]
        - v["lam"] * v["c"] * (1 + v["kappa"] * v["sigma"] * (1 - v["phi"]))
        - hassle
        - intermittent,  # continuous
        -intermittent,  # none
    ]
    np.testing.assert_allclose(eig, np.stack(expected, axis=1), rtol=1e-10, atol=1e-8)


def test_symbolic_gain_of_dropping_out_is_the_accrual_condition(extended):
    gains = vertex_eigenvalues(extended)[LOW]
    s = extended.symbols
    acc = s["gamma"] + (1 - s["gamma"]) * s["port"]
    nu_eff = s["nu"] + (1 - s["nu"]) * s["nu_T"]  # targeted reminders at full strength: x_C = 0 here
    a_eff = s["a"] + (1 - s["a"]) * nu_eff
    hand = -s["omega"] * (a_eff * s["beta"] * acc * s["B"] - s["lam"] * s["c"] - s["h"] * (1 - nu_eff))
    assert sp.simplify(gains[5] - hand) == 0


def test_levers_move_the_system_out_of_the_low_equilibrium(extended):
    # elastic contributions (5.1) remove the volatility premium: continuous beats intermittent
    st = vertex_stability(extended.game(phi=1.0))
    assert st.label(0, LOW) != "asymptotically stable"
    assert st.eigenvalues[(0, *LOW)][4] > 0
    # full portability makes intermittent accrual proportional (acc = 1): the dropping-out gain
    # becomes -omega*(a*beta*B - lam*c - h)
    gains = vertex_stability(extended.game(port=1.0)).eigenvalues[(0, *LOW)]
    assert gains[5] == pytest.approx(-0.5 * (0.75 * 0.7 * 2400 - 1.2 * 700 - 80))


# --- the state-dependent levers (issue 11): the responsibility ladder ell and targeted reminders nu_T ---
#
# By hand at the low vertex (guide, formal, intermittent), where the share of
# sharing platforms ``x_S`` and of continuously contributing workers ``x_C`` are
# both 0 (defaults: omega = 0.5, gamma = 0.8, port = 0 so acc = 0.8 and
# cov_I = omega*acc = 0.4; beta*B = 1680; cost_C = lam*c*(1 + kappa*sigma) =
# 1260, cost_I = lam*c = 840; h = 80):
#
# - ladder ``ell*(1 - x_S)`` on both non-sharing strategies (formal and none):
#  the platform's gain from sharing is
#  ``(-k*c_p*omega - m + r) - (-(1 - chi)*m_F - p*R*(1 - theta_F)*(1 - cov_I) - ell)
#  = (-180 - 60 + 20) - (-15 - 6 - ell) = ell - 199``; its gain from dropping
#  cover (none) is ``(-q_eff*f - p*R*(1 - cov_I) - ell) - (-21 - ell) = -68 + 21 = -47``,
#  unchanged, because formal and none pay the same ladder.  Threshold ``ell = 199``.
# - reminders ``nu_eff = nu + (1 - nu)*nu_T*(1 - x_C)``: with ``nu = 0`` and
#  ``x_C = 0``, ``nu_eff = nu_T``, ``a_eff = 0.75 + 0.25*nu_T`` and the hassle
#  ``80*(1 - nu_T)``.  The worker's gain from contributing continuously instead
#  of intermittently is ``a_eff*beta*B*(1 - cov_I) - cost_C + omega*cost_I
#  - (1 - omega)*hassle = (756 + 252*nu_T) - 1260 + 420 - 40*(1 - nu_T)
#  = 292*nu_T - 124``; from dropping out, ``-omega*(a_eff*beta*acc*B - cost_I - hassle)
#  = -0.5*(1008 + 336*nu_T - 840 - 80 + 80*nu_T) = -44 - 208*nu_T``.
#  Threshold ``nu_T = 124/292 = 31/73``.
# - the high vertex (laissez_faire, share, continuous) has ``x_S = x_C = 1``:
#  both levers are silent there, and it stays stable, so each threshold takes
#  extended from bistable to "high only".

LOW_STATIC = [-124.5, -20, -199, -47, -124, -44]  # the gains documented in extended.toml
HIGH_STATIC = [-272.5, -40, -65, -50, -128, -340]


def test_levers_default_to_zero_and_leave_the_static_game(extended):
    assert extended.parameter("ell").default == 0 and extended.parameter("nu_T").default == 0
    assert extended.static_at() and isinstance(extended.game().payoffs, np.ndarray)
    assert not extended.static_at({"ell": 1.0}) and extended.game(nu_T=0.5).state_dependent
    assert vertex_stability(extended.game()).stable_profiles() == [LOW, HIGH]


def test_symbolic_low_gains_are_the_hand_worked_ones(extended):
    gains = vertex_eigenvalues(extended)[LOW]
    s = extended.symbols
    defaults = {
        s[p.name]: sp.nsimplify(p.default) for p in extended.parameters if p.name not in ("ell", "nu_T")
    }
    ell, nu_T = s["ell"], s["nu_T"]
    hand = [sp.Rational(-249, 2), -20, ell - 199, -47, 292 * nu_T - 124, -208 * nu_T - 44]
    assert [sp.expand(g.xreplace(defaults) - h) for g, h in zip(gains, hand, strict=True)] == [0] * 6
    # silent at the high vertex: its gains do not mention the levers
    assert not any({ell, nu_T} & g.free_symbols for g in vertex_eigenvalues(extended)[HIGH])


@pytest.mark.parametrize(("ell", "stable"), [(0.0, True), (198.0, True), (200.0, False), (300.0, False)])
def test_ladder_ends_the_low_equilibrium_at_199(extended, ell, stable):
    vs = vertex_stability(extended.game(ell=ell))
    expected = list(LOW_STATIC)
    expected[2] = ell - 199
    np.testing.assert_allclose(vs.eigenvalues[(0, *LOW)], expected, atol=1e-9)
    assert (vs.label(0, LOW) == "asymptotically stable") is stable
    assert vs.label(0, LOW) == ("asymptotically stable" if stable else "saddle")
    np.testing.assert_allclose(vs.eigenvalues[(0, *HIGH)], HIGH_STATIC, atol=1e-9)
    assert vs.label(0, HIGH) == "asymptotically stable"


@pytest.mark.parametrize("nu_T", [0.0, 0.42, 0.43, 1.0])
def test_reminders_end_the_low_equilibrium_at_31_73(extended, nu_T):
    vs = vertex_stability(extended.game(nu_T=nu_T))
    expected = list(LOW_STATIC)
    expected[4], expected[5] = 292 * nu_T - 124, -44 - 208 * nu_T
    np.testing.assert_allclose(vs.eigenvalues[(0, *LOW)], expected, atol=1e-9)
    stable = nu_T < 31 / 73
    assert vs.label(0, LOW) == ("asymptotically stable" if stable else "saddle")
    np.testing.assert_allclose(vs.eigenvalues[(0, *HIGH)], HIGH_STATIC, atol=1e-9)
    assert vs.label(0, HIGH) == "asymptotically stable"


def test_thresholds_of_the_levers_are_the_hand_worked_ones(extended):
    (ladder,) = thresholds(extended, "ell")
    assert ladder.value == pytest.approx(199.0, abs=1e-8)
    assert (ladder.below, ladder.above) == ("low and high (bistable)", "high only")
    (reminders,) = thresholds(extended, "nu_T")
    assert reminders.value == pytest.approx(124 / 292, abs=1e-8)
    assert (reminders.below, reminders.above) == ("low and high (bistable)", "high only")
