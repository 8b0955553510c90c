"""Logit quantal-response equilibria: the principal branch and its Nash limit.

In a logit quantal-response equilibrium (McKelvey & Palfrey 1995) with
precision :math:`\\lambda \\ge 0`, each player mixes with probabilities

.. math:: x_{i,s} = \\frac{\\exp(\\lambda\\, u_i(s, x_{-i}))}{\\sum_t \\exp(\\lambda\\, u_i(t, x_{-i}))}.

At :math:`\\lambda = 0` the unique solution is the centroid; for generic games
the solutions connected to it form one smooth curve (the *principal branch*)
that converges, as :math:`\\lambda \\to \\infty`, to a Nash equilibrium.

**Path following.**  With log-probabilities :math:`w = \\log x` and the
dimensionless precision :math:`\\mu = \\lambda \\cdot \\Delta`
(:math:`\\Delta` the payoff range, so the tracer behaves the same whatever the
payoff units), the branch is the zero set of

.. math::
   H_{i,s}(w, \\mu) = w_{i,s} - w_{i,0} - \\mu\\,(u'_i(s, x_{-i}) - u'_i(0, x_{-i})) \\quad (s \\ne 0),
   \\qquad H_{i,\\Sigma}(w) = \\sum_s e^{w_{i,s}} - 1,

(:math:`u' = u / \\Delta`), a curve in :math:`(w, \\mu)`-space.  It is traced
in arc length by a predictor-corrector method: an Euler predictor along the
unit tangent (the null vector of the Jacobian :math:`DH`, oriented as
described below), then Newton's method on
:math:`H = 0` restricted to the hyperplane through the predicted point normal
to the tangent (pseudo-arclength).  Because the curve is parametrised by arc
length, not by :math:`\\lambda`, *turning points* (where the branch folds back
in :math:`\\lambda`) are passed like any other point and recorded.

*Orientation.*  The new tangent is oriented so that the augmented determinant
:math:`\\det[DH; t]` keeps its sign, which is constant along a regular branch;
a step whose oriented tangent turns by more than about 25 degrees is
shortened, so a fold tighter than the step (which an orientation by inner
product with the previous tangent would silently turn into a retrace of the
branch) is resolved rather than overshot.  At a simple bifurcation point the
determinant changes sign while the tangent does not: when the oriented
tangent reverses over a step shorter than :math:`10^{-6}` (relative), the
tracer continues straight through and counts a bifurcation.  (Tracers that
stop at the sign change return a point that is not an equilibrium, as
pygambit's ``logit_solve`` does on the McKelvey-McLennan 2x2x2 game.)  Where
the tangent is ill-defined (ties in degenerate games) the tracer steps over
the point, orienting by the secant, and counts a jump.

**The limit.**  Past :math:`\\mu_{\\max}` the support of the limit is read off
the last point, the equilibrium conditions on that support (indifference
within the support, probabilities summing to one) are solved by Gauss-Newton
steps (minimum-norm, so a continuum of equilibria in a degenerate game is
handled too), and the result is accepted as a Nash equilibrium only if its regret
:math:`\\max_i \\max_s u_i(s, x_{-i}) - u_i(x)` is within ``regret_tol``.
Otherwise the last point of the branch is reported with its regret and
``nash_verified = False``.

**QRE at given** :math:`\\lambda`: every crossing of the branch with the
hyperplane :math:`\\lambda = \\lambda_0` (several, where the branch folds), by
interpolation between the bracketing points and Newton's method on
:math:`H(\\cdot, \\mu_0) = 0`.

Examples
--------
>>> import numpy as np
>>> from tripartite.game import Game
>>> pennies = Game.from_array(np.array([[[1, -1], [-1, 1]], [[-1, 1], [1, -1]]], dtype=float))
>>> branch = logit_branch(pennies)
>>> [np.round(x, 6).tolist() for x in branch.nash], branch.nash_verified
([[0.5, 0.5], [0.5, 0.5]], True)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from .dynamics._shared import one_point, shares_record
from .errors import TripartiteError
from .game import DEFAULT_TOL, Game, cross_payoffs, payoff_vectors, regret, shares_from_log

__all__ = ["LogitBranch", "QREPoint", "logit_branch", "logit_qre", "MAX_PRECISION"]

#: The largest scale-free precision ``lambda x payoff range`` the branch is traced to: beyond it
#: the logit response is a best response to machine precision (and the path's steps underflow).
MAX_PRECISION = 1e12

METHOD = (
    "logit QRE principal branch: pseudo-arclength predictor-corrector on (log-probabilities, "
    "lambda * payoff range); Nash limit polished by Newton's method on its support and verified by regret"
)


@dataclass(frozen=True)
class QREPoint:
    """A logit QRE: precision ``lam`` and one probability vector per player.

    ``game`` (when known) names the players and strategies in displays.
    """

    lam: float
    profile: list[np.ndarray]
    regret: float
    game: Game | None = field(default=None, compare=False)

    def _repr_html_(self) -> str:
        from .display import html_table

        rows = [
            [player, text] for player, text in zip(_player_names(self.game, self.profile), self._shares())
        ]
        caption = f"logit QRE at lambda = {self.lam:g} (regret {self.regret:.3g})"
        return html_table(["player", "probabilities"], rows, caption)

    def _shares(self) -> list[str]:
        return _shares_text(self.game, self.profile)

    def to_record(self, welfare: Game | None = None) -> dict:
        """``lambda``, ``strategies`` (player -> {strategy: probability}), ``regret`` (>= 0), ``payoffs``.

        ``payoffs``: each player's expected payoff at the point, in the game
        whose QRE it is (when the point knows its game).  With ``welfare``
        (the players' welfare as a one-point game,
        :func:`tripartite.welfare.welfare_game`), also ``welfare``: each
        player's expected welfare there.

        Examples
        --------
        >>> import numpy as np
        >>> g = Game.from_array(np.array([[[2, 0], [0, 1]], [[2, 0], [0, 1]]], dtype=float))
        >>> rec = logit_qre(g, [0.0])[0].to_record()
        >>> rec["strategies"]["P1"], rec["regret"], rec["payoffs"]
        ({'s1': 0.5, 's2': 0.5}, 0.25, {'P1': 0.75, 'P2': 0.75})
        """
        return _point_record(self.game, self.lam, self.profile, self.regret, welfare)

    def __repr__(self) -> str:
        shares = "; ".join(self._shares())
        return f"<QREPoint lambda={self.lam:g}: {shares} (regret {self.regret:.3g})>"


def _point_record(
    game: Game | None, lam: float, profile: Sequence[np.ndarray], reg: float, welfare: Game | None = None
) -> dict:
    """One QRE point's record, with its payoffs and welfare (:func:`_values_record`) when the game is known."""
    named = (
        game if game is not None else Game.from_array(np.zeros((len(profile), *(len(x) for x in profile))))
    )
    out = {"lambda": float(lam), "strategies": shares_record(named, profile), "regret": max(float(reg), 0.0)}
    return out if game is None else {**out, **_values_record(game, profile, welfare)}


