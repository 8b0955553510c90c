"""Plain-text and Markdown rendering shared by the CLI and the result objects.

A record (a JSON-ready dictionary with provenance, see
:mod:`tripartite.io.provenance`) is rendered as text with :func:`header` (model,
version, hash), :func:`point_text` (the parameter point) and :func:`table`
(aligned columns), or as Markdown with :func:`markdown_table`.

Columns are aligned by display width, the number of terminal columns a string
occupies (:func:`display_width`): a CJK character is two columns wide, a
combining mark zero, as in Unicode's East Asian Width property (``wcwidth``).

Examples
--------
>>> print(table(["a", "bb"], [[1, 2]]))
a  bb
-  --
1  2
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from wcwidth import wcswidth, wcwidth

__all__ = [
    "display_width",
    "fmt",
    "header",
    "markdown_header",
    "markdown_table",
    "point_text",
    "state_text",
    "table",
]


def fmt(x: float) -> str:
    """Compact number formatting for tables."""
    return f"{x:.6g}"


def header(record: Mapping[str, Any]) -> str:
    """The first line of a text output: model, package version, model hash (when there is one)."""
    origin = f", model hash {record['model_hash']}" if record.get("model_hash") else ""
    return f"{record['model']} (tripartite {record['version']}{origin})"


def point_text(record: Mapping[str, Any]) -> str:
    """The parameter point of a record: ``defaults``, or ``defaults except nu=0.5, k=1``."""
    changed = record.get("changed") or {}
    return "defaults" + (
        " except " + ", ".join(f"{k}={fmt(v)}" for k, v in changed.items()) if changed else ""
    )


def markdown_header(record: Mapping[str, Any]) -> str:
    """The provenance line under a Markdown title: package version, model hash, parameter point."""
    return f"tripartite {record['version']}, model hash `{record['model_hash']}`; parameters: {point_text(record)}."


def state_text(state: Mapping[str, Mapping[str, Any]], number: Callable[[Any], str] = fmt) -> str:
    """A mixed state ``{player: {strategy: share}}`` on one line, shares written by ``number``.

    Examples
    --------
    >>> state_text({"A": {"x": 0.25, "y": 0.75}, "B": {"z": 1}})
    'A: x 0.25, y 0.75; B: z 1'
    """
    return "; ".join(
        f"{p}: " + ", ".join(f"{s} {number(v)}" for s, v in shares.items()) for p, shares in state.items()
    )


def display_width(text: str) -> int:
    """The number of terminal columns ``text`` occupies (CJK characters count two).

    Examples
    --------
    >>> display_width("abc"), display_width("政府"), display_width("骑手 enroll")
    (3, 4, 11)
    """
    width = wcswidth(text)
    if width >= 0:
        return width
    # a control character somewhere: count it as one column, like len() did
    return sum(1 if wcwidth(ch) < 0 else wcwidth(ch) for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - display_width(text))


def table(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    """A plain text table with columns aligned by display width.

    Examples
    --------
    >>> print(table(["参与者", "x"], [["政府", 1], ["a", 2]]))
    参与者  x
    ------  -
    政府    1
    a       2
    """
    cells = [[str(h) for h in headers]] + [[str(c) for c in row] for row in rows]
    widths = [max(display_width(r[k]) for r in cells) for k in range(len(headers))]
    lines = ["  ".join(_pad(c, w) for c, w in zip(r, widths)).rstrip() for r in cells]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def markdown_table(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> list[str]:
    """The lines of a Markdown pipe table, with ``|`` in the cells escaped.

    Examples
    --------
    >>> print("\\n".join(markdown_table(["a", "b"], [["x|y", 1]])))
    | a | b |
    |---|---|
    | x\\|y | 1 |
    """
    lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    lines += ["| " + " | ".join(str(c).replace("|", "\\|") for c in row) + " |" for row in rows]
    return lines
