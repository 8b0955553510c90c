"""``tripartite solve [GAME]``: equilibria, vertex stability and the status quo's fate.

GAME is a built-in model, a ``.toml`` scenario or a Gambit ``.nfg`` file.
``--all`` lists every Nash equilibrium, pure and mixed
(:func:`tripartite.equilibria.all_equilibria`); ``--exact`` computes them in
exact arithmetic (rationals and real algebraic numbers) and implies ``--all``.

The answer is :func:`tripartite.solution.solve`; this module adds its
provenance (:func:`solution_provenance`) and prints it, as JSON or as text
(:func:`render`).
"""

from __future__ import annotations

import argparse
import re
import textwrap

from ..game import DEFAULT_TOL
from ..io.provenance import game_hash, with_provenance
from ..io.text import display_width, state_text
from ..io.words import point_words, words
from ..solution import Solution, solve
from .common import (
    add_lang_argument,
    add_model_argument,
    add_set_argument,
    command_provenance,
    emit_record,
    fmt,
    header,
    point_from_args,
    point_text,
    table,
)
from .prospect_options import RATIONAL, add_prospect_arguments, prospect_from_args


def add_parser(sub) -> None:
    parser = sub.add_parser(
        "solve",
        help="pure equilibria, stability of every vertex, and where the status quo converges",
    )
    add_model_argument(parser)
    add_set_argument(parser)
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument(
        "--tol",
        type=float,
        default=DEFAULT_TOL,
        help="tolerance on payoff differences, relative to the payoff scale (the largest range of one player's payoffs)",
    )
    parser.add_argument(
        "--all",
        dest="all_equilibria",
        action="store_true",
        help="every Nash equilibrium, pure and mixed (says whether the list is complete)",
    )
    parser.add_argument(
        "--exact",
        action="store_true",
        help="exact arithmetic: rationals and real algebraic numbers (implies --all)",
    )
    parser.add_argument(
        "--time-limit",
        type=float,
        default=60.0,
        metavar="SECONDS",
        help="stop enumerating after this long; the list is then labelled not complete (default 60)",
    )
    add_prospect_arguments(parser)  # behavioural payoffs (tripartite.cli.prospect_options)
    add_lang_argument(parser, "the text")
    parser.set_defaults(func=run)


def solve_record(
    model,
    values: dict,
    tol: float,
    prospect=None,
    *,
    all_equilibria_: bool = False,
    exact: bool = False,
    game=None,
    time_limit: float = 60.0,
    source: str | None = None,
) -> dict:
    """The ``solve --json`` record: the provenance, then :meth:`tripartite.solution.Solution.to_record`.

    ``model`` may be ``None`` when ``game`` is given (a ``.nfg`` game has no
    model: it is hashed by content and named by ``source``, its file).
    """
    solution = solve(
        model if game is None else game,
        values if game is None else None,
        all_equilibria=all_equilibria_,
        exact=exact,
        tol=tol,
        time_limit=time_limit,
        prospect=prospect,
    )
    return with_provenance(solution.to_record(), solution_provenance(solution, source, game))


def solution_provenance(solution: Solution, source: str | None = None, game=None) -> dict:
    """The provenance of a :class:`~tripartite.solution.Solution` (``game``: the input game, if no model)."""
    extra = {"payoffs": solution.prospect.describe() if solution.prospect is not None else RATIONAL}
    if solution.model is None:  # a game without a model: hash the input game's content, name its file
        extra["model_hash"] = game_hash(game if game is not None else solution.game)
        extra["source"] = source or solution.game.name
    return command_provenance(
        solution.game,
        solution.model,
        solution.values,
        method=solution.method,
        tolerance=solution.tolerance,
        **extra,
    )


def run(args: argparse.Namespace) -> None:
    game, model, values = point_from_args(args)
    prospect = prospect_from_args(args)
    solution = solve(
        model if model is not None else game,
        values if model is not None else None,
        all_equilibria=args.all_equilibria or args.exact,
        exact=args.exact,
        tol=args.tol,
        time_limit=args.time_limit,
        prospect=prospect,
    )
    record = solution_provenance(solution, args.model, game if model is None else None)
    lang = getattr(args, "lang", None)
    # the record's two sentences (welfare_note, welfare.evaluation) in the text's language; JSON: English
    emit_record(
        solution.to_record("en" if args.json else lang),
        lambda r: render(r, lang),
        as_json=args.json,
        provenance=record,
    )


def _complex_text(re: float, im: float) -> str:
    if abs(im) <= 1e-12 * max(1.0, abs(re)):
        return fmt(re)
    return f"{fmt(re)} {'+' if im >= 0 else '-'} {fmt(abs(im))}i"


