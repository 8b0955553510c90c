"""Checking a published stability table: the referee's tool behind ``tripartite check``.

A paper's stability table lists, for every vertex (pure profile) :math:`s`,
the eigenvalues of the replicator Jacobian there, which are the deviation
gains

.. math:: \\lambda_{i,t}(s) = u_i(t, s_{-i}) - u_i(s), \\qquad t \\ne s_i,

one for every player :math:`i` and alternative :math:`t`
(:mod:`~tripartite.symbolic.vertices`), and the conditions under which the
vertices it calls evolutionarily stable are asymptotically stable: every
:math:`\\lambda_{i,t}(s) < 0`.

With a model (scenario), each printed eigenvalue is compared with the derived
one (:func:`~tripartite.symbolic.vertices.vertex_eigenvalues`): ``equal``;
``sign flipped`` (the printed one is :math:`-\\lambda`); ``another player's``
(it equals the eigenvalue of another deviation at the same vertex: right
expression, wrong place); ``different`` (with the difference printed minus
derived).  Each stability claim is checked against the derived conditions:
can the vertex be stable at all over the declared parameter ranges
(:attr:`~tripartite.symbolic.vertices.VertexAnalysis.status`), does each
stated condition match a derived one, is a derived condition missing.

A stated condition ``L < R`` is read as :math:`g = L - R < 0` (``L > R`` as
:math:`R - L < 0`); it matches the derived condition :math:`\\lambda < 0`
when :math:`g/\\lambda` is positive over the ranges (the same inequality,
rearranged or divided by a positive factor), and is ``reversed`` when the
ratio is negative (the inequality points the wrong way).  A derived
condition that holds everywhere in the ranges (verdict ``always`` or
``always inside``) may be left out; any other one left out is ``missing``.

Without a model the table is checked against itself.  Two vertices that
differ only in player :math:`k`'s strategy (:math:`s` and
:math:`s' = (t, s_{-k})`) have opposite :math:`k`-th eigenvalues,

.. math:: \\lambda_{k,t}(s) = u_k(t, s_{-k}) - u_k(s) = -\\lambda_{k,s_k}(s'),

whatever the payoffs; each row is ``consistent`` when its neighbour's
eigenvalue is its negative, ``same as neighbour's`` when the two are equal
(a sign convention applied to both), else ``not opposite`` (with the sum,
which should be 0).  The stated conditions are checked against the table's
own eigenvalues, every symbol being taken as a non-negative number.

Symbols: with a model, a name in the table is a parameter's name (``lam``),
a derived quantity's name (``q_eff``), or the parameter's symbol as the
scenario writes it (``\\lambda``; also ``lambda`` and ``λ``; ``\\pi_{E}`` for
``\\pi_E``; ``R_2`` for a parameter ``R2``), wherever that names one
parameter only.  Without a model, the spellings ``\\lambda``, ``lambda`` and
``λ`` are one symbol, shown as ``λ``.
A space between two factors is a product, as in LaTeX (``\\lambda F``).

Examples
--------
Without a model, the table against itself: the first player's eigenvalues
of the two vertices that differ in its strategy must be opposite.

>>> table = read_table('''
... [vertices]
... "(1, 1)" = ["c - b", "d"]
... "(0, 1)" = ["c - b", "e"]
... ''', "paper.toml")
>>> report = check_table(table)
>>> [(row.label, row.player, row.status) for row in report.rows][::2]
[('E1 (1, 1)', 'player 1', "same as neighbour's"), ('E3 (0, 1)', 'player 1', "same as neighbour's")]
>>> report.ok
False
"""

from __future__ import annotations

import itertools
import keyword
import re
import tomllib
import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import sympy as sp

from ..errors import ExpressionError, TripartiteError
from ..expr import FUNCTIONS, parse_expression, symbol, to_text
from ..model import Model, Parameter, numeric_function
from .exact import compact
from .verdicts import ALWAYS, ALWAYS_INSIDE, NEVER, ParameterBox, decide_negative, joint_status
from .vertices import compact_eigenvalues, vertex_analysis, vertex_eigenvalues

__all__ = [
    "EQUAL",
    "SIGN_FLIPPED",
    "ANOTHER_PLAYERS",
    "DIFFERENT",
    "CONSISTENT",
    "SAME_AS_NEIGHBOURS",
    "NOT_OPPOSITE",
    "NO_NEIGHBOUR",
    "ROW_STATUSES",
    "CLAIM_VERDICTS",
    "CheckReport",
    "ClaimCheck",
    "RowCheck",
    "StabilityClaimTable",
    "check_table",
    "load_table",
    "read_table",
    "table_strategies",
]

EQUAL, SIGN_FLIPPED, ANOTHER_PLAYERS, DIFFERENT = "equal", "sign flipped", "another player's", "different"
CONSISTENT, SAME_AS_NEIGHBOURS, NOT_OPPOSITE = "consistent", "same as neighbour's", "not opposite"
NO_NEIGHBOUR = "no neighbour in the table"
#: What a row (one eigenvalue of one vertex) can be found to be; the first and the last three are right
#: or unchecked, the others are errors.
ROW_STATUSES = (EQUAL, SIGN_FLIPPED, ANOTHER_PLAYERS, DIFFERENT, CONSISTENT, SAME_AS_NEIGHBOURS, NOT_OPPOSITE)
_ROW_OK = (EQUAL, CONSISTENT, NO_NEIGHBOUR)

