"""Sweep figures: what the regime map and the stability diagram draw."""

import numpy as np
import pytest
from matplotlib.collections import QuadMesh

from tripartite import load_model
from tripartite.errors import TripartiteError
from tripartite.plot import regime_map, stability_diagram
from tripartite.sweep import grid, sample, sweep, thresholds


@pytest.fixture(scope="module")
def model():
    return load_model("baseline")


@pytest.fixture(scope="module")
def table(model):
    return sweep(model, grid(model, {"nu": "0:1:41", "k": "0:1:41"}), values={"phi": 0.2}).table


def test_regime_map_cells_legend_and_stability_lines(model, table):
    fig = regime_map(table, "nu", "k", model=model, values={"phi": 0.2})
    ax = fig.axes[0]
    mesh = [c for c in ax.collections if isinstance(c, QuadMesh)]
    assert len(mesh) == 1 and mesh[0].get_array().shape == (41, 41)
    assert mesh[0].get_rasterized()  # one image in a PDF/SVG: no seams between the cells
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert labels[:3] == ["low only", "high only", "low and high (bistable)"]
    # one line per vertex whose stability changes in the window: low (nu = 31/94 at phi = 0.2), high, ...
    assert "low: stability changes" in labels and "high: stability changes" in labels
    # description (when short), symbol, unit
    assert ax.get_xlabel() == "nudge strength $\\nu$ (index)" and ax.get_ylabel() == "$k$ (share)"


def test_regime_map_of_a_sample_is_a_scatter(model):
    t = sweep(model, sample(model, {"nu": (0, 1), "k": (0, 1)}, 64)).table
    fig = regime_map(t, "nu", "k")
    assert len(fig.axes[0].collections) == 1 and len(fig.axes[0].collections[0].get_offsets()) == 64


def test_stability_diagram_bars_and_thresholds(model):
    t = sweep(model, grid(model, {"nu": "0:1:101"})).table
    found = thresholds(model, "nu")
    fig = stability_diagram(t, "nu", thresholds=found, model=model)
    ax = fig.axes[0]
    assert [x.get_text() for x in ax.get_yticklabels()] == ["low", "passive/shirk/enroll"]
    bars = {round(p.get_y() + p.get_height() / 2): (p.get_x(), p.get_x() + p.get_width()) for p in ax.patches}
    assert bars[0][0] == 0 and bars[0][1] == pytest.approx(0.445, abs=0.006)  # low stable below 83/188
    assert bars[1][1] == 1
    assert any(np.allclose(line.get_xdata(), 83 / 188) for line in ax.get_lines())
    assert "$\\nu$ = 83/188" in [t.get_text() for t in ax.texts]  # the declared symbol


def test_missing_columns_are_named(table):
    with pytest.raises(TripartiteError, match="no column 'zz'"):
        regime_map(table, "nu", "zz")


UNDEFINED = """
[players]
row = ["up", "down"]
col = ["left", "right"]
[parameters]
a = { value = 1, min = -1, max = 2 }
b = { value = 1, min = -1, max = 2 }
[payoffs]
"up, left" = ["log(a)", "b"]
"up, right" = ["0", "1"]
"down, left" = ["1", "0"]
"down, right" = ["b", "sqrt(b)"]
"""


def test_undefined_points_are_one_hatched_labelled_colour(tmp_path):
    """Rows marked invalid (two different reasons here) are drawn as one hatched colour, named in en and zh."""
    from matplotlib.collections import PolyCollection

    from tripartite.scenario import read_scenario

    m = read_scenario(UNDEFINED)
    t = sweep(m, grid(m, {"a": "-1:2:4", "b": "-1:2:4"})).table  # a, b in {-1, 0, 1, 2}
    assert t["regime"].astype(str).str.startswith("invalid:").sum() == 10
    assert t["regime"].astype(str).nunique() >= 3  # the log(a) and the sqrt(b) reasons differ
    fig = regime_map(t, "a", "b", lang="zh")
    ax = fig.axes[0]
    labels = [x.get_text() for x in ax.get_legend().get_texts()]
    assert labels.count("无效（收益无定义）") == 1 and not any("invalid" in x for x in labels)
    # by hand: log(a) is undefined for a <= 0, sqrt(b) for b < 0
    a, b = np.meshgrid([-1, 0, 1, 2], [-1, 0, 1, 2])
    hatched = [c for c in ax.collections if isinstance(c, PolyCollection) and c.get_hatch()]
    assert len(hatched) == 1 and len(hatched[0].get_paths()) == int(((a <= 0) | (b < 0)).sum())
    centres = np.array([p.vertices[:4].mean(axis=0) for p in hatched[0].get_paths()])
    assert all(x <= 0 or y < 0 for x, y in centres)
    line = t[t["b"] == 1]  # along a: invalid for a <= 0
    ax = stability_diagram(line, "a", lang="en").axes[0]
    assert [x.get_text() for x in ax.get_legend().get_texts()] == ["invalid (payoff undefined)"]
    spans = ax.patches
    hatched = [p for p in spans if p.get_hatch()]
    assert len(hatched) == 1
    x0, x1 = hatched[0].get_x(), hatched[0].get_x() + hatched[0].get_width()
    assert (x0, x1) == pytest.approx((-1, 0.5))  # out to the midpoint with a = 1
