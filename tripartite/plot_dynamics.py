"""Figures of the dynamics and of behavioural equilibria (matplotlib, no pyplot state).

- :func:`plot_time_paths`: each population's strategy shares over time;
- :func:`plot_state_cube`: trajectories in the state cube of a 2x2x2 game
  (each axis the share of a player's first strategy), vertices marked by
  their stability;
- :func:`plot_basins`: basin shares with their confidence intervals;
- :func:`plot_qre_branch`: the logit QRE branch against the precision
  :math:`\\lambda`, with turning points and the Nash limit.

Every function returns a :class:`matplotlib.figure.Figure` built without
pyplot (so nothing depends on an interactive backend, and figures display in
Jupyter as they are); :func:`save_figure` writes PNG, PDF or SVG atomically.

Examples
--------
>>> from tripartite import load_model
>>> from tripartite.dynamics.basins import basins
>>> fig = plot_basins(basins(load_model("extended").game(), samples=100))
>>> len(fig.axes)
1
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Sequence
from pathlib import Path

import numpy as np
from matplotlib.figure import Figure

from .dynamics.basins import Basins
from .dynamics.batch import BatchTrajectories
from .dynamics.stability import vertex_stability
from .dynamics.trajectory import Trajectory
from .errors import TripartiteError
from .game import Game
from .qre import LogitBranch

__all__ = [
    "FORMATS",
    "save_figure",
    "plot_time_paths",
    "plot_state_cube",
    "plot_basins",
    "plot_qre_branch",
]

#: File formats :func:`save_figure` writes, by suffix.
FORMATS = {".png": "png", ".pdf": "pdf", ".svg": "svg"}


def save_figure(fig: Figure, path: str | Path, dpi: int = 150) -> Path:
    """Write ``fig`` to ``path`` (``.png``, ``.pdf`` or ``.svg``) through a temporary file.

    Raises
    ------
    TripartiteError
        For another suffix or a folder that does not exist.
    """
    path = Path(path)
    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise TripartiteError(f"cannot write a figure to {path}: use a .png, .pdf or .svg file name")
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise TripartiteError(f"cannot write {path}: folder {folder} does not exist")
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=folder)
    os.close(fd)
    try:
        fig.savefig(tmp, format=fmt, dpi=dpi, bbox_inches="tight")
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp creates 0600; give the usual permissions
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
    return path


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _paths_of(source, index: int = 0) -> tuple[Game, np.ndarray, list[np.ndarray]]:
    """``(game, times, per-player shares (T, s_i))`` of a trajectory-like object."""
    if isinstance(source, Trajectory):
        shares = [source.shares(i) for i in range(source.game.n_players)]
        return source.game, source.times, shares
    if isinstance(source, BatchTrajectories):
        if source.paths is None:
            raise TripartiteError("these trajectories have no recorded paths: integrate with n_eval=...")
        if source.game is None:
            raise TripartiteError("pass a Game (not a bare payoff array) to integrate_batch to plot it")
        return source.game, source.times, [p[index] for p in source.paths]
    raise TripartiteError("expected a Trajectory or BatchTrajectories")


def plot_time_paths(
    source: Trajectory | BatchTrajectories, index: int = 0, *, title: str | None = None
) -> Figure:
    """Each population's strategy shares against time, one panel per player.

    Parameters
    ----------
    source : Trajectory or BatchTrajectories (with recorded paths)
    index : int
        Which trajectory of a batch.
    """
    game, times, shares = _paths_of(source, index)
    n = game.n_players
    fig = Figure(figsize=(4.0 * n, 3.2), layout="constrained")
    axes = fig.subplots(1, n, sharey=True, squeeze=False)[0]
    for ax, player, names, x in zip(axes, game.players, game.strategies, shares):
        for k, name in enumerate(names):
            ax.plot(times, x[:, k], label=name)
        ax.set_title(player)
        ax.set_xlabel("time")
        ax.set_ylim(-0.02, 1.02)
        ax.legend(loc="best", fontsize="small")
    axes[0].set_ylabel("share")
    fig.suptitle(title or f"{game.name}: replicator dynamics")
    return fig


def plot_state_cube(
    sources: Sequence[Trajectory] | BatchTrajectories,
    *,
    game: Game | None = None,
    max_paths: int = 200,
    title: str | None = None,
) -> Figure:
    """Trajectories in the state cube of a 2x2x2 game.

    Each axis is the share of one player's first strategy; vertices are
    marked filled if asymptotically stable, hollow otherwise, and each path
    starts at a dot.
    """
    if isinstance(sources, BatchTrajectories):
        if sources.paths is None or sources.game is None:
            raise TripartiteError(
                "the state cube needs recorded paths of a Game (integrate_batch(game, ..., n_eval=...))"
            )
        game = sources.game
        paths = [
            np.stack([p[b][:, 0] for p in sources.paths], axis=1) for b in range(min(len(sources), max_paths))
        ]
    else:
        sources = list(sources)
        if not sources:
            raise TripartiteError("no trajectories to plot")
        game = game or sources[0].game
        paths = [np.stack([tr.shares(i)[:, 0] for i in range(3)], axis=1) for tr in sources[:max_paths]]
    if game.shape != (2, 2, 2):
        raise TripartiteError(
            f"the state cube is for 2x2x2 games; this game is {'x'.join(map(str, game.shape))}"
        )
    fig = Figure(figsize=(6, 5.5), layout="constrained")
    ax = fig.add_subplot(projection="3d")
    for path in paths:
        ax.plot(path[:, 0], path[:, 1], path[:, 2], lw=0.8, alpha=0.7)
        ax.scatter(*path[0], s=6, color="black")
    st = vertex_stability(game.point(0) if game.batch_size > 1 else game)
    for prof in game.profiles():
        corner = [1.0 - k for k in prof]
        stable = bool(st.stable[(0, *prof)])
        ax.scatter(
            *corner,
            s=60,
            facecolors="tab:red" if stable else "none",
            edgecolors="tab:red" if stable else "grey",
        )
        if stable:
            ax.text(*corner, " " + ", ".join(game.profile_names(prof).values()), fontsize="small")
    labels = [f"{p}: {s[0]}" for p, s in zip(game.players, game.strategies)]
    ax.set_xlabel(labels[0])
    ax.set_ylabel(labels[1])
    ax.set_zlabel(labels[2])
    for setter in (ax.set_xlim, ax.set_ylim, ax.set_zlim):
        setter(0, 1)
    ax.set_title(title or f"{game.name}: trajectories (filled: asymptotically stable)")
    return fig


def plot_basins(result: Basins, *, title: str | None = None) -> Figure:
    """Basin shares of the asymptotically stable states, with confidence intervals."""
    labels = [", ".join(s.strategies.values()) for s in result.stable]
    entries = list(result.stable)
    if result.other:
        labels += [", ".join(s.strategies.values()) + " (not stable)" for s in result.other]
        entries += list(result.other)
    labels.append("not converged")
    entries.append(result.not_converged)
    shares = np.array([e.share for e in entries])
    fig = Figure(figsize=(max(5.0, 1.4 * len(entries)), 3.6), layout="constrained")
    ax = fig.subplots()
    colours = ["tab:blue"] * len(result.stable) + ["tab:orange"] * len(result.other) + ["tab:grey"]
    ax.bar(range(len(entries)), shares, color=colours)
    if all(e.low is not None for e in entries):
        lo = np.clip(shares - np.array([e.low for e in entries]), 0.0, None)
        hi = np.clip(np.array([e.high for e in entries]) - shares, 0.0, None)
        ax.errorbar(range(len(entries)), shares, yerr=[lo, hi], fmt="none", ecolor="black", capsize=4)
    ax.set_xticks(range(len(entries)), labels, rotation=15, ha="right", fontsize="small")
    ax.set_ylim(0, 1)
    ax.set_ylabel("share of initial states")
    note = f"{result.samples} initial states ({result.sampling})"
    if result.sampling != "grid":
        note += f", {result.confidence:.0%} {result.interval} intervals"
    ax.set_title(title or f"{result.game.name}: basins of attraction\n{note}", fontsize="medium")
    return fig


def plot_qre_branch(branch: LogitBranch, *, per_segment: int = 4, title: str | None = None) -> Figure:
    """Each player's probabilities along the logit QRE branch against ``lambda``.

    The axis is symmetric-logarithmic (linear below ``1 / payoff range``);
    dashed lines mark turning points, and the Nash limit is drawn as markers
    at the right edge.
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
        ax.set_xlabel("precision $\\lambda$")
        ax.set_ylim(-0.02, 1.02)
        ax.legend(loc="best", fontsize="small")
    axes[0].set_ylabel("probability")
    state = "verified" if branch.nash_verified else "NOT verified"
    fig.suptitle(
        title or f"{game.name}: logit QRE branch (Nash limit {state}, regret {branch.nash_regret:.1e})"
    )
    return fig
