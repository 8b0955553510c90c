"""Repository-wide pytest hooks (tests/conftest.py holds the test helpers)."""

import pytest


def pytest_collection_modifyitems(items):
    # the notebooks (run by nbmake) take 20-25 s together: CI runs them, the quick loop skips them
    for item in items:
        if item.path.suffix == ".ipynb":
            item.add_marker(pytest.mark.slow)
