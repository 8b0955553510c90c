"""Word output: tables as three-line tables (三线表) in a ``.docx`` file.

Many journals, Chinese social-science journals in particular, take Word
manuscripts whose tables are *three-line tables*: a thick rule above the
header, a thin rule under it, a thick rule under the last row, and no
vertical lines.  :func:`three_line_docx` writes such a table with its caption
above and its note below; :func:`stability_docx` is the vertex stability table
of ``tripartite stability`` (the same rows as its text rendering), followed by
each vertex's payoffs and welfare.

Formulas are written as text (``C·(1 - d·rho) + s + t``: products with a
middle dot), one per cell, so that they can be read, searched and edited in
Word.  Latin text is set in Times New Roman and CJK text in SimSun (宋体), the
usual manuscript fonts; Word substitutes an installed font where they are
missing.

The optional dependency is ``python-docx`` (``pip install tripartite[docx]``);
without it, :func:`check_available` raises one clear error.

Examples
--------
>>> import io, docx
>>> data = three_line_docx(["a", "b"], [["1", "2"], ["3", "4"]], caption="Table 1")
>>> table = docx.Document(io.BytesIO(data)).tables[0]
>>> [[c.text for c in row.cells] for row in table.rows]
[['a', 'b'], ['1', '2'], ['3', '4']]
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from typing import Any

from ..errors import TripartiteError

__all__ = [
    "DocxTable",
    "check_available",
    "docx_tables",
    "escape_docx",
    "stability_docx",
    "thresholds_docx",
    "three_line_docx",
]

#: Widths of the rules of a three-line table, in eighths of a point (Word's unit for borders).
THICK, THIN = 12, 6  # 1.5 pt and 0.75 pt


def check_available() -> None:
    """Raise a one-line :class:`TripartiteError` when python-docx is not installed."""
    try:
        import docx  # noqa: F401
    except ImportError:
        raise TripartiteError(
            "--format docx needs python-docx: pip install 'tripartite[docx]' (or pip install python-docx)"
        ) from None


def _set_fonts(run_or_style, size_pt: float | None = None) -> None:
    from docx.oxml.ns import qn
    from docx.shared import Pt

    font = run_or_style.font
    font.name = "Times New Roman"
    if size_pt is not None:
        font.size = Pt(size_pt)
    element = run_or_style.element
    rpr = element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.append(fonts)
    fonts.set(qn("w:eastAsia"), "SimSun")


def _border(cell, edge: str, size: int) -> None:
    """Set one border (``top`` or ``bottom``) of a cell to a single line of ``size`` eighths of a point."""
    from docx.oxml.ns import qn

    tcpr = cell._tc.get_or_add_tcPr()
    borders = tcpr.find(qn("w:tcBorders"))
    if borders is None:
        borders = tcpr.makeelement(qn("w:tcBorders"), {})
        tcpr.append(borders)
    line = borders.find(qn(f"w:{edge}"))
    if line is None:
        line = borders.makeelement(qn(f"w:{edge}"), {})
        borders.append(line)
    for key, value in (("val", "single"), ("sz", str(size)), ("space", "0"), ("color", "000000")):
        line.set(qn(f"w:{key}"), value)


def _repeat_header(row) -> None:
    """Mark a row as the table's header row, repeated on every page."""
    from docx.oxml.ns import qn

    trpr = row._tr.get_or_add_trPr()
    flag = trpr.makeelement(qn("w:tblHeader"), {})
    flag.set(qn("w:val"), "true")
    trpr.append(flag)


def _no_table_borders(table) -> None:
    """Remove the table style's own borders: only the three rules are drawn."""
    from docx.oxml.ns import qn

    tblpr = table._tbl.tblPr
    borders = tblpr.makeelement(qn("w:tblBorders"), {})
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        line = borders.makeelement(qn(f"w:{edge}"), {})
        line.set(qn("w:val"), "nil")
        borders.append(line)
    tblpr.append(borders)


