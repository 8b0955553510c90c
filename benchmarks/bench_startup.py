"""Benchmark: start-up time of the command line against plain Python imports.

Runs each command as a new process, several times, and prints the best wall
time and the CPU time (user + system, of the child) of each, with its ratio
to the reference it is measured against, all in the same run:

- ``tripartite --version`` and ``tripartite params`` against ``python -c "import numpy"``;
- ``tripartite solve baseline`` against ``python -c "import numpy, scipy.linalg, sympy"``;
- ``tripartite stability extended`` and ``tripartite thresholds extended --param d``
  (CPU seconds; the issue's target is 2 s).

Run by hand:  python benchmarks/bench_startup.py [--repeat 5]
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import time

NUMPY = [sys.executable, "-c", "import numpy"]
SOLVER_LIBRARIES = [sys.executable, "-c", "import numpy, scipy.linalg, sympy"]


def tripartite(*args: str) -> list[str]:
    executable = shutil.which("tripartite")
    return [executable, *args] if executable else [sys.executable, "-m", "tripartite", *args]


def timed(command: list[str], repeat: int) -> tuple[float, float]:
    """Best wall time and best CPU time (user + system) of ``repeat`` runs, in seconds."""
    walls, cpus = [], []
    for _ in range(repeat):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        subprocess.run(
            command, check=True, stdout=subprocess.DEVNULL, env={**os.environ, "PYTHONWARNINGS": "ignore"}
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
    rows = [
        ("tripartite --version", tripartite("--version"), "numpy"),
        ("tripartite params", tripartite("params"), "numpy"),
        ("tripartite solve baseline", tripartite("solve", "baseline"), "numpy+scipy.linalg+sympy"),
        ("tripartite stability extended", tripartite("stability", "extended"), None),
        (
            "tripartite thresholds extended --param d",
            tripartite("thresholds", "extended", "--param", "d"),
            None,
        ),
    ]
    print(f"best of {args.repeat} runs")
    print(f"{'command':<44} {'wall s':>7} {'cpu s':>7}  ratio to reference (wall, cpu)")
    for name, (wall, cpu) in references.items():
        print(f"{'python -c import ' + name:<44} {wall:7.3f} {cpu:7.3f}")
    for label, command, reference in rows:
        wall, cpu = timed(command, args.repeat)
        if reference is None:
            ratio = ""
        else:
            ref_wall, ref_cpu = references[reference]
            ratio = f"{wall / ref_wall:5.1f}x, {cpu / ref_cpu:5.1f}x  of {reference}"
        print(f"{label:<44} {wall:7.3f} {cpu:7.3f}  {ratio}")


if __name__ == "__main__":
    main()
