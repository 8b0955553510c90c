"""Components of the set of Nash equilibria: hand-worked degenerate games, then pygambit.

Each hand-built game's equilibrium set is worked out in the comments; the tests check the
reported components against it point by point (membership both ways), and the extreme
points against the hand-worked vertices or pygambit's exact enumeration of extreme equilibria.
"""

from __future__ import annotations

import dataclasses
import json

import numpy as np
import pytest
import sympy as sp

from tripartite import solve
from tripartite.equilibria import all_equilibria
from tripartite.equilibria.components import equilibrium_components, in_closure
from tripartite.game import Game, regret

R = sp.Rational


def exact_regret(u: np.ndarray, profile) -> sp.Expr:
    """The regret of an exact profile (sympy numbers), from the definition."""
    import itertools

    n = u.shape[0]
    worst = sp.Integer(0)
    for i in range(n):

        def payoff(s, i=i):
            total = sp.Integer(0)
            for prof in itertools.product(*(range(m) for m in u.shape[1:])):
                if prof[i] != s:
                    continue
                w = sp.Integer(1)
                for j in range(n):
                    if j != i:
                        w *= sp.sympify(profile[j][prof[j]])
                total += sp.Rational(repr(float(u[(i, *prof)]))) * w
            return total

        values = [payoff(s) for s in range(u.shape[1 + i])]
        mean = sum(sp.sympify(p) * v for p, v in zip(profile[i], values))
        worst = sp.Max(worst, sp.simplify(max(values, key=lambda v: float(v)) - mean))
    return sp.simplify(worst)


def _profile(*firsts):
    return [np.array([p, 1 - p]) for p in firsts]


@pytest.mark.slow
def test_a_player_indifferent_along_a_segment():
    # row: s1 pays 1 against column s1 whatever row does (a tie), s2 pays 2 against column s2;
    # column: s1 pays x (row's probability of s1), s2 pays 1 - x.  Equilibria: column s1 with
    # x in [1/2, 1] (a segment), and the pure profile (s2, s2).
    g = Game.from_array(np.array([[[1, 0], [1, 2]], [[1, 0], [0, 1]]]))
    comps = equilibrium_components(g)
    assert comps.complete
    segment = [c for c in comps if c.dimension == 1]
    assert len(segment) == 1
    seg = segment[0]
    assert seg.support == ((0, 1), (0,)) and seg.polytope
    assert seg.vertices == (((R(1, 2), R(1, 2)), (1, 0)), ((1, 0), (1, 0)))
    assert seg.symbols == {"x1_1": (0, 0), "x1_2": (0, 1)}
    for x in np.linspace(0, 1, 21):
        inside = comps.find([np.array([x, 1 - x]), np.array([1.0, 0.0])]) is not None
        assert inside == (x >= 0.5)
    assert comps.find([np.array([0.0, 1.0]), np.array([0.0, 1.0])]) is not None  # (s2, s2)
    assert comps.find([np.array([0.5, 0.5]), np.array([0.5, 0.5])]) is None
    # the pure end (s1, s1) is its own component, in the closure of the segment: one connected set
    pure = [c for c in comps if c.support == ((0,), (0,))][0]
    assert in_closure(seg, pure.point) and pure.connected == seg.connected
    # the constraints are text sympy reads back, in the symbols named
    local = {n: sp.Symbol(n, real=True) for n in seg.symbols}
    parsed = [sp.sympify(c, locals=local) for c in seg.constraints]
    at = {local["x1_1"]: R(3, 4), local["x1_2"]: R(1, 4)}
    assert all(bool(c.xreplace(at)) for c in parsed)


