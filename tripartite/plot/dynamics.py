"""Figures of the replicator dynamics: paths over time, paths in the state cube, basins.

- :func:`trajectories_over_time`: the share of each player's first strategy
  against time, for one or many trajectories on one axes (several: colour by
  trajectory, line style by player);
- :func:`plot_time_paths`: one trajectory in full, one panel per player with
  every strategy's share;
- :func:`plot_state_cube` (also called :func:`trajectories_in_cube`):
  trajectories of a 2x2x2 game in the unit cube, each axis one player's
  share of its first strategy; starts are dots, ends crosses, and, given the
  vertices' stability (a :class:`~tripartite.dynamics.stability.VertexStability`
  computed by the caller), the vertices are marked, filled when
  asymptotically stable;
- :func:`plot_basins`: basin shares of the stable states with their
  confidence intervals.

Each accepts :class:`~tripartite.dynamics.paths.Trajectory` objects or
:class:`~tripartite.dynamics.batch.BatchTrajectories` integrated with
``n_eval`` (which records the paths).  The figures draw results; they compute
no game theory (no stability, no trajectories).

Examples
--------
>>> from tripartite import load_model
>>> from tripartite.dynamics.basins import basins
>>> fig = plot_basins(basins(load_model("extended").game(), samples=100))
>>> len(fig.axes)
1
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from matplotlib.figure import Figure

from ..dynamics.basins import Basins
from ..dynamics.batch import BatchTrajectories
from ..dynamics.paths import Trajectory
from ..dynamics.stability import VertexStability
from ..errors import TripartiteError
from ..game import Game
from ..io.words import words
from .figures import PALETTE, new_axes
from .fonts import apply_fonts

__all__ = [
    "trajectories_over_time",
    "plot_time_paths",
    "plot_state_cube",
    "trajectories_in_cube",
    "plot_basins",
]

#: One trajectory: its times (T,) and, per player, the strategy shares (T, s_i).
Path = tuple[np.ndarray, list[np.ndarray]]


def _share_paths(source, game: Game | None = None) -> tuple[Game | None, list[Path]]:
    """The game (when known) and every trajectory in ``source`` as ``(times, shares)``."""
    items = list(source) if isinstance(source, list | tuple) else [source]
    if not items:
        raise TripartiteError("no trajectories to plot")
    paths: list[Path] = []
    for item in items:
        if isinstance(item, Trajectory):
            paths.append((item.times, [item.shares(i) for i in range(item.game.n_players)]))
        elif isinstance(item, BatchTrajectories):
            if item.paths is None:
                raise TripartiteError("these trajectories have no recorded paths: integrate with n_eval=...")
            paths += [(item.times, [p[b] for p in item.paths]) for b in range(len(item))]
        else:
            raise TripartiteError("expected a Trajectory or BatchTrajectories")
        game = game if game is not None else item.game
    return game, paths


def _names(game: Game | None, shares: Sequence[np.ndarray]) -> tuple[list[str], list[list[str]]]:
    """Player and strategy names: the game's, or ``player 1``, ``s1``, ... without one."""
    if game is not None:
        return list(game.players), [list(s) for s in game.strategies]
    players = [f"player {i + 1}" for i in range(len(shares))]
    return players, [[f"s{k + 1}" for k in range(x.shape[1])] for x in shares]


