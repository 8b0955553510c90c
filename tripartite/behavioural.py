"""Behavioural payoffs: the prospect-theory value function applied to a game.

Prospect theory (Kahneman & Tversky 1979; Tversky & Kahneman 1992) evaluates
an outcome :math:`u` as a gain or a loss relative to a reference point
:math:`r`, with diminishing sensitivity on both sides and losses looming
larger than gains:

.. math::
   v(u) = \\begin{cases} (u - r)^{\\alpha} & u \\ge r, \\\\
                         -\\lambda\\, (r - u)^{\\beta} & u < r, \\end{cases}

with curvature :math:`\\alpha, \\beta \\in (0, 1]` and loss aversion
:math:`\\lambda \\ge 1`.  Tversky & Kahneman's (1992) median estimates,
:math:`\\alpha = \\beta = 0.88` and :math:`\\lambda = 2.25`, are the defaults.

:func:`prospect_game` replaces every payoff :math:`u_i(s)` of a game by
:math:`v_i(u_i(s))` (optionally with a reference point per player), so every
solver (pure and mixed equilibria, replicator dynamics, basins, QRE) can
compare the rational and the behavioural equilibria of the same game.  Only
outcome values are transformed; probabilities are not weighted (the
equilibrium concepts take expectations over the others' mixed strategies,
which is the usual "prospect-theory payoffs" reading of the evolutionary
game literature).  With :math:`\\alpha = \\beta = \\lambda = 1` and
:math:`r = 0` the game is reproduced exactly; with :math:`r \\ne 0` it is
shifted by :math:`-r`, which changes no equilibrium.

The transformation is not invariant to the payoff unit when
:math:`\\alpha, \\beta \\ne 1` (:math:`(cu)^{\\alpha} = c^{\\alpha} u^{\\alpha}`
shifts the balance against the linear loss-aversion factor), so state the
unit of the payoffs together with the parameters.

Examples
--------
>>> import numpy as np
>>> from tripartite import load_model
>>> game = load_model("baseline").game()
>>> behavioural = prospect_game(game)
>>> behavioural.payoffs.shape == game.payoffs.shape
True
>>> np.array_equal(prospect_game(game, alpha=1, beta=1, loss_aversion=1).payoffs, game.payoffs)
True
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from .errors import TripartiteError
from .game import Game
from .model import Model

__all__ = ["ProspectTheory", "TVERSKY_KAHNEMAN_1992", "prospect_value", "prospect_game"]


@dataclass(frozen=True)
class ProspectTheory:
    """Parameters of the prospect-theory value function.

    Attributes
    ----------
    alpha : float
        Curvature for gains, in ``(0, 1]`` (1: linear).
    beta : float
        Curvature for losses, in ``(0, 1]``.
    loss_aversion : float
        Loss aversion ``lambda >= 1`` (how much more a loss weighs than an equal gain).
    reference : float or tuple of float
        Reference point, for all players or one per player (payoff units).

    Examples
    --------
    >>> ProspectTheory().value(np.array([100.0, -100.0])).round(2)
    array([  57.54, -129.47])
    """

    alpha: float = 0.88
    beta: float = 0.88
    loss_aversion: float = 2.25
    reference: float | tuple[float, ...] = 0.0

    def __post_init__(self) -> None:
        for name in ("alpha", "beta"):
            value = getattr(self, name)
            if not (isinstance(value, (int, float)) and 0 < value <= 1):
                raise TripartiteError(f"prospect theory: {name} must be in (0, 1], got {value!r}")
        if not (isinstance(self.loss_aversion, (int, float)) and math.isfinite(self.loss_aversion)):
            raise TripartiteError("prospect theory: loss aversion must be a number")
        if self.loss_aversion < 1:
            raise TripartiteError(
                f"prospect theory: loss aversion must be at least 1, got {self.loss_aversion!r}"
            )
        refs = self.reference if isinstance(self.reference, tuple) else (self.reference,)
        if not all(isinstance(r, (int, float)) and math.isfinite(r) for r in refs):
            raise TripartiteError("prospect theory: the reference point must be a finite number")

    @property
    def is_identity(self) -> bool:
        """Linear, no loss aversion, reference 0: the game is unchanged."""
        refs = self.reference if isinstance(self.reference, tuple) else (self.reference,)
        return self.alpha == 1 and self.beta == 1 and self.loss_aversion == 1 and all(r == 0 for r in refs)

    def value(self, payoffs: np.ndarray, reference: float | np.ndarray | None = None) -> np.ndarray:
        """The value function applied elementwise."""
        r = self.reference if reference is None else reference
        return prospect_value(payoffs, r, self.alpha, self.beta, self.loss_aversion)

    def describe(self) -> dict:
        """JSON-ready description (for provenance)."""
        ref = list(self.reference) if isinstance(self.reference, tuple) else self.reference
        return {
            "value_function": "prospect theory (Tversky & Kahneman 1992)",
            "alpha": self.alpha,
            "beta": self.beta,
            "loss_aversion": self.loss_aversion,
            "reference": ref,
        }

    def apply(self, game: Game) -> Game:
        """The game with every payoff passed through the value function."""
        return prospect_game(game, self)

    def _reference_text(self) -> str:
        refs = self.reference if isinstance(self.reference, tuple) else (self.reference,)
        return ", ".join(f"{r:g}" for r in refs)

    def _repr_latex_(self) -> str:
        r = "r" if isinstance(self.reference, tuple) else f"{self.reference:g}"
        gain = "u" if r == "0" else (f"(u + {r[1:]})" if r.startswith("-") else f"(u - {r})")
        loss = f"({r} - u)" if r != "0" else "(-u)"
        return (
            f"$$v(u) = \\begin{{cases}} {gain}^{{{self.alpha:g}}} & u \\ge {r} \\\\ "
            f"-{self.loss_aversion:g}\\, {loss}^{{{self.beta:g}}} & u < {r} \\end{{cases}}$$"
        )

    def _repr_html_(self) -> str:
        from .display import html_table

        per_player = " (one per player)" if isinstance(self.reference, tuple) else ""
        rows = [
            ["alpha", f"{self.alpha:g}", "curvature for gains (1: linear)"],
            ["beta", f"{self.beta:g}", "curvature for losses (1: linear)"],
            [
                "loss aversion (lambda)",
                f"{self.loss_aversion:g}",
                "how much more a loss weighs than an equal gain",
            ],
            [
                "reference point",
                self._reference_text(),
                f"payoff counted as neither gain nor loss{per_player}",
            ],
        ]
        caption = (
            "prospect-theory value function: $v(u) = (u - r)^{\\alpha}$ for gains, "
            "$-\\lambda (r - u)^{\\beta}$ for losses"
        )
        return html_table(["parameter", "value", "meaning"], rows, caption)


#: Tversky & Kahneman's (1992) median estimates.
TVERSKY_KAHNEMAN_1992 = ProspectTheory(0.88, 0.88, 2.25, 0.0)


def prospect_value(
    payoffs: np.ndarray,
    reference: float | np.ndarray = 0.0,
    alpha: float = 0.88,
    beta: float = 0.88,
    loss_aversion: float = 2.25,
) -> np.ndarray:
    """Prospect-theory value of payoffs relative to a reference point.

    Examples
    --------
    >>> prospect_value(np.array([-2.0, 0.0, 3.0]), alpha=1, beta=1, loss_aversion=2)
    array([-4.,  0.,  3.])
    """
    u = np.asarray(payoffs, dtype=float)
    d = u - np.asarray(reference, dtype=float)
    gains = np.where(d >= 0, d, 0.0)
    losses = np.where(d < 0, -d, 0.0)
    gain_value = gains if alpha == 1 else gains**alpha
    loss_value = losses if beta == 1 else losses**beta
    return np.where(d >= 0, gain_value, -loss_aversion * loss_value)


def _per_player_reference(pt: ProspectTheory, game: Game) -> np.ndarray:
    if isinstance(pt.reference, tuple):
        if len(pt.reference) != game.n_players:
            raise TripartiteError(
                f"prospect theory: give one reference point per player ({game.n_players}), "
                f"got {len(pt.reference)}"
            )
        return np.array(pt.reference, dtype=float)
    return np.full(game.n_players, float(pt.reference))


def prospect_game(
    game: Game | Model,
    theory: ProspectTheory | None = None,
    /,
    *,
    alpha: float | None = None,
    beta: float | None = None,
    loss_aversion: float | None = None,
    reference: float | Sequence[float] | Mapping[str, float] | None = None,
) -> Game:
    """The game whose payoffs are the prospect-theory values of ``game``'s payoffs.

    Parameters
    ----------
    game : Game or Model
        Any game (or a batch of parameter points); a model is taken at its defaults.
    theory : ProspectTheory, optional
        The value function; by default Tversky & Kahneman (1992), with any of
        the keyword arguments overriding its fields.
    reference : float, list (one per player) or mapping player -> float

    Returns
    -------
    Game
        Same players, strategies and parameters; name suffixed
        ``" (prospect theory)"`` unless the transformation is the identity.

    Examples
    --------
    >>> import numpy as np
    >>> g = Game.from_array(np.array([[[1.0, -1.0], [0.0, 2.0]], [[0.0, 1.0], [1.0, 0.0]]]))
    >>> prospect_game(g, alpha=1, beta=1, loss_aversion=2).payoffs[0, 0].tolist()
    [[1.0, -2.0], [0.0, 2.0]]
    """
    if isinstance(game, Model):
        game = game.game()
    pt = theory or TVERSKY_KAHNEMAN_1992
    changes = {}
    if alpha is not None:
        changes["alpha"] = float(alpha)
    if beta is not None:
        changes["beta"] = float(beta)
    if loss_aversion is not None:
        changes["loss_aversion"] = float(loss_aversion)
    if reference is not None:
        if isinstance(reference, Mapping):
            unknown = set(reference) - set(game.players)
            if unknown:
                raise TripartiteError(f"prospect theory: unknown player(s) {', '.join(sorted(unknown))}")
            reference = tuple(float(reference.get(p, 0.0)) for p in game.players)
        elif isinstance(reference, (list, tuple, np.ndarray)):
            reference = tuple(float(r) for r in reference)
        else:
            reference = float(reference)
        changes["reference"] = reference
    if changes:
        pt = ProspectTheory(**{**pt.__dict__, **changes})
    if pt.is_identity:
        return game
    refs = _per_player_reference(pt, game)
    shape = (1, game.n_players) + (1,) * len(game.shape)
    values = pt.value(game.payoffs, refs.reshape(shape))
    return Game(
        game.players,
        game.strategies,
        values,
        dict(game.parameters),
        f"{game.name} (prospect theory)",
    )
