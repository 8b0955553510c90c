"""The guards of issue 15 on their own: sizes, the time guard, temporary files, SIGTERM, main's nets."""

from __future__ import annotations

import math
import os
import signal
import time

import pytest

from tripartite import limits
from tripartite.cli import main
from tripartite.errors import LimitError, TripartiteError
from tripartite.io.atomic import atomic_path, remove_stale_temporaries

GAME = (
    '[players]\nr = ["u", "d"]\nc = ["l", "r"]\n[parameters]\na = { value = 1, min = 0, max = 2 }\n'
    '[payoffs]\n"u, l" = ["a", "1"]\n"u, r" = ["0", "0"]\n"d, l" = ["0", "0"]\n"d, r" = ["1", "a"]\n'
)


def test_sizes_are_named_in_binary_units():
    assert limits.size_text(512) == "512 B"
    assert limits.size_text(8.0 * 2 * 2**20) == "16 MiB"
    assert limits.size_text(320 * 2**40) == "320 TiB"
    assert limits.size_text(8 * 64 * 2.0**64) == "8,192 EiB"


def test_a_game_at_the_limit_passes_and_one_beyond_is_refused_with_its_size():
    limits.check_profiles([2] * 16, "g")  # 65,536 profiles
    limits.check_profiles([1000, 100], "g")  # exactly the limit of profiles
    with pytest.raises(
        LimitError, match=r"g: 3 players with 100 x 100 x 1000 strategies: 10,000,000 profiles"
    ):
        limits.check_profiles([100, 100, 1000], "g")
    with pytest.raises(LimitError, match="17 players"):
        limits.check_profiles([1] * 17, "g")


def test_the_magnitude_limit():
    assert limits.check_magnitude(-1e15, "x") == -1e15
    with pytest.raises(LimitError, match="x: 1e\\+16 is larger in absolute value than 1e\\+15"):
        limits.check_magnitude(1e16, "x")
    with pytest.raises(TripartiteError, match="not a finite number"):
        limits.check_magnitude(math.nan, "x")


def test_the_time_guard_stops_a_step_and_gives_an_outer_guard_its_time_back():
    with pytest.raises(LimitError, match="a nap took longer than 0.05 s"):
        with limits.time_limit(0.05, "a nap"):
            time.sleep(2)
    with pytest.raises(LimitError, match="outer"):
        with limits.time_limit(0.3, "outer"):
            with limits.time_limit(10, "inner"):  # longer than what the outer has left: the outer decides
                time.sleep(2)
    with limits.time_limit(0.5, "outer"):
        with pytest.raises(LimitError, match="inner"):
            with limits.time_limit(0.02, "inner"):
                time.sleep(1)
    assert signal.getitimer(signal.ITIMER_REAL)[0] == 0  # every alarm cleared


def test_the_symbolic_time_limit_is_read_from_the_environment(monkeypatch):
    monkeypatch.delenv(limits.SYMBOLIC_TIMEOUT_VARIABLE, raising=False)
    assert limits.symbolic_timeout() == limits.SYMBOLIC_TIMEOUT
    monkeypatch.setenv(limits.SYMBOLIC_TIMEOUT_VARIABLE, "600")
    assert limits.symbolic_timeout() == 600
    monkeypatch.setenv(limits.SYMBOLIC_TIMEOUT_VARIABLE, "0")
    assert limits.symbolic_timeout() == math.inf
    monkeypatch.setenv(limits.SYMBOLIC_TIMEOUT_VARIABLE, "soon")
    with pytest.raises(
        TripartiteError, match="TRIPARTITE_SYMBOLIC_TIMEOUT='soon': expected a number of seconds"
    ):
        limits.symbolic_timeout()
    monkeypatch.setenv(limits.SYMBOLIC_TIMEOUT_VARIABLE, "0.01")
    with pytest.raises(LimitError, match="set the environment variable TRIPARTITE_SYMBOLIC_TIMEOUT"):
        with limits.symbolic_time_limit("a symbolic step"):
            time.sleep(1)


def test_a_symbolic_sign_over_its_limit_is_an_error_and_never_a_verdict(monkeypatch):
    import tripartite.symbolic.verdicts as verdicts
    from tripartite import read_scenario

    def endless(*args):
        time.sleep(30)

    model = read_scenario(GAME)
    monkeypatch.setattr(verdicts, "_decide_negative", endless)
    monkeypatch.setenv(limits.SYMBOLIC_TIMEOUT_VARIABLE, "0.05")
    with pytest.raises(LimitError, match="deciding the sign of a - 1 took longer than 0.05 s"):
        verdicts.decide_negative(model.symbols["a"] - 1, model)


