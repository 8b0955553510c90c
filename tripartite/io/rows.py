"""The rows of the publishable tables: one builder per command's record, shared by Word and Excel.

Presentation only: each builder reads a record that a command already
computed (``stability``, ``thresholds``, ``escape``) and lays it out as one
or more :class:`TableSpec` (a caption, column headings, rows, a note); Word
(:mod:`tripartite.io.docx`) draws each as a three-line table, Excel
(:mod:`tripartite.io.xlsx`) as a sheet.  Cells are text, except the numbers
(values at the point, thresholds, changes), which stay numbers so that a
spreadsheet can compute with them; Word prints them with six significant
digits.  The package's own words follow ``lang`` (:mod:`tripartite.io.words`).

Examples
--------
>>> from tripartite import load_model
>>> from tripartite.symbolic import stability_table
>>> vertices, payoffs = stability_tables(stability_table(load_model("baseline")).record)
>>> vertices.header[:2], len(vertices.rows)
(['Vertex', 'Deviation'], 24)
>>> payoffs.header[:2], payoffs.rows[7][:2]
(['Vertex', 'government payoff'], ['E8 (passive, shirk, lapse)', -50.0])
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from .text import fmt, point_text
from .words import point_words, regime_words, welfare_words, words

__all__ = [
    "TableSpec",
    "escape_tables",
    "payoff_table",
    "properties",
    "stability_tables",
    "thresholds_tables",
]


@dataclass
class TableSpec:
    """One table: ``name`` (a sheet name), caption above, header, rows, note below, relative column widths."""

    name: str
    caption: str
    header: list[str]
    rows: list[list[Any]]
    note: str = ""
    widths: list[float] | None = field(default=None)


def properties(record: Mapping[str, Any], subject: str, caption: str) -> dict[str, str]:
    """Document properties (title, subject, comments, keywords) from a record's provenance."""
    origin = f"tripartite {record.get('version', '')}, model hash {record.get('model_hash', '')}"
    return {
        "title": caption[:255],
        "subject": f"{record['model']}: {subject}"[:255],
        "comments": f"{origin}; parameters: {point_text(record)}"[:255],
        "keywords": "tripartite",
    }


def _at(record: Mapping[str, Any], lang: str | None) -> str:
    return words("; values at {point}", lang, point=point_words(point_text(record), lang))


def stability_tables(record: Mapping[str, Any], *, lang: str | None = None) -> list[TableSpec]:
    """The vertex table of a ``stability`` record, its payoff table, then (when there are any) its other rest points.

    Vertex table: one row per eigenvalue: the vertex and its verdict (on its
    first row), the deviation, the eigenvalue, the condition that it is
    negative, whether the condition holds over the declared ranges, its value
    at the point, and the vertex's classification there.  Payoff table
    (:func:`payoff_table`): each vertex's decision payoffs and, when welfare
    is declared apart, its welfare.  Rest points: kind, shares, eigenvalues,
    classification and, for interior points, the Routh-Hurwitz conditions with
    their values.
    """
    header = [
        words("Vertex", lang),
        words("Deviation", lang),
        words("Eigenvalue", lang) + " λ",
        words("Condition", lang) + " λ < 0",
        words("Holds", lang),
        "λ " + words("at point", lang),
        words("Classification", lang),
    ]
    rows = []
    for k, v in enumerate(record["vertices"]):
        for j, e in enumerate(v["eigenvalues"]):
            first = j == 0
            vertex = f"E{k + 1} ({', '.join(v['profile'].values())})"
            stable = words("stable: {verdict}", lang, verdict=words(v["stability_status"], lang))
            rows.append(
                [
                    f"{vertex}\n{stable}" if first else "",
                    words("{player} to {strategy}", lang, player=e["player"], strategy=e["deviation"]),
                    e["expression"],
                    e["condition"],
                    words(e["status"], lang),
                    e["exact"],
                    words(v["classification"], lang) if first else "",
                ]
            )
    caption = words(
        "Stability of the pure profiles of {model} under the replicator dynamics", lang, model=record["model"]
    ) + _at(record, lang)
    note = words(
        "A vertex is asymptotically stable if and only if all its eigenvalues are negative (a strict Nash "
        "equilibrium). Holds: whether the condition holds over the declared parameter ranges.",
        lang,
    )
    out = [TableSpec("stability", caption, header, rows, note, [3.6, 3.2, 6.6, 6.6, 1.8, 1.6, 2.3])]
    out.append(payoff_table(record, lang=lang))
    points = [p for p in record.get("rest_points") or [] if p["kind"] != "vertex"]
    if points:
        out.append(_rest_point_table(record, points, lang))
    return out


