"""Support enumeration in exact arithmetic: rationals and real algebraic numbers.

For rational payoffs the indifference system of each support profile (see
:mod:`tripartite.equilibria.indifference`) is solved with sympy.  A Groebner
basis (grevlex) decides whether it has finitely many solutions: the basis
:math:`\\{1\\}` means none, a basis that is not zero-dimensional means a
continuum (the game is then *degenerate* and the continuum is not
enumerated).  A zero-dimensional basis is converted (FGLM) to a lex basis in
*shape position* :math:`\\{v_k - g_k(\\theta), p(\\theta)\\}`, after a random
integer change of the last coordinate where needed: every coordinate is a
rational polynomial in one algebraic number :math:`\\theta`, a real root of an
irreducible factor :math:`q` of :math:`p`.

Every sign condition is then decided exactly: a quantity :math:`r(\\theta)` is
zero iff :math:`q \\mid r`, and otherwise its sign is read off an isolating
interval of :math:`\\theta` refined until :math:`r` has no root in it.  So
positivity of the probabilities and the best-response inequalities are
decided without rounding, ties with unused strategies are detected exactly,
and the regret of every returned profile is exactly zero.  Probabilities are
reported as rationals, radicals or ``CRootOf`` objects.

Pure-Python work is interrupted at the deadline (``SIGALRM`` in the main
thread); the set is then labelled not complete.

Examples
--------
>>> import numpy as np
>>> from tripartite.game import Game
>>> bos = Game.from_array(np.array([[[2, 0], [0, 1]], [[1, 0], [0, 2]]]))
>>> found, log = exact_enumeration(bos, float("inf"))
>>> sorted(str(f.exact[0][0]) for f in found), log.degenerate
(['0', '1', '2/3'], False)
"""

from __future__ import annotations

import itertools
import signal
import threading
import time
from contextlib import contextmanager

import numpy as np
import sympy as sp

from ..errors import TripartiteError
from ..game import Game
from .collect import Found, RunLog, pure_found, supp_text
from .degenerate import single_mixer
from .supports import support_profiles

__all__ = ["exact_enumeration", "exact_payoff_array", "EXACT_METHOD"]

EXACT_METHOD = (
    "support enumeration; each support's indifference system solved exactly "
    "(Groebner basis in shape position, real algebraic numbers), sign conditions decided exactly"
)


class _PositiveDimensional(Exception):
    pass


class _NotShape(Exception):
    pass


class _Timeout(Exception):
    pass


@contextmanager
def _alarm(deadline: float):
    """Interrupt pure-Python work (sympy) at ``deadline`` where signals allow it."""
    remaining = deadline - time.monotonic()
    if remaining <= 0:
        raise _Timeout
    use = threading.current_thread() is threading.main_thread() and hasattr(signal, "setitimer")
    if not use or remaining > 1e6:  # no timer for an (effectively) unlimited deadline
        yield
        return

    def handler(signum, frame):
        raise _Timeout

    old = signal.signal(signal.SIGALRM, handler)
    signal.setitimer(signal.ITIMER_REAL, remaining)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


def exact_payoff_array(game: Game) -> np.ndarray:
    """The game's payoffs as exact rationals, shape (N, s_1, ..., s_N), object dtype.

    Uses ``game.exact_payoffs`` when present; otherwise each float is read as
    the shortest decimal of at most 15 significant digits it rounds to
    (``0.1`` is ``1/10``, and ``3 * 0.1``, which prints as 0.30000000000000004,
    is ``3/10``): the digits a float carries for certain, so the exact game
    does not depend on how its arithmetic rounded.
    """
    if game.exact_payoffs is not None:
        arr = np.asarray(game.exact_payoffs, dtype=object)
        return np.vectorize(
            lambda v: sp.Rational(v) if not isinstance(v, sp.Basic) else sp.nsimplify(v, rational=True),
            otypes=[object],
        )(arr)
    if game.batch_size != 1:
        raise TripartiteError("exact solving needs a game at a single parameter point")
    return np.vectorize(lambda v: sp.Rational(f"{float(v):.15g}"), otypes=[object])(game.payoffs[0])


_T = sp.Symbol("theta")


def _sign_at_root(r: sp.Poly, q: sp.Poly, interval: tuple) -> int:
    """Sign of r(theta) for the real root theta of irreducible q isolated in ``interval``."""
    r = r.rem(q)
    if r.is_zero:
        return 0
    a, b = interval
    if a == b:
        v = r.eval(a)
        return int(sp.sign(v))
    while True:
        if r.count_roots(a, b) == 0:
            return int(sp.sign(r.eval((a + b) / 2)))
        a, b = q.refine_root(a, b, eps=(b - a) / 64)


