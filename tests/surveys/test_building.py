from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from surveys import actions
from surveys.models import Kind, Participation, Question, Section, Status, Survey
from surveys.signals import survey_closed, survey_opened, survey_reminder
from tests.auth import verified_login
from tests.surveys.conftest import field

pytestmark = pytest.mark.django_db


@pytest.fixture
def received():
    calls = []

    def handler(sender, survey, recipients, signal, **kwargs):
        calls.append((signal, survey.pk, sorted(recipients.values_list("username", flat=True))))

    for signal in (survey_opened, survey_closed, survey_reminder):
        signal.connect(handler, weak=False)
    yield calls
    for signal in (survey_opened, survey_closed, survey_reminder):
        signal.disconnect(handler)


def test_hr_builds_a_survey_with_sections_and_questions(client, hr):
    verified_login(client, hr)
    response = client.post(
        reverse("surveys:create"),
        {
            "survey-title": "Tevredenheid over de refter",
            "survey-intro": "Drie vragen over eten op het werk.",
            "survey-anonymity": "anonymous",
            "survey-threshold": "5",
            "audience-all_staff": "on",
        },
    )
    survey = Survey.objects.get(title="Tevredenheid over de refter")
    assert response.url == reverse("surveys:edit", args=[survey.pk])
    assert list(survey.owners.all()) == [hr]
    client.post(reverse("surveys:add_section", args=[survey.pk]), {"title": "Het eten"})
    section = Section.objects.get(survey=survey)
    client.post(
        reverse("surveys:add_question", args=[survey.pk, section.pk]),
        {
            "kind": Kind.SINGLE,
            "text": "Eet je in de refter?",
            "required": "on",
            "choices_text": "Ja\nNee",
        },
    )
    question = Question.objects.get(section=section)
    assert question.code == "eet-je-in-de-refter"
    assert question.choices == ["Ja", "Nee"]
    page = client.get(reverse("surveys:preview", args=[survey.pk])).content.decode()
    assert "Eet je in de refter?" in page
    assert "Voorbeeld: zo zien de deelnemers het." in page


def test_it_refuses_a_condition_on_a_question_in_the_same_section(client, hr, gentco):
    gentco.status = Status.DRAFT
    gentco.save()
    verified_login(client, hr)
    first = Question.objects.get(section__survey=gentco, code="leesfrequentie")
    response = client.post(
        reverse("surveys:add_question", args=[gentco.pk, first.section_id]),
        {
            "kind": Kind.SHORT_TEXT,
            "text": "Waarom?",
            "condition_question": first.pk,
            "condition_values_text": "Nooit",
        },
    )
    assert response.status_code == 200
    assert "Selecteer een geldige keuze" in response.content.decode()


def test_it_refuses_a_choice_question_without_options(client, hr, gentco):
    gentco.status = Status.DRAFT
    gentco.save()
    section = gentco.sections.first()
    verified_login(client, hr)
    response = client.post(
        reverse("surveys:add_question", args=[gentco.pk, section.pk]),
        {"kind": Kind.MULTIPLE, "text": "Wat nog?", "choices_text": "Enkel dit"},
    )
    assert "Geef minstens twee mogelijkheden." in response.content.decode()


def test_it_locks_the_structure_once_someone_started(client, hr, bob, gentco):
    client.force_login(bob)
    client.post(
        reverse("surveys:section", args=[gentco.pk, 1]),
        {field(gentco, "leesfrequentie"): "0"},
    )
    verified_login(client, hr)
    question = Question.objects.get(section__survey=gentco, code="leesfrequentie")
    response = client.post(
        reverse("surveys:edit_question", args=[gentco.pk, question.pk]),
        {"kind": Kind.SINGLE, "text": "Anders", "code": "leesfrequentie", "choices_text": "A\nB"},
    )
    assert "Er wordt al geantwoord" in response.content.decode()
    question.refresh_from_db()
    assert question.text == "Hoe vaak lees je gent&co?"
    client.post(reverse("surveys:delete", args=[gentco.pk, "question", question.pk]))
    assert Question.objects.filter(pk=question.pk).exists()


def test_only_owners_can_open_the_builder(client, alice, carol, hr, gentco):
    client.force_login(alice)
    assert client.get(reverse("surveys:edit", args=[gentco.pk])).status_code == 403
    from tests.factories import EmployeeFactory
    from workplace.roles import Role

    verified_login(client, EmployeeFactory(roles=[Role.HR]))
    assert client.get(reverse("surveys:edit", args=[gentco.pk])).status_code == 404
    assert client.get(reverse("surveys:poster", args=[gentco.pk])).status_code == 404
    # The control: its owner opens both.
    verified_login(client, hr)
    assert client.get(reverse("surveys:edit", args=[gentco.pk])).status_code == 200
    assert client.get(reverse("surveys:poster", args=[gentco.pk])).status_code == 200