def _values_record(game: Game, profile: Sequence[np.ndarray], welfare: Game | None) -> dict:
    """``payoffs`` (expected, in ``game``) and, given a ``welfare`` game, ``welfare`` at a mixed profile."""
    from .welfare import expected_payoffs_at, welfare_at

    out = {"payoffs": dict(zip(game.players, map(float, expected_payoffs_at(game, profile))))}
    if welfare is not None:
        out["welfare"] = dict(zip(game.players, map(float, welfare_at(welfare, profile))))
    return out


def _player_names(game: Game | None, profile: Sequence[np.ndarray]) -> list[str]:
    return list(game.players) if game is not None else [f"player {i + 1}" for i in range(len(profile))]


def _shares_text(game: Game | None, profile: Sequence[np.ndarray], digits: int = 4) -> list[str]:
    """Each player's mixed strategy as text, ``active 0.3, passive 0.7`` (or bare numbers)."""
    out = []
    for i, x in enumerate(profile):
        names = game.strategies[i] if game is not None else [""] * len(x)
        out.append(", ".join(f"{s} {v:.{digits}g}".strip() for s, v in zip(names, x)))
    return out


@dataclass(frozen=True, eq=False)
class LogitBranch:
    """The traced principal branch of the logit QRE correspondence.

    Attributes
    ----------
    game : Game
        The game (one parameter point).
    lambdas : ndarray, shape (P,)
        Precision at each traced point, in the game's payoff units.
    profiles : list of ndarray
        Per player, probabilities at each point, shape ``(P, s_i)``.
    regrets : ndarray, shape (P,)
        Regret of each point (how far from a Nash equilibrium).
    turning_points : list of float
        Values of ``lambda`` at which the branch folds back.
    nash : list of ndarray
        The limiting Nash equilibrium (or the last point, if not verified).
    nash_regret : float
    nash_verified : bool
        ``nash_regret <= regret_tol``.
    lambda_end : float
        Precision of the last traced point.
    scale : float
        Payoff range used to make the precision dimensionless.
    complete : bool
        The branch was traced to ``lambda_max`` (not stopped by the step
        budget, nor stalled at a point the tracer could not pass).
    steps, bifurcations, jumps : int
        Predictor-corrector steps; simple bifurcation points crossed; steps
        over points where the tangent was ill-defined (ties in degenerate games).
    method : str
    tol, regret_tol : float
    """

    game: Game
    lambdas: np.ndarray
    profiles: list[np.ndarray]
    regrets: np.ndarray
    turning_points: list[float]
    nash: list[np.ndarray]
    nash_regret: float
    nash_verified: bool
    lambda_end: float
    scale: float
    complete: bool
    steps: int
    jumps: int
    bifurcations: int
    tol: float
    regret_tol: float
    method: str = METHOD
    _logs: np.ndarray = field(default=None, repr=False)

    def __len__(self) -> int:
        return len(self.lambdas)

    def profile(self, k: int) -> list[np.ndarray]:
        """The ``k``-th traced point, one probability vector per player."""
        return [x[k] for x in self.profiles]

    def at(self, lam: float) -> list[QREPoint]:
        """Every QRE on the traced branch with precision ``lam`` (several if the branch folds).

        Examples
        --------
        >>> import numpy as np
        >>> from tripartite.game import Game
        >>> g = Game.from_array(np.array([[[2, 0], [0, 1]], [[2, 0], [0, 1]]], dtype=float))
        >>> [np.round(p.profile[0], 4).tolist() for p in logit_branch(g).at(0.0)]
        [[0.5, 0.5]]
        """
        if lam < 0:
            raise TripartiteError("lambda must be non-negative")
        mu = lam * self.scale
        mus = self.lambdas * self.scale
        u = self.game.payoffs[0] / self.scale
        found: list[QREPoint] = []
        for k in range(len(mus) - 1):
            a, b = mus[k], mus[k + 1]
            if (a - mu) * (b - mu) > 0 or a == b:
                continue
            s = (mu - a) / (b - a)
            w0 = (1 - s) * self._logs[k] + s * self._logs[k + 1]
            w = _newton_fixed_mu(u, w0, mu, self.tol)
            if w is None:
                continue
            prof = _profile(w, self.game.shape)
            if any(all(np.allclose(x, y, atol=1e-8) for x, y in zip(prof, p.profile)) for p in found):
                continue
            found.append(QREPoint(float(lam), prof, float(regret(self.game.payoffs, prof)[0]), self.game))
        return found

    def dense_path(self, per_segment: int = 4) -> tuple[np.ndarray, list[np.ndarray]]:
        """The branch with ``per_segment - 1`` extra points between traced points (for figures).

        Each extra point is the secant interpolation corrected back onto the
        branch by Newton's method normal to the secant; where that fails the
        point is left out.

        Returns
        -------
        lambdas : ndarray, shape (M,)
        profiles : list of ndarray, per player ``(M, s_i)``
        """
        u = self.game.payoffs[0] / self.scale
        mus = self.lambdas * self.scale
        ys = np.column_stack([self._logs, mus])
        out = [ys[0]]
        for a, b in zip(ys[:-1], ys[1:]):
            secant = b - a
            norm = np.linalg.norm(secant)
            if norm > 0 and per_segment > 1:
                direction = secant / norm
                for k in range(1, per_segment):
                    y, _ = _correct(u, a + (k / per_segment) * secant, direction, self.tol)
                    if y is not None:
                        out.append(y)
            out.append(b)
        path = np.array(out)
        flat = [_profile(w, self.game.shape) for w in path[:, :-1]]
        return path[:, -1] / self.scale, [np.array([p[i] for p in flat]) for i in range(self.game.n_players)]

    def to_record(self, points: int = 40, lambdas: Sequence[float] = (), welfare: Game | None = None) -> dict:
        """The answer of ``tripartite qre --json``, without provenance.

        Parameters
        ----------
        points : int
            How many traced points to list (spread along the branch, :meth:`sample`).
        lambdas : list of float
            Precisions at which to report every QRE on the branch (:meth:`at`).
        welfare : Game, optional
            The players' welfare at the point (:func:`tripartite.welfare.welfare_game`, or
            the game before behavioural payoffs): every point then also carries ``welfare``.

        Returns
        -------
        dict
            ``payoff_range``, ``lambda_end``, ``complete``, ``steps``,
            ``bifurcations``, ``jumps``, ``turning_points``, ``branch`` (each
            point ``lambda``, ``strategies``, ``regret``, ``payoffs``: each
            player's expected payoff in the traced game, and with ``welfare``
            each player's ``welfare``), ``requested`` (each ``lambda`` and its
            ``qre`` points, the same fields) and ``nash`` (``strategies``,
            ``regret``, ``verified``, ``regret_tolerance``, ``payoffs`` and
            ``welfare`` likewise).

        Examples
        --------
        >>> import numpy as np
        >>> pennies = Game.from_array(np.array([[[1, -1], [-1, 1]], [[-1, 1], [1, -1]]], dtype=float))
        >>> rec = logit_branch(pennies).to_record(points=3, lambdas=[1.0])
        >>> len(rec["branch"]), rec["requested"][0]["qre"][0]["strategies"]["P1"], rec["nash"]["verified"]
        (3, {'s1': 0.5, 's2': 0.5}, True)
        """
        if points < 2:
            raise TripartiteError("a branch record lists at least 2 points")
        return {
            "payoff_range": float(self.scale),
            "lambda_end": float(self.lambda_end),
            "complete": bool(self.complete),
            "steps": int(self.steps),
            "bifurcations": int(self.bifurcations),
            "jumps": int(self.jumps),
            "turning_points": [float(v) for v in self.turning_points],
            "branch": [
                _point_record(self.game, self.lambdas[k], self.profile(k), self.regrets[k], welfare)
                for k in self.sample(points)
            ],
            "requested": [
                {"lambda": float(lam), "qre": [p.to_record(welfare) for p in self.at(lam)]} for lam in lambdas
            ],
            "nash": {
                "strategies": shares_record(self.game, self.nash),
                "regret": float(self.nash_regret),
                "verified": bool(self.nash_verified),
                "regret_tolerance": float(self.regret_tol),
                **_values_record(self.game, self.nash, welfare),
            },
        }

    def sample(self, max_points: int = 60) -> list[int]:
        """Indices of at most ``max_points`` traced points, spread along the branch."""
        n = len(self.lambdas)
        if n <= max_points:
            return list(range(n))
        keep = set(np.unique(np.linspace(0, n - 1, max_points).round().astype(int)).tolist())
        return sorted(keep)

    def _repr_html_(self) -> str:
        from .display import html_fields, html_table

        players = list(self.game.players)
        rows = []
        for k in self.sample(6):
            rows.append(
                [
                    f"{self.lambdas[k]:.4g}",
                    *_shares_text(self.game, self.profile(k)),
                    f"{self.regrets[k]:.3g}",
                ]
            )
        state = "yes" if self.nash_verified else "NO (the last point of the branch)"
        rows.append(["Nash limit", *_shares_text(self.game, self.nash), f"{self.nash_regret:.3g}"])
        caption = (
            f"{self.game.name}: logit QRE principal branch, "
            f"{len(self)} points to lambda = {self.lambda_end:.3g}"
        )
        out = html_table(["lambda", *players, "regret"], rows, caption)
        facts = [
            (
                "Nash limit verified",
                f"{state} (regret {self.nash_regret:.3g}, tolerance {self.regret_tol:g})",
            ),
            ("traced to the end", "yes" if self.complete else "no"),
            ("turning points (lambda)", ", ".join(f"{t:.4g}" for t in self.turning_points) or "none"),
            ("bifurcations crossed, jumps", f"{self.bifurcations}, {self.jumps}"),
        ]
        return out + html_fields(facts)

    def __repr__(self) -> str:
        state = "verified" if self.nash_verified else "NOT verified"
        return (
            f"<LogitBranch of {self.game.name!r}: {len(self)} points to lambda={self.lambda_end:.3g}, "
            f"Nash limit {state} (regret {self.nash_regret:.2g})>"
        )


