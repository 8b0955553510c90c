"""Least-cost packages with nonlinear conditions: certified global optima against brute-force grids,
and every printed package stable when re-solved (issue 13, item 5)."""

from __future__ import annotations

import numpy as np
import pytest

from tripartite import load_model
from tripartite.solution import solve
from tripartite.sweep import least_cost_package
from tripartite.sweep.regimes import classify_points, parse_profile

CASES = [
    # model, target, weights: lam*c*(1 + kappa*sigma*(1 - phi)) is bilinear in (c, phi);
    # extended's awareness times accrual, (a + (1 - a)*nu)*(gamma + (1 - gamma)*port), in (nu, port)
    ("baseline", "passive/shirk/enroll", {"c": 1.0, "phi": 100.0, "nu": 150.0}),
    ("extended", "high", {"nu": 100.0, "port": 100.0}),
    # three levers on extended: the contribution's elasticity phi joins them (phi alone wins)
    ("extended", "high", {"nu": 100.0, "port": 100.0, "phi": 50.0}),
]
GRIDS = {
    "c": np.linspace(400, 700, 61),
    "phi": np.linspace(0, 1, 101),
    "nu": np.linspace(0, 1, 101),
    "port": np.linspace(0, 1, 201),
}


#: Coarser axes for three levers (the grid has the product of their sizes)
GRIDS_3 = {"nu": np.linspace(0, 1, 26), "port": np.linspace(0, 1, 26), "phi": np.linspace(0, 1, 101)}


def _axes(weights):
    return GRIDS_3 if set(weights) == set(GRIDS_3) else GRIDS


def cheapest_on_grid(model, weights, target, mu):
    """The cheapest grid point (weighted change) where the target is the only stable vertex with
    margin ``mu``: its largest eigenvalue at most -mu, every other vertex's at least mu."""
    names = list(weights)
    mesh = np.meshgrid(*[_axes(weights)[n] for n in names], indexing="ij")
    values = {n: m.ravel() for n, m in zip(names, mesh)}
    reg = classify_points(model, values)
    t = reg.profiles.index(target)
    only = (reg.margin[t] <= -mu) & np.all(np.delete(reg.margin, t, axis=0) >= mu, axis=0)
    defaults = model.defaults()
    cost = sum(weights[n] * np.abs(values[n] - defaults[n]) for n in names)
    return (float(cost[only].min()) if only.any() else None), int(only.sum())


@pytest.mark.slow
@pytest.mark.parametrize(("name", "target", "weights"), CASES, ids=[f"{c[0]}-{len(c[2])}" for c in CASES])
def test_certified_packages_are_never_dearer_than_the_best_grid_point(name, target, weights):
    model = load_model(name)
    pkg = least_cost_package(model, target, list(weights), costs=weights, trajectories=False)
    best, count = cheapest_on_grid(model, weights, parse_profile(model, target), pkg.margin)
    assert count > 0 and pkg.feasible  # never infeasible where the grid finds a point
    assert pkg.optimality.startswith("global") and pkg.verified
    assert pkg.cost <= best + 1e-6  # never dearer than the best grid point
    steps = sum(w * (_axes(weights)[n][1] - _axes(weights)[n][0]) for n, w in weights.items())
    assert best <= pkg.cost + steps  # and the grid gets within one step per lever of it


@pytest.mark.slow
def test_the_c_phi_case_is_exact():
    # phi alone to 83/105 costs 100 * 83/105 = 79.05; lowering c alone costs 184.44: the global
    # optimum is phi alone, rounded away from 0 (6 significant digits) to keep the margin
    pkg = least_cost_package(
        load_model("baseline"),
        "passive/shirk/enroll",
        ["c", "phi"],
        costs={"c": 1, "phi": 100},
        margin=1e-9,
        tol=1e-12,
    )
    assert pkg.package == {"c": 700.0, "phi": 0.790477}
    assert pkg.cost == pytest.approx(100 * 83 / 105, abs=1e-4) and pkg.optimality.startswith("global")


