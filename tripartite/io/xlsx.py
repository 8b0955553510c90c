"""Excel output: the publishable tables as sheets of an ``.xlsx`` workbook.

Each table of :mod:`tripartite.io.rows` (``stability``, ``thresholds``,
``escape``) becomes one sheet: its caption in the first row, the column
headings (bold, with a rule under them) in the third, then the rows and the
note.  Numbers stay numbers, so a spreadsheet can compute with them;
formulas are text.  A sweep table (:func:`sweep_xlsx`) is one sheet of its
columns, with the provenance on a second sheet.  Every workbook carries the
record's provenance in its document properties (short) and, written by the
command line, whole in the sidecar ``FILE.xlsx.json`` that ``tripartite
cite`` reads.

The optional dependency is ``openpyxl`` (``pip install tripartite[xlsx]``);
without it, :func:`check_available` raises one clear error.

Examples
--------
>>> import io, openpyxl
>>> from tripartite.io.rows import TableSpec
>>> data = workbook_xlsx([TableSpec("t", "Table 1", ["a", "b"], [["x", 1.5]])])
>>> sheet = openpyxl.load_workbook(io.BytesIO(data)).active
>>> [c.value for c in sheet[3]], [c.value for c in sheet[4]]
(['a', 'b'], ['x', 1.5])
"""

from __future__ import annotations

import io
import json
import math
import re
from collections.abc import Mapping, Sequence
from typing import Any

from ..errors import TripartiteError
from .rows import TableSpec, escape_tables, properties, stability_tables, thresholds_tables

__all__ = [
    "check_available",
    "escape_xlsx",
    "stability_xlsx",
    "sweep_xlsx",
    "thresholds_xlsx",
    "workbook_xlsx",
]

_BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")


def check_available() -> None:
    """Raise a one-line :class:`TripartiteError` when openpyxl is not installed."""
    try:
        import openpyxl  # noqa: F401
    except ImportError:
        raise TripartiteError(
            "--format xlsx needs openpyxl: pip install 'tripartite[xlsx]' (or pip install openpyxl)"
        ) from None


def _cell(value: Any) -> Any:
    if value is None:
        return None
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, (int, float)):
        return value if math.isfinite(value) else str(value)
    return str(value)


def _sheet_name(name: str, used: set[str]) -> str:
    base = _BAD_SHEET_CHARS.sub(" ", name).strip()[:31] or "table"
    candidate, k = base, 2
    while candidate.lower() in used:
        candidate = f"{base[:28]} {k}"
        k += 1
    used.add(candidate.lower())
    return candidate


def workbook_xlsx(specs: Sequence[TableSpec], props: Mapping[str, str] | None = None) -> bytes:
    """A workbook (as bytes) with one sheet per table: caption, headings, rows, note."""
    check_available()
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, Side

    book = Workbook()
    book.remove(book.active)
    used: set[str] = set()
    rule = Side(style="thin", color="000000")
    for spec in specs:
        sheet = book.create_sheet(_sheet_name(spec.name, used))
        sheet.cell(row=1, column=1, value=spec.caption).font = Font(bold=True)
        for k, text in enumerate(spec.header, start=1):
            cell = sheet.cell(row=3, column=k, value=text)
            cell.font = Font(bold=True)
            cell.border = Border(top=rule, bottom=rule)
        for r, row in enumerate(spec.rows, start=4):
            for k, value in enumerate(row, start=1):
                cell = sheet.cell(row=r, column=k, value=_cell(value))
                if isinstance(value, str) and "\n" in value:
                    cell.alignment = Alignment(wrap_text=True, vertical="top")
        last = 3 + len(spec.rows)
        for k in range(1, len(spec.header) + 1):
            cell = sheet.cell(row=last, column=k)
            cell.border = Border(top=cell.border.top, bottom=rule)
        for j, line in enumerate(spec.note.split("\n") if spec.note else (), start=last + 2):
            sheet.cell(row=j, column=1, value=line)
        for k, w in enumerate(spec.widths or [1.0] * len(spec.header), start=1):
            letter = sheet.cell(row=3, column=k).column_letter
            sheet.column_dimensions[letter].width = max(8.0, 6.0 * float(w))
        sheet.freeze_panes = "A4"
    for key, value in (props or {}).items():
        setattr(book.properties, key, value)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def stability_xlsx(record: Mapping[str, Any], *, lang: str | None = None) -> bytes:
    """A ``tripartite stability`` record as a workbook: the vertex table, the payoffs (and welfare), the rest points.

    Sheets: ``stability`` (one row per eigenvalue), ``payoffs and welfare``
    (``payoffs`` when the model declares no welfare apart: one row per vertex,
    one column per player and quantity, numbers as numbers) and, when the
    record has rest points off the vertices, ``rest points``
    (:func:`tripartite.io.rows.stability_tables`).

    Examples
    --------
    >>> import io, openpyxl
    >>> from tripartite import load_model
    >>> from tripartite.symbolic import stability_table
    >>> book = openpyxl.load_workbook(io.BytesIO(stability_xlsx(stability_table(load_model("baseline")).record)))
    >>> book.sheetnames, book.active.max_row >= 3 + 24
    (['stability', 'payoffs and welfare'], True)
    """
    specs = stability_tables(record, lang=lang)
    return workbook_xlsx(specs, properties(record, "vertex stability", specs[0].caption))


def thresholds_xlsx(record: Mapping[str, Any], *, lang: str | None = None) -> bytes:
    """A ``tripartite thresholds`` record as a workbook: critical values, stable ranges, regime changes."""
    specs = thresholds_tables(record, lang=lang)
    return workbook_xlsx(specs, properties(record, "critical values", specs[0].caption))


def escape_xlsx(record: Mapping[str, Any], *, lang: str | None = None) -> bytes:
    """A ``tripartite escape`` record as a workbook: single-lever escapes, least-cost package."""
    specs = escape_tables(record, lang=lang)
    return workbook_xlsx(specs, properties(record, "escape from the low equilibrium", specs[0].caption))


def sweep_xlsx(frame, provenance: Mapping[str, Any] | None = None) -> bytes:
    """A sweep table (a pandas DataFrame, as ``tripartite sweep`` writes to CSV) as one sheet.

    Columns keep their names and types (numbers stay numbers; categorical
    and text columns become text).  With ``provenance``, a second sheet
    ``provenance`` holds it as ``key, value`` rows (nested values as JSON).

    Examples
    --------
    >>> import io, openpyxl, pandas as pd
    >>> frame = pd.DataFrame({"nu": [0.1, 0.9], "regime": pd.Categorical(["low only", "high only"])})
    >>> sheet = openpyxl.load_workbook(io.BytesIO(sweep_xlsx(frame))).active
    >>> [[c.value for c in row] for row in sheet.iter_rows()]
    [['nu', 'regime'], [0.1, 'low only'], [0.9, 'high only']]
    """
    check_available()
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = "sweep"
    sheet.append([str(c) for c in frame.columns])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    columns = [frame[c].tolist() for c in frame.columns]
    for row in zip(*columns):
        sheet.append([_cell(_plain(v)) for v in row])
    sheet.freeze_panes = "A2"
    if provenance is not None:
        info = book.create_sheet("provenance")
        for key, value in provenance.items():
            text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
            info.append([str(key), text])
        book.properties.keywords = "tripartite"
        book.properties.subject = f"{provenance.get('model', '')}: sweep"[:255]
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _plain(value: Any) -> Any:
    """numpy scalars as Python numbers; missing values (NaN, None) as empty cells."""
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    return value
