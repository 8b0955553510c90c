"""LaTeX output: parameter symbols, expressions and booktabs tables for papers.

Parameter symbols are typeset from each :class:`~tripartite.model.Parameter`'s
``symbol`` field when it is given (e.g. ``\\rho``), and otherwise from the
name: Greek names become Greek letters (``alpha`` -> :math:`\\alpha`,
``Pi`` -> :math:`\\Pi`, ``lam`` -> :math:`\\lambda`), the part after an
underscore or trailing digits becomes a subscript (``R1`` -> :math:`R_{1}`,
``q_eff`` -> :math:`q_{\\mathrm{eff}}`, ``pi_E`` -> :math:`\\pi_{E}`), and other
multi-letter names are set upright-italic as one word (``cost`` ->
:math:`\\mathit{cost}`).

The tables are ``longtable`` s with ``booktabs`` rules: they break across
pages, so no row is lost however long the table, and their columns are
fractions of ``\\linewidth`` (``p`` columns, formulas wrapping at their
operators), so they fit the page they are set on.  A complete document
(:func:`document`) is compiled as it is written:

- Latin text: ``pdflatex``, with ``T1`` outline fonts (Latin Modern), A4 portrait;
- Chinese, Japanese or Korean text (a model's names, or ``lang="zh"``): the
  first line says ``% !TEX program = xelatex`` and the document loads ``ctex``
  (which sets up xeCJK and a CJK font); ``xelatex`` or ``lualatex`` compile it.

A fragment (the table alone) is engine-neutral: its first lines are comments
saying which packages (and, for CJK text, which engine) the preamble needs.
The package's own words are English or Chinese (``lang``, see
:mod:`tripartite.io.words`).

Examples
--------
>>> latex_name("alpha_1"), latex_name("R1"), latex_name("q_eff"), latex_name("lam")
('\\\\alpha_{1}', 'R_{1}', 'q_{\\\\mathrm{eff}}', '\\\\lambda')
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence

import sympy as sp
from sympy.printing.latex import LatexPrinter

from ..expr import positive_first
from ..model import Model
from .words import point_words, words

__all__ = [
    "GREEK",
    "latex_name",
    "latex_symbols",
    "latex_expr",
    "escape",
    "document",
    "fragment_comment",
    "latex_output",
    "needs_cjk",
    "vertex_table",
    "vertex_payoff_table",
    "parameters_table",
    "payoff_table",
    "rest_point_table",
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


def status_text(status: str, lang: str | None = None) -> str:
    """Short table text of a verdict (see :data:`tripartite.symbolic.STATUSES`), in ``lang``."""
    return words(_STATUS_TEXT.get(status, status), lang)


def needs_cjk(text: str) -> bool:
    """Whether ``text`` has Chinese, Japanese or Korean characters (then: xelatex and ctex).

    Examples
    --------
    >>> needs_cjk("E1 (active, share)"), needs_cjk("E1 (积极监管, 分担)")
    (False, True)
    """
    return bool(_CJK.search(text))


# CJK punctuation and symbols, kana, ideographs (and extension A), Hangul, compatibility
# ideographs, full-width forms, and the supplementary ideographic plane.
_CJK = re.compile(
    "[\u2e80-\u303f\u3040-\u30ff\u3100-\u31ff\u3400-\u4dbf\u4e00-\u9fff"
    "\uac00-\ud7af\uf900-\ufaff\uff00-\uffef\U00020000-\U0003134f]"
)
_PACKAGES = r"\usepackage{amsmath}, \usepackage{array}, \usepackage{booktabs} and \usepackage{longtable}"


def fragment_comment(body: str) -> str:
    """The comment lines above a fragment: the packages it needs and, for CJK text, the engine.

    Examples
    --------
    >>> print(fragment_comment("x"))
    % requires \\usepackage{amsmath}, \\usepackage{array}, \\usepackage{booktabs} and \\usepackage{longtable}
    """
    lines = [f"% requires {_PACKAGES}"]
    if needs_cjk(body):
        lines.append(
            "% contains Chinese/Japanese/Korean text: compile with xelatex or lualatex, "
            "with \\usepackage{ctex} (or xeCJK and a CJK font) in the preamble"
        )
    return "\n".join(lines)


def document(body: str, title: str = "", *, lang: str | None = None) -> str:
    """A complete LaTeX document around ``body`` that compiles as written (A4 portrait, booktabs).

    Latin text: ``pdflatex`` with Latin Modern outline fonts (``T1``).  With
    Chinese, Japanese or Korean characters in ``body`` or ``title``: a first
    line ``% !TEX program = xelatex`` and ``ctex`` (its Chinese headings,
    such as 表 for Table, when ``lang`` is ``"zh"``).

    Examples
    --------
    >>> document("x").splitlines()[0]
    '\\\\documentclass[10pt,a4paper]{article}'
    >>> document("政府").splitlines()[:3]
    ['% !TEX program = xelatex', '\\\\documentclass[10pt,a4paper]{article}', '\\\\usepackage[UTF8,scheme=plain]{ctex}']
    """
    if needs_cjk(body + title) or (lang or "") == "zh":
        scheme = "chinese" if (lang or "") == "zh" else "plain"
        lines = [
            "% !TEX program = xelatex",
            r"\documentclass[10pt,a4paper]{article}",
            rf"\usepackage[UTF8,scheme={scheme}]{{ctex}}",
        ]
    else:
        lines = [
            r"\documentclass[10pt,a4paper]{article}",
            r"\usepackage[utf8]{inputenc}",
            r"\usepackage[T1]{fontenc}",
            r"\usepackage{lmodern}",
        ]
    lines += [
        r"\usepackage[a4paper,margin=2cm]{geometry}",
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
    """Inline mathematics of a table cell, with plain parentheses: ``\\left( \\right)`` would make
    each bracketed part one unbreakable box, while a cell's formula must wrap at its operators."""
    text = text.replace(r"\left(", "(").replace(r"\right)", ")")
    return f"${text}$" if text else ""


