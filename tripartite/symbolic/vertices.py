"""Vertices (pure profiles): eigenvalues, stability conditions and their verdicts.

At a pure profile :math:`s` the Jacobian of the replicator dynamics is
triangular; its eigenvalues are the deviation gains
:math:`u_i(t, s_{-i}) - u_i(s)`, one for every player ``i`` and alternative
:math:`t \\ne s_i` (all real).  The vertex is asymptotically stable if and
only if every one is negative (a strict equilibrium; in multi-population
replicator dynamics no other rest point can be asymptotically stable:
Selten 1980, Ritzberger & Weibull 1995).  Each condition :math:`\\lambda < 0`
is printed with the terms moved so that both sides read positively, and is
decided over the declared parameter ranges
(:mod:`~tripartite.symbolic.verdicts`), alone and jointly with the other
conditions of its vertex.

These expressions are the one symbolic source of the deviation gains: the
sweep's kernel, thresholds, escapes and packages (:mod:`tripartite.sweep`)
take their conditions from :func:`vertex_eigenvalues`.  Numerically they are
:func:`tripartite.game.vertex_gains`.

Examples
--------
>>> from tripartite import load_model
>>> low = vertex_analysis(load_model("baseline"))[(1, 1, 1)]
>>> print(low.conditions[1].inequality)
R*p + ell + r < m
>>> low.conditions[1].status
'depends'
"""

from __future__ import annotations

import weakref
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import sympy as sp

from ..expr import to_text
from ..game import DEFAULT_TOL
from ..model import Model
from .exact import classify_signs, compact, exact_values, model_cache, sign_of
from .verdicts import ParameterBox, decide_negative, joint_status

__all__ = [
    "compact_eigenvalues",
    "Condition",
    "VertexAnalysis",
    "VertexEvaluation",
    "evaluate_vertices",
    "vertex_analysis",
    "vertex_eigenvalues",
]


def vertex_eigenvalues(model: Model) -> dict[tuple[int, ...], list[sp.Expr]]:
    """Eigenvalue expressions at every vertex (expanded).

    Returns
    -------
    dict
        Profile (strategy indices) -> list of ``sum(s_i - 1)`` expressions: for
        each player in order, the gain of each alternative strategy in order.
        The order matches :func:`tripartite.dynamics.stability.vertex_eigenvalues`.

    Examples
    --------
    >>> from tripartite import load_model
    >>> vertex_eigenvalues(load_model("baseline"))[(1, 1, 1)][1]
    R*p + ell - m + r
    """
    from .cache import memo as disk_memo

    memo = model_cache(model)
    if "vertex_eigenvalues" not in memo:
        memo["vertex_eigenvalues"] = {
            profile: [disk_memo("expand", [e], "", lambda e=e: sp.expand(e)) for e in exprs]
            for profile, exprs in _raw_gains(model).items()
        }
    return {k: list(v) for k, v in memo["vertex_eigenvalues"].items()}


def compact_eigenvalues(model: Model) -> dict[tuple[int, ...], list[sp.Expr]]:
    """Eigenvalue expressions at every vertex, each in its most compact form (cached per model).

    The forms :attr:`VertexAnalysis.eigenvalues` shows, without the cost of
    the verdicts; the order of :func:`vertex_eigenvalues`.

    Examples
    --------
    >>> from tripartite import load_model
    >>> compact_eigenvalues(load_model("baseline"))[(1, 1, 1)][1]
    R*p + ell - m + r
    """
    memo = model_cache(model)
    if "compact_eigenvalues" not in memo:
        memo["compact_eigenvalues"] = {
            profile: [compact(g) for g in gains] for profile, gains in _raw_gains(model).items()
        }
    return {k: list(v) for k, v in memo["compact_eigenvalues"].items()}


def _raw_gains(model: Model) -> dict[tuple[int, ...], list[sp.Expr]]:
    out = {}
    for profile in model.profiles():
        at = model.state_values(profile)  # payoffs that depend on the state: at the vertex itself
        values = []
        for i, m in enumerate(model.shape):
            own = model.payoffs[profile][i].xreplace(at)
            for t in range(m):
                if t != profile[i]:
                    other = profile[:i] + (t,) + profile[i + 1 :]
                    values.append(model.payoffs[other][i].xreplace(at) - own)
        out[profile] = values
    return out


def _deviations(model: Model, profile: tuple[int, ...]) -> tuple[tuple[int, int], ...]:
    return tuple((i, t) for i, m in enumerate(model.shape) for t in range(m) if t != profile[i])


@dataclass(frozen=True)
class Condition:
    """One eigenvalue's stability condition ``eigenvalue < 0``.

    Attributes
    ----------
    eigenvalue : sympy.Expr
        The eigenvalue, in its most compact form.
    inequality : sympy.Rel
        ``eigenvalue < 0`` with negative terms moved to the right-hand side.
    status : str
        One of :data:`STATUSES`, over the declared parameter ranges.
    """

    eigenvalue: sp.Expr
    inequality: sp.Rel
    status: str

    def __str__(self) -> str:
        return f"{to_text(self.inequality)}  [{self.status}]"

    def __repr__(self) -> str:
        return f"<Condition {to_text(self.inequality)} [{self.status}]>"


