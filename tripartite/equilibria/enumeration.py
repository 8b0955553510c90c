"""Support enumeration in floating point, over a whole batch of games at once.

A profile :math:`x` with supports :math:`S_i` is a Nash equilibrium iff

.. math::

    u_i(s, x_{-i}) = v_i \\;\\; (s \\in S_i), \\qquad
    u_i(t, x_{-i}) \\le v_i \\;\\; (t \\notin S_i), \\qquad
    x_i(s) > 0 \\;\\; (s \\in S_i), \\quad \\textstyle\\sum_s x_i(s) = 1 .

For every game of the batch and every support profile that survives the
dominance test (:mod:`tripartite.equilibria.supports`):

1. profiles where nobody mixes are the pure equilibria; profiles where one
   player mixes, or whose Bezout number is zero, have no isolated solution
   and are examined for continua (:mod:`tripartite.equilibria.degenerate`);
2. every other profile becomes a *totally mixed problem*: the game restricted
   to :math:`S`, without the players who do not mix.  Problems of the same
   shape, across supports and games, are solved together by elimination
   (:mod:`tripartite.equilibria.elimination`), which also *certifies* each
   one: it found as many distinct nonsingular solutions as the
   multihomogeneous Bezout number allows, so none is missing;
3. problems without an elimination kernel, or not certified, go to the
   homotopy (:mod:`tripartite.equilibria.homotopy`);
4. real solutions in the simplex are polished by Newton's method in
   probability coordinates, mapped back to the full game and *verified*:
   regret at most ``tol`` (which checks the unused strategies too).  Each
   equilibrium is marked quasi-strict (no unused best response, no
   vanishing probability) and regular (also a nonsingular Jacobian).

**Scale.**  Everything above runs on the payoffs normalised per point,
:math:`(u_i - \\min u_i) / \\sigma` (:func:`tripartite.game.normalized_payoffs`,
:math:`\\sigma` the payoff scale): the same equilibria, with every player's
payoffs in ``[0, 1]``, so ``tol`` and every threshold on residuals and
singular values are relative to the payoff scale, and the linear systems are
as well conditioned for payoffs of size ``1e6`` or ``1e-6``, or offset by
``1e4``, as for payoffs of size 1.  The payoffs and regrets recorded are
those of the game given.

Examples
--------
>>> import numpy as np
>>> from tripartite.game import Game
>>> u = np.random.default_rng(3).normal(size=(2, 3, 3, 3, 3))     # two 3x3x3 games
>>> founds, logs, attempted = float_enumeration(Game.from_array(u), 1e-9, float("inf"), 20000, 0)
>>> [len(f) for f in founds], [log.notes for log in logs], attempted.tolist()
([3, 7], [[], []], [True, True])
"""

from __future__ import annotations

import dataclasses
import time
from collections import defaultdict
from dataclasses import dataclass
from functools import cache

import numpy as np

from ..game import Game, expected_payoffs, normalized_payoffs, payoff_vectors, regret
from .collect import Found, RunLog, in_game_units, pure_found_batch
from .degenerate import check_deficient, single_mixer
from .elimination import canonical_shape, kernel_for, solve_totally_mixed
from .homotopy import run_homotopy
from .indifference import affine_jacobian, chart_system, indifference_rows, newton_chart, quasi_strict
from .supports import Profile, bezout_number, profile_kind, viable_profiles

__all__ = ["float_enumeration", "ENUMERATION_METHOD"]

ENUMERATION_METHOD = (
    "support enumeration; each support's indifference system solved by elimination to univariate "
    "polynomials (batched companion-matrix eigenvalues) and certified by the multihomogeneous Bezout "
    "count, or by a linear-product homotopy where elimination does not apply; real solutions "
    "polished by Newton's method and verified"
)