def payoff_table(record: Mapping[str, Any], *, lang: str | None = None) -> TableSpec:
    """Each vertex's decision payoffs and, when the model declares welfare apart, its welfare.

    One row per vertex; one column per player for the payoffs the players act
    on and, only when ``record["welfare"]["declared"]``, one per player for
    their welfare.  The numbers are the record's (numbers, not text); the
    note says how welfare is evaluated.

    Examples
    --------
    >>> vertex = {"profile": {"A": "x"}, "payoffs": {"A": 1.5}, "welfare": {"A": 2.0}}
    >>> record = {"model": "m", "players": ["A"], "vertices": [vertex],
    ...           "welfare": {"declared": True, "evaluation": "the [welfare.payoffs] table"}}
    >>> spec = payoff_table(record)
    >>> spec.header, spec.rows
    (['Vertex', 'A payoff', 'A welfare'], [['E1 (x)', 1.5, 2.0]])
    """
    players = record["players"]
    declared = record["welfare"]["declared"]
    header = [words("Vertex", lang)] + [words("{player} payoff", lang, player=p) for p in players]
    if declared:
        header += [words("{player} welfare", lang, player=p) for p in players]
    rows = []
    for k, v in enumerate(record["vertices"]):
        row = [f"E{k + 1} ({', '.join(v['profile'].values())})"] + [v["payoffs"][p] for p in players]
        if declared:
            row += [v["welfare"][p] for p in players]
        rows.append(row)
    if declared:
        caption = words(
            "Payoffs and welfare of each player at the vertices of {model}", lang, model=record["model"]
        )
        note = words(
            "Payoffs: the decision payoffs, which the players act on. Welfare: {evaluation}.",
            lang,
            evaluation=welfare_words(record["welfare"]["evaluation"], lang),
        )
    else:
        caption = words("Payoffs of each player at the vertices of {model}", lang, model=record["model"])
        note = words(
            "Payoffs: the decision payoffs, which the players act on; the model declares no welfare apart "
            "from them.",
            lang,
        )
    name = "payoffs and welfare" if declared else "payoffs"
    widths = [3.6] + [1.6] * (len(header) - 1)
    return TableSpec(name, caption + _at(record, lang), header, rows, note, widths)


def _rest_point_table(record, points, lang) -> TableSpec:
    header = [
        words("Kind", lang),
        words("Shares", lang),
        words("Eigenvalues", lang),
        words("Classification", lang),
        words("Routh-Hurwitz conditions", lang),
    ]
    rows = []
    for p in points:
        shares = "; ".join(_share_text(player, share) for player, share in p["state"].items())
        eig = "" if p["eigenvalues"] is None else ", ".join(_complex(re, im) for re, im in p["eigenvalues"])
        rows.append(
            [words(p["kind"], lang), shares, eig, words(p["classification"], lang), hurwitz_text(p, lang)]
        )
    caption = words("Rest points off the vertices of {model}", lang, model=record["model"]) + _at(
        record, lang
    )
    note = words(
        "Routh-Hurwitz: an interior rest point is asymptotically stable if and only if every condition is "
        "positive at the point.",
        lang,
    )
    return TableSpec("rest points", caption, header, rows, note, [1.6, 4.4, 4.4, 2.4, 6.0])


def _share_text(player: str, share: Mapping[str, Any]) -> str:
    strategy = next(k for k in share if k != "exact")
    return f"{player}: {strategy} = {share['exact']}"


def _complex(re: float, im: float) -> str:
    if abs(im) <= 1e-12:
        return fmt(re)
    return f"{fmt(re)} {'+' if im > 0 else '-'} {fmt(abs(im))}i"


def hurwitz_text(point: Mapping[str, Any], lang: str | None = None) -> str:
    """The Routh-Hurwitz conditions of a rest point's record, one per line: ``expr > 0: value``.

    Empty unless the record carries them (interior points).
    """
    rh = point.get("routh_hurwitz")
    if not rh:
        return ""
    lines = [f"p(λ) = {rh['characteristic_polynomial'].replace('lambda', 'λ')}"]
    for c in rh["conditions"]:
        mark = words("holds", lang) if c["holds"] else words("fails", lang)
        lines.append(f"{c['condition']}: {c['exact']} ({mark})")
    return "\n".join(lines)


