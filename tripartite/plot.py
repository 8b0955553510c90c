"""Figures: regime maps, stability diagrams, trajectories; saved with provenance.

Presentation only: the functions draw results computed elsewhere (a sweep
table, thresholds, trajectories).  They build :class:`matplotlib.figure.Figure`
objects directly, without :mod:`matplotlib.pyplot`, so they work on any
backend (headless servers included) and never change the global backend;
in Jupyter the returned figure displays itself.

- :func:`regime_map`: regimes over two levers, with the lines where each
  vertex's stability changes (zero level of its largest eigenvalue) when a
  model is given;
- :func:`stability_diagram`: along one lever, where each vertex is
  asymptotically stable, with the thresholds;
- :func:`trajectories_over_time`, :func:`trajectories_in_cube`: paths of the
  replicator dynamics;
- :func:`save_figure`: PNG, PDF or SVG, with the provenance record embedded
  in the file's metadata and written to a sidecar ``FILE.json``.

Examples
--------
>>> from tripartite import load_model
>>> from tripartite.sweep import grid, sweep
>>> model = load_model("baseline")
>>> table = sweep(model, grid(model, {"nu": "0:1:21", "phi": "0:1:21"})).table
>>> fig = regime_map(table, "nu", "phi", model=model)
>>> [t.get_text() for t in fig.axes[0].get_legend().get_texts()][:2]
['low only', 'passive/shirk/enroll only']
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from .errors import TripartiteError

__all__ = [
    "FIGURE_FORMATS",
    "regime_colours",
    "regime_map",
    "stability_diagram",
    "trajectories_over_time",
    "trajectories_in_cube",
    "save_figure",
    "check_figure_path",
]

#: File suffixes :func:`save_figure` writes.
FIGURE_FORMATS = (".png", ".pdf", ".svg")

_FIXED_COLOURS = {
    "low only": "#c0392b",
    "high only": "#27ae60",
    "low and high (bistable)": "#f39c12",
    "no stable vertex": "#95a5a6",
    "no stable vertex (cycling)": "#7f8c8d",
    "boundary": "#000000",
}
_PALETTE = ["#2980b9", "#8e44ad", "#16a085", "#d35400", "#2c3e50", "#e84393", "#6c5ce7", "#00b894", "#fdcb6e"]
_LINE_STYLES = ["-", "--", "-.", ":"]


def regime_colours(regimes: Sequence[str]) -> dict[str, str]:
    """A colour per regime: fixed ones for the named regimes, a palette for the rest.

    Examples
    --------
    >>> regime_colours(["low only", "x only"])
    {'low only': '#c0392b', 'x only': '#2980b9'}
    """
    out, k = {}, 0
    for r in regimes:
        if r in _FIXED_COLOURS:
            out[r] = _FIXED_COLOURS[r]
        else:
            out[r] = _PALETTE[k % len(_PALETTE)]
            k += 1
    return out


def _axes(ax, projection=None, size=(6.4, 4.8)):
    if ax is not None:
        return ax.figure, ax
    fig = Figure(figsize=size, layout="constrained")
    return fig, fig.add_subplot(projection=projection)


def _regime_order(values: pd.Series) -> list[str]:
    """Named regimes first (low, high, bistable, ...), then the others; the boundary last."""
    names = set(values.astype(str).unique())
    known = [n for n in _FIXED_COLOURS if n in names and n != "boundary"]
    rest = sorted(n for n in names if n not in _FIXED_COLOURS)
    return known + rest + (["boundary"] if "boundary" in names else [])


def _label(model, name: str) -> str:
    if model is None:
        return name
    p = model.parameter(name)
    return f"{name} ({p.unit})" if p.unit else name


def regime_map(
    table: pd.DataFrame,
    x: str,
    y: str,
    *,
    model=None,
    values: Mapping[str, Any] | None = None,
    resolution: int = 300,
    ax=None,
    title: str | None = None,
):
    """Regimes over two levers, with stability boundaries and a legend.

    Parameters
    ----------
    table : DataFrame
        A sweep table with columns ``x``, ``y`` and ``regime`` (a full grid
        is drawn as cells, any other set of points as dots).
    x, y : str
        The levers on the horizontal and vertical axes.
    model : Model, optional
        When given, the lines where each vertex's stability changes (zero
        level of its largest eigenvalue) are drawn from the exact
        eigenvalue expressions on a ``resolution`` x ``resolution`` grid.
    values : mapping, optional
        Fixed values of the other parameters (as in the sweep).
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib.figure.Figure
    """
    for col in (x, y, "regime"):
        if col not in table.columns:
            raise TripartiteError(f"the table has no column {col!r}")
    fig, ax = _axes(ax)
    regimes = _regime_order(table["regime"])
    colours = regime_colours(regimes)
    codes = pd.Categorical(table["regime"].astype(str), categories=regimes).codes
    xs = np.unique(table[x].to_numpy())
    ys = np.unique(table[y].to_numpy())
    handles = []
    if len(xs) * len(ys) == len(table) and len(xs) > 1 and len(ys) > 1:
        grid = np.full((len(ys), len(xs)), -1)
        ix = np.searchsorted(xs, table[x].to_numpy())
        iy = np.searchsorted(ys, table[y].to_numpy())
        grid[iy, ix] = codes
        from matplotlib.colors import ListedColormap

        cmap = ListedColormap([colours[r] for r in regimes])
        ax.pcolormesh(
            _edges(xs), _edges(ys), np.ma.masked_less(grid, 0), cmap=cmap, vmin=-0.5, vmax=len(regimes) - 0.5
        )
    else:
        ax.scatter(table[x], table[y], c=[colours[r] for r in np.asarray(regimes)[codes]], s=6, linewidths=0)
    for r in regimes:
        handles.append(Patch(facecolor=colours[r], label=r))
    if model is not None:
        handles += _stability_lines(ax, model, x, y, xs, ys, values, resolution)
    ax.set_xlim(xs.min(), xs.max())
    ax.set_ylim(ys.min(), ys.max())
    ax.set_xlabel(_label(model, x))
    ax.set_ylabel(_label(model, y))
    ax.set_title(title or (f"Regimes of {model.name}" if model is not None else "Regimes"))
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.02, 1.0), fontsize="small", frameon=False)
    return fig


def _edges(centres: np.ndarray) -> np.ndarray:
    mids = 0.5 * (centres[1:] + centres[:-1])
    return np.concatenate(
        [[centres[0] - (mids[0] - centres[0])], mids, [centres[-1] + (centres[-1] - mids[-1])]]
    )


def _stability_lines(ax, model, x, y, xs, ys, values, resolution) -> list:
    from .sweep.regimes import kernel_for, vertex_names

    gx = np.linspace(xs.min(), xs.max(), resolution)
    gy = np.linspace(ys.min(), ys.max(), resolution)
    X, Y = np.meshgrid(gx, gy)
    resolved = model.resolve({**(values or {}), x: X.ravel(), y: Y.ravel()})
    kernel = kernel_for(model)
    margins = kernel.margins(resolved)  # (P, n)
    names = vertex_names(model)
    handles = []
    k = 0
    for v, prof in enumerate(kernel.profiles):
        m = margins[v].reshape(X.shape)
        if not (np.nanmin(m) < 0 < np.nanmax(m)):
            continue
        style = _LINE_STYLES[k % len(_LINE_STYLES)]
        ax.contour(X, Y, m, levels=[0.0], colors="k", linestyles=style, linewidths=1.2)
        handles.append(Line2D([], [], color="k", linestyle=style, label=f"{names[prof]}: stability changes"))
        k += 1
    return handles


def stability_diagram(
    table: pd.DataFrame,
    x: str,
    *,
    thresholds: Sequence[Any] = (),
    model=None,
    ax=None,
    title: str | None = None,
):
    """Along one lever: where each vertex is asymptotically stable.

    Parameters
    ----------
    table : DataFrame
        A one-lever sweep table (columns ``x``, ``stable_vertices``, ``regime``).
    x : str
    thresholds : list of :class:`~tripartite.sweep.escape.Threshold`, optional
        Drawn as vertical lines, labelled with their values.

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> from tripartite import load_model
    >>> from tripartite.sweep import grid, sweep, thresholds
    >>> model = load_model("baseline")
    >>> table = sweep(model, grid(model, {"nu": "0:1:101"})).table
    >>> fig = stability_diagram(table, "nu", thresholds=thresholds(model, "nu"))
    >>> [t.get_text() for t in fig.axes[0].get_yticklabels()]
    ['low', 'passive/shirk/enroll']
    """
    for col in (x, "stable_vertices", "regime"):
        if col not in table.columns:
            raise TripartiteError(f"the table has no column {col!r}")
    fig, ax = _axes(ax, size=(6.4, 3.2))
    data = table.sort_values(x)
    xv = data[x].to_numpy()
    stable_sets = [set(filter(None, str(s).split("; "))) for s in data["stable_vertices"]]
    vertices = list(dict.fromkeys(v for s in stable_sets for v in sorted(s, key=_friendly_first)))
    colours = regime_colours([f"{v} only" for v in vertices])
    for row, v in enumerate(vertices):
        on = np.array([v in s for s in stable_sets])
        for start, stop in _runs(on):
            lo = xv[start] if start == 0 else 0.5 * (xv[start - 1] + xv[start])
            hi = xv[stop - 1] if stop == len(xv) else 0.5 * (xv[stop - 1] + xv[stop])
            ax.barh(row, hi - lo, left=lo, height=0.6, color=colours[f"{v} only"])
    boundary = data["regime"].astype(str).to_numpy() == "boundary"
    if boundary.any():
        ax.plot(xv[boundary], np.full(boundary.sum(), -0.6), "k|", markersize=10, label="boundary point")
    for t in thresholds:
        ax.axvline(t.value, color="k", linestyle="--", linewidth=1)
        text = str(t.exact) if getattr(t, "exact", None) is not None else f"{t.value:.6g}"
        ax.annotate(
            f"{x} = {text}",
            (t.value, 1.0),
            xycoords=("data", "axes fraction"),
            rotation=90,
            va="top",
            ha="right",
            fontsize="small",
        )
    ax.set_yticks(range(len(vertices)), vertices)
    ax.set_ylim(-1, max(len(vertices), 1))
    ax.set_xlim(xv.min(), xv.max())
    ax.set_xlabel(_label(model, x))
    ax.set_title(title or "Asymptotically stable vertices")
    return fig


def _friendly_first(name: str) -> tuple[int, str]:
    return ({"low": 0, "high": 1}.get(name, 2), name)


def _runs(mask: np.ndarray) -> list[tuple[int, int]]:
    """Maximal runs of True as (start, stop) index pairs."""
    padded = np.concatenate([[False], mask, [False]])
    change = np.flatnonzero(padded[1:] != padded[:-1])
    return list(zip(change[::2], change[1::2]))


def _paths(trajectories) -> tuple[np.ndarray, list[list[np.ndarray]], Any]:
    """(times, per trajectory a list of per-player share paths (T, s_i), game)."""
    items = trajectories if isinstance(trajectories, list | tuple) else [trajectories]
    times, out, game = None, [], None
    for traj in items:
        if hasattr(traj, "states"):  # Trajectory
            times = traj.times
            game = traj.game
            out.append([traj.shares(i) for i in range(traj.game.n_players)])
        elif getattr(traj, "paths", None) is not None:  # BatchTrajectories with recorded paths
            times = traj.times
            game = traj.game
            for b in range(len(traj)):
                out.append([p[b] for p in traj.paths])
        else:
            raise TripartiteError(
                "no paths to draw: give Trajectory objects, or batch trajectories integrated with n_eval"
            )
    return times, out, game


def trajectories_over_time(trajectories, *, ax=None, title: str | None = None):
    """Share of each player's first strategy over time, for one or many trajectories.

    Examples
    --------
    >>> from tripartite import load_model, trajectory
    >>> model = load_model("baseline")
    >>> fig = trajectories_over_time(trajectory(model.game(), model.initial_state, 50))
    >>> [line.get_label() for line in fig.axes[0].get_lines()]
    ['government: active', 'platform: share', 'worker: enroll']
    """
    times, paths, game = _paths(trajectories)
    fig, ax = _axes(ax)
    n = len(paths[0])
    players = game.players if game is not None else [f"player {i + 1}" for i in range(n)]
    strategies = (
        game.strategies if game is not None else [[f"s{k + 1}" for k in range(p.shape[1])] for p in paths[0]]
    )
    colours = _PALETTE
    for t, path in enumerate(paths):
        for i in range(n):
            ax.plot(
                times,
                path[i][:, 0],
                color=colours[i % len(colours)],
                alpha=1.0 if len(paths) == 1 else 0.6,
                label=f"{players[i]}: {strategies[i][0]}" if t == 0 else None,
            )
    ax.set_xlabel("time")
    ax.set_ylabel("share")
    ax.set_ylim(-0.02, 1.02)
    ax.set_title(title or "Replicator dynamics")
    ax.legend(fontsize="small", frameon=False)
    return fig


def trajectories_in_cube(trajectories, *, ax=None, title: str | None = None):
    """Trajectories of a three-player, two-strategy game in the unit cube.

    Each axis is one player's share of its first strategy; starts are
    circles, ends are crosses.

    Examples
    --------
    >>> from tripartite import load_model, trajectory
    >>> model = load_model("baseline")
    >>> fig = trajectories_in_cube(trajectory(model.game(), model.initial_state, 50))
    >>> fig.axes[0].get_xlabel()
    'government: active'
    """
    times, paths, game = _paths(trajectories)
    if len(paths[0]) != 3 or any(p.shape[1] != 2 for p in paths[0]):
        raise TripartiteError("the state cube needs three players with two strategies each")
    fig, ax = _axes(ax, projection="3d", size=(6.0, 5.6))
    for k, path in enumerate(paths):
        xs, ys, zs = (p[:, 0] for p in path)
        colour = _PALETTE[k % len(_PALETTE)]
        ax.plot(xs, ys, zs, color=colour, linewidth=1.2)
        ax.scatter([xs[0]], [ys[0]], [zs[0]], color=colour, marker="o")
        ax.scatter([xs[-1]], [ys[-1]], [zs[-1]], color=colour, marker="x")
    names = (
        [f"{p}: {s[0]}" for p, s in zip(game.players, game.strategies)]
        if game is not None
        else ["x1", "x2", "x3"]
    )
    ax.set_xlabel(names[0])
    ax.set_ylabel(names[1])
    ax.set_zlabel(names[2])
    for setter in (ax.set_xlim, ax.set_ylim, ax.set_zlim):
        setter(0, 1)
    ax.set_title(title or "Replicator dynamics in the state cube")
    return fig


def check_figure_path(path: str | Path) -> Path:
    """Check the suffix and that the folder exists and is writable."""
    path = Path(path)
    if path.suffix.lower() not in FIGURE_FORMATS:
        raise TripartiteError(f"cannot write {path}: a figure must end in {', '.join(FIGURE_FORMATS)}")
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise TripartiteError(f"cannot write {path}: folder {folder} does not exist")
    if not os.access(folder, os.W_OK):
        raise TripartiteError(f"cannot write {path}: folder {folder} is not writable")
    return path


def save_figure(fig, path: str | Path, provenance: Mapping[str, Any] | None = None) -> Path:
    """Save a figure as PNG, PDF or SVG, with provenance in metadata and a sidecar JSON.

    The provenance record (see :func:`tripartite.io.results.provenance`) is
    embedded in the file's metadata (PNG text chunk ``Description``, PDF
    ``Subject``, SVG ``Description``) and written to ``path + ".json"``.  The
    figure is written through a temporary file and a rename.

    Returns
    -------
    Path
        The figure's path.
    """
    from . import __version__
    from .io.results import to_json, write_text_atomic

    path = check_figure_path(path)
    suffix = path.suffix.lower()
    record = dict(provenance or {})
    record.setdefault("version", __version__)
    record["figure"] = path.name
    text = json.dumps(record, ensure_ascii=False, allow_nan=False)
    software = f"tripartite {__version__}"
    if suffix == ".png":
        metadata = {"Software": software, "Description": text}
    elif suffix == ".pdf":
        metadata = {"Creator": software, "Subject": text}
    else:
        metadata = {"Creator": software, "Description": text}
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=suffix, dir=path.parent)
    os.close(fd)
    try:
        fig.savefig(tmp, format=suffix[1:], metadata=metadata, bbox_inches="tight")
        sidecar = Path(str(path) + ".json")
        write_text_atomic(sidecar, to_json(record) + "\n")
        mask = os.umask(0)
        os.umask(mask)
        for name in (sidecar, tmp):  # temporary files are private; give the usual permissions
            os.chmod(name, 0o666 & ~mask)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
    return path
