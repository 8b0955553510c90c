"""Jupyter displays of the result objects show their content: hand-worked cells, not just HTML.

Baseline numbers used below (defaults; MODEL.md): at the low vertex
(passive, shirk, lapse) the government's gain from going active is
K + f (d (1 - q) + q) - C (1 - d rho) = 50 + 56 - 142.5 = -36.5, the platform's
gain from sharing is R p + r - m = 20 + 20 - 60 = -20, and the worker's gain from
enrolling is B beta (a + nu (1 - a)) - c lam (kappa sigma (1 - phi) + 1) - h (1 - nu)
= -332 + 752 nu, which vanishes at nu = 83/188 and is +44 at nu = 1/2.
"""

from __future__ import annotations

import html
import math
import pickle
import re

import numpy as np
import pytest
import sympy as sp

import tripartite as tp
from tripartite.game import Game
from tripartite.io.latex import latex_symbols
from tripartite.scenario import read_scenario
from tripartite.sweep import classify_points, grid, sample, sweep
from tripartite.sweep.escape import ESCAPE_COLUMNS


def cells(text):
    """The ``<td>`` cells of an HTML table, unescaped."""
    return [html.unescape(c) for c in re.findall(r"<td>(.*?)</td>", text)]


def fields(text):
    """The ``<th>name</th><td>value</td>`` rows of a record table, unescaped."""
    return {
        html.unescape(k): html.unescape(v) for k, v in re.findall(r"<th>([^<]*)</th><td>([^<]*)</td>", text)
    }


def row_after(c, label, n, start=0):
    i = c.index(label, start)
    return c[i + 1 : i + 1 + n]


@pytest.fixture(scope="module")
def model():
    return tp.load_model("baseline")


@pytest.fixture(scope="module")
def at_half(model):
    return tp.stability_table(model, {"nu": 0.5})


# --- symbolic ------------------------------------------------------------------------------------


def test_stability_table_html_rows_are_the_hand_worked_eigenvalues(at_half):
    c = cells(at_half._repr_html_())
    low = row_after(c, "E8 (passive, shirk, lapse)", 8)
    assert low[0] == "depends" and low[1] == "government to active"
    assert low[2].startswith("$K + f") and low[2].endswith("$")
    assert low[4:] == ["depends", "-73/2", "-", "saddle"]
    e8 = c.index("E8 (passive, shirk, lapse)")
    platform = row_after(c, "platform to share", 6, e8)
    assert platform[:5] == ["$R p + \\ell + r - m$", "$R p + \\ell + r < m$", "depends", "-20", "-"]
    worker = c[c.index("worker to enroll", e8) :]
    assert worker[4:6] == ["44", "+"]
    assert "\\beta" in worker[1] and "\\nu" in worker[1]  # typeset as in the LaTeX tables
    assert "baseline: stability of every vertex at defaults except nu=0.5" in at_half._repr_html_()
    assert "only the vertices are rest points" in c


def test_stability_table_repr_and_classification(at_half, model):
    assert repr(at_half) == (
        "<StabilityTable of 'baseline' at defaults except nu=0.5: 8 vertices, "
        "asymptotically stable: (passive, shirk, enroll)>"
    )
    assert at_half.classification((1, 1, 1)) == "saddle"
    assert at_half.stable_profiles() == [(1, 1, 0)]
    assert repr(tp.stability_table(model)).endswith("asymptotically stable: (passive, shirk, lapse)>")


@pytest.mark.slow
def test_stability_table_renderings_are_the_cli_ones(at_half, cli):
    code, out, _ = cli("stability", "--set", "nu=0.5", "--format", "markdown")
    assert code == 0 and out == at_half.to_markdown() + "\n"
    code, out, _ = cli("stability", "--set", "nu=0.5", "--format", "latex", "--fragment")
    assert out == at_half.to_latex() + "\n" and at_half._repr_latex_() == at_half.to_latex()
    code, out, _ = cli("stability", "--set", "nu=0.5")
    assert out == at_half.to_text() + "\n"
    assert at_half.to_latex(fragment=False).startswith("\\documentclass")
    assert "\\rho" in at_half.to_latex() and "$- \\frac{73}{2}$" in at_half.to_latex()
    assert at_half.record["vertices"][7]["eigenvalues"][2]["exact"] == "44"