# --- the equations ---------------------------------------------------------------------------------


def _split(vec: np.ndarray, shape: Sequence[int]) -> list[np.ndarray]:
    return np.split(vec, np.cumsum(shape)[:-1])


def _profile(w: np.ndarray, shape: Sequence[int]) -> list[np.ndarray]:
    """Probabilities from log-probabilities (the kernel's softmax), one vector per player."""
    return _split(shares_from_log(w, shape), shape)


def _system(u: np.ndarray, w: np.ndarray, mu: float) -> tuple[np.ndarray, np.ndarray]:
    """``H(w, mu)`` and its Jacobian ``(S, S + 1)`` (last column: d/dmu)."""
    shape = u.shape[1:]
    n = len(shape)
    xs = [np.exp(p) for p in _split(w, shape)]
    offsets = np.concatenate([[0], np.cumsum(shape)]).astype(int)
    size = int(offsets[-1])
    h = np.empty(size)
    jac = np.zeros((size, size + 1))
    vs = payoff_vectors(u[None], xs)
    for i in range(n):
        o, m = offsets[i], shape[i]
        v = vs[i][0]
        wi = w[o : o + m]
        rows = np.arange(o, o + m - 1)
        h[rows] = wi[1:] - wi[0] - mu * (v[1:] - v[0])
        jac[rows, o + 1 + np.arange(m - 1)] = 1.0
        jac[rows, o] -= 1.0
        jac[rows, size] = -(v[1:] - v[0])
        for j in range(n):
            if j == i:
                continue
            c = cross_payoffs(u[None], xs, i, j)[0]  # (s_i, s_j)
            oj = offsets[j]
            jac[rows, oj : oj + shape[j]] = -mu * (c[1:] - c[0]) * xs[j][None, :]
        h[o + m - 1] = xs[i].sum() - 1.0
        jac[o + m - 1, o : o + m] = xs[i]
    return h, jac


