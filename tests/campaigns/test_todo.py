"""An announcement that asks "Gelezen" is on the start page's to-do card of its readers
until they confirm it: only published, only to its audience, three at most."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from campaigns import actions
from tests.campaigns.conftest import scheduled
from tests.factories import EmployeeFactory
from tests.workplace.test_start_page import (  # noqa: F401 (the banner fixture)
    START_PAGE_QUERIES,
    _banner_forgets,
    count_queries,
    directive_to_read,
    for_team,
    kus_editors,
    open_survey,
)

pytestmark = pytest.mark.django_db

CARD = 'aria-labelledby="todo-title"'
ALL_READ = "Alles gelezen"
PINNED = "Vastgepind door de communicatiedienst"


def published(author, audience, title, **fields):
    item = scheduled(author, audience, minutes=-1, title=title, requires_ack=True, **fields)
    actions.do_publish(item)
    item.refresh_from_db()
    return item


def card_of(page: str) -> str:
    """The to-do card ("" when the page has none)."""
    if CARD not in page:
        return ""
    start = page.index(CARD)
    return page[start : page.index("</section>", start)]


def start_page(login, user) -> str:
    response = login(user).get(reverse("home"))
    assert response.status_code == 200
    return response.content.decode()


def test_an_announcement_to_confirm_is_a_row_of_the_to_do_card(
    login, lies, facility_audience, alice
):
    item = published(lies, facility_audience, "Nieuwe werkkledij")
    page = start_page(login, alice)
    card = card_of(page)
    assert "Voor jou te doen" in card
    assert f'class="todo-row" href="{item.get_absolute_url()}"' in card
    assert "Bevestig: Nieuwe werkkledij" in card
    assert ALL_READ not in page


def test_confirming_it_takes_it_off_the_card(login, lies, facility_audience, alice):
    item = published(lies, facility_audience, "Nieuwe werkkledij")
    assert "Bevestig: Nieuwe werkkledij" in card_of(start_page(login, alice))
    client = login(alice)
    assert client.post(reverse("campaigns:acknowledge", args=[item.pk])).status_code == 302
    page = start_page(login, alice)
    assert "Bevestig: Nieuwe werkkledij" not in page
    assert ALL_READ in page


def test_only_published_announcements_to_my_audience_that_ask_it_are_rows(
    login, lies, facility_audience, alice, carol
):
    published(lies, facility_audience, "Depot dicht vrijdag")
    scheduled(lies, facility_audience, title="Nog niet verschenen", requires_ack=True)
    withdrawn = published(lies, facility_audience, "Teruggetrokken bericht")
    actions.do_withdraw(lies, withdrawn)
    without_ack = scheduled(lies, facility_audience, minutes=-1, title="Gewoon nieuws")
    actions.do_publish(without_ack)
    card = card_of(start_page(login, alice))
    assert "Bevestig: Depot dicht vrijdag" in card  # the control: Alice has one to confirm
    assert "Nog niet verschenen" not in card
    assert "Teruggetrokken bericht" not in card
    assert "Gewoon nieuws" not in card
    assert card.count('class="todo-row"') == 1
    # Carol is outside the audience: nothing to confirm, where Alice has it.
    page = start_page(login, carol)
    assert "Depot dicht vrijdag" not in page
    assert ALL_READ in page


def test_more_than_three_end_in_a_row_to_all_announcements(login, lies, facility_audience, alice):
    for number in range(5):
        published(lies, facility_audience, f"Bericht {number}")
    card = card_of(start_page(login, alice))
    assert card.count('class="todo-row"') == 4  # three announcements and the way to all
    assert card.count("Bevestig: Bericht") == 3
    assert "Bevestig: Bericht 4" in card  # the newest first
    assert f'href="{reverse("campaigns:announcements")}"' in card
    assert "Alle aankondigingen" in card


def test_a_pinned_announcement_to_confirm_shows_once_in_the_card(
    login, lies, facility_audience, alice
):
    pin = {"pinned_until": timezone.now() + timedelta(days=2)}
    published(lies, facility_audience, "Depot dicht vrijdag", **pin)
    other = scheduled(lies, facility_audience, minutes=-1, title="Nieuwe parking", **pin)
    actions.do_publish(other)
    page = start_page(login, alice)
    assert "Bevestig: Depot dicht vrijdag" in card_of(page)
    assert "Nieuwe parking" not in card_of(page)
    # The pin without a confirmation to give stays in the pinned panel, the other not.
    pinned = page[page.index(PINNED) : page.index("</section>", page.index(PINNED))]
    assert "Nieuwe parking" in pinned
    assert "Depot dicht vrijdag" not in pinned


def test_more_announcements_to_confirm_cost_no_more_queries(client, organisation, bob):
    editors = kus_editors()
    directive_to_read(editors, organisation["facility"], organisation["team"], "Regel 0")
    open_survey(organisation["team"], "Enquête 0")
    author = EmployeeFactory()
    published(author, for_team(organisation["team"]), "Bericht 0")
    client.force_login(bob)
    first = client.get(reverse("home")).content.decode()
    assert "Bevestig: Bericht 0" in first
    few = count_queries(client)
    for number in range(1, 5):
        published(author, for_team(organisation["team"]), f"Bericht {number}")
    assert count_queries(client) == few
    assert few <= START_PAGE_QUERIES
