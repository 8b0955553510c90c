"""Benchmark: a million-point sweep of the baseline through the CLI, against pygambit per point.

Run by hand (not collected by pytest)::

    python benchmarks/bench_sweep.py            # 1000 x 1000 grid over nu and phi, 2 workers
    python benchmarks/bench_sweep.py --side 300 --workers 1 --gambit 500

What is timed:

1. ``tripartite sweep baseline --vary nu=0:1:N --vary phi=0:1:N --out FILE --workers W``
   as a subprocess, wall clock from launch to exit (interpreter start, imports,
   the model's content hash, the classification of every point, and the file
   and its provenance sidecar on disk), for CSV and for Parquet.
2. The same classification point by point with pygambit on a random sample
   of the grid: build the game from the payoff arrays and call
   ``enumpure_solve`` (and ``enumpoly_solve`` on a smaller sample).  The
   payoffs are evaluated beforehand in one batch, so pygambit is timed on the
   solving alone.  The pure equilibria found must agree with the sweep's
   ``pure_equilibria`` column on every sampled point.
3. Trajectories: the sweep with ``--trajectories`` (batched integration from
   the status quo at every point of a nu x phi grid, to the default horizon
   ``tripartite.dynamics.DEFAULT_T_MAX``) against one plain
   ``scipy.integrate.solve_ivp`` call per point (RK45 in log-share
   coordinates at the integrator's tolerances, rtol 1e-6 and atol 1e-8: the
   reference of ``bench_dynamics.py``) on a random sample of the same square.

The ratios printed are points per second of the sweep over points per second
of the per-point reference, measured in the same run.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time

import numpy as np


def run_cli(args: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "tripartite", *args], check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def gambit_pure(payoffs: np.ndarray, strategies) -> tuple[list[set], float]:
    import pygambit as gbt

    found = []
    start = time.perf_counter()
    for u in payoffs:
        game = gbt.Game.from_arrays(*[u[i] for i in range(u.shape[0])])
        result = gbt.nash.enumpure_solve(game)
        eqs = set()
        for eq in result.equilibria:
            prof = tuple(
                next(k for k, s in enumerate(p.strategies) if float(eq[s]) == 1.0) for p in game.players
            )
            eqs.add("/".join(strategies[i][k] for i, k in enumerate(prof)))
        found.append(eqs)
    return found, time.perf_counter() - start


def gambit_poly(payoffs: np.ndarray) -> float:
    import pygambit as gbt

    start = time.perf_counter()
    for u in payoffs:
        game = gbt.Game.from_arrays(*[u[i] for i in range(u.shape[0])])
        gbt.nash.enumpoly_solve(game)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--side", type=int, default=1000, help="grid points per lever (default 1000)")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--gambit", type=int, default=2000, help="points solved with enumpure_solve")
    parser.add_argument("--poly", type=int, default=200, help="points solved with enumpoly_solve")
    parser.add_argument("--traj-side", type=int, default=200, help="grid side of the trajectory sweep")
    parser.add_argument("--ivp", type=int, default=50, help="points integrated with solve_ivp")
    opts = parser.parse_args()

    from bench_dynamics import log_share_solve_ivp  # the one plain reference, beside this script

    from tripartite import __version__, load_model
    from tripartite.dynamics import DEFAULT_T_MAX
    from tripartite.sweep import read_sweep
    from tripartite.sweep.regimes import vertex_names

    n = opts.side
    total = n * n
    folder = tempfile.mkdtemp(prefix="bench-sweep-")
    vary = ["--vary", f"nu=0:1:{n}", "--vary", f"phi=0:1:{n}"]
    print(
        f"tripartite {__version__}; {os.cpu_count()} CPUs; {total:,} points ({n} x {n}), {opts.workers} workers"
    )

    times = {}
    for suffix in ("parquet", "csv"):
        out = os.path.join(folder, f"sweep.{suffix}")
        times[suffix] = run_cli(
            ["sweep", "baseline", *vary, "--out", out, "--workers", str(opts.workers), "--quiet"]
        )
        size = os.path.getsize(out) / 1e6
        print(
            f"  sweep -> {suffix:7s}: {times[suffix]:6.2f} s wall (incl. start-up), "
            f"{total / times[suffix]:12,.0f} points/s, {size:7.1f} MB"
        )

    # --- pygambit on a sample of the same points ---
    model = load_model("baseline")
    table = read_sweep(os.path.join(folder, "sweep.parquet"))
    rng = np.random.default_rng(0)
    rows = rng.choice(total, size=min(opts.gambit, total), replace=False)
    sample = table.iloc[rows]
    payoffs = model.evaluate({"nu": sample["nu"].to_numpy(), "phi": sample["phi"].to_numpy()})
    names = vertex_names(model)
    display = {"/".join(model.strategies[i][k] for i, k in enumerate(p)): v for p, v in names.items()}
    found, t_pure = gambit_pure(payoffs, model.strategies)
    ours = [set(filter(None, str(s).split("; "))) for s in sample["pure_equilibria"]]
    theirs = [{display[x] for x in eqs} for eqs in found]
    agree = sum(a == b for a, b in zip(ours, theirs))
    rate_pure = len(rows) / t_pure
    t_poly = gambit_poly(payoffs[: opts.poly])
    rate_poly = min(opts.poly, len(rows)) / t_poly
    print(f"  pygambit enumpure_solve: {rate_pure:12,.0f} points/s on {len(rows)} points "
          f"(pure equilibria agree on {agree}/{len(rows)})")  # fmt: skip
    print(f"  pygambit enumpoly_solve: {rate_poly:12,.0f} points/s on {min(opts.poly, len(rows))} points")
    best = min(times.values())
    print(f"  ratio sweep / enumpure: {total / best / rate_pure:10,.0f}x  (parquet), "
          f"{total / times['csv'] / rate_pure:,.0f}x (csv)")  # fmt: skip
    print(f"  ratio sweep / enumpoly: {total / best / rate_poly:10,.0f}x  (parquet)")
    print(f"  estimated pygambit time for all {total:,} points: {total / rate_pure:,.0f} s (enumpure)")

    # --- trajectories: batched in the sweep vs one solve_ivp per point ---
    m = opts.traj_side
    out = os.path.join(folder, "traj.parquet")
    t_traj = run_cli(
        ["sweep", "baseline", "--vary", f"nu=0:1:{m}", "--vary", f"phi=0:1:{m}", "--trajectories",
         "--out", out, "--workers", str(opts.workers), "--quiet"]
    )  # fmt: skip
    traj_rate = m * m / t_traj
    values = {"nu": rng.random(opts.ivp), "phi": rng.random(opts.ivp)}
    game = model.game(values)
    start = time.perf_counter()
    for b in range(opts.ivp):
        x0 = [np.asarray(x, dtype=float) for x in model.initial_state]
        log_share_solve_ivp(game.payoffs[b], x0, DEFAULT_T_MAX, "RK45", 1e-6, 1e-8)
    ivp_rate = opts.ivp / (time.perf_counter() - start)
    print(f"  sweep with trajectories: {traj_rate:12,.1f} points/s ({m * m:,} points, {t_traj:.2f} s wall)")
    print(f"  solve_ivp per point:     {ivp_rate:12,.1f} points/s ({opts.ivp} points)")
    print(f"  ratio batched / solve_ivp: {traj_rate / ivp_rate:8,.0f}x")


if __name__ == "__main__":
    main()