def _tangent(jac: np.ndarray) -> np.ndarray:
    q, _ = np.linalg.qr(jac.T, mode="complete")
    return q[:, -1]


def _newton_fixed_mu(u: np.ndarray, w: np.ndarray, mu: float, tol: float, max_iter: int = 30):
    w = w.copy()
    for _ in range(max_iter):
        h, jac = _system(u, w, mu)
        try:
            step = np.linalg.solve(jac[:, :-1], -h)
        except np.linalg.LinAlgError:
            return None
        w += step
        if np.linalg.norm(step) <= tol * (1 + np.linalg.norm(w)):
            h, _ = _system(u, w, mu)
            return w if np.linalg.norm(h) <= 1e3 * tol else None
    return None


def _correct(u: np.ndarray, y_pred: np.ndarray, tangent: np.ndarray, tol: float, max_iter: int = 8):
    """Newton's method on ``H = 0`` within the hyperplane through ``y_pred`` normal to ``tangent``."""
    y = y_pred.copy()
    last = np.inf
    for it in range(1, max_iter + 1):
        if np.max(y[:-1]) > 1.0:  # a log-probability far above 0: the iteration has left the branch
            return None, it
        h, jac = _system(u, y[:-1], y[-1])
        system = np.vstack([jac, tangent])
        rhs = -np.concatenate([h, [tangent @ (y - y_pred)]])
        try:
            step = np.linalg.solve(system, rhs)
        except np.linalg.LinAlgError:
            return None, it
        with np.errstate(over="ignore", invalid="ignore"):
            size = float(np.linalg.norm(step))
        if not np.isfinite(size) or (it > 1 and size > 0.5 * last):  # diverging or not contracting
            return None, it
        y += step
        last = size
        if size <= tol * (1 + np.linalg.norm(y)):
            return y, it
    return None, max_iter