@cache
def _kinds(shape: tuple[int, ...], profiles: tuple[Profile, ...]) -> tuple[np.ndarray, np.ndarray]:
    """Each profile's kind and Bezout number (0 unless it is solved)."""
    kinds = np.array([profile_kind(p) for p in profiles])
    bez = np.array(
        [bezout_number(tuple(len(s) - 1 for s in p)) if k == "solve" else 0 for p, k in zip(profiles, kinds)]
    )
    return kinds, bez


def float_enumeration(
    game: Game, tol: float, deadline: float, max_paths: int, seed: int
) -> tuple[list[list[Found]], list[RunLog], np.ndarray]:
    """Support enumeration at every point of a batch.

    Returns the verified profiles and the log of each point, and whether
    each point was attempted (its supports' Bezout numbers sum to at most
    ``max_paths``; points not attempted have empty results).  ``tol`` is
    relative to the payoff scale; the profiles' payoffs and regrets are in
    the units of ``game``.
    """
    u, shift, sigma = normalized_payoffs(game.payoffs)
    founds, logs, attempted = _enumeration(
        dataclasses.replace(game, payoffs=u, exact_payoffs=None), tol, deadline, max_paths, seed
    )
    founds = [in_game_units(found, shift[b], float(sigma[b])) for b, found in enumerate(founds)]
    return founds, logs, attempted


def _enumeration(
    game: Game, tol: float, deadline: float, max_paths: int, seed: int
) -> tuple[list[list[Found]], list[RunLog], np.ndarray]:
    """:func:`float_enumeration` on payoffs of unit scale (``tol`` then in payoff units)."""
    u = game.payoffs
    G = game.batch_size
    shape = game.shape
    points = [game.point(b) for b in range(G)]
    logs = [RunLog() for _ in range(G)]
    founds = pure_found_batch(game, tol, logs)
    profiles, ok = viable_profiles(u, tol)
    kinds, bez = _kinds(shape, profiles)
    attempted = ok.astype(np.int64) @ bez <= max_paths
    ok &= attempted[:, None]
    scale = np.ones(G)  # the payoff scale of the normalised payoffs, for the relative thresholds

    for p in np.flatnonzero(kinds == "single"):
        for g in np.flatnonzero(ok[:, p]):
            single_mixer(points[g], u[g], profiles[p], tol, logs[g], founds[g])
    deficient = np.flatnonzero(kinds == "deficient")
    for g in np.flatnonzero(ok[:, deficient].any(axis=1)) if deficient.size else []:
        check_deficient(points[g], u[g], [profiles[p] for p in deficient if ok[g, p]], logs[g])

    groups: dict[tuple[int, ...], list[int]] = defaultdict(list)
    for p in np.flatnonzero(kinds == "solve"):
        groups[tuple(len(s) for s in profiles[p])].append(int(p))
    by_shape: dict[tuple[int, ...], list[tuple[int, ...]]] = defaultdict(list)
    for key in groups:  # problems of one canonical shape are solved together
        by_shape[canonical_shape(tuple(s for s in key if s > 1))[0]].append(key)
    rng = np.random.default_rng(seed)
    homotopy_jobs: list[tuple[int, Profile]] = []
    for done, (k, keys) in enumerate(by_shape.items()):
        if time.monotonic() > deadline:
            left = sum(ok[:, groups[key]].sum(axis=1) for kk in list(by_shape)[done:] for key in by_shape[kk])
            for g in np.flatnonzero(left):
                logs[g].incomplete_because(
                    f"time limit reached with {int(left[g])} support profiles not examined"
                )
            break
        if kernel_for(k) is None:
            for key in keys:
                gs, cols = np.nonzero(ok[:, groups[key]])
                homotopy_jobs.extend((int(g), profiles[groups[key][c]]) for g, c in zip(gs, cols))
            continue
        prob = _gather(u, profiles, groups, keys, ok)
        if prob.game.size == 0:
            continue
        sol = solve_totally_mixed(prob.U, rng, scale[prob.game])
        for j in np.flatnonzero(~sol.certified):
            homotopy_jobs.append((int(prob.game[j]), profiles[prob.profile[j]]))
        keep = sol.certified[sol.job]
        _verify(u, prob, sol.X[keep], sol.job[keep], profiles, scale, tol, founds)
    if homotopy_jobs:
        if time.monotonic() > deadline:
            for g in {g for g, _ in homotopy_jobs}:
                logs[g].incomplete_because("time limit reached before the homotopy was run")
        else:
            run_homotopy(points, u, homotopy_jobs, rng, deadline, tol, logs, founds)
    return founds, logs, attempted