def test_stability_table_rest_points_at_a_centre(model):
    table = tp.stability_table(model, {"K": 300, "f": 1000})
    text = table._repr_html_()
    c = cells(text)
    i = c.index("face")
    assert c[i + 1] == "government, platform"
    assert c[i + 2] == "government: active 10/31; platform: share 15/124; worker: enroll 1"
    assert c[i + 3] == "non-hyperbolic" and "centre" in c[i + 4]
    # the state shown is a rest point: both mixing players' payoff differences vanish there
    eq = table.equations
    subs = {**dict(zip(eq.states, (sp.Rational(10, 31), sp.Rational(15, 124), 1)))}
    subs.update({model.symbols[k]: v for k, v in {"K": 300, "f": 1000}.items()})
    params = {model.symbols[p.name]: sp.nsimplify(p.default) for p in model.parameters if p.name not in "Kf"}
    for i in (0, 1):
        assert sp.simplify(eq.differences[i].xreplace(subs).xreplace(params)) == 0


def test_stability_table_of_a_three_strategy_game_has_no_rest_point_table():
    rps = read_scenario(
        '[players]\nrow = ["rock", "paper", "scissors"]\ncol = ["a", "b"]\n[payoffs]\n'
        + "\n".join(f'"{r}, {c}" = [1, 1]' for r in ("rock", "paper", "scissors") for c in "ab")
    )
    table = tp.stability_table(rps)
    assert table.rest_points is None and "rest points on edges" not in table._repr_html_()
    assert cells(table._repr_html_()).count("non-hyperbolic") == 6


def test_stability_table_bad_tolerance(model):
    with pytest.raises(tp.TripartiteError, match="tol must be a non-negative number"):
        tp.stability_table(model, tol=-1)


def test_replicator_equations_latex_and_html(model):
    eq = tp.replicator_equations(model)
    latex = eq._repr_latex_()
    assert latex.startswith("$$\\begin{aligned}\n\\dot{x}_{1} &= x_{1} \\left(1 - x_{1}\\right)")
    assert latex.endswith("\\end{aligned}$$") and latex.count("&=") == 3 and latex.count("\\\\\n") == 2
    c = cells(eq._repr_html_())
    assert c[3:5] == ["x2", "share of platform playing share"]
    pi_e = latex_symbols(model)[model.symbols["pi_E"]]
    assert (
        c[5].startswith("$\\dot{x}_{2} = ")
        and pi_e in c[5]
        and "R p + \\ell \\left(1 - x_{2}\\right) + r" in c[5]
    )
    assert repr(eq) == "<ReplicatorEquations of 'baseline': 3 states (x1, x2, x3)>"


def test_vertex_analysis_repr_and_html(model):
    analysis = tp.vertex_analysis(model)
    low = analysis[(1, 1, 1)]
    assert repr(low) == "<VertexAnalysis (passive, shirk, lapse): 3 eigenvalues, can be stable: depends>"
    assert low.model is model
    c = cells(low._repr_html_())
    assert row_after(c, "platform to share", 3) == [
        "$R p + \\ell + r - m$",
        "$R p + \\ell + r < m$",
        "depends",
    ]
    assert repr(low.conditions[1]) == "<Condition R*p + ell + r < m [depends]>"
    assert "never" in repr(analysis[(0, 0, 0)])
    # a pickled copy equals the original, and without its model names deviations generically
    copy = pickle.loads(pickle.dumps(low))
    assert copy == low and copy.model is None
    assert row_after(cells(copy._repr_html_()), "player 2 to strategy 1", 1) == ["$R p + \\ell + r - m$"]


@pytest.mark.slow
def test_rest_point_repr_and_html(model):
    face = tp.rest_points(model, at={"K": 300, "f": 1000})[0]
    assert repr(face) == (
        "<RestPoint face (government, platform mixing) at (10/31, 15/124, 1): non-hyperbolic>"
    )
    text = face._repr_html_()
    assert row_after(cells(text), "government", 2) == ["mixing", "share of active: $\\frac{10}{31}$"]
    facts = fields(text)
    assert facts["eigenvalues"].startswith("$\\frac{8662}{31}$")
    assert "47.2549i" in facts["eigenvalues (numeric)"]
    # symbolic rest points need payoffs that ignore the state (baseline's do not: its levers ell, nu_T are
    # symbols); a static game with an edge continuum that exists only where a = b
    static = tp.read_scenario(
        """
[players]
row = ["up", "down"]
col = ["left", "right"]
[parameters]
a = 1
b = 2
[payoffs]
"up, left" = ["a", "1"]
"up, right" = ["0", "0"]
"down, left" = ["b", "0"]
"down, right" = ["0", "1"]
""",
        "static.toml",
    )
    edge = tp.rest_points(static)[0]  # symbolic: a continuum that exists only on a hypersurface
    assert repr(edge) == "<RestPoint edge (row mixing) at (x1, 1): never asymptotically stable>"
    assert fields(edge._repr_html_())["exists where"] == "$a - b = 0$"


