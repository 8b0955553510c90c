"""Text, Markdown and HTML renderings of the stability table.

Presentation only: these functions format a record or a
:class:`~tripartite.symbolic.table.StabilityTable` that the symbolic analysis
already computed, and never compute game theory themselves.

- :func:`stability_text` and :func:`stability_markdown` render the record of
  ``tripartite stability`` (:attr:`StabilityTable.record
  <tripartite.symbolic.table.StabilityTable.record>`: the provenance block
  followed by :meth:`StabilityTable.to_record()
  <tripartite.symbolic.table.StabilityTable.to_record>`); they are its
  ``text`` and ``markdown`` formats.  Both give, in this order, the vertex
  table, the legend of its verdicts, each vertex's decision payoffs and (when
  the model declares welfare apart, ``record["welfare"]["declared"]``) its
  welfare, then the rest points off the vertices; :func:`payoff_text` is the
  payoff table alone;
- :func:`stability_html` is the table's display in Jupyter, with the
  expressions typeset (LaTeX inside ``$...$``);
- the LaTeX rendering is :func:`tripartite.io.latex.stability_latex`.

The package's own words in the table (headers, verdicts, classifications)
follow :func:`tripartite.io.words.set_language` (``tripartite stability
--lang zh``); the surrounding sentences are English.

In every rendering, ``holds`` and ``can be stable`` are *verdicts over the
declared parameter ranges* (``always``, ``always inside``, ``never``,
``depends``, ``undecided``: statements about a condition, not about a point),
while ``classification`` is the classification of the rest point at the given
parameter values, one of :data:`tripartite.dynamics.CLASSIFICATIONS`.

Examples
--------
>>> from tripartite import load_model
>>> from tripartite.symbolic import stability_table
>>> text = stability_text(stability_table(load_model("baseline")).record)
>>> text.splitlines()[1]
'parameters: defaults'
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import sympy as sp

from ..expr import to_text
from .text import fmt, header, markdown_header, markdown_table, point_text, table
from .words import get_language, point_words, welfare_words, words

__all__ = ["STABILITY_HEADERS", "payoff_text", "stability_html", "stability_markdown", "stability_text"]

#: Columns of the vertex table, in every rendering.
STABILITY_HEADERS = (
    "vertex",
    "can be stable",
    "deviation",
    "eigenvalue",
    "condition (eigenvalue < 0)",
    "holds",
    "value",
    "sign",
    "classification",
)
_NOT_CLASSIFIED = "not classified"


def _vertex_rows(record: Mapping[str, Any], code: bool) -> list[tuple[str, ...]]:
    def wrap(text: str) -> str:
        return f"`{text}`" if code else text

    rows = []
    for k, v in enumerate(record["vertices"]):
        for j, e in enumerate(v["eigenvalues"]):
            head = _vertex_name(k, v) if j == 0 else ""
            rows.append(
                (
                    head,
                    words(v["stability_status"]) if j == 0 else "",
                    words("{player} to {strategy}", player=e["player"], strategy=e["deviation"]),
                    wrap(e["expression"]),
                    wrap(e["condition"]),
                    words(e["status"]),
                    e["exact"],
                    e["sign"],
                    words(v["classification"]) if j == 0 else "",
                )
            )
    return rows


def _headers() -> list[str]:
    """:data:`STABILITY_HEADERS` in the language of :func:`tripartite.io.words.set_language`."""
    return [words(h) for h in STABILITY_HEADERS]


def _rest_point_lines(record: Mapping[str, Any]) -> list[str]:
    points = record.get("rest_points")
    if points is None:
        return [words(record.get("rest_points_note") or "")]
    if not points:
        return ["  " + words("none on edges, faces or in the interior (only the vertices)")]
    lines = []
    for p in points:
        state = "; ".join(f"{player} {s['exact']}" for player, s in p["state"].items())
        label = words(p["classification"] or _NOT_CLASSIFIED)
        mixing = words("{players} mixing", players=", ".join(p["mixing"]))
        lines.append(f"  {words(p['kind'])} ({mixing}): {state} -> {label}")
        if p["note"]:
            lines.append(f"      {p['note']}")
        lines += [f"      {line}" for line in _hurwitz_lines(p)]
    lines += [f"  {words('set')}: {s['text']}" for s in record.get("rest_point_sets") or []]
    return lines


def _hurwitz_lines(point: Mapping[str, Any]) -> list[str]:
    """An interior point's characteristic polynomial and Routh-Hurwitz conditions with their values."""
    rh = point.get("routh_hurwitz")
    if not rh:
        return []
    coefficients = ", ".join(f"{c} = {v['exact']}" for c, v in rh["coefficients"].items())
    verdict = "all hold: asymptotically stable" if rh["stable"] else "not all hold: not asymptotically stable"
    lines = [
        words("characteristic polynomial: {polynomial}", polynomial=rh["characteristic_polynomial"]),
        words(
            "coefficients at the point (lambda**n + c1*lambda**(n-1) + ... + cn): {values}",
            values=coefficients,
        ),
        words("Routh-Hurwitz ({verdict}):", verdict=words(verdict)),
    ]
    lines += [
        f"  {c['condition']}: {c['exact']} ({words('holds' if c['holds'] else 'fails')})"
        for c in rh["conditions"]
    ]
    return lines