@dataclass(frozen=True, eq=False)
class _Problems:
    """Totally mixed problems of one shape ``k``, from many support profiles and games.

    ``pos`` holds, per problem, the positions of the mixing players' support
    strategies in the full profile vector (all players' probabilities side by
    side), block after block; ``pure_pos`` those of the pure players' strategies.
    """

    U: np.ndarray  # (J, n, *k)
    game: np.ndarray  # (J,)
    profile: np.ndarray  # (J,)
    pos: np.ndarray  # (J, sum k)
    pure_pos: np.ndarray  # (J, N - n)


@cache
def _tables(
    profiles: tuple[Profile, ...], plist: tuple[int, ...], key: tuple[int, ...]
) -> tuple[np.ndarray, ...]:
    """Per player, the strategies of each profile of a group (all of the sizes ``key``)."""
    return tuple(
        np.array([profiles[p][i] for p in plist], dtype=int).reshape(len(plist), key[i])
        for i in range(len(key))
    )


def _gather(u: np.ndarray, profiles, groups, keys, ok: np.ndarray) -> _Problems:
    """The problems of every viable profile whose sizes are in ``keys`` (same mixing shape)."""
    shape = u.shape[2:]
    N = len(shape)
    start = np.concatenate([[0], np.cumsum(shape)]).astype(int)
    parts = []
    for key in keys:
        plist = groups[key]
        gs, cols = np.nonzero(ok[:, plist])
        if gs.size == 0:
            continue
        S = [t[cols] for t in _tables(profiles, tuple(plist), key)]  # per player (J, |S_i|)
        mixers = [i for i in range(N) if key[i] > 1]
        _, perm = canonical_shape(tuple(key[i] for i in mixers))
        mixers = [mixers[q] for q in perm]  # the mixing players in the kernel's order
        pos = np.concatenate([start[i] + S[i] for i in mixers], axis=1)
        pure = [start[i] + S[i][:, 0] for i in range(N) if key[i] == 1]
        pure_pos = np.stack(pure, axis=1) if pure else np.zeros((gs.size, 0), dtype=int)
        U = _restrict(u, gs, S, key)
        U = np.transpose(U[:, list(perm)], (0, 1, *[2 + q for q in perm]))
        parts.append((U, gs, np.asarray(plist)[cols], pos, pure_pos))
    if not parts:
        return _Problems(
            np.zeros((0,)), np.zeros(0, dtype=int), np.zeros(0, dtype=int), np.zeros((0, 0)), np.zeros((0, 0))
        )
    return _Problems(*[np.concatenate(x) for x in zip(*parts)])


def _restrict(u: np.ndarray, gs: np.ndarray, S: list[np.ndarray], key: tuple[int, ...]) -> np.ndarray:
    """The totally mixed problems: payoffs of the mixing players on the supports, (J, n, *k)."""
    J = gs.size
    N = len(key)
    um = np.moveaxis(u, 1, -1)  # (G, s_1, ..., s_N, N)
    idx = [gs.reshape(J, *([1] * N))]
    for i in range(N):
        shp = [J] + [1] * N
        shp[1 + i] = key[i]
        idx.append(S[i].reshape(shp))
    sub = um[tuple(idx)]  # (J, |S_1|, ..., |S_N|, N)
    mixers = [i for i in range(N) if key[i] > 1]
    k = [key[i] for i in mixers]
    sub = sub[..., mixers].reshape(J, *k, len(mixers))
    return np.moveaxis(sub, -1, 1)


