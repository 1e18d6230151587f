"""A directive that asks for acknowledgement has the same reach figures as an
announcement, for its editors: delivered, seen in the stream, opened, acknowledged."""

from __future__ import annotations

import pytest
from django.urls import reverse

from campaigns.models import ReachCount, Stage
from tests.factories import AudienceFactory
from tests.kus.conftest import make_directive

pytestmark = pytest.mark.django_db


@pytest.fixture
def directive(
    django_capture_on_commit_callbacks, editor, reviewer, organisation, alice, bob, carol
):
    audience = AudienceFactory()
    audience.departments.add(organisation["facility"])
    with django_capture_on_commit_callbacks(execute=True):
        return make_directive(
            editor, reviewer, owner=organisation["civil"], audience=audience, requires_ack=True
        )


def people(directive, stage) -> int:
    rows = ReachCount.objects.filter(reach__directive=directive, stage=stage)
    return sum(row.people for row in rows)


def test_publication_counts_the_delivery_to_its_audience(directive):
    assert people(directive, Stage.DELIVERED) == 2


def test_its_stream_card_reading_and_acknowledgement_are_counted(login, directive, alice, bob):
    client = login(alice)
    seen_url = reverse("campaigns:directive_seen", args=[directive.pk])
    assert f'data-seen-url="{seen_url}"' in client.get("/").content.decode()
    assert client.post(seen_url).status_code == 204
    assert people(directive, Stage.SEEN) == 1
    bob_client = login(bob)
    bob_client.get(directive.get_absolute_url() + "?via=email")
    assert people(directive, Stage.OPENED) == 1
    assert people(directive, Stage.SEEN) == 2
    bob_client.post(reverse("kus:acknowledge", args=[directive.number]), {"version": "1"})
    assert people(directive, Stage.ACTED) == 1


def test_only_its_editors_see_the_figures(login, directive, editor, alice, carol):
    url = reverse("campaigns:directive_reach", args=[directive.number])
    assert login(alice).get(url).status_code == 404
    page = login(editor).get(url)
    assert page.status_code == 200 and "Bereik" in page.content.decode()
    progress = login(editor).get(reverse("kus:progress", args=[directive.number])).content.decode()
    assert f'href="{url}"' in progress
    seen = reverse("campaigns:directive_seen", args=[directive.pk])
    assert login(carol).post(seen).status_code == 404
    assert login(alice).post(seen).status_code == 204  # the control: its reader counts
