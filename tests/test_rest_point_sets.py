"""Continua of rest points described as sets, with their normal eigenvalues (issue 16, item 2).

Hand-worked game ``INDIFFERENT`` (players a, b, c; a's payoff is 0 everywhere,
so ``D_a = 0`` identically).  With ``x1, x2, x3`` the shares of A1, B1, C1:

- ``D_b = (2 x3 - 1)(2 x1 - 3)``, ``D_c = (9 x2 - 6) x1 + 3 - 5 x2``;
- every edge where a mixes is a segment of rest points; on ``x2 = x3 = 1``
  the transverse eigenvalues are ``(1 - 2 x_k) D_k = -D_b, -D_c = 3 - 2 x1,
  2 - 3 x1``: normally repelling for ``x1 < 2/3``, saddle-type above;
- on the face where a and c mix (``x2 = 1``): ``D_c = 3 x1 - 2`` vanishes on
  the segment ``x1 = 2/3``; the in-face normal eigenvalue is 0 (``D_a = 0``:
  x1 is constant in the face), the transverse one ``-D_b = 5 (2 x3 - 1)/3``;
  at ``x2 = 0``, ``D_c = 3 - 6 x1``: the segment ``x1 = 1/2``;
- no other face holds a continuum (b and c mixing: isolated points; a and b
  mixing: ``D_b = 0`` needs ``x3 = 1/2``, not on the face);
- interior: ``D_b = 0`` gives ``x3 = 1/2`` and ``D_c = 0`` the curve
  ``x1 = (5 x2 - 3)/(9 x2 - 6)``, inside for ``x2`` in (0, 3/5) and
  (3/4, 1).  The Jacobian there is ``[[0, 0, 0], [0, 0, A], [B, C, 0]]``
  with ``A = x2 (1 - x2) 2 (2 x1 - 3)`` and ``C = (9 x1 - 5)/4``: the
  eigenvalues are 0 (tangent) and ``+-sqrt(A C)``; ``A < 0`` always,
  ``9 x1 - 5 < 0`` on the first piece (``x1 < 1/2``: a saddle) and ``> 0`` on
  the second (``x1 > 2/3``: an imaginary pair, non-hyperbolic).
"""

from __future__ import annotations

import itertools

import numpy as np
import pytest
import sympy as sp

from tripartite import read_scenario
from tripartite.dynamics import replicator_field
from tripartite.game import Game
from tripartite.solution import _exact_model, solve
from tripartite.symbolic import stability_table
from tripartite.symbolic.equations import replicator_equations
from tripartite.symbolic.restpoints import CHANGES_ALONG, rest_points

INDIFFERENT = """
[players]
a = ["A1", "A2"]
b = ["B1", "B2"]
c = ["C1", "C2"]
[payoffs]
"A1, B1, C1" = [0, 1, 2]
"A1, B1, C2" = [0, 0, 1]
"A1, B2, C1" = [0, 2, 0]
"A1, B2, C2" = [0, -1, 3]
"A2, B1, C1" = [0, -2, -1]
"A2, B1, C2" = [0, 3, 1]
"A2, B2, C1" = [0, 1, 1]
"A2, B2, C2" = [0, 0, -2]
"""

# row's payoff depends on the state: D_row = x^2 + y - 1, col is indifferent (D_col = 0)
CURVE = """
name = "curve"
[players]
row = ["green", "grey"]
col = ["left", "right"]
[state]
x = ["row", "green"]
y = ["col", "left"]
[payoffs]
"green, left" = ["x*x", "0"]
"green, right" = ["x*x - 1", "0"]
"grey, left" = ["0", "0"]
"grey, right" = ["0", "0"]
"""


@pytest.fixture(scope="module")
def indifferent():
    return read_scenario(INDIFFERENT, "indifferent.toml")


@pytest.fixture(scope="module")
def indifferent_sets(indifferent):
    return [s for p in rest_points(indifferent, at={}) for s in p.sets]


