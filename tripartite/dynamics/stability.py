"""Linear stability of rest points of the replicator dynamics.

A rest point is classified from the eigenvalues of the reduced Jacobian
(:func:`~tripartite.dynamics.replicator.reduced_jacobian`), with a tolerance
``tol`` on their real parts:

- **asymptotically stable**: every real part ``< -tol``;
- **unstable**: every real part ``> tol`` (a source);
- **saddle**: some real parts ``< -tol`` and some ``> tol``, none near zero;
- **non-hyperbolic**: some real part within ``tol`` of zero.  Linearisation
  decides nothing there (a centre, a continuum of rest points, a
  bifurcation point); the output says so instead of guessing.  If another
  eigenvalue has a real part ``> tol`` the point is nonetheless unstable,
  which :attr:`VertexStability.unstable` records.

:func:`classify` takes ``tol`` in the eigenvalues' units (payoff per unit
time); :func:`vertex_stability` and :func:`rest_point_stability` take it
relative to the game's payoff scale :math:`\\sigma`
(:func:`tripartite.game.payoff_scale`) and classify with ``tol * sigma``.
Multiplying every payoff by :math:`c > 0` multiplies the replicator field,
and so every eigenvalue, by :math:`c`, and adding a constant to one
player's payoffs changes neither, so the labels do not depend on the
payoffs' units or offsets.

**Vertices.**  At a pure profile :math:`s`, the reduced Jacobian is
triangular and its eigenvalues are exactly the deviation gains
:math:`u_i(t, s_{-i}) - u_i(s)` for every player ``i`` and every
:math:`t \\ne s_i` (all real).  So a vertex is asymptotically stable if and
only if it is a *strict* Nash equilibrium.  In multi-population replicator
dynamics only strict equilibria can be asymptotically stable at all
(Selten 1980; Ritzberger & Weibull 1995), so the "ESS" of the tripartite
evolutionary-game literature means a strict equilibrium here.

Examples
--------
>>> from tripartite import load_model
>>> st = vertex_stability(load_model("baseline").game())
>>> st.label(0, (1, 1, 1))
'asymptotically stable'
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property

import numpy as np

from ..game import DEFAULT_TOL, Game, as_profile, deviation_gains, payoff_scale, vertex_gains
from .replicator import reduced_jacobian, replicator_field

__all__ = [
    "CLASSIFICATIONS",
    "ASYMPTOTICALLY_STABLE",
    "UNSTABLE",
    "SADDLE",
    "NON_HYPERBOLIC",
    "classify",
    "VertexStability",
    "vertex_stability",
    "RestPointStability",
    "rest_point_stability",
]

ASYMPTOTICALLY_STABLE, UNSTABLE, SADDLE, NON_HYPERBOLIC = 0, 1, 2, 3
#: Labels of the classification codes, in code order.
CLASSIFICATIONS = ("asymptotically stable", "unstable", "saddle", "non-hyperbolic")


def classify(real_parts: np.ndarray | Sequence[np.ndarray], tol: float = DEFAULT_TOL) -> np.ndarray:
    """Classification codes (indices into :data:`CLASSIFICATIONS`) from eigenvalue real parts.

    The one classifier of rest points, numeric and symbolic (symbolic code
    passes the signs -1, 0, 1 with ``tol=0``).

    Parameters
    ----------
    real_parts : array (..., D), or a list or tuple of D ndarrays of one shape
        The real parts of the D eigenvalues, along the last axis or one ndarray
        per eigenvalue (the layout of :attr:`VertexStability.gains`, which
        avoids reducing a short last axis over large batches).
    tol : float or ndarray
        A real part within ``tol`` of zero counts as zero, in the eigenvalues'
        units (an array broadcasts against one eigenvalue's array: one
        tolerance per point, ``tol * payoff_scale``).

    Returns
    -------
    ndarray of int8, the shape of ``real_parts`` without the eigenvalue axis

    Examples
    --------
    >>> classify(np.array([[-1.0, -2.0], [1.0, -1.0], [0.0, -1.0]]))
    array([0, 2, 3], dtype=int8)
    >>> CLASSIFICATIONS[int(classify(np.array([-1, 0, 1]), tol=0))]
    'non-hyperbolic'
    """
    if (
        isinstance(real_parts, (list, tuple))
        and real_parts
        and all(isinstance(p, np.ndarray) for p in real_parts)
    ):
        parts = list(real_parts)
        shape = np.broadcast_shapes(*(p.shape for p in parts))
    else:
        arr = np.asarray(real_parts, dtype=float)
        parts = [arr[..., k] for k in range(arr.shape[-1])]
        shape = arr.shape[:-1]
    if not parts:  # no eigenvalues (every player has one strategy): nothing can move
        return np.full(shape, ASYMPTOTICALLY_STABLE, dtype=np.int8)
    all_neg = functools.reduce(np.logical_and, (p < -tol for p in parts))
    all_pos = functools.reduce(np.logical_and, (p > tol for p in parts))
    near_zero = functools.reduce(np.logical_or, (np.abs(p) <= tol for p in parts))
    codes = np.full(shape, SADDLE, dtype=np.int8)
    codes[np.broadcast_to(all_neg, shape)] = ASYMPTOTICALLY_STABLE
    codes[np.broadcast_to(all_pos, shape)] = UNSTABLE
    codes[np.broadcast_to(near_zero, shape)] = NON_HYPERBOLIC
    return codes


@dataclass(frozen=True, eq=False)
class VertexStability:
    """Stability of every pure profile (vertex) at every point of a batch.

    Attributes
    ----------
    game : Game
    gains : tuple of D arrays, each of shape (batch, s_1, ..., s_N)
        The real eigenvalues at each vertex, ``D = sum(s_i - 1)``: for each
        player in order, the gain of each alternative strategy in order
        (:func:`tripartite.game.vertex_gains` without the vertex's own strategy).
        :attr:`eigenvalues` stacks them on a last axis.
    codes : ndarray of int8, shape (batch, s_1, ..., s_N)
        Index into :data:`CLASSIFICATIONS`.
    tol : float
        Relative to the payoff scale: real parts within ``tol * payoff_scale`` of 0 count as 0.
    payoff_scale : ndarray, shape (batch,)
        :func:`tripartite.game.payoff_scale` of each point.
    method : str
    """

    game: Game
    gains: tuple[np.ndarray, ...]
    codes: np.ndarray
    tol: float
    payoff_scale: np.ndarray
    method: str = "closed form: vertex eigenvalues are the deviation gains"

    @cached_property
    def eigenvalues(self) -> np.ndarray:
        """Eigenvalues at every vertex, shape ``(batch, s_1, ..., s_N, D)``."""
        return np.stack(self.gains, axis=-1)

    @property
    def stable(self) -> np.ndarray:
        """Asymptotically stable vertices (strict equilibria), boolean ``(batch, s...)``."""
        return self.codes == ASYMPTOTICALLY_STABLE

    @property
    def unstable(self) -> np.ndarray:
        """Vertices with an eigenvalue ``> tol * payoff_scale``: unstable whatever the rest say."""
        if not self.gains:
            return np.zeros(self.codes.shape, dtype=bool)
        atol = (self.tol * self.payoff_scale).reshape(-1, *([1] * (self.codes.ndim - 1)))
        return functools.reduce(np.logical_or, (g > atol for g in self.gains))

    def label(self, b: int, profile: Sequence[int]) -> str:
        """Classification of vertex ``profile`` at point ``b``."""
        return CLASSIFICATIONS[int(self.codes[(b, *profile)])]

    def stable_profiles(self, b: int = 0) -> list[tuple[int, ...]]:
        """Asymptotically stable vertices at point ``b``."""
        return [tuple(int(k) for k in idx) for idx in np.argwhere(self.stable[b])]

    def to_record(self, point: int = 0) -> dict:
        """The stability of every vertex at one point, as ``solve --json`` prints it.

        Returns
        -------
        dict
            ``{"rest_points": [...], "tolerance": ..., "payoff_scale": ...}``:
            one entry per vertex, in lexicographic
            order, with ``kind`` (``"vertex"``), ``profile`` (player ->
            strategy), ``strategies`` (player -> {strategy: share}), ``eigenvalues`` (list
            of ``[real, imaginary]``; all real at a vertex), ``classification``
            and ``strict_equilibrium`` (asymptotically stable vertices are
            exactly the strict equilibria); the tolerance on the eigenvalues'
            real parts is ``tolerance`` (relative) times ``payoff_scale``.

        Examples
        --------
        >>> g = Game.from_array(np.array([[[2, 0], [0, 1]], [[2, 0], [0, 1]]]))
        >>> row = vertex_stability(g).to_record()["rest_points"][0]
        >>> row["kind"], row["profile"], row["strategies"]["P1"]
        ('vertex', {'P1': 's1', 'P2': 's1'}, {'s1': 1.0, 's2': 0.0})
        >>> row["eigenvalues"], row["classification"], row["strict_equilibrium"]
        ([[-2.0, 0.0], [-2.0, 0.0]], 'asymptotically stable', True)
        """
        g = self.game
        b = range(g.batch_size)[point]  # an IndexError names a point outside the batch
        rows = []
        for prof in g.profiles():
            key = (b, *prof)
            rows.append(
                {
                    "kind": "vertex",
                    "profile": g.profile_names(prof),
                    "strategies": {
                        p: {name: float(k == prof[i]) for k, name in enumerate(g.strategies[i])}
                        for i, p in enumerate(g.players)
                    },
                    "eigenvalues": [[float(e[key]), 0.0] for e in self.gains],
                    "classification": self.label(b, prof),
                    "strict_equilibrium": bool(self.stable[key]),
                }
            )
        return {
            "rest_points": rows,
            "tolerance": float(self.tol),
            "payoff_scale": float(self.payoff_scale[b]),
        }

    def _repr_html_(self) -> str:
        from ..display import html_table, number

        g = self.game
        if g.batch_size > 1:
            rows = [
                [", ".join(g.profile_names(p).values()), int(self.stable[(slice(None), *p)].sum())]
                for p in g.profiles()
            ]
            return html_table(
                ["vertex", "points where asymptotically stable"], rows, f"{g.name}: {g.batch_size} points"
            )
        rows = [
            [
                ", ".join(g.profile_names(p).values()),
                ", ".join(number(e) for e in self.eigenvalues[(0, *p)]),
                self.label(0, p),
            ]
            for p in g.profiles()
        ]
        return html_table(
            ["vertex", "eigenvalues", "classification"], rows, f"{g.name}: stability of every vertex"
        )

    def __repr__(self) -> str:
        if self.game.batch_size == 1:
            found = [tuple(self.game.profile_names(p).values()) for p in self.stable_profiles()]
            return f"<VertexStability of {self.game.name!r}: stable {found}>"
        return f"<VertexStability of {self.game.name!r}: batch of {self.game.batch_size}>"


def vertex_eigenvalues(payoffs: np.ndarray) -> list[np.ndarray]:
    """Eigenvalues of the reduced Jacobian at every vertex, in closed form.

    The entries ``t != v_i`` of the kernel's :func:`~tripartite.game.vertex_gains`.
    For a player with two strategies the one alternative's gain is the
    kernel's :func:`~tripartite.game.deviation_gains` (the same number,
    computed without the ``(..., s_i)`` intermediate: this is the hot path of
    classifying millions of points).

    Returns
    -------
    list of D arrays, each of shape (batch, s_1, ..., s_N)
        For each player ``i`` and each alternative ``t`` (in strategy order,
        skipping the vertex's own strategy) the gain :math:`u_i(t, s_{-i}) - u_i(s)`.

    Examples
    --------
    >>> u = np.array([[[[3.0, 0], [5, 1]], [[3, 5], [0, 1]]]])  # prisoner's dilemma
    >>> [float(e[0, 0, 0]) for e in vertex_eigenvalues(u)]  # at (C, C) each player gains 2 by defecting
    [2.0, 2.0]
    """
    shape = payoffs.shape[2:]
    two = deviation_gains(payoffs) if 2 in shape else None
    many = vertex_gains(payoffs) if any(m > 2 for m in shape) else None
    out = []
    for i, m in enumerate(shape):
        if m == 2:
            out.append(two[i])
        elif m > 2:
            g = many[i]
            own = np.indices(g.shape[1:-1], sparse=True)[i][None]  # v_i, broadcast over the vertices
            for alt in range(m - 1):  # the alt-th strategy other than v_i
                out.append(np.where(own > alt, g[..., alt], g[..., alt + 1]))
    return out


def vertex_stability(game: Game, tol: float = DEFAULT_TOL) -> VertexStability:
    """Eigenvalues and classification of every vertex, vectorised over the batch.

    ``tol`` is relative to the payoff scale (:func:`tripartite.game.payoff_scale`):
    a gain within ``tol * scale`` of 0 counts as 0, at each point.

    Examples
    --------
    >>> import numpy as np
    >>> from tripartite.game import Game
    >>> g = Game.from_array(np.array([[[2, 0], [0, 1]], [[2, 0], [0, 1]]]))
    >>> vertex_stability(g).stable_profiles()
    [(0, 0), (1, 1)]
    """
    gains = vertex_eigenvalues(game.payoffs)
    scale = payoff_scale(game.payoffs)
    atol = (tol * scale).reshape(-1, *([1] * game.n_players))  # one tolerance per point
    return VertexStability(game, tuple(gains), classify(gains, atol), tol, scale)


@dataclass(frozen=True, eq=False)
class RestPointStability:
    """Linear stability of one state of the dynamics at each point of a batch.

    Attributes
    ----------
    state : list of arrays (batch, s_i)
    eigenvalues : complex ndarray, shape (batch, D)
    codes : int8 ndarray, shape (batch,)
    residual : ndarray, shape (batch,)
        Largest absolute component of the vector field at ``state``; a rest
        point has residual ~ 0 (the classification is meaningless otherwise).
    tol : float
        Relative to the payoff scale: real parts within ``tol * payoff_scale`` of 0 count as 0.
    payoff_scale : ndarray, shape (batch,)
        :func:`tripartite.game.payoff_scale` of each point.
    """

    state: list[np.ndarray]
    eigenvalues: np.ndarray
    codes: np.ndarray
    residual: np.ndarray
    tol: float
    payoff_scale: np.ndarray
    method: str = "eigenvalues of the analytic reduced Jacobian (numpy.linalg.eigvals)"

    def label(self, b: int = 0) -> str:
        return CLASSIFICATIONS[int(self.codes[b])]

    def _repr_html_(self) -> str:
        from ..display import html_table, number

        def eigen(z: complex) -> str:
            if z.imag == 0:
                return number(z.real)
            return f"{number(z.real)} {'+' if z.imag > 0 else '-'} {number(abs(z.imag))}i"

        batch = len(self.codes)
        rows = [
            [
                b,
                "; ".join(", ".join(number(v) for v in x[b]) for x in self.state),
                ", ".join(eigen(z) for z in self.eigenvalues[b]),
                f"{self.residual[b]:.3g}",
                self.label(b),
            ]
            for b in range(min(batch, 20))
        ]
        more = f" (first 20 of {batch})" if batch > 20 else ""
        caption = f"linear stability of a state{more}; the classification holds only where the residual is ~0"
        return html_table(["point", "state", "eigenvalues", "residual", "classification"], rows, caption)

    def __repr__(self) -> str:
        if len(self.codes) == 1:
            return f"<RestPointStability: {self.label(0)} (residual {self.residual[0]:.3g})>"
        labels, counts = np.unique(self.codes, return_counts=True)
        found = ", ".join(f"{CLASSIFICATIONS[int(k)]} {int(n)}" for k, n in zip(labels, counts))
        return f"<RestPointStability at {len(self.codes)} points: {found}>"


def rest_point_stability(
    game: Game, state: Sequence[np.ndarray], tol: float = DEFAULT_TOL
) -> RestPointStability:
    """Classify any state (vertex, face or interior) by its reduced-Jacobian eigenvalues.

    Works on every point of a batched game (a state of shape ``(s_i,)`` is
    shared by all points, ``(batch, s_i)`` gives one per point).  ``tol`` is
    relative to the payoff scale (:func:`tripartite.game.payoff_scale`).

    Examples
    --------
    >>> pennies = Game.from_array(np.array([[[1, -1], [-1, 1]], [[-1, 1], [1, -1]]], dtype=float))
    >>> rest_point_stability(pennies, [np.array([0.5, 0.5])] * 2).label()
    'non-hyperbolic'
    """
    xs = as_profile(state, game.payoffs.shape[0])
    jac = reduced_jacobian(game.payoffs, xs)
    eig = np.linalg.eigvals(jac)
    field = replicator_field(game.payoffs, xs)
    residual = np.max(np.abs(np.concatenate(field, axis=1)), axis=1)
    scale = payoff_scale(game.payoffs)
    return RestPointStability(list(xs), eig, classify(eig.real, tol * scale), residual, tol, scale)
