"""Jupyter display of equilibrium sets: content, not just that it renders."""

import re

import numpy as np

from tripartite.equilibria import all_equilibria
from tripartite.game import Game

BATTLE = Game.from_array(np.array([[[2.0, 0], [0, 1]], [[1.0, 0], [0, 2]]]), players=["她", "he"])


def test_exact_set_shows_exact_probabilities_and_labels():
    html = all_equilibria(BATTLE, exact=True)._repr_html_()
    cells = re.findall(r"<td>(.*?)</td>", html)
    assert "3 Nash equilibria (exact; complete)" in html
    assert "<th>她</th>" in html
    i = cells.index("s1 2/3, s2 1/3")  # the mixed equilibrium, exactly
    assert cells[i + 1 : i + 5] == ["s1 1/3, s2 2/3", "0.666667, 0.666667", "0", "no"]


def test_float_set_shows_tolerance_and_notes():
    flat = Game.from_array(np.zeros((2, 2, 2)))  # every profile is an equilibrium: a continuum
    html = all_equilibria(flat)._repr_html_()
    # complete: every component of the set of equilibria is listed
    assert "; complete; degenerate game" in html
    assert "<ul><li>" in html and "components listed" in html  # the notes say what the set is
    from tripartite.equilibria import support_enumeration

    html = support_enumeration(flat)._repr_html_()  # the enumeration alone samples the continuum
    assert "NOT complete" in html and "degenerate game" in html
