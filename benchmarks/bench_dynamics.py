"""Benchmark: 10,000 replicator trajectories of `baseline` to t = 50, batched vs one solve_ivp each.

Run by hand (not collected by pytest):

    /work/venv/bin/python benchmarks/bench_dynamics.py [--samples 10000] [--reference 200]

Two per-trajectory references are timed on a random sample of the same
initial states, one scipy ``solve_ivp`` call per trajectory:

- ``tripartite.trajectory`` at its defaults (``solve_ivp`` DOP853 in
  log-share coordinates, stopping at a stable vertex);
- the textbook approach: ``solve_ivp`` (RK45, default tolerances) on the
  ambient replicator equations x' = x (u - mean), on a smaller sample
  (``--ambient``): it is stiff there, very slow, and often ends at the wrong
  vertex.

The batched integrator runs at the same tolerances as ``trajectory`` and at
its own defaults (rtol = 1e-6, atol = 1e-8).  The
script prints trajectories per second and the ratios, checks that every
sampled trajectory ends at the same vertex in the batched and the reference
runs, and also times the other batched use: one initial state at 10,000
parameter points.
"""

from __future__ import annotations

import argparse
import inspect
import time

import numpy as np
from scipy.integrate import solve_ivp

from tripartite import integrate_batch, load_model, trajectory
from tripartite.dynamics.basins import uniform_states
from tripartite.dynamics.replicator import join_state, replicator_field, split_state

T_MAX = 50.0


def ambient_solve_ivp(game, x0):
    payoffs, shape = game.payoffs, game.shape

    def rhs(_t, flat):
        return join_state(replicator_field(payoffs, [x[None, :] for x in split_state(flat, shape)]))[0]

    sol = solve_ivp(rhs, (0.0, T_MAX), join_state(x0))
    return split_state(sol.y[:, -1], shape)


def rate(n, seconds):
    return n / seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=int, default=10_000)
    parser.add_argument("--reference", type=int, default=200, help="trajectories timed one by one")
    parser.add_argument("--ambient", type=int, default=10, help="trajectories of the ambient RK45 reference")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()

    model = load_model("baseline")
    game = model.game()
    states = uniform_states(game.shape, args.samples, args.seed)
    integrate_batch(game, [x[:10] for x in states], T_MAX)  # warm up imports and caches

    defaults = inspect.signature(trajectory).parameters
    tols = {"rtol": defaults["rtol"].default, "atol": defaults["atol"].default}
    same = f"batched, rtol={tols['rtol']:g} atol={tols['atol']:g}"
    timings = {}
    for label, opts in ((same, tols), ("batched, defaults", {})):
        start = time.perf_counter()
        batched = integrate_batch(game, states, T_MAX, **opts)
        timings[label] = (time.perf_counter() - start, batched)

    rng = np.random.default_rng(args.seed + 1)
    sample = rng.choice(args.samples, size=min(args.reference, args.samples), replace=False)
    start = time.perf_counter()
    ref_ends = [trajectory(game, [x[b] for x in states], T_MAX, n_eval=2).final for b in sample]
    t_traj = time.perf_counter() - start
    start = time.perf_counter()
    amb_sample = sample[: args.ambient]
    amb_ends = [ambient_solve_ivp(game, [x[b] for x in states]) for b in amb_sample]
    t_amb = time.perf_counter() - start

    r_traj = rate(len(sample), t_traj)
    r_amb = rate(len(amb_sample), t_amb)
    print(f"baseline, {args.samples} initial states uniform on the state cube, t = 0..{T_MAX:g}")
    print("reference, one solve_ivp per trajectory:")
    print(f"  tripartite.trajectory, defaults ({len(sample)} sampled):     {r_traj:10.1f} trajectories/s")
    print(f"  textbook solve_ivp, RK45 ambient ({len(amb_sample)} sampled):  {r_amb:10.2f} trajectories/s")
    for label, (seconds, batched) in timings.items():
        r = rate(args.samples, seconds)
        print(
            f"{label:26s}: {seconds:6.3f} s = {r:10.0f} trajectories/s; "
            f"x{r / r_traj:6.1f} vs trajectory(), x{r / r_amb:6.1f} vs textbook solve_ivp; "
            f"mean {batched.steps.mean():.1f} steps, {batched.counts()}"
        )
    batched = timings[same][1]
    agree = sum(
        tuple(int(np.argmax(x)) for x in ref) == batched.profile(int(b)) for ref, b in zip(ref_ends, sample)
    )
    agree_amb = sum(
        tuple(int(np.argmax(x)) for x in ref) == batched.profile(int(b))
        for ref, b in zip(amb_ends, amb_sample)
    )
    print(
        f"same vertex as the references: {agree}/{len(sample)} (trajectory), "
        f"{agree_amb}/{len(amb_sample)} (ambient RK45)"
    )

    # one status-quo state at many parameter points (the sweep use)
    rng = np.random.default_rng(args.seed + 2)
    values = {"nu": rng.uniform(0, 1, args.samples), "phi": rng.uniform(0, 1, args.samples)}
    points = model.game(values)
    start = time.perf_counter()
    swept = integrate_batch(points, [list(x) for x in model.initial_state], T_MAX)
    seconds = time.perf_counter() - start
    print(
        f"one initial state at {args.samples} parameter points (nu, phi uniform): {seconds:.3f} s = "
        f"{rate(args.samples, seconds):.0f} trajectories/s, x{rate(args.samples, seconds) / r_traj:.1f} "
        f"vs trajectory(); {swept.counts()}"
    )


if __name__ == "__main__":
    main()
