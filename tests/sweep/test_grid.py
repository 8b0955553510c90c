"""Designs: grids from ranges and lists, samples, and their validation."""

import itertools
import re

import numpy as np
import pytest

from tripartite import load_model
from tripartite.errors import ParameterError, TripartiteError
from tripartite.sweep.designs import grid, parse_bounds, parse_range, parse_sample, sample


@pytest.fixture(scope="module")
def model():
    return load_model("baseline")


def test_range_is_linspace_with_both_ends():
    assert parse_range("nu", "0:1:5").tolist() == [0.0, 0.25, 0.5, 0.75, 1.0]
    assert parse_range("c", "700:350:3").tolist() == [700.0, 525.0, 350.0]  # descending is fine
    assert parse_range("c", "350,700, 1000").tolist() == [350.0, 700.0, 1000.0]
    assert parse_range("c", "5:5:1").tolist() == [5.0]


@pytest.mark.parametrize(
    "text, fragment",
    [
        ("0:1", "malformed range"),
        ("0:1:2:3", "malformed range"),
        ("a:1:3", "'a' is not a number"),
        ("0:1:x", "not a whole number"),
        ("0:1:1", "at least 2 points"),
        ("0:1:0", "at least 2 points"),
        ("1,,2", "malformed value list"),
        ("", "malformed value list"),
        ("0:inf:3", "must be finite"),
    ],
)
def test_malformed_ranges_are_named(text, fragment):
    with pytest.raises(ParameterError, match=fragment) as info:
        parse_range("nu", text)
    assert "'nu'" in str(info.value)


def test_grid_is_row_major_like_itertools_product(model):
    design = grid(model, {"nu": "0:1:3", "phi": [0, 0.5], "c": "100,200"})
    assert design.shape == (3, 2, 2) and design.n_points == 12
    expected = list(itertools.product([0, 0.5, 1], [0, 0.5], [100, 200]))
    chunks = [design.chunk(s, s + 5) for s in range(0, 12, 5)]
    got = [tuple(float(c[k][j]) for k in ("nu", "phi", "c")) for c in chunks for j in range(len(c["nu"]))]
    assert got == [tuple(map(float, p)) for p in expected]


def test_grid_validates_before_any_work(model):
    with pytest.raises(ParameterError, match="unknown parameter 'nope'"):
        grid(model, {"nope": "0:1:3"})
    with pytest.raises(ParameterError, match=r"outside its admissible range \[0, 1\]"):
        grid(model, {"nu": "0:2:3"})
    with pytest.raises(ParameterError, match=r"outside its admissible range \[1, inf\]"):
        grid(model, {"lam": [0.5, 2]})
    with pytest.raises(ParameterError, match="vary at least one"):
        grid(model, {})


@pytest.mark.parametrize("method", ["sobol", "lhs", "random"])
def test_samples_stay_in_bounds_and_are_reproducible(model, method):
    a = sample(model, {"nu": (0.2, 0.4), "c": "300:700"}, 64, method, seed=3)
    b = sample(model, {"nu": (0.2, 0.4), "c": "300:700"}, 64, method, seed=3)
    pts = a.chunk(0, 64)
    assert np.all((pts["nu"] >= 0.2) & (pts["nu"] <= 0.4)) and np.all((pts["c"] >= 300) & (pts["c"] <= 700))
    np.testing.assert_array_equal(pts["nu"], b.chunk(0, 64)["nu"])
    assert a.spec["method"] == method and a.spec["seed"] == 3
    assert not np.array_equal(
        pts["nu"], sample(model, {"nu": (0.2, 0.4), "c": "300:700"}, 64, method, 4).chunk(0, 64)["nu"]
    )


def test_latin_hypercube_hits_every_stratum(model):
    pts = sample(model, {"nu": (0, 1)}, 50, "lhs").chunk(0, 50)["nu"]
    assert sorted(np.floor(pts * 50).astype(int).tolist()) == list(range(50))


def test_sample_validation(model):
    assert parse_sample("sobol:1024") == ("sobol", 1024)
    assert parse_sample("latin:10") == ("lhs", 10)
    for bad in ("sobol", "grid:10", "sobol:ten", "lhs:0"):
        with pytest.raises(ParameterError):
            parse_sample(bad)
    with pytest.raises(ParameterError, match="bounds LO:HI"):
        parse_bounds("nu", "0:1:10")
    with pytest.raises(ParameterError, match="must be below"):
        parse_bounds("nu", "1:0")
    with pytest.raises(ParameterError, match="admissible range"):
        sample(model, {"nu": (0, 2)}, 8)


@pytest.mark.parametrize(
    "axes, what",
    [
        ({"nu": "0:1:1000000000"}, "asks for 1,000,000,000 values (7.45 GiB); the limit is 1,000,000"),
        ({"nu": "0:1:" + "9" * 5000}, "the limit is 1,000,000 values per parameter"),
        ({"nu": "0:1:100000", "phi": "0:1:100000"}, "100,000 x 100,000 = 10,000,000,000 points"),
        ({"c": "0:1e300:3"}, "range stop 1e300 is larger in absolute value than 1e+15"),
        ({"c": "1e309:1:3"}, "range start must be finite"),
        ({"c": "nan,1"}, "value must be finite"),
    ],
)
def test_designs_that_would_explode_are_refused_before_any_allocation(model, axes, what):
    with pytest.raises(TripartiteError, match=re.escape(what)):
        grid(model, axes)


def test_samples_are_limited_before_drawing():
    with pytest.raises(TripartiteError, match="a sample of 1,000,000,000 points; the limit is 10,000,000"):
        parse_sample("sobol:1000000000")
    with pytest.raises(TripartiteError, match="the limit is 10,000,000"):
        sample(load_model("baseline"), {"nu": (0, 1)}, 10**9)