def thresholds_tables(record: Mapping[str, Any], *, lang: str | None = None) -> list[TableSpec]:
    """The critical values of a ``thresholds`` record, the stable ranges and the regime changes."""
    name = record["parameter"]["name"]
    header = [
        words("Vertex", lang),
        words("Deviation", lang),
        words("Critical value", lang),
        words("Exact", lang),
        words("Value", lang),
        words("In range", lang),
        words("Eigenvalue < 0", lang),
        words("Stability changes", lang),
    ]
    rows = []
    for c in record["critical_values"]:
        rows.append(
            [
                ", ".join(c["profile"].values()),
                words("{player} to {strategy}", lang, player=c["player"], strategy=c["deviation"]),
                f"{name} = {c['critical']}",
                c["exact"] or "",
                c["value"],
                _yes(c["in_range"], lang),
                words(c["stable_side"], lang) if c["stable_side"] else "",
                _yes(c["changes_stability"], lang),
            ]
        )
    caption = words("Critical values of {parameter} in {model}", lang, parameter=name, model=record["model"])
    caption += _at(record, lang)
    note = words(
        "Critical value: where a vertex eigenvalue is zero, the other parameters at the point.", lang
    )
    critical = TableSpec(
        "critical values", caption, header, rows, note, [3.0, 3.0, 5.5, 2.0, 1.6, 1.4, 2.4, 1.6]
    )
    ranges = TableSpec(
        "stable ranges",
        words("Asymptotically stable vertices as {parameter} varies", lang, parameter=name),
        [words("Vertex", lang), words("From", lang), words("To", lang), words("Exact", lang)],
        [
            [
                ", ".join(item["profile"].values()),
                "-inf" if lo is None else lo,
                "inf" if hi is None else hi,
                f"{'[' if left else '('}{a}, {b}{']' if right else ')'}",
            ]
            for item in record["stable_intervals"]
            for (lo, hi), (a, b), (left, right) in zip(
                item["intervals"], item["exact"], item.get("closed") or [[False, False]] * len(item["exact"])
            )
        ],
        widths=[4, 2, 2, 4],
    )
    changes = TableSpec(
        "regime changes",
        words("Regime changes as {parameter} varies", lang, parameter=name),
        [
            words("Value", lang),
            words("Exact", lang),
            words("Below", lang),
            words("Above", lang),
            words("Where", lang),
        ],
        [
            [
                t["value"],
                t["exact"] or "",
                regime_words(t["below"], lang),
                regime_words(t["above"], lang),
                "; ".join(t["conditions"]),
            ]
            for t in record["thresholds"]
        ],
        widths=[1.6, 2, 3, 3, 6],
    )
    return [critical, ranges, changes]


def _yes(flag: bool | None, lang: str | None) -> str:
    return "" if flag is None else words("yes" if flag else "no", lang)


def escape_tables(record: Mapping[str, Any], *, lang: str | None = None) -> list[TableSpec]:
    """The single-lever escapes of an ``escape`` record, and its least-cost package."""
    low = record["low"]
    low_text = f"{low['name']} ({', '.join(low['profile'].values())})"
    header = [
        words("Lever", lang),
        words("Now", lang),
        words("Threshold", lang),
        words("Exact", lang),
        words("Change", lang),
        words("Then stable", lang),
        words("From low goes to", lang),
        words("Status quo goes to", lang),
        words("Condition that fails", lang),
    ]
    rows = [
        [
            e["lever"],
            e["current"],
            e["threshold"],
            e["exact"] or "",
            e["change"],
            regime_words(e["regime_after"], lang),
            e["from_low"] or "",
            e["from_status_quo"] or "",
            e["condition"] or "",
        ]
        for e in record["single_lever"]
        if e["escapes"]
    ]
    others = [f"{e['lever']}: {e['note']}" for e in record["single_lever"] if not e["escapes"]]
    caption = words("Escape from {vertex}, one lever at a time", lang, vertex=low_text) + _at(record, lang)
    note = "\n".join(others)
    single = TableSpec(
        "single levers", caption, header, rows, note, [1.4, 1.4, 1.6, 1.6, 1.4, 3, 2.4, 2.4, 5]
    )
    pkg = record["package"]
    changed = [n for n in pkg["levers"] if n in (pkg.get("changes") or {})]
    package_rows = [
        [n, pkg["current"][n], pkg["package"][n], pkg["changes"][n], pkg["weights"][n]] for n in changed
    ]
    lines = [
        words("cost", lang) + f" {fmt(pkg['cost'])}"
        if pkg.get("feasible") and pkg.get("cost") is not None
        else "",
        words("optimum: {kind}", lang, kind=pkg.get("optimality", "")) if pkg.get("feasible") else "",
        words("method: {method}", lang, method=pkg.get("method", "")),
    ]
    if not pkg.get("feasible"):
        lines.insert(0, words("infeasible within the levers' admissible ranges; binding:", lang))
        lines[1:1] = list(pkg.get("binding") or [])
    package = TableSpec(
        "package",
        words(
            "Least-cost package making {target} the only asymptotically stable vertex",
            lang,
            target=pkg["target"],
        ),
        [
            words("Lever", lang),
            words("Now", lang),
            words("Package", lang),
            words("Change", lang),
            words("Weight", lang),
        ],
        package_rows,
        "\n".join(line for line in lines if line),
        [2, 2, 2, 2, 2],
    )
    return [single, package]


def cell_text(value: Any) -> str:
    """A cell as Word shows it: numbers with six significant digits, formulas with a middle dot."""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, (int, float)):
        return fmt(value)
    if value is None:
        return ""
    return str(value)


def sheet_rows(spec: TableSpec) -> Sequence[Sequence[Any]]:
    """The rows of a table as they go into a sheet (unchanged: numbers stay numbers)."""
    return spec.rows
