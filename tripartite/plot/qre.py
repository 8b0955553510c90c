"""Figure of the logit quantal-response branch against the precision :math:`\\lambda`.

Each player's probabilities along the principal branch traced by
:func:`tripartite.qre.logit_branch`, with its turning points and the Nash
equilibrium it reaches as :math:`\\lambda \\to \\infty`.

Examples
--------
>>> from tripartite import load_model, logit_branch
>>> fig = plot_qre_branch(logit_branch(load_model("baseline").game()))
>>> [ax.get_title() for ax in fig.axes]
['government', 'platform', 'worker']
"""

from __future__ import annotations

from matplotlib.figure import Figure

from ..io.words import words
from ..qre import LogitBranch
from .fonts import apply_fonts

__all__ = ["plot_qre_branch"]


def plot_qre_branch(
    branch: LogitBranch, *, per_segment: int = 4, title: str | None = None, lang: str | None = None
) -> Figure:
    """Each player's probabilities along the logit QRE branch against ``lambda``.

    The axis is symmetric-logarithmic (linear below ``1 / payoff range``);
    dashed lines mark turning points, and the Nash limit is drawn as markers
    at the right edge.  ``lang`` (``"en"`` or ``"zh"``) is the language of the
    package's own words.
    """
    lambdas, profiles = branch.dense_path(per_segment)
    game = branch.game
    n = game.n_players
    fig = Figure(figsize=(4.0 * n, 3.2), layout="constrained")
    axes = fig.subplots(1, n, sharey=True, squeeze=False)[0]
    for ax, player, names, x, limit in zip(axes, game.players, game.strategies, profiles, branch.nash):
        for k, name in enumerate(names):
            (line,) = ax.plot(lambdas, x[:, k], label=name)
            ax.plot([lambdas[-1]], [limit[k]], marker="o", color=line.get_color())
        for lam in branch.turning_points:
            ax.axvline(lam, color="grey", ls="--", lw=0.8)
        ax.set_xscale("symlog", linthresh=1.0 / branch.scale)
        ax.set_xlim(0, lambdas[-1])
        ax.set_title(player)
        ax.set_xlabel(words("precision $\\lambda$", lang))
        ax.set_ylim(-0.02, 1.02)
        ax.legend(loc="best", fontsize="small")
    axes[0].set_ylabel(words("probability", lang))
    state = words("verified" if branch.nash_verified else "NOT verified", lang)
    fig.suptitle(
        title
        or words(
            "{model}: logit QRE branch (Nash limit {state}, regret {regret})",
            lang,
            model=game.name,
            state=state,
            regret=f"{branch.nash_regret:.1e}",
        )
    )
    return apply_fonts(fig)
