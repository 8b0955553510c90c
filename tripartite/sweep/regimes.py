"""Regimes: which vertices are asymptotically stable at each parameter point.

At a vertex (pure profile) :math:`s` the eigenvalues of the replicator
dynamics are the deviation gains :math:`g_{i,t}(s) = u_i(t, s_{-i}) - u_i(s)`
(:func:`tripartite.game.vertex_gains`; see :mod:`tripartite.dynamics.stability`).
The *deciding* eigenvalue of a vertex is its largest, the stability margin
:math:`M(s) = \\max_{i,t} g_{i,t}(s)` (:func:`tripartite.game.deviation_gains`,
maximised over the players): the vertex is asymptotically stable exactly when
:math:`M(s) < 0`.  Each margin is classified by
:func:`tripartite.dynamics.stability.classify` with a tolerance on payoff
differences (:func:`margin_codes`) that is **relative to the payoff scale**:
:math:`\\tau = tol \\cdot \\sigma` at each point, where :math:`\\sigma` is the
largest range of one player's payoffs there (:func:`tripartite.game.payoff_scale`,
the package's one definition; :func:`payoff_scales`).  Multiplying every payoff by
a positive constant, or adding a constant to one player's payoffs, multiplies
:math:`M(s)` and :math:`\\tau` alike or leaves both alone, so it never changes a
label.  A vertex is

- **asymptotically stable** (a strict Nash equilibrium) when :math:`M(s) < -\\tau`;
- a **pure Nash equilibrium** when :math:`M(s) \\le \\tau` (strict or not);
- decided by a **non-hyperbolic** eigenvalue when :math:`|M(s)| \\le \\tau`: its
  deciding eigenvalue is zero within the tolerance and none is positive, so
  linearisation cannot say whether it is stable.

The *regime* of a point is a statement about the parameter point, not a
classification of a vertex: the set of asymptotically stable vertices, named
for people: ``"low only"``, ``"low and high (bistable)"``, ``"high only"``,
``"no stable vertex"``; and ``"boundary"`` where some vertex's deciding
eigenvalue is within the tolerance of zero, i.e. a non-hyperbolic vertex decides
the regime (such a point lies between regimes and is never assigned to either
side).  Vertices a scenario names in its ``[profiles]`` table have those
names (the built-in models name ``low``, the seed paper's low equilibrium, and
``high``); any other vertex is named by its strategies, ``passive/share/lapse``.

**The specialised kernel.**  The sweep evaluates the eigenvalues through
:class:`EigenvalueKernel`: the *symbolic* vertex eigenvalues
(:func:`tripartite.symbolic.vertex_eigenvalues`), lambdified once per model.
Differences of payoffs are formed exactly before any rounding, and only the
eigenvalues that depend on the varied parameters cost array operations, which
makes it faster than evaluating the game and calling the numeric kernel (for
50,000 points varying two levers: about 9 times on the baseline, 50 times on
the extended model).  Its numbers are those of
:func:`tripartite.game.vertex_gains` and :func:`tripartite.game.deviation_gains`
(``tests/sweep/test_regimes.py`` checks the identity at random points).

Examples
--------
>>> from tripartite import load_model
>>> model = load_model("baseline")
>>> reg = classify_points(model, {"k": 0.3, "nu": [0.0, 0.3, 0.6]})
>>> reg.labels()
['low only', 'low and high (bistable)', 'high only']
"""

from __future__ import annotations

import math
import weakref
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Any

import numpy as np

from ..dynamics.stability import ASYMPTOTICALLY_STABLE, NON_HYPERBOLIC, classify
from ..errors import TripartiteError, UndefinedPayoffError
from ..game import DEFAULT_TOL, payoff_scale
from ..model import Model, numeric_function
from ..symbolic import vertex_eigenvalues

if TYPE_CHECKING:  # pandas is imported where tables are built: thresholds and stability need none
    import pandas as pd

__all__ = [
    "DEFAULT_TOL",
    "BOUNDARY",
    "NO_STABLE",
    "Regimes",
    "EigenvalueKernel",
    "classify_points",
    "eigenvalue_labels",
    "margin_codes",
    "parse_profile",
    "payoff_scales",
    "profile_text",
    "regime_label",
    "vertex_names",
]

