"""Policy levers: which parameters they are, what moving one costs, the eigenvalues along them.

Everything in :mod:`~tripartite.sweep.regime_changes`, :mod:`~tripartite.sweep.escape`
and :mod:`~tripartite.sweep.package` rests on the vertex eigenvalues
:math:`g_{v,k}(\\theta)` (the deviation gains at vertex :math:`v`, as sympy
expressions of the parameters :math:`\\theta`, from
:func:`tripartite.symbolic.vertex_eigenvalues`): vertex :math:`v` is
asymptotically stable exactly when every :math:`g_{v,k} < 0`.  With every
parameter but the levers fixed at its exact value
(:func:`fixed_eigenvalues`), they are functions of the levers alone.

**Default cost: the fiscal cost, in money.**  A model with a ``[fiscal]``
table (the public purse's net receipts :math:`F(v; \\theta)` at each vertex,
:class:`~tripartite.model.FiscalAccount`) costs a package by what the
government and the funds pay or forgo at the state it leads to, relative to
the low state: :math:`F(\\ell; \\theta^0) - F(T; \\theta)` at the target
:math:`T` with the levers at the package (:func:`fiscal_cost`), in the
account's unit (yuan per worker-month for the built-in models).

**Otherwise: the government's fiscal exposure.**  Without a ``[fiscal]``
table, unless weights are given, :math:`w_l = \\max_s |\\partial u_{gov}(s) / \\partial l|` at the
current values: the most one unit of the lever can move the government's
payoff at any profile (1 per yuan of subsidy or tax credit; :math:`q_{eff}`
per yuan of penalty; 0 for levers that never touch the government's budget,
such as nudges, which are then priced by the tie-break only).  The government
is the player called ``government``, else the first player.

Examples
--------
>>> from tripartite import load_model
>>> model = load_model("baseline")
>>> fixed_eigenvalues(model, current_values(model, {}), ["m"])[(1, 1, 1)]
[-73/2, 40 - m, -332]
"""

from __future__ import annotations

import functools
import math
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import sympy as sp

from ..errors import ParameterError
from ..model import Model, numeric_function
from ..symbolic import vertex_eigenvalues
from ..symbolic.exact import rational
from .regimes import eigenvalue_labels

__all__ = [
    "DEFAULT_MARGIN",
    "cost_weights",
    "POLICY_LEVERS",
    "current_values",
    "default_levers",
    "describe_eigenvalue",
    "fiscal_cost",
    "fiscal_receipts",
    "fiscal_weights",
    "fixed_eigenvalues",
    "payoff_scale",
]

#: Policy levers of the built-in models (section 5 of the seed paper), by model name: the same
#: lists the models declare (their ``levers`` key), kept for models read without it.
POLICY_LEVERS: dict[str, tuple[str, ...]] = {
    "baseline": ("s", "c", "phi", "m", "theta", "k", "t", "r", "f", "q", "d", "rho", "nu"),
    # extended adds the portability of intermittent accrual (5.1) and penalties on formal-only cover
    "extended": ("s", "c", "phi", "port", "m", "theta", "k", "t", "r", "f", "f_F", "q", "d", "rho", "nu"),
}


#: Default strictness margin of a package, as a fraction of the game's payoff scale (1 %).
DEFAULT_MARGIN = 0.01


def payoff_scale(model: Model, values: Mapping[str, Any] | None = None) -> float:
    """The game's payoff scale at ``values``: the largest range of one player's payoffs.

    :math:`\\sigma = \\max_i (\\max_s u_i(s) - \\min_s u_i(s))` over the pure profiles
    (:attr:`tripartite.game.Game.payoff_scale`, the package's one definition; for
    payoffs that depend on the state, over the tables at every vertex state), 1 when
    every player's payoffs are equal.  It does not change when a
    constant is added to one player's payoffs and scales with the payoffs' unit, so
    a margin ``DEFAULT_MARGIN * sigma`` means the same whatever the currency.

    Examples
    --------
    >>> from tripartite import load_model
    >>> model = load_model("baseline")
    >>> u = model.game().payoffs[0]
    >>> payoff_scale(model) == max(float(u[i].max() - u[i].min()) for i in range(3))
    True
    """
    return float(model.game(values or {}).payoff_scale[0])