def _columns(widths: Sequence[float], right: Sequence[int] = ()) -> str:
    """``p`` columns taking the given fractions of ``\\linewidth`` (column separation included)."""
    cols = []
    for k, w in enumerate(widths):
        align = r"\raggedleft" if k in right else r"\raggedright"
        # \hspace{0pt}: lets TeX hyphenate a cell's first word too
        cols.append(
            rf">{{{align}\arraybackslash\hspace{{0pt}}}}p{{\dimexpr {w:.3f}\linewidth-2\tabcolsep\relax}}"
        )
    return "".join(cols)


def _table(
    columns: str,
    header: Sequence[str],
    rows: Sequence[Sequence[str] | None],
    caption: str,
    label: str,
    notes: str,
    lang: str | None = None,
    groups: Sequence[tuple[str, int]] = (),
) -> str:
    """A booktabs ``longtable`` (it breaks across pages); ``None`` in ``rows`` marks a gap between groups.

    The header is repeated on every page, with "continued" lines where the table breaks.
    ``groups``: an optional row above the header, ``(title, columns)`` from the left, each
    titled group centred over its columns with a rule under it (an empty title: no rule).
    """
    body_rows = [r"\addlinespace" if row is None else " & ".join(row) + r" \\" for row in rows]
    head = " & ".join(header) + r" \\"
    if groups:
        cells, rules, first = [], [], 1
        for title, span in groups:
            cells.append(rf"\multicolumn{{{span}}}{{c}}{{{title}}}" if title else " & ".join([""] * span))
            if title:
                rules.append(rf"\cmidrule(lr){{{first}-{first + span - 1}}}")
            first += span
        head = " & ".join(cells) + r" \\" + "".join(rules) + "\n" + head
    n = len(header)
    continued = words("continued", lang)
    lines = [
        r"{\footnotesize",
        r"\setlength{\tabcolsep}{4pt}\setlength{\LTleft}{0pt}\setlength{\LTright}{0pt}",
        rf"\begin{{longtable}}{{{columns}}}",
        rf"\caption{{{caption}}}\label{{{label}}}\\",
        r"\toprule",
        head,
        r"\midrule",
        r"\endfirsthead",
        rf"\multicolumn{{{n}}}{{l}}{{\footnotesize ({continued})}}\\",
        r"\toprule",
        head,
        r"\midrule",
        r"\endhead",
        r"\midrule",
        rf"\multicolumn{{{n}}}{{r}}{{\footnotesize ({words('continued on the next page', lang)})}}\\",
        r"\endfoot",
        r"\bottomrule",
        r"\endlastfoot",
        *body_rows,
        r"\end{longtable}",
        *([rf"\par\footnotesize {notes}\par"] if notes else []),
        r"}",
    ]
    return "\n".join(lines)