def _where(rest_set):
    return (rest_set.kind, rest_set.state)


@pytest.mark.slow
def test_every_continuum_of_the_hand_worked_game(indifferent, indifferent_sets):
    x1, x2, x3 = replicator_equations(indifferent).states
    got = {(s.kind, s.state, s.interval) for s in indifferent_sets}
    curve = (5 * x2 - 3) / (9 * x2 - 6)
    one, zero = sp.Integer(1), sp.Integer(0)
    expected = {("edge", (x1, b, c), (zero, one)) for b in (one, zero) for c in (one, zero)}
    expected |= {
        ("face", (sp.Rational(2, 3), one, x3), (zero, one)),
        ("face", (sp.Rational(1, 2), zero, x3), (zero, one)),
        ("interior", (curve, x2, sp.Rational(1, 2)), (zero, sp.Rational(3, 5))),
        ("interior", (curve, x2, sp.Rational(1, 2)), (sp.Rational(3, 4), one)),
    }
    assert {(k, tuple(sp.simplify(v) for v in st), i) for k, st, i in got} == {
        (k, tuple(sp.simplify(v) for v in st), i) for k, st, i in expected
    }
    assert all(s.dimension == 1 for s in indifferent_sets)


@pytest.mark.slow
def test_normal_eigenvalues_by_hand(indifferent, indifferent_sets):
    x1, x2, x3 = replicator_equations(indifferent).states
    edge = next(s for s in indifferent_sets if s.kind == "edge" and s.state[1:] == (1, 1))
    assert {sp.expand(e) for e in edge.normal_eigenvalues} == {3 - 2 * x1, 2 - 3 * x1}
    assert edge.classification == CHANGES_ALONG
    assert [c for _, c in edge.pieces] == ["normally repelling", "non-hyperbolic", "saddle-type"]
    assert edge.pieces[1][0] == "at x1 = 2/3"
    face = next(s for s in indifferent_sets if s.kind == "face" and s.state[1] == 1)
    assert {sp.expand(e) for e in face.normal_eigenvalues} == {0, sp.Rational(10, 3) * x3 - sp.Rational(5, 3)}
    assert face.classification == "non-hyperbolic"  # the in-face normal eigenvalue is 0 along it
    first, second = sorted((s for s in indifferent_sets if s.kind == "interior"), key=lambda s: s.interval)
    assert first.classification == "saddle-type" and second.classification == "non-hyperbolic"
    for piece in (first, second):
        for (t,) in [
            (piece.interval[0] + (piece.interval[1] - piece.interval[0]) * sp.Rational(k, 7),)
            for k in (1, 3, 6)
        ]:
            a_value = float(sp.N(piece.state[0].subs(x2, t)))
            A = float(t * (1 - t)) * 2 * (2 * a_value - 3)
            C = (9 * a_value - 5) / 4
            hand = np.sort_complex(np.array([np.sqrt(complex(A * C)), -np.sqrt(complex(A * C))]))
            assert np.allclose(np.sort_complex(piece.normal_eigenvalues_at((t,))), hand, atol=1e-12)


@pytest.mark.slow
def test_solve_json_and_stability_text(indifferent):
    record = solve(indifferent).to_record()
    assert record["rest_points_complete"] is True and record["rest_points_note"] is None
    sets = record["rest_point_sets"]
    assert len(sets) == 8
    face = next(s for s in sets if s["kind"] == "face" and s["fixed"]["b"]["exact"] == "1")
    assert face["dimension"] == 1 and face["symbols"]["x3"] == ["c", "C1"]
    assert face["constraints"] == ["Eq(x1, 2/3)", "Eq(x2, 1)", "0 <= x3", "x3 <= 1"]
    assert [e["c"]["exact"] for e in face["end_points"]] == ["0", "1"]
    assert face["tangent_eigenvalues"] == [0.0]
    x3 = sp.Symbol("x3")  # as sympy reads the strings
    assert {sp.sympify(e) - 0 for e in face["normal_eigenvalues"]} == {0, 5 * (2 * x3 - 1) / 3}
    parsed = [sp.sympify(c) for c in sets[-1]["constraints"]]  # sympy reads every constraint
    assert parsed[1] == sp.Eq(x3, sp.Rational(1, 2))
    text = stability_table(indifferent, {}).to_text()
    assert "set: face segment of rest points (a, c mixing): x1 = 2/3; x2 = 1; x3 in [0, 1]" in text
    assert "set: interior curve of rest points (a, b, c mixing)" in text
    assert len(stability_table(indifferent, {}).record["rest_point_sets"]) == 8


