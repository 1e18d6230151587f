"""Who writes what for whom, and bad input: a clear Dutch error and nothing written."""

from __future__ import annotations

import html
from datetime import timedelta

import pytest
from django.utils import timezone

from campaigns.forms import MAX_HERO_BYTES
from campaigns.models import Announcement, Campaign
from tests.campaigns.conftest import scheduled
from tests.uploads import png_bytes, upload
from workplace.models import Audience

pytestmark = pytest.mark.django_db


def moment(minutes: int) -> str:
    return timezone.localtime(timezone.now() + timedelta(minutes=minutes)).strftime(
        "%Y-%m-%dT%H:%M"
    )


def announcement_form(department=None, **overrides) -> dict:
    data = {
        "item-title": "Nieuwe werkkledij",
        "item-body": "Vanaf **maandag** in het depot.",
        "item-publish_at": moment(60),
        "item-audience_choice": "own",
    }
    if department is not None:
        data["audience-departments"] = [department.pk]
    else:
        data["audience-all_staff"] = "on"
    data.update(overrides)
    return data


def campaign_form(**overrides) -> dict:
    today = timezone.localdate()
    data = {
        "campaign-title": "Fier op ons werk",
        "campaign-goal": "Tonen wat de ploegen doen.",
        "campaign-theme": "fierheid",
        "campaign-starts": today.isoformat(),
        "campaign-ends": (today + timedelta(days=30)).isoformat(),
        "audience-all_staff": "on",
    }
    data.update(overrides)
    return data


def errors(response) -> str:
    return html.unescape(response.content.decode())


def test_ordinary_employees_find_no_editor_page(login, alice, campaign):
    item = scheduled(campaign.owner, campaign.audience)
    paths = (
        "/aankondigingen/nieuw/",
        f"/aankondigingen/{item.pk}/bewerken/",
        f"/aankondigingen/{item.pk}/affiche/",
        f"/aankondigingen/{item.pk}/bereik/",
        "/campagnes/",
        "/campagnes/nieuw/",
        "/campagnes/kalender/",
        f"/campagnes/{campaign.pk}/bereik/",
    )
    client = login(campaign.owner)
    for path in paths:  # the control: the communication team opens each of them
        assert client.get(path).status_code == 200, path
    client = login(alice)
    for path in paths:
        assert client.get(path).status_code == 404, path
    assert client.post("/aankondigingen/nieuw/", announcement_form()).status_code == 404
    assert Announcement.objects.count() == 1


def test_the_communication_team_schedules_an_announcement_for_anyone(login, lies, organisation):
    response = login(lies).post("/aankondigingen/nieuw/", announcement_form())
    item = Announcement.objects.get()
    assert response.status_code == 302 and response["Location"] == item.get_absolute_url()
    assert item.published is None and item.audience.all_staff
    assert "<strong>maandag</strong>" in item.body_html
    assert item.department is None


def test_a_department_communicator_addresses_their_own_department(login, frank, organisation):
    client = login(frank)
    response = client.post("/aankondigingen/nieuw/", announcement_form(organisation["buildings"]))
    assert response.status_code == 302
    assert Announcement.objects.get().department == organisation["facility"]


def test_a_department_communicator_cannot_address_another_department(
    login, frank, organisation, carol
):
    audiences = Audience.objects.count()
    response = login(frank).post("/aankondigingen/nieuw/", announcement_form(organisation["civil"]))
    assert response.status_code == 200
    assert "Je kunt alleen collega's van Facility Management aanspreken." in errors(response)
    assert not Announcement.objects.exists()
    assert Audience.objects.count() == audiences  # the audience was rolled back too
    response = login(frank).post("/aankondigingen/nieuw/", announcement_form())  # all staff
    assert "Je kunt alleen collega's van Facility Management aanspreken." in errors(response)
    assert not Announcement.objects.exists()
    # The control: his own department he addresses.
    response = login(frank).post("/aankondigingen/nieuw/", announcement_form(organisation["team"]))
    assert response.status_code == 302 and Announcement.objects.exists()


def test_a_department_communicator_sees_only_their_departments_items(login, frank, lies, campaign):
    theirs = scheduled(lies, campaign.audience)
    assert login(frank).get(theirs.get_absolute_url()).status_code == 404
    assert login(frank).get(f"/aankondigingen/{theirs.pk}/bewerken/").status_code == 404
    # The control: an item for his department he opens and edits.
    his = scheduled(lies, campaign.audience, department=frank.department)
    assert login(frank).get(his.get_absolute_url()).status_code == 200
    assert login(frank).get(f"/aankondigingen/{his.pk}/bewerken/").status_code == 200


def test_an_empty_audience_is_refused(login, lies):
    data = announcement_form()
    del data["audience-all_staff"]
    response = login(lies).post("/aankondigingen/nieuw/", data)
    assert "Kies minstens één groep mensen om aan te spreken." in errors(response)
    assert not Announcement.objects.exists()
    assert login(lies).post("/aankondigingen/nieuw/", announcement_form()).status_code == 302
    assert Announcement.objects.exists()  # the control: with an audience it is planned


