"""A seeded mutation fuzzer of the command line, run in-process.

Seeds are the shipped models, the examples, a small toy scenario, ``.nfg``
games and result files (JSON records, a CSV table with its provenance
sidecar, a Markdown table with its provenance line), the last written by
the tool itself when the fuzzer starts.  Each run takes one
seed, applies one to three mutations (hostile numbers, names, expressions,
structure, bytes), writes it to a temporary folder and runs one command on
it through :func:`tripartite.cli.main` in this process, with standard output
and error captured and a wall-clock guard (``SIGALRM``).  The disk cache
(:mod:`tripartite.diskcache`) is a fresh folder of the run's own, so nothing
is read from, or left in, the user's.

Every run ends in one of these outcomes:

``accepted``     exit status 0
``error``        exit status 2 with one ``tripartite...: error: ...`` line
``traceback``    an exception escaped ``main``            (a bug: target 0)
``hang``         the guard fired                          (a bug: target 0)
``fallback``     main's out-of-memory / recursion net     (a limit missing: target 0)
``unprintable``  output that cannot be written as UTF-8   (a bug: target 0)
``bad-exit``     any other exit status, or an error of several lines

Apart from the outcome, a run that lets a ``RuntimeWarning`` reach the user
(numpy's "overflow encountered", "invalid value", "divide by zero", or
any other) is counted as *warned*: a user should see one clear line or a
row marked invalid, never a numpy warning.  The report lists each distinct
warning (where it was raised, its message, how many runs, one command).

By hand::

    python tests/fuzz/fuzz.py --runs 3000 --seed 1 --save-failures tests/fuzz/corpus
    python tests/fuzz/fuzz.py --runs 100000 --budget 1500   # as many as fit in 25 minutes

prints the counts, the peak memory (``ru_maxrss``) and every failure with
its command; ``--save-failures`` copies the failing inputs there (then add
them to ``tests/fuzz/corpus/cases.json``).  ``tests/fuzz/test_fuzz.py``
runs a few hundred of them in the test suite.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import random
import re
import resource
import shutil
import signal
import sys
import tempfile
import time
import traceback
import warnings
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:  # run as a script from anywhere
    sys.path.insert(0, str(ROOT))

from tripartite.cli import main  # noqa: E402

FAILURES = ("traceback", "hang", "fallback", "unprintable", "bad-exit")

TOY = """name = "toy"
[players]
row = ["up", "down"]
col = ["left", "right"]
[parameters]
a = { value = 1, min = 0, max = 2 }
b = { value = 2, min = -1, max = 5 }
c = 0.5
[derived]
d = "a*b - c"
[payoffs]
"up, left" = ["d", "b"]
"up, right" = ["0", "1"]
"down, left" = ["1", "c"]
"down, right" = ["b", "a"]
[initial_state]
row = [0.5, 0.5]
col = [0.3, 0.7]
"""

NFG_PAYOFF = 'NFG 1 R "Prisoners" { "row" "col" } { 2 2 }\n"a comment"\n3 3 5 0 0 5 1 1\n'
NFG_OUTCOME = (
    'NFG 1 R "three" { "P1" "P2" "P3" } { { "a" "b" } { "x" "y" } { "l" "r" } }\n""\n'
    '{ { "o1" 1, 0, 2 } { "o2" 0, 1, 1 } { "o3" 2, 2, 0 } }\n1 2 3 0 2 1 3 1\n'
)

HOSTILE_NUMBERS = [
    "-1e38", "1e38", "-1e308", "1e308", "1e309", "-1e309", "5e-324", "1e-320", "nan", "inf", "-inf",
    "0", "-0", "1e15", "1e16", "1e300", "9" * 400, "9" * 5000, "1e999999999", "1e-999999999",
    "123456789012345678901234567890", "0.1", "-7", "3/0", "1/3", "2e-308",
]  # fmt: skip
HOSTILE_NAMES = [
    "ｃ", "c", "ǅ", "Dž", "e", "nan", "inf", "pi", "maximum", "select", "x0", "numpy", "__import__",
    "lambda", "exp", "Min", "_x", "a b", "1a", "", "ａ", "ＡＢ", "ﬁ", "Ⅸ", "IX", "α", "β",
]  # fmt: skip
HOSTILE_EXPRESSIONS = [
    "({p} - 1e9)^(1/3)", "log(-sqrt(-({p})*({q})))", "exp(sqrt({p}*log((-{q})^3)))", "log(-abs({p} + {q}))",
    "9^9^9^9", "({p}+{q}+1)^100", "exp(exp(exp(exp({p}))))", "1/0", "sqrt(-1)", "{p}^(1/2)", "max({p})",
    "log(0)", "log({p})", "1/{p}", "{p}^-1", "exp(1000*{p})", "exp(1)*{p}", "{p}^0.5 + {q}^(1/3)",
    "__import__('os')", "{p}.real", "[{p}]", "{p} if {q} else 1", "min({p}, {q}, 1e308)", "1e308*{p}*{q}",
    "abs({p})^{q}", "{p}^{q}", "(-1)^{p}", "0^{p}", "{p}/({q}-{q})", "1e-320/{p}",
]  # fmt: skip
ODD_TEXTS = ["\x00", "\ud7ff", "\u202e", "\ufeff", "\\", '"', "'", "{", "}", "[", "]", ",", "=", "\n", "#"]


@dataclass
class Run:
    """One fuzz run: what was run and how it ended."""

    args: list[str]
    outcome: str
    seconds: float
    detail: str = ""
    files: dict[str, str] = field(default_factory=dict)  # name -> text of the inputs


class _Hang(BaseException):
    pass


def run_cli(args: list[str], timeout: float, warned: list[str] | None = None) -> tuple[str, float, str]:
    """Run ``main(args)`` with output captured and a guard; (outcome, seconds, detail).

    Every ``RuntimeWarning`` the run raises (each time, not once per place)
    is appended to ``warned`` as ``"file:line: message"``.
    """
    out, err = io.StringIO(), io.StringIO()
    caught: list[warnings.WarningMessage] = []

    def alarm(signum, frame):
        raise _Hang()

    previous = signal.signal(signal.SIGALRM, alarm)
    signal.setitimer(signal.ITIMER_REAL, timeout)
    start = time.perf_counter()
    status: object = None
    try:
        with (
            contextlib.redirect_stdout(out),
            contextlib.redirect_stderr(err),
            warnings.catch_warnings(record=True) as caught,
        ):
            warnings.simplefilter("always", RuntimeWarning)
            try:
                status = main(args)
            except SystemExit as exc:  # argparse
                status = exc.code
    except _Hang:
        return "hang", time.perf_counter() - start, f"still running after {timeout:g} s"
    except BaseException as exc:  # noqa: BLE001 - everything that escapes main is a finding
        tb = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__)[-4:])
        return "traceback", time.perf_counter() - start, tb[-1500:]
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        for w in caught:  # shown as the user would see them
            err.write(warnings.formatwarning(w.message, w.category, w.filename, w.lineno, w.line))
        if warned is not None:
            warned.extend(_where(w) for w in caught if issubclass(w.category, RuntimeWarning))
    seconds = time.perf_counter() - start
    stdout, stderr = out.getvalue(), err.getvalue()
    try:
        stdout.encode("utf-8")
        stderr.encode("utf-8")
    except UnicodeEncodeError as exc:
        return "unprintable", seconds, str(exc)
    if "Traceback (most recent call last)" in stderr:
        return "traceback", seconds, stderr[-1500:]
    if status in (0, None):
        return "accepted", seconds, ""
    lines = [line for line in stderr.splitlines() if "error:" in line]
    if status == 2 and lines:
        last = lines[-1]
        if "out of memory" in last or "nested too deeply to process" in last:
            return "fallback", seconds, last
        if len(lines) == 1 and re.match(r"^(tripartite|usage|tripartite \w+): error: ", last):
            return "error", seconds, last
        return "bad-exit", seconds, stderr[-800:]
    return "bad-exit", seconds, f"exit status {status!r}: {stderr[-800:]}"


def _where(w: warnings.WarningMessage) -> str:
    """``file:line: message`` of a caught warning, the file relative to the repository."""
    path = Path(w.filename)
    with contextlib.suppress(ValueError):
        path = path.relative_to(ROOT)
    return f"{path}:{w.lineno}: {str(w.message).splitlines()[0][:120]}"


# --- seeds ------------------------------------------------------------------------------------


def scenario_seeds() -> dict[str, str]:
    """The shipped models, the examples and the toy scenario: name -> TOML text."""
    seeds = {"toy.toml": TOY}
    for folder in (ROOT / "tripartite" / "models", ROOT / "examples"):
        for path in sorted(folder.glob("*.toml")):
            seeds[path.name] = path.read_text(encoding="utf-8")
    return seeds


def nfg_seeds() -> dict[str, str]:
    return {"prisoners.nfg": NFG_PAYOFF, "three.nfg": NFG_OUTCOME}


def result_seeds(folder: Path) -> dict[str, str]:
    """Result files written by the tool itself (JSON, CSV + sidecar, Markdown), made once per folder."""
    out: dict[str, str] = {}
    toy = folder / "toy.toml"
    toy.write_text(TOY, encoding="utf-8")
    jobs = {  # name -> the command writing it (None: its printed JSON is the file)
        "solve.json": (["solve", str(toy), "--json"], None),
        "params.json": (["params", str(toy), "--json"], None),
        "sweep.csv": (["sweep", str(toy), "--vary", "a=0:2:3", "--out", str(folder / "sweep.csv")], "file"),
        "stability.md": (
            ["stability", str(toy), "--format", "markdown", "--out", str(folder / "stability.md")],
            "file",
        ),
    }
    for name, (args, how) in jobs.items():
        printed = io.StringIO()
        with contextlib.redirect_stdout(printed), contextlib.redirect_stderr(io.StringIO()):
            try:
                status = main(args)
            except SystemExit:
                status = 2
        path = folder / name
        if how is None and status == 0:
            path.write_text(printed.getvalue(), encoding="utf-8")
        if path.exists():
            out[name] = path.read_text(encoding="utf-8")
            side = folder / (name + ".json")
            if side.exists():
                out[name + ".json"] = side.read_text(encoding="utf-8")
    return out


# --- mutations --------------------------------------------------------------------------------

_NUMBER = re.compile(r"(?<![\w.])-?\d+(\.\d+)?([eE][+-]?\d+)?(?![\w.])")
_KEY = re.compile(r"^([A-Za-z_][A-Za-z0-9_]*)\s*=", re.MULTILINE)
_STRING = re.compile(r'"([^"\n]*)"')


def _names(text: str) -> list[str]:
    return [m.group(1) for m in _KEY.finditer(text) if m.group(1) not in ("name", "description", "citation")]


def _replace_match(text: str, pattern: re.Pattern, rng: random.Random, make) -> str:
    found = list(pattern.finditer(text))
    if not found:
        return text
    m = rng.choice(found)
    return text[: m.start()] + make(m) + text[m.end() :]


def mutate_text(text: str, rng: random.Random, kind: str) -> str:
    """One random mutation of ``text`` (a scenario, a .nfg game or a result file)."""
    names = _names(text) or ["a", "b"]
    p, q = rng.choice(names), rng.choice(names)
    choice = rng.randrange(14)
    if choice <= 2:  # a hostile number
        return _replace_match(text, _NUMBER, rng, lambda m: rng.choice(HOSTILE_NUMBERS))
    if choice == 3 and kind == "toml":  # a hostile name, everywhere a name is
        new = rng.choice(HOSTILE_NAMES)
        key = f'"{new}"' if not new.isascii() or not new.isidentifier() else new
        text = re.sub(
            rf"^{re.escape(p)}(\s*=)", lambda m: key + m.group(1), text, count=1, flags=re.MULTILINE
        )
        return re.sub(rf"\b{re.escape(p)}\b", new, text) if rng.random() < 0.5 else text
    if choice == 4 and kind == "toml":  # a hostile expression as a payoff or derived quantity
        expr = rng.choice(HOSTILE_EXPRESSIONS).format(p=p, q=q)
        return _replace_match(
            text,
            re.compile(r'(?:(?<=\[)|(?<=, ))"[^"\n]*"(?=[,\]])'),
            rng,
            lambda m: json.dumps(expr, ensure_ascii=False),
        )
    if choice == 5:  # delete, duplicate or swap lines
        lines = text.splitlines()
        if len(lines) < 2:
            return text
        i, j = rng.randrange(len(lines)), rng.randrange(len(lines))
        action = rng.randrange(3)
        if action == 0:
            del lines[i]
        elif action == 1:
            lines.insert(j, lines[i])
        else:
            lines[i], lines[j] = lines[j], lines[i]
        return "\n".join(lines) + "\n"
    if choice == 6:  # truncate
        return text[: rng.randrange(len(text) + 1)]
    if choice == 7:  # odd characters
        pos = rng.randrange(len(text) + 1)
        return text[:pos] + rng.choice(ODD_TEXTS) * rng.choice((1, 3)) + text[pos:]
    if choice == 8:  # structure that can explode
        return _explode(text, rng, kind, names)
    if choice == 9 and kind == "toml":  # ranges: min above max, bounds far out, a value outside
        field = rng.choice(("min", "max", "value"))
        return _replace_match(
            text,
            re.compile(rf"{field} = [^,}}\n]+"),
            rng,
            lambda m: f"{field} = {rng.choice(HOSTILE_NUMBERS)}",
        )
    if choice == 10 and kind == "json":  # a field of the wrong type
        return _json_mutation(text, rng)
    if choice == 13 and kind == "toml":  # a payoff defined at the defaults, undefined for part of a range
        return _partly_undefined(text, rng)
    if choice == 11:  # a string replaced
        odd = rng.choice(["", " ", "x" * 5000, "\\u0000", "ｃ", "a, b, c", "1e309", "[]", "{}"])
        return _replace_match(text, _STRING, rng, lambda m: '"' + odd + '"')
    # random bytes
    data = bytearray(text.encode("utf-8", errors="surrogatepass"))
    for _ in range(rng.randrange(1, 4)):
        if data:
            data[rng.randrange(len(data))] = rng.randrange(256)
    return data.decode("utf-8", errors="replace")


def _explode(text: str, rng: random.Random, kind: str, names: list[str]) -> str:
    n = rng.choice((17, 20, 64, 1000))
    if kind == "nfg":
        header = rng.choice(
            [
                'NFG 1 R "t" { ' + " ".join(f'"p{i}"' for i in range(n)) + " } { " + "2 " * n + "}\n",
                'NFG 1 R "t" { "a" "b" "c" } { 100000 100000 100000 }\n',
                'NFG 1 R "t" { "a" "b" } { ' + "9" * 5000 + " 2 }\n",
                'NFG 1 R "t" { "a" "b" } { 300 300 }\n',
            ]
        )
        return header + " ".join(rng.choice(HOSTILE_NUMBERS[:6] + ["1", "2"]) for _ in range(8)) + "\n"
    if kind == "json":
        depth = rng.choice((65, 1000, 100_000))
        return '{"version": "1", "method": "m", "x": ' + "[" * depth + "]" * depth + "}"
    what = rng.randrange(4)
    if what == 0:  # a deep chain of derived quantities
        depth = rng.choice((150, 2000))
        wrap = rng.choice(("exp({})", "({} + 1)*{p}", "{} + 1", "log({})"))
        chain = [f'z1 = "{names[0]}"'] + [
            f'z{i} = "{wrap.format(f"z{i - 1}", p=names[0])}"' for i in range(2, depth + 1)
        ]
        text = re.sub(r"^\[derived\]\n", "", text, flags=re.MULTILINE)
        return text.replace("[payoffs]", "[derived]\n" + "\n".join(chain) + "\n[payoffs]", 1).replace(
            f'"{names[0]}"', f'"z{depth}"', 1
        )
    if what == 1:  # many players
        players = "\n".join(f'p{i} = ["x", "y"]' for i in range(n))
        return re.sub(r"\[players\]\n", "[players]\n" + players + "\n", text, count=1)
    if what == 2:  # an initial state at the edge of the floats
        return re.sub(r"= \[0\.\d+, 0\.\d+\]", "= [5e-324, 1]", text, count=1)
    return text.replace("[payoffs]", "[payoffs]\n" + "\n".join(f'"k{i}" = [1, 2]' for i in range(3000)), 1)


_PAYOFF_STRING = re.compile(r'(?:(?<=\[)|(?<=, ))"[^"\n]*"(?=[,\]])')
_PARAMETER = re.compile(r"^(\w+)\s*=\s*\{\s*value\s*=\s*(-?\d+(?:\.\d*)?(?:[eE][+-]?\d+)?)", re.MULTILINE)


def _partly_undefined(text: str, rng: random.Random) -> str:
    """A payoff times or plus a term undefined below a point under a parameter's default value.

    The file stays valid at its defaults, so the commands go on to meet the
    undefined part of the range (a sweep's invalid rows, a refused threshold
    scan) instead of stopping at the first check.
    """
    found = list(_PARAMETER.finditer(text))
    if not found:
        return text
    m = rng.choice(found)
    name, value = m.group(1), float(m.group(2))
    cut = value / 2 if value > 0 else value - 1  # below the default: the defaults stay defined
    term = rng.choice(["sqrt({p} - {t})", "log({p} - {t})", "1/({p} - {t})", "({p} - {t})^(1/3)"])
    term = term.format(p=name, t=repr(cut))
    start = text.find("\n[payoffs]")  # a payoff, not a name in [players] or a list of levers
    if start < 0:
        return text
    end = text.find("\n[", start + 1)
    end = len(text) if end < 0 else end
    payoffs = _replace_match(
        text[start:end],
        _PAYOFF_STRING,
        rng,
        lambda s: json.dumps(f"({json.loads(s.group(0))}) + {term}", ensure_ascii=False),
    )
    return text[:start] + payoffs + text[end:]


def _json_mutation(text: str, rng: random.Random) -> str:
    try:
        record = json.loads(text)
    except (ValueError, RecursionError):
        return text
    if not isinstance(record, dict) or not record:
        return text
    target = record.get("provenance") if isinstance(record.get("provenance"), dict) else record
    key = rng.choice(list(target))
    target[key] = rng.choice(
        [None, 1, -1.5, True, "x", [], {}, [1, [2]], {"a": {"b": [1]}}, "\ud800", 10**400, float("nan")]
    )
    try:
        return json.dumps(record, ensure_ascii=rng.random() < 0.5)
    except (ValueError, OverflowError, RecursionError):
        return text


# --- commands ---------------------------------------------------------------------------------


def commands_for(kind: str, path: str, text: str, rng: random.Random, heavy: bool) -> list[str]:
    """One command line to run on a mutated input of ``kind``."""
    if kind == "nfg":
        options = [["solve", path], ["solve", path, "--all"], ["qre", path], ["cite", path]]
        return rng.choice(options + ([["solve", path, "--exact"]] if heavy else []))
    if kind == "json":
        return rng.choice([["cite", path], ["cite", path, "--bibtex"]])
    names = _names(text) or ["a"]
    p = rng.choice(names)
    options = [
        ["params", path],
        ["solve", path],
        ["solve", path, "--json"],
        ["solve", path, "--set", f"{p}={rng.choice(HOSTILE_NUMBERS + ['', '١٢', '0.5'])}"],
        ["sweep", path, "--vary", f"{p}={rng.choice(['0:1:3', '-1:1:3', '1e-320:1:2', '0:1:1000000000'])}"],
        ["sweep", path, "--vary", f"{p}=0:1:2", "--vary", f"{rng.choice(names)}=0:1:2"],
    ]
    if heavy:
        options += [
            ["stability", path],
            ["thresholds", path, "--param", p],
            ["basins", path, "--samples", "50"],
            ["qre", path],
            ["solve", path, "--all"],
            ["sweep", path, "--vary", f"{p}=0:1:3", "--trajectories"],
        ]
    return rng.choice(options)


def fuzz(
    runs: int,
    seed: int = 0,
    timeout: float = 10.0,
    heavy: float = 0.1,
    budget: float | None = None,
    kinds: tuple[str, ...] = ("toml", "nfg", "json"),
    log=None,
) -> tuple[Counter, list[Run], dict]:
    """Run ``runs`` mutated inputs (or until ``budget`` seconds); (counts, failures, stats).

    ``heavy`` is the share of scenario runs that may use the symbolic and
    simulating commands (stability, thresholds, basins), which take up to a
    second each.
    """
    rng = random.Random(seed)
    counts: Counter = Counter()
    failures: list[Run] = []
    warned_runs = 0
    warning_counts: Counter = Counter()  # "file:line: message" -> runs
    warning_example: dict[str, str] = {}  # -> the first command that raised it
    slowest = 0.0
    rss_start = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    folder = Path(tempfile.mkdtemp(prefix="tripartite-fuzz-"))
    start = time.perf_counter()
    cache = os.environ.get("TRIPARTITE_CACHE_DIR")
    os.environ["TRIPARTITE_CACHE_DIR"] = str(folder / "cache")  # the user's cache stays as it was
    try:
        (folder / "results").mkdir()
        made = result_seeds(folder / "results")
        seeds = {
            "toml": scenario_seeds(),
            "nfg": nfg_seeds(),
            "json": {k: v for k, v in made.items() if k.endswith((".json", ".md"))},
        }
        extras = {k: v for k, v in made.items() if not k.endswith((".json", ".md"))}
        for n in range(runs):
            if budget is not None and time.perf_counter() - start > budget:
                break
            kind = rng.choice(kinds)
            name, text = rng.choice(sorted(seeds[kind].items()))
            for _ in range(rng.choice((1, 1, 2, 3))):
                text = mutate_text(text, rng, kind)
            work = folder / f"run{n}"
            work.mkdir()
            files = {}
            if kind == "json" and name.endswith(".csv.json") and rng.random() < 0.5:
                # a hostile sidecar beside a real table
                table = work / name[: -len(".json")]
                table.write_text(extras.get(table.name, "a,b\n1,2\n"), encoding="utf-8")
                path = work / name
                target = table
            else:
                path = work / (
                    name if kind == "json" else Path(name).stem + {"toml": ".toml", "nfg": ".nfg"}[kind]
                )
                target = path
            path.write_text(text, encoding="utf-8", errors="surrogatepass")
            files[path.name] = text
            args = commands_for(kind, str(target), text, rng, rng.random() < heavy)
            warned: list[str] = []
            outcome, seconds, detail = run_cli(args, timeout, warned)
            slowest = max(slowest, seconds)
            counts[outcome] += 1
            if warned:
                warned_runs += 1
                for where in set(warned):
                    warning_counts[where] += 1
                    warning_example.setdefault(where, " ".join(args))
            if outcome in FAILURES:
                failures.append(Run(args, outcome, seconds, detail, files))
                if log is not None:
                    print(f"[{n}] {outcome}: {' '.join(args)}\n{detail}\n", file=log)
            shutil.rmtree(work, ignore_errors=True)
    finally:
        if cache is None:
            os.environ.pop("TRIPARTITE_CACHE_DIR", None)
        else:
            os.environ["TRIPARTITE_CACHE_DIR"] = cache
        shutil.rmtree(folder, ignore_errors=True)
    rss_end = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    stats = {
        "runs": sum(counts.values()),
        "seconds": time.perf_counter() - start,
        "slowest_run": slowest,
        "peak_rss_mib": rss_end / 1024,
        "rss_growth_mib": (rss_end - rss_start) / 1024,
        "runs_with_warnings": warned_runs,
        "warnings": {w: (n, warning_example[w]) for w, n in warning_counts.most_common()},
    }
    return counts, failures, stats


def save_failures(failures: list[Run], folder: Path) -> None:
    """Copy each failing input into ``folder`` with a line for ``cases.json``."""
    folder.mkdir(parents=True, exist_ok=True)
    for k, run in enumerate(failures):
        for name, text in run.files.items():
            target = folder / f"found-{k:03d}-{name}"
            target.write_text(text, encoding="utf-8", errors="surrogatepass")
            args = [a if not a.endswith(name) else "{file}" for a in run.args]
            print(json.dumps({"file": target.name, "args": args, "why": run.outcome}, ensure_ascii=False))


def _main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=300)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--timeout", type=float, default=10.0, help="seconds one run may take")
    parser.add_argument("--heavy", type=float, default=0.1, help="share of runs of the slow commands")
    parser.add_argument(
        "--memory-limit", type=float, default=4096, help="MiB of address space beyond the start"
    )
    parser.add_argument(
        "--budget",
        type=float,
        metavar="SECONDS",
        help="stop starting runs after this long (with --runs large)",
    )
    parser.add_argument("--save-failures", metavar="FOLDER")
    options = parser.parse_args()
    if options.memory_limit > 0 and hasattr(resource, "RLIMIT_AS"):
        with open("/proc/self/statm") as fh:  # Linux: the address space in use now
            used = int(fh.read().split()[0]) * resource.getpagesize()
        limit = used + int(options.memory_limit * 2**20)
        resource.setrlimit(resource.RLIMIT_AS, (limit, resource.getrlimit(resource.RLIMIT_AS)[1]))
    counts, failures, stats = fuzz(
        options.runs, options.seed, options.timeout, options.heavy, budget=options.budget, log=sys.stderr
    )
    print(
        f"runs {stats['runs']}, clean errors {counts['error']}, accepted {counts['accepted']}, "
        f"tracebacks {counts['traceback']}, hangs {counts['hang']}, fallbacks {counts['fallback']}, "
        f"unprintable {counts['unprintable']}, bad exits {counts['bad-exit']}; "
        f"{stats['seconds']:.0f} s, slowest run {stats['slowest_run']:.2f} s, "
        f"peak memory {stats['peak_rss_mib']:.0f} MiB; "
        f"runs with a RuntimeWarning {stats['runs_with_warnings']}"
    )
    for where, (n, example) in stats["warnings"].items():
        print(f"  warning in {n} runs: {where}\n    e.g. {example}")
    if options.save_failures and failures:
        save_failures(failures, Path(options.save_failures))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(_main())
