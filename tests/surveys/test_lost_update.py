"""HR saves the settings of a survey the cron tick closed meanwhile: the closing survives."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from surveys import actions
from surveys.forms import StructureLockedForm
from surveys.models import Participation, Status
from tests.auth import verified_login

pytestmark = pytest.mark.django_db


def test_the_tick_closing_a_survey_survives_an_editors_save(client, hr, bob, gentco, monkeypatch):
    Participation.objects.create(survey=gentco, employee=bob)  # answering started: locked form
    verified_login(client, hr)
    clean = StructureLockedForm.clean

    def tick_meanwhile(form):
        # The survey was read for this request; now the tick closes it before the save.
        actions.tick(timezone.now() + timedelta(days=30))
        return clean(form)

    monkeypatch.setattr(StructureLockedForm, "clean", tick_meanwhile)
    response = client.post(
        reverse("surveys:settings", args=[gentco.pk]),
        {
            "survey-title": "Lezersbevraging gent&co 2026",
            "survey-intro": gentco.intro,
            "survey-closes_at": gentco.closes_at.strftime("%Y-%m-%dT%H:%M"),
            "survey-owners": [hr.pk],
        },
    )
    assert response.status_code == 302
    gentco.refresh_from_db()
    assert gentco.title == "Lezersbevraging gent&co 2026"
    assert gentco.status == Status.CLOSED


def test_an_editors_save_of_an_open_survey_leaves_the_status_alone(client, hr, gentco):
    verified_login(client, hr)
    client.post(
        reverse("surveys:settings", args=[gentco.pk]),
        {
            "survey-title": "Nieuwe titel",
            "survey-intro": gentco.intro,
            "survey-anonymity": "anonymous",
            "survey-threshold": "5",
            "survey-owners": [hr.pk],
            "audience-all_staff": "on",
        },
    )
    gentco.refresh_from_db()
    assert gentco.title == "Nieuwe titel" and gentco.status == Status.OPEN
