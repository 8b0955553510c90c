"""Figures of a sweep: regimes over two levers, stable vertices along one.

- :func:`regime_map`: the regime at every point of a two-lever sweep, with
  the lines where each vertex's stability changes (the zero level of its
  largest eigenvalue) when a model is given;
- :func:`stability_diagram`: along one lever, where each vertex is
  asymptotically stable, with the thresholds marked.

A point where some payoff is undefined (a sweep row marked ``invalid: ...``,
see :mod:`tripartite.sweep.chunks`) has no regime: every such point is drawn
in one colour of its own, hatched, labelled "invalid (payoff undefined)"
(Chinese: "无效（收益无定义）"), whatever payoff its row names.

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

import re
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd
from matplotlib.colors import ListedColormap
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from ..errors import TripartiteError
from ..io.words import get_language, regime_words, words
from ..sweep.chunks import CYCLING_LABEL, INVALID_LABEL
from ..sweep.regimes import BOUNDARY, NO_STABLE
from .figures import PALETTE, new_axes
from .fonts import apply_fonts

__all__ = ["parameter_label", "regime_colours", "regime_map", "stability_diagram"]

_FIXED_COLOURS = {
    "low only": "#c0392b",
    "high only": "#27ae60",
    "low and high (bistable)": "#f39c12",
    NO_STABLE: "#95a5a6",
    CYCLING_LABEL: "#7f8c8d",
    BOUNDARY: "#000000",  # a non-hyperbolic vertex decides the regime there
    INVALID_LABEL: "#fdf2e9",  # no game there: a payoff is undefined (drawn hatched, see _INVALID_HATCH)
}
#: The hatching (pattern, colour) over the cells, dots and legend entry of undefined points.
_INVALID_HATCH = ("xx", "#a04000")
#: The legend entry of the points where a payoff is undefined, per language.
_INVALID_WORDS = {"en": "invalid (payoff undefined)", "zh": "无效（收益无定义）"}
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
            out[r] = PALETTE[k % len(PALETTE)]
            k += 1
    return out


def _check_columns(table: pd.DataFrame, columns: Sequence[str]) -> None:
    for col in columns:
        if col not in table.columns:
            raise TripartiteError(f"the table has no column {col!r}")


def _regime_order(values: pd.Series) -> list[str]:
    """Named regimes first (low, high, bistable, ...), then the others; the boundary, then invalid, last."""
    names = set(values.astype(str).unique())
    last = (BOUNDARY, INVALID_LABEL)
    known = [n for n in _FIXED_COLOURS if n in names and n not in last]
    rest = sorted(n for n in names if n not in _FIXED_COLOURS)
    return known + rest + [n for n in last if n in names]


def _shown_regimes(values: pd.Series) -> pd.Series:
    """The regime column as drawn: every ``invalid: ...`` reason is the one label ``invalid``."""
    text = values.astype(str)
    return text.mask(text.str.startswith(INVALID_LABEL + ":"), INVALID_LABEL)


def _legend_entry(regime: str, colour: str, lang: str | None) -> Patch:
    if regime == INVALID_LABEL:
        pattern, ink = _INVALID_HATCH
        label = _INVALID_WORDS.get(lang if lang is not None else get_language(), _INVALID_WORDS["en"])
        return Patch(facecolor=colour, edgecolor=ink, hatch=pattern, label=label)
    return Patch(facecolor=colour, label=regime_words(regime, lang))


def parameter_label(model, name: str) -> str:
    """An axis label for a parameter: its description's first phrase, its symbol, its unit.

    The description is cut at its first ``:``, ``(``, ``;`` or ``,`` and left out
    when still longer than 40 characters; the symbol is the declared LaTeX
    symbol, drawn as mathematics (the name when there is none, or when
    matplotlib cannot draw it).

    Examples
    --------
    >>> from tripartite import load_model
    >>> parameter_label(load_model("baseline"), "nu")
    'nudge strength $\\\\nu$ (index)'
    >>> parameter_label(None, "nu")
    'nu'
    """
    if model is None:
        return name
    p = model.parameter(name)
    symbol = _math(p.symbol) if p.symbol else None
    text = symbol or name
    phrase = re.split(r"[:(;,]", p.description or "", maxsplit=1)[0].strip()
    if phrase and len(phrase) <= 40 and phrase != name:
        text = f"{phrase} {text}"
    return f"{text} ({p.unit})" if p.unit else text


def _axis_symbol(model, name: str) -> str:
    """The parameter's symbol as mathematics (its name without a model or a drawable symbol)."""
    symbol = model.parameter(name).symbol if model is not None else None
    return (_math(symbol) if symbol else None) or name


def _math(symbol: str) -> str | None:
    """``$symbol$`` when matplotlib's mathtext can draw it, else ``None``."""
    from matplotlib.mathtext import MathTextParser

    try:
        MathTextParser("path").parse(f"${symbol}$")
    except ValueError:
        return None
    return f"${symbol}$"


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
    lang: str | None = None,
):
    """Regimes over two levers, with stability boundaries and a legend.

    Parameters
    ----------
    table : DataFrame
        A sweep table with columns ``x``, ``y`` and ``regime`` (a full grid
        is drawn as cells, any other set of points as dots).  Rows marked
        ``invalid: ...`` (a payoff undefined there) are one hatched colour
        of their own (crosses among dots), and no stability line crosses them.
    x, y : str
        The levers on the horizontal and vertical axes.
    model : Model, optional
        When given, the lines where each vertex's stability changes (zero
        level of its largest eigenvalue) are drawn from the exact
        eigenvalue expressions on a ``resolution`` x ``resolution`` grid.
    values : mapping, optional
        Fixed values of the other parameters (as in the sweep).
    ax : matplotlib Axes, optional
    lang : {"en", "zh"}, optional
        Language of the package's own words (:mod:`tripartite.io.words`).

    Returns
    -------
    matplotlib.figure.Figure
    """
    _check_columns(table, (x, y, "regime"))
    fig, ax = new_axes(ax)
    shown = _shown_regimes(table["regime"])
    regimes = _regime_order(shown)
    colours = regime_colours(regimes)
    codes = pd.Categorical(shown, categories=regimes).codes
    invalid = (
        np.asarray(codes) == regimes.index(INVALID_LABEL)
        if INVALID_LABEL in regimes
        else np.zeros(len(codes), bool)
    )
    pattern, ink = _INVALID_HATCH
    xs = np.unique(table[x].to_numpy())
    ys = np.unique(table[y].to_numpy())
    if len(xs) * len(ys) == len(table) and len(xs) > 1 and len(ys) > 1:
        grid = np.full((len(ys), len(xs)), -1)
        grid[np.searchsorted(ys, table[y].to_numpy()), np.searchsorted(xs, table[x].to_numpy())] = codes
        cmap = ListedColormap([colours[r] for r in regimes])
        ax.pcolormesh(
            _edges(xs),
            _edges(ys),
            np.ma.masked_less(grid, 0),
            cmap=cmap,
            vmin=-0.5,
            vmax=len(regimes) - 0.5,
            # the cells as one image inside a PDF or SVG (at the figure's dpi): adjacent vector cells
            # show hairline seams in PDF viewers; lines, text and axes stay vector
            rasterized=True,
        )
        if invalid.any():  # hatch the cells of undefined points over their colour
            ax.pcolor(
                _edges(xs),
                _edges(ys),
                np.ma.masked_where(grid != regimes.index(INVALID_LABEL), grid),
                cmap=ListedColormap([colours[INVALID_LABEL]]),
                hatch=pattern,
                edgecolor=ink,
                linewidth=0,
                rasterized=True,
            )
    else:
        ax.scatter(
            table[x][~invalid],
            table[y][~invalid],
            c=[colours[r] for r in np.asarray(regimes)[codes[~invalid]]],
            s=6,
            linewidths=0,
        )
        if invalid.any():
            ax.scatter(table[x][invalid], table[y][invalid], c=ink, marker="x", s=8, linewidths=0.8)
    handles = [_legend_entry(r, colours[r], lang) for r in regimes]
    if model is not None:
        handles += _stability_lines(ax, model, x, y, xs, ys, values, resolution, lang)
    ax.set_xlim(xs.min(), xs.max())
    ax.set_ylim(ys.min(), ys.max())
    ax.set_xlabel(parameter_label(model, x))
    ax.set_ylabel(parameter_label(model, y))
    ax.set_title(
        title
        or (
            words("Regimes of {model}", lang, model=model.name)
            if model is not None
            else words("Regimes", lang)
        )
    )
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.02, 1.0), fontsize="small", frameon=False)
    return apply_fonts(fig)


