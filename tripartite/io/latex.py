"""LaTeX output: parameter symbols, expressions and booktabs tables for papers.

Parameter symbols are typeset from each :class:`~tripartite.model.Parameter`'s
``symbol`` field when it is given (e.g. ``\\rho``), and otherwise from the
name: Greek names become Greek letters (``alpha`` -> :math:`\\alpha`,
``Pi`` -> :math:`\\Pi`, ``lam`` -> :math:`\\lambda`), the part after an
underscore or trailing digits becomes a subscript (``R1`` -> :math:`R_{1}`,
``q_eff`` -> :math:`q_{\\mathrm{eff}}`, ``pi_E`` -> :math:`\\pi_{E}`), and other
multi-letter names are set upright-italic as one word (``cost`` ->
:math:`\\mathit{cost}`).

The tables use ``booktabs`` rules and ``array`` column types; with
``standalone=True`` the output is a complete document (``pdflatex`` compiles
it as is; names in scripts other than Latin need ``lualatex``).

Examples
--------
>>> latex_name("alpha_1"), latex_name("R1"), latex_name("q_eff"), latex_name("lam")
('\\\\alpha_{1}', 'R_{1}', 'q_{\\\\mathrm{eff}}', '\\\\lambda')
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

import sympy as sp
from sympy.printing.latex import LatexPrinter

from ..expr import positive_first
from ..model import Model

__all__ = [
    "GREEK",
    "latex_name",
    "latex_symbols",
    "latex_expr",
    "escape",
    "document",
    "vertex_table",
    "stability_latex",
    "thresholds_table",
    "status_text",
]

_LOWER = (
    "alpha beta gamma delta epsilon varepsilon zeta eta theta vartheta iota kappa lambda mu nu xi "
    "pi varpi rho varrho sigma varsigma tau upsilon phi varphi chi psi omega"
).split()
_UPPER = "Gamma Delta Theta Lambda Xi Pi Sigma Upsilon Phi Psi Omega".split()
#: Names typeset as Greek letters (``lam``/``lamda`` too, since ``lambda`` is reserved).
GREEK: dict[str, str] = {name: "\\" + name for name in _LOWER + _UPPER}
GREEK.update({"lam": "\\lambda", "lamda": "\\lambda", "Lam": "\\Lambda", "Lamda": "\\Lambda"})

_SPECIAL = {
    "\\": r"\textbackslash{}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "{": r"\{",
    "}": r"\}",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}


def escape(text: str) -> str:
    """Text with LaTeX's special characters escaped.

    Examples
    --------
    >>> escape("R&D_cost 50%")
    'R\\\\&D\\\\_cost 50\\\\%'
    """
    return "".join(_SPECIAL.get(ch, ch) for ch in text)


def _piece(text: str) -> str:
    if text in GREEK:
        return GREEK[text]
    if len(text) == 1 or text.isdigit():
        return text
    return f"\\mathrm{{{text}}}"


def latex_name(name: str) -> str:
    """The automatic LaTeX symbol of a parameter name.

    Examples
    --------
    >>> latex_name("Pi"), latex_name("C_net"), latex_name("cost_W"), latex_name("x1_2")
    ('\\\\Pi', 'C_{\\\\mathrm{net}}', '\\\\mathit{cost}_{W}', 'x_{1,2}')
    """
    head, *subs = name.split("_")
    match = re.fullmatch(r"([^\W\d_]+)(\d+)", head)
    if match and match.group(1) not in ("",):
        head, digits = match.groups()
        subs = [digits, *subs]
    subs = [s for s in subs if s]
    if head in GREEK:
        base = GREEK[head]
    elif len(head) == 1:
        base = head
    else:
        base = f"\\mathit{{{head}}}"
    if not subs:
        return base
    return f"{base}_{{{','.join(_piece(s) for s in subs)}}}"


def latex_symbols(model: Model, states: Sequence[sp.Symbol] = ()) -> dict[sp.Symbol, str]:
    """Symbol -> LaTeX for every parameter (its ``symbol`` field, else :func:`latex_name`) and state."""
    out = {model.symbols[p.name]: (p.symbol or latex_name(p.name)) for p in model.parameters}
    out.update({x: latex_name(x.name) for x in states})
    return out


class _LatexPrinter(LatexPrinter):
    def _as_ordered_terms(self, expr, order=None):
        return positive_first(super()._as_ordered_terms(expr, order=order))


def latex_expr(expr: sp.Basic, symbols: Mapping[sp.Symbol, str]) -> str:
    """LaTeX of an expression or relation with the given symbol names.

    Examples
    --------
    >>> from tripartite import load_model
    >>> m = load_model("baseline")
    >>> latex_expr(m.symbols["rho"] * m.symbols["d"], latex_symbols(m))
    'd \\\\rho'
    """
    return _LatexPrinter({"symbol_names": dict(symbols)}).doprint(expr)


_STATUS_TEXT = {
    "always": "always",
    "always inside": "inside ranges",
    "never": "never",
    "depends": "depends",
    "undecided": "undecided",
}


def status_text(status: str) -> str:
    """Short table text of a verdict (see :data:`tripartite.symbolic.STATUSES`)."""
    return _STATUS_TEXT.get(status, status)


def document(body: str, title: str = "") -> str:
    """A complete LaTeX document around ``body`` (landscape A4, booktabs, amsmath).

    Examples
    --------
    >>> document("x").splitlines()[0]
    '\\\\documentclass[10pt]{article}'
    """
    lines = [
        r"\documentclass[10pt]{article}",
        r"\usepackage[utf8]{inputenc}",
        r"\usepackage[T1]{fontenc}",
        r"\usepackage[a4paper,landscape,margin=1.5cm]{geometry}",
        r"\usepackage{amsmath}",
        r"\usepackage{array}",
        r"\usepackage{booktabs}",
        r"\usepackage{longtable}",
        r"\begin{document}",
    ]
    if title:
        lines.append(rf"\section*{{{escape(title)}}}")
    lines += [body, r"\end{document}", ""]
    return "\n".join(lines)


def _math(text: str) -> str:
    return f"${text}$" if text else ""


def _table(
    columns: str,
    header: Sequence[str],
    rows: Sequence[Sequence[str] | None],
    caption: str,
    label: str,
    notes: str,
) -> str:
    """A booktabs table; ``None`` in ``rows`` marks a gap between groups.

    Up to 40 rows go in a ``table`` float, longer tables in a ``longtable``.
    """
    body_rows = []
    for row in rows:
        body_rows.append(r"\addlinespace" if row is None else " & ".join(row) + r" \\")
    head = " & ".join(header) + r" \\"
    n_rows = sum(r is not None for r in rows)
    note = [rf"\par\smallskip\footnotesize {notes}"] if notes else []
    if n_rows <= 40:
        return "\n".join(
            [
                "% requires \\usepackage{booktabs} and \\usepackage{array}",
                r"\begin{table}[htbp]",
                r"\centering\small",
                rf"\caption{{{caption}}}",
                rf"\label{{{label}}}",
                rf"\begin{{tabular}}{{{columns}}}",
                r"\toprule",
                head,
                r"\midrule",
                *body_rows,
                r"\bottomrule",
                r"\end{tabular}",
                *note,
                r"\end{table}",
            ]
        )
    return "\n".join(
        [
            "% requires \\usepackage{booktabs}, \\usepackage{array} and \\usepackage{longtable}",
            r"{\small",
            rf"\begin{{longtable}}{{{columns}}}",
            rf"\caption{{{caption}}}\label{{{label}}}\\",
            r"\toprule",
            head,
            r"\midrule",
            r"\endhead",
            r"\bottomrule",
            r"\endfoot",
            *body_rows,
            r"\end{longtable}",
            *([rf"\footnotesize {notes}"] if notes else []),
            r"}",
        ]
    )


_P = r">{\raggedright\arraybackslash}p"


def vertex_table(
    model: Model,
    analysis: Mapping,
    evaluation: Mapping | None = None,
    *,
    point_text: str = "",
    caption: str | None = None,
    label: str = "tab:vertex-stability",
) -> str:
    """The vertex stability table: eigenvalues, conditions, verdicts and, at a point, signs.

    Parameters
    ----------
    model : Model
    analysis : dict
        :func:`tripartite.symbolic.vertex_analysis` of the model.
    evaluation : dict, optional
        :func:`tripartite.symbolic.evaluate_vertices` at a parameter point.
    point_text : str
        How the point is described in the caption (e.g. ``"defaults"``).

    Examples
    --------
    >>> from tripartite import load_model
    >>> from tripartite.symbolic import vertex_analysis, evaluate_vertices
    >>> m = load_model("baseline")
    >>> text = vertex_table(m, vertex_analysis(m), evaluate_vertices(m))
    >>> "\\\\toprule" in text and "\\\\rho" in text
    True
    """
    symbols = latex_symbols(model)
    header = [
        r"\textbf{Vertex}",
        r"\textbf{Deviation}",
        r"\textbf{Eigenvalue} $\lambda$",
        r"\textbf{Condition} $\lambda < 0$",
        r"\textbf{Holds}",
    ]
    columns = f"{_P}{{3.3cm}}{_P}{{2.6cm}}{_P}{{5.4cm}}{_P}{{6.2cm}}l"
    if evaluation is not None:
        header += [r"$\lambda$ \textbf{at point}", r"\textbf{Classification}"]
        columns += f"r{_P}{{2.3cm}}"
    rows: list[list[str] | None] = []
    for k, (profile, a) in enumerate(analysis.items()):
        if k:
            rows.append(None)
        name = "(" + ", ".join(escape(s) for s in a.strategies) + ")"
        first = [
            rf"$E_{{{k + 1}}}$ {name}\newline\emph{{stable: {status_text(a.status)}}}",
        ]
        for j, ((player, alt), cond) in enumerate(zip(a.deviations, a.conditions)):
            cells = first if j == 0 else [""]
            cells = cells + [
                escape(f"{model.players[player]} to {model.strategies[player][alt]}"),
                _math(latex_expr(cond.eigenvalue, symbols)),
                _math(latex_expr(cond.inequality, symbols)),
                status_text(cond.status),
            ]
            if evaluation is not None:
                ev = evaluation[profile]
                cells.append(_math(_number(ev.values[j])))
                cells.append(escape(ev.classification) if j == 0 else "")
            rows.append(cells)
    if caption is None:
        caption = f"Stability of the pure profiles of {escape(model.name)} under the replicator dynamics"
        if evaluation is not None and point_text:
            caption += f"; values at {escape(point_text)}"
    notes = (
        r"A vertex is asymptotically stable if and only if all its eigenvalues are negative "
        r"(a strict Nash equilibrium). \emph{Holds}: whether the condition holds over the declared "
        r"parameter ranges: always; inside ranges (everywhere except possibly on their boundary); "
        r"never; depends (at some admissible values and not at others); undecided (the analysis "
        r"could not decide)."
    )
    if evaluation is not None:
        notes += (
            r" \emph{Classification}: of the vertex at the given values, from the signs of its eigenvalues."
        )
    return _table(columns, header, rows, caption, label, notes)


def stability_latex(table, fragment: bool = True, record: Mapping | None = None) -> str:
    """The LaTeX of a :class:`~tripartite.symbolic.table.StabilityTable`: its booktabs vertex table.

    With ``fragment`` false, a complete document whose first line is a comment
    with the provenance (package version, model hash, parameter point) of
    ``record`` (default: :attr:`table.record <tripartite.symbolic.table.StabilityTable.record>`).

    Examples
    --------
    >>> from tripartite import load_model
    >>> from tripartite.symbolic import stability_table
    >>> table = stability_table(load_model("baseline"), {"nu": 0.5})
    >>> stability_latex(table).startswith("% requires")
    True
    >>> "% baseline: tripartite" in stability_latex(table, fragment=False)
    True
    """
    from .text import point_text

    body = vertex_table(
        table.model, table.analysis, table.evaluation, point_text=point_text({"changed": table.values})
    )
    if fragment:
        return body
    record = table.record if record is None else record
    comment = (
        f"% {record['model']}: tripartite {record['version']}, model hash {record['model_hash']}, "
        f"parameters: {point_text(record)}"
    )
    return document(comment + "\n" + body)


def _number(value: sp.Expr) -> str:
    value = sp.sympify(value)
    if value.is_Integer:
        return str(int(value))
    if value.is_Rational and value.q <= 1000:
        return sp.latex(value)
    return f"{float(sp.N(value)):.6g}"


def thresholds_table(
    model: Model,
    parameter: str,
    critical: Sequence,
    intervals: Mapping | None = None,
    *,
    caption: str | None = None,
    label: str = "tab:thresholds",
) -> str:
    """The critical values of one parameter, vertex by vertex.

    Parameters
    ----------
    critical : list of :class:`tripartite.symbolic.CriticalValue`
    intervals : dict, optional
        :func:`tripartite.symbolic.stable_intervals`, shown per vertex.
    """
    symbols = latex_symbols(model)
    sym = model.symbols[parameter]
    header = [
        r"\textbf{Vertex}",
        r"\textbf{Deviation}",
        rf"\textbf{{Critical}} ${symbols[sym]}$",
        r"\textbf{At point}",
        r"\textbf{Stable side}",
    ]
    columns = f"{_P}{{3.5cm}}{_P}{{3cm}}{_P}{{8cm}}r{_P}{{4cm}}"
    rows: list[list[str] | None] = []
    previous = None
    for c in critical:
        if previous is not None and c.profile != previous:
            rows.append(None)
        names = "(" + ", ".join(escape(model.strategies[i][k]) for i, k in enumerate(c.profile)) + ")"
        player, alt = c.deviation
        side = ""
        if c.stable_below is not None:
            side = "below" if c.stable_below else "above"
            if c.changes_stability:
                side += " (vertex stability changes)"
        rows.append(
            [
                names if c.profile != previous else "",
                escape(f"{model.players[player]} to {model.strategies[player][alt]}"),
                _math(f"{symbols[sym]} = " + latex_expr(c.solution, symbols)),
                _math(_number(c.value)) + ("" if c.in_range in (None, True) else " (out of range)")
                if c.value is not None
                else "",
                side,
            ]
        )
        previous = c.profile
    if caption is None:
        caption = f"Critical values of ${symbols[sym]}$ at which a vertex eigenvalue of {escape(model.name)} is zero"
    notes = ""
    if intervals:
        parts = []
        for profile, spans in intervals.items():
            if spans:
                names = ", ".join(escape(model.strategies[i][k]) for i, k in enumerate(profile))
                text = r" \cup ".join(f"({_bound(a)}, {_bound(b)})" for a, b in spans)
                parts.append(f"({names}) for ${symbols[sym]} \\in {text}$")
        notes = (
            "Asymptotically stable (others at the point): " + ("; ".join(parts) if parts else "none") + "."
        )
    return _table(columns, header, rows, caption, label, notes)


def _bound(value: sp.Expr) -> str:
    value = sp.sympify(value)
    if value is sp.oo:
        return r"\infty"
    if value is -sp.oo:
        return r"-\infty"
    return _number(value)
