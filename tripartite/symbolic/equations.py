"""The replicator equations of a model, as exact expressions.

Player ``i`` is a population with state :math:`x_i` on its simplex.  The
chart drops each player's last strategy
(:math:`x_{i,last} = 1 - \\sum_{k<last} x_{i,k}`), as
:func:`tripartite.dynamics.reduced_jacobian` does, so the state variables are
the shares of every strategy but the last.  With
:math:`f_{i,s}(x_{-i}) = u_i(s, x_{-i})` the expected payoff of strategy
``s``,

.. math:: \\dot x_{i,s} = x_{i,s}\\big(f_{i,s} - \\textstyle\\sum_t x_{i,t} f_{i,t}\\big),

which for a player with two strategies is the factored form
:math:`\\dot x_i = x_i (1 - x_i) D_i(x_{-i})`, with
:math:`D_i = f_{i,1} - f_{i,2}` the expected payoff difference
(:math:`x_i` is the share of the first strategy).  The Jacobian of the
right-hand sides is the reduced Jacobian of the numeric dynamics.

When the model's payoffs depend on the state (a ``[state]`` table), its
share names are replaced by the chart's expressions (a share of a last
strategy by ``1 - x``), so :math:`f_{i,s}` and :math:`D_i` are functions of
the whole state, :math:`D_i` possibly of :math:`x_i` itself, and the
Jacobian carries the payoffs' own derivatives.

Examples
--------
>>> from tripartite import load_model
>>> eq = replicator_equations(load_model("baseline"))
>>> eq.meaning()[0]
'x1: share of government playing active'
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property

import sympy as sp

from ..expr import to_text
from ..model import Model
from .exact import compact, model_cache

__all__ = ["ReplicatorEquations", "replicator_equations"]


@dataclass(frozen=True, eq=False)
class ReplicatorEquations:
    """The replicator equations of a model in the reduced chart.

    Attributes
    ----------
    states : tuple of sympy.Symbol
        State variables: the share of every strategy but each player's last.
        A player with two strategies has one variable, named ``x1``, ``x2``...
        by player number; otherwise ``x1_1, x1_2, ...`` (player, strategy).
    coordinates : tuple of (player, strategy)
        What each state variable is the share of.
    rhs : tuple of sympy.Expr
        Right-hand sides, factored as ``x*(1 - x)*D`` for two-strategy players.
    differences : dict of int to sympy.Expr
        Player -> :math:`D_i` (first strategy's expected payoff minus the
        second's), for players with two strategies.
    """

    model: Model
    states: tuple[sp.Symbol, ...]
    coordinates: tuple[tuple[int, int], ...]
    rhs: tuple[sp.Expr, ...]
    differences: dict[int, sp.Expr] = field(default_factory=dict)

    @cached_property
    def jacobian(self) -> sp.Matrix:
        """The Jacobian matrix of ``rhs`` with respect to ``states`` (the reduced Jacobian)."""
        return sp.Matrix(self.rhs).jacobian(sp.Matrix(self.states))

    @property
    def two_strategies(self) -> bool:
        """Whether every player has exactly two strategies (the factored case)."""
        return all(m == 2 for m in self.model.shape)

    def lines(self) -> list[str]:
        """The equations as text, one per state variable.

        Examples
        --------
        >>> from tripartite import load_model
        >>> eq = replicator_equations(load_model("baseline"))
        >>> eq.lines()[1]
        "x2' = x2*(1 - x2)*(R*p + ell*(1 - x2) + r + x1*(f*(d*(1 - q) + q) + t) + x3*(pi_E - R*p - c_p*k) - m)"
        """
        return [f"{x}' = {to_text(r)}" for x, r in zip(self.states, self.rhs)]

    def meaning(self) -> list[str]:
        """What each state variable stands for, e.g. ``"x1: share of government playing active"``."""
        m = self.model
        return [
            f"{x}: share of {m.players[i]} playing {m.strategies[i][s]}"
            for x, (i, s) in zip(self.states, self.coordinates)
        ]

    def latex_lines(self) -> list[str]:
        """The equations in LaTeX, ``\\dot{x}_{1} = ...``, with the model's parameter symbols.

        Examples
        --------
        >>> from tripartite import load_model
        >>> print(replicator_equations(load_model("baseline")).latex_lines()[1][:42])
        \\dot{x}_{2} = x_{2} \\left(1 - x_{2}\\right)
        """
        from ..io.latex import latex_expr, latex_symbols

        symbols = latex_symbols(self.model, self.states)
        return [f"{_dotted(symbols[x])} = {latex_expr(r, symbols)}" for x, r in zip(self.states, self.rhs)]

    def _repr_latex_(self) -> str:
        body = " \\\\\n".join(line.replace(" = ", " &= ", 1) for line in self.latex_lines())
        return f"$$\\begin{{aligned}}\n{body}\n\\end{{aligned}}$$"

    def _repr_html_(self) -> str:
        from ..display import html_table

        m = self.model
        rows = [
            [str(x), f"share of {m.players[i]} playing {m.strategies[i][s]}", f"${line}$"]
            for x, (i, s), line in zip(self.states, self.coordinates, self.latex_lines())
        ]
        form = "x' = x (1 - x) D" if self.two_strategies else "x_s' = x_s (f_s - mean payoff)"
        caption = f"{m.name}: replicator equations ({form})"
        return html_table(["state", "meaning", "equation"], rows, caption)

    def __repr__(self) -> str:
        states = ", ".join(map(str, self.states))
        return f"<ReplicatorEquations of {self.model.name!r}: {len(self.states)} states ({states})>"


def _dotted(name: str) -> str:
    """The time derivative of a typeset state variable: ``x_{1}`` -> ``\\dot{x}_{1}``."""
    head, sep, sub = name.partition("_")
    return f"\\dot{{{head}}}{sep}{sub}"


def _state_symbols(model: Model) -> tuple[tuple[sp.Symbol, ...], tuple[tuple[int, int], ...]]:
    taken = set(model.parameter_names) | set(model.derived) | set(model.state_symbols)
    prefix = "x"
    while True:
        names, coords = [], []
        for i, m in enumerate(model.shape):
            for s in range(m - 1):
                names.append(f"{prefix}{i + 1}" if m == 2 else f"{prefix}{i + 1}_{s + 1}")
                coords.append((i, s))
        if not taken & set(names):
            break
        prefix += "x"
    return tuple(sp.Symbol(n, real=True) for n in names), tuple(coords)


def _shares(model: Model, states: Sequence[sp.Symbol]) -> list[list[sp.Expr]]:
    """Per player, the share of each strategy as an expression of the state variables."""
    out, k = [], 0
    for m in model.shape:
        own = list(states[k : k + m - 1])
        out.append(own + [1 - sp.Add(*own)])
        k += m - 1
    return out


def _polynomial_in_states(model: Model, i: int, shares: list[list[sp.Expr]], states, weight_of) -> sp.Expr:
    """``sum over the others' profiles of weight * value``, collected by monomials of the states.

    ``weight_of(rest)`` gives the payoff expression multiplying the others' profile ``rest``.
    """
    others = [j for j in range(model.n_players) if j != i]
    terms: dict[tuple[int, ...], list[sp.Expr]] = {}
    for rest in itertools.product(*(range(model.shape[j]) for j in others)):
        value = weight_of(rest)
        if value == 0:
            continue
        weight = sp.Mul(*(shares[j][k] for j, k in zip(others, rest)))
        for monom, coeff in sp.Poly(weight, *states).terms():
            terms.setdefault(monom, []).append(coeff * value)
    out = []
    for monom, parts in terms.items():
        coeff = compact(sp.Add(*parts))
        if coeff != 0:
            out.append(coeff * sp.Mul(*(x**e for x, e in zip(states, monom))))
    return sp.Add(*out)


def replicator_equations(model: Model) -> ReplicatorEquations:
    """The replicator equations of ``model``, factored where every player has two strategies.

    Examples
    --------
    >>> from tripartite import load_model
    >>> eq = replicator_equations(load_model("baseline"))
    >>> eq.states
    (x1, x2, x3)
    >>> eq.differences[2].has(eq.states[2])  # targeted reminders: nu_T*(1 - x_E)
    True
    >>> eq.differences[2].subs(load_model("baseline").symbols["nu_T"], 0).has(eq.states[2])
    False
    """
    memo = model_cache(model)
    if "equations" in memo:
        return memo["equations"]
    states, coords = _state_symbols(model)
    shares = _shares(model, states)
    # payoffs that depend on the state: the model's share names are shares of the chart
    on_chart = {model.state_symbols[sh.name]: shares[sh.player][sh.strategy] for sh in model.state}

    def payoff(i: int, s: int, rest: tuple[int, ...]) -> sp.Expr:
        profile = list(rest)
        profile.insert(i, s)
        return model.payoffs[tuple(profile)][i].xreplace(on_chart)

    rhs, differences = [], {}
    k = 0
    for i, m in enumerate(model.shape):
        if m == 2:
            d = _polynomial_in_states(
                model, i, shares, states, lambda rest, i=i: payoff(i, 0, rest) - payoff(i, 1, rest)
            )
            differences[i] = d
            x = states[k]
            rhs.append(sp.Mul(x, 1 - x, d, evaluate=False) if d != 0 else sp.Integer(0))
        else:
            f = [
                _polynomial_in_states(model, i, shares, states, lambda rest, i=i, s=s: payoff(i, s, rest))
                for s in range(m)
            ]
            mean = sp.Add(*(shares[i][s] * f[s] for s in range(m)))
            for s in range(m - 1):
                rhs.append(sp.Mul(states[k + s], f[s] - mean, evaluate=False))
        k += m - 1
    result = ReplicatorEquations(model, states, coords, tuple(rhs), differences)
    memo["equations"] = result
    return result