def _profile_text(strategies: dict) -> str:
    return ", ".join(max(p, key=p.get) for p in strategies.values())


def render(record: dict, lang: str | None = None) -> str:
    """Human-readable text of a ``solve`` record; the package's own words in ``lang`` (``"en"``, ``"zh"``).

    The names of the model (players, strategies) are never translated.  The
    record's own sentences (each equilibrium's ``welfare_note``, ``welfare``'s
    ``evaluation``) are printed as they are, wrapped by display width
    (:func:`wrap_sentence`): build the record with
    :meth:`tripartite.solution.Solution.to_record` in ``lang`` (as :func:`run` does).
    """

    def w(phrase: str, **fields) -> str:
        return words(phrase, lang, **fields)

    players = record["players"]
    lines = [header(record), w("parameters: {point}", point=point_words(point_text(record), lang)), ""]
    if record.get("all"):
        lines.extend(_render_all(record, lang))
    else:
        lines.extend(_render_pure(record, players, lang))
    lines.extend(_render_welfare(record, lang))
    lines.append("")
    lines.append(w("Stability of every vertex under the replicator dynamics"))
    lines.append(
        w("(eigenvalues = each player's gain from switching; asymptotically stable = strict equilibrium):")
    )
    rows = [
        (
            ", ".join(r["profile"].values()),
            ", ".join(fmt(re) for re, _ in r["eigenvalues"]),
            _values_text(r.get("payoffs")),
            _values_text(r.get("welfare")),
            w(r["classification"]),
        )
        for r in record["rest_points"]
        if r.get("kind", "vertex") == "vertex"
    ]
    headers = ("vertex", "eigenvalues", "payoffs", "welfare", "classification")
    lines.append(table(tuple(w(h) for h in headers), rows))
    others = [r for r in record["rest_points"] if r.get("kind", "vertex") != "vertex"]
    sets = record.get("rest_point_sets") or []
    if others or sets or record.get("rest_points_note"):
        lines.append("")
        lines.append(w("Rest points on edges, faces and in the interior:"))
        if others:
            rows = [
                (
                    w(r["kind"]),
                    state_text(r["strategies"], "{:.4g}".format),
                    ", ".join(_complex_text(re, im) for re, im in r["eigenvalues"]),
                    _values_text(r.get("payoffs")),
                    _values_text(r.get("welfare")),
                    w(r["classification"]) + (w(" (focus)") if r.get("focus") else ""),
                )
                for r in others
            ]
            headers = ("kind", "state", "eigenvalues", "payoffs", "welfare", "classification")
            lines.append(table(tuple(w(h) for h in headers), rows))
        elif not sets:
            lines.append(w("  none found"))
        for found in sets:
            lines.append(w("  set: {text}", text=found["text"]))
        if record.get("rest_points_note"):
            lines.append(w("  not complete: {note}", note=record["rest_points_note"]))
    sq = record.get("status_quo")
    if sq:
        lines.append("")
        lines.append(w("Status-quo state ({state})", state=state_text(sq["initial_state"])))
        if sq["outcome"] == "vertex":
            when = (
                w("certified at t = {t}", t=f"{sq['t_final']:.3g}")
                if sq.get("certified")
                else w("by t = {t}", t=fmt(sq["t_final"] if sq.get("t_final") is not None else sq["t_max"]))
            )
            profile = ", ".join(sq["profile"].values())
            lines.append(w("  converges to: {profile} ({when})", profile=profile, when=when))
        else:
            end = state_text(sq["final_state"], "{:.4f}".format)
            lines.append(
                w(
                    "  {outcome} by t = {t}; state then: {state}",
                    outcome=w(sq["outcome"]),
                    t=fmt(sq["t_max"]),
                    state=end,
                )
            )
    return "\n".join(lines)


def _values_text(values: dict | None) -> str:
    return "" if not values else ", ".join(fmt(v) for v in values.values())


def _render_welfare(record: dict, lang: str | None = None) -> list[str]:
    """Who loses: each equilibrium's welfare and its Pareto comparison (computed in tripartite.welfare)."""
    welfare = record.get("welfare")
    if not welfare or not record["equilibria"]:
        return []
    lines = ["", words("Welfare: {evaluation} (see docs/welfare.md)", lang, evaluation=welfare["evaluation"])]
    for e in record["equilibria"]:
        # a mixed equilibrium is named by its probabilities, not by its most likely pure profile
        profile = _profile_text(e["strategies"]) if e.get("pure", True) else _strategy_text(e, False)
        values = _values_text(e["welfare"])
        lines.append(words("  {profile}: welfare {values}", lang, profile=profile, values=values))
        lines.extend(wrap_sentence(e["welfare_note"], "    ", "      "))
    return lines


