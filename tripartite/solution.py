"""Solving one game: its Nash equilibria, the stability of every vertex, and where the status quo goes.

This is the answer ``tripartite solve`` prints, as a library call.  For a
game :math:`u` at one parameter point, :func:`solve` computes

- the **Nash equilibria**: profiles :math:`x` whose regret
  :math:`\\max_i \\max_{s} u_i(s, x_{-i}) - u_i(x)` is at most ``tol``
  times the payoff scale (0 exactly with ``exact``): by default the pure ones,
  each flagged strict when every deviation loses more than that
  (:func:`~tripartite.equilibria.pure.pure_equilibria`); with
  ``all_equilibria`` every one, pure and mixed, labelled complete or not
  (:func:`~tripartite.equilibria.support.all_equilibria`);
- the **stability of every vertex** :math:`v` under the replicator dynamics
  :math:`\\dot x_{is} = x_{is}\\,(u_i(s, x_{-i}) - u_i(x))`: the Jacobian at
  a vertex is triangular and its eigenvalues are the deviation gains
  :math:`u_i(t, v_{-i}) - u_i(v)`, :math:`t \\ne v_i`, classified by
  :func:`~tripartite.dynamics.stability.classify`
  (:func:`~tripartite.dynamics.stability.vertex_stability`);
- the **rest points beyond the vertices** (games with two strategies per
  player): on every edge, face and the interior, solved exactly at the
  point by :func:`tripartite.symbolic.rest_points` (for payoffs that depend
  on the state, through a Groebner basis), each classified by
  :func:`~tripartite.dynamics.stability.classify` from its eigenvalues;
  ``rest_points_complete`` says whether every face was solved (false for
  games with more strategies, where only the vertices are listed, and for
  a face holding a continuum or equations that are not polynomial);
- the **status quo**: the trajectory of the replicator dynamics from the
  model's documented initial state up to
  :data:`tripartite.dynamics.DEFAULT_T_MAX`
  (:func:`~tripartite.dynamics.paths.trajectory`), when the model
  documents one.

**Scale.**  ``tol`` is relative to the game's payoff scale :math:`\\sigma`
(:func:`tripartite.game.payoff_scale`, the largest range of one player's
payoffs): every comparison of payoffs, payoff differences or eigenvalues
uses ``tol * sigma`` (for welfare, the welfare game's scale).  Multiplying
every payoff by a positive constant, or adding a constant to one player's
payoffs, changes neither the equilibria nor the rest points nor their
labels, and so does not change the answer; the record says so with
``payoff_scale`` (beside the provenance's ``tolerance``).

The :class:`Solution` keeps the result objects; :meth:`Solution.to_record`
is the ``solve --json`` answer without its provenance, which the one
provenance writer adds (:func:`tripartite.io.provenance.provenance`).

Examples
--------
>>> from tripartite import load_model
>>> sol = solve(load_model("baseline"))
>>> [e["support"] for e in sol.to_record()["equilibria"]]
[{'government': ['passive'], 'platform': ['shirk'], 'worker': ['lapse']}]
>>> sol.to_record()["status_quo"]["outcome"]
'vertex'
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import sympy as sp

from .behavioural import ProspectTheory
from .dynamics import DEFAULT_T_MAX
from .dynamics.paths import Trajectory, trajectory
from .dynamics.stability import VertexStability, vertex_stability
from .equilibria.pure import PureEquilibria, pure_equilibria
from .equilibria.result import EquilibriumSet
from .equilibria.support import all_equilibria as _all_equilibria
from .errors import TripartiteError
from .game import DEFAULT_TOL, Game, profile_from_indices, regret
from .model import Model
from .welfare import welfare_game

__all__ = ["Solution", "solve", "RECORD_KEYS", "STABILITY_METHOD"]

#: The keys of :meth:`Solution.to_record`, whatever the options.
RECORD_KEYS = (
    "payoff_scale",
    "equilibria",
    "all",
    "exact",
    "complete",
    "degenerate",
    "notes",
    "rest_points",
    "rest_points_complete",
    "rest_points_note",
    "rest_point_sets",
    "status_quo",
    "welfare",
    "components",
)
#: How the vertices are classified (the second half of :attr:`Solution.method`).
STABILITY_METHOD = "vertex stability: eigenvalues of the replicator Jacobian (deviation gains)"


@dataclass(frozen=True, eq=False)
class Solution:
    """Equilibria, vertex stability and the status quo's fate of one game at one point.

    Attributes
    ----------
    game : Game
        The game solved (with behavioural payoffs if ``prospect`` was given;
        with exact payoffs under ``exact``).
    equilibria : PureEquilibria or EquilibriumSet
        The pure equilibria, or (``all_equilibria``) every equilibrium found.
    stability : VertexStability
        Eigenvalues and classification of every vertex.
    status_quo : Trajectory or None
        The trajectory from the model's documented initial state, if it has one.
    tolerance : float
        Tolerance on payoff differences, relative to :attr:`payoff_scale`.
    model : Model or None
        The model the game came from (``None`` for a game given directly).
    values : dict
        The parameter values given (the others are the model's defaults).
    prospect : ProspectTheory or None
        The value function applied to the payoffs, if any.
    beyond_vertices : tuple of RestPoint
        The rest points on edges, faces and the interior
        (:func:`tripartite.symbolic.rest_points` at the point).
    rest_points_note : str
        Empty when every face was solved; otherwise why the list of rest
        points is not complete.
    welfare_game : Game or None
        The players' welfare at this point (:func:`tripartite.welfare.welfare_game`;
        the decision payoffs, before any prospect-theory transform, for a
        model without a ``[welfare]`` table or a game alone).
    """

    game: Game
    equilibria: PureEquilibria | EquilibriumSet
    stability: VertexStability
    status_quo: Trajectory | None
    tolerance: float
    model: Model | None = None
    values: Mapping[str, float] = dataclasses.field(default_factory=dict)
    prospect: ProspectTheory | None = None
    beyond_vertices: tuple = ()
    rest_points_note: str = ""
    welfare_game: Game | None = None

    @property
    def payoff_scale(self) -> float:
        """The game's payoff scale (:func:`tripartite.game.payoff_scale`); the tolerance in payoff units is ``tolerance * payoff_scale``."""
        return float(self.game.payoff_scale[0])

    @property
    def all(self) -> bool:
        """Whether every equilibrium was sought (not only the pure ones)."""
        return isinstance(self.equilibria, EquilibriumSet)

    @property
    def exact(self) -> bool:
        """Whether the equilibria were computed in exact arithmetic."""
        return bool(self.all and self.equilibria.exact)

    @property
    def method(self) -> str:
        """How the equilibria and the vertex stability were computed, in words."""
        if self.all:
            return f"all equilibria: {self.equilibria.method}; {STABILITY_METHOD}"
        return f"pure equilibria: {self.equilibria.method}; {STABILITY_METHOD}"

    def to_record(self, lang: str | None = "en") -> dict[str, Any]:
        """The ``solve --json`` answer without provenance; the same keys (:data:`RECORD_KEYS`) whatever the options.

        ``payoff_scale`` is :func:`tripartite.game.payoff_scale`: the
        tolerance (:attr:`tolerance`, ``tolerance`` in the provenance) is
        relative to it, their product is the tolerance in payoff units.
        ``equilibria`` lists one record per equilibrium (the same keys for
        pure and mixed ones); ``complete``, ``degenerate`` are ``None`` and
        ``notes`` empty unless every equilibrium was sought; ``status_quo``
        is ``None`` when the model documents no initial state; ``components``
        (every equilibrium sought: the components of the set of equilibria,
        :mod:`tripartite.equilibria.components`, to which each equilibrium's
        ``component`` points) is ``None`` otherwise.  ``rest_point_sets``
        lists the continua of rest points (segments, curves, faces), each
        described as a set with its normal eigenvalues
        (:meth:`tripartite.symbolic.restpoints.RestPointSet.to_record`;
        ``rest_points_complete`` is true when every face is solved to
        isolated points or described so).  Each
        equilibrium and rest point carries ``payoffs`` (player -> expected
        decision payoff there, in the game solved) and ``welfare`` (player ->
        welfare, :mod:`tripartite.welfare`); each equilibrium also ``dominated_by``
        (the profiles and other equilibria that welfare-dominate it, each
        ``{"profile", "gains"}``) and ``welfare_note`` (in words: whether it
        is a three-lose outcome, and by how much); ``welfare`` says how
        welfare is evaluated.  ``lang`` is the language of those two
        sentences (``"en"``, as ``solve --json`` writes them, or ``"zh"``;
        ``None``: the one set by :func:`tripartite.io.words.set_language`);
        every other field is the same in every language.
        """
        if self.all:
            found = self.equilibria.to_record()
            equilibria = found["equilibria"]
            exact, complete, degenerate = bool(found["exact"]), found["complete"], found["degenerate"]
            notes = list(found["notes"])
            components = found["components"]
        else:
            equilibria = self.equilibria.to_record(point=0)["equilibria"]
            exact, complete, degenerate, notes = False, None, None, []
            components = None
        rest_points = self._rest_point_records()
        self._add_welfare(equilibria, rest_points, lang)
        # a continuum of rest points described as sets (tripartite.symbolic.restpoints.RestPointSet) is
        # told completely: the list is complete when every face is solved to points or described as sets
        sets = [s.to_record() for p in self.beyond_vertices for s in p.sets]
        unlisted = [
            p for p in self.beyond_vertices if p.classification is None or p.numeric_eigenvalues is None
        ]
        described = bool(self.beyond_vertices) and all(p.sets for p in unlisted)
        rest_points_note = None if described else self.rest_points_note or None
        return {
            "payoff_scale": self.payoff_scale,
            "equilibria": equilibria,
            "all": self.all,
            "exact": exact,
            "complete": complete,
            "degenerate": degenerate,
            "notes": notes,
            "rest_points": rest_points,
            "rest_points_complete": rest_points_note is None,
            "rest_points_note": rest_points_note,
            "rest_point_sets": sets,
            "status_quo": None if self.status_quo is None else self.status_quo.to_record(),
            "welfare": self._welfare_record(lang),
            "components": components,
        }

    def _welfare_game(self) -> Game:
        return self.welfare_game if self.welfare_game is not None else self.game

    def _welfare_record(self, lang: str | None = "en") -> dict[str, Any]:
        from .welfare import welfare_description

        values = {w.name: w.value for w in self.model.welfare} if self.model is not None else {}
        return {"evaluation": welfare_description(self.model, lang), "values": values}

    def _add_welfare(
        self, equilibria: list[dict[str, Any]], rest_points: list[dict[str, Any]], lang: str | None = "en"
    ) -> None:
        """``welfare`` on every equilibrium; ``payoffs`` and ``welfare`` on every rest point; ``dominated_by``."""
        from .welfare import dominated_by, expected_payoffs_at, pareto_comparison, welfare_at

        w = self._welfare_game()

        def shares(record):
            return [np.array(list(record["strategies"][p].values()), dtype=float) for p in w.players]

        others = [(e["strategies"], shares(e)) for e in equilibria if not e.get("pure", True)]
        for e in equilibria:
            x = shares(e)
            e["welfare"] = dict(zip(w.players, map(float, welfare_at(w, x))))
            candidates = None
            if others:
                candidates = [(w.profile_names(p), profile_from_indices(w.shape, p)) for p in w.profiles()]
                candidates += [(label, y) for label, y in others if label is not e["strategies"]]
            e["dominated_by"] = [c.to_record() for c in dominated_by(w, x, candidates, self.tolerance)]
            e["welfare_note"] = pareto_comparison(w, x, self.tolerance, lang)
        for r in rest_points:
            x = shares(r)
            r["payoffs"] = dict(zip(self.game.players, map(float, expected_payoffs_at(self.game, x))))
            r["welfare"] = dict(zip(w.players, map(float, welfare_at(w, x))))

    def _rest_point_records(self) -> list[dict[str, Any]]:
        """Every vertex (as :meth:`VertexStability.to_record`), then every other isolated rest point found.

        Every entry has the same keys: ``kind``, ``profile`` (player ->
        strategy at a vertex, ``None`` elsewhere), ``strategies`` (player ->
        {strategy: share}), ``eigenvalues`` (``[real, imaginary]`` pairs),
        ``classification``, ``strict_equilibrium`` (false off the vertices),
        ``focus`` (some eigenvalues form a complex pair: trajectories spiral),
        ``nash_equilibrium`` (no strategy earns more than the point's mean
        payoff, within the tolerance, at least 1e-12 for rounding, times the
        payoff scale) and ``note``.
        """
        g = self.game
        tol = max(self.tolerance, 1e-12) * self.payoff_scale
        rows = []
        for prof, row in zip(g.profiles(), self.stability.to_record(point=0)["rest_points"]):
            row["focus"] = False
            row["nash_equilibrium"] = bool(regret(g.payoffs, profile_from_indices(g.shape, prof))[0] <= tol)
            row["note"] = ""
            rows.append(row)
        for point in self.beyond_vertices:
            if point.classification is None or point.numeric_eigenvalues is None:
                continue  # a continuum or an unsolved face: said in rest_points_note
            if any(sp.sympify(v).free_symbols for v in point.state):
                continue
            xs = [np.array([x, 1.0 - x]) for x in (float(sp.re(sp.N(v, 30))) for v in point.state)]
            rows.append(
                {
                    "kind": point.kind,
                    "profile": None,
                    "strategies": {
                        p: dict(zip(g.strategies[i], x.tolist()))
                        for i, (p, x) in enumerate(zip(g.players, xs))
                    },
                    "eigenvalues": [[float(v.real), float(v.imag)] for v in point.numeric_eigenvalues],
                    "classification": point.classification,
                    "strict_equilibrium": False,  # a mixed point is never a strict equilibrium
                    "focus": any(
                        abs(v.imag) > self.tolerance * self.payoff_scale for v in point.numeric_eigenvalues
                    ),
                    "nash_equilibrium": bool(regret(g.payoffs, xs)[0] <= tol),
                    "note": point.note,
                }
            )
        return rows

    def _repr_html_(self) -> str:
        parts = [self.equilibria._repr_html_(), self.stability._repr_html_()]
        if self.status_quo is not None:
            parts.append(self.status_quo._repr_html_())
        return "".join(parts)

    def __repr__(self) -> str:
        g = self.game
        n = len(self.equilibria) if self.all else len(self.equilibria.profiles())
        kind = (
            ("equilibrium" if n == 1 else "equilibria")
            if self.all
            else ("pure equilibrium" if n == 1 else "pure equilibria")
        )
        stable = [", ".join(g.profile_names(p).values()) for p in self.stability.stable_profiles(0)]
        where = ""
        if self.status_quo is not None:
            sq = self.status_quo
            where = "; status quo: " + (", ".join(sq.profile.values()) if sq.profile else sq.outcome)
        return f"<Solution of {g.name!r}: {n} {kind}, stable vertices {stable}{where}>"


