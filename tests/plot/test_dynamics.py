"""Figures of the dynamics: they draw exactly the paths and shares they are given."""

import numpy as np
import pytest
from matplotlib.figure import Figure

from tripartite import basins, integrate_batch, load_model, trajectory, vertex_stability
from tripartite.errors import TripartiteError
from tripartite.plot import (
    plot_basins,
    plot_state_cube,
    plot_time_paths,
    trajectories_in_cube,
    trajectories_over_time,
)


@pytest.fixture(scope="module")
def baseline_paths():
    game = load_model("baseline").game()
    x0 = [np.array([[0.3, 0.7], [0.8, 0.2]]), np.array([0.2, 0.8]), np.array([0.3, 0.7])]
    return integrate_batch(game, x0, t_max=0.5, n_eval=51)


def test_time_paths_one_panel_per_player_with_the_shares(baseline_paths):
    fig = plot_time_paths(baseline_paths, 1)
    assert isinstance(fig, Figure) and len(fig.axes) == 3
    line = fig.axes[2].get_lines()[0]  # worker, first strategy
    np.testing.assert_allclose(line.get_ydata(), baseline_paths.paths[2][1][:, 0])
    assert [t.get_text() for t in fig.axes[0].get_legend().get_texts()] == ["active", "passive"]
    model = load_model("baseline")
    single = plot_time_paths(trajectory(model.game(), model.initial_state, t_max=1.0))
    assert len(single.axes) == 3


def test_state_cube_draws_each_path_in_first_strategy_shares(baseline_paths):
    stability = vertex_stability(baseline_paths.game)
    fig = plot_state_cube(baseline_paths, stability=stability)
    ax = fig.axes[0]
    xs, ys, zs = ax.get_lines()[0].get_data_3d()
    np.testing.assert_allclose(xs, baseline_paths.paths[0][0][:, 0])
    np.testing.assert_allclose(zs, baseline_paths.paths[2][0][:, 0])
    # the vertices the stability result says are stable are filled and named, the others hollow
    assert [t.get_text().strip() for t in ax.texts] == ["passive, shirk, lapse"]
    markers = ax.collections[-8:]
    filled = [len(m.get_facecolors()) > 0 and m.get_facecolors()[0][3] > 0 for m in markers]
    assert sum(filled) == len(stability.stable_profiles()) == 1
    assert "filled: asymptotically stable" in ax.get_title()
    # without a stability result the figure marks no vertex (it computes no stability itself)
    bare = plot_state_cube(baseline_paths).axes[0]
    assert len(bare.texts) == 0 and len(bare.collections) == len(ax.collections) - 8
    assert "filled" not in bare.get_title()


def test_state_cube_refuses_other_shapes_and_pathless_results():
    game = load_model("extended").game()
    with_paths = integrate_batch(game, [np.ones(3) / 3] * 3, t_max=0.1, n_eval=3)
    with pytest.raises(TripartiteError, match="2x2x2"):
        plot_state_cube(with_paths)
    without = integrate_batch(load_model("baseline").game(), [np.ones(2) / 2] * 3, t_max=0.1)
    with pytest.raises(TripartiteError, match="recorded paths"):
        plot_state_cube(without)
    with pytest.raises(TripartiteError, match="recorded paths"):
        plot_time_paths(without)


def test_basin_bars_are_the_shares():
    result = basins(load_model("extended").game(), 200)
    fig = plot_basins(result)
    heights = [p.get_height() for p in fig.axes[0].patches]
    assert heights == pytest.approx([s.share for s in result.stable] + [result.not_converged.share])


def test_trajectory_figures():
    model = load_model("baseline")
    game = model.game()
    one = trajectory(game, model.initial_state, 50)
    fig = trajectories_over_time(one)
    lines = fig.axes[0].get_lines()
    assert [line.get_label() for line in lines] == ["government: active", "platform: share", "worker: enroll"]
    np.testing.assert_allclose([line.get_ydata()[0] for line in lines], [0.3, 0.2, 0.3])
    starts = [np.array([[0.3, 0.7], [0.9, 0.1]]), np.array([0.2, 0.8]), np.array([0.3, 0.7])]
    many = integrate_batch(game, starts, t_max=20, n_eval=21)
    fig = trajectories_in_cube(many)
    assert len(fig.axes[0].get_lines()) == 2
    with pytest.raises(TripartiteError, match="n_eval"):
        trajectories_over_time(integrate_batch(game, starts, t_max=5))


def test_several_trajectories_over_time_are_told_apart_by_colour_and_players_by_style():
    from matplotlib.colors import to_hex

    model = load_model("baseline")
    runs = [trajectory(model.game(nu=v), model.initial_state, 1.0, n_eval=11) for v in (0.0, 0.25, 0.5)]
    fig = trajectories_over_time(runs, labels=["nu = 0", "nu = 0.25", "nu = 0.5"])
    lines = fig.axes[0].get_lines()
    assert len(lines) == 9
    colours = [to_hex(line.get_color()) for line in lines]
    styles = [line.get_linestyle() for line in lines]
    for t in range(3):
        assert len(set(colours[3 * t : 3 * t + 3])) == 1  # one colour per trajectory
        assert styles[3 * t : 3 * t + 3] == ["-", "--", ":"]  # one style per player
    assert len({colours[0], colours[3], colours[6]}) == 3
    legend = [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    assert legend[:3] == ["nu = 0", "nu = 0.25", "nu = 0.5"] and legend[3] == "government: active"
    with pytest.raises(TripartiteError, match="2 labels for 3 trajectories"):
        trajectories_over_time(runs, labels=["a", "b"])
