"""Scenario files: a game written in TOML, without Python.

One format serves both the built-in models (shipped in ``tripartite/models``)
and the games users write themselves::

    name = "Greenwashing with a penalty that follows the state"
    [players]                       # in order; strategies in order
    enterprise = ["green", "greenwash"]
    government = ["strict", "loose"]
    [parameters]                    # value, optional min/max/unit/description/section/symbol/source
    R1    = { value = 10, min = 0, description = "benefit of green innovation" }
    C4    = 3                       # short form: just the value
    [state]                         # optional: names for population shares
    x = ["enterprise", "green"]     # the share of enterprises playing green
    [derived]                       # optional named expressions, in order
    Delta = "R1 - C4 - F*(1 - x)"
    [payoffs]                       # profile (strategies in player order) -> payoffs in player order
    "green, strict" = ["Delta", "C4"]
    # ... every profile
    [initial_state]                 # optional: a documented starting state
    enterprise = [0.3, 0.7]
    [profiles]                      # optional: names of pure profiles (low, high, ...)
    low = "greenwash, loose"
    [welfare]                       # optional: parameter values of the welfare evaluation
    C4 = 2
    [welfare.payoffs]               # optional: welfare per profile, in the form of [payoffs]
    "green, strict" = ["R1", "C4"]
    # ... every profile

The optional top-level keys ``description`` (one line on what the game is)
and ``citation`` (how to cite the game itself, e.g. ``citation = "Doe, J.
(2024). Greenwashing games. J. Env. Econ. 12, 3-4."``) are carried into
every result's provenance: ``tripartite cite RESULT`` names a scenario by its
file, its content hash and this citation.  Only the built-in models cite the
seed paper (:data:`BUILTIN_CITATION`, Yang & Li 2025); a scenario without a
``citation`` key is cited by its file and hash alone.

A name of ``[state]`` stands for the current share of a player's strategy
in the replicator dynamics; payoffs that use one *depend on the state*
(a penalty ``F*(1 - x)`` that grows with the share of non-compliers) and
the model's game is state-dependent (:class:`tripartite.game.StatePayoffs`).
Shares may appear in ``[derived]`` and ``[payoffs]`` in any expression the
parser accepts; they may not share a name with a parameter or a derived
quantity, and two names may not stand for the same share.

``levers`` and ``[fiscal]`` (the policy levers and the public purse's
account) are described in ``docs/scenario-files.md``.  ``[profiles]`` names
vertices: tables, sweeps and escapes show those names (the built-in models
name ``low`` and ``high``, the default profile and target of ``tripartite
escape``), and every option that takes a profile accepts them.

Expressions are read by :func:`tripartite.expr.parse_expression` (parsed,
never evaluated).  Every error names the file, the table, the key and what is
wrong.  Numbers are finite and at most 1e15 in absolute value; names that
Python reads as one (``ｃ`` and ``c`` are the same identifier in NFKC form)
are refused naming both; a game of more than 16 players or 100,000 profiles
is refused before its payoffs are read (``docs/limits.md``).

Examples
--------
>>> model = load_model("baseline")
>>> model.players
('government', 'platform', 'worker')
"""

from __future__ import annotations

import dataclasses
import itertools
import keyword
import math
import re
import tomllib
import unicodedata
from collections.abc import Mapping
from importlib import resources
from pathlib import Path
from typing import Any

import sympy as sp

from .errors import ExpressionError, ScenarioError
from .expr import FUNCTIONS, parse_expression, symbol, to_text
from .limits import MAX_MAGNITUDE, check_profiles
from .model import FiscalAccount, Model, Parameter, StateShare, WelfareValue

__all__ = [
    "BUILTIN_CITATION",
    "load_model",
    "load_scenario",
    "read_scenario",
    "builtin_models",
    "dump_scenario",
]

#: The source the built-in models follow (their :attr:`~tripartite.model.Model.citation`).
BUILTIN_CITATION = (
    "Yang, X. and Li, C. (2025). The Social Security Predicament and Policy Optimization of the "
    "Flexible Employment Group under the E-Commerce Platform Employment Model. "
    "E-Commerce Letters, 14(12), 2954-2960. doi:10.12677/ecl.2025.14124199"
)

