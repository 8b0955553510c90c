"""Models: games whose payoffs are sympy expressions of named parameters.

A :class:`Model` is the single source of truth for a game's payoffs.  The
same expressions serve symbolic analysis (exact, with sympy) and fast numeric
evaluation over a whole batch of parameter points (lambdified to numpy), so
the two can never disagree about what the game is.

Each :class:`Parameter` carries its documentation: symbol, meaning, unit,
default, admissible range and the section of the source paper it comes from.

Examples
--------
>>> from tripartite import load_model
>>> model = load_model("baseline")
>>> game = model.game(nu=[0.0, 0.5, 1.0])
>>> game.payoffs.shape
(3, 3, 2, 2, 2)
"""

from __future__ import annotations

import hashlib
import itertools
import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import Any

import numpy as np
import sympy as sp

from .errors import ParameterError, TripartiteError, UndefinedPayoffError
from .expr import symbol, to_text
from .game import Game, StatePayoffs
from .limits import MAX_MAGNITUDE

#: Seeded states inside the state space at which :meth:`Model.defined_at` checks state-dependent payoffs.
STATE_PROBES = 16

__all__ = ["Parameter", "StateShare", "Model", "parse_value"]


def numeric_function(args: Sequence[sp.Symbol], exprs: Sequence[sp.Expr], *, cse: bool = False):
    """The expressions as one numpy function of ``args`` (positional), by :func:`sympy.lambdify`.

    The arguments are renamed ``_a0, _a1, ...`` (same assumptions) before the
    code is generated, so the code never sees a parameter's own name: those
    names start with an underscore (no scenario name does), are ASCII (Python
    reads them as written, where it reads ``ｃ`` as ``c``) and are not numpy's
    names or cse's ``x0, x1, ...``: what ``dummify=True`` gives, for half its
    cost.  numpy is passed as a module (its namespace) rather than by the name
    ``"numpy"``, which would also run ``from numpy import *`` and load numpy's
    testing, f2py, ma and random submodules on the first call (about 0.1 s);
    the same printer (sympy's NumPyPrinter) and the same functions either
    way, for scalar expressions.  ``docstring_limit=0``: the function's
    docstring does not print the expressions.  sympy's complex infinity
    (``log(0)``, ``1/0``, which appear once a state share is set to 0) becomes
    NaN: not a finite real number, as every check of the payoffs expects.

    Examples
    --------
    >>> a, b = symbol("a"), symbol("b")
    >>> numeric_function([a, b], [a * b, a + b], cse=True)(2.0, 3.0)
    [6.0, 5.0]
    """
    renamed = {a: sp.Symbol(f"_a{k}", **a.assumptions0) for k, a in enumerate(args)}
    exprs = [sp.sympify(e).xreplace({**renamed, sp.zoo: sp.nan}) for e in exprs]
    return sp.lambdify(list(renamed.values()), exprs, modules=[np], cse=cse, docstring_limit=0)


def _state_monomials(expanded: sp.Expr, state: Sequence[sp.Symbol]) -> dict[sp.Expr, sp.Expr] | None:
    """The coefficient of each non-constant monomial of ``expanded`` in the ``state`` symbols.

    ``expanded`` is a sum of terms (``sympy.expand``); each term splits into a
    part free of the state and a product of the state symbols' positive
    integer powers, and the parts free of the state are added up per
    monomial: the coefficients of ``sympy.Poly(expanded, *state)``, without
    building its polynomial ring (a third of the cost).  ``None`` when a
    term is not such a product (``exp(x)``, ``1/(1 + x)``, ``x**(1/2)``):
    then ``expanded`` is not a polynomial in the state.

    Examples
    --------
    >>> x, ell, c = symbol("x"), symbol("ell"), symbol("c")
    >>> _state_monomials(sp.expand((ell + c) * x + c * x**2 + 3), [x])
    {x: c + ell, x**2: c}
    >>> _state_monomials(sp.exp(x) * c, [x]) is None
    True
    """
    shares = set(state)
    out: dict[sp.Expr, sp.Expr] = {}
    for term in sp.Add.make_args(expanded):
        coefficient, monomial = term.as_independent(*state, as_Add=False)
        if monomial == 1:
            continue  # the constant term
        powers = monomial.as_powers_dict()
        if not all(b in shares and e.is_Integer and e > 0 for b, e in powers.items()):
            return None
        out[monomial] = out.get(monomial, sp.S.Zero) + coefficient
    return {m: c for m, c in out.items() if c != 0}