def _verify(u, prob: _Problems, X, job, profiles, scale, tol, founds) -> None:
    """Real solutions in the simplex: polish, map to the full game, verify, classify, record."""
    if X.shape[0] == 0:
        return
    k = list(prob.U.shape[2:])
    n = len(k)
    off = np.concatenate([[0], np.cumsum(k)]).astype(int)
    with np.errstate(all="ignore"):
        blocks = [X[:, off[q] : off[q + 1]] for q in range(n)]
        sums = [b.sum(axis=1) for b in blocks]
        probs = [b / s[:, None] for b, s in zip(blocks, sums)]
    finite = np.all([np.abs(s) > 1e-12 * np.linalg.norm(b, axis=1) for s, b in zip(sums, blocks)], axis=0)
    imag = np.max([np.max(np.abs(p.imag), axis=1) for p in probs], axis=0)
    low = np.min([np.min(p.real, axis=1) for p in probs], axis=0)
    cand = np.flatnonzero(finite & (imag <= 1e-6) & (low >= -1e-6))
    if cand.size == 0:
        return
    job = job[cand]
    g = prob.game[job]
    # Newton's method in probability coordinates (the chart sum x_j = 1)
    W = indifference_rows(prob.U[job])
    ones = [np.ones(kq) for kq in k]
    x0 = np.concatenate([p[cand].real for p in probs], axis=1)
    x, _, _ = newton_chart(W, ones, x0, iters=2, cond=False)
    H, Jc = chart_system(W, ones, x)
    rows = np.concatenate([np.arange(off[q] + 1, off[q + 1]) for q in range(n)])
    resid = np.max(np.abs(H[:, rows]), axis=1)
    good = (resid <= 1e-8 * scale[g]) & (np.min(x, axis=1) >= -1e-12) & np.isfinite(x).all(axis=1)
    sub = np.concatenate([np.clip(x[:, off[q] : off[q + 1]], 0.0, None) for q in range(n)], axis=1)
    for q in range(n):
        sub[:, off[q] : off[q + 1]] /= sub[:, off[q] : off[q + 1]].sum(axis=1, keepdims=True)
    # the full profiles, and which strategies each uses
    R = x.shape[0]
    shape = u.shape[2:]
    start = np.concatenate([[0], np.cumsum(shape)]).astype(int)
    rr = np.arange(R)[:, None]
    flat = np.zeros((R, start[-1]))
    flat[rr, prob.pos[job]] = sub
    flat[rr, prob.pure_pos[job]] = 1.0
    used = np.zeros((R, start[-1]), dtype=bool)
    used[rr, prob.pos[job]] = True
    used[rr, prob.pure_pos[job]] = True
    full = [flat[:, start[i] : start[i + 1]] for i in range(len(shape))]
    ug = u[g]
    reg = regret(ug, full)
    good &= reg <= tol
    if not good.any():
        return
    own = expected_payoffs(ug, full)  # (R, N)
    qs = quasi_strict(
        payoff_vectors(ug, full), full, [used[:, start[i] : start[i + 1]] for i in range(len(shape))], tol
    )
    jac = affine_jacobian(Jc, k)
    with np.errstate(all="ignore"):
        smallest = np.linalg.svd(jac, compute_uv=False)[:, -1]
    regular = qs & (smallest > 1e-9 * scale[g])
    for r in np.flatnonzero(good):
        founds[int(g[r])].append(
            Found(
                [f[r].copy() for f in full],
                profiles[prob.profile[job[r]]],
                quasi_strict=bool(qs[r]),
                regular=bool(regular[r]),
                regret=max(float(reg[r]), 0.0),
                payoffs=own[r],
            )
        )
