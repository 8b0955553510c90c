"""Gambit's strategic-game format (``.nfg``), read and write, payoff and outcome versions.

A file has a prologue and a body::

    NFG 1 R "title" { "Player 1" "Player 2" } { 3 2 }      <- payoff version: strategy counts
    "optional comment"
    1 1 0 2 0 2 1 1 0 3 2 0                                  <- payoffs, profile by profile

    NFG 1 R "title" { "P1" "P2" } { { "a" "b" } { "x" "y" } } <- strategies by name
    "optional comment"
    { { "outcome 1" 1, 1 } { "" 0, 2 } ... }                 <- outcome version: outcomes,
    1 2 0 ...                                                <- then one outcome per profile (0 = all zero)

Profiles are listed with the *first* player's strategy changing fastest;
each profile's payoffs are listed in player order.  Numbers may be integers,
decimals, rationals (``3/4``) or use an exponent; they are read exactly
(``0.1`` is ``1/10``), so a game read from a file can be solved in exact
arithmetic.  Text labels are in double quotes, with ``\\"`` for a quote.

A malformed file raises :class:`~tripartite.errors.ScenarioError` naming the
file and the line.  Limits are checked before anything is allocated
(:mod:`tripartite.limits`): at most 16 players, 10,000 strategies per player
and 100,000 profiles (a 64- or 1,000-player header is refused with the size
it would take); a number has at most 400 characters, an exponent of at most
300 and an absolute value of at most 1e15; a game in which every player has
a single strategy is refused (it has nothing to decide).

Examples
--------
>>> text = 'NFG 1 R "Prisoners" { "row" "col" } { 2 2 }\\n3 3 5 0 0 5 1 1\\n'
>>> game = read_nfg(text)
>>> game.payoffs[0, :, 1, 0].tolist()       # row defects, column cooperates
[5.0, 0.0]
>>> read_nfg(write_nfg(game)).payoffs.tolist() == game.payoffs.tolist()
True
"""

from __future__ import annotations

import itertools
import math
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import sympy as sp

from ..errors import LimitError, ScenarioError, TripartiteError
from ..game import Game
from ..limits import MAX_MAGNITUDE, MAX_NUMBER_TEXT, MAX_STRATEGIES, check_profiles

__all__ = ["read_nfg", "read_nfg_comment", "load_nfg", "write_nfg", "parse_number"]

_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?(/\d+)?$", re.ASCII)
#: The largest power of ten a number may be written with (``1e999999999`` would take forever to read).
MAX_EXPONENT = 300


@dataclass(frozen=True)
class _Token:
    kind: str  # "str", "num", "{", "}"
    text: str
    line: int


def parse_number(text: str) -> sp.Rational:
    """An exact rational from ``.nfg`` number text (``-2``, ``0.25``, ``1e-3``, ``3/4``).

    Examples
    --------
    >>> parse_number("0.1"), parse_number("3/4"), parse_number("-1e-2")
    (1/10, 3/4, -1/100)
    >>> parse_number("1e20")
    Traceback (most recent call last):
    ...
    tripartite.errors.LimitError: the number 1e20 is larger in absolute value than 1e+15, the limit on numbers (tripartite.limits.MAX_MAGNITUDE)
    """
    shown = text if len(text) <= 40 else text[:20] + "..." + text[-10:]
    if len(text) > MAX_NUMBER_TEXT:
        raise LimitError(f"the number {shown} has {len(text)} characters; the limit is {MAX_NUMBER_TEXT}")
    if not _NUMBER.match(text):
        raise TripartiteError(f"{shown} is not a number")
    mantissa, _, exponent = text.split("/", 1)[0].lower().partition("e")
    if exponent and abs(int(exponent)) > MAX_EXPONENT:
        raise LimitError(f"the number {shown} has an exponent beyond +-{MAX_EXPONENT}")
    if "/" in text:
        num, den = text.split("/", 1)
        if int(den) == 0:
            raise TripartiteError(f"the number {shown} divides by zero")
        value = sp.Rational(parse_number(num)) / sp.Rational(den)
    else:
        value = sp.Rational(text)
    if abs(value) > MAX_MAGNITUDE:
        raise LimitError(
            f"the number {shown} is larger in absolute value than {MAX_MAGNITUDE:g}, "
            "the limit on numbers (tripartite.limits.MAX_MAGNITUDE)"
        )
    return value