def _paragraph(doc_or_cell, text: str, *, size: float, bold: bool = False, align=None):
    paragraph = doc_or_cell.add_paragraph() if hasattr(doc_or_cell, "add_paragraph") else doc_or_cell
    run = paragraph.add_run(text)
    run.bold = bold
    _set_fonts(run, size)
    if align is not None:
        paragraph.alignment = align
    return paragraph


def three_line_docx(
    header: Sequence[str],
    rows: Sequence[Sequence[str]],
    *,
    caption: str = "",
    note: str = "",
    title: str = "",
    properties: Mapping[str, str] | None = None,
    landscape: bool = False,
    widths: Sequence[float] | None = None,
) -> bytes:
    """A ``.docx`` document (as bytes) holding one three-line table.

    Parameters
    ----------
    header : list of str
        The column headings (bold, between the top and the middle rule).
    rows : list of list of str
        The cells; every row has ``len(header)`` cells.
    caption, note : str
        Above the table (centred, bold) and below it (small).
    title : str
        A heading before the caption (none by default).
    properties : mapping, optional
        Core properties of the file (``title``, ``subject``, ``comments``, ``keywords``; 255
        characters each).  The whole provenance goes in the sidecar ``FILE.docx.json``.
    landscape : bool
        Turn the page for wide tables.
    widths : list of float, optional
        Relative column widths (they share the width between the margins); equal by default.

    The header row is repeated at the top of every page the table runs onto.
    """
    return docx_tables(
        [DocxTable(header, rows, caption=caption, note=note, widths=widths)],
        title=title,
        properties=properties,
        landscape=landscape,
    )


class DocxTable:
    """One three-line table of a document: header, rows, caption above, note below, column widths.

    ``note`` may hold several lines (separated by newlines), each its own paragraph.
    """

    def __init__(
        self,
        header: Sequence[str],
        rows: Sequence[Sequence[str]],
        *,
        caption: str = "",
        note: str = "",
        widths: Sequence[float] | None = None,
    ):
        if any(len(row) != len(header) for row in rows):
            raise ValueError("every row needs one cell per column")
        self.header, self.rows, self.caption, self.note = list(header), [list(r) for r in rows], caption, note
        self.widths = [1.0] * len(header) if widths is None else [float(w) for w in widths]