@pytest.mark.slow
@pytest.mark.parametrize(
    ("target", "levers", "costs"),
    [
        ("high", ["k", "nu"], None),
        ("high", ["r", "nu", "c", "phi"], None),
        ("passive/shirk/enroll", ["c", "phi"], {"c": 1.0, "phi": 100.0}),
        ("high", None, None),  # the default levers: 12 enter the conditions, a local search
    ],
)
def test_every_printed_package_is_stable_when_re_solved(target, levers, costs):
    from tripartite.cli.escape import _package_lines

    model = load_model("baseline")
    default = levers is None  # the package `tripartite escape baseline` prints
    pkg = least_cost_package(model, target, levers, costs=costs, trajectories=default).to_record()
    assert pkg["verified"] and pkg["achieved_margin"] >= pkg["margin"]
    # a margin in payoff units that means something: 1 % of the largest range of one player's payoffs
    u = model.game().payoffs[0]
    assert pkg["margin"] == pytest.approx(0.01 * max(float(u[i].max() - u[i].min()) for i in range(3)))
    text = "\n".join(_package_lines(pkg))
    for lever in pkg["changes"]:  # the text prints every digit of the values re-solved here
        assert f" {pkg['package'][lever]:.12g} " in text, lever
    # the values as printed (the JSON record), re-solved as a user would with `solve --set`
    record = solve(model, pkg["package"]).to_record()
    stable = [r["profile"] for r in record["rest_points"] if r["classification"] == "asymptotically stable"]
    prof = parse_profile(model, target)
    assert stable == [model.profile_names(prof)]
    slack = pkg["margin"] * (1 - 1e-6)
    for other in model.profiles():  # the target at most -margin, every other vertex at least +margin
        vertex = next(r for r in record["rest_points"] if r["profile"] == model.profile_names(other))
        top = max(re for re, _ in vertex["eigenvalues"])
        assert top <= -slack if other == prof else top >= slack, other
    if default:  # safely inside: from the status quo the dynamics reach the target at these values
        assert pkg["from_status_quo"] == "high"


@pytest.mark.slow
def test_the_default_extended_package_is_stable_when_re_solved():
    model = load_model("extended")
    pkg = least_cost_package(model, "high", trajectories=False)
    assert pkg.feasible and pkg.verified and pkg.optimality.startswith("local")
    assert pkg.achieved_margin >= pkg.margin and pkg.margin == pytest.approx(0.01 * pkg.payoff_scale)
    reg = classify_points(model, {**model.defaults(), **pkg.package})
    assert reg.names_of(reg.stable[0]) == ["high"] and not reg.boundary[0]
    # every vertex's largest eigenvalue: the target's at most -margin, every other's at least +margin
    t = reg.profiles.index(parse_profile(model, "high"))
    slack = pkg.margin * (1 - 1e-6)
    assert reg.margin[t, 0] <= -slack and np.all(np.delete(reg.margin[:, 0], t) >= slack)


@pytest.mark.slow
def test_polynomial_conditions_are_evaluated_exactly():
    # the numeric evaluation and Jacobian of the SLSQP search against sympy, on baseline's eigenvalues
    import sympy as sp

    from tripartite.sweep.levers import current_values, fixed_eigenvalues
    from tripartite.sweep.package import _GlobalSolver, _PolyStack

    model = load_model("baseline")
    levers = ["c", "phi", "f", "q", "d", "rho"]  # the bilinear and trilinear terms
    syms = [model.symbols[n] for n in levers]
    exprs = [e for es in fixed_eigenvalues(model, current_values(model, None), levers).values() for e in es]
    stack = _PolyStack([_GlobalSolver.polynomial(e, syms) for e in exprs], len(syms))
    rng = np.random.default_rng(3)
    points = rng.uniform(-2, 3, size=(20, len(syms)))
    points[0, :] = 0.0
    f = sp.lambdify([syms], exprs)
    jac = sp.lambdify([syms], sp.Matrix(exprs).jacobian(syms))
    want = np.array([[float(v) for v in f(x)] for x in points])
    assert np.allclose(stack.values(points), want, rtol=1e-12, atol=1e-9)  # many points at once
    assert np.allclose(stack.values(points[:2]), want[:2], rtol=1e-12, atol=1e-9)  # a few
    for x in points[:4]:
        assert np.allclose(stack.jacobian(x), np.asarray(jac(x), dtype=float), rtol=1e-12, atol=1e-9)


@pytest.mark.slow
def test_a_lever_outside_the_conditions_stays_where_it_is():
    # theta enters no eigenvalue: the search leaves it at its value and finds the package of r, nu
    model = load_model("baseline")
    costs = {"r": 1.0, "nu": 100.0}
    with_theta = least_cost_package(model, "high", ["theta", "r", "nu"], costs={**costs, "theta": 1.0})
    without = least_cost_package(model, "high", ["r", "nu"], costs=costs)
    assert with_theta.package["theta"] == model.defaults()["theta"] and "theta" not in with_theta.changes
    assert with_theta.changes == without.changes and with_theta.cost == without.cost
    assert with_theta.verified and with_theta.levers == ("theta", "r", "nu")


def test_the_blas_thread_count_is_restored():
    from tripartite.sweep.package import _one_blas_thread, _openblas_controls

    before = [get() for get, _ in _openblas_controls()]
    with _one_blas_thread():
        assert all(get() == 1 for get, _ in _openblas_controls())
    assert [get() for get, _ in _openblas_controls()] == before