def solve(
    model_or_game: Model | Game,
    values: Mapping[str, float] | None = None,
    *,
    all_equilibria: bool = False,
    exact: bool = False,
    tol: float = DEFAULT_TOL,
    time_limit: float = 60.0,
    prospect: ProspectTheory | None = None,
) -> Solution:
    """Equilibria, stability of every vertex and the status quo's fate, at one parameter point.

    Parameters
    ----------
    model_or_game : Model or Game
        A model (solved at ``values``, the others at their defaults) or a game
        of one point (e.g. read from a ``.nfg`` file; it has no status quo).
    values : mapping, optional
        Parameter values of a model (one number each).
    all_equilibria : bool
        Every Nash equilibrium, pure and mixed, not only the pure ones.
    exact : bool
        Exact arithmetic (rationals and real algebraic numbers); implies
        ``all_equilibria``; not with ``prospect``.
    tol : float
        Tolerance on payoff differences (regret, strictness, eigenvalue
        signs), relative to the game's payoff scale
        (:func:`tripartite.game.payoff_scale`).
    time_limit : float
        Seconds before the enumeration of all equilibria stops (the list is then labelled not complete).
    prospect : ProspectTheory, optional
        Pass every payoff through this value function first.

    Returns
    -------
    Solution

    Examples
    --------
    >>> from tripartite import load_model
    >>> model = load_model("baseline")
    >>> solve(model, {"nu": 0.5})          # a stronger nudge: the worker enrols
    <Solution of 'baseline': 1 pure equilibrium, stable vertices ['passive, shirk, enroll']; status quo: passive, shirk, enroll>
    >>> sol = solve(model.game(d=0.6))      # a game alone: no status quo
    >>> [r["classification"] for r in sol.to_record()["rest_points"]
    ...  if r["kind"] == "vertex" and list(r["profile"].values()) == ["passive", "shirk", "lapse"]]
    ['saddle']
    """
    if isinstance(model_or_game, Model):
        model = model_or_game
        values = dict(values or {})
        game = model.game(values)
        initial = model.initial_state
        welfare = (
            welfare_game(model, values) if (model.welfare or model.welfare_payoffs is not None) else game
        )
    elif isinstance(model_or_game, Game):
        if values:
            raise TripartiteError("a game has no parameters to set; give its model to solve at other values")
        model, values, game, initial = None, {}, model_or_game, None
        welfare = game
    else:
        raise TypeError(f"solve a Model or a Game, not {type(model_or_game).__name__}")
    if game.batch_size != 1:
        raise TripartiteError(
            f"solve takes one parameter point; this game has {game.batch_size} (use Game.point(b))"
        )
    if not 0 <= tol < float("inf"):
        raise TripartiteError(f"the tolerance must be a finite non-negative number, got {tol}")
    if exact:
        if prospect is not None:
            raise TripartiteError(
                "--exact cannot be combined with prospect-theory payoffs (they are not rational)"
            )
        if model is not None:
            game = dataclasses.replace(game, exact_payoffs=model.exact_payoffs(values))
        all_equilibria = True
    if prospect is not None:
        game = prospect.apply(game)
    if all_equilibria:
        equilibria = _all_equilibria(game, exact=exact, tol=tol, time_limit=time_limit)
    else:
        equilibria = pure_equilibria(game, tol)
    stability = vertex_stability(game, tol)
    beyond, note = _beyond_vertices(game, model if prospect is None else None, values, tol)
    status_quo = trajectory(game, initial, t_max=DEFAULT_T_MAX) if initial is not None else None
    return Solution(
        game,
        equilibria,
        stability,
        status_quo,
        float(tol),
        model,
        values,
        prospect,
        tuple(beyond),
        note,
        welfare_game=welfare,
    )