_TOP_KEYS = {
    "name",
    "description",
    "citation",
    "players",
    "parameters",
    "derived",
    "payoffs",
    "initial_state",
    "state",
    "welfare",
    "levers",
    "fiscal",
    "profiles",
}
_PARAM_KEYS = {"value", "min", "max", "unit", "description", "section", "symbol", "source"}
# names the code sympy.lambdify generates for the grammar's functions calls by name ('e' is handled
# in _Reader.expression: allowed unless exp(1) appears)
_GENERATED_CODE_NAMES = {
    "equal", "greater", "greater_equal", "less", "less_equal", "logical_and", "logical_or",
    "maximum", "minimum", "nan", "reduce", "select", "sign", "heaviside", "amax", "amin",
    "numpy", "builtins", "math", "mpmath", "pi", "inf",
}  # fmt: skip


def builtin_models() -> list[str]:
    """Names of the models shipped with the package."""
    folder = resources.files("tripartite") / "models"
    return sorted(p.name[:-5] for p in folder.iterdir() if p.name.endswith(".toml"))


def load_model(name_or_path: str | Path) -> Model:
    """A built-in model by name, or a scenario file by path.

    Parameters
    ----------
    name_or_path : str or Path
        ``"baseline"`` (see :func:`builtin_models`) or a path to a ``.toml`` file.

    Raises
    ------
    ScenarioError
        For an unknown name, a missing file or a malformed scenario.
    """
    text = str(name_or_path)
    if text in builtin_models():
        resource = resources.files("tripartite") / "models" / f"{text}.toml"
        model = read_scenario(resource.read_text(encoding="utf-8"), f"{text}.toml", default_name=text)
        return dataclasses.replace(model, citation=model.citation or BUILTIN_CITATION, builtin=True)
    path = Path(text)
    if path.suffix.lower() == ".toml" or path.exists():
        return load_scenario(path)
    raise ScenarioError(
        f"unknown model {text!r}; built-in models: {', '.join(builtin_models())} "
        "(or give the path of a .toml scenario file)"
    )


def load_scenario(path: str | Path) -> Model:
    """Read a scenario file from disk."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ScenarioError(f"{path}: no such file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ScenarioError(f"{path}: cannot read the file ({exc})") from None
    return read_scenario(text, str(path), default_name=path.stem)


def read_scenario(text: str, filename: str = "<scenario>", default_name: str = "scenario") -> Model:
    """Parse the TOML text of a scenario into a :class:`~tripartite.model.Model`."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ScenarioError(f"{filename}: not valid TOML: {exc}{_unquoted_key_hint(text, exc)}") from None
    except ValueError:  # tomllib reads integers with int(), which refuses more than 4300 digits
        raise ScenarioError(f"{filename}: not valid TOML: an integer with more than 4,300 digits") from None
    except RecursionError:
        raise ScenarioError(f"{filename}: not valid TOML: arrays or tables nested too deeply") from None
    return _Reader(filename).model(data, default_name)


def _unquoted_key_hint(text: str, exc: tomllib.TOMLDecodeError) -> str:
    """A hint when the failing line starts with a bare non-ASCII key (TOML wants it quoted)."""
    found = re.search(r"at line (\d+)", str(exc))  # Python < 3.14 has no exc.lineno
    lines = text.splitlines()
    number = int(found.group(1)) if found else 0
    line = lines[number - 1] if 0 < number <= len(lines) else ""
    key = line.split("=", 1)[0].strip()
    if "=" in line and key and not key.startswith(('"', "'")) and not key.isascii():
        return f'; a key with non-ASCII characters must be quoted: "{key}" = ...'
    return ""


