"""Benchmark: pure equilibria and vertex stability of `baseline` over many points.

Times the vectorised classification (payoff evaluation included) over
1,000,000 random parameter points, in chunks, and the same work done point by
point with pygambit's ``enumpure_solve`` on a sample, in the same run, and
prints points per second and the ratio.

Run by hand:  python benchmarks/bench_classify.py [--points 1000000] [--sample 2000]
"""

from __future__ import annotations

import argparse
import math
import time

import numpy as np

from tripartite import load_model, pure_equilibria, vertex_stability


def random_values(model, n, rng, vary):
    values = {}
    for p in model.parameters:
        if vary != "all" and p.name not in vary:
            continue
        lo = p.min if math.isfinite(p.min) else 0.0
        hi = p.max if math.isfinite(p.max) else 2 * max(p.default, 1.0)
        values[p.name] = rng.uniform(lo, hi, size=n)
    return values


def tripartite_rate(model, values, n, chunk):
    start = time.perf_counter()
    n_low = 0
    for lo in range(0, n, chunk):
        part = {k: v[lo : lo + chunk] for k, v in values.items()}
        game = model.game(part)
        eq = pure_equilibria(game)
        st = vertex_stability(game)
        low_stable = st.stable[:, 1, 1, 1]
        assert (low_stable == eq.strict[:, 1, 1, 1]).all()  # stable vertex <=> strict equilibrium
        n_low += int(low_stable.sum())
    elapsed = time.perf_counter() - start
    return n / elapsed, elapsed, n_low


def pygambit_rate(model, values, sample):
    import pygambit as gbt

    payoffs = model.evaluate({k: v[:sample] for k, v in values.items()})
    start = time.perf_counter()
    for b in range(sample):
        game = gbt.Game.from_arrays(*[payoffs[b, i] for i in range(payoffs.shape[1])])
        gbt.nash.enumpure_solve(game)
    return sample / (time.perf_counter() - start)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--points", type=int, default=1_000_000)
    parser.add_argument("--sample", type=int, default=2000)
    parser.add_argument("--chunk", type=int, default=1 << 16)
    args = parser.parse_args()
    model = load_model("baseline")
    rng = np.random.default_rng(0)
    model.game()  # compile the payoff function once, outside the timing
    print(f"baseline, {args.points:,} points, chunks of {args.chunk:,}")
    for label, vary in [("all 32 parameters random", "all"), ("two levers random (d, nu)", ["d", "nu"])]:
        values = random_values(model, args.points, rng, vary)
        rate, elapsed, n_low = tripartite_rate(model, values, args.points, args.chunk)
        print(
            f"  tripartite, {label}: {rate:,.0f} points/s ({elapsed:.2f} s; low vertex stable at {n_low:,} points)"
        )
    try:
        ref = pygambit_rate(model, values, args.sample)
    except ImportError:
        print("  pygambit not installed: no reference")
        return
    print(f"  pygambit enumpure_solve, point by point on {args.sample:,} points: {ref:,.0f} points/s")
    print(f"  ratio (two levers): {rate / ref:,.0f}x")


if __name__ == "__main__":
    main()
