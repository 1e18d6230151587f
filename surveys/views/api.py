"""/api/v1/surveys/: the open surveys waiting for the caller (for apps and integrations)."""

from __future__ import annotations

from django.http import HttpRequest, JsonResponse

from surveys.access import open_unanswered_for
from surveys.models import Participation
from workplace.api import api_view


@api_view(["GET"])
def open_surveys(request: HttpRequest) -> JsonResponse:
    surveys = list(open_unanswered_for(request.user))
    started = set(
        Participation.objects.filter(
            employee=request.user, survey__in=[s.pk for s in surveys]
        ).values_list("survey_id", flat=True)
    )
    return JsonResponse(
        {
            "results": [
                {
                    "id": survey.pk,
                    "title": survey.title,
                    "anonymous": survey.is_anonymous,
                    "closes_at": survey.closes_at.isoformat() if survey.closes_at else None,
                    "started": survey.pk in started,
                    "url": request.build_absolute_uri(survey.get_absolute_url()),
                }
                for survey in surveys
            ]
        }
    )