class _Reader:
    def __init__(self, filename: str):
        self.filename = filename
        self.identifiers: dict[str, str] = {}  # NFKC form -> the name as written (check_identifier)

    def error(self, where: str, what: str) -> ScenarioError:
        return ScenarioError(f"{self.filename}: {where}: {what}")

    def model(self, data: Mapping[str, Any], default_name: str) -> Model:
        unknown = set(data) - _TOP_KEYS
        if unknown:
            raise self.error(
                "top level",
                f"unknown key(s) {', '.join(sorted(unknown))}; allowed: {', '.join(sorted(_TOP_KEYS))}",
            )
        for table in ("players", "payoffs"):
            if table not in data:
                raise self.error(f"[{table}]", "table missing")
        players, strategies = self.players(data["players"])
        parameters = self.parameters(data.get("parameters", {}))
        names: dict[str, sp.Expr] = {p.name: symbol(p.name) for p in parameters}
        state = self.state(data.get("state", {}), players, strategies, names, data.get("derived", {}))
        names.update({share.name: symbol(share.name) for share in state})
        derived = self.derived(data.get("derived", {}), names)
        payoffs = self.payoffs(data["payoffs"], players, strategies, {**names, **derived})
        initial = self.initial_state(data.get("initial_state"), players, strategies)
        welfare, welfare_payoffs = self.welfare(
            data.get("welfare", {}), parameters, players, strategies, {**names, **derived}
        )
        named = self.named_profiles(data.get("profiles", {}), players, strategies)
        levers = self.levers(data.get("levers", []), parameters)
        fiscal = self.fiscal(data.get("fiscal"), players, strategies, {**names, **derived})
        name = data.get("name", default_name)
        if not isinstance(name, str) or not name.strip():
            raise self.error("top level key 'name'", "must be a non-empty string")
        for key in ("description", "citation"):
            if not isinstance(data.get(key, ""), str):
                raise self.error(f"top level key {key!r}", "must be a string")
        return Model(
            name=name,
            players=players,
            strategies=strategies,
            parameters=parameters,
            payoffs=payoffs,
            derived=derived,
            state=state,
            initial_state=initial,
            description=str(data.get("description", "")),
            source=self.filename,
            citation=str(data.get("citation", "")).strip(),
            welfare=welfare,
            levers=levers,
            fiscal=fiscal,
            welfare_payoffs=welfare_payoffs,
            named_profiles=named,
        )

    def players(self, table: Any) -> tuple[tuple[str, ...], tuple[tuple[str, ...], ...]]:
        if not isinstance(table, Mapping) or len(table) < 2:
            raise self.error("[players]", "needs at least two players, each a list of strategy names")
        strategies = []
        for player, names in table.items():
            where = f"[players] key {player!r}"
            if not player.strip():
                raise self.error(where, "a player name may not be empty")
            if not isinstance(names, list) or not names:
                raise self.error(where, "must be a non-empty list of strategy names")
            seen = set()
            for s in names:
                if not isinstance(s, str) or not s.strip():
                    raise self.error(where, f"strategy name {s!r} is not a non-empty string")
                if "," in s:
                    raise self.error(where, f"strategy name {s!r} may not contain a comma")
                if s.strip() in seen:
                    raise self.error(where, f"duplicate strategy {s!r}")
                seen.add(s.strip())
            strategies.append(tuple(s.strip() for s in names))
        check_profiles([len(s) for s in strategies], f"{self.filename}: [players]")
        if all(len(s) == 1 for s in strategies):
            raise self.error(
                "[players]", "every player has a single strategy: the game has nothing to decide"
            )
        return tuple(table), tuple(strategies)

    def parameters(self, table: Any) -> tuple[Parameter, ...]:
        if not isinstance(table, Mapping):
            raise self.error("[parameters]", "must be a table")
        out = []
        for name, spec in table.items():
            where = f"[parameters] key {name!r}"
            self.check_identifier(where, name)
            if not isinstance(spec, Mapping):
                spec = {"value": spec}
            unknown = set(spec) - _PARAM_KEYS
            if unknown:
                raise self.error(where, f"unknown field(s) {', '.join(sorted(unknown))}")
            if "value" not in spec:
                raise self.error(where, "needs a value")
            value = self.number(where + " field 'value'", spec["value"])
            if math.isinf(value):
                raise self.error(where + " field 'value'", "must be a finite number")
            lo = self.number(where + " field 'min'", spec.get("min", -math.inf))
            hi = self.number(where + " field 'max'", spec.get("max", math.inf))
            if lo > hi:
                raise self.error(where, f"min {lo:g} is larger than max {hi:g}")
            if not lo <= value <= hi:
                raise self.error(where, f"value {value:g} is outside its declared range [{lo:g}, {hi:g}]")
            texts = {}
            for key in ("unit", "description", "section", "symbol", "source"):
                item = spec.get(key, "")
                if not isinstance(item, str):
                    raise self.error(f"{where} field {key!r}", "must be a string")
                texts[key] = item
            out.append(Parameter(name, value, lo, hi, **texts))
        return tuple(out)

    def state(self, table: Any, players, strategies, names, derived: Any) -> tuple[StateShare, ...]:
        """The ``[state]`` table: names for population shares, ``x = ["player", "strategy"]``."""
        if not isinstance(table, Mapping):
            raise self.error("[state]", "must be a table")
        out: list[StateShare] = []
        for name, spec in table.items():
            where = f"[state] key {name!r}"
            self.check_identifier(where, name)
            if name in names:
                raise self.error(where, "has the same name as a parameter")
            if isinstance(derived, Mapping) and name in derived:
                raise self.error(where, "has the same name as a derived quantity")
            if not (isinstance(spec, list) and len(spec) == 2 and all(isinstance(v, str) for v in spec)):
                raise self.error(where, 'must be a pair ["player", "strategy"] naming one population share')
            player, strategy = spec
            if player not in players:
                raise self.error(where, f"unknown player {player!r}; players: {', '.join(players)}")
            i = players.index(player)
            if strategy not in strategies[i]:
                raise self.error(
                    where, f"{strategy!r} is not a strategy of {player!r} ({', '.join(strategies[i])})"
                )
            share = StateShare(name, i, strategies[i].index(strategy))
            for other in out:
                if (other.player, other.strategy) == (share.player, share.strategy):
                    raise self.error(where, f"names the same share as {other.name!r}")
            out.append(share)
        return tuple(out)

    def derived(self, table: Any, names: dict[str, sp.Expr]) -> dict[str, sp.Expr]:
        if not isinstance(table, Mapping):
            raise self.error("[derived]", "must be a table")
        out: dict[str, sp.Expr] = {}
        for name, text in table.items():
            where = f"[derived] key {name!r}"
            self.check_identifier(where, name)
            if name in names:
                raise self.error(where, "has the same name as a parameter or a state share")
            try:
                out[name] = parse_expression(text, {**names, **out})
            except ExpressionError as exc:
                later = getattr(exc, "name", None)
                if later is not None and later in table and later not in out:
                    raise self.error(
                        where,
                        f"{exc}; {later!r} is defined below it, and a derived quantity "
                        "may only use parameters and the derived quantities above it",
                    ) from None
                raise self.error(where, str(exc)) from None
        return out

    def payoffs(
        self, table, players, strategies, names, title: str = "payoffs"
    ) -> dict[tuple[int, ...], tuple[sp.Expr, ...]]:
        if not isinstance(table, Mapping):
            raise self.error(f"[{title}]", "must be a table")
        n = len(players)
        out: dict[tuple[int, ...], tuple[sp.Expr, ...]] = {}
        for key, values in table.items():
            where = f"[{title}] key {key!r}"
            profile = self.profile(where, key, players, strategies)
            if profile in out:
                raise self.error(where, "duplicate profile")
            if not isinstance(values, list) or len(values) != n:
                got = len(values) if isinstance(values, list) else type(values).__name__
                raise self.error(where, f"expected a list of {n} payoffs (one per player), got {got}")
            out[profile] = tuple(
                self.expression(f"{where} payoff of {players[i]!r}", v, names) for i, v in enumerate(values)
            )
        missing = [
            ", ".join(strategies[i][k] for i, k in enumerate(prof))
            for prof in itertools.product(*(range(len(s)) for s in strategies))
            if prof not in out
        ]
        if missing:
            shown = "; ".join(f'"{m}"' for m in missing[:5])
            more = f" and {len(missing) - 5} more" if len(missing) > 5 else ""
            raise self.error(f"[{title}]", f"missing profile(s) {shown}{more}")
        return out

    def initial_state(self, table, players, strategies):
        if table is None:
            return None
        if not isinstance(table, Mapping):
            raise self.error("[initial_state]", "must be a table")
        unknown = set(table) - set(players)
        if unknown:
            raise self.error("[initial_state]", f"unknown player(s) {', '.join(sorted(unknown))}")
        state = []
        for player, names_i in zip(players, strategies):
            where = f"[initial_state] key {player!r}"
            if player not in table:
                raise self.error(where, "missing (give one probability per strategy)")
            values = table[player]
            if not isinstance(values, list) or len(values) != len(names_i):
                raise self.error(where, f"expected {len(names_i)} probabilities, one per strategy")
            probs = tuple(self.number(where, v) for v in values)
            if any(v < 0 for v in probs) or abs(sum(probs) - 1) > 1e-9:
                raise self.error(where, "probabilities must be non-negative and sum to 1")
            state.append(probs)
        return tuple(state)

    def welfare(self, table: Any, parameters, players, strategies, names):
        """``[welfare]``: the welfare evaluation's parameter values, and optional welfare payoffs.

        Parameter -> value (or ``{ value = ..., source = "..." }``), and a
        ``[welfare.payoffs]`` table of profile -> welfare payoffs (the form of
        ``[payoffs]``).  Returns (values, payoffs or None).
        """
        if not isinstance(table, Mapping):
            raise self.error("[welfare]", "must be a table of parameter values")
        known = {p.name: p for p in parameters}
        out = []
        payoffs = None
        for name, entry in table.items():
            where = f"[welfare] key {name!r}"
            if name == "payoffs" and isinstance(entry, Mapping) and "value" not in entry:
                payoffs = self.payoffs(entry, players, strategies, names, "welfare.payoffs")
                continue
            if name not in known:
                raise self.error(where, f"unknown parameter; known: {', '.join(known) or 'none'}")
            source = ""
            if isinstance(entry, Mapping):
                unknown = set(entry) - {"value", "source"}
                if unknown or "value" not in entry:
                    raise self.error(where, 'give a number or { value = ..., source = "..." }')
                source = entry.get("source", "")
                if not isinstance(source, str):
                    raise self.error(where, "source must be a string")
                entry = entry["value"]
            value = self.number(where, entry)
            p = known[name]
            if not p.min <= value <= p.max:
                raise self.error(where, f"{value:g} is outside the parameter's range {p.range_text()}")
            out.append(WelfareValue(name, value, source.strip()))
        return tuple(out), payoffs

    def profile(self, where: str, text: str, players, strategies) -> tuple[int, ...]:
        """The profile ``"passive, shirk, lapse"`` (one strategy per player, in player order) as indices."""
        parts = [part.strip() for part in text.split(",")]
        if len(parts) != len(players):
            raise self.error(
                where,
                f"names {len(parts)} strategies; expected {len(players)}, one per player in the order "
                f"{', '.join(players)}",
            )
        profile = []
        for player, names_i, part in zip(players, strategies, parts):
            if part not in names_i:
                raise self.error(where, f"{part!r} is not a strategy of {player!r} ({', '.join(names_i)})")
            profile.append(names_i.index(part))
        return tuple(profile)

    def named_profiles(self, table: Any, players, strategies) -> dict[str, tuple[int, ...]]:
        """``[profiles]``: name -> profile (``low = "passive, shirk, lapse"``), the vertices' display names."""
        if not isinstance(table, Mapping):
            raise self.error("[profiles]", 'must be a table of name = "strategy, strategy, ..."')
        out: dict[str, tuple[int, ...]] = {}
        for name, text in table.items():
            where = f"[profiles] key {name!r}"
            if not name.strip() or "," in name or "/" in name or name != name.strip():
                raise self.error(
                    where, "a profile's name must be non-empty, without commas, slashes or outer spaces"
                )
            if not isinstance(text, str):
                raise self.error(
                    where, 'must be a string naming one strategy per player, "strategy, strategy, ..."'
                )
            profile = self.profile(where, text, players, strategies)
            for other, prof in out.items():
                if prof == profile:
                    raise self.error(where, f"names the same profile as {other!r}")
            out[name] = profile
        return out

    def levers(self, value: Any, parameters) -> tuple[str, ...]:
        """``levers = [...]``: the parameters that are policy levers (default levers of escapes)."""
        known = [p.name for p in parameters]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise self.error("top level key 'levers'", "must be a list of parameter names")
        for name in value:
            if name not in known:
                raise self.error("top level key 'levers'", f"{name!r} is not a parameter")
        if len(set(value)) != len(value):
            raise self.error("top level key 'levers'", "lists a parameter twice")
        return tuple(value)

    def fiscal(self, table: Any, players, strategies, names) -> FiscalAccount | None:
        """``[fiscal]``: ``unit``, ``source`` and ``budget`` (profile -> net receipts of the public purse)."""
        if table is None:
            return None
        if not isinstance(table, Mapping) or not isinstance(table.get("budget"), Mapping):
            raise self.error(
                "[fiscal]", "must be a table with a [fiscal.budget] table of profile -> expression"
            )
        unknown = set(table) - {"unit", "source", "budget"}
        if unknown:
            raise self.error(
                "[fiscal]", f"unknown key(s) {', '.join(sorted(unknown))}; allowed: budget, source, unit"
            )
        for key in ("unit", "source"):
            if not isinstance(table.get(key, ""), str):
                raise self.error(f"[fiscal] key {key!r}", "must be a string")
        index = {}
        for prof in itertools.product(*(range(len(s)) for s in strategies)):
            index[tuple(strategies[i][k] for i, k in enumerate(prof))] = prof
        budget = {}
        for key, text in table["budget"].items():
            where = f"[fiscal.budget] key {key!r}"
            parts = tuple(part.strip() for part in key.split(","))
            if parts not in index:
                raise self.error(where, f"not a profile (strategies of {', '.join(players)} in order)")
            if index[parts] in budget:
                raise self.error(where, "profile given twice")
            budget[index[parts]] = self.expression(where, text if isinstance(text, str) else str(text), names)
        missing = [", ".join(k) for k, prof in index.items() if prof not in budget]
        if missing:
            raise self.error("[fiscal.budget]", f"missing profile(s) {'; '.join(missing[:5])}")
        return FiscalAccount(budget, table.get("unit", "").strip(), table.get("source", "").strip())

    def check_identifier(self, where: str, name: str) -> None:
        if (
            not name.isidentifier()
            or keyword.iskeyword(name)
            or name in FUNCTIONS
            or name in ("Min", "Max", "Abs")
            or name.startswith("_")
        ):
            raise self.error(
                where, "a name must be an identifier (letters, digits, underscore; not a function name)"
            )
        if name in _GENERATED_CODE_NAMES:
            raise self.error(
                where,
                f"{name!r} is a name the numeric code sympy generates uses (numpy's {name}); choose another name",
            )
        # Python reads identifiers in NFKC form: 'ｃ' and 'c' (or 'ǅ' and 'Dž') are one name in generated code
        normal = unicodedata.normalize("NFKC", name)
        other = self.identifiers.setdefault(normal, name)
        if other != name:
            raise self.error(
                where,
                f"{name!r} and {other!r} are the same name once Unicode-normalised (NFKC form {normal!r}), "
                "as Python and sympy read them; rename one",
            )

    def number(self, where: str, value: Any) -> float:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise self.error(where, f"{str(value)[:40]!r} is not a number")
        if isinstance(value, int) and abs(value) > MAX_MAGNITUDE:
            digits = len(str(abs(value))) if abs(value).bit_length() < 10_000 else "thousands of"
            value = f"an integer of {digits} digits"
            raise self.error(where, f"{value} is larger than {MAX_MAGNITUDE:g}, the limit on numbers")
        if math.isnan(value):
            raise self.error(where, "NaN is not a number")
        if math.isfinite(value) and abs(value) > MAX_MAGNITUDE:
            raise self.error(
                where,
                f"{value:g} is larger in absolute value than {MAX_MAGNITUDE:g}, the limit on numbers "
                "(tripartite.limits.MAX_MAGNITUDE; leave out min or max for an unbounded range)",
            )
        return float(value)

    def expression(self, where: str, text: Any, names: Mapping[str, sp.Expr]) -> sp.Expr:
        try:
            result = parse_expression(text, names)
        except ExpressionError as exc:
            raise self.error(where, str(exc)) from None
        if "e" in names and result.has(sp.E):  # numpy's e in the generated code would be the parameter
            raise self.error(where, "uses exp(1) while 'e' names a parameter; rename the parameter 'e'")
        return result