#: Regime of a point where some vertex's deciding eigenvalue is within ``tol`` of zero
#: (a non-hyperbolic vertex decides the regime).
BOUNDARY = "boundary"
#: Regime of a point where no vertex is asymptotically stable.
NO_STABLE = "no stable vertex"

#: Declared names shown first in lists of vertices, in this order (then the others, by index).
_NAMED_FIRST = ("low", "high")


def profile_text(strategies: Sequence[Sequence[str]], profile: Sequence[int]) -> str:
    """A profile written with its strategy names, ``passive/shirk/lapse``."""
    return "/".join(strategies[i][k] for i, k in enumerate(profile))


def vertex_names(model: Model, names: Mapping[Any, str] | None = None) -> dict[tuple[int, ...], str]:
    """Display name of every vertex: the name the model declares (``[profiles]``), else its strategies.

    Parameters
    ----------
    model : Model
    names : mapping, optional
        Extra names: profile (index tuple, or strategy names) -> name; they
        take precedence over the declared ones.

    Examples
    --------
    >>> from tripartite import load_model
    >>> vertex_names(load_model("baseline"))[(1, 1, 1)]
    'low'
    >>> vertex_names(load_model("baseline"))[(0, 0, 0)]
    'active/share/enroll'
    """
    out = {prof: profile_text(model.strategies, prof) for prof in model.profiles()}
    for name, prof in model.named_profiles.items():
        out[prof] = name
    for key, name in (names or {}).items():
        out[parse_profile(model, key if isinstance(key, str) else ",".join(map(str, key)))] = str(name)
    return out


def parse_profile(model: Model, text: str | Sequence[int]) -> tuple[int, ...]:
    """A vertex from ``"passive,shirk,lapse"`` (or ``/``-separated), a declared name, or indices.

    Examples
    --------
    >>> from tripartite import load_model
    >>> m = load_model("baseline")
    >>> parse_profile(m, "high"), parse_profile(m, "passive, shirk, lapse")
    ((1, 0, 0), (1, 1, 1))
    """
    if not isinstance(text, str):
        prof = tuple(int(k) for k in text)
        if len(prof) != model.n_players or any(not 0 <= k < m for k, m in zip(prof, model.shape)):
            raise TripartiteError(f"{prof} is not a profile of model {model.name!r}")
        return prof
    friendly = model.named_profiles
    if text.strip() in friendly:
        return friendly[text.strip()]
    sep = "," if "," in text else "/"
    parts = [p.strip() for p in text.split(sep)]
    if len(parts) != model.n_players:
        known = f" or one of {', '.join(friendly)}" if friendly else ""
        raise TripartiteError(
            f"profile {text!r}: give one strategy per player ({', '.join(model.players)}), "
            f"separated by commas{known}"
        )
    prof = []
    for player, names, part in zip(model.players, model.strategies, parts):
        if part not in names:
            raise TripartiteError(
                f"profile {text!r}: {part!r} is not a strategy of {player!r} ({', '.join(names)})"
            )
        prof.append(names.index(part))
    return tuple(prof)


def eigenvalue_labels(model: Model) -> dict[tuple[int, ...], list[tuple[str, str, str]]]:
    """For each vertex, what each eigenvalue means: (player, from strategy, to strategy).

    The order matches :func:`tripartite.symbolic.vertex_eigenvalues`.

    Examples
    --------
    >>> from tripartite import load_model
    >>> eigenvalue_labels(load_model("baseline"))[(1, 1, 1)][2]
    ('worker', 'lapse', 'enroll')
    """
    out = {}
    for prof in model.profiles():
        items = []
        for i, m in enumerate(model.shape):
            for t in range(m):
                if t != prof[i]:
                    items.append((model.players[i], model.strategies[i][prof[i]], model.strategies[i][t]))
        out[prof] = items
    return out


