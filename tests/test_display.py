"""Jupyter HTML representations show the content, not just run."""

import re

import numpy as np

from tripartite import pure_equilibria, trajectory, vertex_stability
from tripartite.game import Game


def cells(html):
    return re.findall(r"<td>(.*?)</td>", html)


def test_model_html_lists_players_and_parameters(baseline):
    html = baseline._repr_html_()
    assert "government" in html and "active, passive" in html
    assert "<td>nu</td>" in html and "nudge strength" in html and "[0, 1]" in html
    assert len(re.findall("<tr>", html)) == 2 + 3 + len(baseline.parameters)  # two header rows


def test_game_html_has_every_profile_and_payoff(baseline):
    html = baseline.game()._repr_html_()
    c = cells(html)
    i = c.index("passive, shirk, lapse")
    assert c[i + 1 : i + 4] == ["-50", "980", "5940"]
    assert c.count("active, share, enroll") == 1


def test_equilibria_and_stability_html(baseline):
    game = baseline.game()
    eq_html = pure_equilibria(game)._repr_html_()
    assert cells(eq_html)[:4] == ["passive", "shirk", "lapse", "yes"]
    st_html = vertex_stability(game)._repr_html_()
    c = cells(st_html)
    i = c.index("passive, shirk, lapse")
    assert c[i + 1 : i + 3] == ["-36.5, -20, -332", "asymptotically stable"]


def test_batched_html_summarises(baseline):
    game = baseline.game(d=np.linspace(0, 1, 11))
    html = vertex_stability(game)._repr_html_()
    c = cells(html)
    i = c.index("passive, shirk, lapse")
    # the government's low-vertex gain -60 + 235 d is negative for d < 0.255: 3 of 11 points
    assert c[i + 1] == "3"
    assert "11 points" in pure_equilibria(game)._repr_html_()


def test_trajectory_html(baseline):
    html = trajectory(baseline.game(), baseline.initial_state)._repr_html_()
    assert "outcome: passive, shirk, lapse" in html
    assert "active 0.3, passive 0.7" in html


def test_html_escapes_names():
    g = Game.from_array(np.zeros((2, 2, 2)), players=["<b>", "&"])
    html = g._repr_html_()
    assert "&lt;b&gt;" in html and "<th><b></th>" not in html
