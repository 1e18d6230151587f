"""The campaigns API: the same rules as the pages, JSON errors, and reach without a
split entry under five."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from campaigns import actions, reach
from campaigns.models import Announcement, Campaign, ReachChannel, Stage
from tests.factories import DepartmentFactory, EmployeeFactory
from workplace.api import issue_token

pytestmark = pytest.mark.django_db


def post(client, path, body, token=None):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
    return client.post(path, json.dumps(body), content_type="application/json", **headers)


def get(client, path, token):
    return client.get(path, HTTP_AUTHORIZATION=f"Bearer {token}")


def campaign_body(**overrides):
    today = timezone.localdate()
    body = {
        "title": "Gezond op het werk",
        "goal": "Meer beweging op de werf.",
        "starts": today.isoformat(),
        "ends": (today + timedelta(days=20)).isoformat(),
        "audience": {"all_staff": True, "worker_kind": "field"},
    }
    body.update(overrides)
    return body


def test_the_communication_team_creates_a_campaign_and_an_item(client, lies, organisation):
    token = issue_token(lies, "planning")
    response = post(client, "/api/v1/campaigns/", campaign_body(), token)
    assert response.status_code == 201, response.content
    campaign = Campaign.objects.get()
    assert response.json() == {"id": campaign.pk, "url": campaign.get_absolute_url()}
    assert campaign.audience.all_staff and campaign.audience.worker_kind == "field"
    publish_at = (timezone.now() + timedelta(days=1)).isoformat()
    response = post(
        client,
        f"/api/v1/campaigns/{campaign.pk}/items/",
        {
            "title": "Stretchen om 7 uur",
            "body": "Elke ochtend.",
            "publish_at": publish_at,
            "requires_ack": True,
        },
        token,
    )
    assert response.status_code == 201, response.content
    item = Announcement.objects.get()
    assert item.campaign == campaign and item.requires_ack and item.published is None
    assert item.audience.worker_kind == "field" and item.audience_id != campaign.audience_id


def test_an_audience_by_department_code_with_sub_departments(client, lies, organisation):
    token = issue_token(lies, "planning")
    body = campaign_body(audience={"departments": ["FM"], "with_subdepartments": True})
    assert post(client, "/api/v1/campaigns/", body, token).status_code == 201
    assert list(Campaign.objects.get().audience.departments.all()) == [organisation["facility"]]


@pytest.mark.parametrize(
    "body, code",
    [
        (campaign_body(ends="2000-01-01"), "invalid"),
        (campaign_body(audience={}), "invalid_audience"),
        (campaign_body(audience={"departments": ["NOPE"]}), "invalid_audience"),
        (campaign_body(audience={"everyone": True}), "invalid_audience"),
        (campaign_body(colour="red"), "unknown_fields"),
    ],
)
def test_bad_input_is_a_json_error_and_nothing_is_written(client, lies, organisation, body, code):
    token = issue_token(lies, "planning")
    response = post(client, "/api/v1/campaigns/", body, token)
    assert response.status_code == 400
    assert response.json()["error"]["code"] == code
    assert not Campaign.objects.exists()
    # The control: the same request with good input writes the campaign.
    assert post(client, "/api/v1/campaigns/", campaign_body(), token).status_code == 201
    assert Campaign.objects.exists()


def test_an_item_outside_the_period_is_refused(client, lies, campaign):
    token = issue_token(lies, "planning")
    late = (timezone.now() + timedelta(days=90)).isoformat()
    response = post(
        client,
        f"/api/v1/campaigns/{campaign.pk}/items/",
        {"title": "Te laat", "body": "x", "publish_at": late},
        token,
    )
    assert response.status_code == 400 and not Announcement.objects.exists()
    # The control: within the period it is planned.
    soon = (timezone.now() + timedelta(days=1)).isoformat()
    response = post(
        client,
        f"/api/v1/campaigns/{campaign.pk}/items/",
        {"title": "Op tijd", "body": "x", "publish_at": soon},
        token,
    )
    assert response.status_code == 201 and Announcement.objects.exists()


def test_a_department_communicator_cannot_address_another_department(client, frank, organisation):
    token = issue_token(frank, "planning")
    body = campaign_body(audience={"departments": ["BZ"]})
    response = post(client, "/api/v1/campaigns/", body, token)
    assert response.status_code == 400
    assert not Campaign.objects.exists()
    body = campaign_body(audience={"departments": ["FM"]})
    assert post(client, "/api/v1/campaigns/", body, token).status_code == 201


def test_others_may_not_use_it(client, alice, campaign):
    token = issue_token(alice, "x")
    assert post(client, "/api/v1/campaigns/", campaign_body(), token).status_code == 403
    assert get(client, f"/api/v1/campaigns/{campaign.pk}/reach", token).status_code == 403
    assert client.get("/api/v1/campaigns/").status_code == 401


def test_reach_never_has_a_split_entry_under_five(client, lies, campaign):
    groen = DepartmentFactory(code="GR", name="Groen", kind="departement")
    small = DepartmentFactory(code="KL", name="Klein", kind="departement")
    people = [EmployeeFactory(department=groen) for _ in range(9)]
    people += [EmployeeFactory(department=small, is_field_worker=True) for _ in range(2)]
    campaign.audience.departments.add(groen, small)
    today = timezone.now()
    item = Announcement.objects.create(
        campaign=campaign,
        title="Een",
        body="x",
        body_html="x",
        author=lies,
        audience=campaign.audience,
        publish_at=today,
    )
    actions.do_publish(item)
    for person in people:
        reach.record(item, person, Stage.SEEN, ReachChannel.WEB)
    reach.record(item, people[0], Stage.OPENED, ReachChannel.EMAIL)
    data = get(client, f"/api/v1/campaigns/{campaign.pk}/reach", issue_token(lies, "r")).json()
    assert data["audience_size"] == 11 and data["seen"] == 11 and data["opened"] == 1
    assert set(data["splits"]) >= {"department", "worker_kind", "site", "channel"}
    for name, rows in data["splits"].items():
        for row in rows:
            if row["audience"] is not None:
                assert row["audience"] >= 5, (name, row)
            if name == "channel":
                assert all(row[k] == 0 or row[k] >= 5 for k in ("seen", "opened", "acted")), row
    departments = {row["name"] for row in data["splits"]["department"]}
    assert "Overige" in departments and "Klein" not in departments  # counted among the others
    one = get(client, f"/api/v1/announcements/{item.pk}/reach", issue_token(lies, "s")).json()
    assert one["seen"] == 11