@dataclass(frozen=True)
class WelfareValue:
    """A parameter value of the welfare evaluation (a scenario's ``[welfare]`` table).

    Welfare is the decision payoffs re-evaluated with these values in place
    of the parameters' own (e.g. ``beta = 1``: the time-consistent
    evaluation); see :mod:`tripartite.welfare`.

    Examples
    --------
    >>> WelfareValue("beta", 1.0, "time-consistent evaluation")
    WelfareValue(name='beta', value=1.0, source='time-consistent evaluation')
    """

    name: str
    value: float
    source: str = ""


@dataclass(frozen=True, eq=False)
class FiscalAccount:
    """What the public purse (government and social-insurance fund) receives at each pure profile.

    A scenario's ``[fiscal]`` table: ``budget`` maps every profile to an
    expression of the parameters, the net receipts (revenue minus outlays)
    in ``unit``; least-cost packages are costed by it
    (:func:`tripartite.sweep.levers.fiscal_cost`).

    Examples
    --------
    >>> FiscalAccount({(0,): sp.Integer(1)}, "yuan per worker-month").unit
    'yuan per worker-month'
    """

    budget: dict[tuple[int, ...], sp.Expr]
    unit: str = ""
    source: str = ""


@dataclass(frozen=True)
class StateShare:
    """A name for one population share, usable in payoff expressions.

    Attributes
    ----------
    name : str
        The symbol in expressions (``x`` in ``F*(1 - x)``).
    player, strategy : int
        Indices of the player and of the strategy whose share it is.

    Examples
    --------
    >>> StateShare("x", 0, 0)
    StateShare(name='x', player=0, strategy=0)
    """

    name: str
    player: int
    strategy: int


@dataclass(frozen=True)
class Parameter:
    """A named, documented model parameter.

    Attributes
    ----------
    name : str
        Identifier used in expressions and on the command line (``--set name=value``).
    default : float
        Default value.
    min, max : float
        Admissible range (inclusive); ``-inf``/``inf`` when unbounded.
    unit : str
        Unit of the value, e.g. ``"yuan/month"``.
    description : str
        What the parameter means.
    section : str
        Section of the source paper the mechanism comes from.
    symbol : str
        LaTeX symbol; empty for an automatic one.
    source : str
        Where the default comes from, or ``"illustrative"``.
    """

    name: str
    default: float
    min: float = -math.inf
    max: float = math.inf
    unit: str = ""
    description: str = ""
    section: str = ""
    symbol: str = ""
    source: str = ""

    def check(self, value: Any) -> np.ndarray:
        """Return ``value`` as a float array, or raise :class:`ParameterError`."""
        try:
            arr = np.asarray(value, dtype=float)
        except (TypeError, ValueError):
            raise ParameterError(f"parameter {self.name!r}: {value!r} is not a number") from None
        if arr.ndim > 1:
            raise ParameterError(f"parameter {self.name!r}: give a number or a 1-D array")
        if not np.all(np.isfinite(arr)):
            raise ParameterError(f"parameter {self.name!r}: value must be finite")
        if arr.size and np.max(np.abs(arr)) > MAX_MAGNITUDE:
            bad = arr[np.abs(arr) > MAX_MAGNITUDE].ravel()[0]
            raise ParameterError(
                f"parameter {self.name!r}: {bad:g} is larger in absolute value than {MAX_MAGNITUDE:g}, "
                "the limit on numbers (tripartite.limits.MAX_MAGNITUDE)"
            )
        if np.any(arr < self.min) or np.any(arr > self.max):
            bad = arr[(arr < self.min) | (arr > self.max)].ravel()[0]
            raise ParameterError(
                f"parameter {self.name!r}: {bad:g} is outside its admissible range {self.range_text()}"
            )
        return arr

    def range_text(self) -> str:
        """The admissible range as ``[min, max]`` text."""
        lo = "-inf" if self.min == -math.inf else f"{self.min:g}"
        hi = "inf" if self.max == math.inf else f"{self.max:g}"
        return f"[{lo}, {hi}]"