def _algebraic(r: sp.Poly, q: sp.Poly, index: int, interval: tuple) -> sp.Expr:
    """The exact real number r(theta), theta the ``index``-th real root of q, as a sympy number."""
    r = r.rem(q)
    if r.is_zero:
        return sp.Integer(0)
    if r.degree() <= 0:
        return sp.nsimplify(r.LC() if not r.is_zero else 0, rational=True)
    if q.degree() == 1:
        return sp.nsimplify(r.eval(-q.nth(0) / q.nth(1)), rational=True)
    y = sp.Symbol("y")
    minpoly_expr = sp.resultant(q.as_expr(), y - r.as_expr(), _T)
    value = _numeric(r, q, index, interval)
    best = None
    for f, _mult in sp.factor_list(minpoly_expr, y)[1]:
        fp = sp.Poly(f, y)
        if fp.degree() == 0:
            continue
        rts = (
            fp.real_roots()
            if fp.degree() > 2
            else sorted(sp.roots(fp, y).keys(), key=lambda z: float(sp.re(z)))
        )
        for root in rts:
            if not root.is_real:
                continue
            err = abs(float(root.evalf(30)) - value)
            if best is None or err < best[0]:
                best = (err, root)
    if best is None:  # pragma: no cover - the value is real by construction
        raise ArithmeticError("no real root matches an algebraic coordinate")
    root = best[1]
    return sp.radsimp(root) if root.is_algebraic and not isinstance(root, sp.CRootOf) else root


def _numeric(r: sp.Poly, q: sp.Poly, index: int, interval: tuple) -> float:
    theta = sp.CRootOf(q.as_expr(), index).evalf(40) if q.degree() > 1 else -q.nth(0) / q.nth(1)
    return float(sp.N(r.as_expr().subs(_T, theta), 30))


def _exact_support(u: np.ndarray, supp, deadline: float):
    """Solutions of one support profile with exact arithmetic.

    Returns a list of dicts with keys ``exact`` (probabilities), ``float``,
    ``ties`` (bool, a tie with an unused strategy), ``multiple`` (singular
    solution) and ``payoffs`` (exact); raises _PositiveDimensional or _NotShape.
    """
    N = u.shape[0]
    shape = u.shape[1:]
    vars_ = []
    var_of = {}
    for j in range(N):
        for s in supp[j][1:]:
            v = sp.Symbol(f"x_{j}_{s}")
            var_of[(j, s)] = v
            vars_.append(v)
    n = len(vars_)
    for attempt in range(3):
        coeffs = [((k * 7 + attempt * 3) % 5) + 1 for k in range(n - 1)]
        if n == 1:
            subs = {vars_[0]: _T}
        else:
            subs = {vars_[-1]: _T - sum(c * v for c, v in zip(coeffs, vars_[:-1]))}
        gens = vars_[:-1] + [_T]

        def prob(j, s):
            if len(supp[j]) == 1:
                return sp.Integer(1) if s == supp[j][0] else sp.Integer(0)
            if s not in supp[j]:
                return sp.Integer(0)
            if s == supp[j][0]:
                return 1 - sum(var_of[(j, t)] for t in supp[j][1:])
            return var_of[(j, s)]

        def payoff_expr(i, s):
            total = sp.Integer(0)
            others = [j for j in range(N) if j != i]
            for prof in itertools.product(*[supp[j] for j in others]):
                full = list(prof)
                full.insert(i, s)
                term = u[(i, *full)]
                if term == 0:
                    continue
                for j, sj in zip(others, prof):
                    term = term * prob(j, sj)
                total += term
            return sp.expand(total)

        eqs = []
        for i in range(N):
            base = payoff_expr(i, supp[i][0])
            for s in supp[i][1:]:
                eqs.append(sp.expand((payoff_expr(i, s) - base).subs(subs)))
        eqs = [e for e in eqs if e != 0]
        with _alarm(deadline):
            if len(eqs) < n:
                raise _PositiveDimensional
            G = sp.groebner(eqs, *gens, order="grevlex", domain=sp.QQ)
            if G.exprs == [1]:
                return []
            if not G.is_zero_dimensional:
                raise _PositiveDimensional
            Glex = G.fglm("lex") if n > 1 else G
        polys = [sp.Poly(g, *gens, domain=sp.QQ) for g in Glex.exprs]
        shaped = _shape_form(polys, gens)
        if shaped is not None:
            break
    else:
        raise _NotShape
    gs, p = shaped  # v_k = gs[k](theta), p(theta) = 0
    theta_vals = {v: g for v, g in zip(vars_[:-1], gs)}
    if n == 1:
        theta_vals[vars_[0]] = sp.Poly(_T, _T, domain=sp.QQ)
    else:
        last = sp.Poly(_T, _T, domain=sp.QQ)
        for c, v in zip(coeffs, vars_[:-1]):
            last = last - c * theta_vals[v]
        theta_vals[vars_[-1]] = last

    def as_poly(expr):
        poly = sp.Poly(sp.Integer(0), _T, domain=sp.QQ)
        e = sp.Poly(expr, *vars_, domain=sp.QQ) if vars_ else None
        for monom, coeff in e.terms():
            term = sp.Poly(coeff, _T, domain=sp.QQ)
            for v, k in zip(vars_, monom):
                for _ in range(k):
                    term = term * theta_vals[v]
            poly = poly + term
        return poly

    out = []
    _, factors = sp.factor_list(p.as_expr(), _T)
    for f, mult in factors:
        q = sp.Poly(f, _T, domain=sp.QQ)
        if q.degree() < 1:
            continue
        for index, (interval, _m) in enumerate(q.intervals()):
            with _alarm(deadline):
                probs_poly = {}
                feasible = True
                for j in range(N):
                    for s in supp[j]:
                        pp = as_poly(prob(j, s)).rem(q)
                        probs_poly[(j, s)] = pp
                        if _sign_at_root(pp, q, interval) <= 0:
                            feasible = False
                    if not feasible:
                        break
                if not feasible:
                    continue
                ties = False
                values = []
                for i in range(N):
                    base = as_poly(payoff_expr(i, supp[i][0])).rem(q)
                    values.append(base)
                    for t in range(shape[i]):
                        if t in supp[i]:
                            continue
                        gain = as_poly(payoff_expr(i, t)).rem(q) - base
                        sign = _sign_at_root(gain, q, interval)
                        if sign > 0:
                            feasible = False
                            break
                        ties |= sign == 0
                    if not feasible:
                        break
                if not feasible:
                    continue
                exact = tuple(
                    tuple(
                        _algebraic(probs_poly[(j, s)], q, index, interval) if s in supp[j] else sp.Integer(0)
                        for s in range(shape[j])
                    )
                    for j in range(N)
                )
                payoffs = tuple(_algebraic(v, q, index, interval) for v in values)
            out.append({"exact": exact, "payoffs": payoffs, "ties": ties, "multiple": mult > 1})
    return out


