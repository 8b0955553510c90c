"""HTML tables for Jupyter: the ``_repr_html_`` of the public objects.

Presentation only: these functions format results that the solvers already
computed, and never compute game theory themselves.

Examples
--------
>>> print(html_table(["a", "b"], [[1, "<x>"]], caption="demo"))
<table><caption>demo</caption><thead><tr><th>a</th><th>b</th></tr></thead><tbody><tr><td>1</td><td>&lt;x&gt;</td></tr></tbody></table>
"""

from __future__ import annotations

import html
from collections.abc import Sequence

__all__ = ["html_fields", "html_table", "number"]


def number(x: float) -> str:
    """Compact text of a number for tables."""
    return f"{float(x):.6g}"


def html_table(headers: Sequence[object], rows: Sequence[Sequence[object]], caption: str = "") -> str:
    """A plain HTML table; every cell is escaped."""
    cap = f"<caption>{html.escape(caption)}</caption>" if caption else ""
    head = "".join(f"<th>{html.escape(str(h))}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{html.escape(str(c))}</td>" for c in row) + "</tr>" for row in rows)
    return f"<table>{cap}<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def html_fields(fields: Sequence[tuple[object, object]], caption: str = "") -> str:
    """A two-column HTML table of named values (one record): a ``<th>`` name and a ``<td>`` value per row.

    Examples
    --------
    >>> print(html_fields([("cost", 3), ("verified", "yes")]))
    <table><tbody><tr><th>cost</th><td>3</td></tr><tr><th>verified</th><td>yes</td></tr></tbody></table>
    """
    cap = f"<caption>{html.escape(caption)}</caption>" if caption else ""
    body = "".join(
        f"<tr><th>{html.escape(str(name))}</th><td>{html.escape(str(value))}</td></tr>"
        for name, value in fields
    )
    return f"<table>{cap}<tbody>{body}</tbody></table>"