#: The clause ends of a welfare note (English and Chinese): a line holds whole clauses while they fit.
_CLAUSE_END = re.compile(r"(?<=; )|(?<=；)")
#: The units a line is filled with: a word with the spaces after it, or one CJK character.
_UNIT = re.compile(
    r"[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f]|[^\s\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f]+\s*|\s+"
)
#: CJK punctuation never starts a line.
_NO_LINE_START = set("，。；：）」』、！？")


def wrap_sentence(text: str, indent: str = "", subsequent: str = "", width: int | None = None) -> list[str]:
    """A long sentence as lines of at most ``width`` display columns (:data:`WIDTH`), one clause or more a line.

    A clause ends after ``"; "`` or ``"；"``: each line holds
    whole clauses while they fit; a clause longer than a line is filled word
    by word (English) or character by character (Chinese, never starting a
    line with punctuation), measured by :func:`tripartite.io.text.display_width`.

    Examples
    --------
    >>> wrap_sentence("one two; three four", "", "  ", width=10)
    ['one two;', '  three', '  four']
    """
    width = WIDTH if width is None else width
    lines: list[str] = []
    line = indent
    for clause in (c for c in _CLAUSE_END.split(text) if c):
        if display_width(line + clause.rstrip()) <= width:
            line += clause
            continue
        if line.strip():
            lines.append(line.rstrip())
            line = subsequent
        for unit in _UNIT.findall(clause):
            if display_width(line + unit.rstrip()) > width and line.strip() and unit[0] not in _NO_LINE_START:
                lines.append(line.rstrip())
                line = subsequent
            line += unit.lstrip() if not line.strip() else unit
    if line.strip():
        lines.append(line.rstrip())
    return lines


def _render_pure(record: dict, players, lang: str | None = None) -> list[str]:
    lines = [
        words(
            "Pure Nash equilibria (tolerance {tol} relative to the payoff scale {scale}):",
            lang,
            tol=f"{record['tolerance']:g}",
            scale=f"{record['payoff_scale']:g}",
        )
    ]
    if record["equilibria"]:
        rows = [
            (
                _profile_text(e["strategies"]),
                words("yes" if e["strict"] else "no", lang),
                ", ".join(fmt(v) for v in e["payoffs"].values()),
                _values_text(e.get("welfare")),
            )
            for e in record["equilibria"]
        ]
        headers = (
            words("profile ({players})", lang, players=", ".join(players)),
            *(words(h, lang) for h in ("strict", "payoffs", "welfare")),
        )
        lines.append(table(headers, rows))
    else:
        lines.append(words("  none: no pure profile is a Nash equilibrium", lang))
    return lines


def _strategy_text(e: dict, exact: bool) -> str:
    parts = []
    source = e["exact"] if exact and e.get("exact") else e["strategies"]
    for player, probs in source.items():
        used = [(s, v) for s, v in probs.items() if (v != "0" if isinstance(v, str) else v > 0)]
        if len(used) == 1:
            parts.append(f"{player}: {used[0][0]}")
        else:
            parts.append(
                f"{player}: " + ", ".join(f"{s} {v if isinstance(v, str) else fmt(v)}" for s, v in used)
            )
    return "; ".join(parts)


def _render_all(record: dict, lang: str | None = None) -> list[str]:
    def w(phrase: str, **fields) -> str:
        return words(phrase, lang, **fields)

    exact = record.get("exact")
    status = w("complete") if record.get("complete") else w("NOT complete")
    if record.get("degenerate"):
        status += w(", degenerate game")
    arithmetic = (
        w("exact arithmetic")
        if exact
        else w(
            "tolerance {tol} relative to the payoff scale {scale}",
            tol=f"{record['tolerance']:g}",
            scale=f"{record['payoff_scale']:g}",
        )
    )
    lines = [
        w(
            "All Nash equilibria ({arithmetic}; {status}): {n} found",
            arithmetic=arithmetic,
            status=status,
            n=len(record["equilibria"]),
        )
    ]
    for k, e in enumerate(record["equilibria"], 1):
        kind = w("pure") + (w(", strict") if e["strict"] else "") if e["pure"] else w("mixed")
        payoffs = ", ".join(fmt(v) for v in e["payoffs"].values())
        welfare = w("; welfare {values}", values=_values_text(e["welfare"])) if e.get("welfare") else ""
        text = w("[{kind}; payoffs {payoffs}{welfare}]", kind=kind, payoffs=payoffs, welfare=welfare)
        if e.get("component") is not None and record.get("components"):
            text += w(" (component {k})", k=e["component"] + 1)
        lines.append(f"  {k}. {_strategy_text(e, bool(exact))}  {text}")
        if e.get("note"):
            lines.append(w("     note: {note}", note=e["note"]))
    for note in record.get("notes") or []:  # the package's notes are English prose: wrapped by characters
        lines.extend(
            textwrap.wrap(
                note, WIDTH, initial_indent="  * ", subsequent_indent="    ",
                break_long_words=False, break_on_hyphens=False,
            )
        )  # fmt: skip
    lines.extend(_render_components(record, lang))
    return lines