def _toml_string(text: str) -> str:
    out = []
    for ch in text:
        if ch in ('"', "\\"):
            out.append("\\" + ch)
        elif ord(ch) < 0x20 or ord(ch) == 0x7F:
            out.append(f"\\u{ord(ch):04X}")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def _toml_key(text: str) -> str:
    return text if text.isidentifier() and text.isascii() else _toml_string(text)


def _toml_number(value: float) -> str:
    if math.isinf(value):
        return "inf" if value > 0 else "-inf"
    return repr(int(value)) if float(value).is_integer() and abs(value) < 1e15 else repr(float(value))


def dump_scenario(model: Model) -> str:
    """The TOML text of a scenario file that reads back to ``model``.

    Derived quantities are written already substituted into the payoffs.
    """
    lines = [f"name = {_toml_string(model.name)}"]
    if model.description:
        lines.append(f"description = {_toml_string(model.description)}")
    if model.citation:
        lines.append(f"citation = {_toml_string(model.citation)}")
    lines += ["", "[players]"]
    for player, names in zip(model.players, model.strategies):
        lines.append(f"{_toml_key(player)} = [{', '.join(_toml_string(s) for s in names)}]")
    lines += ["", "[parameters]"]
    for p in model.parameters:
        fields = [f"value = {_toml_number(p.default)}"]
        if p.min != -math.inf:
            fields.append(f"min = {_toml_number(p.min)}")
        if p.max != math.inf:
            fields.append(f"max = {_toml_number(p.max)}")
        for key in ("unit", "description", "section", "symbol", "source"):
            if getattr(p, key):
                fields.append(f"{key} = {_toml_string(getattr(p, key))}")
        lines.append(f"{_toml_key(p.name)} = {{ {', '.join(fields)} }}")
    if model.state:
        lines += ["", "[state]"]
        for share in model.state:
            player = model.players[share.player]
            strategy = model.strategies[share.player][share.strategy]
            lines.append(f"{_toml_key(share.name)} = [{_toml_string(player)}, {_toml_string(strategy)}]")
    lines += ["", "[payoffs]"]
    for profile in model.profiles():
        key = ", ".join(model.strategies[i][k] for i, k in enumerate(profile))
        values = ", ".join(_toml_string(to_text(e)) for e in model.payoffs[profile])
        lines.append(f"{_toml_string(key)} = [{values}]")
    if model.initial_state is not None:
        lines += ["", "[initial_state]"]
        for player, probs in zip(model.players, model.initial_state):
            lines.append(f"{_toml_key(player)} = [{', '.join(_toml_number(v) for v in probs)}]")
    if model.levers:
        lines.insert(1, f"levers = [{', '.join(_toml_string(n) for n in model.levers)}]")
    if model.fiscal is not None:
        lines += ["", "[fiscal]"]
        if model.fiscal.unit:
            lines.append(f"unit = {_toml_string(model.fiscal.unit)}")
        if model.fiscal.source:
            lines.append(f"source = {_toml_string(model.fiscal.source)}")
        lines += ["", "[fiscal.budget]"]
        for profile in model.profiles():
            key = ", ".join(model.strategies[i][k] for i, k in enumerate(profile))
            lines.append(f"{_toml_string(key)} = {_toml_string(to_text(model.fiscal.budget[profile]))}")
    if model.welfare:
        lines += ["", "[welfare]"]
        for w in model.welfare:
            source = f", source = {_toml_string(w.source)}" if w.source else ""
            lines.append(f"{_toml_key(w.name)} = {{ value = {_toml_number(w.value)}{source} }}")
    if model.welfare_payoffs is not None:
        lines += ["", "[welfare.payoffs]"]
        for profile in model.profiles():
            key = ", ".join(model.strategies[i][k] for i, k in enumerate(profile))
            values = ", ".join(_toml_string(to_text(e)) for e in model.welfare_payoffs[profile])
            lines.append(f"{_toml_string(key)} = [{values}]")
    if model.named_profiles:
        lines += ["", "[profiles]"]
        for name, profile in model.named_profiles.items():
            key = ", ".join(model.strategies[i][k] for i, k in enumerate(profile))
            lines.append(f"{_toml_key(name)} = {_toml_string(key)}")
    return "\n".join(lines) + "\n"