def _shape_form(polys: list[sp.Poly], gens: list[sp.Symbol]):
    """(g_k, p) if the lex basis is {v_k - g_k(theta)} + {p(theta)}, else None."""
    n = len(gens)
    theta = gens[-1]
    univariate = [g for g in polys if all(m[:-1] == (0,) * (n - 1) for m in g.monoms())]
    if len(univariate) != 1 or len(polys) != n:
        return None
    p = sp.Poly(univariate[0].as_expr(), theta, domain=sp.QQ)
    gs = []
    for k in range(n - 1):
        v = gens[k]
        match = None
        for g in polys:
            expr = g.as_expr()
            if sp.Poly(expr, *gens).degree(v) == 1 and all(
                sp.Poly(expr, *gens).degree(o) == 0 for o in gens[:-1] if o != v
            ):
                coeff = sp.Poly(expr, v).coeff_monomial(v)
                if coeff.free_symbols:
                    return None
                rest = sp.expand(-(expr - coeff * v) / coeff)
                match = sp.Poly(rest, theta, domain=sp.QQ)
                break
        if match is None:
            return None
        gs.append(match)
    return gs, p


def exact_enumeration(game: Game, deadline: float) -> tuple[list[Found], RunLog]:
    """Every equilibrium of one game with exact arithmetic (see the module docstring).

    Returns the verified profiles (with exact values) and the run's log; past
    ``deadline`` (a :func:`time.monotonic` time) the log is marked incomplete.
    """
    exact_u = exact_payoff_array(game)
    u = np.vectorize(float, otypes=[float])(exact_u)
    log = RunLog()
    found = pure_found(game, u, exact_u, 0.0, log)
    supports = support_profiles(exact_u, 0)
    N = exact_u.shape[0]
    remaining = 0
    for k, supp in enumerate(supports):
        m = [len(s) - 1 for s in supp]
        mixers = [i for i in range(N) if m[i] > 0]
        if not mixers:
            continue
        if time.monotonic() > deadline:
            remaining = len(supports) - k
            break
        if len(mixers) == 1:
            single_mixer(game, u, supp, 0.0, log, found)
            continue
        try:
            sols = _exact_support(exact_u, supp, deadline)
        except _PositiveDimensional:
            log.degenerate_because(
                f"support {supp_text(game, supp)}: the indifference conditions have a continuum of solutions "
                "(positive-dimensional); equilibria on it, if any, are not enumerated"
            )
            log.incomplete = True
            continue
        except _NotShape:
            log.incomplete_because(
                f"support {supp_text(game, supp)}: the exact solver could not put the system in shape position"
            )
            continue
        except _Timeout:
            remaining = len(supports) - k
            break
        for sol in sols:
            xs = [np.array([float(sp.N(v, 30)) for v in row]) for row in sol["exact"]]
            regular = not sol["ties"] and not sol["multiple"]
            found.append(Found(xs, supp, sol["exact"], sol["payoffs"], not sol["ties"], regular))
    if remaining:
        log.incomplete_because(f"time limit reached with {remaining} support profiles not examined")
    return found, log
