"""Support profiles: which can hold an equilibrium, and how many isolated solutions each can have.

A *support profile* :math:`S = (S_1, \\dots, S_N)` names the strategies each
player uses with positive probability.  It can hold an equilibrium only if
no :math:`s \\in S_i` is *conditionally dominated* given :math:`S_{-i}`: no
other strategy :math:`t` does at least as well as :math:`s` against every
:math:`s_{-i} \\in S_{-i}` and strictly better against one (a totally mixed
:math:`x_{-i}` on :math:`S_{-i}` would then make :math:`t` strictly better
than :math:`s`).  :func:`viable_profiles` applies this test to every profile
of a whole batch of games at once: for each player and each profile of the
others' supports, one matrix product counts the violations.

The *kind* of a profile decides how its indifference system is solved
(:mod:`tripartite.equilibria.indifference`): with :math:`m_i = |S_i| - 1`,
the system has :math:`\\sum_i m_i` equations in as many unknowns and at most
:math:`B(m)` isolated solutions, the multihomogeneous Bezout number
(:func:`assignments` lists the assignments it counts).

- ``"pure"``: nobody mixes (the pure equilibria, found directly);
- ``"single"``: one player mixes against pure opponents: the indifference
  conditions do not involve the unknowns, so there is nothing or a continuum;
- ``"deficient"``: :math:`B(m) = 0`, no isolated solution (overdetermined, or a continuum);
- ``"solve"``: everything else.

Examples
--------
>>> import numpy as np
>>> pd = np.array([[[3, 0], [5, 1]], [[3, 5], [0, 1]]])
>>> support_profiles(pd)                    # defection dominates
[((1,), (1,))]
>>> profile_kind(((0, 1), (0, 1), (2,))), profile_kind(((0, 1), (0,), (1,))), profile_kind(((0, 1), (0, 1, 2)))
('solve', 'single', 'deficient')
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from functools import cache

import numpy as np

from ..game import vertex_gains

__all__ = [
    "subsets",
    "all_profiles",
    "viable_profiles",
    "support_profiles",
    "assignments",
    "bezout_number",
    "profile_kind",
]

Profile = tuple[tuple[int, ...], ...]


@cache
def subsets(m: int) -> tuple[tuple[int, ...], ...]:
    """Nonempty subsets of ``range(m)``, smallest first.

    Examples
    --------
    >>> subsets(3)
    ((0,), (1,), (2,), (0, 1), (0, 2), (1, 2), (0, 1, 2))
    """
    return tuple(
        tuple(k for k in range(m) if mask >> k & 1)
        for mask in sorted(range(1, 2**m), key=lambda b: (bin(b).count("1"), b))
    )


@cache
def all_profiles(shape: tuple[int, ...]) -> tuple[Profile, ...]:
    """Every support profile of a game of this shape, by total size, then lexicographically."""
    out = list(itertools.product(*[subsets(m) for m in shape]))
    out.sort(key=lambda p: (sum(map(len, p)), p))
    return tuple(out)


@cache
def _tables(shape: tuple[int, ...]):
    """Index tables for the vectorised dominance test.

    For each player ``i``: the 0/1 masks (C_i, R_i) of the others' support
    combinations over the others' pure profiles, each profile's combination
    number (P,), and each profile's own support as a bit mask (P,).
    """
    N = len(shape)
    profiles = all_profiles(shape)
    subs = [subsets(m) for m in shape]
    out = []
    for i in range(N):
        others = [j for j in range(N) if j != i]
        combos = list(itertools.product(*[subs[j] for j in others]))
        combo_index = {c: k for k, c in enumerate(combos)}
        masks = np.zeros((len(combos), int(np.prod([shape[j] for j in others]))), dtype=float)
        for k, c in enumerate(combos):
            ind = np.ones(())
            for j, S in zip(others, c):
                v = np.zeros(shape[j])
                v[list(S)] = 1.0
                ind = np.multiply.outer(ind, v)
            masks[k] = ind.reshape(-1)
        which = np.array([combo_index[tuple(p[j] for j in others)] for p in profiles], dtype=int)
        bits = np.array([sum(1 << s for s in p[i]) for p in profiles], dtype=np.int64)
        out.append((masks, which, bits))
    return out


def viable_profiles(payoffs: np.ndarray, tol: float = 0.0) -> tuple[tuple[Profile, ...], np.ndarray]:
    """Which support profiles survive the conditional-dominance test, for a batch of games.

    Parameters
    ----------
    payoffs : ndarray, shape (G, N, s_1, ..., s_N)
    tol : float
        Payoff differences within ``tol`` count as ties.

    Returns
    -------
    profiles : tuple of profiles
        :func:`all_profiles` of the shape.
    ok : ndarray of bool, shape (G, len(profiles))

    Examples
    --------
    >>> pd = np.array([[[[3.0, 0], [5, 1]], [[3, 5], [0, 1]]]])
    >>> profiles, ok = viable_profiles(pd)
    >>> [p for p, keep in zip(profiles, ok[0]) if keep]
    [((1,), (1,))]
    """
    u = np.asarray(payoffs, dtype=float)
    G, N = u.shape[:2]
    shape = tuple(u.shape[2:])
    profiles = all_profiles(shape)
    ok = np.ones((G, len(profiles)), dtype=bool)
    gains = vertex_gains(u)  # gains[i][g, v, t] = u_i(t, v_-i) - u_i(v)
    for i, (masks, which, bits) in enumerate(_tables(shape)):
        # [g, t, s, r]: t's gain over s against the others' pure profile r
        diff = np.moveaxis(gains[i], (-1, 1 + i), (1, 2)).reshape(G, shape[i], shape[i], -1)
        violations = (diff < -tol).astype(float) @ masks.T  # (G, t, s, C): t worse somewhere
        better = (diff > tol).astype(float) @ masks.T  # t strictly better somewhere
        dominated = ((violations == 0) & (better > 0)).any(axis=1)  # (G, s, C)
        dom_bits = (dominated.astype(np.int64) << np.arange(shape[i])[None, :, None]).sum(axis=1)  # (G, C)
        ok &= (dom_bits[:, which] & bits[None, :]) == 0
    return profiles, ok


def support_profiles(payoffs: np.ndarray, tol: float = 0.0) -> list[Profile]:
    """Support profiles of one game that can hold an equilibrium, by conditional dominance.

    Parameters
    ----------
    payoffs : ndarray, shape (N, s_1, ..., s_N)
        One game (floats, or exact numbers in an object array).
    tol : float
        Differences within ``tol`` count as ties.

    Returns
    -------
    list of tuple of tuple of int
        Supports (strategy indices of each player), smallest first.

    Examples
    --------
    >>> pd = np.array([[[3, 0], [5, 1]], [[3, 5], [0, 1]]])
    >>> support_profiles(pd)
    [((1,), (1,))]
    """
    u = np.asarray(payoffs)
    if u.dtype != object:
        profiles, ok = viable_profiles(u[None].astype(float), tol)
        return [p for p, keep in zip(profiles, ok[0]) if keep]
    return _support_profiles_exact(u, tol)


def _support_profiles_exact(u: np.ndarray, tol) -> list[Profile]:
    """The same test with exact numbers (object arrays), one profile at a time."""
    n = u.shape[0]
    shape = u.shape[1:]
    memo: dict = {}

    def dominated(i: int, others: tuple[tuple[int, ...], ...]) -> frozenset[int]:
        key = (i, others)
        if key not in memo:
            ui = u[i]
            for j in reversed(range(n)):
                if j != i:
                    ui = np.take(ui, others[j if j < i else j - 1], axis=j)
            block = np.moveaxis(ui, i, 0).reshape(shape[i], -1)
            diff = block[:, None, :] - block[None, :, :]  # [t, s, profile]
            ge = np.vectorize(lambda d: d >= -tol, otypes=[bool])(diff).all(axis=2)
            gt = np.vectorize(lambda d: d > tol, otypes=[bool])(diff).any(axis=2)
            memo[key] = frozenset(int(s) for s in np.flatnonzero((ge & gt).any(axis=0)))
        return memo[key]

    out = []
    for prof in all_profiles(tuple(shape)):
        if all(not (dominated(i, prof[:i] + prof[i + 1 :]) & set(prof[i])) for i in range(n)):
            out.append(prof)
    return out


@cache
def assignments(m: tuple[int, ...]) -> tuple[tuple[int, ...], ...]:
    """The assignments counted by the multihomogeneous Bezout number.

    Each indifference equation of player ``i`` (there are ``m[i]``, listed
    player by player) is given to another player ``j``, and player ``j``
    receives exactly ``m[j]`` equations.  They index the start solutions of
    the homotopy's linear-product start system.

    Examples
    --------
    >>> assignments((1, 1, 1))
    ((1, 2, 0), (2, 0, 1))
    """
    n = len(m)
    rows = [i for i in range(n) for _ in range(m[i])]
    cap = list(m)
    out: list[tuple[int, ...]] = []
    cur: list[int] = []

    def rec(k: int) -> None:
        if k == len(rows):
            out.append(tuple(cur))
            return
        for j in range(n):
            if j != rows[k] and cap[j] > 0:
                cap[j] -= 1
                cur.append(j)
                rec(k + 1)
                cur.pop()
                cap[j] += 1

    rec(0)
    return tuple(out)


@cache
def bezout_number(m: tuple[int, ...]) -> int:
    """Multihomogeneous Bezout number of an indifference system with ``m[i] = |S_i| - 1``.

    An upper bound on its number of isolated solutions, reached for generic
    payoffs.  Counted by dynamic programming over the remaining capacities.

    Examples
    --------
    >>> bezout_number((1, 1, 1)), bezout_number((2, 2, 2)), bezout_number((1, 1, 1, 1)), bezout_number((1, 2))
    (2, 10, 9, 0)
    """
    n = len(m)
    rows = [i for i in range(n) for _ in range(m[i])]

    @cache
    def count(k: int, cap: tuple[int, ...]) -> int:
        if k == len(rows):
            return 1
        return sum(
            count(k + 1, cap[:j] + (cap[j] - 1,) + cap[j + 1 :])
            for j in range(n)
            if j != rows[k] and cap[j] > 0
        )

    return count(0, tuple(m))


def profile_kind(profile: Sequence[Sequence[int]]) -> str:
    """``"pure"``, ``"single"``, ``"deficient"`` or ``"solve"`` (see the module docstring)."""
    m = tuple(len(s) - 1 for s in profile)
    mixers = sum(1 for x in m if x > 0)
    if mixers == 0:
        return "pure"
    if mixers == 1:
        return "single"
    if bezout_number(m) == 0:
        return "deficient"
    return "solve"