def docx_tables(
    tables: Sequence[DocxTable],
    *,
    title: str = "",
    properties: Mapping[str, str] | None = None,
    landscape: bool = False,
) -> bytes:
    """A ``.docx`` document (as bytes) holding several three-line tables, one after the other.

    Examples
    --------
    >>> import io, docx
    >>> data = docx_tables([DocxTable(["a"], [["1"]], caption="T1"), DocxTable(["b", "c"], [], note="n")])
    >>> [len(t.columns) for t in docx.Document(io.BytesIO(data)).tables]
    [1, 2]
    """
    check_available()
    import docx
    from docx.enum.section import WD_ORIENT
    from docx.shared import Cm

    document = docx.Document()
    _set_fonts(document.styles["Normal"], 10.5)  # 五号
    section = document.sections[0]
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    if landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = section.page_height, section.page_width
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(2.0))
    if title:
        _paragraph(document, title, size=14, bold=True)
    for k, spec in enumerate(tables):
        if k:
            _paragraph(document, "", size=9)  # a blank line between tables
        _add_table(document, section, spec)
    for key, value in (properties or {}).items():
        setattr(document.core_properties, key, value)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _add_table(document, section, spec: DocxTable) -> None:
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    if spec.caption:
        caption = _paragraph(document, spec.caption, size=10.5, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
        caption.paragraph_format.keep_with_next = True  # never the last line of a page, apart from its table
    table = document.add_table(rows=1 + len(spec.rows), cols=len(spec.header))
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    _no_table_borders(table)
    _repeat_header(table.rows[0])
    share = spec.widths
    usable = section.page_width - section.left_margin - section.right_margin
    table.autofit = False
    for column, w in zip(table.columns, share):
        width = int(usable * w / sum(share))
        column.width = width  # the grid, which LibreOffice reads
        for cell in column.cells:
            cell.width = width  # each cell, which Word reads
    for k, text in enumerate(spec.header):
        cell = table.rows[0].cells[k]
        _paragraph(cell.paragraphs[0], text, size=9, bold=True)
        _border(cell, "top", THICK)
        _border(cell, "bottom", THIN)
    for r, row in enumerate(spec.rows, start=1):
        for k, text in enumerate(row):
            _paragraph(table.rows[r].cells[k].paragraphs[0], str(text), size=9)
    for cell in table.rows[-1].cells:
        _border(cell, "bottom", THICK)
    for line in spec.note.split("\n") if spec.note else ():
        _paragraph(document, line, size=9)


def _formula(text: str) -> str:
    return text.replace("*", "·")


def _tables_docx(specs, props, *, landscape: bool = True) -> bytes:
    from .rows import cell_text

    tables = [
        DocxTable(
            spec.header,
            [[_formula(cell_text(v)) for v in row] for row in spec.rows],
            caption=spec.caption,
            note=spec.note,
            widths=spec.widths,
        )
        for spec in specs
    ]
    return docx_tables(tables, properties=props, landscape=landscape)


def stability_docx(record: Mapping[str, Any], *, lang: str | None = None) -> bytes:
    """A ``tripartite stability`` record as three-line Word tables: vertex stability, payoffs and welfare.

    One row per eigenvalue: the vertex and its verdict (on its first row),
    the deviation, the eigenvalue, the condition that it is negative, whether
    the condition holds over the declared ranges, its value at the
    parameters of the record, and the vertex's classification there
    (:func:`tripartite.io.rows.stability_tables`).  A second table gives each
    vertex's decision payoffs, one column per player, and, when the model
    declares welfare apart from them, its welfare, one column per player.
    When the record holds rest points off the vertices, a third table lists
    them, interior points with their Routh-Hurwitz conditions and values.

    Examples
    --------
    >>> import io, docx
    >>> from tripartite import load_model
    >>> from tripartite.symbolic import stability_table
    >>> record = stability_table(load_model("baseline")).record
    >>> table, payoffs = docx.Document(io.BytesIO(stability_docx(record))).tables
    >>> len(table.rows), len(table.columns), len(payoffs.rows), len(payoffs.columns)
    (25, 7, 9, 7)
    """
    from .rows import properties, stability_tables

    specs = stability_tables(record, lang=lang)
    return _tables_docx(specs, properties(record, "vertex stability", specs[0].caption))


def thresholds_docx(record: Mapping[str, Any], *, lang: str | None = None) -> bytes:
    """A ``tripartite thresholds`` record as three three-line tables: critical values, stable ranges, regime changes.

    Examples
    --------
    >>> import io, docx
    >>> from tripartite import load_model
    >>> from tripartite.cli.thresholds import thresholds_record
    >>> record = thresholds_record(load_model("baseline"), "nu", {})
    >>> [len(t.columns) for t in docx.Document(io.BytesIO(thresholds_docx(record))).tables]
    [8, 4, 5]
    """
    from .rows import properties, thresholds_tables

    specs = thresholds_tables(record, lang=lang)
    return _tables_docx(specs, properties(record, "critical values", specs[0].caption))


def escape_docx(record: Mapping[str, Any], *, lang: str | None = None) -> bytes:
    """A ``tripartite escape`` record as two three-line tables: single-lever escapes, least-cost package.

    ``record`` is the JSON record of ``tripartite escape`` (``escape_record`` in :mod:`tripartite.cli.escape`).
    """
    from .rows import escape_tables, properties

    specs = escape_tables(record, lang=lang)
    return _tables_docx(specs, properties(record, "escape from the low equilibrium", specs[0].caption))