def _beyond_vertices(game: Game, model: Model | None, values, tol: float) -> tuple[list, str]:
    """The rest points off the vertices, and why the list is not complete (empty if it is)."""
    from .symbolic import rest_points
    from .symbolic.restpoints import RestPoint

    if any(m != 2 for m in game.shape):
        return [], (
            "rest points beyond the vertices are computed for two strategies per player; "
            f"this game is {'x'.join(map(str, game.shape))}: only the vertices are listed"
        )
    if game.state_dependent and model is None:
        return [], (
            "the payoffs depend on the state: rest points beyond the vertices are found from the "
            "model's expressions (solve the model, not its game); only the vertices are listed"
        )
    if model is None or not game.state_dependent:
        model = _exact_model(game)
        values = {}
    # rest_points takes its tolerance in payoff units (eigenvalue signs)
    found: list[RestPoint] = rest_points(model, at=values, tol=tol * float(game.payoff_scale[0]))
    unlisted = []
    for p in found:
        players = ", ".join(model.players[i] for i in p.mixing)
        if any(sp.sympify(v).free_symbols for v in p.state):
            unlisted.append(
                f"a continuum of rest points where {players} mix{'es' if len(p.mixing) == 1 else ''}"
            )
        elif p.classification is None:
            unlisted.append(f"{p.kind} where {players} mix: {p.note}")
    return found, "; ".join(unlisted) + ("; not listed" if unlisted else "")


def _exact_model(game: Game) -> Model:
    """A parameter-free model of a static game at one point, its payoffs as exact rationals."""
    table = game.exact_payoffs if game.exact_payoffs is not None else game.payoffs[0]
    payoffs = {
        prof: tuple(
            sp.nsimplify(table[(i, *prof)], rational=True)
            if game.exact_payoffs is not None
            else sp.Rational(repr(float(table[(i, *prof)])))
            for i in range(game.n_players)
        )
        for prof in game.profiles()
    }
    return Model(game.name, game.players, game.strategies, (), payoffs)