def _von_stengel() -> np.ndarray:
    # von Stengel (2002), the degenerate 3x2 example: column is indifferent against row's s1, and
    # row's s1 is a best reply to column y = (y1, 1 - y1) iff 3 >= 5 - 3 y1 and 3 >= 6 (1 - y1),
    # i.e. y1 >= 2/3: the maximal Nash subset {s1} x {y1 in [2/3, 1]}.
    A = np.array([[3, 3], [2, 5], [0, 6]], dtype=float)
    B = np.array([[3, 3], [2, 6], [3, 1]], dtype=float)
    return np.array([A, B])


@pytest.mark.slow
def test_the_maximal_nash_subset_of_a_bimatrix_game():
    pytest.importorskip("pygambit")
    from .gambit_reference import extreme_equilibria

    u = _von_stengel()
    comps = equilibrium_components(Game.from_array(u))
    assert comps.complete
    segment = [c for c in comps if c.support == ((0,), (0, 1))]
    assert len(segment) == 1 and segment[0].dimension == 1
    assert segment[0].vertices == (((1, 0, 0), (R(2, 3), R(1, 3))), ((1, 0, 0), (1, 0)))
    # every extreme equilibrium pygambit enumerates exactly is a vertex of a component, and lies in one
    vertices = {
        tuple(float(v) for row in vertex for v in row) for c in comps for vertex in (c.vertices or ())
    }
    for x in extreme_equilibria(u):
        assert comps.find(x) is not None
        assert tuple(float(v) for row in x for v in row) in vertices
    # and every vertex is an equilibrium (exactly: regret 0 in rationals)
    for c in comps:
        for vertex in c.vertices or ():
            assert exact_regret(u, vertex) == 0


@pytest.mark.slow
def test_a_bimatrix_subgame_inside_a_three_player_game():
    # a third player with a strictly dominant strategy (s1 pays 1, s2 pays 0): the equilibria are those
    # of the bimatrix game above with the third player at s1
    bimatrix = _von_stengel()
    u = np.zeros((3, 3, 2, 2))
    u[0, :, :, 0], u[1, :, :, 0] = bimatrix
    u[0, :, :, 1], u[1, :, :, 1] = bimatrix - 1  # any payoffs where the third player plays s2
    u[2, :, :, 0] = 1.0
    comps = equilibrium_components(Game.from_array(u))
    two = equilibrium_components(Game.from_array(bimatrix))
    assert comps.complete and len(comps) == len(two)
    for c, d in zip(comps, two):
        assert c.support == (*d.support, (0,)) and c.dimension == d.dimension
        assert c.vertices == tuple((*v, (1, 0)) for v in d.vertices)


@pytest.mark.slow
def test_a_one_dimensional_component_of_a_three_player_game():
    # player 1 indifferent whatever the others do (u_1 = 0); player 2 gets x1 - 1/2 from s1 (0 from s2),
    # player 3 gets 1/3 - x1 from s1.  So 2 plays s1 iff x1 >= 1/2 and 3 plays s1 iff x1 <= 1/3:
    # the equilibria are x1 in [1/2, 1] with (s1, s2), x1 in [0, 1/3] with (s2, s1), and, at x1 = 1/2,
    # player 2 mixing freely (a segment in x2) with 3 at s2; at x1 = 1/3, player 3 mixing freely with 2 at s2.
    u = np.zeros((3, 2, 2, 2))
    for s in np.ndindex(2, 2, 2):
        x1 = 1.0 if s[0] == 0 else 0.0
        u[(1, *s)] = (x1 - 0.5) if s[1] == 0 else 0.0
        u[(2, *s)] = (1 / 3 - x1) if s[2] == 0 else 0.0
    comps = equilibrium_components(Game.from_array(u))
    assert comps.complete

    def is_equilibrium(x1, x2, x3):
        ok2 = (x2 == 1 and x1 >= 0.5) or (x2 == 0 and x1 <= 0.5) or (x1 == 0.5)
        ok3 = (x3 == 1 and x1 <= 1 / 3) or (x3 == 0 and x1 >= 1 / 3) or (x1 == 1 / 3)
        return ok2 and ok3

    grid = [0.0, 0.2, 1 / 3, 0.4, 0.5, 0.7, 1.0]
    for x1 in grid:
        for x2 in (0.0, 0.3, 1.0):
            for x3 in (0.0, 0.6, 1.0):
                assert (comps.find(_profile(x1, x2, x3)) is not None) == is_equilibrium(x1, x2, x3)
    one = sorted((c.support, c.vertices) for c in comps if c.dimension == 1)
    assert (((0, 1), (0,), (1,)), (((R(1, 2), R(1, 2)), (1, 0), (0, 1)), ((1, 0), (1, 0), (0, 1)))) in one
    assert max(c.dimension for c in comps) == 1


