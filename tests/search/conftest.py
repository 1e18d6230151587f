from __future__ import annotations

import threading

import pytest
from haystack import connections

from search import whoosh_engine


@pytest.fixture(autouse=True)
def search_index(settings, tmp_path):
    """A fresh Whoosh index per test, updated in the saving thread."""
    settings.SEARCH_INDEX_UPDATES = "inline"
    saved = connections.connections_info
    options = {"ENGINE": "search.backend.WerkplekWhooshEngine", "PATH": str(tmp_path / "ix")}
    settings.HAYSTACK_CONNECTIONS = connections.connections_info = {"default": options}
    # Haystack keeps one backend per thread: forget them all.
    connections.thread_local = threading.local()
    whoosh_engine.reset()
    yield tmp_path / "ix"
    whoosh_engine.reset()
    connections.connections_info = saved
    connections.thread_local = threading.local()