def _tokens(text: str, filename: str) -> list[_Token]:
    out: list[_Token] = []
    i, line, n = 0, 1, len(text)
    while i < n:
        c = text[i]
        if c == "\n":
            line += 1
            i += 1
        elif c.isspace() or c == ",":
            i += 1
        elif c in "{}":
            out.append(_Token(c, c, line))
            i += 1
        elif c == '"':
            start_line = line
            i += 1
            buf = []
            while True:
                if i >= n:
                    raise ScenarioError(
                        f"{filename}: line {start_line}: unterminated text label (missing '\"')"
                    )
                c = text[i]
                if c == "\\" and i + 1 < n:
                    buf.append(text[i + 1])
                    i += 2
                    continue
                if c == '"':
                    i += 1
                    break
                if c == "\n":
                    line += 1
                buf.append(c)
                i += 1
            out.append(_Token("str", "".join(buf), start_line))
        else:
            j = i
            while j < n and not text[j].isspace() and text[j] not in '{},"':
                j += 1
            word = text[i:j]
            kind = "num" if _NUMBER.match(word) else "word"
            out.append(_Token(kind, word, line))
            i = j
    return out


class _Parser:
    def __init__(self, tokens: list[_Token], filename: str):
        self.tokens = tokens
        self.pos = 0
        self.filename = filename

    def error(self, what: str, token: _Token | None = None) -> ScenarioError:
        token = token or self.peek()
        if token is None:
            last = self.tokens[-1].line if self.tokens else 1
            return ScenarioError(f"{self.filename}: line {last}: {what}, but the file ends")
        text = token.text if len(token.text) <= 40 else token.text[:30] + "..." + token.text[-6:]
        shown = f'"{text}"' if token.kind == "str" else text
        return ScenarioError(f"{self.filename}: line {token.line}: {what}, found {shown}")

    def peek(self) -> _Token | None:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def take(self, kind: str, what: str) -> _Token:
        tok = self.peek()
        if tok is None or tok.kind != kind:
            raise self.error(f"expected {what}")
        self.pos += 1
        return tok

    def number(self, tok: _Token) -> sp.Rational:
        """The exact number of a token; an error naming the file and line if it is out of bounds."""
        try:
            return parse_number(tok.text)
        except TripartiteError as exc:
            raise type(exc)(f"{self.filename}: line {tok.line}: {exc}") from None

    def strings(self, what: str) -> list[str]:
        self.take("{", f"'{{' opening the list of {what}")
        out = []
        while (tok := self.peek()) is not None and tok.kind == "str":
            out.append(tok.text)
            self.pos += 1
        self.take("}", f"a quoted name or '}}' closing the list of {what}")
        return out


