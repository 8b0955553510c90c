"""Saving figures with their provenance, and the drawing helpers every figure shares.

A figure is presentation only: it draws results computed elsewhere.  Figures
are built as :class:`matplotlib.figure.Figure` objects directly, without
:mod:`matplotlib.pyplot`, so they work on any backend (headless servers
included), never change the global backend, and display themselves in
Jupyter.

:func:`save_figure` writes PNG, PDF or SVG atomically (see
:mod:`tripartite.io.atomic`) and always records where the figure came from,
through the one provenance writer (:mod:`tripartite.io.provenance`): the
whole record is written beside it as the sidecar ``FILE.json``, and its
provenance keys are embedded, as ASCII JSON, in the file's metadata (PNG
text chunk ``Description``, PDF ``Subject``, SVG ``<dc:description>``);
``tripartite cite FILE`` reads the sidecar, or the metadata without it.

Examples
--------
>>> import os, tempfile
>>> fig = new_axes()[0]
>>> path = save_figure(fig, os.path.join(tempfile.mkdtemp(), "empty.svg"), {"method": "none"})
>>> sorted(os.listdir(path.parent))
['empty.svg', 'empty.svg.json']
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from matplotlib.figure import Figure

from .._version import __version__
from ..io.atomic import atomic_path, check_writable
from ..io.provenance import figure_metadata, sidecar_path, write_sidecar
from .fonts import apply_fonts, quiet_cjk_glyphs

__all__ = ["FIGURE_FORMATS", "PALETTE", "check_figure_path", "new_axes", "save_figure", "sidecar_of"]

#: File suffixes :func:`save_figure` writes.
FIGURE_FORMATS = (".png", ".pdf", ".svg")

#: Colours for series without a colour of their own (regimes, players, paths).
PALETTE = ["#2980b9", "#8e44ad", "#16a085", "#d35400", "#2c3e50", "#e84393", "#6c5ce7", "#00b894", "#fdcb6e"]


def new_axes(ax=None, *, projection: str | None = None, size: tuple[float, float] = (6.4, 4.8)):
    """``(figure, axes)``: the given axes and their figure, or a new figure with one axes."""
    if ax is not None:
        return ax.figure, ax
    fig = Figure(figsize=size, layout="constrained")
    return fig, fig.add_subplot(projection=projection)


def check_figure_path(path: str | Path) -> Path:
    """Check the suffix and that the folder exists and is writable (before any work)."""
    return check_writable(path, FIGURE_FORMATS, f"a figure must end in {', '.join(FIGURE_FORMATS)}")


def sidecar_of(path: str | Path) -> Path:
    """The provenance sidecar of a figure: ``map.png`` -> ``map.png.json``."""
    return sidecar_path(path)


def save_figure(
    fig: Figure,
    path: str | Path,
    provenance: Mapping[str, Any] | None = None,
    *,
    dpi: float = 150,
    font: str | None = None,
) -> Path:
    """Save a figure as PNG, PDF or SVG, with its provenance in the metadata and a sidecar JSON.

    Parameters
    ----------
    fig : matplotlib.figure.Figure
    path : path
        Ending in ``.png``, ``.pdf`` or ``.svg``; its folder must exist.
    provenance : mapping, optional
        The record of how the figure was computed (see
        :func:`tripartite.io.provenance.provenance`); the package version
        (if missing) and the figure's file name are added.
    dpi : float
        Resolution of a PNG (PDF and SVG are vector files).
    font : str, optional
        The font family for Chinese, Japanese or Korean text; by default an
        installed CJK font is chosen (:func:`tripartite.plot.fonts.apply_fonts`).

    Returns
    -------
    Path
        The figure's path.  The sidecar is ``path + ".json"``.
    """
    path = check_figure_path(path)
    suffix = path.suffix.lower()
    record = dict(provenance or {})
    record.setdefault("version", __version__)
    record["figure"] = path.name
    metadata = figure_metadata(suffix, record)
    apply_fonts(fig, font)
    with atomic_path(path) as tmp, quiet_cjk_glyphs():
        fig.savefig(tmp, format=suffix[1:], metadata=metadata, dpi=dpi, bbox_inches="tight")
        write_sidecar(path, record)
    return path