def test_critical_value_repr_and_html(model):
    low = [c for c in tp.critical_values(model, "m", at={}) if c.profile == (1, 1, 1)]
    assert len(low) == 1
    assert repr(low[0]) == (
        "<CriticalValue m = 40 at (passive, shirk, lapse), platform to share; "
        "negative above (vertex stability changes)>"
    )
    assert cells(low[0]._repr_html_()) == [
        "passive, shirk, lapse",
        "platform to share",
        "$m = R p + \\ell + r$",
        "$40$",
        "above (vertex stability changes)",
    ]


# --- sweeps --------------------------------------------------------------------------------------


def test_sweep_result_counts_and_provenance(model):
    result = sweep(model, grid(model, {"nu": "0:1:5"}))
    text = result._repr_html_()
    c = cells(text)
    # nu = 0, 0.25 lie below 83/188: low only; 0.5, 0.75, 1 above it
    assert c[:6] == ["passive/shirk/enroll only", "3", "60.0%", "low only", "2", "40.0%"]
    facts = fields(text)
    assert facts["model"] == f"baseline (hash {model.hash})"
    assert facts["design"] == "grid: nu 0:1:5 (5 values)"
    assert (
        facts["tripartite"] == tp.__version__
        and facts["tolerance"] == "1e-09 relative to the payoff scale at each point"
    )
    assert repr(result) == (
        "<SweepResult of 'baseline': 5 points over nu; passive/shirk/enroll only 3, low only 2>"
    )


def test_design_html(model):
    c = cells(grid(model, {"nu": "0:1:5", "phi": [0, 1]})._repr_html_())
    assert c == ["nu", "5", "0", "1", "0:1:5", "phi", "2", "0", "1", "0,1"]
    text = sample(model, {"nu": "0:0.5", "k": "0.2:1"}, 16, method="sobol", seed=3)._repr_html_()
    assert "sample design (sobol, seed 3): 16 points" in text
    assert cells(text) == ["nu", "0", "0.5", "k", "0.2", "1"]


def test_regimes_html_per_point_and_in_counts(model):
    reg = classify_points(model, {"k": 0.3, "nu": [0.0, 0.3, 0.6]})
    assert cells(reg._repr_html_()) == [
        "0", "low only", "low", "low",
        "1", "low and high (bistable)", "low; high", "low; high",
        "2", "high only", "high", "high",
    ]  # fmt: skip
    assert repr(reg) == "<Regimes at 3 points: high only 1, low only 1, low and high (bistable) 1>"
    many = classify_points(model, {"nu": np.linspace(0, 1, 41)})
    c = cells(many._repr_html_())
    below = sum(v < 83 / 188 for v in np.linspace(0, 1, 41))  # 18 points
    assert row_after(c, "low only", 2) == [str(below), f"{100 * below / 41:.1f}%"]
    assert row_after(c, "low", 1) == [str(below)]


def test_threshold_repr_and_html(model):
    t = tp.thresholds(model, "nu")[0]
    assert repr(t) == "<Threshold nu = 83/188 = 0.441489: low only -> passive/shirk/enroll only>"
    facts = fields(t._repr_html_())
    assert facts["value"] == "83/188 = 0.441489"
    assert facts["regime below"] == "low only" and facts["regime above"] == "passive/shirk/enroll only"
    assert facts["conditions"].startswith("worker's gain from lapse -> enroll at low")
    assert facts["tolerance"] == "0"


@pytest.fixture(scope="module")
def escapes(model):
    return tp.single_lever_escapes(model, ["m", "nu", "V_E"])


def test_lever_escape_repr_and_html(escapes):
    m, nu, v_e = escapes
    # the platform's gain R p + r - m reaches 0 at m = 40: 20 below the default 60
    assert repr(m) == "<LeverEscape m: 60 -> 40 (-20 (-33%)), then passive/share/lapse only>"
    facts = fields(nu._repr_html_())
    assert facts["threshold"] == "83/188 = 0.441489" and facts["now"] == "0"
    assert facts["condition that fails"] == "worker's gain from lapse -> enroll at low reaches 0"
    assert facts["from low the dynamics go to"] == "passive/shirk/enroll"
    assert repr(v_e).startswith("<LeverEscape V_E: no escape (V_E does not enter")
    assert fields(v_e._repr_html_())["escapes"] == "no"


