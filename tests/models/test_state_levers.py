"""The baseline's state-dependent levers: the responsibility ladder and targeted reminders.

By hand at the low vertex (passive, shirk, lapse), where ``x_S = x_E = 0``:

- ladder ``ell*(1 - x_S)`` on a shirking platform: the platform's gain from
  sharing is ``-m + r + p*R + ell = -60 + 20 + 20 + ell = ell - 20``: the low
  vertex loses its stability at ``ell = 20`` yuan/month;
- targeted reminders ``nu_eff = nu + (1 - nu)*nu_T*(1 - x_E)``: at ``x_E = 0``
  and ``nu = 0`` the worker's gain from enrolling is
  ``(a + (1 - a)*nu_T)*beta*B - lam*c*(1 + kappa*sigma) - h*(1 - nu_T)
  = 1008 + 672*nu_T - 1260 - 80 + 80*nu_T = 752*nu_T - 332``: threshold
  ``nu_T = 332/752``; at a vertex where every worker is enrolled
  (``x_E = 1``) the reminders are silent.

And at extended's low vertex (guide, formal, intermittent), where the share of
sharing platforms ``x_S`` and of continuously contributing workers ``x_C`` are
both 0 (defaults: omega = 0.5, gamma = 0.8, port = 0 so acc = 0.8 and
cov_I = omega*acc = 0.4; beta*B = 1680; cost_C = lam*c*(1 + kappa*sigma) =
1260, cost_I = lam*c = 840; h = 80):

- ladder ``ell*(1 - x_S)`` on both non-sharing strategies (formal and none):
  the platform's gain from sharing is
  ``(-k*c_p*omega - m + r) - (-(1 - chi)*m_F - p*R*(1 - theta_F)*(1 - cov_I) - ell)
  = (-180 - 60 + 20) - (-15 - 6 - ell) = ell - 199``; its gain from dropping
  cover (none) is ``(-q_eff*f - p*R*(1 - cov_I) - ell) - (-21 - ell) = -68 + 21 = -47``,
  unchanged, because formal and none pay the same ladder.  Threshold ``ell = 199``.
- reminders ``nu_eff = nu + (1 - nu)*nu_T*(1 - x_C)``: with ``nu = 0`` and
  ``x_C = 0``, ``nu_eff = nu_T``, ``a_eff = 0.75 + 0.25*nu_T`` and the hassle
  ``80*(1 - nu_T)``.  The worker's gain from contributing continuously instead
  of intermittently is ``a_eff*beta*B*(1 - cov_I) - cost_C + omega*cost_I
  - (1 - omega)*hassle = (756 + 252*nu_T) - 1260 + 420 - 40*(1 - nu_T)
  = 292*nu_T - 124``; from dropping out, ``-omega*(a_eff*beta*acc*B - cost_I - hassle)
  = -0.5*(1008 + 336*nu_T - 840 - 80 + 80*nu_T) = -44 - 208*nu_T``.
  Threshold ``nu_T = 124/292 = 31/73``.
- the high vertex (laissez_faire, share, continuous) has ``x_S = x_C = 1``:
  both levers are silent there, and it stays stable, so each threshold takes
  extended from bistable to "high only".
"""

from __future__ import annotations

import numpy as np
import pytest

import sympy as sp

from tripartite import load_model
from tripartite.dynamics.stability import vertex_stability
from tripartite.symbolic import vertex_eigenvalues
from tripartite.sweep.regime_changes import thresholds

LOW = (1, 1, 1)


@pytest.fixture(scope="module")
def baseline():
    return load_model("baseline")


def test_the_levers_default_to_zero_and_leave_the_static_game(baseline):
    assert baseline.parameter("ell").default == 0 and baseline.parameter("nu_T").default == 0
    assert baseline.static_at() and isinstance(baseline.game().payoffs, np.ndarray)
    assert not baseline.static_at({"ell": 1.0}) and baseline.game(nu_T=0.5).state_dependent
    assert vertex_stability(baseline.game()).label(0, LOW) == "asymptotically stable"


@pytest.mark.parametrize("ell", [0.0, 10.0, 25.0])
def test_ladder_moves_the_platform_eigenvalue_at_the_low_vertex(baseline, ell):
    eig = vertex_stability(baseline.game(ell=ell)).eigenvalues[(0, *LOW)]
    assert eig[1] == pytest.approx(ell - 20)
    assert eig[0] == pytest.approx(-36.5) and eig[2] == pytest.approx(
        -256.8 - (0.64 - 0.6) * 0.7 * 2400 + 72 - 80
    )


@pytest.mark.parametrize("nu_T", [0.0, 0.3, 0.6])
def test_targeted_reminders_move_the_worker_eigenvalue_only_where_workers_lapse(baseline, nu_T):
    vs = vertex_stability(baseline.game(nu_T=nu_T))
    assert vs.eigenvalues[(0, *LOW)][2] == pytest.approx(752 * nu_T - 332)
    static = vertex_stability(baseline.game())
    enrolled = (1, 1, 0)  # passive, shirk, enroll: x_E = 1, no reminder
    assert vs.eigenvalues[(0, *enrolled)][2] == pytest.approx(static.eigenvalues[(0, *enrolled)][2])


