from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _fresh_index(search_index):
    """Every search test gets the fresh index of ``tests/conftest.py``."""
    return search_index
