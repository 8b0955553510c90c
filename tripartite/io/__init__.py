"""Reading and writing: atomic files, result records with provenance, .nfg games, LaTeX and text tables.

- :mod:`~tripartite.io.atomic`: every file is written through a temporary file and a rename;
- :mod:`~tripartite.io.results`: the JSON-ready pieces of result records;
- :mod:`~tripartite.io.provenance`: the one provenance writer (the record of how a result
  was computed, written into JSON, sidecars, ``.nfg`` comments, LaTeX and Markdown
  comment lines, figure metadata) and its reader, behind ``tripartite cite``;
- :mod:`~tripartite.io.nfg`: Gambit ``.nfg`` games, read and written;
- :mod:`~tripartite.io.latex`: booktabs tables of the symbolic analysis;
- :mod:`~tripartite.io.tables`: text, Markdown and HTML renderings of the stability table;
- :mod:`~tripartite.io.text`: plain-text and Markdown tables of result records.
"""

from .atomic import atomic_path, write_bytes_atomic, write_text_atomic

__all__ = ["atomic_path", "read_provenance", "write_bytes_atomic", "write_text_atomic"]


def __getattr__(name: str):
    # read_provenance is loaded on use: io/provenance.py imports sympy through the model layer
    if name == "read_provenance":
        from .provenance import read_provenance

        return read_provenance
    raise AttributeError(f"module 'tripartite.io' has no attribute {name!r}")