def test_thresholds_of_the_levers_are_the_hand_worked_ones(baseline):
    (ladder,) = thresholds(baseline, "ell")
    assert ladder.value == pytest.approx(20.0, abs=1e-8)
    assert (ladder.below, ladder.above) == ("low only", "no stable vertex")
    (reminders,) = thresholds(baseline, "nu_T")
    assert reminders.value == pytest.approx(332 / 752, abs=1e-8)
    assert (reminders.below, reminders.above) == ("low only", "no stable vertex")


# --- extended (3x3x3) ---

EXT_LOW = (1, 1, 1)  # guide, formal, intermittent
EXT_HIGH = (2, 0, 0)  # laissez_faire, share, continuous
EXT_LOW_STATIC = [-124.5, -20, -199, -47, -124, -44]  # the gains documented in extended.toml
EXT_HIGH_STATIC = [-272.5, -40, -65, -50, -128, -340]


@pytest.fixture(scope="module")
def extended():
    return load_model("extended")


def test_extended_levers_default_to_zero_and_leave_the_static_game(extended):
    assert extended.parameter("ell").default == 0 and extended.parameter("nu_T").default == 0
    assert extended.static_at() and isinstance(extended.game().payoffs, np.ndarray)
    assert not extended.static_at({"ell": 1.0}) and extended.game(nu_T=0.5).state_dependent
    assert vertex_stability(extended.game()).stable_profiles() == [EXT_LOW, EXT_HIGH]


def test_extended_symbolic_low_gains_are_the_hand_worked_ones(extended):
    gains = vertex_eigenvalues(extended)[EXT_LOW]
    s = extended.symbols
    defaults = {s[p.name]: sp.nsimplify(p.default) for p in extended.parameters if p.name not in ("ell", "nu_T")}
    ell, nu_T = s["ell"], s["nu_T"]
    hand = [sp.Rational(-249, 2), -20, ell - 199, -47, 292 * nu_T - 124, -208 * nu_T - 44]
    assert [sp.expand(g.subs(defaults) - h) for g, h in zip(gains, hand, strict=True)] == [0] * 6
    # silent at the high vertex: its gains do not mention the levers
    assert not any({ell, nu_T} & g.free_symbols for g in vertex_eigenvalues(extended)[EXT_HIGH])


@pytest.mark.parametrize(("ell", "stable"), [(0.0, True), (198.0, True), (200.0, False), (300.0, False)])
def test_extended_ladder_ends_the_low_equilibrium_at_199(extended, ell, stable):
    vs = vertex_stability(extended.game(ell=ell))
    expected = list(EXT_LOW_STATIC)
    expected[2] = ell - 199
    np.testing.assert_allclose(vs.eigenvalues[(0, *EXT_LOW)], expected, atol=1e-9)
    assert (vs.label(0, EXT_LOW) == "asymptotically stable") is stable
    assert vs.label(0, EXT_LOW) == ("asymptotically stable" if stable else "saddle")
    np.testing.assert_allclose(vs.eigenvalues[(0, *EXT_HIGH)], EXT_HIGH_STATIC, atol=1e-9)
    assert vs.label(0, EXT_HIGH) == "asymptotically stable"


@pytest.mark.parametrize("nu_T", [0.0, 0.42, 0.43, 1.0])
def test_extended_reminders_end_the_low_equilibrium_at_31_73(extended, nu_T):
    vs = vertex_stability(extended.game(nu_T=nu_T))
    expected = list(EXT_LOW_STATIC)
    expected[4], expected[5] = 292 * nu_T - 124, -44 - 208 * nu_T
    np.testing.assert_allclose(vs.eigenvalues[(0, *EXT_LOW)], expected, atol=1e-9)
    stable = nu_T < 31 / 73
    assert vs.label(0, EXT_LOW) == ("asymptotically stable" if stable else "saddle")
    np.testing.assert_allclose(vs.eigenvalues[(0, *EXT_HIGH)], EXT_HIGH_STATIC, atol=1e-9)
    assert vs.label(0, EXT_HIGH) == "asymptotically stable"


def test_extended_thresholds_of_the_levers_are_the_hand_worked_ones(extended):
    (ladder,) = thresholds(extended, "ell")
    assert ladder.value == pytest.approx(199.0, abs=1e-8)
    assert (ladder.below, ladder.above) == ("low and high (bistable)", "high only")
    (reminders,) = thresholds(extended, "nu_T")
    assert reminders.value == pytest.approx(124 / 292, abs=1e-8)
    assert (reminders.below, reminders.above) == ("low and high (bistable)", "high only")
