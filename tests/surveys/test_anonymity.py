"""The stored answers of an anonymous survey cannot be joined to the people who gave them."""

from __future__ import annotations

import pytest
from django.db import models
from django.urls import reverse

from surveys import actions
from surveys.models import Participation, Response
from tests.factories import EmployeeFactory
from tests.surveys.conftest import field

pytestmark = pytest.mark.django_db


def submit_reader(client, survey, employee, frequency="0"):
    client.force_login(employee)
    client.post(reverse("surveys:start", args=[survey.pk]))
    client.post(
        reverse("surveys:section", args=[survey.pk, 1]),
        {field(survey, "leesfrequentie"): "3", "go": "next"},
    )
    client.post(
        reverse("surveys:section", args=[survey.pk, 2]),
        {field(survey, "waarom-niet"): "1", "go": "next"},
    )
    client.post(
        reverse("surveys:section", args=[survey.pk, 3]),
        {field(survey, "aanbevelen"): frequency, "go": "next"},
    )
    client.post(reverse("surveys:review", args=[survey.pk]))


def test_a_response_has_no_field_that_points_at_a_person_or_a_participation():
    for model_field in Response._meta.get_fields():
        if model_field.name == "respondent":
            continue  # only filled for surveys with name; see the next test
        if model_field.is_relation:
            assert model_field.related_model not in (
                Participation,
                Response._meta.apps.get_model("workplace", "Employee"),
            ), model_field.name
        assert not isinstance(model_field, models.DateTimeField | models.TimeField), (
            model_field.name
        )


def test_it_keeps_no_link_between_participation_and_answers(client, organisation, gentco):
    """Try every way to join the two tables: shared values, ids, order and time."""
    people = [EmployeeFactory(department=organisation["buildings"]) for _index in range(6)]
    for score, person in enumerate(people):
        submit_reader(client, gentco, person, frequency=str(score))

    responses = list(Response.objects.filter(survey=gentco).values())
    participations = list(Participation.objects.filter(survey=gentco).values())
    assert len(responses) == len(participations) == 6
    employee_ids = {p["employee_id"] for p in participations}
    participation_ids = {p["id"] for p in participations}
    # Join on the person: no column of a response names the employee.
    assert all(response["respondent_id"] is None for response in responses)
    # Join on the participation: response keys are UUIDs, never a participation's id.
    assert not {response["id"] for response in responses} & participation_ids
    # Join on time: a participation keeps no moment at all.
    assert not any(
        isinstance(f, models.DateField | models.DateTimeField)
        for f in Participation._meta.get_fields()
    )
    assert employee_ids == {person.pk for person in people}
    # Keys are random UUIDs, not a sequence that follows the order of submission.
    assert all(len(str(response["id"])) == 36 for response in responses)
    # The only date kept is the Monday of the week.
    assert {response["week"].weekday() for response in responses} == {0}
    # Drafts were erased when they became responses.
    assert all(participation["draft"] == {} for participation in participations)


def test_the_results_do_not_follow_the_order_of_submission(client, organisation, gentco):
    people = [EmployeeFactory(department=organisation["buildings"]) for _index in range(8)]
    for score, person in enumerate(people):
        submit_reader(client, gentco, person, frequency=str(score))
    scores = [
        response.answers[next(k for k, v in response.answers.items() if isinstance(v, int))]
        for response in Response.objects.filter(survey=gentco)
    ]
    assert sorted(scores) == list(range(8))
    # The stored order is the random key's order; the chance it equals submission order is 1/8!.
    assert scores != list(range(8))


def test_it_stores_the_name_only_in_a_survey_with_name(client, bob, gentco):
    gentco.anonymity = "named"
    gentco.save()
    submit_reader(client, gentco, bob)
    assert Response.objects.get(survey=gentco).respondent == bob


def test_it_reports_a_service_never_a_team(client, bob, organisation, gentco):
    submit_reader(client, gentco, bob)
    # Bob works in a team below Dienst Gebouwen: his answer counts for the service.
    assert Response.objects.get(survey=gentco).unit == organisation["buildings"]


def test_closing_erases_drafts_that_were_never_submitted(client, bob, gentco):
    client.force_login(bob)
    client.post(
        reverse("surveys:section", args=[gentco.pk, 1]),
        {field(gentco, "leesfrequentie"): "3", "go": "next"},
    )
    actions.close(gentco)
    assert Participation.objects.get(employee=bob).draft == {}
    assert not Response.objects.exists()


def test_the_cron_tick_rewrites_new_answers_in_random_order(client, organisation, gentco):
    from django.core.management import call_command

    people = [EmployeeFactory(department=organisation["buildings"]) for _index in range(5)]
    for score, person in enumerate(people):
        submit_reader(client, gentco, person, frequency=str(score))
    before = {str(r.pk): r.answers for r in Response.objects.filter(survey=gentco)}
    call_command("surveys_tick", verbosity=0)
    gentco.refresh_from_db()
    assert gentco.shuffled_count == 5
    after = {str(r.pk): r.answers for r in Response.objects.filter(survey=gentco)}
    assert after == before
