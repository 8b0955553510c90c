"""save_figure: formats, provenance in the metadata and the sidecar, atomic writing, bad paths."""

import json

import pytest
from matplotlib.figure import Figure

from tripartite.errors import TripartiteError
from tripartite.io.provenance import read_provenance
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


@pytest.mark.parametrize("suffix", [".png", ".pdf", ".svg"])
def test_provenance_is_read_back_from_the_metadata_alone(tmp_path, figure, suffix):
    record = {"version": "9.9", "model": "劳动者 (a) \\ b", "method": "drawn (by hand)", "tolerance": 1e-9}
    path = save_figure(figure, tmp_path / f"fig{suffix}", {**record, "rows": list(range(5))})
    assert read_provenance(path)["rows"] == [0, 1, 2, 3, 4]  # the sidecar holds the whole record
    (tmp_path / f"fig{suffix}.json").unlink()
    found = read_provenance(path)  # from the PNG text chunk, the PDF Subject, the SVG description
    assert {k: found[k] for k in record} == record and found["figure"] == path.name
    assert "rows" not in found  # the metadata holds the provenance keys only


def test_a_figure_without_provenance_is_a_clear_error(tmp_path, figure):
    path = tmp_path / "plain.png"
    figure.savefig(path)
    with pytest.raises(TripartiteError, match="no provenance found"):
        read_provenance(path)