@pytest.mark.slow
def test_all_equilibria_names_each_equilibriums_component_and_is_complete():
    g = Game.from_array(np.array([[[1, 0], [1, 2]], [[1, 0], [0, 1]]]))
    eqs = all_equilibria(g)
    assert eqs.degenerate and eqs.complete
    assert {e.component for e in eqs} == set(range(len(eqs.components)))  # one point of each
    for e in eqs:
        assert eqs.components[e.component].contains(e.strategies)
        assert regret(g.payoffs, list(e.strategies))[0] <= 1e-9
    # a nondegenerate game: each equilibrium is its own isolated component
    pennies = all_equilibria(Game.from_array(np.array([[[1, -1], [-1, 1]], [[-1, 1], [1, -1]]])))
    assert [c.dimension for c in pennies.components] == [0] and pennies[0].component == 0


@pytest.mark.slow
def test_solve_all_json_lists_components():
    g = Game.from_array(np.array([[[1, 0], [1, 2]], [[1, 0], [0, 1]]]), players=["row", "col"])
    rec = json.loads(json.dumps(solve(g, all_equilibria=True).to_record()))
    assert rec["complete"] is True and rec["degenerate"] is True
    comps = rec["components"]
    assert [c["dimension"] for c in comps] == [0, 0, 1]
    seg = comps[2]
    assert set(seg) >= {"support", "dimension", "symbols", "constraints", "vertices"}
    assert seg["symbols"] == {"x1_1": ["row", "s1"], "x1_2": ["row", "s2"]}
    assert seg["vertices"][0] == {"row": {"s1": "1/2", "s2": "1/2"}, "col": {"s1": "1", "s2": "0"}}
    assert all(isinstance(e["component"], int) for e in rec["equilibria"])
    pure = solve(g).to_record()
    assert pure["components"] is None and all(e["component"] is None for e in pure["equilibria"])


@pytest.mark.slow
def test_random_degenerate_games_every_equilibrium_pygambit_finds_lies_in_a_component():
    pytest.importorskip("pygambit")
    from .gambit_reference import sampled_equilibria

    rng = np.random.default_rng(16)
    checked = 0
    for k in range(6):
        u = rng.integers(-1, 2, size=(3, 2, 2, 2)).astype(float)  # payoffs in {-1, 0, 1}: many ties
        comps = equilibrium_components(Game.from_array(u))
        assert comps.complete, comps.notes
        for x in sampled_equilibria(u, starts=3, seed=k):
            if regret(u[None], x)[0] <= 1e-9:
                assert comps.find(x) is not None, (k, x)
                checked += 1
        for c in comps:  # and every component's point is an equilibrium, exactly
            assert exact_regret(u, c.point) == 0
    assert checked >= 12


@pytest.mark.slow
def test_exact_arithmetic_gives_every_equilibrium_of_a_degenerate_game_an_exact_field():
    # the segment's point used to come from a floating-point linear program, with no exact value
    u = np.array([[[1, 0], [1, 2]], [[2, 0], [1, 0]]], dtype=float)
    eqs = all_equilibria(Game.from_array(u), exact=True)
    assert eqs.exact and eqs.complete
    assert all(e.exact is not None for e in eqs)
    for e in eqs:
        assert exact_regret(u, e.exact) == 0