def test_a_campaign_cannot_end_before_it_starts(login, lies):
    today = timezone.localdate()
    response = login(lies).post(
        "/campagnes/nieuw/",
        campaign_form(**{"campaign-ends": (today - timedelta(days=1)).isoformat()}),
    )
    assert "De campagne kan niet eindigen voor ze begint." in errors(response)
    assert not Campaign.objects.exists()
    assert login(lies).post("/campagnes/nieuw/", campaign_form()).status_code == 302
    assert Campaign.objects.exists()  # the control: a period in order is kept


def test_an_item_outside_the_campaign_period_is_refused(login, lies, campaign):
    data = announcement_form(
        **{"item-campaign": campaign.pk, "item-publish_at": moment(60 * 24 * 60)}
    )
    response = login(lies).post("/aankondigingen/nieuw/", data)
    assert "publiceer binnen die periode" in errors(response)
    assert not Announcement.objects.exists()
    # The control: within the period it is planned.
    data["item-publish_at"] = moment(60)
    assert login(lies).post("/aankondigingen/nieuw/", data).status_code == 302
    assert Announcement.objects.exists()


def test_an_item_takes_the_campaigns_audience_as_its_own_copy(login, lies, campaign, alice):
    data = announcement_form(**{"item-campaign": campaign.pk, "item-audience_choice": "campaign"})
    del data["audience-all_staff"]
    assert login(lies).post("/aankondigingen/nieuw/", data).status_code == 302
    item = Announcement.objects.get()
    assert item.audience_id != campaign.audience_id
    assert list(item.audience.departments.all()) == list(campaign.audience.departments.all())


def test_an_oversized_hero_image_is_refused(login, lies):
    big = upload("held.png", png_bytes() + b"\0" * (MAX_HERO_BYTES + 1), "image/png")
    response = login(lies).post(
        "/campagnes/nieuw/", {**campaign_form(), "campaign-hero_image": big}
    )
    assert response.status_code == 200
    assert "MB" in errors(response)
    assert not Campaign.objects.exists()
    # The control: a small image is taken.
    small = upload("held.png", png_bytes((40, 20)), "image/png")
    response = login(lies).post(
        "/campagnes/nieuw/", {**campaign_form(), "campaign-hero_image": small}
    )
    assert response.status_code == 302 and Campaign.objects.exists()


def test_a_hero_image_is_shown_to_the_campaigns_readers_only(
    login, lies, alice, carol, facility_audience
):
    image = upload("held.png", png_bytes((40, 20)), "image/png")
    assert (
        login(lies)
        .post(
            "/campagnes/nieuw/",
            {**campaign_form(), "campaign-hero_image": image},
        )
        .status_code
        == 302
    )
    campaign = Campaign.objects.get()
    item = scheduled(lies, facility_audience, campaign=campaign, minutes=-1)
    from campaigns.actions import do_publish

    do_publish(item)
    assert login(alice).get(f"/campagnes/{campaign.pk}/beeld/")["Content-Type"] == "image/jpeg"
    assert login(carol).get(f"/campagnes/{campaign.pk}/beeld/").status_code == 404


def test_after_publication_the_text_changes_but_not_the_moment_or_audience(
    login, lies, alice, facility_audience
):
    from campaigns import reach, report
    from campaigns.actions import do_publish
    from campaigns.models import ReachChannel, Stage

    item = scheduled(lies, facility_audience, minutes=-1)
    do_publish(item)
    item.refresh_from_db()
    published_at = item.publish_at
    reach.record(item, alice, Stage.OPENED, ReachChannel.WEB)
    data = {
        "item-title": "Nieuwe werkkledij (aangepast)",
        "item-body": "Vanaf dinsdag.",
        "item-publish_at": moment(600),
    }
    assert login(lies).post(f"/aankondigingen/{item.pk}/bewerken/", data).status_code == 302
    item.refresh_from_db()
    assert item.title.endswith("(aangepast)") and item.publish_at == published_at
    assert item.audience_id == facility_audience.pk
    from streams.models import Activity

    assert Activity.objects.get(object_ref=f"campaigns:{item.pk}").title == item.title
    figures = report.figures(item.reach)
    assert (figures.audience_size, figures.opened) == (1, 1)  # the reach data stays


def test_withdrawing_takes_it_away_from_readers(login, lies, alice, facility_audience):
    from campaigns.actions import do_publish

    item = scheduled(lies, facility_audience, minutes=-1)
    do_publish(item)
    assert login(alice).get(item.get_absolute_url()).status_code == 200
    assert item.title in login(alice).get("/").content.decode()
    assert item.title in login(alice).get("/meldingen/").content.decode()
    assert login(lies).post(f"/aankondigingen/{item.pk}/intrekken/").status_code == 302
    assert login(alice).get(item.get_absolute_url()).status_code == 404
    assert item.title not in login(alice).get("/").content.decode()
    assert item.title not in login(alice).get("/meldingen/").content.decode()


def test_the_stream_composer_sends_editors_to_the_announcement_editor(login, lies, alice):
    editor_page = login(lies).get("/").content.decode()
    assert 'href="/aankondigingen/nieuw/"' in editor_page
    assert 'name="is_announcement"' not in editor_page  # one kind of announcement: with an audience
    assert 'href="/aankondigingen/nieuw/"' not in login(alice).get("/").content.decode()