def test_escapes_table(escapes):
    table = tp.escapes_table(escapes)
    assert list(table.index) == ["m", "nu", "V_E"] and tuple(table.columns) == ESCAPE_COLUMNS
    assert table.loc["m", "exact"] == "40" and table.loc["m", "change"] == -20
    assert table.loc["nu", "threshold"] == pytest.approx(83 / 188)
    assert table.loc["nu", "stable_after"] == "passive/shirk/enroll"
    assert not table.loc["V_E", "escapes"] and "does not enter" in table.loc["V_E", "note"]
    assert tp.escapes_table([]).empty


def test_escape_package_html_feasible_and_infeasible(model):
    pkg = tp.least_cost_package(
        model, "high", ["k", "nu"], costs={"k": 1, "nu": 1}, margin=1e-9, tol=1e-12, trajectories=False
    )
    text = pkg._repr_html_()
    # high needs nu > 83/188 (end low) and k < 260/720 (the platform shares at passive/shirk/enroll)
    assert cells(text)[:10] == [
        "k",
        "0.5",
        "0.361111",
        "-0.138889",
        "1",
        "nu",
        "0",
        "0.44149",
        "+0.44149",
        "1",
    ]
    facts = fields(text)
    assert facts["feasible"] == "yes" and facts["verified"] == "yes" and facts["optimality"] == "global"
    assert (
        facts["cost"] == "0.580379 weighted change (given weights)"
        and facts["stable at the package"] == "high"
    )
    assert repr(pkg) == (
        "<EscapePackage to high: k -0.1389, nu +0.4415; cost 0.580379, global optimum, verified>"
    )
    stuck = tp.least_cost_package(model, "high", ["nu"], trajectories=False)
    facts = fields(stuck._repr_html_())
    assert facts["feasible"] == "no"
    assert facts["binding condition"] == "platform's gain from share -> shirk at high < 0"
    assert (
        repr(stuck) == "<EscapePackage to high: infeasible (platform's gain from share -> shirk at high < 0)>"
    )


# --- dynamics ------------------------------------------------------------------------------------

COORDINATION = Game.from_array(np.array([[[1, 0], [0, 1]], [[1, 0], [0, 1]]], dtype=float))


def test_rest_point_stability_html(model):
    # the low vertex along nu: the worker's gain -332 + 752 nu is -332, 44 and 420 at nu = 0, 1/2, 1
    res = tp.rest_point_stability(model.game(nu=np.array([0.0, 0.5, 1.0])), [np.array([0.0, 1.0])] * 3)
    c = cells(res._repr_html_())
    assert c[:5] == ["0", "0, 1; 0, 1; 0, 1", "-36.5, -20, -332", "0", "asymptotically stable"]
    assert c[5:15:5] == ["1", "2"] and c[7] == "-36.5, -20, 44" and c[12] == "-36.5, -20, 420"
    assert repr(res) == "<RestPointStability at 3 points: asymptotically stable 1, saddle 2>"
    pennies = Game.from_array(np.array([[[1, -1], [-1, 1]], [[-1, 1], [1, -1]]], dtype=float))
    centre = tp.rest_point_stability(pennies, [np.array([0.5, 0.5])] * 2)
    assert cells(centre._repr_html_())[2:] == ["0 + 1i, 0 - 1i", "0", "non-hyperbolic"]
    assert repr(centre) == "<RestPointStability: non-hyperbolic (residual 0)>"


def test_batch_trajectories_html(model):
    game = model.game()
    x0 = [np.array([[0.3, 0.7], [0.9, 0.1]]), np.array([0.2, 0.8]), np.array([0.3, 0.7])]
    res = tp.integrate_batch(game, x0, t_max=50.0)
    c = cells(res._repr_html_())
    assert c[:6] == ["vertex", "2", "100.0%", "rest point", "0", "0.0%"]
    assert row_after(c, "passive, shirk, lapse", 2) == ["2", str(int(res.certified.sum()))]
    unnamed = tp.integrate_batch(game.payoffs, x0, t_max=50.0)
    assert "(1, 1, 1)" in cells(unnamed._repr_html_())


def test_basins_html(model):
    b = tp.basins(model.game(), samples=200)
    c = cells(b._repr_html_())
    # every state converges to the low vertex: Wilson's lower bound 1 / (1 + z^2 / n)
    lower = 1 / (1 + 1.959963984540054**2 / 200)
    assert row_after(c, "passive, shirk, lapse", 3) == ["1.000", f"[{lower:.3f}, 1.000]", "200"]
    assert row_after(c, "not converged (cycling or still moving)", 2)[0] == "0.000"
    assert "200 initial states (uniform, seed 0; 0.95 wilson intervals)" in b._repr_html_()
    both = tp.basins(COORDINATION, samples=400, seed=1)
    c = cells(both._repr_html_())
    for entry in both.stable:
        assert row_after(c, ", ".join(entry.strategies.values()), 3) == [
            f"{entry.share:.3f}",
            f"[{entry.low:.3f}, {entry.high:.3f}]",
            str(entry.count),
        ]


