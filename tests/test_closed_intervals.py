"""Stable intervals include an end point exactly when the vertex is asymptotically stable there.

Hand-worked: in the toy game below the vertex (down, right) has the
deviation gains ``1 - a`` (row to up) and ``-1`` (col to left), so it is
asymptotically stable for ``a > 1``; at ``a = 1`` an eigenvalue is zero
(non-hyperbolic: the end is excluded), at ``a = 3`` both are negative (the end
is included).  Baseline: at ``nu = 0`` the low equilibrium is strict (every
deviation gain negative), so ``nu = 0`` belongs to its interval.
"""

from __future__ import annotations

import json

import pytest
import sympy as sp

from tripartite import load_model
from tripartite.cli import main
from tripartite.symbolic.critical import intervals_record, stable_intervals

TOY = """
name = "toy"
[players]
row = ["up", "down"]
col = ["left", "right"]
[parameters]
a = { value = 2, min = 1, max = 3 }
[payoffs]
"up, left" = ["0", "0"]
"up, right" = ["1", "0"]
"down, left" = ["0", "0"]
"down, right" = ["a", "1"]
"""


def _toy(tmp_path):
    path = tmp_path / "toy.toml"
    path.write_text(TOY, encoding="utf-8")
    return path


def test_an_end_with_a_zero_eigenvalue_is_open_a_stable_end_is_closed(tmp_path):
    model = load_model(str(_toy(tmp_path)))
    [span] = stable_intervals(model, "a", at={})[(1, 1)]
    assert span == (1, 3) and span.closed == (False, True)
    assert str(span) == "(1, 3]"
    [record] = [r for r in intervals_record(model, {(1, 1): [span]})]
    assert record["closed"] == [[False, True]] and record["exact"] == [["1", "3"]]


@pytest.mark.slow
def test_baseline_low_equilibrium_is_stable_at_nu_zero():
    model = load_model("baseline")
    [span] = stable_intervals(model, "nu", at={})[(1, 1, 1)]
    assert span == (0, sp.Rational(83, 188)) and span.closed == (True, False)
    # independently, from the payoffs: at nu = 0 every deviation gain of the low vertex is negative
    assert all(g < 0 for g in _deviation_gains(model, (1, 1, 1), {"nu": 0}))
    # and at nu = 83/188 one is exactly zero (the open end)
    assert 0 in _deviation_gains(model, (1, 1, 1), {"nu": sp.Rational(83, 188)})


def _deviation_gains(model, profile, values):
    """Each player's payoff from switching alone, minus the payoff at ``profile`` (sympy, exact)."""
    subs = {
        model.symbols[p.name]: sp.nsimplify(values.get(p.name, p.default), rational=True)
        for p in model.parameters
    }
    gains = []
    for i, own in enumerate(profile):
        for alt in range(model.shape[i]):
            if alt != own:
                other = list(profile)
                other[i] = alt
                gain = model.payoffs[tuple(other)][i] - model.payoffs[tuple(profile)][i]
                gains.append(sp.sympify(gain).subs(subs))
    return gains


@pytest.mark.slow
def test_thresholds_text_and_json_show_the_closed_end(tmp_path, capsys):
    path = _toy(tmp_path)
    assert main(["thresholds", str(path), "--param", "a"]) in (0, None)
    text = capsys.readouterr().out
    assert "down, right: a in (1, 3]" in text
    assert main(["thresholds", str(path), "--param", "a", "--format", "json"]) in (0, None)
    record = json.loads(capsys.readouterr().out)
    [item] = [s for s in record["stable_intervals"] if list(s["profile"].values()) == ["down", "right"]]
    assert item["closed"] == [[False, True]] and item["intervals"] == [[1.0, 3.0]]