def current_values(model: Model, values: Mapping[str, Any] | None) -> dict[str, float]:
    """Every parameter's value at one point (defaults, overridden by ``values``), checked."""
    resolved = model.resolve(values or {})
    out = {}
    for name, arr in resolved.items():
        if np.ndim(arr) != 0:
            raise ParameterError(f"parameter {name!r}: give one value, not an array")
        out[name] = float(arr)
    return out


def fixed_eigenvalues(
    model: Model,
    current: Mapping[str, float],
    free: Sequence[str],
    vertices: Sequence[tuple[int, ...]] | None = None,
) -> dict[tuple[int, ...], list[sp.Expr]]:
    """Vertex eigenvalues with every parameter but ``free`` replaced by its exact value.

    Only the parameters that occur in the eigenvalues are replaced; with ``vertices``, only
    those vertices are returned (each one costs a symbolic expansion of its eigenvalues).
    """
    eigenvalues = vertex_eigenvalues(model)
    if vertices is not None:
        eigenvalues = {v: eigenvalues[v] for v in vertices}
    occurring = {s for exprs in eigenvalues.values() for e in exprs for s in e.free_symbols}
    subs = {
        model.symbols[n]: rational(v)
        for n, v in current.items()
        if n not in free and model.symbols[n] in occurring
    }
    return {v: [sp.expand(e.xreplace(subs)) for e in exprs] for v, exprs in eigenvalues.items()}


def describe_eigenvalue(
    model: Model, names: Mapping[tuple[int, ...], str], vertex: tuple[int, ...], k: int
) -> str:
    """Eigenvalue ``k`` of ``vertex`` in words: ``"worker's gain from lapse -> enroll at low"``."""
    player, own, alt = eigenvalue_labels(model)[vertex][k]
    return f"{player}'s gain from {own} -> {alt} at {names[vertex]}"


def default_levers(model: Model, vertices: Sequence[tuple[int, ...]] | None = None) -> list[str]:
    """The policy levers of a model.

    The levers the model declares (its scenario's ``levers`` key); else, for
    a built-in model, :data:`POLICY_LEVERS`; otherwise every parameter.  With ``vertices``, only the levers that enter
    the eigenvalues of those vertices (the others cannot change their stability).

    Examples
    --------
    >>> from tripartite import load_model
    >>> default_levers(load_model("baseline"), [(1, 1, 1)])
    ['c', 'phi', 'm', 'r', 'f', 'q', 'd', 'rho', 'nu']
    """
    declared = model.levers or POLICY_LEVERS.get(model.name, model.parameter_names)
    names = [n for n in declared if n in model.parameter_names]
    if vertices is None:
        return names
    eig = vertex_eigenvalues(model)
    used = set()
    for v in vertices:
        for e in eig[v]:
            used |= {s.name for s in e.free_symbols}
    return [n for n in names if n in used]


def _government(model: Model) -> int:
    return model.players.index("government") if "government" in model.players else 0


def fiscal_weights(
    model: Model, levers: Sequence[str], values: Mapping[str, Any] | None = None
) -> dict[str, float]:
    """Default cost weights: the government's fiscal exposure to each lever.

    ``w_l = max over profiles |d u_gov / d l|`` at the current values.

    Examples
    --------
    >>> from tripartite import load_model
    >>> w = fiscal_weights(load_model("baseline"), ["s", "t", "f", "nu"])
    >>> w["s"], w["t"], round(w["f"], 6), w["nu"]
    (1.0, 1.0, 0.28, 0.0)
    """
    current = current_values(model, values)
    subs = {model.symbols[n]: v for n, v in current.items()}
    g = _government(model)
    out = {}
    for lever in levers:
        x = model.symbols[model.parameter(lever).name]
        best = 0.0
        for prof in model.profiles():
            d = sp.diff(model.payoffs[prof][g], x)
            if d != 0:
                best = max(best, abs(float(d.xreplace(subs))))
        out[lever] = best
    return out