@pytest.mark.slow
def test_state_dependent_curve():
    """``D_row = x^2 + y - 1``: the curve ``y = 1 - x^2``; the Jacobian is upper triangular there with
    diagonal ``x (1 - x) 2x`` (normal) and 0 (along the curve): normally repelling.  The edges ``x = 0``
    and ``x = 1`` (col indifferent) are segments with normal eigenvalues ``D_row = y - 1`` and ``-D_row = -y``."""
    model = read_scenario(CURVE, "curve.toml")
    sets = [s for p in rest_points(model, at={}) for s in p.sets]
    x1, x2 = replicator_equations(model).states
    by_state = {s.state: s for s in sets}
    assert set(by_state) == {(1, x2), (0, x2), (x1, 1 - x1**2)}
    curve = by_state[(x1, 1 - x1**2)]
    assert curve.interval == (0, 1) and curve.classification == "normally repelling"
    assert sp.expand(curve.normal_eigenvalues[0] - 2 * x1**2 * (1 - x1)) == 0
    assert sp.expand(by_state[(1, x2)].normal_eigenvalues[0]) == -x2
    assert sp.expand(by_state[(0, x2)].normal_eigenvalues[0]) == x2 - 1
    assert all(s.classification == "normally attracting" for s in (by_state[(1, x2)], by_state[(0, x2)]))
    record = stability_table(model, {}).record
    assert [s["kind"] for s in record["rest_point_sets"]] == ["edge", "edge", "interior"]


@pytest.mark.slow
def test_a_whole_face_of_rest_points():
    """a and b indifferent everywhere; c's difference ``D_c = x1 - x2``: every face where a and b mix is a
    face of rest points with normal eigenvalue ``(1 - 2 x3) D_c``: ``x2 - x1`` at ``x3 = 1``."""
    payoffs = np.zeros((3, 2, 2, 2))
    # D_c = u_c(C1) - u_c(C2) = x1 - x2: C1 pays 1 when a plays A1, C2 pays 1 when b plays B1
    payoffs[2, 0, :, 0] += 1
    payoffs[2, :, 0, 1] += 1
    model = _exact_model(Game.from_array(payoffs, players=["a", "b", "c"]))
    sets = [s for p in rest_points(model, at={}) for s in p.sets]
    x1, x2, _ = replicator_equations(model).states
    face = next(s for s in sets if s.kind == "face" and s.mixing == (0, 1) and s.state[2] == 1)
    assert face.dimension == 2 and face.interval is None
    assert sp.expand(face.normal_eigenvalues[0]) == x2 - x1
    assert face.classification == CHANGES_ALONG
    record = face.to_record()
    assert len(record["vertices"]) == 4
    assert {(v["a"]["exact"], v["b"]["exact"]) for v in record["vertices"]} == {
        ("0", "0"),
        ("0", "1"),
        ("1", "0"),
        ("1", "1"),
    }
    # the interior: x1 = x2 with x3 free, a square of rest points
    interior = [s for s in sets if s.kind == "interior"]
    assert len(interior) == 1 and interior[0].dimension == 2
    for shares in interior[0].samples(5):
        assert shares[0] == pytest.approx(shares[1], abs=1e-15)


