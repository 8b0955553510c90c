"""Records of equilibria: one serialiser per kind of answer, the same keys whatever the options."""

from __future__ import annotations

import dataclasses
import json

import numpy as np
import pytest

from tests.equilibria.test_mixed import mckelvey_mclennan
from tripartite import load_model
from tripartite.equilibria import (
    Equilibrium,
    all_equilibria,
    local_equilibria,
    pure_equilibria,
    subgame_equilibria,
)
from tripartite.game import Game

EQUILIBRIUM_KEYS = {
    "strategies",
    "pure",
    "strict",
    "quasi_strict",
    "regular",
    "payoffs",
    "regret",
    "support",
    "exact",
    "exact_payoffs",
    "note",
    "component",
}
SET_KEYS = {
    "equilibria",
    "method",
    "tolerance",
    "payoff_scale",
    "exact",
    "complete",
    "degenerate",
    "notes",
    "count",
    "components",
}


def test_pure_and_all_equilibria_records_agree_on_the_baseline():
    model = load_model("baseline")
    game = model.game()
    pure = pure_equilibria(game).to_record()
    assert set(pure) == {"equilibria", "method", "tolerance", "payoff_scale", "count"}
    assert pure["count"] == len(pure["equilibria"]) == 1
    floats = all_equilibria(game).to_record()
    assert set(floats) == SET_KEYS
    (p,), (f,) = pure["equilibria"], floats["equilibria"]
    assert set(p) == set(f) == EQUILIBRIUM_KEYS
    # the same values, except the exact probabilities the floating-point solver does not compute and
    # the component (computed with every equilibrium)
    skip = ("exact", "component")
    assert {k: v for k, v in p.items() if k not in skip} == {k: v for k, v in f.items() if k not in skip}
    assert p["component"] is None and f["component"] == 0
    assert f["exact"] is None and p["exact"] == {
        "government": {"active": "0", "passive": "1"},
        "platform": {"share": "0", "shirk": "1"},
        "worker": {"enroll": "0", "lapse": "1"},
    }
    # with exact payoffs and exact arithmetic, every value agrees
    exact_game = dataclasses.replace(game, exact_payoffs=model.exact_payoffs())
    p = pure_equilibria(exact_game).to_record()["equilibria"][0]
    e = all_equilibria(exact_game, exact=True).to_record()["equilibria"][0]
    assert p == {**e, "component": None}
    assert p["strict"] and p["quasi_strict"] and p["regular"] and p["regret"] == 0.0
    assert p["exact_payoffs"] is not None and p["note"] is None


def test_the_readme_fields_keep_their_formats():
    rec = pure_equilibria(load_model("baseline").game()).to_record()["equilibria"][0]
    assert rec["strategies"]["worker"] == {"enroll": 0, "lapse": 1}
    assert rec["support"] == {"government": ["passive"], "platform": ["shirk"], "worker": ["lapse"]}
    assert isinstance(rec["regret"], float) and rec["regret"] >= 0
    assert all(isinstance(v, (int, float)) for v in rec["payoffs"].values())
    json.dumps(rec, allow_nan=False)  # JSON-ready


def test_every_solver_gives_the_same_keys():
    u = mckelvey_mclennan()
    game = Game.from_array(u)
    sets = [
        all_equilibria(game),
        all_equilibria(game, method="enumeration"),
        all_equilibria(game, exact=True),
        local_equilibria(game, starts=2),
        all_equilibria(Game.from_array(np.zeros((2, 2, 2)))),  # degenerate: continua noted
        subgame_equilibria(game, {0: 0}).equilibria,
    ]
    for s in sets:
        rec = s.to_record()
        assert set(rec) == SET_KEYS
        assert rec["count"] == len(rec["equilibria"]) >= 1
        for e in rec["equilibria"]:
            assert set(e) == EQUILIBRIUM_KEYS
        json.dumps(rec, allow_nan=False)
    for b in range(2):  # a batch: each point's record
        pure = pure_equilibria(Game.from_array(np.stack([u, -u]))).to_record(b)
        assert all(set(e) == EQUILIBRIUM_KEYS for e in pure["equilibria"])


def test_pure_records_decide_strictness_quasi_strictness_and_regularity():
    # weak pure equilibria: the row player is indifferent between its strategies against s1
    game = Game.from_array(np.array([[[1.0, 0], [1, 2]], [[2, 0], [1, 0]]]))
    pure = pure_equilibria(game).to_record()["equilibria"]
    full = all_equilibria(game).to_record()["equilibria"]
    assert len(pure) == 2
    for weak in pure:
        assert not weak["strict"] and weak["quasi_strict"] is False and weak["regular"] is False
        (same,) = [e for e in full if e["support"] == weak["support"]]
        # the same but for the exact values and the component (computed with every equilibrium only)
        assert {k: v for k, v in weak.items() if k not in ("exact", "component")} == {
            k: v for k, v in same.items() if k not in ("exact", "component")
        }


def test_record_is_an_alias_of_to_record():
    game = Game.from_array(mckelvey_mclennan())
    e = all_equilibria(game)[0]
    assert isinstance(e, Equilibrium) and e.record(game) == e.to_record(game)


def test_subgame_equilibria_say_whether_they_are_quasi_strict():
    # with the government passive the baseline's bimatrix game has one strict pure equilibrium
    sub = subgame_equilibria(load_model("baseline").game(), {"government": "passive"})
    (e,) = sub.equilibria
    assert e.strict and e.quasi_strict and e.regular
    # a tie: both strategies of the column player pay the same against the row player's first
    u = np.zeros((3, 2, 2, 2))
    u[1, 0] = [[1, 0], [1, 2]]  # players 2 and 3 when player 1 plays s1: the weak game above
    u[2, 0] = [[2, 0], [1, 0]]
    eqs = subgame_equilibria(Game.from_array(u), {0: 0}).equilibria
    weak = [e for e in eqs if e.pure]
    assert len(weak) == 2 and all(
        not e.strict and e.quasi_strict is False and e.regular is False for e in weak
    )


@pytest.mark.parametrize("exact", [False, True])
def test_note_and_exact_payoffs_are_none_when_absent(exact):
    rec = all_equilibria(Game.from_array(mckelvey_mclennan()), exact=exact).to_record()
    for e in rec["equilibria"]:
        assert e["note"] is None
        assert (e["exact_payoffs"] is not None) == exact and (e["exact"] is not None) == exact


def test_pure_equilibria_of_a_state_dependent_game_carry_the_payoffs_at_their_vertex():
    from tests.test_state_scenario import DYNAMIC
    from tripartite.scenario import read_scenario

    rec = pure_equilibria(read_scenario(DYNAMIC).game()).to_record()
    # at (down, right) the state is x = 0, y = 1: row gets 1, col gets y = 1; the only pure equilibrium
    assert [e["payoffs"] for e in rec["equilibria"]] == [{"row": 1, "col": 1}]
    assert (
        rec["payoff_scale"] == 2.0
    )  # row's payoffs over the vertex states: b - F (1 - x)^2 = -1 up to b = 1
