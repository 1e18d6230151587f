from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _media_and_index_in_tmp():
    """The matrix's world is built once per module, files included: its media root holds."""