def trajectories_over_time(
    trajectories,
    *,
    ax=None,
    title: str | None = None,
    lang: str | None = None,
    labels: Sequence[str] | None = None,
) -> Figure:
    """Share of each player's first strategy over time, for one or many trajectories.

    One trajectory: a line per player, coloured by player.  Several: the
    colour tells the trajectory (named by ``labels``, default ``1, 2, ...``)
    and the line style the player, so trajectories (e.g. several values of
    one parameter) can be told apart.  For the figures of a simulation
    section see :mod:`tripartite.plot.simulation`.

    ``lang`` (``"en"`` or ``"zh"``) is the language of the package's own words
    (:mod:`tripartite.io.words`); names from the game are kept as they are.

    Examples
    --------
    >>> from tripartite import load_model, trajectory
    >>> model = load_model("baseline")
    >>> fig = trajectories_over_time(trajectory(model.game(), model.initial_state, 50))
    >>> [line.get_label() for line in fig.axes[0].get_lines()]
    ['government: active', 'platform: share', 'worker: enroll']
    """
    from matplotlib.lines import Line2D

    game, paths = _share_paths(trajectories)
    fig, ax = new_axes(ax)
    players, strategies = _names(game, paths[0][1])
    if labels is not None and len(labels) != len(paths):
        raise TripartiteError(f"{len(labels)} labels for {len(paths)} trajectories")
    styles = ["-", "--", ":", "-."]
    many = len(paths) > 1
    for t, (times, shares) in enumerate(paths):
        for i, x in enumerate(shares):
            ax.plot(
                times,
                x[:, 0],
                color=PALETTE[(t if many else i) % len(PALETTE)],
                linestyle=styles[i % len(styles)] if many else "-",
                label=None if many else f"{players[i]}: {strategies[i][0]}",
            )
    if many:
        names = list(labels) if labels is not None else [str(t + 1) for t in range(len(paths))]
        handles = [Line2D([], [], color=PALETTE[t % len(PALETTE)], label=n) for t, n in enumerate(names)]
        handles += [
            Line2D([], [], color="black", linestyle=styles[i % len(styles)], label=f"{p}: {s[0]}")
            for i, (p, s) in enumerate(zip(players, strategies))
        ]
        ax.legend(handles=handles, fontsize="small", frameon=False)
    else:
        ax.legend(fontsize="small", frameon=False)
    ax.set_xlabel(words("time", lang))
    ax.set_ylabel(words("share", lang))
    ax.set_ylim(-0.02, 1.02)
    ax.set_title(title or words("Replicator dynamics", lang))
    return apply_fonts(fig)


def plot_time_paths(
    source: Trajectory | BatchTrajectories,
    index: int = 0,
    *,
    title: str | None = None,
    lang: str | None = None,
) -> Figure:
    """Each population's strategy shares against time, one panel per player.

    Parameters
    ----------
    source : Trajectory or BatchTrajectories (with recorded paths)
    index : int
        Which trajectory of a batch.
    lang : {"en", "zh"}, optional
        Language of the package's own words (default: :func:`tripartite.io.words.set_language`).
    """
    game, paths = _share_paths(source)
    times, shares = paths[index]
    players, strategies = _names(game, shares)
    fig = Figure(figsize=(4.0 * len(shares), 3.2), layout="constrained")
    axes = fig.subplots(1, len(shares), sharey=True, squeeze=False)[0]
    for ax, player, names, x in zip(axes, players, strategies, shares):
        for k, name in enumerate(names):
            ax.plot(times, x[:, k], label=name)
        ax.set_title(player)
        ax.set_xlabel(words("time", lang))
        ax.set_ylim(-0.02, 1.02)
        ax.legend(loc="best", fontsize="small")
    axes[0].set_ylabel(words("share", lang))
    dynamics = words("Replicator dynamics", lang)
    fig.suptitle(title or (f"{game.name}: {dynamics}" if game is not None else dynamics))
    return apply_fonts(fig)


