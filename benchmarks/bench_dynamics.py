"""Benchmark: 10,000 replicator trajectories of `baseline` to t = 50, batched vs one solve_ivp each.

Run by hand (not collected by pytest):

    python benchmarks/bench_dynamics.py [--samples 10000] [--reference 200] [--ambient 10] [--repeat 5]

The horizon is :data:`tripartite.dynamics.DEFAULT_T_MAX` (50), the default of
every trajectory in the package.

The batched integrator (``integrate_batch``, a vectorised Dormand-Prince 5(4)
pair on log-shares) is timed over all the initial states at its defaults
(rtol = 1e-6, atol = 1e-8) and at rtol = 1e-7, atol = 1e-9.  Its ratios are
taken against two plain scipy references, each one ``solve_ivp`` call per
trajectory on a random sample of the same initial states, written here from
the definitions with none of the package's code (the payoffs are contracted
with ``np.tensordot``):

- log-share coordinates, :math:`\\dot z_{i,s} = u_i(s, x_{-i}) - \\bar u_i(x)`
  with :math:`x_i = \\mathrm{softmax}(z_i)`: ``solve_ivp`` with the same
  method as the batched integrator (RK45, the same Dormand-Prince pair) at
  the batched defaults, rtol = 1e-6 and atol = 1e-8 on log-shares, to
  ``t_max`` (no stopping event; ``--ref-method``, ``--ref-rtol`` and
  ``--ref-atol`` change it).  This is the fair per-trajectory reference: same
  equations, same coordinates, same pair, same tolerances; what differs is one
  Python-level call per trajectory against one vectorised call for all;
- the textbook approach: ``solve_ivp`` (RK45, default tolerances
  rtol = 1e-3, atol = 1e-6) on the ambient replicator equations
  x' = x (u - mean), on a smaller sample (``--ambient``): it is stiff near
  vertices, slow, and can end at the wrong vertex.

The script prints trajectories per second and the ratios, checks which
sampled trajectories end at the same vertex in the batched and the reference
runs, and also times the other batched use: one initial state at 10,000
parameter points.  Batched times are the best of ``--repeat`` (5) runs: one
call of 0.25 s varies by up to 2x from call to call on a shared 2-core
machine, and the order of the configurations would otherwise matter.  It runs unchanged against the code before issue 10.
"""

from __future__ import annotations

import argparse
import time

import numpy as np
from scipy.integrate import solve_ivp

from tripartite import integrate_batch, load_model
from tripartite.dynamics.basins import uniform_states

try:
    from tripartite.dynamics import DEFAULT_T_MAX as T_MAX
except ImportError:  # before issue 10
    T_MAX = 50.0

BATCH_DEFAULTS = {"rtol": 1e-6, "atol": 1e-8}
BATCH_TIGHT = {"rtol": 1e-7, "atol": 1e-9}


# --- the references: written from the definitions, none of the package's code ---------------------------


def payoff_vectors(u: np.ndarray, xs: list[np.ndarray]) -> list[np.ndarray]:
    """u_i(s, x_{-i}) for every player i and pure strategy s; u has shape (N, s_1, ..., s_N)."""
    n = u.shape[0]
    out = []
    for i in range(n):
        v = u[i]
        for j in reversed(range(n)):  # last axis first, so the remaining axis numbers stay valid
            if j != i:
                v = np.tensordot(v, xs[j], axes=([j], [0]))
        out.append(v)
    return out


def log_share_solve_ivp(u, x0, t_max, method, rtol, atol):
    """Final shares of one trajectory from the interior state x0, integrated in log-shares."""
    sizes = [len(x) for x in x0]
    cuts = np.cumsum(sizes)[:-1]

    def shares(z):
        out = []
        for zi in np.split(z, cuts):
            e = np.exp(zi - zi.max())
            out.append(e / e.sum())
        return out

    def rhs(_t, z):
        xs = shares(z)
        return np.concatenate([v - v @ x for v, x in zip(payoff_vectors(u, xs), xs)])

    z0 = np.log(np.concatenate(x0))
    sol = solve_ivp(rhs, (0.0, t_max), z0, method=method, rtol=rtol, atol=atol)
    assert sol.success, sol.message
    return shares(sol.y[:, -1])


def ambient_solve_ivp(u, x0, t_max):
    """Final shares of one trajectory, textbook: RK45 at default tolerances on x' = x (u - mean)."""
    cuts = np.cumsum([len(x) for x in x0])[:-1]

    def rhs(_t, flat):
        xs = np.split(flat, cuts)
        return np.concatenate([x * (v - v @ x) for v, x in zip(payoff_vectors(u, xs), xs)])

    sol = solve_ivp(rhs, (0.0, t_max), np.concatenate(x0))
    return np.split(sol.y[:, -1], cuts)