def _orientation(jac: np.ndarray, t: np.ndarray) -> float:
    """Sign of ``det([DH; t])``: constant along a regular branch traced in one direction."""
    sign, _ = np.linalg.slogdet(np.vstack([jac, t]))
    return float(sign)


def _step(u: np.ndarray, y: np.ndarray, t: np.ndarray, h: float, tol: float, orientation: float):
    """One predictor-corrector step.

    Returns ``(y_new, t_new, iters)``, with ``t_new`` oriented so that the
    augmented determinant keeps the sign ``orientation``; ``y_new`` is
    ``None`` if the corrector failed.
    """
    y_new, iters = _correct(u, y + h * t, t, tol)
    if y_new is None or y_new[-1] < 0:
        return None, None, iters
    _, jac = _system(u, y_new[:-1], y_new[-1])
    t_new = _tangent(jac)
    if _orientation(jac, t_new) != orientation:
        t_new = -t_new
    return y_new, t_new, iters


def _jump(u: np.ndarray, y: np.ndarray, t: np.ndarray, tol: float):
    """Step over a point where the tangent is ill-defined, or ``(None, None)``."""
    size = 1 + float(np.linalg.norm(y))
    for factor in (1e-6, 1e-4, 1e-3, 1e-2, 1e-1):
        y_new, _ = _correct(u, y + factor * size * t, t, tol)
        if y_new is None or y_new[-1] < 0:
            continue
        secant = y_new - y
        if secant @ t <= 0:
            continue
        _, jac = _system(u, y_new[:-1], y_new[-1])
        t_new = _tangent(jac)
        if t_new @ secant < 0:
            t_new = -t_new
        return y_new, t_new
    return None, None


