"""Logit QRE branch: fixed-point equations, pygambit as a reference, bifurcations, folds."""

import numpy as np
import pygambit as gbt
import pytest

from tripartite import load_model
from tripartite.errors import TripartiteError
from tripartite.game import Game, regret, strategy_payoffs
from tripartite.qre import logit_branch, logit_qre


def to_gambit(u: np.ndarray) -> gbt.Game:
    shape = u.shape[1:]
    g = gbt.Game.new_table(list(shape))
    for prof in np.ndindex(*shape):
        for i, player in enumerate(g.players):
            g[prof][player] = float(u[(i, *prof)])
    return g


def gambit_profile(game: gbt.Game, profile) -> list[np.ndarray]:
    return [np.array([float(profile[s]) for s in p.strategies]) for p in game.players]


def assert_is_logit_qre(u: np.ndarray, lam: float, profile, atol=1e-9):
    """x_i = softmax(lam * u_i(., x_-i)) for every player: the definition."""
    for i, x in enumerate(profile):
        v = strategy_payoffs(u[None], profile, i)[0]
        e = np.exp(lam * (v - v.max()))
        np.testing.assert_allclose(x, e / e.sum(), atol=atol)


# The McKelvey-McLennan 2x2x2 game (9 Nash equilibria, 2 totally mixed), Gambit's contrib/games/2x2x2.nfg.
MCKELVEY_MCLENNAN = np.zeros((3, 2, 2, 2))
MCKELVEY_MCLENNAN[:, 0, 0, 0] = (9, 8, 12)
MCKELVEY_MCLENNAN[:, 1, 1, 0] = (9, 8, 2)
MCKELVEY_MCLENNAN[:, 1, 0, 1] = (3, 4, 6)
MCKELVEY_MCLENNAN[:, 0, 1, 1] = (3, 4, 6)

# A 2x2x2 game whose principal branch folds back twice (turning points near lambda 0.40 and 0.43).
FOLDING = np.array(
    [
        [[[5, -4], [-6, 3]], [[-2, 8], [-8, 4]]],
        [[[4, -4], [-8, -3]], [[-2, 9], [7, -5]]],
        [[[-1, 2], [8, -7]], [[5, 8], [8, -4]]],
    ],
    dtype=float,
)


def test_hand_worked_coordination_qre():
    # symmetric 2x2 coordination with payoffs 2 and 1: x = 1 / (1 + exp(-lam (3x - 1)))
    g = Game.from_array(np.array([[[2, 0], [0, 1]], [[2, 0], [0, 1]]], dtype=float))
    (point,) = logit_qre(g, [1.0])
    x = point.profile[0][0]
    assert x == pytest.approx(1 / (1 + np.exp(-(3 * x - 1))), abs=1e-12)
    assert x == pytest.approx(0.80415, abs=1e-5)


def test_branch_starts_at_the_centroid_and_every_point_is_a_qre():
    g = Game.from_array(FOLDING)
    branch = logit_branch(g)
    assert branch.lambdas[0] == 0 and all(np.allclose(x[0], 0.5) for x in branch.profiles)
    for k in range(0, len(branch), 5):
        assert_is_logit_qre(FOLDING, branch.lambdas[k], branch.profile(k))


@pytest.mark.parametrize(
    "shape, seed", [((2, 2, 2), 1), ((3, 3), 2), ((3, 3, 3), 3), ((2, 2, 2, 2), 4), ((4, 3), 5)]
)
def test_limit_and_interior_points_agree_with_pygambit_on_generic_games(shape, seed):
    u = np.round(np.random.default_rng(seed).normal(size=(len(shape), *shape)), 3)
    branch = logit_branch(Game.from_array(u))
    assert branch.nash_verified and branch.nash_regret <= 1e-9 * branch.scale
    gg = to_gambit(u)
    reference = gbt.nash.logit_solve(gg)
    theirs = gambit_profile(gg, reference.equilibria[0])
    for mine, other in zip(branch.nash, theirs):
        np.testing.assert_allclose(mine, other, atol=1e-5)  # gambit stops at regret ~1e-8
    for lam in (0.3, 1.5):
        (gp,) = gbt.qre.logit_solve_lambda(gg, [lam])
        (mine,) = branch.at(lam)
        for a, b in zip(mine.profile, gambit_profile(gg, gp.profile)):
            np.testing.assert_allclose(a, b, atol=1e-7)
        assert_is_logit_qre(u, lam, mine.profile)


def test_mckelvey_mclennan_game_where_pygambit_stalls_at_a_bifurcation():
    reference = gbt.nash.logit_solve(to_gambit(MCKELVEY_MCLENNAN))
    assert float(reference.equilibria[0].max_regret()) > 0.1  # pygambit's answer is not an equilibrium
    branch = logit_branch(Game.from_array(MCKELVEY_MCLENNAN))
    assert branch.nash_verified and branch.complete
    assert branch.bifurcations == 1
    assert branch.nash_regret <= 1e-12
    np.testing.assert_allclose(np.concatenate(branch.nash), [0.5, 0.5, 0.5, 0.5, 1.0, 0.0], atol=1e-12)
    # the limit is an equilibrium by the definition, independently of the tracer
    assert regret(MCKELVEY_MCLENNAN[None], branch.nash)[0] <= 1e-12
    # and the branch passed the bifurcation: points beyond gambit's stopping point are QRE
    far = branch.at(10.0)
    assert len(far) == 1
    assert_is_logit_qre(MCKELVEY_MCLENNAN, 10.0, far[0].profile)