def _edges(centres: np.ndarray) -> np.ndarray:
    """Cell edges around sorted cell centres (midpoints, the ends mirrored)."""
    mids = 0.5 * (centres[1:] + centres[:-1])
    return np.concatenate(
        [[centres[0] - (mids[0] - centres[0])], mids, [centres[-1] + (centres[-1] - mids[-1])]]
    )


def _stability_lines(ax, model, x, y, xs, ys, values, resolution, lang) -> list:
    """Draw the zero level of each vertex's largest eigenvalue; one legend handle per line.

    The margins are :attr:`tripartite.sweep.regimes.Regimes.margin` on a fine grid.
    """
    from ..sweep.regimes import classify_points

    X, Y = np.meshgrid(
        np.linspace(xs.min(), xs.max(), resolution), np.linspace(ys.min(), ys.max(), resolution)
    )
    points = {**(values or {}), x: X.ravel(), y: Y.ravel()}
    with np.errstate(all="ignore"):  # NaN margins where a payoff is undefined: masked below
        reg = classify_points(model, points)
    undefined = ~model.defined_at(points).reshape(X.shape)  # no game there, so no line either
    handles = []
    for v, name in enumerate(reg.names):
        m = np.ma.masked_where(undefined, np.ma.masked_invalid(reg.margin[v].reshape(X.shape)))
        if m.count() == 0 or not (m.min() < 0 < m.max()):
            continue
        style = _LINE_STYLES[len(handles) % len(_LINE_STYLES)]
        ax.contour(X, Y, m, levels=[0.0], colors="k", linestyles=style, linewidths=1.2)
        handles.append(
            Line2D(
                [],
                [],
                color="k",
                linestyle=style,
                label=words("{vertex}: stability changes", lang, vertex=name),
            )
        )
    return handles