def best_of(repeat, run):
    """(shortest wall time of ``repeat`` calls, the last result)."""
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        result = run()
        best = min(best, time.perf_counter() - start)
    return best, result


def rate(n, seconds):
    return n / seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=int, default=10_000)
    parser.add_argument("--reference", type=int, default=200, help="trajectories of the log-share reference")
    parser.add_argument("--ambient", type=int, default=10, help="trajectories of the ambient RK45 reference")
    parser.add_argument("--ref-method", default="RK45", help="solve_ivp method of the log-share reference")
    parser.add_argument("--ref-rtol", type=float, default=BATCH_DEFAULTS["rtol"])
    parser.add_argument("--ref-atol", type=float, default=BATCH_DEFAULTS["atol"])
    parser.add_argument("--repeat", type=int, default=5, help="batched timings: best of this many runs")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()

    model = load_model("baseline")
    game = model.game()
    u = np.asarray(game.payoffs, dtype=float)
    u = u[0] if u.ndim == len(game.shape) + 2 else u  # one point: (N, s_1, ..., s_N)
    states = uniform_states(game.shape, args.samples, args.seed)
    integrate_batch(game, [x[:10] for x in states], T_MAX)  # warm up imports and caches

    timings = {}
    for opts in (BATCH_DEFAULTS, BATCH_TIGHT):
        label = f"batched, rtol={opts['rtol']:g} atol={opts['atol']:g}"
        timings[label] = best_of(args.repeat, lambda opts=opts: integrate_batch(game, states, T_MAX, **opts))

    rng = np.random.default_rng(args.seed + 1)
    sample = rng.choice(args.samples, size=min(args.reference, args.samples), replace=False)
    start = time.perf_counter()
    ref_ends = [
        log_share_solve_ivp(u, [x[b] for x in states], T_MAX, args.ref_method, args.ref_rtol, args.ref_atol)
        for b in sample
    ]
    t_ref = time.perf_counter() - start
    amb_sample = sample[: args.ambient]
    start = time.perf_counter()
    amb_ends = [ambient_solve_ivp(u, [x[b] for x in states], T_MAX) for b in amb_sample]
    t_amb = time.perf_counter() - start

    r_ref = rate(len(sample), t_ref)
    r_amb = rate(len(amb_sample), t_amb)
    ref_label = f"{args.ref_method} log-share rtol={args.ref_rtol:g} atol={args.ref_atol:g}"
    print(f"baseline, {args.samples} initial states uniform on the state cube, t = 0..{T_MAX:g}")
    print("reference, one solve_ivp per trajectory:")
    print(f"  solve_ivp, {ref_label} ({len(sample)} sampled): {r_ref:10.1f} trajectories/s")
    print(f"  textbook solve_ivp, RK45 ambient, default tols ({len(amb_sample)} sampled): {r_amb:10.2f} trajectories/s")  # fmt: skip
    for label, (seconds, batched) in timings.items():
        r = rate(args.samples, seconds)
        print(
            f"{label:29s}: {seconds:6.3f} s = {r:10.0f} trajectories/s; "
            f"x{r / r_ref:6.1f} vs log-share solve_ivp, x{r / r_amb:6.1f} vs textbook solve_ivp; "
            f"mean {batched.steps.mean():.1f} steps, {batched.counts()}"
        )
    batched = timings[next(iter(timings))][1]

    def vertex(xs):
        return tuple(int(np.argmax(x)) for x in xs)

    agree = sum(vertex(ref) == batched.profile(int(b)) for ref, b in zip(ref_ends, sample))
    agree_amb = sum(vertex(ref) == batched.profile(int(b)) for ref, b in zip(amb_ends, amb_sample))
    print(
        f"batched (defaults) ends at the vertex nearest the reference's final state: "
        f"{agree}/{len(sample)} (log-share), {agree_amb}/{len(amb_sample)} (ambient RK45)"
    )

    # one status-quo state at many parameter points (the sweep use)
    rng = np.random.default_rng(args.seed + 2)
    values = {"nu": rng.uniform(0, 1, args.samples), "phi": rng.uniform(0, 1, args.samples)}
    points = model.game(values)
    initial = [list(x) for x in model.initial_state]
    seconds, swept = best_of(args.repeat, lambda: integrate_batch(points, initial, T_MAX))
    print(
        f"one initial state at {args.samples} parameter points (nu, phi uniform): {seconds:.3f} s = "
        f"{rate(args.samples, seconds):.0f} trajectories/s, x{rate(args.samples, seconds) / r_ref:.1f} "
        f"vs log-share solve_ivp; {swept.counts()}"
    )


if __name__ == "__main__":
    main()