@pytest.mark.slow
def test_a_support_whose_probability_is_forced_to_zero_is_no_component():
    # Hypothesis found it: player 2's indifference forces player 1 to put 0 on its second strategy, so
    # no equilibrium has full support; each listed equilibrium's probabilities have exactly its support
    u = np.zeros((3, 2, 2, 2))
    u[1, 1, 1, :] = 1.0
    eqs = all_equilibria(Game.from_array(u))
    assert eqs.complete
    for e in eqs:
        assert tuple(tuple(int(s) for s in np.flatnonzero(x > 0)) for x in e.strategies) == tuple(e.support)
    assert ((0, 1), (0, 1), (0, 1)) not in [c.support for c in eqs.components]


@pytest.mark.slow
def test_positive_factors_curves_and_connectedness():
    # Game 1: a and b indifferent (payoff 0); c's C1 pays 0, C2 pays +1 at (A2, B1), -1 at (A2, B2): C2's gain
    # is x1_2 (x2_1 - x2_2), so with both a and b mixing, C1 is a best reply iff x2_1 <= 1/2 (x1_2 > 0): the
    # box x1_1 in (0, 1), x2_1 in (0, 1/2] -- a polytope, connected, with vertices x1_1 in {0, 1}, x2_1 in
    # {0, 1/2}.
    u = np.zeros((3, 2, 2, 2))
    u[2, 1, 0, 1], u[2, 1, 1, 1] = 1.0, -1.0
    comps = equilibrium_components(Game.from_array(u))
    assert comps.complete
    (box,) = [c for c in comps if c.support == ((0, 1), (0, 1), (0,))]
    assert box.polytope and box.proved_connected and box.dimension == 2
    hand = {((a, 1 - a), (b, 1 - b), (1, 0)) for a in (0, 1) for b in (0, R(1, 2))}
    assert set(box.vertices) == hand
    for a in (0.2, 0.9):
        for b, inside in ((0.1, True), (0.5, True), (0.6, False)):
            assert box.contains(_profile(a, b, 1.0)) == inside
    # Game 2: c's C1 pays 1/4, C2 pays 1 at (A1, B1): C1 is a best reply iff x1_1 x2_1 <= 1/4, a curved region
    # of the square, connected (with a point it holds every point with smaller probabilities): listed as
    # exactly that set, and shown connected (for each x1_1 its x2_1 form an interval)
    u = np.zeros((3, 2, 2, 2))
    u[2, :, :, 0] = 0.25
    u[2, 0, 0, 1] = 1.0
    game = Game.from_array(u)
    comps = equilibrium_components(game)
    assert comps.complete
    (curved,) = [c for c in comps if c.support == ((0, 1), (0, 1), (0,))]
    assert curved.dimension == 2 and not curved.polytope and curved.proved_connected
    for a, b in ((0.2, 0.9), (0.5, 0.5), (0.9, 0.2), (0.3, 0.3), (0.6, 0.6)):
        assert curved.contains(_profile(a, b, 1.0)) == (a * b <= 0.25)
    # Game 3: C2's gain is (x1_1 - 1/2)(x2_1 - 1/2) + 1/16, so C1 is a best reply in two opposite corners of
    # the square, which the line x1_1 = 1/2 separates: a disconnected set, never called connected, and no
    # count of connected sets is claimed
    u = np.zeros((3, 2, 2, 2))
    u[2, 0, 0, 1], u[2, 0, 1, 1], u[2, 1, 0, 1], u[2, 1, 1, 1] = 0.3125, -0.1875, -0.1875, 0.3125
    game = Game.from_array(u)
    comps = equilibrium_components(game)
    assert comps.complete
    (split,) = [c for c in comps if c.support == ((0, 1), (0, 1), (0,))]
    assert split.dimension == 2 and not split.proved_connected
    for a, b in ((0.2, 0.8), (0.8, 0.2), (0.5, 0.9), (0.5, 0.5), (0.2, 0.2)):
        assert split.contains(_profile(a, b, 1.0)) == ((a - 0.5) * (b - 0.5) <= -1 / 16)
    assert [c.connected for c in comps].count(split.connected) == 1  # joined to nothing
    assert split.to_record(game)["connectedness"] == "not established"
    from tripartite.equilibria.components import components_note

    note = components_note(comps)
    assert "connectedness is not established" in note and "connected set" not in note.split(";")[0]


