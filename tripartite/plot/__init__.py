"""Figures: presentation only, drawing results computed elsewhere.

- :mod:`~tripartite.plot.figures`: :func:`save_figure` (PNG, PDF or SVG,
  atomically, with a provenance sidecar and metadata) and shared helpers;
- :mod:`~tripartite.plot.regimes`: sweep figures, :func:`regime_map` and
  :func:`stability_diagram`;
- :mod:`~tripartite.plot.dynamics`: replicator dynamics,
  :func:`trajectories_over_time`, :func:`plot_time_paths`,
  :func:`plot_state_cube` (alias :func:`trajectories_in_cube`) and
  :func:`plot_basins`;
- :mod:`~tripartite.plot.simulation`: the figures of a simulation section,
  :func:`plot_simulation_paths`, :func:`plot_simulation_cube` and
  :func:`plot_sensitivity`;
- :mod:`~tripartite.plot.qre`: the logit QRE branch, :func:`plot_qre_branch`;
- :mod:`~tripartite.plot.fonts`: a CJK font for Chinese, Japanese or Korean text
  (chosen automatically; :func:`use_font` names one).

Every function returns a :class:`matplotlib.figure.Figure` built without
pyplot.
"""

from .dynamics import (
    plot_basins,
    plot_state_cube,
    plot_time_paths,
    trajectories_in_cube,
    trajectories_over_time,
)
from .figures import FIGURE_FORMATS, check_figure_path, save_figure
from .fonts import use_font
from .qre import plot_qre_branch
from .regimes import regime_colours, regime_map, stability_diagram
from .simulation import plot_sensitivity, plot_simulation_cube, plot_simulation_paths

__all__ = [
    "FIGURE_FORMATS",
    "check_figure_path",
    "plot_basins",
    "plot_qre_branch",
    "plot_sensitivity",
    "plot_simulation_cube",
    "plot_simulation_paths",
    "plot_state_cube",
    "plot_time_paths",
    "regime_colours",
    "regime_map",
    "save_figure",
    "stability_diagram",
    "trajectories_in_cube",
    "trajectories_over_time",
    "use_font",
]
