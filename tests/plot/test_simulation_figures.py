"""The three simulation figures: lines told apart, stable vertices marked, Chinese names without missing glyphs."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from matplotlib.colors import to_hex

from tests.cjk_scenario import write_chinese_baseline
from tripartite import load_model
from tripartite.dynamics.stability import vertex_stability
from tripartite.errors import TripartiteError
from tripartite.plot import fonts, save_figure
from tripartite.plot.simulation import (
    plot_sensitivity,
    plot_simulation_cube,
    plot_simulation_paths,
    time_window,
)
from tripartite.simulation import simulate

GLYPH = "missing from font"
BISTABLE = {"nu": 0.25, "k": 0.2}
STATES = ["0.3,0.2,0.3", "0.5,0.5,0.5", "0.8,0.6,0.9", "0.1,0.1,0.1"]


@pytest.fixture(scope="module")
def bistable():
    return simulate(load_model("baseline"), STATES, values=BISTABLE, t_max=5, n_eval=51)


@pytest.fixture(scope="module")
def sensitivity():
    return simulate(
        load_model("baseline"), vary=("nu", [0.0, 0.25, 0.5]), values={"k": 0.2}, t_max=5, n_eval=51
    )


def test_time_paths_one_line_per_trajectory_each_told_apart(bistable):
    fig = plot_simulation_paths(bistable)
    assert [ax.get_title() for ax in fig.axes] == ["government", "platform", "worker"]
    for ax in fig.axes:
        lines = ax.get_lines()
        assert [line.get_label() for line in lines] == [bistable.label(r) for r in range(len(bistable))]
        assert len({(to_hex(line.get_color()), line.get_linestyle()) for line in lines}) == len(bistable)
    title = fig.get_suptitle()
    assert "nu = 0.25" in title and "k = 0.2" in title


@pytest.mark.slow
def test_many_trajectories_stay_distinguishable():
    sim = simulate(
        load_model("baseline"), [f"{a},0.5,0.5" for a in np.linspace(0.05, 0.95, 14)], t_max=1, n_eval=11
    )
    lines = plot_simulation_paths(sim).axes[0].get_lines()
    assert len({(to_hex(line.get_color()), line.get_linestyle()) for line in lines}) == 14


def test_sensitivity_lines_are_told_apart_by_value_not_by_player(sensitivity):
    fig = plot_sensitivity(sensitivity)
    lines = fig.axes[0].get_lines()
    assert len(lines) == 3 * 3  # three values x three populations
    by_value = {}
    for k, line in enumerate(lines):
        value, player = divmod(k, 3)
        by_value.setdefault(value, set()).add(to_hex(line.get_color()))
        assert line.get_linestyle() == ["-", "--", ":"][player]
    assert all(len(colours) == 1 for colours in by_value.values())  # one colour per value...
    assert len(set().union(*by_value.values())) == 3  # ...different values, different colours
    texts = [t.get_text() for legend in fig.legends for t in legend.get_texts()]
    assert {r"$\nu$ = 0", r"$\nu$ = 0.25", r"$\nu$ = 0.5"} <= set(texts)  # the declared symbol


def test_sensitivity_needs_a_varied_parameter(bistable):
    with pytest.raises(TripartiteError, match="varied parameter"):
        plot_sensitivity(bistable)


def test_cube_colours_paths_by_where_they_end_and_marks_the_stable_vertices(bistable):
    fig = plot_simulation_cube(bistable)
    ax = fig.axes[0]
    colours = [to_hex(line.get_color()) for line in ax.get_lines()]
    ends = [bistable.result.profile(r) for r in range(len(bistable))]
    assert len(set(ends)) == 2  # the bistable regime: both stable states are reached
    for a in range(len(ends)):
        for b in range(len(ends)):
            assert (colours[a] == colours[b]) == (ends[a] == ends[b])
    stable = vertex_stability(load_model("baseline").game(BISTABLE)).stable[0]
    named = sorted(t.get_text().strip() for t in ax.texts)
    game = bistable.game
    expected = sorted(", ".join(game.profile_names(tuple(v)).values()) for v in np.argwhere(stable))
    assert named == expected and len(expected) == 2


def test_the_time_axis_ends_where_the_paths_have_settled(bistable):
    end = time_window(bistable)
    assert 0 < end < bistable.t_max
    flat = np.concatenate(bistable.result.paths, axis=2)
    after = bistable.result.times >= end / 1.5
    assert np.abs(flat[:, after] - flat[:, -1:]).max() <= 1e-3


@pytest.mark.slow
@pytest.mark.parametrize("suffix", [".png", ".pdf", ".svg"])
def test_figures_are_saved_in_vector_and_raster_formats(bistable, tmp_path, suffix):
    path = save_figure(plot_simulation_paths(bistable), tmp_path / f"paths{suffix}")
    assert path.stat().st_size > 1000 and (tmp_path / f"paths{suffix}.json").exists()


@pytest.mark.slow
def test_chinese_names_and_words_without_missing_glyphs(tmp_path):
    if fonts.find_cjk_font() is None:
        pytest.skip("no CJK font installed")
    model = load_model(write_chinese_baseline(tmp_path))
    sim = simulate(model, ["0.3,0.2,0.3", "0.6,0.6,0.6"], values=BISTABLE, t_max=5, n_eval=41)
    vary = simulate(model, vary=("nu", [0.0, 0.5]), schedule=["phi=0:1,2:0"], t_max=5, n_eval=41)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        figs = [
            plot_simulation_paths(sim, lang="zh"),
            plot_simulation_cube(sim, lang="zh"),
            plot_sensitivity(vary, lang="zh"),
        ]
        for k, fig in enumerate(figs):
            save_figure(fig, tmp_path / f"f{k}.png")
            save_figure(fig, tmp_path / f"f{k}.pdf")
    assert [str(w.message) for w in caught if GLYPH in str(w.message)] == []
    assert [ax.get_title() for ax in figs[0].axes] == ["政府", "平台", "骑手"]
    assert "积极监管的比例" in figs[0].axes[0].get_ylabel()
    assert "敏感性" in figs[2].axes[0].get_title()


PENNIES = """
name = "pennies and a bystander"
[players]
row = ["h", "t"]
col = ["h", "t"]
bystander = ["a", "b"]
[payoffs]
"h, h, a" = ["1", "-1", "0"]
"h, h, b" = ["1", "-1", "0"]
"h, t, a" = ["-1", "1", "0"]
"h, t, b" = ["-1", "1", "0"]
"t, h, a" = ["-1", "1", "0"]
"t, h, b" = ["-1", "1", "0"]
"t, t, a" = ["1", "-1", "0"]
"t, t, b" = ["1", "-1", "0"]
"""


def test_the_cube_claims_no_stable_vertex_where_there_is_none(tmp_path):
    path = tmp_path / "pennies.toml"
    path.write_text(PENNIES, encoding="utf-8")
    sim = simulate(load_model(path), ["0.8,0.5,0.3"], t_max=5, n_eval=21)
    assert not sim.end_stability.stable.any()
    fig = plot_simulation_cube(sim)
    legend = [t.get_text() for t in fig.legends[0].get_texts()]
    assert "stable vertex" not in legend and "ends elsewhere" in legend
    assert len(fig.axes[0].texts) == 0  # no vertex named as stable
