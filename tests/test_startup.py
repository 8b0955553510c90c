"""Start-up: ``import tripartite`` and the command line load only what they use.

Each check runs in a fresh interpreter and reads ``sys.modules``: a property
of the imports, not a timing (the timings are in ``benchmarks/bench_startup.py``).
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

HEAVY = ("matplotlib", "pandas", "sympy", "scipy.integrate", "scipy.optimize", "scipy.stats", "nashpy")


def loaded_after(code: str) -> list[str]:
    """The heavy modules present in ``sys.modules`` after running ``code`` in a new interpreter."""
    probe = f"{code}\nimport json, sys\nprint(json.dumps([m for m in {HEAVY!r} if m in sys.modules]))"
    out = subprocess.run([sys.executable, "-c", probe], check=True, capture_output=True, text=True).stdout
    return json.loads(out.splitlines()[-1])


def test_import_tripartite_loads_no_heavy_library():
    assert loaded_after("import tripartite") == []


def test_version_loads_no_heavy_library():
    code = "import contextlib, io\nfrom tripartite.cli import main\nwith contextlib.suppress(SystemExit), contextlib.redirect_stdout(io.StringIO()):\n    main(['--version'])"
    assert loaded_after(code) == []


@pytest.mark.slow
def test_a_command_imports_only_its_own_module():
    code = "from tripartite.cli import build_parser\nbuild_parser(['cite'])"
    out = subprocess.run(
        [
            sys.executable,
            "-c",
            f"{code}\nimport sys\nprint(sorted(m for m in sys.modules if m.startswith('tripartite.cli.')))",
        ],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    assert "tripartite.cli.cite" in out
    assert "tripartite.cli.solve" not in out and "tripartite.cli.sweep" not in out


def test_public_names_resolve_to_the_same_objects():
    import tripartite as tp
    from tripartite.scenario import load_model
    from tripartite.sweep.runner import sweep

    assert tp.load_model is load_model
    assert tp.run_sweep is sweep
    assert set(tp.__all__) <= set(dir(tp))
    for name in tp.__all__:
        assert getattr(tp, name) is not None
    with pytest.raises(AttributeError, match="no attribute 'no_such_name'"):
        tp.no_such_name  # noqa: B018


def test_deprecated_names_still_warn():
    import tripartite as tp

    with pytest.warns(DeprecationWarning, match="load_scenario is deprecated"):
        tp.load_scenario  # noqa: B018


@pytest.mark.parametrize("argv", [["--help"], ["no-such-command"]])
def test_help_and_unknown_commands_list_every_command(argv, capsys):
    from tripartite.cli import COMMANDS, main

    with pytest.raises(SystemExit):
        main(argv)
    captured = capsys.readouterr()
    for name in COMMANDS:
        assert name in captured.out + captured.err


@pytest.mark.slow
def test_params_from_the_cache_prints_the_same_table_without_sympy(tmp_path):
    """The second ``params`` of an unchanged file reads the cache; an edit of the file is seen at once."""
    import os

    env = {**os.environ, "TRIPARTITE_CACHE_DIR": str(tmp_path / "cache")}
    env.pop("TRIPARTITE_CACHE", None)
    scenario = tmp_path / "toy.toml"
    scenario.write_text(
        'name = "toy"\n[players]\na = ["x", "y"]\nb = ["u", "v"]\n'
        '[parameters]\nk = { value = 2, min = 0, description = "a cost" }\n'
        '[payoffs]\n"x, u" = ["k", "1"]\n"x, v" = ["0", "0"]\n"y, u" = ["0", "0"]\n"y, v" = ["1", "k"]\n',
        encoding="utf-8",
    )
    code = (
        "import sys\nfrom tripartite.cli import main\nmain(sys.argv[1:])\n"
        "print('sympy loaded' if 'sympy' in sys.modules else 'no sympy')"
    )

    def params(*argv):
        run = subprocess.run(
            [sys.executable, "-c", code, "params", *argv], env=env, capture_output=True, text=True, check=True
        )
        *table, probe = run.stdout.splitlines()
        return "\n".join(table), probe

    first, probe = params(str(scenario))
    assert probe == "sympy loaded" and "a cost" in first
    again, probe = params(str(scenario))
    assert (again, probe) == (first, "no sympy")
    scenario.write_text(scenario.read_text(encoding="utf-8").replace("a cost", "the cost"), encoding="utf-8")
    edited, probe = params(str(scenario))
    assert probe == "sympy loaded" and "the cost" in edited and "a cost" not in edited


def _blas_setting_after(argv: list[str], env: dict[str, str]) -> str | None:
    """``OPENBLAS_NUM_THREADS`` as the command line leaves it, run as ``python -m tripartite`` would."""
    import os

    probe = (
        "import contextlib, io, os, sys\n"
        "from tripartite.cli import main\n"
        f"with contextlib.suppress(SystemExit), contextlib.redirect_stdout(io.StringIO()):\n    main({argv!r})\n"
        "print(os.environ.get('OPENBLAS_NUM_THREADS'))"
    )
    clean = {k: v for k, v in os.environ.items() if k not in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS")}
    out = subprocess.run(
        [sys.executable, "-c", probe], check=True, capture_output=True, text=True, env={**clean, **env}
    ).stdout
    found = out.splitlines()[-1]
    return None if found == "None" else found


def test_the_command_line_runs_on_one_blas_thread_unless_told():
    assert _blas_setting_after(["--version"], {}) == "1"
    assert _blas_setting_after(["--version"], {"OPENBLAS_NUM_THREADS": "4"}) == "4"
    assert _blas_setting_after(["--version"], {"OMP_NUM_THREADS": "3"}) is None  # the user's choice


def test_main_after_numpy_leaves_the_environment_alone(monkeypatch):
    from tripartite.cli import BLAS_THREAD_VARIABLES, _one_blas_thread_by_default

    for name in BLAS_THREAD_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    _one_blas_thread_by_default()  # numpy is loaded in the test process: too late to matter
    assert "OPENBLAS_NUM_THREADS" not in __import__("os").environ


def test_python_dash_m_exits_with_the_commands_status():
    run = subprocess.run([sys.executable, "-m", "tripartite", "params", "no-such-model"], capture_output=True)
    assert run.returncode == 2 and run.stderr.decode().startswith("tripartite: error:")