def test_it_opens_and_closes_at_the_set_dates_and_tells_other_modules(
    hr, alice, bob, everyone, received, django_capture_on_commit_callbacks
):
    from surveys import demo

    survey = demo.build("Lezersbevraging gent&co", hr, everyone)
    now = timezone.now()
    survey.opens_at = now + timedelta(days=1)
    survey.closes_at = now + timedelta(days=8)
    survey.save()
    with django_capture_on_commit_callbacks(execute=True):
        actions.schedule(survey)
    survey.refresh_from_db()
    assert survey.status == Status.SCHEDULED
    assert received == []

    with (
        time_machine.travel(now + timedelta(days=1, minutes=1)),
        django_capture_on_commit_callbacks(execute=True),
    ):
        call_command("surveys_tick", verbosity=0)
    survey.refresh_from_db()
    assert survey.status == Status.OPEN
    assert received[0][0] is survey_opened
    assert {"alice", "bob", "hilde"} <= set(received[0][2])

    with (
        time_machine.travel(now + timedelta(days=8, minutes=1)),
        django_capture_on_commit_callbacks(execute=True),
    ):
        call_command("surveys_tick", verbosity=0)
    survey.refresh_from_db()
    assert survey.status == Status.CLOSED
    assert received[1][0] is survey_closed


def test_hr_opens_a_survey_by_hand_and_reminds_who_did_not_answer(
    client, hr, alice, bob, gentco, received, django_capture_on_commit_callbacks
):
    gentco.status = Status.DRAFT
    gentco.save()
    verified_login(client, hr)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("surveys:status", args=[gentco.pk]), {"action": "open"})
    gentco.refresh_from_db()
    assert gentco.status == Status.OPEN
    assert received[0][0] is survey_opened
    Participation.objects.create(survey=gentco, employee=alice, submitted=True)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("surveys:status", args=[gentco.pk]), {"action": "remind"})
    assert received[1][0] is survey_reminder
    assert "alice" not in received[1][2]
    assert "bob" in received[1][2]


def test_it_prints_a_poster_with_a_qr_code(client, hr, gentco):
    verified_login(client, hr)
    page = client.get(reverse("surveys:poster", args=[gentco.pk])).content.decode()
    assert "<svg" in page
    assert f"/enquetes/{gentco.pk}/" in page
    assert "style=" not in page.split("<body", 1)[1]


def test_a_new_edition_keeps_questions_conditions_and_a_link_back(hr, gentco):
    copy = actions.copy_survey(gentco, hr)
    assert copy.previous_edition == gentco
    assert copy.status == Status.DRAFT
    why = Question.objects.get(section__survey=copy, code="waarom-niet")
    assert why.condition_question.section.survey == copy
    assert why.condition_question.code == "leesfrequentie"
    # Its own audience: narrowing the new edition leaves the old one as it was.
    assert copy.audience_id != gentco.audience_id
    assert copy.audience.all_staff


def test_the_demo_seeds_an_open_survey_and_a_closed_edition_with_answers(db):
    import random

    from surveys import demo
    from workplace.demo import seed_demo_logins, seed_organisation

    departments = seed_organisation(random.Random(1))
    seed_demo_logins(departments)
    demo.seed(random.Random(1))
    previous = Survey.objects.get(title="Lezersbevraging gent&co 2025")
    current = Survey.objects.get(title="Lezersbevraging gent&co 2026")
    assert previous.status == Status.CLOSED
    assert current.status == Status.OPEN
    assert current.previous_edition == previous
    assert previous.responses.count() > 100
    from surveys import results

    report = results.build(previous, split="service")
    assert len([rate for rate in report.rates if rate["label"] != "Overige"]) >= 3


def test_hr_shares_a_survey_with_another_hr_colleague(client, hr, alice, gentco):
    from tests.factories import EmployeeFactory
    from workplace.roles import Role

    colleague = EmployeeFactory(username="harry", roles=[Role.HR])
    verified_login(client, hr)
    page = client.get(reverse("surveys:settings", args=[gentco.pk])).content.decode()
    assert escape(str(colleague)) in page  # a generated name may hold an apostrophe
    data = {
        "survey-title": gentco.title,
        "survey-anonymity": "anonymous",
        "survey-threshold": "5",
        "survey-owners": [alice.pk],
        "audience-all_staff": "on",
    }
    refused = client.post(reverse("surveys:settings", args=[gentco.pk]), data)
    assert "Selecteer een geldige keuze" in refused.content.decode()
    assert alice not in gentco.owners.all()
    client.post(
        reverse("surveys:settings", args=[gentco.pk]),
        {
            "survey-title": gentco.title,
            "survey-intro": gentco.intro,
            "survey-anonymity": "anonymous",
            "survey-threshold": "5",
            "survey-owners": [colleague.pk],
            "audience-all_staff": "on",
        },
    )
    assert set(gentco.owners.all()) == {hr, colleague}
    verified_login(client, colleague)
    assert client.get(reverse("surveys:results", args=[gentco.pk])).status_code == 200


def test_the_admin_lists_surveys_but_never_responses(admin_client, gentco):
    assert admin_client.get("/admin/surveys/survey/").status_code == 200
    assert admin_client.get(f"/admin/surveys/survey/{gentco.pk}/change/").status_code == 200
    assert admin_client.get("/admin/surveys/response/").status_code == 404