def test_basins_html_on_a_grid():
    dominant = Game.from_array(np.array([[[2, 2], [0, 0]], [[1, 0], [1, 0]]], dtype=float))
    c = cells(tp.basins(dominant, grid=4)._repr_html_())
    assert row_after(c, "s1, s1", 3) == ["1.000", "exact share of the grid", "9"]


def test_push_threshold_html():
    push = tp.push_threshold(COORDINATION, [[0.2, 0.8], [0.2, 0.8]], (0, 0))
    text = push._repr_html_()
    facts = fields(text)
    # the separatrix x + y = 1: 0.4 + 1.6 alpha = 1 at alpha = 3/8
    assert abs(push.alpha - 0.375) < 1e-3
    assert facts["push needed"].startswith(f"alpha = {push.alpha:.4g} of the way")
    assert facts["every larger push scanned also works"] == "yes"
    row = row_after(cells(text), "P1", 4)
    assert row[:2] == ["s1 0.2, s2 0.8", "s1 1, s2 0"]
    assert float(row[3]) == pytest.approx(0.3, abs=1e-3)  # from 0.2 to 0.5: 30 % switch


# --- QRE and behaviour ---------------------------------------------------------------------------


def test_logit_branch_html():
    g = Game.from_array(np.array([[[2, 0], [0, 1]], [[2, 0], [0, 1]]], dtype=float))
    branch = tp.logit_branch(g)
    text = branch._repr_html_()
    c = cells(text)
    # the centroid: s1 earns 2 * 0.5 = 1 against 0.75 on average, a regret of 0.25
    assert c[:4] == ["0", "s1 0.5, s2 0.5", "s1 0.5, s2 0.5", "0.25"]
    assert row_after(c, "Nash limit", 3) == ["s1 1, s2 0", "s1 1, s2 0", "0"]
    assert fields(text)["Nash limit verified"].startswith("yes (regret 0")
    assert repr(branch).endswith("Nash limit verified (regret 0)>")


def test_qre_point_repr_and_html():
    g = Game.from_array(np.array([[[2, 0], [0, 1]], [[2, 0], [0, 1]]], dtype=float))
    (point,) = tp.logit_qre(g, [1.0])
    c = cells(point._repr_html_())
    assert c[0] == "P1"
    x = float(re.match(r"s1 ([0-9.]+), s2", c[1]).group(1))
    # the logit fixed point of the symmetric game: x = e^{2x} / (e^{2x} + e^{1 - x})
    assert x == pytest.approx(math.exp(2 * x) / (math.exp(2 * x) + math.exp(1 - x)), abs=1e-4)
    assert repr(point).startswith("<QREPoint lambda=1: s1 0.8042, s2 0.1958; s1 0.8042, s2 0.1958")


def test_prospect_theory_html_and_latex():
    pt = tp.ProspectTheory()
    c = cells(pt._repr_html_())
    assert c[:2] == ["alpha", "0.88"] and row_after(c, "loss aversion (lambda)", 1) == ["2.25"]
    assert pt._repr_latex_() == (
        "$$v(u) = \\begin{cases} u^{0.88} & u \\ge 0 \\\\ -2.25\\, (-u)^{0.88} & u < 0 \\end{cases}$$"
    )
    shifted = tp.ProspectTheory(alpha=0.5, reference=-5)._repr_latex_()
    assert "(u + 5)^{0.5} & u \\ge -5" in shifted and "(-5 - u)^{0.88}" in shifted
    assert repr(pt) == "ProspectTheory(alpha=0.88, beta=0.88, loss_aversion=2.25, reference=0.0)"


def test_names_are_escaped_in_symbolic_tables():
    game = read_scenario(
        '[players]\n"<b>" = ["x&y", "<i>"]\ncol = ["a", "b"]\n[parameters]\nw = 1\n[payoffs]\n'
        '"x&y, a" = ["w", "1"]\n"x&y, b" = ["0", "0"]\n"<i>, a" = ["0", "0"]\n"<i>, b" = ["1", "w"]\n'
    )
    text = tp.stability_table(game)._repr_html_()
    assert "<i>" not in text and "&lt;i&gt;" in text and "x&amp;y" in text
    assert "<b> to" not in text and "&lt;b&gt; to &lt;i&gt;" in text
