"""Benchmark: all Nash equilibria, tripartite against pygambit, on seeded random games.

Run by hand (not collected by pytest)::

    python benchmarks/bench_equilibria.py            # default sizes
    python benchmarks/bench_equilibria.py --quick    # fewer games

For each shape it times tripartite (vectorised over the batch of games) and
pygambit's ``enumpoly_solve`` and ``gnm_solve`` (one game at a time, each in a
worker process with a time limit so that a hanging reference cannot hang the
benchmark), and counts equilibria: how many each method finds, and how many
of the equilibria found by any method (each verified by its regret) each one
misses.  Ratios are printed from the same run.

Tripartite's time is the median of three runs over the whole batch, divided by
the number of games; pygambit's is the median over games.  For 2x2x2 games
the sets' ``Equilibrium`` objects are built when a set is
first read (``DeferredEquilibriumSet``); the second tripartite line times the
batch call plus reading every equilibrium of every set, so both costs are shown.
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import statistics
import time

import numpy as np

from tripartite.equilibria import all_equilibria_batch, closed_form_2x2x2
from tripartite.game import Game, regret

TIME_LIMIT = 10.0  # seconds per reference call
REPEATS = 3  # whole-batch runs of tripartite per shape (the median is reported)


def _reference(method: str, u: np.ndarray):
    import pygambit as gbt

    g = gbt.Game.from_arrays(*u)
    t = time.perf_counter()
    res = gbt.nash.enumpoly_solve(g) if method == "enumpoly" else gbt.nash.gnm_solve(g)
    elapsed = time.perf_counter() - t
    eqs = [[np.array([float(e[s]) for s in p.strategies]) for p in g.players] for e in res.equilibria]
    return elapsed, eqs


def reference(pool, method: str, games: np.ndarray):
    """Per-game times (None = timed out) and equilibria of a pygambit method."""
    times, found = [], []
    for u in games:
        job = pool.apply_async(_reference, (method, u))
        try:
            elapsed, eqs = job.get(timeout=TIME_LIMIT)
        except mp.TimeoutError:
            pool.terminate()
            pool = mp.Pool(1)
            times.append(None)
            found.append([])
            continue
        times.append(elapsed)
        found.append(eqs)
    return pool, times, found


def verified(u: np.ndarray, prof) -> bool:
    return float(regret(u[None], prof)[0]) <= 1e-6


def union_misses(all_found: dict[str, list], games: np.ndarray) -> dict[str, int]:
    """Equilibria found (and verified) by any method that each method misses."""
    misses = dict.fromkeys(all_found, 0)
    for b, u in enumerate(games):
        pool = []
        for eqs in all_found.values():
            for prof in eqs[b]:
                if verified(u, prof) and not any(
                    max(np.max(np.abs(a - c)) for a, c in zip(prof, q)) <= 1e-6 for q in pool
                ):
                    pool.append(prof)
        for name, eqs in all_found.items():
            for prof in pool:
                if not any(max(np.max(np.abs(a - c)) for a, c in zip(prof, q)) <= 1e-6 for q in eqs[b]):
                    misses[name] += 1
    return misses


def run_shape(pool, shape, n_games, seed, kernel=False):
    rng = np.random.default_rng(seed)
    games = rng.normal(size=(n_games, len(shape), *shape))
    totals, with_objects = [], []
    for _ in range(REPEATS):  # the median of a few whole-batch runs: robust to a busy machine
        t = time.perf_counter()
        sets = all_equilibria_batch(Game.from_array(games))
        totals.append(time.perf_counter() - t)
        ours = [[e.profile() for e in s] for s in sets]  # builds every Equilibrium object (lazy for 2x2x2)
        with_objects.append(time.perf_counter() - t)
    ours_total, with_objects = statistics.median(totals), statistics.median(with_objects)
    incomplete = sum(not s.complete for s in sets)
    line = {
        "shape": "x".join(map(str, shape)),
        "games": n_games,
        "ours_per_game": ours_total / n_games,
        "ours_objects_per_game": with_objects / n_games,
    }
    if kernel:
        t = time.perf_counter()
        closed_form_2x2x2(games)
        line["kernel_per_game"] = (time.perf_counter() - t) / n_games
    found = {"tripartite": ours}
    for method in ("enumpoly", "gnm"):
        pool, times, eqs = reference(pool, method, games)
        done = [x for x in times if x is not None]
        line[f"{method}_median"] = statistics.median(done) if done else float("nan")
        line[f"{method}_total"] = sum(done)
        line[f"{method}_timeouts"] = sum(x is None for x in times)
        found[method] = eqs
    misses = union_misses(found, games)
    for name in found:
        line[f"{name}_count"] = sum(len(x) for x in found[name])
        line[f"{name}_missed"] = misses[name]
    line["incomplete"] = incomplete
    return pool, line


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    sizes = {(2, 2, 2): 2000, (3, 3, 3): 30, (2, 2, 2, 2): 30}
    if args.quick:
        sizes = {(2, 2, 2): 300, (3, 3, 3): 8, (2, 2, 2, 2): 8}
    pool = mp.Pool(1)
    print(f"reference time limit {TIME_LIMIT:g} s per game; times in ms per game")
    for k, (shape, n) in enumerate(sizes.items()):
        pool, r = run_shape(pool, shape, n, seed=100 + k, kernel=shape == (2, 2, 2))
        ours_ms = 1e3 * r["ours_per_game"]
        print(f"\n{r['shape']}: {r['games']} seeded random games (standard normal payoffs)")
        print(f"  tripartite all_equilibria_batch: {ours_ms:.3f} ms/game (whole batch, vectorised)")
        print(
            f"  ... and reading every equilibrium of every set: {1e3 * r['ours_objects_per_game']:.3f} ms/game"
        )
        if "kernel_per_game" in r:
            print(f"  tripartite closed-form kernel:   {1e3 * r['kernel_per_game']:.4f} ms/game")
        for m in ("enumpoly", "gnm"):
            med = 1e3 * r[f"{m}_median"]
            print(
                f"  pygambit {m:8s}: median {med:.3f} ms/game, timeouts {r[f'{m}_timeouts']}; "
                f"speed ratio {m}/tripartite = {med / ours_ms:.1f}x "
                f"({med / (1e3 * r['ours_objects_per_game']):.1f}x with every equilibrium read)"
            )
        print(
            "  equilibria found (missed among all verified): "
            + ", ".join(
                f"{m} {r[f'{m}_count']} ({r[f'{m}_missed']})" for m in ("tripartite", "enumpoly", "gnm")
            )
        )
        print(f"  tripartite sets labelled not complete: {r['incomplete']}")
    pool.terminate()


if __name__ == "__main__":
    main()
