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

from ..game import DEFAULT_TOL, Game
from .replicator import _batched, reduced_jacobian, replicator_field

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


def classify(real_parts: np.ndarray, tol: float = DEFAULT_TOL) -> np.ndarray:
    """Classification codes from eigenvalue real parts along the last axis.

    Examples
    --------
    >>> classify(np.array([[-1.0, -2.0], [1.0, -1.0], [0.0, -1.0]]))
    array([0, 2, 3], dtype=int8)
    """
    real_parts = np.asarray(real_parts, dtype=float)
    near_zero = np.any(np.abs(real_parts) <= tol, axis=-1)
    all_neg = np.all(real_parts < -tol, axis=-1)
    all_pos = np.all(real_parts > tol, axis=-1)
    codes = np.full(real_parts.shape[:-1], SADDLE, dtype=np.int8)
    codes[all_neg] = ASYMPTOTICALLY_STABLE
    codes[all_pos] = UNSTABLE
    codes[near_zero] = NON_HYPERBOLIC
    return codes


@dataclass(frozen=True, eq=False)
class VertexStability:
    """Stability of every pure profile (vertex) at every point of a batch.

    Attributes
    ----------
    game : Game
    gains : tuple of D arrays, each of shape (batch, s_1, ..., s_N)
        The real eigenvalues at each vertex, ``D = sum(s_i - 1)``: for each
        player in order, the gain of each alternative strategy in order.
        :attr:`eigenvalues` stacks them on a last axis.
    codes : ndarray of int8, shape (batch, s_1, ..., s_N)
        Index into :data:`CLASSIFICATIONS`.
    tol : float
    method : str
    """

    game: Game
    gains: tuple[np.ndarray, ...]
    codes: np.ndarray
    tol: float
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
        """Vertices with an eigenvalue ``> tol``: unstable whatever the rest say."""
        return functools.reduce(np.logical_or, (g > self.tol for g in self.gains))

    def label(self, b: int, profile: Sequence[int]) -> str:
        """Classification of vertex ``profile`` at point ``b``."""
        return CLASSIFICATIONS[int(self.codes[(b, *profile)])]

    def stable_profiles(self, b: int = 0) -> list[tuple[int, ...]]:
        """Asymptotically stable vertices at point ``b``."""
        return [tuple(int(k) for k in idx) for idx in np.argwhere(self.stable[b])]

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


def vertex_eigenvalues(payoffs: np.ndarray) -> np.ndarray:
    """Eigenvalues of the reduced Jacobian at every vertex, in closed form.

    Returns
    -------
    list of D arrays, each of shape (batch, s_1, ..., s_N)
        For each player ``i`` and each alternative ``t`` (in strategy order,
        skipping the vertex's own strategy) the gain :math:`u_i(t, s_{-i}) - u_i(s)`.
    """
    n = payoffs.ndim - 2
    shape = payoffs.shape[2:]
    out = []
    for i in range(n):
        u = payoffs[:, i]
        axis = 1 + i
        m = shape[i]
        if m == 2:
            out.append(np.flip(u, axis=axis) - u)
            continue
        # diff[..., t] = u_i(t, s_-i) - u_i(s), for each t; then drop t = s_i
        moved = np.moveaxis(u, axis, -1)  # (batch, ..., m) with s_i last
        diff = moved[..., None, :] - moved[..., :, None]  # [..., s_i, t]
        keep = ~np.eye(m, dtype=bool)
        gains = diff[..., keep].reshape(*diff.shape[:-2], m, m - 1)  # [..., s_i, alt]
        gains = np.moveaxis(gains, -2, axis)
        for alt in range(m - 1):
            out.append(gains[..., alt])
    return out


def vertex_stability(game: Game, tol: float = DEFAULT_TOL) -> VertexStability:
    """Eigenvalues and classification of every vertex, vectorised over the batch.

    Examples
    --------
    >>> import numpy as np
    >>> from tripartite.game import Game
    >>> g = Game.from_array(np.array([[[2, 0], [0, 1]], [[2, 0], [0, 1]]]))
    >>> vertex_stability(g).stable_profiles()
    [(0, 0), (1, 1)]
    """
    gains = vertex_eigenvalues(game.payoffs)
    # classify elementwise over the eigenvalues: cheaper than reducing a short last axis
    all_neg = functools.reduce(np.logical_and, (g < -tol for g in gains))
    all_pos = functools.reduce(np.logical_and, (g > tol for g in gains))
    near_zero = functools.reduce(np.logical_or, (np.abs(g) <= tol for g in gains))
    codes = np.full(all_neg.shape, SADDLE, dtype=np.int8)
    codes[all_neg] = ASYMPTOTICALLY_STABLE
    codes[all_pos] = UNSTABLE
    codes[near_zero] = NON_HYPERBOLIC
    return VertexStability(game, tuple(gains), codes, tol)


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
    """

    state: list[np.ndarray]
    eigenvalues: np.ndarray
    codes: np.ndarray
    residual: np.ndarray
    tol: float
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
    """Classify any state (vertex, face or interior) by its reduced-Jacobian eigenvalues."""
    xs = _batched(game.payoffs, state)
    jac = reduced_jacobian(game.payoffs, xs)
    eig = np.linalg.eigvals(jac)
    field = replicator_field(game.payoffs, xs)
    residual = np.max(np.abs(np.concatenate(field, axis=1)), axis=1)
    return RestPointStability(list(xs), eig, classify(eig.real, tol), residual, tol)