# --- the Nash limit ------------------------------------------------------------------------------------


def _polish(u: np.ndarray, xs: list[np.ndarray], supports: list[np.ndarray], tol: float):
    """Gauss-Newton on the equilibrium conditions restricted to ``supports``."""
    shape = u.shape[1:]
    n = len(shape)
    xs = [np.where(s, x, 0.0) for x, s in zip(xs, supports)]
    xs = [x / x.sum() for x in xs]
    idx = [np.flatnonzero(s) for s in supports]
    offsets = np.concatenate([[0], np.cumsum([len(k) for k in idx])]).astype(int)
    size = int(offsets[-1])
    if size == n:  # pure profile: nothing to solve
        return xs
    for _ in range(50):
        f = np.empty(size)
        jac = np.zeros((size, size))
        vs = payoff_vectors(u[None], xs)
        for i in range(n):
            o, k = offsets[i], idx[i]
            v = vs[i][0][k]
            rows = np.arange(o, o + len(k) - 1)
            f[rows] = v[1:] - v[0]
            for j in range(n):
                if j != i:
                    c = cross_payoffs(u[None], xs, i, j)[0][np.ix_(k, idx[j])]
                    jac[rows, offsets[j] : offsets[j] + len(idx[j])] = c[1:] - c[0]
            f[o + len(k) - 1] = xs[i][k].sum() - 1.0
            jac[o + len(k) - 1, o : o + len(k)] = 1.0
        # least squares: the minimum-norm Newton step also handles a continuum of equilibria
        # (fewer independent conditions than unknowns), as in degenerate games
        step = np.linalg.lstsq(jac, -f, rcond=None)[0]
        for i in range(n):
            xs[i] = xs[i].copy()
            xs[i][idx[i]] += step[offsets[i] : offsets[i + 1]]
        if np.linalg.norm(step) <= tol:
            break
    else:
        return None
    if any(np.any(x < -1e-9) for x in xs):
        return None
    return [np.clip(x, 0.0, None) / np.clip(x, 0.0, None).sum() for x in xs]