def _field(payoffs, shares):
    state = [np.array([x, 1 - x]) for x in shares]
    return np.array([v[0, 0] for v in replicator_field(payoffs[None], state)])


def _random_degenerate(rng):
    """An integer 2x2x2 game with structural zeros: one player indifferent, or a payoff that ignores a rival."""
    u = rng.integers(-2, 3, size=(3, 2, 2, 2)).astype(float)
    player = int(rng.integers(3))
    if rng.random() < 0.5:
        u[player] = 0.0  # indifferent everywhere
    else:
        other = int(rng.choice([j for j in range(3) if j != player]))
        index = [slice(None)] * 3
        index[other] = 1
        first = [slice(None)] * 3
        first[other] = 0
        u[(player, *index)] = u[(player, *first)]  # ignores the other's strategy
    return u


def _label(real_parts) -> str:
    """The normal stability of a set from the real parts of its normal eigenvalues (finite differences, to
    1e-4: a double zero eigenvalue splits into +-sqrt of the differencing error)."""
    if any(abs(v) < 1e-4 for v in real_parts):
        return "non-hyperbolic"
    if all(v < 0 for v in real_parts):
        return "normally attracting"
    return "normally repelling" if all(v > 0 for v in real_parts) else "saddle-type"


@pytest.mark.slow
def test_random_degenerate_games_sets_are_rest_points():
    """Every sampled point of every reported set is a rest point (the kernel's field vanishes), and the
    Jacobian's eigenvalues there (central differences of the field) are the tangent zeros and the
    reported normal eigenvalues."""
    rng = np.random.default_rng(16)
    checked = 0
    for _ in range(8):
        u = _random_degenerate(rng)
        model = _exact_model(Game.from_array(u, players=["a", "b", "c"]))
        found = rest_points(model, at={})
        # every face is solved to classified points or its continuum described as sets
        assert all(p.sets or p.numeric_eigenvalues is not None for p in found), u
        for p in found:
            for rest_set in p.sets:
                # a static 2x2x2 game: every set's normal stability is shown for the whole set (edges and curves
                # are cut where a real part crosses 0, faces decided at their corners, surfaces have
                # constant normal eigenvalues), and it agrees with the eigenvalues sampled below
                assert rest_set.exact, rest_set.text()
                for shares in rest_set.samples(3):
                    assert np.abs(_field(u, shares)).max() < 1e-12
                    h = 1e-6
                    jac = np.empty((3, 3))
                    for k in range(3):
                        step = np.zeros(3)
                        step[k] = h
                        jac[:, k] = (_field(u, shares + step) - _field(u, shares - step)) / (2 * h)
                    states = list(replicator_equations(model).states)
                    params = [shares[states.index(x)] for x in rest_set.parameters]
                    expected = np.concatenate(
                        [np.zeros(rest_set.dimension), rest_set.normal_eigenvalues_at(params)]
                    )
                    got = np.linalg.eigvals(jac)
                    assert np.allclose(np.sort_complex(got), np.sort_complex(expected), atol=1e-4), (
                        u,
                        shares,
                    )
                    if rest_set.classification != CHANGES_ALONG:  # the label, from the finite differences
                        normal = sorted(got.real, key=abs)[rest_set.dimension :]  # the tangent zeros dropped
                        assert _label(normal) == rest_set.classification, (u.tolist(), rest_set.text())
                    checked += 1
    assert checked > 20


