"""Shared test helpers: seeded random games and brute-force references."""

from __future__ import annotations

import itertools
import os

import numpy as np
import pytest
from hypothesis import settings

# CI runs a fixed, derandomised set of examples (a failure there is reproducible);
# local runs explore new examples each time.
settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")

from tripartite.game import Game


def random_game(shape, seed=0, integer=False, batch=1):
    """A random game of the given shape (floats, or small integers to force ties)."""
    rng = np.random.default_rng(seed)
    size = (batch, len(shape), *shape)
    payoffs = rng.integers(-3, 4, size=size).astype(float) if integer else rng.normal(size=size)
    return Game.from_array(payoffs)


def brute_force_pure(payoffs_point, tol=0.0):
    """Pure equilibria of one point by the definition, with plain loops (reference)."""
    n = payoffs_point.shape[0]
    shape = payoffs_point.shape[1:]
    found, strict = [], []
    for prof in itertools.product(*(range(m) for m in shape)):
        gains = []
        for i in range(n):
            own = payoffs_point[(i, *prof)]
            for t in range(shape[i]):
                if t != prof[i]:
                    dev = prof[:i] + (t,) + prof[i + 1 :]
                    gains.append(payoffs_point[(i, *dev)] - own)
        if all(g <= tol for g in gains):
            found.append(prof)
            if all(g < -tol for g in gains):
                strict.append(prof)
    return found, strict


@pytest.fixture
def baseline():
    from tripartite import load_model

    return load_model("baseline")
