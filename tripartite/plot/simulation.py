"""The three figures of a numerical-simulation section, drawn from a :class:`~tripartite.simulation.Simulation`.

- :func:`plot_simulation_paths`: shares over time, a panel per population,
  a line per trajectory; the legend names each line's initial state or
  parameter value, the title the parameter values (and the schedule);
- :func:`plot_simulation_cube`: paths in the state cube of three
  two-strategy populations, each axis one population's share of its first
  strategy; a path starts at a dot and ends at a square, coloured by where
  it ends (the vertex reached; grey when it ends elsewhere); the vertices
  asymptotically stable at the final parameters are marked;
- :func:`plot_sensitivity`: one initial state under several values of one
  parameter on one axes, the colour telling the *value* (an ordered scale,
  darker for larger) and the line style telling the population.

They draw what the simulation computed (paths, outcomes, the vertex
stability from :meth:`Simulation.end_stability
<tripartite.simulation.Simulation.end_stability>`); they compute no game
theory.  The package's own words follow ``lang`` (:mod:`tripartite.io.words`).

Examples
--------
>>> from tripartite import load_model
>>> from tripartite.simulation import simulate
>>> sim = simulate(load_model("baseline"), states=["0.3,0.2,0.3", "0.6,0.6,0.6"], t_max=5, n_eval=11)
>>> fig = plot_simulation_paths(sim)
>>> [line.get_label() for line in fig.axes[0].get_lines()]
['(0.3, 0.2, 0.3)', '(0.6, 0.6, 0.6)']
"""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from ..errors import TripartiteError
from ..io.words import words
from .figures import PALETTE, new_axes
from .fonts import apply_fonts

__all__ = [
    "plot_sensitivity",
    "plot_simulation_cube",
    "plot_simulation_paths",
    "simulation_title",
    "time_window",
]

#: Line styles, one per population in the sensitivity figure (and a second cue for many trajectories).
STYLES = ["-", "--", ":", "-."]
#: Qualitative colours for many trajectories (matplotlib's tab10, then tab20's light shades).
_MANY = [
    "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf",
]  # fmt: skip
#: Colours of the vertices reached in the cube.
_ENDS = ["#c0392b", "#2471a3", "#1e8449", "#b9770e", "#7d3c98", "#117864", "#a04000", "#283747"]


def _values_text(sim, lang) -> str:
    parts = [f"{k} = {v:g}" for k, v in sim.values.items()]
    for name, steps in sim.schedule.pieces.items():
        pieces = ", ".join(words("{value:g} from t = {t:g}", lang, value=v, t=t) for t, v in steps)
        parts.append(f"{name}: {pieces}")
    return "; ".join(parts) if parts else words("defaults", lang)


def simulation_title(sim, what: str, lang: str | None = None) -> str:
    """``model: what`` and, on a second line, the parameter values and schedule of ``sim``."""
    return f"{sim.model.name}: {what}\n{_values_text(sim, lang)}"


def _colour(k: int, n: int) -> str:
    return (PALETTE if n <= len(PALETTE) else _MANY)[k % (len(PALETTE) if n <= len(PALETTE) else len(_MANY))]


def time_window(sim, settle: float = 1e-3) -> float:
    """Where the time axis ends: 1.5 times the time after which every drawn share stays within ``settle``
    of its final value (and past the last switch of a schedule), at most ``t_max``.

    Examples
    --------
    >>> from tripartite import load_model
    >>> from tripartite.simulation import simulate
    >>> time_window(simulate(load_model("baseline"), n_eval=21)) < 2  # the built-in model settles within t ~ 1
    True
    """
    times, paths = _paths(sim)
    flat = np.concatenate(paths, axis=2)  # (n, T, S)
    last = np.array([row[~np.isnan(row).any(axis=1)][-1] for row in flat])
    moving = np.abs(np.nan_to_num(flat, nan=0.0) - last[:, None, :]).max(axis=2) > settle
    moving &= ~np.isnan(flat).any(axis=2)
    index = np.flatnonzero(moving.any(axis=0))
    settled = times[min(index[-1] + 1, len(times) - 1)] if len(index) else times[-1]
    switches = sim.schedule.switch_times(sim.t_max)
    end = max(1.5 * settled, 1.2 * switches[-1] if switches else 0.0)
    return float(min(end, times[-1])) if end > 0 else float(times[-1])


def _paths(sim):
    res = sim.result
    if res.paths is None:
        raise TripartiteError("this simulation has no recorded paths")
    return res.times, res.paths