@pytest.mark.slow
def test_random_degenerate_games_every_rest_point_found_is_reported():
    """Completeness against an independent search: rest points found by least squares from random starts
    inside each open edge/face/interior (payoff differences ``D_i = field_i / (x_i (1 - x_i))`` of the
    mixing players, by the kernel's field) lie on a reported set or are a reported isolated rest point."""
    from scipy.optimize import least_squares

    rng = np.random.default_rng(1616)
    found_on_sets = 0
    for _ in range(4):
        u = _random_degenerate(rng)
        model = _exact_model(Game.from_array(u, players=["a", "b", "c"]))
        reported = rest_points(model, at={})
        sets = [s for p in reported for s in p.sets]
        points = [
            np.array([float(sp.N(v)) for v in p.state]) for p in reported if p.numeric_eigenvalues is not None
        ]
        for size in (1, 2, 3):
            for mixing in itertools.combinations(range(3), size):
                pure = [j for j in range(3) if j not in mixing]
                for corner in itertools.product((0.0, 1.0), repeat=len(pure)):

                    def residual(z, u=u, mixing=mixing, pure=pure, corner=corner):
                        shares = np.empty(3)
                        shares[list(mixing)] = z
                        shares[pure] = corner
                        field = _field(u, shares)
                        return np.array([field[i] / (shares[i] * (1 - shares[i])) for i in mixing])

                    for _start in range(3):
                        z0 = rng.uniform(0.05, 0.95, size)
                        fit = least_squares(
                            residual, z0, bounds=(1e-9, 1 - 1e-9), xtol=1e-15, ftol=1e-15, gtol=1e-15
                        )
                        if np.abs(fit.fun).max() > 1e-11 or np.min(np.minimum(fit.x, 1 - fit.x)) < 1e-4:
                            continue
                        shares = np.empty(3)
                        shares[list(mixing)] = fit.x
                        shares[pure] = corner
                        on_set = any(s.contains(shares, tol=1e-7) for s in sets)
                        isolated = any(np.allclose(shares, p, atol=1e-7) for p in points)
                        assert on_set or isolated, (u.tolist(), shares)
                        found_on_sets += on_set
    assert found_on_sets > 10


@pytest.mark.slow
def test_normal_stability_of_a_face_decided_exactly_at_its_corners():
    """a and b indifferent; c's C1 pays 1/4, C2 pays 1 at (A1, B1), so ``D_c = 1/4 - x1 x2``.  On the face
    ``x3 = 1`` (c plays C1) every state is a rest point and the normal eigenvalue is ``-D_c = x1 x2 - 1/4``:
    attracting near ``x1 = x2 = 0``, repelling near ``x1 = x2 = 1``, zero on the hyperbola.  Inside the cube
    ``x1 x2 = 1/4`` is a surface of rest points whose normal eigenvalue is 0 (the Jacobian has one nonzero
    row, with a zero diagonal)."""
    u = np.zeros((3, 2, 2, 2))
    u[2, :, :, 0] = 0.25
    u[2, 0, 0, 1] = 1.0
    model = _exact_model(Game.from_array(u, players=["a", "b", "c"]))
    sets = [s for p in rest_points(model, at={}) for s in p.sets]
    x1, x2, _ = replicator_equations(model).states
    face = next(s for s in sets if s.kind == "face" and s.state[2] == 1)
    assert face.exact and face.classification == CHANGES_ALONG
    assert dict((w, c) for w, c in face.pieces) == {
        "on x1*x2 - 1/4 = 0": "non-hyperbolic",
        "near x1 = 0, x2 = 0": "normally attracting",
        "near x1 = 1, x2 = 1": "normally repelling",
    }
    # the kernel's field: the transverse eigenvalue d(dx3/dt)/dx3 at x3 = 1 has the sign claimed
    for shares, sign in (((0.1, 0.2, 1.0), -1), ((0.9, 0.8, 1.0), 1)):
        h = 1e-6
        step = np.array([0.0, 0.0, h])
        slope = (_field(u, np.array(shares)) - _field(u, np.array(shares) - step))[2] / h
        assert np.sign(slope) == sign
    (surface,) = [s for s in sets if s.kind == "interior"]
    assert surface.dimension == 2 and surface.exact and surface.classification == "non-hyperbolic"
    record = surface.to_record()
    assert record["exact"] is True and record["sample_normal_eigenvalues"] is None
    for shares in surface.samples(4):
        assert shares[0] * shares[1] == pytest.approx(0.25, abs=1e-12)