def _vertex_name(k: int, vertex: Mapping[str, Any]) -> str:
    return f"E{k + 1} ({', '.join(vertex['profile'].values())})"


def _payoff_heading(record: Mapping[str, Any], evaluation: str | None) -> str:
    players = ", ".join(record["players"])
    if not record["welfare"]["declared"]:
        return words("Payoffs ({players}) at each vertex, at the parameters above:", players=players)
    return words(
        "Payoffs and welfare ({players}) at each vertex, at the parameters above; welfare: {evaluation}:",
        players=players,
        evaluation=evaluation or welfare_words(record["welfare"]["evaluation"]),
    )


def payoff_text(record: Mapping[str, Any], evaluation: str | None = None) -> str:
    """Each vertex's decision payoffs, and its welfare when the model declares welfare apart (text).

    The numbers are the record's (``payoffs`` and ``welfare`` of each vertex,
    :mod:`tripartite.welfare`); the welfare column appears only when
    ``record["welfare"]["declared"]``.  ``evaluation`` says how welfare is
    evaluated (default: the record's sentence in the text's language,
    :func:`tripartite.io.words.welfare_words`).  The words follow
    :func:`tripartite.io.words.set_language`; names are the model's.

    Examples
    --------
    >>> vertex = {"profile": {"A": "x", "B": "y"}, "payoffs": {"A": 1, "B": 2}, "welfare": {"A": 1, "B": 3}}
    >>> record = {"players": ["A", "B"], "vertices": [vertex], "welfare": {"declared": False}}
    >>> print(payoff_text(record))
    Payoffs (A, B) at each vertex, at the parameters above:
    vertex     payoffs
    ---------  -------
    E1 (x, y)  1, 2
    """
    declared = record["welfare"]["declared"]
    rows = []
    for k, v in enumerate(record["vertices"]):
        row = [_vertex_name(k, v), ", ".join(fmt(x) for x in v["payoffs"].values())]
        if declared:
            row.append(", ".join(fmt(x) for x in v["welfare"].values()))
        rows.append(row)
    headers = [words(h) for h in ("vertex", "payoffs", "welfare")[: 3 if declared else 2]]
    return _payoff_heading(record, evaluation) + "\n" + table(headers, rows)


def _payoff_columns(record: Mapping[str, Any]) -> tuple[list[str], list[list[str]]]:
    """Headers and rows of the payoffs (and welfare, when declared apart): one column per player and quantity."""
    players = record["players"]
    declared = record["welfare"]["declared"]
    headers = [words("vertex")] + [words("{player} payoff", player=p) for p in players]
    if declared:
        headers += [words("{player} welfare", player=p) for p in players]
    rows = []
    for k, v in enumerate(record["vertices"]):
        row = [_vertex_name(k, v)] + [fmt(v["payoffs"][p]) for p in players]
        if declared:
            row += [fmt(v["welfare"][p]) for p in players]
        rows.append(row)
    return headers, rows


def _payoff_markdown(record: Mapping[str, Any]) -> list[str]:
    """The payoffs (and welfare, when declared apart) as a pipe table (:func:`_payoff_columns`)."""
    return [_payoff_heading(record, None), "", *markdown_table(*_payoff_columns(record))]


def _separator() -> str:
    return "；" if get_language() == "zh" else "; "


