"""The on-disk cache of symbolic results: same answers cold, warm, stale or corrupted."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest
import sympy as sp

from tests.games import SMALL
from tripartite import load_model
from tripartite.diskcache import checksum
from tripartite.expr import symbol
from tripartite.symbolic import cache, stability_table
from tripartite.symbolic.exact import compact


def _small(folder):
    path = folder / "small.toml"
    if not path.exists():
        path.write_text(SMALL, encoding="utf-8")
    return load_model(str(path))


@pytest.fixture
def folder(tmp_path, monkeypatch):
    monkeypatch.setenv("TRIPARTITE_CACHE_DIR", str(tmp_path))
    monkeypatch.delenv("TRIPARTITE_CACHE", raising=False)
    return tmp_path


def _record(model):
    return stability_table(model, {"c": 0.25}).to_record()


def _files(folder):
    return sorted(folder.glob("symbolic-*.json"))


def test_warm_run_gives_the_cold_answer(folder):
    expected = _record(_small(folder))  # no session: computed, nothing written
    assert _files(folder) == []
    with cache.session(_small(folder)) as store:
        cold = _record(store.model)
    assert store.loaded == 0 and store.new > 0
    [path] = _files(folder)
    written = path.read_bytes()
    with cache.session(_small(folder)) as store:
        warm = _record(store.model)
    assert store.loaded > 0
    assert cold == expected and warm == expected
    assert path.read_bytes() == written  # nothing new to write: the file is left alone


@pytest.mark.slow
@pytest.mark.parametrize(
    "damage",
    [
        lambda text: text[: len(text) // 2],  # truncated
        lambda text: "not json",
        lambda text: text.replace('"depends"', '"never"', 1),  # a verdict changed: checksum differs
        lambda text: json.dumps({**json.loads(text), "key": "0" * 32}),  # someone else's key
    ],
)
def test_a_damaged_file_is_ignored_and_replaced(folder, damage):
    with cache.session(_small(folder)):
        expected = _record(_small(folder))
    [path] = _files(folder)
    path.write_text(damage(path.read_text(encoding="utf-8")), encoding="utf-8")
    with cache.session(_small(folder)) as store:
        again = _record(store.model)
    assert store.loaded == 0
    assert again == expected
    with cache.session(_small(folder)) as store:  # rewritten whole
        assert store.loaded > 0


def test_a_forged_entry_with_a_valid_checksum_cannot_smuggle_code(folder):
    with cache.session(_small(folder)):
        _record(_small(folder))
    [path] = _files(folder)
    document = json.loads(path.read_text(encoding="utf-8"))
    original = json.dumps(document)
    forgeries = [
        ["S", "__import__('os').system('echo hacked')"],  # not a symbol of the model
        ["eval", 0],  # not an operation of the grammar
        ["Add", 0, 10**6],  # a node that does not exist (or a later one: a cycle)
        ["I", "9" * 400],  # a number beyond the parser's limits
    ]
    for forged in forgeries:
        document = json.loads(original)
        document["payload"]["nodes"][0] = forged
        document["checksum"] = checksum(document["payload"])
        path.write_text(json.dumps(document), encoding="utf-8")
        with cache.session(_small(folder)) as store:
            assert store.loaded == 0, forged  # the decoder refused it: the file is ignored


def test_nodes_rebuild_the_identical_expression():
    m = load_model("baseline")
    names = [*m.parameter_names, "x1", "x2", "x3"]
    x1, c, nu = (symbol(n) for n in ("x1", "c", "nu"))
    exprs = [
        -c * (1 - x1) ** 2 / (nu + 3) + sp.Rational(-7, 3) * sp.exp(c) - sp.log(nu + 1),
        sp.Max(c, nu) - sp.Abs(c - 1) + sp.sqrt(c**2 + nu) + sp.E,
        sp.Integer(0),
        sp.Integer(-1),
    ]
    table, seen = [], {}
    nodes = [cache._encode_node(e, table, seen, set(names)) for e in exprs]
    rebuilt = cache._decode_nodes(json.loads(json.dumps(table)), names)
    for e, k in zip(exprs, nodes):
        assert rebuilt[k] == e and sp.srepr(rebuilt[k]) == sp.srepr(e)
    # outside the grammar: not stored at all (the entry is recomputed instead)
    assert cache._encode_node(c * sp.Float(0.1), [], {}, set(names)) is None
    assert cache._encode_node(sp.Symbol("other", real=True), [], {}, set(names)) is None


@pytest.mark.slow
def test_cached_model_hash_is_the_hash(folder):
    m = load_model("baseline")
    assert cache.model_hash(m) == load_model("baseline").hash
    again = load_model("baseline")
    assert cache.model_hash(again) == m.hash and "hash" in vars(again)
    other = replace(again, parameters=tuple(replace(p, max=p.max + 1) for p in again.parameters))
    assert cache.model_hash(other) == replace(again, parameters=other.parameters).hash != m.hash


@pytest.mark.slow
def test_critical_values_and_thresholds_same_in_a_session(folder):
    from tripartite.sweep import thresholds
    from tripartite.symbolic.critical import critical_values, stable_intervals

    m = load_model("baseline")
    expected = (
        [c.to_record() for c in critical_values(m, "nu", at={})],
        stable_intervals(m, "nu", at={}),
        thresholds(m, "nu"),
    )
    for _ in range(2):  # cold, then warm from the file
        with cache.session(load_model("baseline")) as store:
            model = store.model
            got = (
                [c.to_record() for c in critical_values(model, "nu", at={})],
                stable_intervals(model, "nu", at={}),
                thresholds(model, "nu"),
            )
        assert got == expected
    assert store.loaded > 0


def test_other_ranges_or_another_model_use_another_file(folder):
    model = _small(folder)
    widened = [replace(p, max=p.max * 2) if p.name == "a" else p for p in model.parameters]
    other = replace(model, parameters=tuple(widened))
    assert cache._key_for(other) != cache._key_for(model)
    assert cache._key_for(load_model("baseline")) != cache._key_for(model)
    assert cache._key_for(_small(folder)) == cache._key_for(model)


def test_off_switch_writes_nothing(folder, monkeypatch):
    monkeypatch.setenv("TRIPARTITE_CACHE", "off")
    with cache.session(_small(folder)) as store:
        _record(store.model)
    assert store.key is None and _files(folder) == []


def test_outside_a_session_compact_is_pure(folder):
    m = _small(folder)
    a, b = m.symbols["a"], m.symbols["b"]
    assert compact(a * (1 + b) - a) == a * b
    assert _files(folder) == []
