"""Benchmark: 1,000 trajectories x 5 parameter values of `extended` to t = 200, batched vs one solve_ivp each.

Run by hand (not collected by pytest):

    python benchmarks/bench_simulate.py [--samples 1000] [--values 0,0.25,0.5,0.75,1] [--reference 40]

The sensitivity run of a simulation section: every one of ``--samples``
initial states (uniform on the product of simplices) under each of five
values of ``--parameter`` (default ``nu``) of the 3x3x3 model ``extended``,
to t = 200.  Timed three ways in the same run:

- **batched**: one :func:`tripartite.dynamics.batch.integrate_batch` call on
  all ``samples x values`` rows (per-row payoffs), at its defaults
  (rtol = 1e-6, atol = 1e-8 on log-shares, stopping once convergence to a
  vertex is certified);
- **simulate**: :func:`tripartite.simulation.simulate`, the same batch with
  every path recorded (201 even and 201 early sampled times), what
  ``tripartite simulate --out`` writes;
- **reference**: one ``solve_ivp`` call per trajectory (RK45, the same
  Dormand-Prince pair, same tolerances, same log-share equations, written
  here from the definitions with none of the package's code), to t = 200
  with no stopping event, timed on a random subsample of ``--reference``
  trajectories and extrapolated to all of them (the subsample's mean time
  per trajectory times ``samples x values``).

The script prints the times, the ratios, and on the subsample how many
reference trajectories end at the vertex the batched run reports.
"""

from __future__ import annotations

import argparse
import time

import numpy as np
from scipy.integrate import solve_ivp

from tripartite import integrate_batch, load_model
from tripartite.dynamics.basins import uniform_states
from tripartite.simulation import simulate

T_MAX = 200.0
RTOL, ATOL = 1e-6, 1e-8


def payoff_vectors(u: np.ndarray, xs: list[np.ndarray]) -> list[np.ndarray]:
    """u_i(s, x_{-i}) for every player i and pure strategy s; u has shape (N, s_1, ..., s_N)."""
    n = u.shape[0]
    out = []
    for i in range(n):
        v = u[i]
        for j in reversed(range(n)):
            if j != i:
                v = np.tensordot(v, xs[j], axes=([j], [0]))
        out.append(v)
    return out


def reference(u, x0, t_max):
    """Final shares of one trajectory by solve_ivp (RK45) on the log-share replicator equations."""
    cuts = np.cumsum([len(x) for x in x0])[:-1]

    def shares(z):
        out = []
        for zi in np.split(z, cuts):
            e = np.exp(zi - zi.max())
            out.append(e / e.sum())
        return out

    def rhs(_t, z):
        xs = shares(z)
        return np.concatenate([v - v @ x for v, x in zip(payoff_vectors(u, xs), xs)])

    sol = solve_ivp(rhs, (0.0, t_max), np.log(np.concatenate(x0)), method="RK45", rtol=RTOL, atol=ATOL)
    assert sol.success, sol.message
    return shares(sol.y[:, -1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=int, default=1000)
    parser.add_argument("--parameter", default="nu")
    parser.add_argument("--values", default="0,0.25,0.5,0.75,1")
    parser.add_argument("--reference", type=int, default=40, help="trajectories of the solve_ivp reference")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()

    model = load_model("extended")
    values = [float(v) for v in args.values.split(",")]
    states = uniform_states(model.shape, args.samples, args.seed)
    n = args.samples * len(values)
    # rows: state-major, as simulate() orders them
    point = np.tile(values, args.samples)
    rows = [np.repeat(x, len(values), axis=0) for x in states]
    game = model.game({args.parameter: point})
    integrate_batch(model.game(), [x[:10] for x in states], T_MAX)  # warm up imports and caches

    start = time.perf_counter()
    batched = integrate_batch(game, rows, T_MAX)
    t_batch = time.perf_counter() - start

    start = time.perf_counter()
    recorded = simulate(
        model,
        [[x[b] for x in states] for b in range(args.samples)],
        vary=(args.parameter, values),
        t_max=T_MAX,
    )
    t_sim = time.perf_counter() - start
    assert len(recorded) == n

    rng = np.random.default_rng(args.seed)
    sample = rng.choice(n, size=min(args.reference, n), replace=False)
    u = np.asarray(game.payoffs, dtype=float)
    agree = 0
    start = time.perf_counter()
    for b in sample:
        final = reference(u[b], [x[b] for x in rows], T_MAX)
        ends = tuple(int(np.argmax(x)) for x in final)
        at_vertex = all(x.max() > 1 - 1e-4 for x in final)
        agree += at_vertex and batched.profile(b) == ends
    t_ref_each = (time.perf_counter() - start) / len(sample)
    t_ref = t_ref_each * n

    counts = batched.counts()
    print(
        f"extended: {args.samples} initial states x {len(values)} values of {args.parameter} = {n} trajectories to t = {T_MAX:g}"
    )
    print(f"  outcomes (batched): {counts}; certified {int(batched.certified.sum())}")
    print(f"  batched integrate_batch:  {t_batch:8.2f} s  ({n / t_batch:,.0f} trajectories/s)")
    print(f"  simulate (paths recorded): {t_sim:7.2f} s  ({n / t_sim:,.0f} trajectories/s)")
    print(
        f"  solve_ivp per trajectory:  {t_ref_each * 1e3:7.1f} ms each on {len(sample)} sampled, "
        f"extrapolated {t_ref:8.1f} s for all"
    )
    print(f"  ratio reference / batched:  {t_ref / t_batch:6.1f}x")
    print(f"  ratio reference / simulate: {t_ref / t_sim:6.1f}x")
    print(f"  same vertex as the reference: {agree} of {len(sample)} sampled trajectories")


if __name__ == "__main__":
    main()
