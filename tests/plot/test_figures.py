"""save_figure: formats, provenance in the metadata and the sidecar, atomic writing, bad paths."""

import json

import pytest
from matplotlib.figure import Figure

from tripartite.errors import TripartiteError
from tripartite.plot import save_figure


@pytest.fixture(scope="module")
def figure():
    fig = Figure()
    fig.subplots().plot([0, 1], [1, 0])  # nothing in the drawing names the model
    return fig


@pytest.mark.parametrize("suffix, magic", [(".png", b"\x89PNG"), (".pdf", b"%PDF"), (".svg", b"<?xml")])
def test_save_with_provenance(tmp_path, figure, suffix, magic):
    path = save_figure(figure, tmp_path / f"fig{suffix}", {"model": "baseline", "note": "劳动者"})
    data = path.read_bytes()
    assert path == tmp_path / f"fig{suffix}" and data.startswith(magic)
    # the figure and its sidecar, no temporary left
    assert sorted(p.name for p in tmp_path.iterdir()) == [f"fig{suffix}", f"fig{suffix}.json"]
    sidecar = json.loads((tmp_path / f"fig{suffix}.json").read_text(encoding="utf-8"))
    assert sidecar["model"] == "baseline" and sidecar["note"] == "劳动者" and sidecar["figure"] == path.name
    assert "version" in sidecar
    if suffix == ".png":
        from PIL import Image

        meta = json.loads(Image.open(path).info["Description"])
        assert meta["model"] == "baseline" and "version" in meta
    if suffix == ".svg":
        assert "baseline" in data.decode("utf-8")


def test_provenance_is_written_even_when_not_given(tmp_path, figure):
    save_figure(figure, tmp_path / "fig.png")
    assert json.loads((tmp_path / "fig.png.json").read_text())["figure"] == "fig.png"


def test_bad_figure_paths(tmp_path):
    fig = Figure()
    with pytest.raises(TripartiteError, match="must end in .png, .pdf, .svg"):
        save_figure(fig, tmp_path / "fig.jpg")
    with pytest.raises(TripartiteError, match="does not exist"):
        save_figure(fig, tmp_path / "missing" / "fig.png")
    assert list(tmp_path.iterdir()) == []