def cost_weights(
    model: Model, levers: Sequence[str], values: Mapping[str, Any] | None, costs: Mapping[str, float] | None
) -> tuple[dict[str, float], str]:
    """Cost weight per lever, and the basis in words: the ``costs`` given, else :func:`fiscal_weights`.

    The weights ``tripartite escape --cost`` and ``escape --temporary`` use.

    Examples
    --------
    >>> from tripartite import load_model
    >>> cost_weights(load_model("baseline"), ["s", "nu"], None, {"nu": 50})
    ({'s': 1.0, 'nu': 50.0}, 'given weights; fiscal exposure for the rest')
    """
    weights = fiscal_weights(model, levers, values)
    for name, w in (costs or {}).items():
        if name not in levers:
            raise ParameterError(
                f"cost given for {name!r}, which is not one of the levers ({', '.join(levers)})"
            )
        if not (float(w) >= 0 and math.isfinite(float(w))):
            raise ParameterError(f"cost weight of {name!r} must be a non-negative number")
        weights[name] = float(w)
    if not costs:
        return weights, "fiscal exposure"
    given = "given weights" if len(costs) == len(levers) else "given weights; fiscal exposure for the rest"
    return weights, given


def fiscal_cost(
    model: Model,
    target: Sequence[int],
    low: Sequence[int],
    current: Mapping[str, float],
    levers: Sequence[str],
) -> sp.Expr:
    """The fiscal cost of reaching ``target``, relative to ``low``, as an expression of the levers.

    :math:`F(\\ell; \\theta^0) - F(T; \\theta)`: the public purse's net
    receipts at the low vertex at the current values, minus those at the
    target with the levers free (every other parameter at its current
    value, state shares at their vertex values); positive when the purse
    pays or forgoes money there.  The model must have a ``[fiscal]`` table.

    Examples
    --------
    >>> from tripartite import load_model
    >>> m = load_model("baseline")
    >>> fiscal_cost(m, (1, 1, 0), (1, 1, 1), current_values(m, {}), ["c"])  # enrolled: B - c
    2400 - c
    """
    if model.fiscal is None:
        raise ParameterError(f"model {model.name!r} has no [fiscal] table: give cost weights")
    subs = {model.symbols[n]: rational(v) for n, v in current.items()}
    free = {model.symbols[n]: rational(v) for n, v in current.items() if n not in levers}

    def at(profile, values):
        expr = model.fiscal.budget[tuple(profile)].xreplace(model.state_values(profile))
        return expr.xreplace(values)

    return sp.expand(at(low, subs) - at(target, free))


def fiscal_receipts(model: Model, values: Mapping[str, Any] | None = None) -> np.ndarray:
    """The public purse's net receipts :math:`F(s; \\theta)` at every pure profile, as numbers.

    The ``[fiscal]`` table evaluated at ``values`` (defaults otherwise; arrays give a batch),
    each profile's state shares at their vertex values, as for :func:`fiscal_cost`.  The
    expected receipts at a mixed state :math:`x` are the multilinear extension
    :math:`\\sum_s \\prod_i x_{i,s_i} F(s; \\theta)`.

    Returns
    -------
    ndarray, shape (batch, s_1, ..., s_N)
        In the account's unit (``model.fiscal.unit``).

    Examples
    --------
    >>> from tripartite import load_model
    >>> m = load_model("baseline")
    >>> float(fiscal_receipts(m)[0, 1, 1, 1])  # (passive, shirk, lapse): nothing in, nothing out
    0.0
    """
    if model.fiscal is None:
        raise ParameterError(f"model {model.name!r} has no [fiscal] table: give cost weights")
    resolved = model.resolve(values or {})
    batch = max((np.size(v) for v in resolved.values()), default=1)
    point = [np.broadcast_to(np.asarray(resolved[n], dtype=float), (batch,)) for n in model.parameter_names]
    found = _receipts_function(model)(*point)
    rows = [np.broadcast_to(np.asarray(v, dtype=float), (batch,)) for v in found]
    return np.stack(rows, axis=1).reshape(batch, *model.shape)


@functools.lru_cache(maxsize=8)
def _receipts_function(model: Model):
    """The ``[fiscal]`` table as one numpy function of the parameters, profiles in C order."""
    args = [model.symbols[n] for n in model.parameter_names]
    exprs = [model.fiscal.budget[tuple(v)].xreplace(model.state_values(v)) for v in np.ndindex(*model.shape)]
    return numeric_function(args, exprs)