def vertex_table(
    model: Model,
    analysis: Mapping,
    evaluation: Mapping | None = None,
    *,
    point_text: str = "",
    caption: str | None = None,
    label: str = "tab:vertex-stability",
    lang: str | None = None,
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
    lang : {"en", "zh"}, optional
        Language of the package's own words (:mod:`tripartite.io.words`).

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
        rf"\textbf{{{words('Vertex', lang)}}}",
        rf"\textbf{{{words('Deviation', lang)}}}",
        rf"\textbf{{{words('Eigenvalue', lang)}}} $\lambda$",
        rf"\textbf{{{words('Condition', lang)}}} $\lambda < 0$",
        rf"\textbf{{{words('Holds', lang)}}}",
    ]
    if evaluation is None:
        columns = _columns([0.16, 0.14, 0.30, 0.30, 0.10])
    else:
        header += [
            rf"$\lambda$ \textbf{{{words('at point', lang)}}}",
            rf"\textbf{{{words('Classification', lang)}}}",
        ]
        columns = _columns([0.14, 0.12, 0.24, 0.24, 0.08, 0.07, 0.11], right=(5,))
    rows: list[list[str] | None] = []
    for k, (profile, a) in enumerate(analysis.items()):
        if k:
            rows.append(None)
        name = "(" + ", ".join(escape(s) for s in a.strategies) + ")"
        stable = words("stable: {verdict}", lang, verdict=status_text(a.status, lang))
        first = [rf"$E_{{{k + 1}}}$ {name}\newline\emph{{{stable}}}"]
        for j, ((player, alt), cond) in enumerate(zip(a.deviations, a.conditions)):
            cells = first if j == 0 else [""]
            move = words(
                "{player} to {strategy}",
                lang,
                player=model.players[player],
                strategy=model.strategies[player][alt],
            )
            cells = cells + [
                escape(move),
                _math(latex_expr(cond.eigenvalue, symbols)),
                _math(latex_expr(cond.inequality, symbols)),
                status_text(cond.status, lang),
            ]
            if evaluation is not None:
                ev = evaluation[profile]
                cells.append(_math(_number(ev.values[j])))
                cells.append(escape(words(ev.classification, lang)) if j == 0 else "")
            rows.append(cells)
    if caption is None:
        caption = words(
            "Stability of the pure profiles of {model} under the replicator dynamics",
            lang,
            model=escape(model.name),
        )
        if evaluation is not None and point_text:
            caption += words("; values at {point}", lang, point=escape(point_words(point_text, lang)))
    notes = words(
        r"A vertex is asymptotically stable if and only if all its eigenvalues are negative "
        r"(a strict Nash equilibrium). \emph{Holds}: whether the condition holds over the declared "
        r"parameter ranges: always; inside ranges (everywhere except possibly on their boundary); "
        r"never; depends (at some admissible values and not at others); undecided (the analysis "
        r"could not decide).",
        lang,
    )
    if evaluation is not None:
        notes += words(
            r" \emph{Classification}: of the vertex at the given values, from the signs of its eigenvalues.",
            lang,
        )
    return _table(columns, header, rows, caption, label, notes, lang)


