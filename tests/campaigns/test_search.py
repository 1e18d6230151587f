"""An announcement is found in the search by its audience, and only after publication."""

from __future__ import annotations

import pytest

from campaigns import actions
from search import query
from search.query import SearchParams
from tests.campaigns.conftest import scheduled

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_index(search_index):
    return search_index


def titles(user, text: str) -> list[str]:
    return [hit.title for hit in query.search(user, SearchParams(q=text)).hits]


def test_found_by_its_audience_only_after_publication_until_withdrawal(
    django_capture_on_commit_callbacks, lies, alice, carol, facility_audience
):
    with django_capture_on_commit_callbacks(execute=True):
        item = scheduled(lies, facility_audience, title="Nieuwe werkkledij", minutes=-1)
    assert titles(alice, "werkkledij") == []
    with django_capture_on_commit_callbacks(execute=True):
        actions.do_publish(item)
    assert titles(alice, "werkkledij") == ["Nieuwe werkkledij"]
    assert titles(carol, "werkkledij") == []
    with django_capture_on_commit_callbacks(execute=True):
        actions.do_withdraw(lies, item)
    assert titles(alice, "werkkledij") == []