def regime_label(stable: Sequence[str], boundary: bool = False) -> str:
    """The regime of a point from the names of its stable vertices.

    ``boundary``: some vertex's deciding eigenvalue is within the tolerance of
    zero (a non-hyperbolic vertex decides the regime); the label is then
    :data:`BOUNDARY` whatever is stable.

    Examples
    --------
    >>> regime_label(["low"]), regime_label(["low", "high"]), regime_label([])
    ('low only', 'low and high (bistable)', 'no stable vertex')
    >>> regime_label(["a", "b", "c"]), regime_label(["low"], boundary=True)
    ('a, b and c (multistable)', 'boundary')
    """
    if boundary:
        return BOUNDARY
    if not stable:
        return NO_STABLE
    if len(stable) == 1:
        return f"{stable[0]} only"
    if len(stable) == 2:
        return f"{stable[0]} and {stable[1]} (bistable)"
    return f"{', '.join(stable[:-1])} and {stable[-1]} (multistable)"


def margin_codes(margin: np.ndarray | float, tol: float | np.ndarray = DEFAULT_TOL) -> np.ndarray:
    """Classification codes of deciding eigenvalues (stability margins), by :func:`classify`.

    ``tol`` is in payoff units: a number, or one per point (``tol * payoff_scale``,
    broadcasting against ``margin``).

    The margin of a vertex is its largest eigenvalue, so its code is
    ``ASYMPTOTICALLY_STABLE`` exactly when the vertex is asymptotically stable,
    ``NON_HYPERBOLIC`` when the margin is within ``tol`` of zero (the vertex's
    stability is decided by a zero eigenvalue: a weak equilibrium), and
    ``UNSTABLE`` when some eigenvalue exceeds ``tol`` (the vertex is unstable,
    whatever the other eigenvalues say).  Codes index
    :data:`tripartite.dynamics.CLASSIFICATIONS`.

    Examples
    --------
    >>> margin_codes(np.array([-1.0, 0.0, 2.0])).tolist()
    [0, 3, 1]
    """
    return classify(np.asarray(margin, dtype=float)[..., np.newaxis], tol)


class EigenvalueKernel:
    """Vertex eigenvalues of a model at a batch of points, from the symbolic expressions.

    A specialised path to the numbers of the numeric kernel: the eigenvalues
    are those of :func:`tripartite.game.vertex_gains` (each player's gain from
    each alternative strategy, in the order of
    :func:`tripartite.symbolic.vertex_eigenvalues`) and the margins those of
    :func:`tripartite.game.deviation_gains` maximised over the players, at the
    same points (a test checks the identity).  The expressions are lambdified
    once (with common subexpressions shared); calling the kernel with resolved
    parameter values (``Model.resolve``) gives the numbers.  Expressions that
    do not involve a varied parameter stay scalars, which is where the speed
    comes from (see the module docstring).

    Examples
    --------
    >>> from tripartite import load_model
    >>> model = load_model("baseline")
    >>> kernel = kernel_for(model)
    >>> kernel.eigenvalues(model.resolve({}))[(0, 1, 1, 1)].tolist()
    [-36.5, -20.0, -332.0]
    """

    def __init__(self, model: Model):
        self.parameter_names = model.parameter_names
        self.shape = model.shape
        self.profiles = model.profiles()
        expressions = vertex_eigenvalues(model)
        self.expressions = [expressions[p] for p in self.profiles]
        self.n_eigenvalues = len(self.expressions[0]) if self.expressions else 0
        flat = [e for exprs in self.expressions for e in exprs]
        args = [model.symbols[name] for name in model.parameter_names]
        self._function = numeric_function(args, flat, cse=True)

    def _raw(self, resolved: Mapping[str, np.ndarray]) -> list:
        return self._function(*(resolved[name] for name in self.parameter_names))

    @staticmethod
    def _batch(resolved: Mapping[str, np.ndarray]) -> int:
        return max((np.shape(v)[0] for v in resolved.values() if np.ndim(v) == 1), default=1)

    def margins(self, resolved: Mapping[str, np.ndarray]) -> np.ndarray:
        """Stability margin (largest eigenvalue) of every vertex, shape ``(P, batch)``."""
        batch = self._batch(resolved)
        raw = self._raw(resolved)
        d = self.n_eigenvalues
        out = np.empty((len(self.profiles), batch))
        for v in range(len(self.profiles)):
            values = raw[v * d : (v + 1) * d]
            if d == 0:
                out[v] = -np.inf
                continue
            m = values[0]
            for x in values[1:]:
                m = np.maximum(m, x)
            out[v] = m
        return out

    def eigenvalues(self, resolved: Mapping[str, np.ndarray]) -> np.ndarray:
        """Every vertex eigenvalue, shape ``(batch, s_1, ..., s_N, D)``."""
        batch = self._batch(resolved)
        raw = self._raw(resolved)
        out = np.empty((batch, len(raw)))
        for j, value in enumerate(raw):
            out[:, j] = value
        return out.reshape((batch, *self.shape, self.n_eigenvalues))


