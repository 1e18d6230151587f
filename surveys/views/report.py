"""Results and export, for the survey's owners only."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.text import slugify
from django.utils.translation import gettext as _

from surveys import actions, results
from surveys import answers as answer_logic
from surveys.access import access_owned_survey
from surveys.models import Response, Status
from workplace import audit
from workplace.csvexport import csv_download
from workplace.models import AuditAction
from workplace.reauth import recent_auth_required
from workplace.roles import Role, role_required


def answers_visible(survey) -> bool:
    """Anonymous answers appear only once the survey is closed.

    Looking at results before and after one more answer came in would show
    that one answer: counting goes on while the survey runs, answers wait.
    """
    return survey.status == Status.CLOSED or not survey.is_anonymous


@role_required(Role.HR)
def survey_results(request: HttpRequest, pk: int) -> HttpResponse:
    survey = access_owned_survey(request.user, pk)
    split = request.GET.get("per") or None
    report = results.build_cached(survey, split=split, with_answers=answers_visible(survey))
    audit.record(AuditAction.SURVEY_RESULTS_VIEWED, request=request, target=survey, split=split)
    invited = actions.members(survey.audience).count() if survey.audience_id else 0
    return render(
        request,
        "surveys/results.html",
        {
            "survey": survey,
            "report": report,
            "invited": invited,
            "rate": min(100.0, 100 * report.count / invited) if invited else None,
            "splits": results.SPLITS.items(),
            "answers_visible": answers_visible(survey),
        },
    )


@role_required(Role.HR)
@recent_auth_required
def export(request: HttpRequest, pk: int) -> HttpResponse:
    """The anonymous answers as CSV: one row per response, in random order, no group columns.

    Group columns would let anyone filter a spreadsheet down to a group below
    the threshold; the results page shows groups with that protection.
    """
    survey = access_owned_survey(request.user, pk)
    response, writer = csv_download(f"{slugify(survey.title) or 'enquete'}-antwoorden.csv")
    questions = results.questions_of(survey)
    rows = Response.objects.filter(survey=survey).order_by("id")
    count = rows.count()
    if not answers_visible(survey) or (survey.is_anonymous and count < survey.threshold):
        writer.writerow([_("No answers can be exported yet.")])
        count = 0
    else:
        header = [q.code for q in questions]
        if not survey.is_anonymous:
            header = [_("Respondent"), *header]
            rows = rows.select_related("respondent")
        writer.writerow(header)
        for row in rows.iterator(chunk_size=1000):
            line = [answer_logic.display(q, row.answers.get(q.key)) for q in questions]
            if not survey.is_anonymous:
                line = [str(row.respondent or ""), *line]
            writer.writerow(line)
    audit.record(
        AuditAction.EXPORT,
        request=request,
        target=survey,
        export="survey_answers",
        rows=count,
        format="csv",
    )
    return response
