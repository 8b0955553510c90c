"""The mutation fuzzer in the test suite: a few hundred hostile inputs, each ending cleanly.

``fuzz.fuzz`` mutates the shipped models, the examples, ``.nfg`` games and
result files and runs each through a command in this process; every run
must end in exit status 0 or in one ``tripartite: error:`` line with status
2, within its time guard, without a traceback, and the process's peak
memory must stay bounded.  The oracle itself is tested first: a command
that raises, hangs, prints what UTF-8 cannot hold or exits otherwise is
classified as such.
"""

from __future__ import annotations

import sys
import time

import pytest

from . import fuzz


@pytest.fixture
def fake_main(monkeypatch):
    def install(body):
        monkeypatch.setattr(fuzz, "main", body)

    return install


def test_the_oracle_classifies_every_ending(fake_main):
    def clean(args):
        print("tripartite: error: x.toml: [players]: bad", file=sys.stderr)
        return 2

    fake_main(clean)
    assert fuzz.run_cli([], 1)[0] == "error"
    fake_main(lambda args: 0)
    assert fuzz.run_cli([], 1)[0] == "accepted"

    def raises(args):
        raise OverflowError("int too large to convert to float")

    fake_main(raises)
    outcome, _, detail = fuzz.run_cli([], 1)
    assert outcome == "traceback" and "OverflowError" in detail
    fake_main(lambda args: time.sleep(5))
    assert fuzz.run_cli([], 0.05)[0] == "hang"

    def surrogate(args):
        print("\ud800")
        return 0

    fake_main(surrogate)
    assert fuzz.run_cli([], 1)[0] == "unprintable"

    def memory(args):
        print("tripartite: error: out of memory; ...", file=sys.stderr)
        return 2

    fake_main(memory)
    assert fuzz.run_cli([], 1)[0] == "fallback"

    def numpy_warns(args):
        import numpy as np

        np.log(np.array([-1.0, -2.0]))
        return 0

    fake_main(numpy_warns)
    for _ in range(2):  # counted every time, not once per place as Python shows them
        warned = []
        outcome, _, _ = fuzz.run_cli([], 1, warned)
        assert outcome == "accepted" and len(warned) == 1 and "invalid value encountered in log" in warned[0]
    fake_main(lambda args: 1)
    assert fuzz.run_cli([], 1)[0] == "bad-exit"


def test_a_mutation_changes_the_text_and_is_reproducible():
    import random

    text = fuzz.TOY
    first = [fuzz.mutate_text(text, random.Random(k), "toml") for k in range(30)]
    again = [fuzz.mutate_text(text, random.Random(k), "toml") for k in range(30)]
    assert first == again
    assert sum(m != text for m in first) >= 25


@pytest.mark.slow
def test_hostile_inputs_end_in_a_result_or_one_clean_error():
    counts, failures, stats = fuzz.fuzz(runs=250, seed=2026, timeout=10, heavy=0.03)
    report = "\n\n".join(f"{r.outcome}: {' '.join(r.args)}\n{r.detail}" for r in failures)
    assert not failures, report
    assert stats["runs"] == 250
    assert counts["error"] > 0 and counts["accepted"] > 0, counts
    assert stats["rss_growth_mib"] < 1024, stats