@pytest.mark.slow
def test_a_symbolic_step_over_its_limit_is_one_clean_error(monkeypatch, tmp_path, capsys):
    import tripartite.symbolic.verdicts as verdicts

    def endless(*args):
        time.sleep(30)

    monkeypatch.setattr(verdicts, "_decide_negative", endless)
    monkeypatch.setenv(limits.SYMBOLIC_TIMEOUT_VARIABLE, "0.05")
    monkeypatch.setenv("TRIPARTITE_CACHE", "off")
    scenario = tmp_path / "g.toml"
    scenario.write_text(GAME)
    assert main(["stability", str(scenario)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err[-1].startswith("tripartite: error: deciding the sign of ")
    assert "took longer than 0.05 s" in err[-1] and len([e for e in err if "error" in e]) == 1


def test_stale_temporaries_of_one_output_are_removed_and_nothing_else(tmp_path):
    for name in (".t.csv.0123abcd.part", ".t.csv.json.89abcdef.part", ".other.csv.0123abcd.part",
                 ".t.csv.notours.part", "t.csv"):  # fmt: skip
        (tmp_path / name).write_text("x")
    removed = remove_stale_temporaries(tmp_path / "t.csv")
    assert [p.name for p in removed] == [".t.csv.0123abcd.part"]
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        ".other.csv.0123abcd.part", ".t.csv.json.89abcdef.part", ".t.csv.notours.part", "t.csv"
    ]  # fmt: skip


def test_sigterm_during_a_write_leaves_no_temporary_file(tmp_path, monkeypatch, capsys):
    import tripartite.cli as cli

    def writes_then_is_terminated(args):
        with atomic_path(tmp_path / "out.txt") as tmp:
            tmp.write_text("half")
            os.kill(os.getpid(), signal.SIGTERM)
            time.sleep(5)

    monkeypatch.setitem(cli.COMMANDS, "params", "params")
    import tripartite.cli.params as params

    monkeypatch.setattr(params, "run", writes_then_is_terminated)
    assert main(["params"]) == 143
    assert list(tmp_path.iterdir()) == []
    assert "terminated (SIGTERM)" in capsys.readouterr().err
    assert signal.getsignal(signal.SIGTERM) == signal.SIG_DFL  # restored


def test_running_out_of_memory_or_recursion_is_one_line(monkeypatch, capsys):
    import tripartite.cli.params as params

    for error, words in ((MemoryError, "out of memory"), (RecursionError, "nested too deeply")):

        def fails(args, error=error):
            raise error()

        monkeypatch.setattr(params, "run", fails)
        assert main(["params"]) == 2
        err = capsys.readouterr().err
        assert err.startswith("tripartite: error: ") and words in err and err.count("\n") == 1


def test_roots_over_coefficients_sympy_cannot_isolate_are_found_numerically():
    import sympy as sp

    from tripartite.symbolic.restpoints import _solve_multilinear

    x = sp.Symbol("x", real=True)
    equation = x**3 - sp.E * x + sp.sqrt(2)  # 'sorted roots not supported over EX' in sympy.real_roots
    solutions, degenerate = _solve_multilinear([equation], [x])
    assert not degenerate and len(solutions) == 3
    for solution in solutions:
        assert abs(sp.N(equation.subs(x, solution[x]), 40)) < 1e-25


@pytest.mark.parametrize(
    "argv, message",
    [
        (["qre", "baseline", "--lambda-max", "1e300"], "exceeds 1e+12"),
        (["qre", "baseline", "--lambda", "1e20"], "exceeds 1e+12"),
        (["basins", "baseline", "--samples", "1000000000"], "1,000,000,000 initial states exceed"),
        (["basins", "baseline", "--grid", "100000"], "interior states; the limit is 1,000,000"),
        (["basins", "baseline", "--samples", "10", "--seed", "-5"], "non-negative integer"),
        (["stability", "baseline", "--tol", "inf"], "--tol must be a non-negative number"),
        (["sweep", "baseline", "--vary", "nu=0:1:3", "--tol", "nan"], "--tol must be a non-negative number"),
        (["solve", "baseline", "--tol", "inf"], "finite non-negative number"),
        (["escape", "baseline", "--tol", "inf"], "--margin must be larger than --tol"),
    ],
)
def test_options_that_would_hang_or_crash_are_one_error_line(argv, message, capsys):
    started = time.perf_counter()
    try:
        code = main(argv)
    except SystemExit as stop:  # argparse's own errors
        code = stop.code
    err = capsys.readouterr().err
    assert code == 2 and message in err and "Traceback" not in err
    assert err.count("\n") == 1
    assert time.perf_counter() - started < 30  # refused before the work, not after it
