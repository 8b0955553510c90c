"""Repository-wide pytest hooks (tests/conftest.py holds the test helpers)."""

import os
import shutil
import tempfile

import pytest

try:  # the property tests draw the same examples on every run, so CI is reproducible;
    # HYPOTHESIS_PROFILE=explore draws new ones (for a hunt by hand)
    from hypothesis import settings

    settings.register_profile("deterministic", derandomize=True)
    settings.register_profile("explore", derandomize=False)
    settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "deterministic"))
except ImportError:  # hypothesis is a test dependency; without it the property tests are not collected
    pass

_CACHE_DIR = None


def pytest_configure(config):
    # the suite gets a cache folder of its own: tests never read or fill the user's cache
    global _CACHE_DIR
    _CACHE_DIR = tempfile.mkdtemp(prefix="tripartite-test-cache-")
    os.environ["TRIPARTITE_CACHE_DIR"] = _CACHE_DIR


def pytest_unconfigure(config):
    if _CACHE_DIR is not None:
        shutil.rmtree(_CACHE_DIR, ignore_errors=True)


def pytest_collection_modifyitems(items):
    # the notebooks (run by nbmake) take 20-25 s together: CI runs them, the quick loop skips them
    for item in items:
        if item.path.suffix == ".ipynb":
            item.add_marker(pytest.mark.slow)