def plot_simulation_paths(
    sim, *, lang: str | None = None, title: str | None = None, t_end: float | None = None
) -> Figure:
    """Shares over time: a panel per population, a line per trajectory.

    Each panel shows the population's share of its first strategy (the
    strategy named on the axis); the legend names each line by its initial
    state, its parameter value, or both.  The time axis ends at ``t_end``,
    by default where the paths have settled (:func:`time_window`); switches
    of a schedule are dashed vertical lines.

    Examples
    --------
    >>> from tripartite import load_model
    >>> from tripartite.simulation import simulate
    >>> sim = simulate(load_model("baseline"), vary=("nu", [0.0, 0.5]), t_max=5, n_eval=11)
    >>> fig = plot_simulation_paths(sim)
    >>> len(fig.axes), [line.get_label() for line in fig.axes[0].get_lines()]
    (3, ['nu = 0', 'nu = 0.5'])
    """
    times, paths = _paths(sim)
    game = sim.game
    n = len(sim)
    fig = Figure(figsize=(3.6 * game.n_players + 0.4, 3.9), layout="constrained")
    axes = fig.subplots(1, game.n_players, sharey=True, squeeze=False)[0]
    for i, (ax, player, names) in enumerate(zip(axes, game.players, game.strategies)):
        for r in range(n):
            style = STYLES[(r // len(_MANY)) % len(STYLES)] if n > len(_MANY) else "-"
            ax.plot(
                times,
                paths[i][r, :, 0],
                color=_colour(r, n),
                linestyle=style,
                linewidth=1.6,
                label=sim.label(r),
            )
        ax.set_title(player)
        ax.set_xlabel(words("time", lang) + " t")
        ax.set_ylim(-0.02, 1.02)
        ax.set_xlim(0.0, time_window(sim) if t_end is None else t_end)
        ax.set_ylabel(words("share of {strategy}", lang, strategy=names[0]))
        ax.grid(alpha=0.3)
        for t in sim.schedule.switch_times(sim.t_max):
            ax.axvline(t, color="grey", linewidth=0.8, linestyle="--")
    handles, labels = axes[0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="outside lower center", ncol=min(n, 4), fontsize="small", frameon=False)
    fig.suptitle(title or simulation_title(sim, words("shares over time", lang), lang))
    return apply_fonts(fig)


def plot_sensitivity(
    sim, state: int = 0, *, lang: str | None = None, title: str | None = None, t_end: float | None = None
) -> Figure:
    """One initial state under several values of the varied parameter, on one axes.

    Colour tells the value (an ordered scale: lighter for smaller values,
    darker for larger), line style the population (first strategy's share).
    The time axis ends at ``t_end``, by default :func:`time_window`.

    Examples
    --------
    >>> from tripartite import load_model
    >>> from tripartite.simulation import simulate
    >>> sim = simulate(load_model("baseline"), vary=("nu", [0.0, 0.25, 0.5]), t_max=5, n_eval=11)
    >>> fig = plot_sensitivity(sim)
    >>> len({line.get_color() for line in fig.axes[0].get_lines()})
    3
    """
    if sim.vary is None:
        raise TripartiteError("the sensitivity figure needs a varied parameter (--vary NAME=V1,V2,...)")
    if not 0 <= state < len(sim.states):
        raise TripartiteError(
            f"state {state} is out of range: the simulation has {len(sim.states)} initial states"
        )
    from matplotlib import colormaps

    times, paths = _paths(sim)
    game = sim.game
    name, values = sim.vary
    rows = [r for r, (s, _) in enumerate(sim.rows) if s == state]
    order = np.argsort(values)
    ranks = {int(v): k for k, v in enumerate(order)}
    cmap = colormaps["viridis"]
    shades = [cmap(0.85 - 0.8 * k / max(len(values) - 1, 1)) for k in range(len(values))]
    fig, ax = new_axes(size=(7.4, 4.8))
    for r in rows:
        v = sim.rows[r][1]
        for i in range(game.n_players):
            ax.plot(
                times,
                paths[i][r, :, 0],
                color=shades[ranks[v]],
                linestyle=STYLES[i % len(STYLES)],
                linewidth=1.8,
            )
    from .regimes import _axis_symbol, parameter_label

    symbol = _axis_symbol(sim.model, name)  # the declared symbol, drawn as mathematics
    value_handles = [
        Line2D([], [], color=shades[ranks[v]], linewidth=2.5, label=f"{symbol} = {values[v]:g}")
        for v in order
    ]
    player_handles = [
        Line2D([], [], color="black", linestyle=STYLES[i % len(STYLES)], label=f"{p}: {s[0]}")
        for i, (p, s) in enumerate(zip(game.players, game.strategies))
    ]
    # figure legends "outside": the constrained layout makes room for them (legends placed
    # beside the axes by hand are clipped from the saved figure)
    fig.legend(handles=value_handles, loc="outside right upper", fontsize="small",
               title=_wrapped(parameter_label(sim.model, name)), frameon=False)  # fmt: skip
    fig.legend(handles=player_handles, loc="outside right lower", fontsize="small",
               title=words("population", lang), frameon=False)  # fmt: skip
    ax.set_xlabel(words("time", lang) + " t")
    ax.set_ylabel(words("share", lang))
    ax.set_ylim(-0.02, 1.02)
    ax.set_xlim(0.0, time_window(sim) if t_end is None else t_end)
    ax.grid(alpha=0.3)
    for t in sim.schedule.switch_times(sim.t_max):
        ax.axvline(t, color="grey", linewidth=0.8, linestyle="--")
    from ..simulation import state_label

    what = words(
        "sensitivity to {name} from {state}",
        lang,
        name=symbol,
        state=state_label(sim.states[state], game.players),
    )
    ax.set_title(title or simulation_title(sim, what, lang), fontsize="medium")
    return apply_fonts(fig)


def _wrapped(text: str, width: int = 18) -> str:
    """A legend title in lines of at most ``width`` characters (mathematics kept whole)."""
    if "$" in text:
        return text if len(text) <= width else text.replace(" $", "\n$", 1)
    import textwrap

    return "\n".join(textwrap.wrap(text, width)) or text


def plot_simulation_cube(
    sim, *, lang: str | None = None, title: str | None = None, max_paths: int = 400
) -> Figure:
    """Paths in the state cube of three two-strategy populations, coloured by where they end.

    Each axis is a population's share of its first strategy.  A path starts
    at a dot and ends at a square; its colour names the vertex it reaches
    (grey: not a vertex).  The vertices asymptotically stable at the final
    parameters are drawn as large filled circles (when a parameter is varied:
    filled if stable at every value, ringed if at some).

    Examples
    --------
    >>> from tripartite import load_model
    >>> from tripartite.simulation import simulate
    >>> sim = simulate(load_model("baseline"), states=["0.3,0.2,0.3"], t_max=5, n_eval=11)
    >>> fig = plot_simulation_cube(sim)
    >>> fig.axes[0].get_xlabel()
    'government: active'
    """
    game = sim.game
    if game.shape != (2, 2, 2):
        raise TripartiteError(
            f"the state cube is for three two-strategy populations; {game.name} is {'x'.join(map(str, game.shape))}"
        )
    times, paths = _paths(sim)
    res = sim.result
    ends: dict[tuple[int, ...] | None, str] = {}
    for r in range(len(sim)):
        ends.setdefault(res.profile(r), "")
    profiles = sorted(p for p in ends if p is not None)
    for k, p in enumerate(profiles):
        ends[p] = _ENDS[k % len(_ENDS)]
    if None in ends:
        ends[None] = "#999999"
    fig, ax = new_axes(projection="3d", size=(7.6, 6.2))
    for r in range(min(len(sim), max_paths)):
        xs, ys, zs = (p[r, :, 0] for p in paths)
        keep = ~np.isnan(xs)
        xs, ys, zs = xs[keep], ys[keep], zs[keep]
        colour = ends[res.profile(r)]
        ax.plot(xs, ys, zs, color=colour, linewidth=1.2, alpha=0.9)
        ax.scatter([xs[0]], [ys[0]], [zs[0]], color=colour, marker="o", s=14, depthshade=False)
        ax.scatter([xs[-1]], [ys[-1]], [zs[-1]], color=colour, marker="s", s=22, depthshade=False)
    stable = sim.end_stability.stable
    every, some = stable.all(axis=0), stable.any(axis=0)
    for prof in game.profiles():
        corner = [1.0 - k for k in prof]
        if some[prof]:
            ax.scatter(*corner, s=150, facecolors="black" if every[prof] else "none", edgecolors="black",
                       linewidths=1.5, depthshade=False)  # fmt: skip
            ax.text(*corner, "  " + ", ".join(game.profile_names(prof).values()), fontsize="small")
        else:
            ax.scatter(*corner, s=25, facecolors="none", edgecolors="#bbbbbb", depthshade=False)
    ax.set_xlabel(f"{game.players[0]}: {game.strategies[0][0]}")
    ax.set_ylabel(f"{game.players[1]}: {game.strategies[1][0]}")
    ax.set_zlabel(f"{game.players[2]}: {game.strategies[2][0]}")
    for setter in (ax.set_xlim, ax.set_ylim, ax.set_zlim):
        setter(0, 1)
    handles = [
        Line2D([], [], color=ends[p], linewidth=2,
               label=words("ends at {profile}", lang, profile=", ".join(game.profile_names(p).values())))
        for p in profiles
    ]  # fmt: skip
    if None in ends:
        handles.append(Line2D([], [], color=ends[None], linewidth=2, label=words("ends elsewhere", lang)))
    handles += [
        Line2D([], [], color="black", marker="o", linestyle="", markersize=4, label=words("start", lang)),
        Line2D([], [], color="black", marker="s", linestyle="", markersize=4, label=words("end", lang)),
    ]
    if every.any():
        handles.append(
            Line2D(
                [],
                [],
                color="black",
                marker="o",
                linestyle="",
                markersize=10,
                label=words("stable vertex", lang),
            )
        )
    if (some & ~every).any():
        handles.append(
            Line2D([], [], markeredgecolor="black", markerfacecolor="none", marker="o", linestyle="", markersize=10,
                   label=words("stable at some values", lang))
        )  # fmt: skip
    fig.legend(handles=handles, loc="outside lower center", ncol=3, fontsize="small", frameon=False)
    ax.set_title(
        title or simulation_title(sim, words("paths in the state cube", lang), lang), fontsize="medium"
    )
    return apply_fonts(fig)
