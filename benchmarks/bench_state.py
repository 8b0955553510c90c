"""Benchmark: state-dependent payoffs against the static baseline, in one run (issue 11).

Run by hand (not collected by pytest):

    python benchmarks/bench_state.py [--trajectories 2000] [--points 1000000] [--repeat 3]

Two measurements, each against the static model in the same run:

- **batched trajectories**: ``integrate_batch`` from ``--trajectories``
  uniform interior states to the default horizon, for the static baseline
  (2x2x2) and for the state-dependent 2x2x2 example
  ``examples/dynamic_reward_punishment.toml`` with dynamic reward and
  punishment (``dr = dp = 1``, fine ``F*(1 - x)``).  Trajectories end at
  different times, so the fair figure is the speed per integration step
  (accepted plus rejected steps of all trajectories per second).  Target:
  the state-dependent game at least half as fast per step as the static one.
- **classification sweep**: ``classify_points`` over ``--points`` random
  values of one lever, for the static baseline (``nu``) and for the
  state-dependent example (``F``, with ``dr = dp = 1``).  Target: at least
  1,000,000 points per second for the state-dependent model.

Times are the best of ``--repeat`` runs (a shared machine varies a lot from
call to call).
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np

from tripartite import integrate_batch, load_model
from tripartite.dynamics.basins import uniform_states
from tripartite.sweep import classify_points

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "dynamic_reward_punishment.toml"
DYNAMIC = {"dr": 1.0, "dp": 1.0}


def best(fn, repeat: int):
    """(best seconds, last result) of ``repeat`` calls of ``fn``."""
    times, out = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - start)
    return min(times), out


def trajectories(model, values, n: int, repeat: int) -> tuple[float, int, float]:
    """(seconds, steps taken, steps per second) of ``n`` trajectories of ``model`` at ``values``."""
    game = model.game(values)
    starts = uniform_states(model.shape, n, seed=0)
    seconds, result = best(lambda: integrate_batch(game, starts), repeat)
    steps = int(np.sum(result.steps) + np.sum(result.rejected))
    return seconds, steps, steps / seconds


def sweep(model, lever: str, fixed, n: int, repeat: int) -> float:
    """Points per second of ``classify_points`` over ``n`` random values of ``lever``."""
    p = model.parameter(lever)
    hi = p.max if np.isfinite(p.max) else 2 * p.default + 10
    values = {**fixed, lever: np.random.default_rng(1).uniform(p.min, hi, n)}
    classify_points(model, {**fixed, lever: values[lever][:10]})  # build the kernel outside the timing
    seconds, _ = best(lambda: classify_points(model, values), repeat)
    return n / seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trajectories", type=int, default=2000)
    parser.add_argument("--points", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    static, dynamic = load_model("baseline"), load_model(EXAMPLE)

    print(f"batched trajectories: {args.trajectories} uniform interior starts, default horizon")
    s_sec, s_steps, s_rate = trajectories(static, {}, args.trajectories, args.repeat)
    d_sec, d_steps, d_rate = trajectories(dynamic, DYNAMIC, args.trajectories, args.repeat)
    print(f"  static baseline        {s_sec:7.3f} s  {s_steps:9d} steps  {s_rate:12,.0f} steps/s")
    print(f"  state-dependent 2x2x2  {d_sec:7.3f} s  {d_steps:9d} steps  {d_rate:12,.0f} steps/s")
    ratio = d_rate / s_rate
    print(
        f"  per step: {ratio:.2f}x the static speed (target >= 0.5x: {'met' if ratio >= 0.5 else 'NOT met'})"
    )

    print(f"classification sweep: {args.points:,} random values of one lever")
    s_pts = sweep(static, "nu", {}, args.points, args.repeat)
    d_pts = sweep(dynamic, "F", DYNAMIC, args.points, args.repeat)
    print(f"  static baseline (nu)       {s_pts:14,.0f} points/s")
    print(f"  state-dependent (F, dr=dp=1) {d_pts:12,.0f} points/s")
    print(
        f"  target >= 1,000,000 points/s: {'met' if d_pts >= 1e6 else 'NOT met'}; {d_pts / s_pts:.2f}x static"
    )


if __name__ == "__main__":
    main()