def _nash_limit(game: Game, u: np.ndarray, xs: list[np.ndarray], regret_tol: float, tol: float):
    candidates = []
    for threshold in (1e-8, 1e-5, 1e-11, 1e-3, 1e-14):
        supports = [x > threshold for x in xs]
        if any(not s.any() for s in supports):
            continue
        if not any(all(np.array_equal(a, b) for a, b in zip(supports, c)) for c in candidates):
            candidates.append(supports)
    for supports in candidates:
        polished = _polish(u, xs, supports, tol)
        if polished is None:
            continue
        if max(float(np.abs(a - b).max()) for a, b in zip(polished, xs)) > 1e-2:
            continue
        r = float(regret(game.payoffs, polished)[0])
        if r <= regret_tol:
            return polished, max(r, 0.0), True
    r = max(float(regret(game.payoffs, xs)[0]), 0.0)
    return xs, r, r <= regret_tol


# --- the tracer ---------------------------------------------------------------------------------------


def logit_branch(
    game: Game,
    *,
    lambda_max: float | None = None,
    mu_max: float = 1e7,
    point: int | None = None,
    reach: Sequence[float] = (),
    first_step: float = 0.03,
    max_accel: float = 1.5,
    max_steps: int = 20_000,
    tol: float = 1e-11,
    regret_tol: float | None = None,
) -> LogitBranch:
    """Trace the principal branch of the logit QRE correspondence from ``lambda = 0``.

    Parameters
    ----------
    game : Game
    lambda_max : float, optional
        Trace to this precision (payoff units); by default to ``mu_max / scale``.
    mu_max : float
        Default end of the branch in dimensionless precision ``lambda * payoff range``.
    point : int, optional
        Which parameter point of a batched game (required when it has several:
        the batch rule of :mod:`tripartite.dynamics._shared`).
    reach : list of float
        Precisions the branch must be traced past (by 1%), e.g. those at
        which QRE will be asked for with :meth:`LogitBranch.at`; they raise
        ``lambda_max`` (or the default end) where needed.
    first_step, max_accel : float
        Initial arc-length step and the largest factor by which a step grows.
    max_steps : int
        Budget of predictor-corrector steps.
    tol : float
        Relative tolerance of the Newton corrector.
    regret_tol : float, optional
        Largest regret of an accepted Nash limit; default ``DEFAULT_TOL * payoff range`` (1e-9 times it).

    Returns
    -------
    LogitBranch

    Examples
    --------
    The McKelvey-McLennan 2x2x2 game, where the branch passes a bifurcation:

    >>> import numpy as np
    >>> u = np.zeros((3, 2, 2, 2))
    >>> u[:, 0, 0, 0], u[:, 1, 1, 0] = (9, 8, 12), (9, 8, 2)
    >>> u[:, 1, 0, 1], u[:, 0, 1, 1] = (3, 4, 6), (3, 4, 6)
    >>> branch = logit_branch(Game.from_array(u))
    >>> [np.round(x, 6).tolist() for x in branch.nash], branch.nash_regret < 1e-8
    ([[0.5, 0.5], [0.5, 0.5], [1.0, 0.0]], True)
    """
    game, _ = one_point(game, point, "logit_branch")
    u_raw = game.payoffs[0]
    if not np.all(np.isfinite(u_raw)):
        raise TripartiteError("payoffs must be finite numbers")
    scale = _payoff_range(game)
    reach = [float(v) for v in reach]
    if any(not v >= 0 for v in reach):
        raise TripartiteError("lambda must be non-negative")
    if lambda_max is not None:
        if not lambda_max > 0:
            raise TripartiteError("lambda_max must be positive")
        mu_max = max([float(lambda_max), *(1.01 * v for v in reach)]) * scale
    elif reach:
        mu_max = max(mu_max, 1.01 * max(reach) * scale)
    if mu_max > MAX_PRECISION:
        raise TripartiteError(
            f"lambda x payoff range = {mu_max:.3g} exceeds {MAX_PRECISION:.0e}: beyond it the logit "
            "response equals a best response to machine precision (ask for a smaller lambda)"
        )
    if regret_tol is None:
        regret_tol = DEFAULT_TOL * scale
    u = u_raw / scale
    shape = game.shape
    w0 = np.concatenate([np.full(m, -np.log(m)) for m in shape])
    y = np.concatenate([w0, [0.0]])
    _, jac = _system(u, w0, 0.0)
    t = _tangent(jac)
    if t[-1] < 0:
        t = -t
    orientation = _orientation(jac, t)
    h = first_step
    ys = [y.copy()]
    turning: list[float] = []
    steps = jumps = bifurcations = 0
    while y[-1] < mu_max and steps < max_steps:
        steps += 1
        size = 1 + float(np.linalg.norm(y))
        y_new, t_new, iters = _step(u, y, t, h, tol, orientation)
        if y_new is not None:
            alignment = float(t_new @ t)
            if alignment < 0.9:
                if alignment < -0.9 and h <= 1e-6 * size:
                    # the determinant changed sign over a tiny step with the tangent nearly
                    # unchanged: a simple bifurcation point; continue straight through it
                    t_new, orientation = -t_new, -orientation
                    bifurcations += 1
                else:  # a sharp turn (or a fold overshot): shorten the step
                    y_new = None
        if y_new is None:
            h *= 0.5
            if h >= 1e-9 * size:
                continue
            # the tangent is ill-defined here (a tie in a degenerate game):
            # step over the point, orienting the new tangent by the secant
            y_new, t_new = _jump(u, y, t, tol)
            if y_new is None:
                break
            _, jac = _system(u, y_new[:-1], y_new[-1])
            orientation = _orientation(jac, t_new)
            jumps += 1
            iters = 99
            h = max(h, 0.5 * float(np.linalg.norm(y_new - y)))
        if t_new[-1] * t[-1] < 0:
            turning.append(float(0.5 * (y[-1] + y_new[-1])) / scale)
        y, t = y_new, t_new
        ys.append(y.copy())
        if iters <= 3:
            h *= max_accel
    path = np.array(ys)
    logs = path[:, :-1]
    lambdas = path[:, -1] / scale
    profiles_flat = [_profile(w, shape) for w in logs]
    profiles = [np.array([p[i] for p in profiles_flat]) for i in range(game.n_players)]
    regrets = np.array([float(regret(game.payoffs, p)[0]) for p in profiles_flat])
    nash, nash_regret, verified = _nash_limit(game, u, profiles_flat[-1], regret_tol, 1e-14)
    return LogitBranch(
        game=game,
        lambdas=lambdas,
        profiles=profiles,
        regrets=regrets,
        turning_points=turning,
        nash=nash,
        nash_regret=nash_regret,
        nash_verified=verified,
        lambda_end=float(lambdas[-1]),
        scale=scale,
        complete=bool(y[-1] >= mu_max),
        steps=steps,
        jumps=jumps,
        bifurcations=bifurcations,
        tol=tol,
        regret_tol=float(regret_tol),
        _logs=logs,
    )


def _payoff_range(game: Game) -> float:
    """The largest payoff range of any player (1 if every payoff is equal): the unit of ``mu``."""
    u = game.payoffs[0]
    return float(max(np.ptp(u[i]) for i in range(game.n_players))) or 1.0


def logit_qre(game: Game, lambdas: Sequence[float], **options) -> list[QREPoint]:
    """Logit QRE on the principal branch at each requested precision (all crossings).

    ``options`` go to :func:`logit_branch` (``point=`` for a batched game).

    Examples
    --------
    >>> import numpy as np
    >>> from tripartite.game import Game
    >>> g = Game.from_array(np.array([[[2, 0], [0, 1]], [[2, 0], [0, 1]]], dtype=float))
    >>> [np.round(p.profile[0], 4).tolist() for p in logit_qre(g, [1.0])]
    [[0.8042, 0.1958]]
    """
    lambdas = [float(v) for v in lambdas]
    if any(not v >= 0 for v in lambdas):
        raise TripartiteError("lambda must be non-negative")
    if "lambda_max" not in options:
        options["reach"] = [*options.get("reach", ()), *lambdas]
    branch = logit_branch(game, **options)
    return [p for v in lambdas for p in branch.at(v)]
