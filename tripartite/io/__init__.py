"""Reading and writing: atomic files, result records with provenance, .nfg games, LaTeX and text tables.

- :mod:`~tripartite.io.atomic`: every file is written through a temporary file and a rename;
- :mod:`~tripartite.io.results`: JSON-ready result records and the provenance block they carry;
- :mod:`~tripartite.io.provenance`: finding and formatting the provenance of a written file;
- :mod:`~tripartite.io.nfg`: Gambit ``.nfg`` games, read and written;
- :mod:`~tripartite.io.latex`: booktabs tables of the symbolic analysis;
- :mod:`~tripartite.io.text`: plain-text and Markdown tables of result records.
"""

from .atomic import atomic_path, write_bytes_atomic, write_text_atomic
from .results import provenance

__all__ = ["atomic_path", "provenance", "write_bytes_atomic", "write_text_atomic"]
