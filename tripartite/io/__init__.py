"""Reading and writing: result records with provenance."""

from .results import provenance, write_text_atomic

__all__ = ["provenance", "write_text_atomic"]