@dataclass(frozen=True)
class VertexAnalysis:
    """Eigenvalues and stability conditions of one vertex (pure profile).

    Attributes
    ----------
    profile : tuple of int
        Strategy indices.
    strategies : tuple of str
        Strategy names, one per player.
    deviations : tuple of (player, strategy)
        The unilateral deviation behind each eigenvalue.
    conditions : tuple of Condition
        One per eigenvalue, in the order of :func:`vertex_eigenvalues`.
    status : str
        Verdict on the joint condition (every eigenvalue negative), one of
        :data:`~tripartite.symbolic.verdicts.STATUSES`: can this vertex be
        asymptotically stable within the declared ranges?  A statement about
        the ranges; the vertex's classification at a point is
        :attr:`VertexEvaluation.classification`.
    model : Model or None
        The model, while it exists (it names the deviations and typesets the
        symbols in displays; held weakly, as the analysis is cached per model).
    """

    profile: tuple[int, ...]
    strategies: tuple[str, ...]
    deviations: tuple[tuple[int, int], ...]
    conditions: tuple[Condition, ...]
    status: str
    _model: Any = field(default=None, compare=False)  # weakref.ref to the model

    @property
    def model(self) -> Model | None:
        return self._model() if self._model is not None else None

    def __reduce__(self):
        # the weak link to the model is not kept in a pickle or a copy
        return (type(self), (self.profile, self.strategies, self.deviations, self.conditions, self.status))

    @property
    def eigenvalues(self) -> tuple[sp.Expr, ...]:
        return tuple(c.eigenvalue for c in self.conditions)

    def deviation_names(self) -> list[str]:
        """Each eigenvalue's deviation as text, ``"worker to enroll"``."""
        m = self.model
        if m is None:
            return [f"player {i + 1} to strategy {t + 1}" for i, t in self.deviations]
        return [f"{m.players[i]} to {m.strategies[i][t]}" for i, t in self.deviations]

    def _repr_html_(self) -> str:
        from ..display import html_table
        from ..io.latex import latex_expr, latex_symbols

        model = self.model
        symbols = latex_symbols(model) if model is not None else {}
        rows = [
            [
                deviation,
                f"${latex_expr(c.eigenvalue, symbols)}$",
                f"${latex_expr(c.inequality, symbols)}$",
                c.status,
            ]
            for deviation, c in zip(self.deviation_names(), self.conditions)
        ]
        caption = f"vertex ({', '.join(self.strategies)}): can be stable: {self.status}"
        return html_table(["deviation", "eigenvalue", "condition (eigenvalue < 0)", "holds"], rows, caption)

    def __repr__(self) -> str:
        return (
            f"<VertexAnalysis ({', '.join(self.strategies)}): {len(self.conditions)} eigenvalues, "
            f"can be stable: {self.status}>"
        )


def vertex_analysis(model: Model) -> dict[tuple[int, ...], VertexAnalysis]:
    """Eigenvalues, simplified stability conditions and their verdicts at every vertex.

    Cached per model.

    Examples
    --------
    >>> from tripartite import load_model
    >>> a = vertex_analysis(load_model("baseline"))[(1, 0, 0)]
    >>> print(a.conditions[0].inequality), a.conditions[0].status
    C*d*rho < C + s + t
    (None, 'always inside')
    """
    memo = model_cache(model)
    if "vertex_analysis" in memo:
        return memo["vertex_analysis"]
    box = ParameterBox(model)
    out = {}
    compacts = compact_eigenvalues(model)
    for profile, gains in _raw_gains(model).items():
        conditions = []
        for gain, eigenvalue in zip(gains, compacts[profile]):
            status = decide_negative(eigenvalue, box, forms=[gain])
            conditions.append(Condition(eigenvalue, _inequality(eigenvalue), status))
        status = joint_status([c.eigenvalue for c in conditions], [c.status for c in conditions], box)
        names = tuple(model.strategies[i][k] for i, k in enumerate(profile))
        out[profile] = VertexAnalysis(
            profile, names, _deviations(model, profile), tuple(conditions), status, weakref.ref(model)
        )
    memo["vertex_analysis"] = out
    return out


@dataclass(frozen=True)
class VertexEvaluation:
    """A vertex at one parameter point.

    Attributes
    ----------
    profile : tuple of int
    values : tuple of sympy numbers
        The eigenvalues, exactly.
    signs : tuple of int
        -1, 0 or +1 each (exact for rational values, else within ``tol``).
    classification : str
        One of :data:`tripartite.dynamics.CLASSIFICATIONS`, from the signs by
        the rule of :func:`tripartite.dynamics.stability.classify`.
    """

    profile: tuple[int, ...]
    values: tuple[sp.Expr, ...]
    signs: tuple[int, ...]
    classification: str


def evaluate_vertices(
    model: Model, values: Mapping[str, Any] | None = None, tol: float = DEFAULT_TOL
) -> dict[tuple[int, ...], VertexEvaluation]:
    """Every vertex's eigenvalues, their signs and its classification at one point.

    Parameters not in ``values`` take their defaults; decimals are read
    exactly, so with rational inputs the signs are exact.

    Examples
    --------
    >>> from tripartite import load_model
    >>> evaluate_vertices(load_model("baseline"))[(1, 1, 1)].classification
    'asymptotically stable'
    """
    subs = exact_values(model, values)
    out = {}
    for profile, analysis in vertex_analysis(model).items():
        numbers = tuple(sp.sympify(e).xreplace(subs) for e in analysis.eigenvalues)
        signs = tuple(sign_of(v, tol) for v in numbers)
        out[profile] = VertexEvaluation(profile, numbers, signs, classify_signs(signs))
    return out


def _inequality(expr: sp.Expr) -> sp.Rel:
    """``expr < 0`` with negative terms moved to the right: ``p*R + r < m``."""
    left, right = [], []
    for term in sp.Add.make_args(expr):
        (right.append(-term) if term.could_extract_minus_sign() else left.append(term))
    return sp.StrictLessThan(sp.Add(*left), sp.Add(*right), evaluate=False)