def test_a_component_budget_that_runs_out_is_reported_not_complete_and_cannot_hang():
    import threading
    import time

    from tripartite.equilibria import components as module

    g = Game.from_array(np.array([[[1, 0], [1, 2]], [[1, 0], [0, 1]]]))
    out = module.equilibrium_components(g, time_limit=0.0)
    assert not out.complete and "budget exhausted" in out.budget and "time_limit=" in out.budget
    out = module.equilibrium_components(g, max_supports=2)
    assert not out.complete and len(out) == 0 and "max_supports=9" in out.budget
    # through all_equilibria's step: the set is then not complete, and the note names the limit
    eqs = dataclasses.replace(all_equilibria(g), complete=False, components=None, notes=())
    module._RECENT.clear()
    out = module.with_components(eqs, time_limit=0.0)
    assert not out.complete and out.components is None
    assert any(
        n.startswith("components not complete: budget exhausted (the time limit of 0 s") for n in out.notes
    )
    # off the main thread (no timer signal) the clock is checked between supports: a 2x2x2x2 game stops
    u = np.random.default_rng(0).integers(-1, 2, size=(4, 2, 2, 2, 2)).astype(float)
    found = []
    start = time.monotonic()
    worker = threading.Thread(
        target=lambda: found.append(module.equilibrium_components(Game.from_array(u), time_limit=0.02))
    )
    worker.start()
    worker.join(timeout=30)
    assert not worker.is_alive() and not found[0].complete and found[0].budget
    assert time.monotonic() - start < 5


@pytest.mark.slow
def test_random_degenerate_bimatrix_games_vertices_are_exactly_pygambits_extreme_equilibria():
    # In a bimatrix game every component is a polytope whose vertices are extreme equilibria (vertices of
    # a maximal Nash subset), and every extreme equilibrium is a vertex of the component holding it: so the
    # vertices of all components are exactly the extreme equilibria pygambit's enummixed lists, exactly.
    pytest.importorskip("pygambit")
    from .gambit_reference import extreme_equilibria

    rng = np.random.default_rng(161)
    for _ in range(3):
        u = rng.integers(-1, 2, size=(2, 3, 3)).astype(float)  # payoffs in {-1, 0, 1}: ties
        comps = equilibrium_components(Game.from_array(u))
        assert comps.complete and all(c.polytope for c in comps)
        ours = {tuple(float(v) for row in vertex for v in row) for c in comps for vertex in c.vertices}
        theirs = {tuple(float(v) for row in x for v in row) for x in extreme_equilibria(u)}
        assert ours == theirs, u.tolist()


def test_completeness_does_not_depend_on_how_scaled_payoffs_round():
    # 0.1 * 3 prints as 0.30000000000000004: the game is still read as the decimals it means
    # (found by the scale-invariance audit: the components were skipped at x 0.1 only)
    import numpy as np

    from tripartite import all_equilibria
    from tripartite.game import Game

    u = np.array([[[3, 1], [0, 1]], [[1, 3], [1, 0]]], dtype=float)
    for factor, shift in ((1, 0), (0.1, 0), (0.1, 1e4)):
        eqs = all_equilibria(Game.from_array(u * factor + shift))
        assert eqs.complete, (factor, shift)
        assert [c.dimension for c in eqs.components.components] == [0, 1]
