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

The same levers in ``extended`` (3x3x3), derived by hand the same way, are
tested in ``test_extended.py`` (which shares its model instance with them).
"""

from __future__ import annotations

import numpy as np
import pytest

from tripartite import load_model
from tripartite.dynamics.stability import vertex_stability
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
