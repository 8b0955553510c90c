"""Figures with Chinese names: drawn in a CJK font, with no missing-glyph warning."""

from __future__ import annotations

import warnings

import pytest

from tests.cjk_scenario import write_chinese_baseline
from tripartite import load_model, trajectory
from tripartite.errors import TripartiteError
from tripartite.plot import fonts, plot_time_paths, save_figure

GLYPH = "missing from font"


@pytest.fixture
def chinese_model(tmp_path):
    return load_model(write_chinese_baseline(tmp_path))


@pytest.fixture
def cjk_font():
    family = fonts.find_cjk_font()
    if family is None:
        pytest.skip("no CJK font installed (Debian/Ubuntu: apt-get install fonts-noto-cjk)")
    return family


@pytest.mark.slow
def test_chinese_names_are_drawn_in_a_cjk_font_without_glyph_warnings(chinese_model, cjk_font, tmp_path):
    path = trajectory(chinese_model.game(), chinese_model.initial_state, t_max=20)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fig = plot_time_paths(path)
        save_figure(fig, tmp_path / "paths.png")
        save_figure(fig, tmp_path / "paths.pdf")
    assert [str(w.message) for w in caught if GLYPH in str(w.message)] == []
    titles = [ax.get_title() for ax in fig.axes]
    assert titles == ["政府", "平台", "骑手"]
    for ax in fig.axes:
        assert ax.title.get_fontfamily()[0] == cjk_font
        legend = ax.get_legend().get_texts()
        assert {t.get_text() for t in legend} <= {"积极监管", "消极监管", "分担", "规避", "参保", "不参保"}
        assert all(t.get_fontfamily()[0] == cjk_font for t in legend)


def test_a_latin_figure_keeps_the_default_font(cjk_font):
    path = trajectory(load_model("baseline").game(), load_model("baseline").initial_state, t_max=20)
    fig = plot_time_paths(path)
    assert fig.axes[0].title.get_fontfamily()[0] != cjk_font


@pytest.mark.slow
def test_without_a_cjk_font_one_warning_names_the_package(chinese_model, tmp_path, monkeypatch):
    monkeypatch.setattr(fonts, "_font_names", lambda: {"DejaVu Sans"})
    monkeypatch.setattr(fonts, "_add_system_cjk_fonts", lambda: None)
    monkeypatch.setattr(fonts, "_warned", False)
    path = trajectory(chinese_model.game(), chinese_model.initial_state, t_max=20)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fig = plot_time_paths(path)
        save_figure(fig, tmp_path / "paths.png")
        save_figure(plot_time_paths(path), tmp_path / "again.png")
    messages = [str(w.message) for w in caught]
    assert len(messages) == 1, messages
    assert "fonts-noto-cjk" in messages[0] and "no CJK font is installed" in messages[0]


def test_an_unknown_font_is_refused_with_similar_names(cjk_font):
    with pytest.raises(TripartiteError, match="no installed font is named 'Noto Sans CK'"):
        fonts.use_font("Noto Sans CK")


def test_a_named_font_is_used(chinese_model, cjk_font, tmp_path):
    other = next((f for f in fonts.CJK_FONTS if f != cjk_font and f in fonts._font_names()), cjk_font)
    path = trajectory(chinese_model.game(), chinese_model.initial_state, t_max=20)
    fig = plot_time_paths(path)
    save_figure(fig, tmp_path / "paths.svg", font=other)
    assert fig.axes[0].title.get_fontfamily()[0] == other


def test_the_cli_plot_uses_the_named_font_and_refuses_an_unknown_one(tmp_path, cjk_font, capsys):
    from tripartite.cli import main

    scenario = write_chinese_baseline(tmp_path)
    out = tmp_path / "nu.png"
    assert main(["sweep", str(scenario), "--vary", "nu=0:1:11", "--plot", str(out), "--dpi", "60"]) == 0
    assert out.exists()
    from PIL import Image

    assert Image.open(out).info["dpi"][0] == pytest.approx(60, abs=1)
    bad = tmp_path / "bad.png"
    assert (
        main(["sweep", str(scenario), "--vary", "nu=0:1:11", "--plot", str(bad), "--font", "Nope Sans"]) == 2
    )
    assert "no installed font is named 'Nope Sans'" in capsys.readouterr().err
    assert not bad.exists()


def test_lang_zh_writes_the_package_words_in_chinese_and_keeps_the_names(chinese_model):
    path = trajectory(chinese_model.game(), chinese_model.initial_state, t_max=20)
    zh = plot_time_paths(path, lang="zh")
    en = plot_time_paths(path)
    assert zh.axes[0].get_xlabel() == "时间" and zh.axes[0].get_ylabel() == "比例"
    assert en.axes[0].get_xlabel() == "time"
    assert zh._suptitle.get_text() == "平台用工社保博弈: 复制动态"
    assert [ax.get_title() for ax in zh.axes] == ["政府", "平台", "骑手"]


def test_axes_show_the_parameter_description_symbol_and_unit():
    from tripartite.plot import stability_diagram
    from tripartite.sweep import grid, sweep

    model = load_model("baseline")
    table = sweep(model, grid(model, {"nu": "0:1:11"})).table
    fig = stability_diagram(table, "nu", model=model, lang="zh")
    assert fig.axes[0].get_xlabel() == "nudge strength $\\nu$ (index)"
    assert fig.axes[0].get_title() == "渐近稳定的顶点"
