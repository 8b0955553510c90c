"""The logit QRE branch figure: one panel per player, the Nash limit marked."""

import numpy as np
import pytest

from tripartite import load_model, logit_branch
from tripartite.plot import plot_qre_branch


@pytest.mark.slow
def test_qre_branch_panels_and_limit_markers():
    branch = logit_branch(load_model("baseline").game())
    fig = plot_qre_branch(branch)
    assert len(fig.axes) == 3
    lines = fig.axes[1].get_lines()
    assert lines[1].get_ydata()[0] == pytest.approx(branch.nash[1][0])  # the limit marker
    lambdas, profiles = branch.dense_path(4)
    assert len(lambdas) > len(branch) and np.all(np.isfinite(profiles[0]))
