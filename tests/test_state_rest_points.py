"""Rest points beyond the vertices, the Routh-Hurwitz record and the .nfg refusal, on state-dependent games.

The hand-worked game is the one of ``tests/dynamics/test_state_dependent.py``
(``D_x = y F (1 - x) - c``, ``D_y = b (1 - x) - k + e z``, ``D_z = a x - d``
at ``F=4, c=1, b=2, k=1/2, e=-1, a=1, d=1/2``).  Every rest point by hand:

- edges (only the enterprise mixes): ``D_x = 0`` needs ``y = 1`` and then
  ``x = 1 - c/F = 3/4``, on both edges ``z = 0`` and ``z = 1``; no other
  player can mix alone (``D_y`` at ``x, z`` in {0, 1} is 1.5, 0.5, -0.5 or
  -1.5, ``D_z = +-1/2``);
- faces: enterprise and regulator mixing with ``z = 1``: ``D_y = 0`` gives
  ``x = 1/4``, ``D_x = 0`` gives ``y = 1/3``; with ``z = 0``, ``x = 3/4`` and
  ``y = 1`` (not inside); no face where the public mixes but not all do
  (``D_z = 0`` needs ``x = 1/2``);
- interior: ``(1/2, 1/2, 1/2)``, characteristic polynomial
  ``l^3 + l^2/2 + l/4 + 1/32``.
"""

from __future__ import annotations

import json

import numpy as np
import pytest

from tests.dynamics.test_state_dependent import hand_polynomial, scenario
from tripartite import read_scenario
from tripartite.solution import solve
from tripartite.symbolic import rest_points, stability_table


@pytest.fixture(scope="module")
def dynamic():
    return read_scenario(scenario(), "pen.toml")


def _point(r):
    return tuple(round(shares[next(iter(shares))], 12) for shares in r["strategies"].values())


def test_solve_lists_every_rest_point_found_by_hand(dynamic):
    rec = solve(dynamic).to_record()
    rows = rec["rest_points"]
    assert [r["kind"] for r in rows] == ["vertex"] * 8 + ["edge", "edge", "face", "interior"]
    assert rec["rest_points_complete"] is True and rec["rest_points_note"] is None
    assert [_point(r) for r in rows[8:]] == [
        (0.75, 1, 1),
        (0.75, 1, 0),
        (0.25, round(1 / 3, 12), 1),
        (0.5, 0.5, 0.5),
    ]
    interior = rows[-1]
    got = np.sort_complex(np.array([complex(*e) for e in interior["eigenvalues"]]))
    assert np.allclose(got, np.sort_complex(np.roots(hand_polynomial(0.5, 0.5, 0.5))), atol=1e-12)
    assert interior["classification"] == "asymptotically stable" and interior["focus"] is True
    assert interior["nash_equilibrium"] is True
    # the edge at z = 1: within the edge p_x * (-F) = -3/4; transverse -(D_y) = 1 and -(D_z) = -1/4
    assert sorted(e[0] for e in rows[8]["eigenvalues"]) == pytest.approx([-0.75, -0.25, 1.0])
    assert rows[8]["classification"] == "saddle"
    assert rows[9]["classification"] == "non-hyperbolic"  # D_y = 0 there: a zero eigenvalue
    for r in rows[:8]:
        assert r["profile"] and "strict_equilibrium" in r and r["focus"] is False


def test_static_twin_interior_point_is_a_saddle_in_solve():
    static = read_scenario(scenario("F").replace('[state]\nx = ["enterprise", "green"]\n', ""), "s.toml")
    rows = solve(static).to_record()["rest_points"]
    (interior,) = [r for r in rows if r["kind"] == "interior"]
    assert _point(interior) == (0.5, 0.25, 0.5)
    re = [e[0] for e in interior["eigenvalues"]]
    assert abs(sum(re)) < 1e-12 and max(re) > 0.05
    assert interior["classification"] != "asymptotically stable"


def test_stability_record_carries_routh_hurwitz_of_the_interior_point(dynamic):
    rec = stability_table(dynamic).to_record()
    (interior,) = [p for p in rec["rest_points"] if p["kind"] == "interior"]
    rh = interior["routh_hurwitz"]
    assert rh["characteristic_polynomial"] == "lambda**3 + lambda**2/2 + lambda/4 + 1/32"
    assert [c["condition"] for c in rh["conditions"]] == ["c1 > 0", "c1*c2 - c3 > 0", "c3 > 0"]
    assert [c["exact"] for c in rh["conditions"]] == ["1/2", "3/32", "1/32"]
    assert rh["stable"] is True and all(c["holds"] for c in rh["conditions"])
    assert interior["jacobian"]["value"] == [["-1/2", "1/2", "0"], ["-1/2", "0", "-1/4"], ["1/4", "0", "0"]]
    assert "F" in interior["jacobian"]["expression"][0][0]
    json.dumps(rec)  # JSON-ready
    edge = next(p for p in rec["rest_points"] if p["kind"] == "edge")
    assert edge["routh_hurwitz"] is None


@pytest.mark.slow
def test_routh_hurwitz_fails_for_the_static_twin():
    static = read_scenario(scenario("F").replace('[state]\nx = ["enterprise", "green"]\n', ""), "s.toml")
    (interior,) = [p for p in stability_table(static).to_record()["rest_points"] if p["kind"] == "interior"]
    rh = interior["routh_hurwitz"]
    assert rh["stable"] is False and rh["conditions"][0]["exact"] == "0"  # c1 = -trace = 0


def test_vertex_table_of_a_state_model_uses_the_vertex_state(dynamic):
    table = stability_table(dynamic)
    # at (greenwash, strict, report) the fine is F (x = 0): green gains F - c = 3
    values = [c["value"] for c in table.to_record()["vertices"][4]["eigenvalues"]]
    assert values == [3.0, -0.5, 0.5]


def test_state_rest_points_need_a_parameter_point(dynamic):
    with pytest.raises(Exception, match="at a parameter point"):
        rest_points(dynamic)


def test_nfg_export_of_a_state_dependent_game_is_refused(cli, tmp_path):
    path = tmp_path / "pen.toml"
    path.write_text(scenario(), encoding="utf-8")
    out = tmp_path / "pen.nfg"
    code, stdout, err = cli("export", path, "--format", "nfg", "-o", out)
    assert code == 2 and not out.exists() and stdout == ""
    assert "cannot be written as a .nfg file: its payoffs depend on the population state (x)" in err
    assert "Traceback" not in err


@pytest.mark.slow
def test_solve_cli_json_of_a_state_dependent_scenario(cli, tmp_path):
    path = tmp_path / "pen.toml"
    path.write_text(scenario(), encoding="utf-8")
    code, out, _ = cli("solve", path, "--json")
    data = json.loads(out)
    assert code == 0 and data["rest_points"][-1]["kind"] == "interior"
    assert data["rest_points"][-1]["strategies"]["enterprise"] == {"green": 0.5, "greenwash": 0.5}


def test_solving_a_state_dependent_game_without_its_model_lists_the_vertices_honestly(dynamic):
    rec = solve(dynamic.game()).to_record()
    assert [r["kind"] for r in rec["rest_points"]] == ["vertex"] * 8
    assert rec["rest_points_complete"] is False and "solve the model" in rec["rest_points_note"]
