"""Benchmark: ``tripartite escape`` against a reference revision's implementation, in the same run.

Times, as new processes (best of ``--repeat``, CPU = user + system of the child):

- ``tripartite escape baseline`` (default levers; the issue's target: under 2 s of CPU);
- ``tripartite escape extended`` with every policy lever (target: under 10 s);
- ``tripartite escape baseline --levers c,phi --target passive/shirk/enroll --cost c=1 --cost phi=100``
  (the nonlinear case the certified search now solves globally);

each with the working tree's code and with the code of ``--reference`` (default ``HEAD``; 677bdac is
the code before issue 13's first round, the implementation the issue timed), extracted by
``git archive`` into a temporary folder and run with the same interpreter, and prints the ratios.
Symbolic caches are off (``TRIPARTITE_CACHE=off``): every run computes everything.  With
``--warm`` the on-disk symbolic cache (:mod:`tripartite.symbolic.cache`, which ``escape`` opens
since issue 13's second round) is on instead, in a fresh folder filled by one untimed run of each
command first: the second run a user makes.

Both code trees are byte-compiled first (``python -m compileall`` writes their ``__pycache__``
folders), as ``pip install`` does for a user.  Without it, where ``PYTHONDONTWRITEBYTECODE`` is set
(or a tree's cached bytecode is stale), every timed run would compile the package from source
again, about a quarter of a second of CPU that no installed copy spends.  The same for both trees,
so the ratio stays fair.

Run by hand:  python benchmarks/bench_escape.py [--repeat 1] [--skip-extended] [--timeout 120]
[--reference REV] [--warm] (a run stopped at the timeout is shown as ``>120s``; its ratio is left blank)
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
COMMANDS = {
    "escape baseline": ["escape", "baseline"],
    "escape baseline c,phi (nonlinear)": [
        "escape",
        "baseline",
        "--levers",
        "c,phi",
        "--target",
        "passive/shirk/enroll",
        "--cost",
        "c=1",
        "--cost",
        "phi=100",
    ],  # fmt: skip
    "escape extended (all levers)": ["escape", "extended"],
}


def _run(args, env, code, timeout) -> bool:
    """Run ``python -m tripartite ARGS`` once; False when it takes longer than ``timeout`` seconds."""
    try:
        subprocess.run(
            [sys.executable, "-m", "tripartite", *args],
            check=True,
            stdout=subprocess.DEVNULL,
            env=env,
            cwd=code,
            timeout=timeout,
        )
    except subprocess.TimeoutExpired:
        return False
    return True


def timed(
    code: Path, args: list[str], repeat: int, timeout: float, cache: str | None = None
) -> tuple[float, float] | None:
    """Best wall and CPU seconds of ``python -m tripartite ARGS`` with ``code`` first on the path;
    ``None`` when a run takes longer than ``timeout`` seconds of wall time.  ``cache``: a folder for
    the symbolic cache, filled by one untimed run first (default: the cache off)."""
    env = {**os.environ, "PYTHONPATH": str(code), "PYTHONWARNINGS": "ignore", "TRIPARTITE_CACHE": "off"}
    if cache is not None:
        env.pop("TRIPARTITE_CACHE")
        env["TRIPARTITE_CACHE_DIR"] = cache
        if not _run(args, env, code, timeout):
            return None
    walls, cpus = [], []
    for _ in range(repeat):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        if not _run(args, env, code, timeout):
            return None
        walls.append(time.perf_counter() - start)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return min(walls), min(cpus)


def byte_compile(code: Path) -> None:
    """Write the bytecode of ``code``'s package (``__pycache__``, as ``pip install`` does), quietly."""
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(code / "tripartite")], check=True)


def _cell(value: float | None, width: int, timeout: float) -> str:
    return f"{value:{width}.2f}" if value is not None else f"{'>' + format(timeout, 'g') + 's':>{width}s}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--skip-extended", action="store_true", help="leave out escape extended (slow)")
    parser.add_argument(
        "--reference",
        default="HEAD",
        help="the git revision timed as the old implementation (default HEAD; 677bdac is the code "
        "before issue 13's first round, the implementation the issue timed)",
    )
    parser.add_argument(
        "--timeout", type=float, default=120.0, help="wall seconds after which a run is stopped (default 120)"
    )
    parser.add_argument(
        "--warm", action="store_true", help="time with the symbolic cache on, filled by a first run"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        old = Path(tmp)
        archive = subprocess.run(
            ["git", "archive", args.reference], cwd=ROOT, check=True, capture_output=True
        ).stdout
        subprocess.run(["tar", "-x", "-C", str(old)], input=archive, check=True)
        for code in (ROOT, old):
            byte_compile(code)
        print(
            f"{'command':40s} {'new CPU s':>10s} {'old CPU s':>10s} {'ratio':>7s} {'new wall':>9s} {'old wall':>9s}"
        )
        for label, command in COMMANDS.items():
            if args.skip_extended and "extended" in label:
                continue
            cache_new = tempfile.mkdtemp(dir=tmp) if args.warm else None
            cache_old = tempfile.mkdtemp(dir=tmp) if args.warm else None
            new_wall, new_cpu = timed(ROOT, command, args.repeat, args.timeout, cache_new) or (None, None)
            old_wall, old_cpu = timed(old, command, args.repeat, args.timeout, cache_old) or (None, None)
            ratio = new_cpu / old_cpu if new_cpu is not None and old_cpu is not None else None
            t = args.timeout
            print(
                f"{label:40s} {_cell(new_cpu, 10, t)} {_cell(old_cpu, 10, t)} "
                f"{'' if ratio is None else format(ratio, '.2f'):>7s} {_cell(new_wall, 9, t)} {_cell(old_wall, 9, t)}",
                flush=True,
            )


if __name__ == "__main__":
    main()