def stability_diagram(
    table: pd.DataFrame,
    x: str,
    *,
    thresholds: Sequence[Any] = (),
    model=None,
    ax=None,
    title: str | None = None,
    lang: str | None = None,
):
    """Along one lever: where each vertex is asymptotically stable.

    Parameters
    ----------
    table : DataFrame
        A one-lever sweep table (columns ``x``, ``stable_vertices``, ``regime``).
        Where rows are marked ``invalid: ...`` the lever's interval is hatched
        across every row, with a legend entry.
    x : str
    thresholds : list of :class:`~tripartite.sweep.regime_changes.Threshold`, optional
        Drawn as vertical lines, labelled with their values.
    model : Model, optional
        Labels the axis with the parameter's description, symbol and unit.
    lang : {"en", "zh"}, optional
        Language of the package's own words (:mod:`tripartite.io.words`).

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
    _check_columns(table, (x, "stable_vertices", "regime"))
    fig, ax = new_axes(ax, size=(6.4, 3.2))
    data = table.sort_values(x)
    xv = data[x].to_numpy()
    stable_sets = [set(filter(None, str(s).split("; "))) for s in data["stable_vertices"]]
    vertices = list(dict.fromkeys(v for s in stable_sets for v in sorted(s, key=_friendly_first)))
    colours = regime_colours([f"{v} only" for v in vertices])
    for row, v in enumerate(vertices):
        on = np.array([v in s for s in stable_sets])
        for start, stop in _runs(on):
            lo, hi = _span(xv, start, stop)
            ax.barh(row, hi - lo, left=lo, height=0.6, color=colours[f"{v} only"])
    invalid = _shown_regimes(data["regime"]).to_numpy() == INVALID_LABEL
    entry = _legend_entry(INVALID_LABEL, _FIXED_COLOURS[INVALID_LABEL], lang)
    for start, stop in _runs(invalid):  # no game there: hatched across every row
        lo, hi = _span(xv, start, stop)
        ax.axvspan(
            lo,
            hi,
            facecolor=entry.get_facecolor(),
            edgecolor=entry.get_edgecolor(),
            hatch=entry.get_hatch(),
            linewidth=0,
        )
    boundary = data["regime"].astype(str).to_numpy() == BOUNDARY
    if boundary.any():
        (marks,) = ax.plot(
            xv[boundary],
            np.full(boundary.sum(), -0.6),
            "k|",
            markersize=10,
            label=words("boundary point", lang),
        )
    for t in thresholds:
        ax.axvline(t.value, color="k", linestyle="--", linewidth=1)
        text = str(t.exact) if getattr(t, "exact", None) is not None else f"{t.value:.6g}"
        ax.annotate(
            f"{_axis_symbol(model, x)} = {text}",
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
    ax.set_xlabel(parameter_label(model, x))
    ax.set_title(title or words("Asymptotically stable vertices", lang))
    if invalid.any():
        handles = [entry, marks] if boundary.any() else [entry]
        ax.legend(
            handles=handles, loc="upper left", bbox_to_anchor=(1.02, 1.0), fontsize="small", frameon=False
        )
    return apply_fonts(fig)


def _span(xv: np.ndarray, start: int, stop: int) -> tuple[float, float]:
    """The lever interval of the points ``start:stop``: out to the midpoints with their neighbours."""
    lo = xv[start] if start == 0 else 0.5 * (xv[start - 1] + xv[start])
    hi = xv[stop - 1] if stop == len(xv) else 0.5 * (xv[stop - 1] + xv[stop])
    return lo, hi


def _friendly_first(name: str) -> tuple[int, str]:
    return ({"low": 0, "high": 1}.get(name, 2), name)


def _runs(mask: np.ndarray) -> list[tuple[int, int]]:
    """Maximal runs of True as (start, stop) index pairs."""
    padded = np.concatenate([[False], mask, [False]])
    change = np.flatnonzero(padded[1:] != padded[:-1])
    return list(zip(change[::2], change[1::2]))