def parse_value(name: str, text: str) -> float:
    """Parse a command-line value for parameter ``name``; a clear error if not a finite number.

    Examples
    --------
    >>> parse_value("nu", " 0.5 ")
    0.5
    >>> parse_value("nu", "1e309")
    Traceback (most recent call last):
    ...
    tripartite.errors.ParameterError: parameter 'nu': '1e309' is not a finite number
    """
    shown = text if len(text) <= 40 else text[:40] + "..."
    try:
        value = float(text)
    except (ValueError, OverflowError):
        raise ParameterError(f"parameter {name!r}: {shown!r} is not a number") from None
    if not math.isfinite(value):
        raise ParameterError(f"parameter {name!r}: {shown!r} is not a finite number")
    return value


@dataclass(frozen=True, eq=False)
class Model:
    """An N-player game whose payoffs are sympy expressions of parameters.

    Parameters
    ----------
    name : str
        Model name (``"baseline"``) or scenario title.
    players : tuple of str
    strategies : tuple of tuple of str
    parameters : tuple of Parameter
    payoffs : dict mapping a profile (tuple of strategy indices) to a tuple of
        N sympy expressions, one per player; every profile must be present.
    derived : dict of str to sympy.Expr
        Named intermediate quantities (already expressed in parameters and state shares).
    state : tuple of StateShare
        Names for population shares that payoffs may use; empty for a static
        game (payoffs independent of the state, the usual multilinear game).
    initial_state : tuple of tuple of float, optional
        A documented starting state of the replicator dynamics (one probability
        vector per player), e.g. the status quo.
    description : str
    source : str
        The file the model was read from (``"baseline.toml"`` for a built-in model).
    citation : str
        How to cite the model itself: the seed paper for the built-in models,
        the scenario file's own ``citation`` key for a user's scenario, empty
        when the scenario declares none.  Provenance records carry it, and
        ``tripartite cite`` prints it.
    builtin : bool
        Whether the model is one of the models shipped with the package.
    welfare : tuple of WelfareValue
        The parameter values of the welfare evaluation (the ``[welfare]``
        table); empty: welfare is the decision payoffs.
    levers : tuple of str
        The parameters that are policy levers (the scenario's ``levers``
        key); empty when it declares none.
    fiscal : FiscalAccount or None
        The public purse's net receipts per profile (the ``[fiscal]`` table).
    welfare_payoffs : dict or None
        Welfare payoffs per profile (the ``[welfare.payoffs]`` table), in the
        form of ``payoffs``; None: welfare is the decision payoffs (at the
        ``welfare`` values).
    named_profiles : dict of str to tuple of int
        Names of pure profiles (the ``[profiles]`` table: ``low``, ``high``,
        ...), name -> strategy indices; empty when the scenario declares none.
    """

    name: str
    players: tuple[str, ...]
    strategies: tuple[tuple[str, ...], ...]
    parameters: tuple[Parameter, ...]
    payoffs: dict[tuple[int, ...], tuple[sp.Expr, ...]]
    derived: dict[str, sp.Expr] = field(default_factory=dict)
    state: tuple[StateShare, ...] = ()
    initial_state: tuple[tuple[float, ...], ...] | None = None
    description: str = ""
    source: str = ""
    citation: str = ""
    builtin: bool = False
    welfare: tuple[WelfareValue, ...] = ()
    levers: tuple[str, ...] = ()
    fiscal: FiscalAccount | None = None
    welfare_payoffs: dict[tuple[int, ...], tuple[sp.Expr, ...]] | None = None
    named_profiles: dict[str, tuple[int, ...]] = field(default_factory=dict)

    # --- structure -----------------------------------------------------------------

    @property
    def shape(self) -> tuple[int, ...]:
        """Number of strategies of each player."""
        return tuple(len(s) for s in self.strategies)

    @property
    def n_players(self) -> int:
        return len(self.players)

    @cached_property
    def parameter_names(self) -> tuple[str, ...]:
        return tuple(p.name for p in self.parameters)

    @cached_property
    def symbols(self) -> dict[str, sp.Symbol]:
        """Parameter name -> sympy symbol."""
        return {p.name: symbol(p.name) for p in self.parameters}

    @cached_property
    def state_symbols(self) -> dict[str, sp.Symbol]:
        """State share name -> sympy symbol (empty for a static model)."""
        return {share.name: symbol(share.name) for share in self.state}

    @property
    def state_dependent(self) -> bool:
        """Whether some payoff depends on the population state."""
        return bool(self.state)

    def state_values(self, profile: Sequence[int]) -> dict[sp.Symbol, int]:
        """The state symbols at a vertex (pure profile): 1 for the played strategy, else 0.

        Examples
        --------
        >>> m = Model("m", ("a", "b"), (("s", "t"), ("s", "t")), (), {}, state=(StateShare("x", 0, 0),))
        >>> m.state_values((1, 0))
        {x: 0}
        """
        return {self.state_symbols[sh.name]: int(profile[sh.player] == sh.strategy) for sh in self.state}

    def parameter(self, name: str) -> Parameter:
        """The parameter called ``name``; :class:`ParameterError` naming the known ones if none."""
        for p in self.parameters:
            if p.name == name:
                return p
        raise ParameterError(
            f"unknown parameter {name!r} for model {self.name!r}; "
            f"known parameters: {', '.join(self.parameter_names)}"
        )

    def defaults(self) -> dict[str, float]:
        """Parameter name -> default value."""
        return {p.name: p.default for p in self.parameters}

    def profiles(self) -> list[tuple[int, ...]]:
        """All pure profiles as index tuples, in lexicographic order."""
        return list(itertools.product(*(range(m) for m in self.shape)))

    def profile_names(self, profile: Sequence[int]) -> dict[str, str]:
        """Player name -> strategy name of a pure profile given by indices (as :meth:`Game.profile_names`)."""
        return {p: self.strategies[i][k] for i, (p, k) in enumerate(zip(self.players, profile))}

    def payoff_array(self) -> np.ndarray:
        """The payoffs as an object array of sympy expressions, shape ``(N, s_1, ..., s_N)``."""
        out = np.empty((self.n_players, *self.shape), dtype=object)
        for profile, values in self.payoffs.items():
            for i, expr in enumerate(values):
                out[(i, *profile)] = expr
        return out

    @cached_property
    def hash(self) -> str:
        """A short content hash of the model (players, strategies, parameters, payoffs).

        Identical games hash identically whatever file they came from; it is
        recorded in every output for provenance.
        """
        canon = {
            "players": list(self.players),
            "strategies": [list(s) for s in self.strategies],
            "parameters": [[p.name, repr(p.default), repr(p.min), repr(p.max)] for p in self.parameters],
            "payoffs": [
                # expand: canonical for polynomial payoffs, and ~100x faster than simplify
                # (12 s -> 0.07 s for the 27-profile extended model)
                [list(k), [sp.srepr(sp.expand(e)) for e in v]]
                for k, v in sorted(self.payoffs.items())
            ],
        }
        if self.state:  # only then: static models keep their hashes
            canon["state"] = [[sh.name, sh.player, sh.strategy] for sh in self.state]
        if self.welfare:  # likewise: models without a [welfare] table keep their hashes
            canon["welfare"] = [[w.name, repr(w.value)] for w in self.welfare]
        if self.levers:
            canon["levers"] = list(self.levers)
        if self.fiscal is not None:
            canon["fiscal"] = [
                [list(k), sp.srepr(sp.expand(e))] for k, e in sorted(self.fiscal.budget.items())
            ]
        if self.welfare_payoffs is not None:
            canon["welfare_payoffs"] = [
                [list(k), [sp.srepr(sp.expand(e)) for e in v]]
                for k, v in sorted(self.welfare_payoffs.items())
            ]
        if self.named_profiles:  # like levers: models that name no profile keep their hashes
            canon["profiles"] = [[name, list(prof)] for name, prof in self.named_profiles.items()]
        digest = hashlib.sha256(json.dumps(canon, ensure_ascii=False).encode("utf-8"))
        return digest.hexdigest()[:16]

    @cached_property
    def welfare_payoff_model(self) -> Model | None:
        """The model whose payoffs are the ``[welfare.payoffs]`` table (None without one).

        :func:`tripartite.welfare.welfare_game` evaluates it at the welfare
        values; kept here so that its expressions are compiled once.
        """
        if self.welfare_payoffs is None:
            return None
        return replace(self, payoffs=self.welfare_payoffs, welfare_payoffs=None)

    # --- values ----------------------------------------------------------------------

    def resolve(self, values: Mapping[str, Any] | None = None) -> dict[str, np.ndarray]:
        """Complete ``values`` with defaults and check every one against its range.

        Returns name -> float array; varied parameters are 1-D arrays of one
        common length (the batch), fixed ones are 0-D.
        """
        values = dict(values or {})
        out: dict[str, np.ndarray] = {}
        for name in values:
            self.parameter(name)  # unknown names fail here, before any work
        lengths = set()
        for p in self.parameters:
            arr = p.check(values.get(p.name, p.default))
            if arr.ndim == 1:
                lengths.add(arr.shape[0])
            out[p.name] = arr
        if len(lengths) > 1:
            raise ParameterError(
                f"varied parameters have different lengths {sorted(lengths)}; "
                "give arrays of one common length"
            )
        return out

    @cached_property
    def _payoff_function(self):
        # the payoffs with every state share at 0: used only where they ignore the state (static_at)
        zero = {x: 0 for x in self.state_symbols.values()}
        entries = [e.xreplace(zero) if zero else e for values in self._flat_payoffs for e in values]
        args = [self.symbols[name] for name in self.parameter_names]
        return numeric_function(args, entries, cse=True)

    @cached_property
    def _flat_payoffs(self) -> list[tuple[sp.Expr, ...]]:
        # player-major order: for each player, every profile in lexicographic order
        profiles = self.profiles()
        return [tuple(self.payoffs[prof][i] for prof in profiles) for i in range(self.n_players)]

    def evaluate(self, values: Mapping[str, Any] | None = None) -> np.ndarray:
        """Numeric payoffs at one or many points, shape ``(batch, N, s_1, ..., s_N)``.

        Parameters not given take their defaults; array values are varied
        together (point ``b`` takes element ``b`` of each array).  A
        state-dependent model has no single payoff array: use :meth:`game`.
        """
        resolved = self.resolve(values)
        self._refuse_state("evaluate its payoffs without a state (use model.game(...))", resolved)
        return self._evaluate(resolved)

    def static_at(self, values: Mapping[str, Any] | None = None) -> bool:
        """Whether the payoffs ignore the state at these parameter values (at every point of a batch).

        True for a model without ``[state]``.  Otherwise the payoffs are
        written as polynomials in the state shares and the coefficient of
        every non-constant monomial is evaluated at the points: the game is
        static there exactly when each of them is exactly 0 (a state-dependent
        lever at 0, as the built-in levers by default).  Payoffs that are not
        polynomial in the shares are never static.

        Examples
        --------
        >>> from tripartite import load_model
        >>> load_model("baseline").static_at()
        True
        """
        return self._static_at(self.resolve(values))

    def _static_at(self, resolved: Mapping[str, np.ndarray]) -> bool:
        if not self.state:
            return True
        coefficients = self._state_coefficients
        if coefficients is None:
            return False
        parameters, numbers, function = coefficients
        if any(c != 0 for c in numbers) or not all(np.all(resolved[n] == 0) for n in parameters):
            return False
        if function is None:
            return True
        args = [resolved[n] for n in self.parameter_names]
        return all(np.all(np.asarray(c) == 0) for c in function(*args))

    @cached_property
    def _state_coefficients(self) -> tuple[tuple[str, ...], tuple[sp.Expr, ...], Any] | None:
        """The coefficients of the non-constant state monomials of every payoff (None: not polynomial).

        As ``(names, numbers, function)``: the coefficients that are one
        parameter (``ell``, ``nu_T``: read off its values), those that are
        numbers, and the others lambdified (:func:`numeric_function`; ``None``
        when there are none).
        """
        state = [self.state_symbols[sh.name] for sh in self.state]
        found = []
        for values in self._flat_payoffs:
            for e in values:
                if not e.free_symbols.intersection(state):
                    continue  # no state share: no non-constant monomial
                terms = _state_monomials(sp.expand(e), state)
                if terms is None:
                    return None
                found += terms.values()
        found = list(dict.fromkeys(found))  # the same coefficient (ell, nu_T, ...) once
        names = {self.symbols[name]: name for name in self.parameter_names}
        parameters = tuple(names[c] for c in found if c in names)
        numbers = tuple(c for c in found if c.is_Number)
        others = [c for c in found if c not in names and not c.is_Number]
        args = [self.symbols[name] for name in self.parameter_names]
        return parameters, numbers, numeric_function(args, others) if others else None

    def _refuse_state(self, what: str, resolved: Mapping[str, np.ndarray] | None = None) -> None:
        if self.state and (resolved is None or not self._static_at(resolved)):
            names = ", ".join(sh.name for sh in self.state)
            raise TripartiteError(
                f"model {self.name!r} has payoffs that depend on the population state ({names}); "
                f"cannot {what}"
            )

    @cached_property
    def _state_functions(self):
        """Lambdified payoffs and their derivatives in the state shares, args (parameters, shares)."""
        entries = [e for values in self._flat_payoffs for e in values]
        state = [self.state_symbols[sh.name] for sh in self.state]
        args = [self.symbols[name] for name in self.parameter_names] + state
        table = numeric_function(args, entries, cse=True)
        grads = [sp.diff(e, x) for x in state for e in entries]
        gradient = numeric_function(args, grads, cse=True)
        return table, gradient

    def _evaluate(self, resolved: Mapping[str, np.ndarray]) -> np.ndarray:
        out = self._payoff_values(resolved)
        if not np.all(np.isfinite(out)):
            raise self._undefined_error(out, resolved)
        return out

    def _payoff_values(
        self, resolved: Mapping[str, np.ndarray], function=None, shares: Sequence[float] = ()
    ) -> np.ndarray:
        """The payoffs at the points, NaN where one is not a finite real number (``(x - 1e9)^(1/3)``).

        ``function`` and ``shares``: the state-dependent payoffs (:attr:`_state_functions`) at a state.
        """
        function = self._payoff_function if function is None else function
        batch = max((v.shape[0] for v in resolved.values() if v.ndim == 1), default=1)
        # fixed parameters as Python floats: scalar arithmetic on them is cheap
        args = [resolved[n] if resolved[n].ndim else float(resolved[n]) for n in self.parameter_names]
        args += [float(x) for x in shares]
        with np.errstate(all="ignore"):
            try:
                results = function(*args)
            except (OverflowError, ZeroDivisionError, ValueError):
                # Python floats raise where numpy gives inf or nan: evaluate on numpy scalars instead
                results = function(*(np.float64(a) if isinstance(a, float) else a for a in args))
            per_player = math.prod(self.shape)
            # one contiguous row per payoff entry, viewed as (batch, N, s_1, ..., s_N)
            out = np.empty((self.n_players * per_player, batch))
            for j, value in enumerate(results):
                value = np.asarray(value)
                if value.dtype.kind == "c":  # a negative number to a fractional power, in Python floats
                    value = np.where(value.imag == 0, value.real, np.nan)
                elif value.dtype.kind not in "fiub":  # e.g. an exact integer too large for a float
                    try:
                        value = value.astype(float)
                    except (OverflowError, TypeError, ValueError):
                        value = np.nan
                out[j] = value
            out[~np.isfinite(out)] = np.nan
        return out.T.reshape((batch, self.n_players, *self.shape))

    def defined_at(self, values: Mapping[str, Any] | None = None) -> np.ndarray:
        """Whether every payoff is a finite real number, at each point (a boolean array, one per point).

        Payoffs such as ``log(x)`` or ``(x - 1)^(1/3)`` are undefined for part
        of a range; evaluating the game there refuses with a message, and a
        sweep marks those rows ``invalid``.  For a state-dependent model the
        payoffs are checked at every vertex of the state space (each pure
        profile: every population on one strategy, where the vertex
        eigenvalues are evaluated), where every population is mixed evenly,
        and at :data:`STATE_PROBES` seeded states inside: a sampled check, not
        a proof, for states between those.

        Examples
        --------
        >>> from tripartite import load_model
        >>> load_model("baseline").defined_at({"nu": [0.0, 1.0]}).tolist()
        [True, True]
        """
        resolved = self.resolve(values)
        out = self._payoff_values(resolved)
        defined = np.isfinite(out).reshape(out.shape[0], -1).all(axis=1)
        if self.state and not self._static_at(resolved):  # static here: the same payoffs at every state
            table, _ = self._state_functions
            for shares in self._probe_states():
                at = self._payoff_values(resolved, table, shares)
                defined &= np.isfinite(at).reshape(at.shape[0], -1).all(axis=1)
        return defined

    def _probe_states(self) -> list[tuple[float, ...]]:
        """The state shares (in :attr:`state` order) at which :meth:`defined_at` checks the payoffs.

        Every vertex of the state space (one per pure profile of the players
        whose shares are named; at most 4,096), the centre, and
        :data:`STATE_PROBES` points drawn from a flat Dirichlet distribution
        per population (seed 0, so the check is the same on every run).
        """
        players = sorted({sh.player for sh in self.state})
        rng = np.random.default_rng(0)
        mixed = {p: rng.dirichlet(np.ones(self.shape[p]), STATE_PROBES) for p in players}
        states = [*self._vertex_states(), self._centre_state()]
        states += [
            tuple(float(mixed[sh.player][k, sh.strategy]) for sh in self.state) for k in range(STATE_PROBES)
        ]
        return states

    def _vertex_states(self) -> list[tuple[float, ...]]:
        """The state shares at every vertex of the state space (one per pure profile of the players
        whose shares are named; at most 4,096)."""
        players = sorted({sh.player for sh in self.state})
        pure = itertools.islice(itertools.product(*(range(self.shape[p]) for p in players)), 4096)
        return [
            tuple(float(choice[players.index(sh.player)] == sh.strategy) for sh in self.state)
            for choice in pure
        ]

    def _centre_state(self) -> tuple[float, ...]:
        """The state shares where every population is mixed evenly."""
        return tuple(1.0 / self.shape[sh.player] for sh in self.state)

    def _state_text(self, shares: Sequence[float]) -> str:
        """State shares as ``x = 1, y = 0`` (for messages)."""
        return ", ".join(f"{sh.name} = {v:g}" for sh, v in zip(self.state, shares))

    def _undefined_error(
        self, out: np.ndarray, resolved: Mapping[str, np.ndarray], state: str = ""
    ) -> UndefinedPayoffError:
        """The error naming the first payoff that is not a finite real number, and the point."""
        bad = np.argwhere(~np.isfinite(out))[0]
        b, i, profile = int(bad[0]), int(bad[1]), tuple(int(k) for k in bad[2:])
        expr = self.payoffs[profile][i]
        used = [n for n in self.parameter_names if self.symbols[n] in expr.free_symbols]
        varied = any(resolved[n].ndim for n in self.parameter_names)
        at = ", ".join(
            f"{n} = {float(resolved[n][b] if resolved[n].ndim else resolved[n]):g}" for n in used[:6]
        )
        at = at + (", ..." if len(used) > 6 else "")
        if not varied and all(float(resolved[n]) == self.parameter(n).default for n in self.parameter_names):
            at = f"the defaults ({at})" if at else "the defaults"
        elif varied:
            at = f"point {b} ({at})"
        key = ", ".join(self.strategies[k][s] for k, s in enumerate(profile))
        where = f"{self.source}: [payoffs] key {key!r}" if self.source else f"profile ({key})"
        text = to_text(expr)
        text = text if len(text) <= 80 else text[:80] + "..."
        n_bad = int((~np.isfinite(out)).reshape(out.shape[0], -1).any(axis=1).sum())
        more = f"; undefined at {n_bad} of {out.shape[0]} points" if out.shape[0] > 1 else ""
        place = " ".join(part for part in (f"at {at}" if at else "", state) if part) or "here"
        return UndefinedPayoffError(
            f"{where} payoff of {self.players[i]!r}: {text} is not a finite real number {place}{more}"
        )

    def exact_payoffs(self, values: Mapping[str, Any] | None = None) -> np.ndarray:
        """Payoffs at one point as exact sympy numbers, shape ``(N, s_1, ..., s_N)``.

        Decimal inputs are read as the exact decimals they print as
        (``0.3`` is ``3/10``).
        """
        resolved = self.resolve(values)
        self._refuse_state("give exact payoffs without a state", resolved)
        subs = {x: sp.Integer(0) for x in self.state_symbols.values()}  # static here: any state
        for name, arr in resolved.items():
            if arr.ndim != 0:
                raise ParameterError("exact payoffs need one value per parameter")
            subs[self.symbols[name]] = sp.Rational(repr(float(arr)))
        out = self.payoff_array()

        # nsimplify with rational=True: Floats to the decimals they print as, exact numbers kept (without it,
        # nsimplify guesses a 'simpler' number and can return another one: 6915/752 -> 2**(25/154)*...)
        def exact(e):
            return sp.nsimplify(sp.sympify(e).subs(subs), rational=True)

        return np.vectorize(exact, otypes=[object])(out)

    def game(self, values: Mapping[str, Any] | None = None, /, **overrides: Any) -> Game:
        """The numeric :class:`~tripartite.game.Game` at the given parameter values.

        A model with ``[state]`` gives a state-dependent game (payoffs a
        :class:`~tripartite.game.StatePayoffs`) unless its payoffs ignore the
        state at every one of these points (:meth:`static_at`): then the
        usual payoff array, and every solver applies.

        Examples
        --------
        >>> from tripartite import load_model
        >>> load_model("baseline").game(nu=0.5).batch_size
        1
        """
        merged = {**(values or {}), **overrides}
        resolved = self.resolve(merged)
        params = {k: v for k, v in resolved.items()}
        if not self._static_at(resolved):
            batch = max((v.shape[0] for v in resolved.values() if v.ndim == 1), default=1)
            table, gradient = self._state_functions
            payoffs = StatePayoffs(
                (batch, self.n_players, *self.shape),
                tuple((sh.player, sh.strategy) for sh in self.state),
                tuple(sh.name for sh in self.state),
                tuple(resolved[n] for n in self.parameter_names),
                table,
                gradient,
            )
            # checked at every vertex of the state space (where the vertex eigenvalues and payoffs are
            # evaluated) and where every population is mixed evenly; the kernel evaluates other states later
            probes = [(v, "at the state " + self._state_text(v)) for v in self._vertex_states()]
            probes.append((self._centre_state(), "with every population mixed evenly"))
            for shares, where in probes:
                values = self._payoff_values(resolved, table, shares)
                if not np.all(np.isfinite(values)):
                    raise self._undefined_error(values, resolved, where)
        else:
            payoffs = self._evaluate(resolved)
        return Game(self.players, self.strategies, payoffs, params, self.name)

    def _repr_html_(self) -> str:
        from .display import html_table, number

        players = html_table(
            ["player", "strategies"],
            [[p, ", ".join(s)] for p, s in zip(self.players, self.strategies)],
            caption=f"{self.name}: {self.description}" if self.description else self.name,
        )
        params = html_table(
            ["symbol", "default", "unit", "range", "meaning", "section"],
            [
                [p.name, number(p.default), p.unit, p.range_text(), p.description, p.section]
                for p in self.parameters
            ],
            caption="parameters",
        )
        return players + params

    def __repr__(self) -> str:
        dims = "x".join(map(str, self.shape))
        return (
            f"<Model {self.name!r}: {dims}, players={list(self.players)}, {len(self.parameters)} parameters>"
        )