def test_turning_points_give_several_qre_at_one_lambda():
    branch = logit_branch(Game.from_array(FOLDING))
    assert len(branch.turning_points) == 2
    lo, hi = sorted(branch.turning_points)
    assert 0.39 < lo < hi < 0.44
    points = branch.at(0.5 * (lo + hi))
    assert len(points) == 3
    for p in points:
        assert_is_logit_qre(FOLDING, p.lam, p.profile)
    firsts = sorted(float(p.profile[0][0]) for p in points)
    assert firsts[0] < firsts[1] - 0.05 < firsts[2] - 0.1  # three distinct equilibria
    assert len(branch.at(0.2)) == 1 and len(branch.at(1.0)) == 1
    assert branch.nash_verified


def test_a_fold_tighter_than_the_step_is_resolved_not_retraced():
    # this game's branch makes a hairpin near lambda = 5.13; tracers orienting by the previous
    # tangent jump past its tip and silently trace the branch back to the centroid
    u = np.round(np.random.default_rng(3).normal(size=(3, 3, 3, 3)), 3)
    branch = logit_branch(Game.from_array(u))
    assert branch.complete and branch.nash_verified
    assert sorted(round(v, 2) for v in branch.turning_points) == [3.6, 5.13]
    points = branch.at(4.5)
    assert len(points) == 3
    for p in points:
        assert_is_logit_qre(u, 4.5, p.profile)


def test_degenerate_game_with_a_continuum_of_equilibria_is_still_verified():
    # player 2 is indifferent everywhere: every profile where player 1 best-responds is an equilibrium
    u = np.array([[[3, 1], [2, 2]], [[0, 0], [0, 0]]], dtype=float)
    branch = logit_branch(Game.from_array(u))
    assert branch.nash_verified and branch.nash_regret <= 1e-12


def test_prisoners_dilemma_limit_is_mutual_defection_and_scale_does_not_matter():
    pd = np.array([[[3, 0], [5, 1]], [[3, 5], [0, 1]]], dtype=float)
    small = logit_branch(Game.from_array(pd))
    large = logit_branch(Game.from_array(1000 * pd))
    for b in (small, large):
        np.testing.assert_allclose(np.concatenate(b.nash), [0, 1, 0, 1], atol=1e-12)
    # lambda is in payoff units: scaling payoffs by 1000 scales lambda by 1/1000
    np.testing.assert_allclose(small.at(0.5)[0].profile[0], large.at(0.0005)[0].profile[0], atol=1e-9)


def test_extended_model_qre_limit_is_the_low_equilibrium():
    branch = logit_branch(load_model("extended").game())
    assert branch.nash_verified
    assert [int(np.argmax(x)) for x in branch.nash] == [1, 1, 1]
    assert branch.regrets[0] > branch.regrets[len(branch) // 2] >= 0  # regret falls along the branch


def test_bad_input():
    g = Game.from_array(FOLDING)
    with pytest.raises(TripartiteError, match="non-negative"):
        logit_qre(g, [-1.0])
    with pytest.raises(TripartiteError, match="lambda_max"):
        logit_branch(g, lambda_max=0)
    with pytest.raises(TripartiteError, match="non-negative"):
        logit_branch(g).at(-0.5)


def test_branch_record_lists_points_requested_qre_and_the_verified_limit():
    g = Game.from_array(np.array([[[2, 0], [0, 1]], [[2, 0], [0, 1]]], dtype=float))
    branch = logit_branch(g, reach=[50.0])
    rec = branch.to_record(points=5, lambdas=[1.0, 0.0])
    assert len(rec["branch"]) == 5 and rec["branch"][0]["lambda"] == 0.0
    assert rec["branch"][0]["strategies"] == {"P1": {"s1": 0.5, "s2": 0.5}, "P2": {"s1": 0.5, "s2": 0.5}}
    (at_one,) = rec["requested"][0]["qre"]
    x = at_one["strategies"]["P1"]["s1"]
    assert x == pytest.approx(1 / (1 + np.exp(-(3 * x - 1))), abs=1e-12)  # the hand-worked fixed point
    assert rec["requested"][1]["lambda"] == 0.0 and len(rec["requested"][1]["qre"]) == 1
    nash = rec["nash"]
    assert nash["verified"] and nash["regret"] <= nash["regret_tolerance"]
    assert nash["strategies"]["P1"]["s1"] == pytest.approx(1.0)
    assert set(rec) >= {"payoff_range", "lambda_end", "complete", "steps", "turning_points"}
    assert rec["payoff_range"] == 2.0 and rec["complete"] and rec["lambda_end"] >= 50.0 * 1.01
    assert set(logit_branch(g).to_record()) == set(rec)  # the same keys whatever the options


def test_a_batched_game_needs_point():
    game = load_model("baseline").game(nu=[0.0, 1.0])
    with pytest.raises(TripartiteError, match="this game has 2: pass point="):
        logit_branch(game)
    one = logit_branch(game, point=1, lambda_max=1.0)
    assert one.game.parameters["nu"].tolist() == [1.0]
    assert logit_qre(game, [0.0], point=0)[0].profile[0].tolist() == [0.5, 0.5]