CONFIRMED, CANNOT_BE_STABLE, WRONG_CONDITION, MISSING_CONDITION = (
    "confirmed",
    "cannot be stable",
    "wrong condition",
    "missing condition",
)
#: Verdicts on a stability claim; only ``confirmed`` is right.
CLAIM_VERDICTS = (CONFIRMED, CANNOT_BE_STABLE, WRONG_CONDITION, MISSING_CONDITION)

_OPERATORS = {"<": "<", ">": ">", "<=": "<", ">=": ">", "≤": "<", "≥": ">"}
_RELATION = re.compile(r"(<=|>=|≤|≥|<|>)")
_TOKEN = re.compile(r"\\?[^\W\d]\w*")
_IMPLICIT = re.compile(r"(?<=[\w)])\s+(?=[^\W\d(]|\()")
_GREEK = {
    "alpha": "α", "beta": "β", "gamma": "γ", "delta": "δ", "epsilon": "ε", "varepsilon": "ε",
    "zeta": "ζ", "eta": "η", "theta": "θ", "vartheta": "ϑ", "iota": "ι", "kappa": "κ",
    "lambda": "λ", "mu": "μ", "nu": "ν", "xi": "ξ", "pi": "π", "rho": "ρ", "sigma": "σ",
    "tau": "τ", "upsilon": "υ", "phi": "φ", "varphi": "φ", "chi": "χ", "psi": "ψ", "omega": "ω",
    "Gamma": "Γ", "Delta": "Δ", "Theta": "Θ", "Lambda": "Λ", "Xi": "Ξ", "Pi": "Π", "Sigma": "Σ",
    "Phi": "Φ", "Psi": "Ψ", "Omega": "Ω",
}  # fmt: skip
_TOP_KEYS = {"title", "source", "players", "vertices", "ess"}


# --- reading the table ------------------------------------------------------------------------------


@dataclass(frozen=True)
class StabilityClaimTable:
    """A published stability table as read from its TOML file (expressions still text).

    Attributes
    ----------
    filename : str
    title : str
    vertices : dict
        Profile (tuple of strategy labels, in player order) -> tuple of eigenvalue texts.
    ess : dict
        Profile -> tuple of stated condition texts (the vertices the paper calls stable).
    players : tuple of str or None
        Player names, when the file declares ``[players]``.
    strategies : tuple of tuple of str or None
        Each player's strategies in order, when the file declares ``[players]``.
    keys : dict
        Profile -> the key as written in the file (for messages).
    lines : dict
        ``(table, key)`` -> line number in the file (for messages).
    text : str
        The file's text (its content hash goes into the provenance).
    """

    filename: str
    title: str
    vertices: dict[tuple[str, ...], tuple[str, ...]]
    ess: dict[tuple[str, ...], tuple[str, ...]]
    players: tuple[str, ...] | None = None
    strategies: tuple[tuple[str, ...], ...] | None = None
    keys: dict[tuple[str, ...], str] = field(default_factory=dict)
    lines: dict[tuple[str, str], int] = field(default_factory=dict)
    text: str = ""

    def where(self, table: str, profile: tuple[str, ...], item: str = "") -> str:
        """``FILE: [table] "key" (line n)[, item]`` for messages."""
        key = self.keys.get(profile, ", ".join(profile))
        line = self.lines.get((table, key))
        at = f" (line {line})" if line else ""
        return f"{self.filename}: [{table}] {key!r}{at}" + (f", {item}" if item else "")