#: Terminal columns the lines of a component's constraints and vertices are wrapped to.
WIDTH = 100


def _wrapped(label: str, items: list[str], indent: str = "      ") -> list[str]:
    """``label`` then ``items`` joined by "; ", wrapped at :data:`WIDTH` display columns (never inside an item)."""
    lines = [label + (items[0] if items else "")]
    for item in items[1:]:
        candidate = f"{lines[-1]}; {item}"
        if display_width(candidate) <= WIDTH:
            lines[-1] = candidate
        else:
            lines[-1] += ";"
            lines.append(indent + item)
    return lines


def _shape(c: dict) -> str:
    """What a component is: a point, a segment, a polygon, a polytope, a curve or a curved set."""
    if c["dimension"] == 0:
        return "point"
    if c["polytope"]:
        return {1: "segment", 2: "polygon"}.get(c["dimension"], "polytope")
    return "curve" if c["dimension"] == 1 else "curved set"


def _support_text(support: dict) -> str:
    return "; ".join(f"{player}: {', '.join(used)}" for player, used in support.items())


def _vertex_text(vertex: dict) -> str:
    """A vertex as player: strategy (pure) or player: strategy p, ... (mixed), exact."""
    parts = []
    for player, probs in vertex.items():
        used = [(s, v) for s, v in probs.items() if v != "0"]
        if len(used) == 1:
            parts.append(f"{player}: {used[0][0]}")
        else:
            parts.append(f"{player}: " + ", ".join(f"{s} {v}" for s, v in used))
    return "(" + "; ".join(parts) + ")"


def _render_components(record: dict, lang: str | None = None) -> list[str]:
    """The components of the set of equilibria: a table, then each one of positive dimension exactly.

    The numbers are 1-based (the JSON's ``component`` indices plus one); a component whose
    connectedness is not established says so instead of naming a connected set.
    """

    def w(phrase: str, **fields) -> str:
        return words(phrase, lang, **fields)

    comps = record.get("components")
    if not comps or (not record.get("degenerate") and all(c["dimension"] == 0 for c in comps)):
        return []  # a nondegenerate game: each equilibrium is its own component, said by the list above
    members: dict[int, list[str]] = {}
    for k, e in enumerate(record["equilibria"], 1):
        if e.get("component") is not None:
            members.setdefault(e["component"], []).append(str(k))
    coverage = (
        w("every equilibrium lies in one of them")
        if record.get("complete")
        else w("not shown to hold every equilibrium")
    )
    lines = ["", w("Components of the set of equilibria ({n}; {coverage}):", n=len(comps), coverage=coverage)]
    rows = [
        (
            str(k),
            _support_text(c["support"]),
            str(c["dimension"]),
            w(_shape(c)),
            str(c["connected"] + 1)
            if c.get("connectedness", "proved") == "proved" and c.get("connected") is not None
            else w("not established"),
            ", ".join(members.get(k - 1, [])),
        )
        for k, c in enumerate(comps, 1)
    ]
    headers = ("component", "support", "dimension", "shape", "connected set", "equilibria")
    lines.append(table(tuple(w(h) for h in headers), rows))
    for k, c in enumerate(comps, 1):
        if c["dimension"] == 0:
            continue  # a point: the equilibrium listed above
        symbols = [
            w("{name} = {player}'s probability of {strategy}", name=n, player=p, strategy=s)
            for n, (p, s) in c["symbols"].items()
        ]
        lines.extend(_wrapped(w("  component {k}: ", k=k), symbols))
        lines.extend(_wrapped(w("    constraints: "), list(c["constraints"])))
        if c.get("vertices"):
            lines.extend(_wrapped(w("    vertices: "), [_vertex_text(v) for v in c["vertices"]]))
        if c.get("note"):
            note = w("    note: {note}", note=c["note"])
            lines.extend(_wrapped("", note.split("; "), indent="      "))
    return lines


__all__ = ["add_parser", "solution_provenance", "solve_record", "render", "run", "wrap_sentence"]