def stability_text(record: Mapping[str, Any]) -> str:
    """Plain text of a stability record with provenance (the ``tripartite stability`` output).

    Its sentences and table words follow :func:`tripartite.io.words.set_language`.
    """
    eq = record["replicator_equations"]
    lines = [
        header(record),
        words("parameters: {point}", point=point_words(point_text(record))),
        "",
        words("Replicator equations ({states}):", states="; ".join(record["symbols"]["states"].values())),
    ]
    lines += [f"  {x}' = {rhs}" for x, rhs in eq["rhs"].items()]
    lines += [
        "",
        words(
            "Vertices: eigenvalues of the Jacobian and the condition for asymptotic stability "
            "(every eigenvalue < 0);"
        ),
        words(
            "'holds' / 'can be stable' are verdicts over the declared parameter ranges; value, sign and "
            "classification at the parameters above:"
        ),
        table(_headers(), _vertex_rows(record, code=False)),
        words(
            "Verdicts: {verdicts}.",
            verdicts=_separator().join(f"{words(k)}: {words(v)}" for k, v in record["statuses"].items()),
        ),
        "",
        payoff_text(record),
        "",
        words("Rest points on edges, faces and in the interior at the parameters above:"),
        *_rest_point_lines(record),
    ]
    return "\n".join(lines)


def stability_markdown(record: Mapping[str, Any]) -> str:
    """Markdown of a stability record with provenance: the equations, a pipe table, the rest points."""
    eq = record["replicator_equations"]
    lines = [
        f"### Stability of {record['model']}",
        "",
        markdown_header(record),
        "",
        "Replicator equations (" + "; ".join(record["symbols"]["states"].values()) + "):",
        "",
    ]
    lines += [f"- `{x}' = {rhs}`" for x, rhs in eq["rhs"].items()]
    lines += ["", *markdown_table(_headers(), _vertex_rows(record, code=True))]
    lines += ["", "Verdicts: " + "; ".join(f"*{k}*: {v}" for k, v in record["statuses"].items()) + "."]
    lines += ["", *_payoff_markdown(record)]
    lines += ["", "Rest points on edges, faces and in the interior:", ""]
    lines += ["- " + line.strip() for line in _rest_point_lines(record) if line.strip()]
    return "\n".join(lines)


def _sign_text(sign: int) -> str:
    return {-1: "-", 0: "0", 1: "+"}[sign]


def _rest_point_row(model, point) -> list[str]:
    state = "; ".join(
        f"{player}: {model.strategies[i][0]} {to_text(sp.sympify(v))}"
        for i, (player, v) in enumerate(zip(model.players, point.state))
    )
    return [
        point.kind,
        ", ".join(model.players[i] for i in point.mixing),
        state,
        point.classification or _NOT_CLASSIFIED,
        point.note,
    ]


def stability_html(table_) -> str:
    """The HTML display of a :class:`~tripartite.symbolic.table.StabilityTable` (expressions typeset)."""
    from ..display import html_table
    from .latex import latex_expr, latex_symbols

    model = table_.model
    symbols = latex_symbols(model)
    rows = []
    for k, (profile, a) in enumerate(table_.analysis.items()):
        ev = table_.evaluation[profile]
        for j, (deviation, cond) in enumerate(zip(a.deviation_names(), a.conditions)):
            first = j == 0
            rows.append(
                [
                    f"E{k + 1} ({', '.join(a.strategies)})" if first else "",
                    a.status if first else "",
                    deviation,
                    f"${latex_expr(cond.eigenvalue, symbols)}$",
                    f"${latex_expr(cond.inequality, symbols)}$",
                    cond.status,
                    to_text(ev.values[j]),
                    _sign_text(ev.signs[j]),
                    ev.classification if first else "",
                ]
            )
    caption = f"{model.name}: stability of every vertex at {point_text({'changed': table_.values})}"
    out = html_table(STABILITY_HEADERS, rows, caption)
    record = {"players": list(model.players), **table_._record_content}  # each vertex's payoffs and welfare
    out += html_table(*_payoff_columns(record), _payoff_heading(record, None).rstrip(":"))
    if table_.rest_points is not None:
        rest = [_rest_point_row(model, p) for p in table_.rest_points]
        out += html_table(
            ["kind", "mixing", "state", "classification", "note"],
            rest or [["none", "", "only the vertices are rest points", "", ""]],
            "rest points on edges, faces and in the interior",
        )
    return out