def latex_output(body: str, fragment: bool, *, comment: str = "", lang: str | None = None) -> str:
    """``body`` as a fragment (with :func:`fragment_comment` above it) or as a complete :func:`document`.

    ``comment`` (e.g. the provenance line) goes at the top of the body in both cases.

    Examples
    --------
    >>> latex_output("x", True).splitlines()[0].startswith("% requires")
    True
    """
    if comment:
        body = f"{comment}\n{body}"
    if fragment:
        return f"{fragment_comment(body)}\n{body}"
    return document(body, lang=lang)


def stability_latex(
    table, fragment: bool = True, record: Mapping | None = None, *, lang: str | None = None
) -> str:
    """The LaTeX of a :class:`~tripartite.symbolic.table.StabilityTable`: its booktabs vertex table,
    each vertex's payoffs and welfare (:func:`vertex_payoff_table`) and the rest points off the vertices.

    A fragment starts with comments saying what the preamble needs; with
    ``fragment`` false, a complete document that compiles as written
    (:func:`document`).  Both carry a comment with the provenance (package
    version, model hash, parameter point) of ``record`` (default:
    :attr:`table.record <tripartite.symbolic.table.StabilityTable.record>`).
    ``lang`` is the language of the package's own words.

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
        table.model,
        table.analysis,
        table.evaluation,
        point_text=point_text({"changed": table.values}),
        lang=lang,
    )
    record = table.record if record is None else record
    body += "\n\n" + vertex_payoff_table(record, lang=lang)  # each vertex's payoffs and welfare
    points = rest_point_table(record, lang=lang)
    if points:  # edges, faces and interior: with the Routh-Hurwitz conditions of interior points
        body += "\n\n" + points
    comment = (
        f"% {record['model']}: tripartite {record['version']}, model hash {record['model_hash']}, "
        f"parameters: {point_text(record)}"
    )
    return latex_output(body, fragment, comment=comment, lang=lang)


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
    lang: str | None = None,
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
    columns = _columns([0.20, 0.18, 0.32, 0.12, 0.18], right=(3,))
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
                text = r" \cup ".join(_interval(span) for span in spans)
                parts.append(f"({names}) for ${symbols[sym]} \\in {text}$")
        notes = (
            "Asymptotically stable (others at the point): " + ("; ".join(parts) if parts else "none") + "."
        )
    return _table(columns, header, rows, caption, label, notes, lang)


def _interval(span) -> str:
    """An interval in math mode, ``[a, b)``: an end in brackets when it is included (``span.closed``)."""
    left, right = getattr(span, "closed", (False, False))
    a, b = span
    return f"{'[' if left else '('}{_bound(a)}, {_bound(b)}{']' if right else ')'}"


def _bound(value: sp.Expr) -> str:
    value = sp.sympify(value)
    if value is sp.oo:
        return r"\infty"
    if value is -sp.oo:
        return r"-\infty"
    return _number(value)


def _range_math(lo: float, hi: float) -> str:
    left = r"(-\infty" if lo == -float("inf") else f"[{lo:g}"
    right = r"\infty)" if hi == float("inf") else f"{hi:g}]"
    return f"${left}, {right}$"


def parameters_table(model: Model, *, label: str = "tab:parameters", lang: str | None = None) -> str:
    """The parameter table of a model as a booktabs ``longtable``: symbol, name, default, unit, range, meaning, source.

    Examples
    --------
    >>> from tripartite import load_model
    >>> body = parameters_table(load_model("baseline"))
    >>> body.count(r"\\\\") > len(load_model("baseline").parameters), r"$\\nu$" in body
    (True, True)
    """
    symbols = latex_symbols(model)
    header = [
        words("Symbol", lang),
        words("Name", lang),
        words("Default", lang),
        words("Unit", lang),
        words("Range", lang),
        words("Meaning", lang),
        words("Source of the default", lang),
    ]
    rows = []
    for p in model.parameters:
        rows.append(
            [
                f"${symbols[model.symbols[p.name]]}$",
                r"\texttt{" + escape(p.name) + "}",
                f"{p.default:g}",
                escape(p.unit).replace("/", r"/\allowbreak{}"),  # "yuan/month" may wrap
                _range_math(p.min, p.max),
                escape(p.description),
                escape(p.source),
            ]
        )
    caption = words("Parameters of {model}", lang, model=escape(model.name))
    columns = _columns([0.07, 0.09, 0.09, 0.11, 0.1, 0.27, 0.27], right=(2,))
    return _table(columns, [rf"\textbf{{{h}}}" for h in header], rows, caption, label, "", lang)


def payoff_table(model: Model, *, label: str = "tab:payoffs", lang: str | None = None) -> str:
    """The payoff matrix of a model as a booktabs ``longtable``: one row per pure profile, one column per player.

    State shares (``[state]``) appear in the payoffs as the symbols the
    scenario names them by.

    Examples
    --------
    >>> from tripartite import load_model
    >>> body = payoff_table(load_model("baseline"))
    >>> body.count("active, share, enroll"), r"\\begin{longtable}" in body
    (1, True)
    """
    states = [model.state_symbols[s.name] for s in model.state]
    symbols = latex_symbols(model, states)
    header = [words("Profile", lang), *(escape(p) for p in model.players)]
    rows = []
    for profile in model.profiles():
        names = ", ".join(model.strategies[i][k] for i, k in enumerate(profile))
        rows.append([escape(names), *(_math(latex_expr(e, symbols)) for e in model.payoffs[profile])])
    caption = words("Payoff matrix of {model}", lang, model=escape(model.name))
    n = len(model.players)
    columns = _columns([0.2] + [math.floor(800 / n) / 1000] * n)  # never wider than the line
    notes = words("Each row: a pure profile (strategies in player order) and every player's payoff.", lang)
    return _table(columns, [rf"\textbf{{{h}}}" for h in header], rows, caption, label, notes, lang)


def vertex_payoff_table(
    record: Mapping, *, label: str = "tab:vertex-payoffs", lang: str | None = None
) -> str:
    """Each vertex's decision payoffs and, when welfare is declared apart, its welfare, from a ``stability`` record.

    One row per vertex; under *Payoffs* one column per player, and under
    *Welfare* (only when ``record["welfare"]["declared"]``) one per player;
    the note says how welfare is evaluated.  The numbers are the record's.

    Examples
    --------
    >>> vertex = {"profile": {"A_1": "x&y"}, "payoffs": {"A_1": -1.5}, "welfare": {"A_1": 2.0}}
    >>> record = {"model": "m%", "players": ["A_1"], "vertices": [vertex], "changed": {},
    ...           "welfare": {"declared": True, "evaluation": "the [welfare.payoffs] table"}}
    >>> body = vertex_payoff_table(record)
    >>> r"$E_{1}$ (x\\&y) & $-1.5$ & $2$ \\\\" in body, r"\\textbf{A\\_1}" in body
    (True, True)
    """
    from .rows import payoff_table

    spec = payoff_table(record, lang=lang)  # the same rows, caption and note as Word and Excel
    players = record["players"]
    n, declared = len(players), record["welfare"]["declared"]
    header = [rf"\textbf{{{escape(spec.header[0])}}}"] + [rf"\textbf{{{escape(p)}}}" for p in players] * (
        2 if declared else 1
    )
    groups = [("", 1), (rf"\textbf{{{words('Payoffs', lang)}}}", n)]
    if declared:
        groups.append((rf"\textbf{{{words('Welfare', lang)}}}", n))
    rows = []
    for k, row in enumerate(spec.rows):
        strategies = ", ".join(escape(s) for s in record["vertices"][k]["profile"].values())
        rows.append([rf"$E_{{{k + 1}}}$ ({strategies})"] + [f"${x:.6g}$" for x in row[1:]])
    m = len(header) - 1  # number columns: at most 0.14 of the line each, all together never wider than 0.75
    columns = _columns([0.25] + [min(0.14, math.floor(750 / m) / 1000)] * m, right=range(1, m + 1))
    note = escape(spec.note)
    values = record["welfare"].get("values") or {}
    if values:  # the [welfare] values as symbols: beta = 1 -> $\beta = 1$
        plain = escape(", ".join(f"{n} = {v:g}" for n, v in values.items()))
        note = note.replace(plain, ", ".join(f"${latex_name(n)} = {v:g}$" for n, v in values.items()))
    return _table(columns, header, rows, escape(spec.caption), label, note, lang, groups)


def _text_math(text: str, names: Sequence[str]) -> str:
    """A formula the record holds as text (``c1*c2 - c3``, ``lambda**3 + 2``) typeset as LaTeX."""
    from ..expr import parse_expression

    source = re.sub(r"\blambda\b", "lam", text)
    try:
        expr = parse_expression(source, [*names, "lam"])
    except Exception:  # noqa: BLE001 - shown as it is, escaped, if it is not in the grammar
        return r"\texttt{" + escape(text) + "}"
    return latex_expr(expr, {sp.Symbol(n, real=True): latex_name(n) for n in [*names, "lam"]})


def rest_point_table(record: Mapping, *, label: str = "tab:rest-points", lang: str | None = None) -> str:
    """The rest points off the vertices of a ``stability`` record, interior ones with their Routh-Hurwitz conditions.

    One row per point: where it lies, its shares, its eigenvalues, its
    classification and, for an interior point, the characteristic
    polynomial at the point and each Routh-Hurwitz condition with its exact
    value and whether it holds.  Empty text when the record has no such point.

    Examples
    --------
    >>> from tripartite import load_model
    >>> from tripartite.symbolic import stability_table
    >>> record = stability_table(load_model("examples/dynamic_reward_punishment.toml")).record
    >>> body = rest_point_table(record)
    >>> r"\\lambda^{3}" in body, "c_{1} c_{2} - c_{3} > 0" in body
    (True, True)
    """
    points = [p for p in record.get("rest_points") or [] if p["kind"] != "vertex"]
    if not points:
        return ""
    header = [
        words("Kind", lang),
        words("Shares", lang),
        words("Eigenvalues", lang),
        words("Classification", lang),
        words("Routh-Hurwitz conditions", lang),
    ]
    rows = []
    for p in points:
        shares = "; ".join(
            f"{escape(player)}: {escape(next(k for k in s if k != 'exact'))} $= {_text_math(s['exact'], [])}$"
            for player, s in p["state"].items()
        )
        eig = (
            ""
            if p["eigenvalues"] is None
            else ", ".join(_complex_math(re_, im) for re_, im in p["eigenvalues"])
        )
        rh = p.get("routh_hurwitz")
        if rh:
            coefficients = list(rh["coefficients"])
            parts = [rf"$p(\lambda) = {_text_math(rh['characteristic_polynomial'], [])}$"]
            for c in rh["conditions"]:
                lhs = c["condition"].removesuffix(" > 0")
                mark = words("holds" if c["holds"] else "fails", lang)
                parts.append(
                    f"${_text_math(lhs, coefficients)} > 0$: ${_text_math(c['exact'], [])}$ ({mark})"
                )
            conditions = r" \newline ".join(parts)
        else:
            conditions = ""
        rows.append(
            [
                escape(words(p["kind"], lang)),
                shares,
                eig,
                escape(words(p["classification"] or "", lang)),
                conditions,
            ]
        )
    caption = words("Rest points off the vertices of {model}", lang, model=escape(record["model"]))
    notes = words(
        "Routh-Hurwitz: an interior rest point is asymptotically stable if and only if every condition is "
        "positive at the point.",
        lang,
    )
    columns = _columns([0.08, 0.27, 0.2, 0.12, 0.33])
    return _table(columns, [rf"\textbf{{{h}}}" for h in header], rows, caption, label, notes, lang)


def _complex_math(re_: float, im: float) -> str:
    if abs(im) <= 1e-12:
        return f"${re_:.6g}$"
    return f"${re_:.6g} {'+' if im > 0 else '-'} {abs(im):.6g}i$"
