"""What a reader does counts, through the channel it came by: a card on screen (with or
without script), opening it from push, e-mail, a poster or a terminal, a followed link,
an acknowledgement. And where a reader finds it: stream, start page, list, campaign page."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from campaigns import actions, reach, report
from campaigns.models import Acknowledgement, Reach, ReachChannel, ReachCount, Stage
from notifications.models import Notification
from tests.auth import verified_login
from tests.campaigns.conftest import scheduled
from tests.factories import EmployeeFactory
from workplace.terminals import COOKIE_NAME

pytestmark = pytest.mark.django_db


@pytest.fixture
def item(lies, facility_audience, alice, bob, carol):
    announcement = scheduled(lies, facility_audience, minutes=-1, requires_ack=True)
    actions.do_publish(announcement)
    announcement.refresh_from_db()
    return announcement


def counted(item, stage) -> dict[str, int]:
    totals: dict[str, int] = {}
    for row in ReachCount.objects.filter(reach__announcement=item, stage=stage):
        if row.people:
            totals[row.channel] = totals.get(row.channel, 0) + row.people
    return totals


def test_the_card_is_in_the_audiences_stream_with_its_seen_counter(login, item, alice):
    page = login(alice).get("/").content.decode()
    seen_url = reverse("campaigns:seen", args=[item.pk])
    assert item.title in page
    assert f'data-seen-url="{seen_url}"' in page
    assert f'<noscript><img class="seen-pixel" src="{seen_url}"' in page


def test_a_card_on_screen_counts_seen_once_by_script_or_by_its_noscript_image(
    login, item, alice, bob
):
    assert login(alice).post(f"/aankondigingen/{item.pk}/gezien/").status_code == 204
    response = login(bob).get(f"/aankondigingen/{item.pk}/gezien/")  # script off: the image
    assert response["Content-Type"] == "image/gif"
    assert "no-store" in response["Cache-Control"]
    login(bob).get(f"/aankondigingen/{item.pk}/gezien/")
    assert counted(item, Stage.SEEN) == {"web": 2}


def test_someone_outside_the_audience_counts_nothing(login, item, alice, carol):
    assert login(carol).post(f"/aankondigingen/{item.pk}/gezien/").status_code == 404
    assert login(carol).get(item.get_absolute_url()).status_code == 404
    assert counted(item, Stage.SEEN) == {}
    # The control: a reader in the audience counts.
    assert login(alice).post(f"/aankondigingen/{item.pk}/gezien/").status_code == 204
    assert counted(item, Stage.SEEN) == {"web": 1}


@pytest.mark.parametrize("via", ["push", "email", "sms", "poster"])
def test_opening_it_counts_the_channel_it_came_through(login, item, alice, via):
    assert login(alice).get(f"{item.get_absolute_url()}?via={via}").status_code == 200
    assert counted(item, Stage.OPENED) == {via: 1}
    assert counted(item, Stage.SEEN) == {via: 1}


def test_an_unknown_via_counts_as_the_web(login, item, alice):
    login(alice).get(f"{item.get_absolute_url()}?via=<script>")
    assert counted(item, Stage.OPENED) == {"web": 1}


def test_opening_it_on_a_shared_terminal_counts_the_terminal(item, bob):
    admin = EmployeeFactory(username="beheerder", is_staff=True, is_superuser=True)
    browser = Client()
    verified_login(browser, admin)
    browser.post(reverse("terminal_setup"), {"name": "Werkplaats Driepikkel 1"})
    browser.post(reverse("logout"))
    assert COOKIE_NAME in browser.cookies
    bob.set_pin("4826")
    bob.save(update_fields=["pin"])
    browser.post(reverse("pin_login"), {"personnel_number": bob.personnel_number, "pin": "4826"})
    assert browser.get(item.get_absolute_url()).status_code == 200
    assert counted(item, Stage.OPENED) == {"terminal": 1}


def test_acknowledging_counts_acted_and_is_named(login, item, alice):
    client = login(alice)
    page = client.get(item.get_absolute_url()).content.decode()
    assert "Gelezen" in page
    response = client.post(f"/aankondigingen/{item.pk}/gelezen/")
    assert response.status_code == 302
    assert Acknowledgement.objects.filter(announcement=item, employee=alice).exists()
    assert counted(item, Stage.ACTED) == {"web": 1}
    client.post(f"/aankondigingen/{item.pk}/gelezen/")
    assert Acknowledgement.objects.count() == 1
    # The notification about it is read too.
    assert Notification.objects.filter(recipient=alice).exists()
    assert not Notification.objects.filter(recipient=alice, read=None).exists()


def test_following_a_link_counts_acted_and_goes_there(login, lies, facility_audience, alice):
    item = scheduled(lies, facility_audience, minutes=-1, link_url="https://stad.gent/werkkledij")
    actions.do_publish(item)
    client = login(alice)
    page = client.get(item.get_absolute_url()).content.decode()
    link = f"/aankondigingen/{item.pk}/volgen/link/"
    assert link in page
    response = client.get(link)
    assert response.status_code == 302 and response["Location"] == "https://stad.gent/werkkledij"
    assert counted(item, Stage.ACTED) == {"web": 1}
    assert client.get(f"/aankondigingen/{item.pk}/volgen/richtlijn/").status_code == 404


def test_a_pinned_announcement_is_on_top_of_the_start_page_for_its_period(
    login, lies, facility_audience, alice
):
    item = scheduled(
        lies,
        facility_audience,
        minutes=-1,
        title="Depot dicht vrijdag",
        pinned_until=timezone.now() + timedelta(days=2),
    )
    actions.do_publish(item)
    page = login(alice).get("/").content.decode()
    assert "Vastgepind door de communicatiedienst" in page
    assert page.index("Vastgepind door de communicatiedienst") < page.index('class="stream-item"')
    item.pinned_until = timezone.now() - timedelta(minutes=1)
    item.save(update_fields=["pinned_until"])
    assert "Vastgepind door de communicatiedienst" not in login(alice).get("/").content.decode()


def test_the_campaign_page_shows_its_published_items_only(login, lies, campaign, alice, carol):
    out = scheduled(lies, campaign.audience, minutes=-1, campaign=campaign, title="Al verschenen")
    actions.do_publish(out)
    scheduled(lies, campaign.audience, minutes=600, campaign=campaign, title="Nog niet")
    page = login(alice).get(campaign.get_absolute_url()).content.decode()
    assert "Al verschenen" in page and "Nog niet" not in page
    assert login(carol).get(campaign.get_absolute_url()).status_code == 404
    # Its editors see both, also when they are not in the audience themselves.
    editor_page = login(lies).get(campaign.get_absolute_url()).content.decode()
    assert "Nog niet" in editor_page and "Al verschenen" in editor_page


def test_the_poster_has_a_qr_code_to_the_announcement_by_poster(login, lies, item):
    page = login(lies).get(f"/aankondigingen/{item.pk}/affiche/").content.decode()
    assert "<svg" in page
    assert re.search(rf"http://testserver/aankondigingen/{item.pk}/\?via=poster", page)


def test_the_dashboard_and_csv_show_counts_and_escape_cells(
    login, lies, organisation, facility_audience
):
    from campaigns.models import Announcement

    people = [EmployeeFactory(department=organisation["buildings"]) for _ in range(6)]
    organisation["buildings"].name = "=HYPERLINK(1)"
    organisation["buildings"].save()
    item = scheduled(lies, facility_audience, minutes=-1)
    actions.do_publish(item)
    for person in people:
        reach.record(item, person, Stage.SEEN, ReachChannel.WEB)
    client = login(lies)
    page = client.get(f"/aankondigingen/{item.pk}/bereik/").content.decode()
    assert "<svg" in page and 'role="img"' in page
    csv = client.get(f"/aankondigingen/{item.pk}/bereik.csv").content.decode("utf-8-sig")
    assert "'=HYPERLINK(1)" in csv
    assert Announcement.objects.count() == 1
    assert Reach.objects.get(announcement=item).groups.count() >= 1


def test_the_calendar_warns_when_someone_would_get_too_many_in_a_week(
    settings, login, lies, facility_audience, alice, bob
):
    settings.CAMPAIGN_WEEKLY_LIMIT = 2
    monday = timezone.localdate() + timedelta(days=7 - timezone.localdate().weekday())
    from datetime import datetime, time

    start = timezone.make_aware(datetime.combine(monday, time(9)))
    for hours in range(3):
        item = scheduled(lies, facility_audience, title=f"Bericht {hours}")
        item.publish_at = start + timedelta(hours=hours)
        item.save(update_fields=["publish_at"])
    page = login(lies).get("/campagnes/kalender/").content.decode()
    assert "Te veel tegelijk:" in page
    assert "Bericht 2" in page


def test_confirmations_of_read_are_counted_per_department_like_kus(login, lies, item, alice):
    login(alice).post(f"/aankondigingen/{item.pk}/gelezen/")
    assert counted(item, Stage.ACKNOWLEDGED) == {"web": 1}
    result = report.figures(Reach.objects.get(announcement=item))
    assert (result.acknowledged, result.acted, result.seen) == (1, 1, 1)
    page = login(lies).get(f"/aankondigingen/{item.pk}/bereik/").content.decode()
    assert "Bevestigd “gelezen”" in page or "“Gelezen” bevestigd" in page


def test_the_link_of_a_push_message_counts_the_announcement_opened_by_push(login, item, alice):
    line = Notification.objects.get(recipient=alice)
    response = login(alice).get(f"{line.get_absolute_url()}?via=push")
    assert response.status_code == 302
    assert response["Location"] == f"{item.get_absolute_url()}?via=push"
    login(alice).get(response["Location"])
    assert counted(item, Stage.OPENED) == {"push": 1}


def test_the_more_page_leads_to_the_announcements_and_editors_to_the_campaigns(login, lies, alice):
    page = login(alice).get("/meer/").content.decode()
    assert 'href="/aankondigingen/"' in page and 'href="/campagnes/"' not in page
    assert 'href="/campagnes/"' in login(lies).get("/meer/").content.decode()
