from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from surveys import demo
from surveys.models import Question, Status, Survey
from tests.factories import EmployeeFactory
from workplace.models import Audience
from workplace.roles import Role


@pytest.fixture(autouse=True)
def _empty_cache():
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def hr(organisation):
    return EmployeeFactory(
        username="hilde", first_name="Hilde", department=organisation["civil"], roles=[Role.HR]
    )


@pytest.fixture
def everyone(db):
    return Audience.objects.create(all_staff=True)


@pytest.fixture
def gentco(hr, everyone) -> Survey:
    """The gent&co reader survey, open for all staff, owned by Hilde of HR."""
    survey = demo.build("Lezersbevraging gent&co", hr, everyone)
    survey.status = Status.OPEN
    survey.opens_at = timezone.now() - timedelta(days=1)
    survey.closes_at = timezone.now() + timedelta(days=14)
    survey.save()
    return survey


def question(survey: Survey, code: str) -> Question:
    return Question.objects.get(section__survey=survey, code=code)


def field(survey: Survey, code: str, suffix: str = "") -> str:
    return f"q{question(survey, code).pk}{suffix}"
