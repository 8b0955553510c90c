"""Benchmark: start-up time of the command line against plain Python imports.

Runs each command as a new process, several times, and prints the best wall
time and the CPU time (user + system, of the child) of each, with its ratio
to the reference it is measured against, all in the same run:

- ``tripartite --version`` and ``tripartite params`` against ``python -c "import numpy"``;
- ``tripartite solve baseline`` against ``python -c "import numpy, scipy.linalg, sympy"``;
- ``tripartite stability extended`` and ``tripartite thresholds extended --param d``
  (CPU seconds; the issue's target is 2 s).

``params``, ``stability`` and ``thresholds`` cache what they derive
(:mod:`tripartite.diskcache`, :mod:`tripartite.symbolic.cache`): each is timed
*cold* (``TRIPARTITE_CACHE=off``: everything computed, as on a first run or
after an edit of the model or of the code) and *warm* (a cache folder filled
by one run before the timed ones), both in this run.

Run by hand:  python benchmarks/bench_startup.py [--repeat 5]
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time

NUMPY = [sys.executable, "-c", "import numpy"]
SOLVER_LIBRARIES = [sys.executable, "-c", "import numpy, scipy.linalg, sympy"]


def tripartite(*args: str) -> list[str]:
    executable = shutil.which("tripartite")
    return [executable, *args] if executable else [sys.executable, "-m", "tripartite", *args]


def timed(command: list[str], repeat: int, env: dict[str, str] | None = None) -> tuple[float, float]:
    """Best wall time and best CPU time (user + system) of ``repeat`` runs, in seconds."""
    walls, cpus = [], []
    for _ in range(repeat):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        subprocess.run(
            command,
            check=True,
            stdout=subprocess.DEVNULL,
            env={**os.environ, "PYTHONWARNINGS": "ignore", **(env or {})},
        )
        walls.append(time.perf_counter() - start)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return min(walls), min(cpus)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    references = {
        "numpy": timed(NUMPY, args.repeat),
        "numpy+scipy.linalg+sympy": timed(SOLVER_LIBRARIES, args.repeat),
    }
    warm_dir = tempfile.mkdtemp(prefix="tripartite-bench-cache-")
    cold = {"TRIPARTITE_CACHE": "off"}
    warm = {"TRIPARTITE_CACHE": "on", "TRIPARTITE_CACHE_DIR": warm_dir}
    rows = [
        ("tripartite --version", tripartite("--version"), "numpy", None),
        ("tripartite params (cold)", tripartite("params"), "numpy", cold),
        ("tripartite params (warm)", tripartite("params"), "numpy", warm),
        ("tripartite solve baseline", tripartite("solve", "baseline"), "numpy+scipy.linalg+sympy", None),
        ("tripartite stability extended (cold)", tripartite("stability", "extended"), None, cold),
        ("tripartite stability extended (warm)", tripartite("stability", "extended"), None, warm),
        (
            "tripartite thresholds extended --param d (cold)",
            tripartite("thresholds", "extended", "--param", "d"),
            None,
            cold,
        ),
        (
            "tripartite thresholds extended --param d (warm)",
            tripartite("thresholds", "extended", "--param", "d"),
            None,
            warm,
        ),
    ]
    for _, command, _, env in rows:  # fill the warm cache once, untimed
        if env is warm:
            timed(command, 1, env)
    print(f"best of {args.repeat} runs; warm cache in {warm_dir}")
    print(f"{'command':<50} {'wall s':>7} {'cpu s':>7}  ratio to reference (wall, cpu)")
    for name, (wall, cpu) in references.items():
        print(f"{'python -c import ' + name:<50} {wall:7.3f} {cpu:7.3f}")
    for label, command, reference, env in rows:
        wall, cpu = timed(command, args.repeat, env)
        if reference is None:
            ratio = f"target cpu <= 2 s: {'met' if cpu <= 2 else 'NOT met'}"
        else:
            ref_wall, ref_cpu = references[reference]
            ratio = f"{wall / ref_wall:5.1f}x, {cpu / ref_cpu:5.1f}x  of {reference}"
        print(f"{label:<50} {wall:7.3f} {cpu:7.3f}  {ratio}")


if __name__ == "__main__":
    main()