@dataclass(frozen=True, eq=False)
class Regimes:
    """Stability of every vertex and the regime, at each point of a batch.

    Attributes
    ----------
    profiles : list of tuple of int
        The vertices, in lexicographic order (``P`` of them).
    names : list of str
        Display name of each vertex.
    margin : ndarray, shape (P, batch)
        Largest vertex eigenvalue (deviation gain) of each vertex: its deciding eigenvalue.
    tol : float
        Tolerance on payoff differences, relative to the payoff scale.
    scale : ndarray, shape (batch,)
        The payoff scale at each point (:func:`payoff_scales`); the tolerance in
        payoff units there is ``tol * scale`` (:attr:`tolerance`).
    """

    profiles: list[tuple[int, ...]]
    names: list[str]
    margin: np.ndarray
    tol: float
    scale: np.ndarray
    method: str = "vertex eigenvalues (deviation gains) from the symbolic expressions"

    @property
    def tolerance(self) -> np.ndarray:
        """The tolerance in payoff units at each point, ``tol * scale``, shape ``(batch,)``."""
        return float(self.tol) * np.asarray(self.scale, dtype=float)

    @property
    def batch_size(self) -> int:
        return self.margin.shape[1]

    @cached_property
    def codes(self) -> np.ndarray:
        """Classification code of each vertex's deciding eigenvalue, int8 ``(P, batch)``.

        From :func:`margin_codes` (that is, :func:`~tripartite.dynamics.stability.classify`
        applied to :attr:`margin`, with the tolerance :attr:`tolerance` of each point).
        """
        return margin_codes(self.margin, self.tolerance)

    @cached_property
    def stable(self) -> np.ndarray:
        """Asymptotically stable (strict equilibrium) vertices, bool ``(batch, P)``."""
        return (self.codes == ASYMPTOTICALLY_STABLE).T

    @cached_property
    def equilibrium(self) -> np.ndarray:
        """Pure Nash equilibria (strict or not: no eigenvalue above the tolerance), bool ``(batch, P)``."""
        codes = self.codes
        return ((codes == ASYMPTOTICALLY_STABLE) | (codes == NON_HYPERBOLIC)).T

    @cached_property
    def boundary(self) -> np.ndarray:
        """Points where a non-hyperbolic vertex decides the regime, bool ``(batch,)``.

        Some vertex's deciding eigenvalue is within the tolerance of zero (its
        margin has the code ``NON_HYPERBOLIC``).
        """
        return np.any(self.codes == NON_HYPERBOLIC, axis=0)

    def order(self) -> list[int]:
        """Vertex indices in display order: "low", then "high", then the others by index."""
        rank = {name: k for k, name in enumerate(_NAMED_FIRST)}
        return sorted(range(len(self.profiles)), key=lambda v: (rank.get(self.names[v], len(rank)), v))

    def _codes(self, mask_rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Unique rows of a (P, batch) bool mask: (unique masks (K, P), inverse (batch,))."""
        n = mask_rows.shape[0]
        if n > 62:
            masks, inverse = np.unique(mask_rows.T, axis=0, return_inverse=True)
            return masks, inverse.ravel()
        bits = np.zeros(mask_rows.shape[1], dtype=np.int64)
        for v in range(n):
            bits |= mask_rows[v].astype(np.int64) << v
        if n <= 16:  # a lookup table over all 2**n masks: linear time, no sorting
            present = np.bincount(bits, minlength=1 << n) > 0
            keys = np.flatnonzero(present)
            lookup = np.zeros(1 << n, dtype=np.int64)
            lookup[keys] = np.arange(len(keys))
            masks = ((keys[:, None] >> np.arange(n)) & 1).astype(bool)
            return masks, lookup[bits]
        keys, inverse = np.unique(bits, return_inverse=True)
        masks = ((keys[:, None] >> np.arange(n)) & 1).astype(bool)
        return masks, inverse.ravel()

    def names_of(self, mask: np.ndarray) -> list[str]:
        """Display names of the vertices a bool mask ``(P,)`` selects, in display order."""
        return [self.names[v] for v in self.order() if mask[v]]

    def columns(self) -> dict[str, Any]:
        """The output columns: regime, stable_vertices, pure_equilibria, n_stable, n_pure.

        String columns are :class:`pandas.Categorical` (few distinct values).
        """
        stable_rows = self.stable.T
        eq_rows = self.equilibrium.T
        s_masks, s_inv = self._codes(stable_rows)
        e_masks, e_inv = self._codes(eq_rows)
        s_names = [self.names_of(m) for m in s_masks]
        e_names = [self.names_of(m) for m in e_masks]
        boundary = self.boundary
        labels = [regime_label(n) for n in s_names]
        if BOUNDARY not in labels:
            labels.append(BOUNDARY)
        regime_codes = np.where(boundary, labels.index(BOUNDARY), s_inv)
        return {
            "regime": _categorical(regime_codes, labels),
            "stable_vertices": _categorical(s_inv, ["; ".join(n) for n in s_names]),
            "pure_equilibria": _categorical(e_inv, ["; ".join(n) for n in e_names]),
            "n_stable": s_masks.sum(axis=1)[s_inv].astype(np.int64),
            "n_pure": e_masks.sum(axis=1)[e_inv].astype(np.int64),
        }

    def labels(self) -> list[str]:
        """The regime label of each point."""
        return list(self.columns()["regime"].astype(str))

    def to_record(self) -> dict[str, Any]:
        """JSON-ready record: per point, the regime and the vertices (the sweep table's columns).

        Examples
        --------
        >>> from tripartite import load_model
        >>> r = classify_points(load_model("baseline"), {"k": 0.3, "nu": [0.0, 0.3]}).to_record()
        >>> r["regime"], r["stable_vertices"]
        (['low only', 'low and high (bistable)'], [['low'], ['low', 'high']])
        """
        columns = self.columns()

        def names(column: str) -> list[list[str]]:
            return [[n for n in str(text).split("; ") if n] for text in columns[column]]

        return {
            "regime": [str(r) for r in columns["regime"]],
            "stable_vertices": names("stable_vertices"),
            "pure_equilibria": names("pure_equilibria"),
            "boundary": [bool(b) for b in self.boundary],
        }

    def _repr_html_(self) -> str:
        from ..display import html_table

        columns = self.columns()
        if self.batch_size <= 20:
            rows = [
                [b, columns["regime"][b], columns["stable_vertices"][b], columns["pure_equilibria"][b]]
                for b in range(self.batch_size)
            ]
            headers = ["point", "regime", "asymptotically stable", "pure Nash equilibria"]
            return html_table(
                headers, rows, f"regimes at {self.batch_size} points (tol {self.tol:g} of the payoff scale)"
            )
        import pandas as pd

        counts = pd.Series(columns["regime"]).value_counts(sort=True)
        rows = [[label, int(n), f"{100 * n / self.batch_size:.1f}%"] for label, n in counts.items() if n]
        stable = self.stable.sum(axis=0)
        per_vertex = [[self.names[v], int(stable[v])] for v in self.order()]
        caption = f"regimes at {self.batch_size} points (tol {self.tol:g} of the payoff scale)"
        return html_table(["regime", "points", "share"], rows, caption) + html_table(
            ["vertex", "points where asymptotically stable"], per_vertex
        )

    def __repr__(self) -> str:
        import pandas as pd

        counts = pd.Series(self.columns()["regime"]).value_counts(sort=True)
        found = ", ".join(f"{label} {int(n)}" for label, n in counts.items() if n)
        return f"<Regimes at {self.batch_size} points: {found}>"


def _categorical(codes: np.ndarray, categories: list[str]) -> pd.Categorical:
    # drop unused categories, keep the order of first appearance in `categories`
    import pandas as pd

    used = np.bincount(codes, minlength=len(categories)) > 0
    remap = np.cumsum(used) - 1
    kept = [c for c, u in zip(categories, used) if u]
    if len(set(kept)) != len(kept):  # two masks with the same text (cannot happen; be safe)
        return pd.Categorical(np.asarray(categories, dtype=object)[codes])
    return pd.Categorical.from_codes(remap[codes], kept)


_KERNELS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def kernel_for(model: Model) -> EigenvalueKernel:
    """The eigenvalue kernel of a model, built once and kept while the model lives."""
    kernel = _KERNELS.get(model)
    if kernel is None:
        kernel = EigenvalueKernel(model)
        _KERNELS[model] = kernel
    return kernel


def classify_points(
    model: Model,
    values: Mapping[str, Any] | None = None,
    tol: float = DEFAULT_TOL,
    names: Mapping[Any, str] | None = None,
) -> Regimes:
    """Classify every vertex at a batch of parameter points.

    Parameters
    ----------
    model : Model
    values : mapping of parameter name to a number or 1-D array
        Arrays are varied together (point ``b`` takes element ``b`` of each);
        others keep their defaults.  Values are checked against their ranges.
    tol : float
        Tolerance on payoff differences, relative to the payoff scale at each point
        (:func:`payoff_scales`; the tolerance in payoff units is ``tol * scale``).
    names : mapping, optional
        Extra friendly vertex names (see :func:`vertex_names`).

    Examples
    --------
    >>> from tripartite import load_model
    >>> reg = classify_points(load_model("baseline"), {"nu": [0.0, 83 / 188]})
    >>> reg.labels()
    ['low only', 'boundary']
    """
    if not tol >= 0 or not math.isfinite(tol):
        raise TripartiteError("tol must be a non-negative number")
    resolved = model.resolve(values)
    kernel = kernel_for(model)
    display = vertex_names(model, names)
    margins = kernel.margins(resolved)
    return Regimes(
        kernel.profiles, [display[p] for p in kernel.profiles], margins, tol, payoff_scales(model, resolved)
    )


def payoff_scales(
    model: Model, resolved: Mapping[str, np.ndarray], payoffs: np.ndarray | None = None
) -> np.ndarray:
    """The payoff scale :math:`\\sigma` at each point of a batch, shape ``(batch,)``.

    :func:`tripartite.game.payoff_scale` (the package's one definition: the
    largest range of one player's payoffs; for payoffs that depend on the
    state, over the tables at every vertex state) of the model's payoffs at the
    resolved parameter values (:meth:`Model.resolve <tripartite.model.Model.resolve>`).
    A point where some payoff is undefined gets the scale 1 (callers mark such
    points invalid); a state-dependent game is evaluated at its defined points only.

    Parameters
    ----------
    model : Model
    resolved : mapping
        Every parameter's value, from :meth:`Model.resolve <tripartite.model.Model.resolve>`.
    payoffs : ndarray, optional
        The payoffs with every state share at 0 (``Model._payoff_values``), when the
        caller has them already.

    Examples
    --------
    >>> from tripartite import load_model
    >>> model = load_model("baseline")
    >>> payoff_scales(model, model.resolve({"nu": [0.0, 1.0]})).tolist()
    [1812.5, 1812.5]
    """
    if payoffs is None:
        payoffs = model._payoff_values(resolved)
    if not model.state or model._static_at(resolved):
        return payoff_scale(payoffs)
    scales = np.ones(payoffs.shape[0])

    def at(rows: np.ndarray) -> dict[str, np.ndarray]:
        return {n: (v[rows] if np.ndim(v) == 1 else v) for n, v in resolved.items()}

    rows = np.flatnonzero(np.isfinite(payoffs).reshape(payoffs.shape[0], -1).all(axis=1))
    try:
        if rows.size:
            scales[rows] = model.game(at(rows)).payoff_scale
    except UndefinedPayoffError:  # undefined at some state: the points defined at every probed state
        rows = np.flatnonzero(model.defined_at(resolved))
        if rows.size:
            scales[rows] = model.game(at(rows)).payoff_scale
    return scales