def _prologue(p: _Parser) -> tuple[_Token, str, list[str], list[list[str]], str | None]:
    """The header of a file: its first token, title, players, strategies and comment (if any)."""
    head = p.peek()
    if head is None or head.text != "NFG":
        raise p.error("expected the file to start with NFG (a Gambit strategic game)")
    p.pos += 1
    version = p.take("num", "the version number 1")
    if version.text != "1":
        raise p.error("expected format version 1", version)
    kind = p.peek()
    if kind is None or kind.text not in ("R", "D"):
        raise p.error("expected R after the version number")
    p.pos += 1
    title = p.take("str", "the quoted title of the game").text
    players = p.strings("players")
    if len(players) < 2:
        raise p.error(f"expected at least two players, got {len(players)}", head)
    # strategies: { 3 2 } or { { "a" "b" } { "x" "y" } }
    open_tok = p.take("{", "'{' opening the strategy list")
    strategies: list[list[str]] = []
    nxt = p.peek()
    if nxt is not None and nxt.kind == "{":
        while (tok := p.peek()) is not None and tok.kind == "{":
            strategies.append(p.strings("strategies"))
        p.take("}", "'}' closing the strategy list")
    else:
        while (tok := p.peek()) is not None and tok.kind == "num":
            count = tok.text
            if not count.isdigit() or (len(count) <= 6 and int(count) < 1):
                raise p.error("expected a positive whole number of strategies", tok)
            if len(count) > 6 or int(count) > MAX_STRATEGIES:
                raise p.error(
                    f"a player may have at most {MAX_STRATEGIES:,} strategies (tripartite.limits)", tok
                )
            strategies.append([str(k + 1) for k in range(int(count))])
            p.pos += 1
        p.take("}", "a number of strategies or '}' closing the strategy list")
    if len(strategies) != len(players):
        raise p.error(
            f"expected one strategy list per player ({len(players)}), got {len(strategies)}", open_tok
        )
    for k, s in enumerate(strategies):
        if not s:
            raise p.error(f"player {k + 1} has no strategies", open_tok)
    check_profiles([len(s) for s in strategies], f"{p.filename}: line {head.line}")
    comment = None
    if (tok := p.peek()) is not None and tok.kind == "str":
        comment = tok.text  # the optional comment
        p.pos += 1
    return head, title, players, strategies, comment


def read_nfg(text: str, filename: str = "<nfg>") -> Game:
    """A :class:`~tripartite.game.Game` from ``.nfg`` text (payoff or outcome version).

    The game keeps its payoffs as exact rationals in ``exact_payoffs``.

    Raises
    ------
    ScenarioError
        Naming the file and line of the first problem.
    """
    p = _Parser(_tokens(text, filename), filename)
    head, title, players, strategies, _ = _prologue(p)
    shape = tuple(len(s) for s in strategies)
    n = len(players)
    n_profiles = math.prod(shape)
    values = np.empty((n, *shape), dtype=object)
    profiles = [tuple(reversed(t)) for t in itertools.product(*(range(m) for m in reversed(shape)))]
    if (tok := p.peek()) is not None and tok.kind == "{":
        p.pos += 1
        outcomes: list[list[sp.Rational]] = []
        while (tok := p.peek()) is not None and tok.kind == "{":
            p.pos += 1
            p.take("str", "the quoted name of an outcome")
            pay = []
            while (tok := p.peek()) is not None and tok.kind == "num":
                pay.append(p.number(tok))
                p.pos += 1
            end = p.take("}", "a payoff or '}' closing an outcome")
            if len(pay) != n:
                raise p.error(f"expected {n} payoffs in outcome {len(outcomes) + 1}, got {len(pay)}", end)
            outcomes.append(pay)
        p.take("}", "'{' opening an outcome or '}' closing the outcome list")
        for prof in profiles:
            tok = p.take("num", f"{len(profiles)} outcome numbers, one per profile")
            if not tok.text.isdigit() or len(tok.text) > 12 or int(tok.text) > len(outcomes):
                raise p.error(f"expected an outcome number between 0 and {len(outcomes)}", tok)
            k = int(tok.text)
            for i in range(n):
                values[(i, *prof)] = outcomes[k - 1][i] if k else sp.Integer(0)
    else:
        for prof in profiles:
            for i in range(n):
                tok = p.peek()
                if tok is None or tok.kind != "num":
                    raise p.error(f"expected {n * n_profiles} payoffs ({n} players x {n_profiles} profiles)")
                values[(i, *prof)] = p.number(tok)
                p.pos += 1
    if p.peek() is not None:
        raise p.error("expected the end of the file")
    player_names = _labels(players, "Player", filename, "player")
    strategy_names = [
        _labels(s, "", filename, f"strategy of {player_names[k]!r}") for k, s in enumerate(strategies)
    ]
    if all(len(s) == 1 for s in strategies):
        raise ScenarioError(
            f"{filename}: line {head.line}: every player has a single strategy: "
            "the game has one profile and nothing to decide"
        )
    floats = np.vectorize(float, otypes=[float])(values)
    game = Game(
        tuple(player_names),
        tuple(tuple(s) for s in strategy_names),
        floats[np.newaxis],
        name=title or filename,
        exact_payoffs=values,
    )
    return game