def plot_state_cube(
    sources,
    *,
    game: Game | None = None,
    stability: VertexStability | None = None,
    point: int = 0,
    max_paths: int = 200,
    ax=None,
    title: str | None = None,
    lang: str | None = None,
) -> Figure:
    """Trajectories of a 2x2x2 game in the state cube.

    Each axis is the share of one player's first strategy; each path starts
    at a dot and ends at a cross.  Given ``stability`` (of the game, e.g.
    :func:`tripartite.vertex_stability`), its vertices are marked, filled
    (and named) if asymptotically stable at ``point``, hollow otherwise.

    Examples
    --------
    >>> from tripartite import load_model, trajectory, vertex_stability
    >>> model = load_model("baseline")
    >>> game = model.game()
    >>> fig = plot_state_cube(trajectory(game, model.initial_state, 50), stability=vertex_stability(game))
    >>> fig.axes[0].get_xlabel(), [t.get_text().strip() for t in fig.axes[0].texts]
    ('government: active', ['passive, shirk, lapse'])
    """
    if game is None and stability is not None:
        game = stability.game
    game, paths = _share_paths(sources, game)
    shape = tuple(x.shape[1] for x in paths[0][1])
    if shape != (2, 2, 2):
        raise TripartiteError(f"the state cube is for 2x2x2 games; this game is {'x'.join(map(str, shape))}")
    fig, ax = new_axes(ax, projection="3d", size=(6.0, 5.6))
    for k, (_, shares) in enumerate(paths[:max_paths]):
        xs, ys, zs = (x[:, 0] for x in shares)
        colour = PALETTE[k % len(PALETTE)]
        ax.plot(xs, ys, zs, color=colour, linewidth=1.0, alpha=0.8)
        ax.scatter([xs[0]], [ys[0]], [zs[0]], color=colour, marker="o", s=8)
        ax.scatter([xs[-1]], [ys[-1]], [zs[-1]], color=colour, marker="x")
    if stability is not None:
        _mark_vertices(ax, stability, point)
    players, strategies = _names(game, paths[0][1])
    ax.set_xlabel(f"{players[0]}: {strategies[0][0]}")
    ax.set_ylabel(f"{players[1]}: {strategies[1][0]}")
    ax.set_zlabel(f"{players[2]}: {strategies[2][0]}")
    for setter in (ax.set_xlim, ax.set_ylim, ax.set_zlim):
        setter(0, 1)
    name = f"{game.name}: " if game is not None else ""
    marks = f" ({words('filled: asymptotically stable', lang)})" if stability is not None else ""
    ax.set_title(
        title or words("{model}replicator dynamics in the state cube{marks}", lang, model=name, marks=marks)
    )
    return apply_fonts(fig)


#: The same figure under the name the sweep figures use.
trajectories_in_cube = plot_state_cube


def _mark_vertices(ax, stability: VertexStability, point: int) -> None:
    """Every vertex of the cube: filled and named if asymptotically stable, hollow otherwise."""
    game = stability.game
    if game.shape != (2, 2, 2):
        raise TripartiteError("the stability given is not that of a 2x2x2 game")
    for prof in game.profiles():
        corner = [1.0 - k for k in prof]
        stable = bool(stability.stable[(point, *prof)])
        ax.scatter(
            *corner,
            s=60,
            facecolors="tab:red" if stable else "none",
            edgecolors="tab:red" if stable else "grey",
        )
        if stable:
            ax.text(*corner, " " + ", ".join(game.profile_names(prof).values()), fontsize="small")


def plot_basins(result: Basins, *, title: str | None = None, lang: str | None = None) -> Figure:
    """Basin shares of the asymptotically stable states, with confidence intervals.

    ``lang`` (``"en"`` or ``"zh"``) is the language of the package's own words.
    """
    labels = [", ".join(s.strategies.values()) for s in result.stable]
    entries = list(result.stable)
    if result.other:
        labels += [
            words("{name} (not stable)", lang, name=", ".join(s.strategies.values())) for s in result.other
        ]
        entries += list(result.other)
    labels.append(words("not converged", lang))
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
    ax.set_ylabel(words("share of initial states", lang))
    note = words(
        "{samples} initial states ({sampling})", lang, samples=result.samples, sampling=result.sampling
    )
    if result.sampling != "grid":
        note += words(
            ", {confidence} {interval} intervals",
            lang,
            confidence=f"{result.confidence:.0%}",
            interval=result.interval,
        )
    heading = words("{model}: basins of attraction", lang, model=result.game.name)
    ax.set_title(title or f"{heading}\n{note}", fontsize="medium")
    return apply_fonts(fig)