def load_table(path: str | Path) -> StabilityClaimTable:
    """Read a stability table file (see :func:`read_table` and ``docs/check.md``).

    Examples
    --------
    >>> load_table("no-such-table.toml")
    Traceback (most recent call last):
    ...
    tripartite.errors.TripartiteError: no-such-table.toml: no such file
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise TripartiteError(f"{path}: no such file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise TripartiteError(f"{path}: cannot read the file ({exc})") from None
    return read_table(text, str(path))


def read_table(text: str, filename: str = "<table>") -> StabilityClaimTable:
    """Parse the TOML text of a stability table.

    The file has a table ``[vertices]``: each key a profile, the strategies
    in player order separated by commas (``"active, share, enroll"``, or for
    two strategies each the shares of the first strategy, ``"(1, 0, 1)"``),
    each value the list of its eigenvalues in player order; and optionally
    ``[ess]``: each key a profile the paper calls stable, each value the list
    of the conditions it states (``"R*p + r < m"``; possibly empty).
    Optional top-level keys ``title`` and ``source``, and ``[players]``
    (player -> its strategies in order, as in a scenario file).

    Examples
    --------
    >>> t = read_table('[vertices]\\n"a, b" = ["x - y", "z"]\\n[ess]\\n"a, b" = ["x < y"]')
    >>> t.vertices[("a", "b")], t.ess[("a", "b")]
    (('x - y', 'z'), ('x < y',))
    """
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise TripartiteError(f"{filename}: not valid TOML: {exc}") from None
    unknown = sorted(set(data) - _TOP_KEYS)
    if unknown:
        raise TripartiteError(
            f"{filename}: unknown key {unknown[0]!r}; a table file has [vertices], optionally [ess], "
            "[players], title and source"
        )
    if "vertices" not in data or not isinstance(data["vertices"], dict) or not data["vertices"]:
        raise TripartiteError(
            f"{filename}: no [vertices] table: give each vertex's eigenvalues, "
            '"strategy, strategy, strategy" = ["eigenvalue 1", "eigenvalue 2", ...]'
        )
    lines = _key_lines(text)
    players = strategies = None
    if "players" in data:
        players, strategies = _players(data["players"], filename)
    title = data.get("title", "")
    if not isinstance(title, str):
        raise TripartiteError(f"{filename}: title: expected a string")
    keys: dict[tuple[str, ...], str] = {}

    def entries(name: str) -> dict[tuple[str, ...], tuple[str, ...]]:
        table = data.get(name, {})
        if not isinstance(table, dict):
            raise TripartiteError(f"{filename}: [{name}] must be a table of profile = [...]")
        out: dict[tuple[str, ...], tuple[str, ...]] = {}
        for key, value in table.items():
            where = f"{filename}: [{name}] {key!r}" + (
                f" (line {lines[(name, key)]})" if (name, key) in lines else ""
            )
            profile = _profile_labels(key, where)
            if profile in out:
                raise TripartiteError(f"{where}: the vertex {', '.join(profile)} is listed twice")
            if isinstance(value, dict) or not isinstance(value, list):
                raise TripartiteError(f"{where}: expected a list of expressions, got {type(value).__name__}")
            items = []
            for k, item in enumerate(value):
                if isinstance(item, bool) or not isinstance(item, (str, int, float)):
                    raise TripartiteError(f"{where}, item {k + 1}: expected an expression, got {item!r}")
                items.append(str(item) if not isinstance(item, str) else item)
            out[profile] = tuple(items)
            keys.setdefault(profile, key)
        return out

    vertices = entries("vertices")
    ess = entries("ess")
    lengths = {len(p) for p in [*vertices, *ess]}
    if len(lengths) > 1:
        raise TripartiteError(
            f"{filename}: the profiles name different numbers of players: {sorted(lengths)}"
        )
    return StabilityClaimTable(filename, title, vertices, ess, players, strategies, keys, lines, text)


def _players(table: Any, filename: str) -> tuple[tuple[str, ...], tuple[tuple[str, ...], ...]]:
    if not isinstance(table, dict) or not table:
        raise TripartiteError(f"{filename}: [players] must map each player to its list of strategies")
    for name, strategies in table.items():
        if (
            not isinstance(strategies, list)
            or len(strategies) < 2
            or not all(isinstance(s, str) for s in strategies)
        ):
            raise TripartiteError(
                f"{filename}: [players] {name!r}: expected a list of two or more strategy names"
            )
    return tuple(table), tuple(tuple(s) for s in table.values())


def _profile_labels(key: str, where: str) -> tuple[str, ...]:
    inner = key.strip()
    if inner[:1] in "([" and inner[-1:] in ")]":
        inner = inner[1:-1]
    labels = tuple(part.strip() for part in inner.split(","))
    if len(labels) < 2 or not all(labels):
        raise TripartiteError(
            f'{where}: a profile is the strategies in player order separated by commas, e.g. "a, b, c"'
        )
    return labels


def _key_lines(text: str) -> dict[tuple[str, str], int]:
    """``(table, key)`` -> the line where the key is written (for messages)."""
    out: dict[tuple[str, str], int] = {}
    table = ""
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        header = re.match(r"^\[\s*([^\[\]]+?)\s*\]", stripped)
        if header:
            table = header.group(1).strip("\"'")
            continue
        found = re.match(r"""^(["'])(.*?)\1\s*=""", stripped)
        if found:
            out.setdefault((table, found.group(2)), number)
    return out


# --- symbols ----------------------------------------------------------------------------------------


def _normalise(text: str) -> str:
    """LaTeX subscripts and superscripts in braces written plainly: ``\\pi_{E}`` -> ``\\pi_E``."""
    text = re.sub(r"_\{([^{}]*)\}", lambda m: "_" + m.group(1).replace(" ", ""), text)
    return re.sub(r"\^\{([^{}]*)\}", r"^(\1)", text)


def _spellings(latex: str) -> set[str]:
    """The ways a table may write a scenario's LaTeX symbol: ``\\lambda``, ``lambda``, ``λ``."""
    latex = _normalise(latex.replace(" ", "").replace("{", "").replace("}", ""))
    if not latex:
        return set()
    out = {latex}
    bare = latex.lstrip("\\")
    out.add(bare)
    head, _, tail = bare.partition("_")
    if head in _GREEK:
        out.add(_GREEK[head] + (f"_{tail}" if tail else ""))
        out.add("\\" + bare)
    return out


class _Symbols:
    """Maps the names a table writes to the model's names (or, without a model, to plain symbols)."""

    def __init__(self, model: Model | None):
        self.model = model
        self.used: dict[str, str] = {}
        self.aliases: dict[str, str] = {}
        self.ambiguous: dict[str, list[str]] = {}
        if model is None:
            return
        names = list(model.parameter_names) + list(model.derived)
        for name in names:
            self.aliases[name] = name
        candidates: dict[str, set[str]] = {}
        for p in model.parameters:
            subscript = re.sub(r"^([^\W\d_]+)(\d+)$", r"\1_\2", p.name)  # R2 is written R_2
            for spelling in _spellings(p.symbol or "") | _spellings(p.name) | _spellings(subscript):
                candidates.setdefault(spelling, set()).add(p.name)
        for spelling, owners in candidates.items():
            if spelling in self.aliases:
                continue  # a name of the model wins over another parameter's symbol
            if len(owners) == 1:
                self.aliases[spelling] = next(iter(owners))
            else:
                self.ambiguous[spelling] = sorted(owners)

    def translate(self, text: str, where: str) -> tuple[str, dict[str, sp.Expr]]:
        """The text with every name replaced by a parser-safe one, and the names' meanings."""
        text = _normalise(text)
        table: dict[str, sp.Expr] = {}

        def replace(match: re.Match) -> str:
            token = match.group(0)
            if token in FUNCTIONS and text[match.end() : match.end() + 1] == "(":
                return token
            name = self._resolve(token, where)
            table[name] = self._meaning(name)
            return name

        safe = _TOKEN.sub(replace, text)
        return _IMPLICIT.sub("*", safe), table  # "\\lambda F" as LaTeX means a product

    def _resolve(self, token: str, where: str) -> str:
        if self.model is None:
            bare = token.lstrip("\\")
            head, sep, tail = bare.partition("_")
            bare = _GREEK.get(head, head) + sep + tail  # \\lambda, lambda and λ are one symbol, λ
            name = bare + "_" if keyword.iskeyword(bare) or bare in FUNCTIONS else bare
            self.used.setdefault(token, name)
            return name
        if token in self.aliases:
            self.used.setdefault(token, self.aliases[token])
            return self.aliases[token]
        if token in self.ambiguous:
            raise TripartiteError(
                f"{where}: {token!r} could be any of {', '.join(self.ambiguous[token])}: write the parameter's name"
            )
        known = ", ".join(self.model.parameter_names)
        raise TripartiteError(
            f"{where}: unknown symbol {token!r}; the model {self.model.name!r} has the parameters {known}"
            + (f" and the derived quantities {', '.join(self.model.derived)}" if self.model.derived else "")
        )

    def _meaning(self, name: str) -> sp.Expr:
        if self.model is not None and name in self.model.derived:
            return self.model.derived[name]
        return symbol(name)

    def expression(self, text: str, where: str) -> sp.Expr:
        safe, table = self.translate(text, where)
        try:
            return parse_expression(safe, table)
        except ExpressionError as exc:
            raise TripartiteError(f"{where}: {exc}") from None

    def condition(self, text: str, where: str) -> tuple[sp.Expr, str]:
        """A stated condition as ``g`` with the meaning ``g < 0``, and its operator."""
        parts = _RELATION.split(text)
        if len(parts) != 3:
            raise TripartiteError(
                f'{where}: a condition is one inequality such as "R*p + r < m", got {text!r}'
            )
        left, operator, right = parts
        lhs, rhs = self.expression(left, where), self.expression(right, where)
        return (lhs - rhs if _OPERATORS[operator] == "<" else rhs - lhs), operator


# --- results ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RowCheck:
    """One printed eigenvalue (one vertex, one deviation) and what it was found to be.

    Attributes
    ----------
    profile : dict
        Player -> strategy of the vertex.
    label : str
        ``E3 (active, shirk, enroll)`` (E-numbers in the order of the model's profiles, or of the table).
    player, deviation : str
        Whose eigenvalue it is, and the strategy the player deviates to.
    printed : sympy.Expr
        The eigenvalue as the table prints it.
    status : str
        One of :data:`ROW_STATUSES` (or ``no neighbour in the table``).
    expected : sympy.Expr or None
        The derived eigenvalue (with a model), or minus the neighbour's (without).
    difference : sympy.Expr or None
        ``printed - expected`` when the status is ``different`` or ``not opposite``.
    other : str or None
        Whose eigenvalue the printed one is (``another player's``), or the neighbour vertex (without a model).
    message : str
        What to do about it, for a student.
    """

    profile: dict[str, str]
    label: str
    player: str
    deviation: str
    printed: sp.Expr
    status: str
    expected: sp.Expr | None = None
    difference: sp.Expr | None = None
    other: str | None = None
    message: str = ""

    @property
    def ok(self) -> bool:
        return self.status in _ROW_OK

    def to_record(self) -> dict[str, Any]:
        return {
            "profile": dict(self.profile),
            "vertex": self.label,
            "player": self.player,
            "deviation": self.deviation,
            "status": self.status,
            "printed": to_text(self.printed),
            "expected": None if self.expected is None else to_text(self.expected),
            "difference": None if self.difference is None else to_text(self.difference),
            "other": self.other,
            "ok": self.ok,
            "message": self.message,
        }


@dataclass(frozen=True)
class ClaimCheck:
    """One stability claim (a vertex the paper calls stable, with its stated conditions), checked.

    Attributes
    ----------
    profile : dict
    label : str
    verdict : str
        One of :data:`CLAIM_VERDICTS`.
    can_be_stable : str
        The verdict over the ranges on "every eigenvalue negative"
        (:data:`~tripartite.symbolic.verdicts.STATUSES`).
    stated : list of dict
        Each stated condition: ``condition``, ``matches`` (the derived
        condition it is, or ``None``), ``status`` (``matches``, ``reversed``
        or ``not a condition of this vertex``).
    missing : list of str
        Derived conditions that can fail in the ranges and are not stated.
    conditions : list of str
        The derived conditions ``eigenvalue < 0``, in order.
    problems : list of str
        Messages for a student, one per problem.
    """

    profile: dict[str, str]
    label: str
    verdict: str
    can_be_stable: str
    stated: list[dict[str, Any]]
    missing: list[str]
    conditions: list[str]
    problems: list[str]

    @property
    def ok(self) -> bool:
        return self.verdict == CONFIRMED

    def to_record(self) -> dict[str, Any]:
        return {
            "profile": dict(self.profile),
            "vertex": self.label,
            "verdict": self.verdict,
            "can_be_stable": self.can_be_stable,
            "stated": [dict(s) for s in self.stated],
            "missing": list(self.missing),
            "derived_conditions": list(self.conditions),
            "ok": self.ok,
            "problems": list(self.problems),
        }


@dataclass(frozen=True)
class CheckReport:
    """Everything :func:`check_table` found.

    Attributes
    ----------
    table : StabilityClaimTable
    model : Model or None
    mode : str
        ``against the model`` or ``internal consistency``.
    rows : list of RowCheck
    ess : list of ClaimCheck
    symbols : dict
        Each name the table uses -> what it was read as.
    notes : list of str
        Remarks that are not errors (vertices the table leaves out, unclaimed vertices that can be stable).
    """

    table: StabilityClaimTable
    model: Model | None
    mode: str
    rows: list[RowCheck]
    ess: list[ClaimCheck]
    symbols: dict[str, str]
    notes: list[str]

    @property
    def ok(self) -> bool:
        """Whether every eigenvalue and every claim is right (the exit status 0 of ``tripartite check``)."""
        return all(r.ok for r in self.rows) and all(c.ok for c in self.ess)

    def problems(self) -> list[str]:
        """One message per wrong row and per problem of a claim."""
        out, pairs = [], set()
        for r in self.rows:
            if r.ok:
                continue
            if self.model is None:  # a neighbour pair is one problem, reported at its first vertex
                pair = (frozenset((r.label, r.other)), r.player)
                if pair in pairs:
                    continue
                pairs.add(pair)
            out.append(r.message)
        for c in self.ess:
            out.extend(c.problems)
        return out

    def to_record(self) -> dict[str, Any]:
        """JSON-ready: ``mode``, ``table``, ``scenario``, ``symbols``, ``rows``, ``ess``, ``summary``, ``notes``.

        Examples
        --------
        >>> t = read_table('[vertices]\\n"a, b" = ["x", "y"]\\n"c, b" = ["-x", "w"]')
        >>> rec = check_table(t).to_record()
        >>> rec["summary"]["ok"], [r["status"] for r in rec["rows"]][:2]
        (True, ['consistent', 'no neighbour in the table'])
        """
        wrong_rows = [r for r in self.rows if not r.ok]
        return {
            "mode": self.mode,
            "table": self.table.filename,
            "title": self.table.title or None,
            "scenario": None if self.model is None else self.model.name,
            "symbols": dict(self.symbols),
            "rows": [r.to_record() for r in self.rows],
            "ess": [c.to_record() for c in self.ess],
            "summary": {
                "ok": self.ok,
                "eigenvalues": len(self.rows),
                "eigenvalues_wrong": len(wrong_rows),
                "claims": len(self.ess),
                "claims_wrong": sum(not c.ok for c in self.ess),
                "statuses": {s: sum(r.status == s for r in self.rows) for s in {r.status for r in self.rows}},
            },
            "notes": list(self.notes),
        }

    def to_text(self) -> str:
        """The report a student reads: each problem with what to do, then a summary."""
        against = f"against the model {self.model.name!r}" if self.model else "for internal consistency"
        lines = [f"checking {self.table.filename} {against}"]
        problems = self.problems()
        lines += [f"  - {p}" for p in problems] if problems else ["  no problem found"]
        for note in self.notes:
            lines.append(f"  note: {note}")
        wrong = sum(not r.ok for r in self.rows)
        claims = sum(not c.ok for c in self.ess)
        lines.append(
            f"{wrong} of {len(self.rows)} eigenvalues wrong; {claims} of {len(self.ess)} stability claims wrong"
            + ("" if self.ok else " (exit status 1)")
        )
        return "\n".join(lines)

    def __repr__(self) -> str:
        return f"<CheckReport of {self.table.filename} ({self.mode}): {'right' if self.ok else 'wrong'}>"


# --- checking ---------------------------------------------------------------------------------------


def check_table(table: StabilityClaimTable, model: Model | None = None) -> CheckReport:
    """Check a published stability table, against a model or for internal consistency.

    Parameters
    ----------
    table : StabilityClaimTable
        From :func:`load_table` or :func:`read_table`.
    model : Model, optional
        The scenario the paper's game is; without it, the table is checked against itself.

    Returns
    -------
    CheckReport
        ``ok`` is whether everything is right; ``to_record()`` is the JSON of ``tripartite check --json``.

    Raises
    ------
    TripartiteError
        For a table that cannot be read against the model (a profile or symbol it does not
        know, a wrong number of eigenvalues), naming the file, table, key and line.

    Examples
    --------
    >>> t = read_table('[vertices]\\n"a, b" = ["x", "y"]\\n"c, b" = ["x", "w"]')
    >>> [r.status for r in check_table(t).rows][::2]
    ["same as neighbour's", "same as neighbour's"]
    """
    symbols = _Symbols(model)
    if model is not None:
        rows, ess, notes = _against_model(table, model, symbols)
        mode = "against the model"
    else:
        rows, ess, notes = _internal(table, symbols)
        mode = "internal consistency"
    return CheckReport(table, model, mode, rows, ess, dict(sorted(symbols.used.items())), notes)


def _is_zero(expr: sp.Expr) -> bool:
    expr = sp.expand(expr)
    if expr == 0:
        return True
    if expr.is_polynomial():
        return False
    return sp.simplify(expr) == 0


def _model_profile(table: StabilityClaimTable, model: Model, labels: tuple[str, ...], where: str):
    if len(labels) != model.n_players:
        raise TripartiteError(
            f"{where}: {len(labels)} strategies for a {model.n_players}-player model "
            f"({', '.join(model.players)})"
        )
    if all(label in ("0", "1") for label in labels) and all(m == 2 for m in model.shape):
        return tuple(0 if label == "1" else 1 for label in labels)  # shares of the first strategy
    out = []
    for i, label in enumerate(labels):
        names = model.strategies[i]
        if label in names:
            out.append(names.index(label))
            continue
        folded = [k for k, n in enumerate(names) if n.casefold() == label.casefold()]
        if len(folded) != 1:
            raise TripartiteError(
                f"{where}: {label!r} is not a strategy of {model.players[i]} ({', '.join(names)})"
            )
        out.append(folded[0])
    return tuple(out)


def _label(index: int, names: Sequence[str]) -> str:
    return f"E{index + 1} ({', '.join(names)})"


def _against_model(table: StabilityClaimTable, model: Model, symbols: _Symbols):
    derived = vertex_eigenvalues(model)
    shown = compact_eigenvalues(model)
    order = {p: k for k, p in enumerate(model.profiles())}
    rows: list[RowCheck] = []
    seen = set()
    for labels, texts in table.vertices.items():
        where = table.where("vertices", labels)
        profile = _model_profile(table, model, labels, where)
        if profile in seen:
            raise TripartiteError(f"{where}: the vertex {model.profile_names(profile)} is listed twice")
        seen.add(profile)
        expected = derived[profile]
        if len(texts) != len(expected):
            raise TripartiteError(
                f"{where}: {len(texts)} eigenvalues; the vertex has {len(expected)} "
                f"(one per player and alternative strategy, in player order)"
            )
        at = model.state_values(profile)
        printed = [
            symbols.expression(t, f"{where}, eigenvalue {j + 1}").xreplace(at) for j, t in enumerate(texts)
        ]
        deviations = [(i, t) for i, m in enumerate(model.shape) for t in range(m) if t != profile[i]]
        names = model.profile_names(profile)
        label = _label(order[profile], list(names.values()))
        for j, (value, (i, t)) in enumerate(zip(printed, deviations)):
            rows.append(_compare(value, j, expected, shown[profile], deviations, model, names, label, i, t))
    notes = []
    missing = [p for p in model.profiles() if p not in seen]
    if missing:
        notes.append(
            "the table leaves out "
            + "; ".join(_label(order[p], list(model.profile_names(p).values())) for p in missing)
        )
    claims = []  # read every claim before the (costlier) analysis, so bad input fails fast
    for labels, texts in table.ess.items():
        where = table.where("ess", labels)
        profile = _model_profile(table, model, labels, where)
        stated = [symbols.condition(t, f"{where}, condition {k + 1}") for k, t in enumerate(texts)]
        claims.append((profile, texts, [(g.xreplace(model.state_values(profile)), op) for g, op in stated]))
    analysis = vertex_analysis(model) if claims else {}
    box = ParameterBox(model) if claims else None
    ess = []
    claimed = set()
    for profile, texts, stated in claims:
        claimed.add(profile)
        a = analysis[profile]
        conditions = [c.eigenvalue for c in a.conditions]
        statuses = [c.status for c in a.conditions]
        names = model.profile_names(profile)
        ess.append(
            _check_claim(
                names, _label(order[profile], list(names.values())), texts, stated,
                conditions, statuses, a.status, box, "the model",
            )
        )  # fmt: skip
    if table.ess:
        unclaimed = [
            _label(order[p], list(a.strategies))
            for p, a in analysis.items()
            if p not in claimed and a.status != NEVER
        ]
        if unclaimed:
            notes.append(
                "not claimed stable, but can be stable somewhere in the declared ranges: "
                + "; ".join(unclaimed)
            )
    return rows, ess, notes


def _compare(value, j, expected, shown, deviations, model, names, label, i, t) -> RowCheck:
    player, deviation = model.players[i], model.strategies[i][t]
    base = dict(profile=names, label=label, player=player, deviation=deviation, printed=value)
    where = f"{label}, {player}'s eigenvalue (deviation to {deviation})"
    right = to_text(shown[j])
    if _is_zero(value - expected[j]):
        return RowCheck(**base, status=EQUAL, expected=shown[j])
    if _is_zero(value + expected[j]):
        return RowCheck(
            **base, status=SIGN_FLIPPED, expected=shown[j],
            message=f"{where}: sign flipped: the table prints {to_text(value)}, the model gives {right}; "
            "an eigenvalue at a vertex is the deviator's payoff minus the vertex payoff "
            f"(u({deviation}) - u({names[player]}) for the {player})",
        )  # fmt: skip
    for k, (i2, t2) in enumerate(deviations):
        if k != j and _is_zero(value - expected[k]):
            whose = f"{model.players[i2]}'s (deviation to {model.strategies[i2][t2]})"
            return RowCheck(
                **base, status=ANOTHER_PLAYERS, expected=shown[j], other=whose,
                message=f"{where}: another player's eigenvalue: {to_text(value)} is the {whose} eigenvalue; "
                f"the {player}'s is {right} (eigenvalues go in player order)",
            )  # fmt: skip
    difference = compact(value - expected[j])
    return RowCheck(
        **base, status=DIFFERENT, expected=shown[j], difference=difference,
        message=f"{where}: different: the table prints {to_text(value)}, the model gives {right}; "
        f"printed minus derived is {to_text(difference)}",
    )  # fmt: skip


def _positive_ratio(g: sp.Expr, eigenvalue: sp.Expr, box: ParameterBox) -> int:
    """+1 if ``g/eigenvalue`` is positive over the ranges (the same condition), -1 if negative, else 0."""
    if _is_zero(eigenvalue):
        return 0
    ratio = sp.cancel(sp.together(g / eigenvalue))
    if ratio.is_number:
        return 0 if ratio == 0 else (1 if ratio > 0 else -1)
    symbols = sorted(ratio.free_symbols, key=str)
    if set(symbols) - set(box.bounds):
        return 0
    points, _ = box.sample(symbols, n=8)
    with np.errstate(all="ignore"):
        values = np.asarray(numeric_function(symbols, [ratio])(*points.T)[0], dtype=float)
    if np.any(values > 0) and np.any(values < 0):
        return 0  # plainly of both signs: not a positive (or negative) factor
    with warnings.catch_warnings():  # sample points where the ratio is 0/0 are skipped
        warnings.simplefilter("ignore", RuntimeWarning)
        if decide_negative(-ratio, box) in (ALWAYS, ALWAYS_INSIDE):
            return 1
        if decide_negative(ratio, box) in (ALWAYS, ALWAYS_INSIDE):
            return -1
    return 0


def _check_claim(names, label, texts, stated, conditions, statuses, joint, box, against) -> ClaimCheck:
    derived_text = [_inequality_text(c) for c in conditions]
    addressed = set()  # derived conditions a stated one matches, or states the wrong way round
    records, problems = [], []
    for text, (g, _) in zip(texts, stated):
        found, reversed_ = None, None
        for j, c in enumerate(conditions):
            sign = _positive_ratio(g, c, box)
            if sign > 0 and found is None:
                found = j
            elif sign < 0 and reversed_ is None:
                reversed_ = j
        if found is not None:
            addressed.add(found)
            records.append({"condition": text, "status": "matches", "matches": derived_text[found]})
        elif reversed_ is not None:
            addressed.add(reversed_)
            records.append({"condition": text, "status": "reversed", "matches": derived_text[reversed_]})
            problems.append(
                f'{label}: the stated condition "{text}" points the wrong way: the vertex needs '
                f"{derived_text[reversed_]} ({against})"
            )
        else:
            records.append({"condition": text, "status": "not a condition of this vertex", "matches": None})
            problems.append(
                f'{label}: the stated condition "{text}" is none of the vertex\'s conditions ({against}: '
                f"{'; '.join(derived_text)})"
            )
    missing = [
        derived_text[j]
        for j, s in enumerate(statuses)
        if j not in addressed and s not in (ALWAYS, ALWAYS_INSIDE)
    ]
    if joint == NEVER:
        verdict = CANNOT_BE_STABLE
        never = [derived_text[j] for j, s in enumerate(statuses) if s == NEVER]
        why = (
            f"{'; '.join(never)} {'holds' if len(never) == 1 else 'hold'} nowhere"
            if never
            else f"{'; '.join(derived_text)} never hold together"
        )
        problems = [
            f"{label} is claimed stable but cannot be asymptotically stable anywhere in the declared "
            f"ranges ({against}: {why})"
        ]
        missing = []
    else:
        for m in missing:
            problems.append(f"{label}: the condition {m} is missing ({against}: it can fail)")
        if any(r["status"] != "matches" for r in records):
            verdict = WRONG_CONDITION
        elif missing:
            verdict = MISSING_CONDITION
        else:
            verdict = CONFIRMED
    return ClaimCheck(names, label, verdict, joint, records, missing, derived_text, problems)


def _inequality_text(expr: sp.Expr) -> str:
    left, right = [], []
    for term in sp.Add.make_args(expr):
        (right.append(-term) if term.could_extract_minus_sign() else left.append(term))
    return f"{to_text(sp.Add(*left))} < {to_text(sp.Add(*right))}"


# --- without a model: the table against itself ------------------------------------------------------


def table_strategies(table: StabilityClaimTable) -> tuple[tuple[str, ...], tuple[tuple[str, ...], ...]]:
    """The players and each one's strategies in order: from ``[players]``, else as the profiles show them.

    Profiles written as shares (``(1, 0, 1)``) give each player the strategies ``1`` then ``0``.

    Examples
    --------
    >>> table_strategies(read_table('[vertices]\\n"(1, 0)" = ["a", "b"]\\n"(0, 0)" = ["-a", "c"]'))
    (('player 1', 'player 2'), (('1', '0'), ('1', '0')))
    """
    n = len(next(iter(table.vertices)))
    if table.strategies is not None:
        if len(table.strategies) != n:
            raise TripartiteError(
                f"{table.filename}: [players] names {len(table.strategies)} players, the profiles {n}"
            )
        return table.players, table.strategies
    profiles = [*table.vertices, *table.ess]
    if all(label in ("0", "1") for profile in profiles for label in profile):
        return tuple(f"player {i + 1}" for i in range(n)), (("1", "0"),) * n  # shares of the first strategy
    found: list[list[str]] = [[] for _ in range(n)]
    for profile in profiles:
        for i, label in enumerate(profile):
            if label not in found[i]:
                found[i].append(label)
    for labels in found:
        if len(labels) == 1:
            labels.append("(another strategy)")  # two strategies; the table shows one
    return tuple(f"player {i + 1}" for i in range(n)), tuple(tuple(s) for s in found)


def _box(symbols: set[sp.Symbol]) -> ParameterBox:
    """Every symbol a non-negative number (default 1): what a table without a model is read with."""
    parameters = tuple(Parameter(str(s), 1.0, 0.0) for s in sorted(symbols, key=str))
    stub = Model("table", ("p",), (("s",),), parameters, {(0,): (sp.Integer(0),)})
    return ParameterBox(stub)


def _internal(table: StabilityClaimTable, symbols: _Symbols):
    players, strategies = table_strategies(table)
    index: dict[tuple[int, ...], tuple[str, ...]] = {}
    values: dict[tuple[int, ...], list[sp.Expr]] = {}
    for labels, texts in table.vertices.items():
        where = table.where("vertices", labels)
        profile = []
        for i, label in enumerate(labels):
            if label not in strategies[i]:
                raise TripartiteError(
                    f"{where}: {label!r} is not a strategy of {players[i]} ({', '.join(strategies[i])})"
                )
            profile.append(strategies[i].index(label))
        need = sum(len(s) - 1 for s in strategies)
        if len(texts) != need:
            raise TripartiteError(
                f"{where}: {len(texts)} eigenvalues; a vertex has {need} (one per player and alternative strategy)"
            )
        index[tuple(profile)] = labels
        values[tuple(profile)] = [
            symbols.expression(t, f"{where}, eigenvalue {j + 1}") for j, t in enumerate(texts)
        ]
    order = sorted(index)
    profiles = list(itertools.product(*(range(len(m)) for m in strategies)))  # E-numbers of a full table
    label_of = {p: _label(profiles.index(p), index[p]) for p in order}
    rows = []
    for p in order:
        deviations = [(i, t) for i, m in enumerate(strategies) for t in range(len(m)) if t != p[i]]
        names = dict(zip(players, index[p]))
        for j, (i, t) in enumerate(deviations):
            rows.append(_neighbour_row(p, j, i, t, values, strategies, players, names, label_of))
    symbols_all = set().union(*(e.free_symbols for v in values.values() for e in v))
    ess = []
    for labels, texts in table.ess.items():
        where = table.where("ess", labels)
        profile = tuple(strategies[i].index(x) if x in strategies[i] else -1 for i, x in enumerate(labels))
        if profile not in values:
            raise TripartiteError(
                f"{where}: the vertex is not in [vertices], so its conditions cannot be checked"
            )
        stated = [symbols.condition(t, f"{where}, condition {k + 1}") for k, t in enumerate(texts)]
        box = _box(symbols_all | set().union(*(g.free_symbols for g, _ in stated)))
        conditions = values[profile]
        statuses = [decide_negative(c, box) for c in conditions]
        joint = joint_status(conditions, statuses, box)
        ess.append(
            _check_claim(
                dict(zip(players, labels)), label_of[profile], texts, stated, conditions, statuses, joint, box,
                "the table's own eigenvalues, every symbol non-negative",
            )
        )  # fmt: skip
    return rows, ess, []


def _neighbour_row(p, j, i, t, values, strategies, players, names, label_of) -> RowCheck:
    value = values[p][j]
    player, deviation = players[i], strategies[i][t]
    base = dict(profile=names, label=label_of[p], player=player, deviation=deviation, printed=value)
    q = p[:i] + (t,) + p[i + 1 :]
    if q not in values:
        return RowCheck(**base, status=NO_NEIGHBOUR)
    back = [k for k, (i2, t2) in enumerate(_deviations_of(q, strategies)) if (i2, t2) == (i, p[i])][0]
    other = values[q][back]
    where = f"{label_of[p]}, {player}'s eigenvalue"
    if _is_zero(value + other):
        return RowCheck(**base, status=CONSISTENT, expected=-other, other=label_of[q])
    if _is_zero(value - other):
        return RowCheck(
            **base, status=SAME_AS_NEIGHBOURS, expected=-other, other=label_of[q],
            message=f"{where} is {to_text(value)}, the same as at {label_of[q]}, which differs only in "
            f"{player}'s strategy; the two must be opposite: one of them has its sign flipped",
        )  # fmt: skip
    total = compact(value + other)
    return RowCheck(
        **base, status=NOT_OPPOSITE, expected=-other, difference=total, other=label_of[q],
        message=f"{where} is {to_text(value)} and at {label_of[q]}, which differs only in {player}'s "
        f"strategy, it is {to_text(other)}: the two must be opposite but add up to {to_text(total)}; "
        "one of them is wrong",
    )  # fmt: skip


def _deviations_of(profile, strategies):
    return [(i, t) for i, m in enumerate(strategies) for t in range(len(m)) if t != profile[i]]