def read_nfg_comment(text: str, filename: str = "<nfg>") -> str | None:
    """The comment field of ``.nfg`` text (the quoted line after the strategies), or ``None``.

    ``tripartite export`` writes the provenance of the game there
    (:func:`tripartite.io.provenance.nfg_comment`).

    Examples
    --------
    >>> read_nfg_comment('NFG 1 R "t" { "a" "b" } { 1 1 }\\n"made by hand"\\n1 2\\n')
    'made by hand'
    """
    return _prologue(_Parser(_tokens(text, filename), filename))[4]


def _labels(names: list[str], prefix: str, filename: str, what: str) -> list[str]:
    out = [name if name.strip() else f"{prefix} {k + 1}".strip() for k, name in enumerate(names)]
    if len(set(out)) != len(out):
        dup = next(x for x in out if out.count(x) > 1)
        raise ScenarioError(f"{filename}: duplicate {what} name {dup!r}")
    return out


def load_nfg(path: str | Path) -> Game:
    """Read a ``.nfg`` file (see :func:`read_nfg`)."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ScenarioError(f"{path}: no such file") from None
    except UnicodeDecodeError:
        text = path.read_text(encoding="latin-1")
    except OSError as exc:
        raise ScenarioError(f"{path}: cannot read: {exc.strerror}") from None
    return read_nfg(text, str(path))


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _number_text(value) -> str:
    if isinstance(value, sp.Basic):
        value = sp.nsimplify(value, rational=True)
        if value.is_Rational:
            return str(value)
        return repr(float(value))
    x = float(value)
    if x.is_integer() and abs(x) < 2**53:
        return str(int(x))
    return repr(x)


def write_nfg(
    game: Game,
    *,
    point: int = 0,
    outcomes: bool = False,
    title: str | None = None,
    comment: str = "",
) -> str:
    """``.nfg`` text of a game at one parameter point.

    Parameters
    ----------
    game : Game
    point : int
        Which parameter point of a batched game.
    outcomes : bool
        Write the outcome version (one outcome per profile) instead of the payoff version.
    title : str, optional
        Defaults to the game's name.
    comment : str
        The file's comment field (for example the provenance of an export).

    Examples
    --------
    >>> g = Game.from_array(np.array([[[1, 0], [0, 1]], [[1, 0], [0, 1]]]), players=["a", "b"])
    >>> print(write_nfg(g, title="coordination"))
    NFG 1 R "coordination" { "a" "b" }
    { { "s1" "s2" } { "s1" "s2" } }
    ""
    <BLANKLINE>
    1 1 0 0 0 0 1 1
    """
    if game.state_dependent:
        raise TripartiteError(
            f"{game.name!r} cannot be written as a .nfg file: its payoffs depend on the population "
            f"state ({', '.join(game.payoffs.names)}), and a .nfg file holds a normal-form game "
            "with one fixed payoff per profile"
        )
    exact = game.exact_payoffs if game.exact_payoffs is not None and game.batch_size == 1 else None
    u = exact if exact is not None else game.payoffs[point]
    shape = game.shape
    profiles = [tuple(reversed(t)) for t in itertools.product(*(range(m) for m in reversed(shape)))]
    head = f"NFG 1 R {_quote(title if title is not None else game.name)} {{ {' '.join(map(_quote, game.players))} }}"
    strat = "{ " + " ".join("{ " + " ".join(map(_quote, s)) + " }" for s in game.strategies) + " }"
    lines = [head, strat, _quote(comment), ""]
    if outcomes:
        lines.append("{")
        for prof in profiles:
            pay = ", ".join(_number_text(u[(i, *prof)]) for i in range(game.n_players))
            lines.append(f'{{ "" {pay} }}')
        lines.append("}")
        lines.append(" ".join(str(k + 1) for k in range(len(profiles))))
    else:
        lines.append(
            " ".join(_number_text(u[(i, *prof)]) for prof in profiles for i in range(game.n_players))
        )
    return "\n".join(lines) + "\n"
