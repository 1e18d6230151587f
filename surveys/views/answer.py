"""Answering a survey: one section per screen, saved as you go, submitted once."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from surveys import actions
from surveys import answers as answer_logic
from surveys.access import access_survey, can_manage, open_unanswered_for, surveys_for
from surveys.models import Participation, Question, Section, Status, Survey


def refused(request: HttpRequest, survey: Survey | None, message: str) -> HttpResponse:
    if request.headers.get("X-Autosave"):
        return JsonResponse({"error": {"code": "refused", "detail": message}}, status=400)
    return render(
        request, "surveys/refused.html", {"survey": survey, "message": message}, status=400
    )


def question_items(
    questions: list[Question], draft: dict[str, Any], errors: dict[str, str] | None = None
) -> list[dict[str, Any]]:
    errors = errors or {}
    items = []
    for question in questions:
        values = answer_logic.form_values(question, draft.get(question.key))
        items.append(
            {
                "question": question,
                "values": values,
                "error": errors.get(question.key, ""),
                "choices": list(enumerate(question.choices)),
                "scale": list(enumerate(question.scale, start=1)),
                "rows": [
                    (index, row, values["rows"].get(row, ""))
                    for index, row in enumerate(question.rows)
                ],
            }
        )
    return items


def screens(survey: Survey, draft: dict[str, Any]) -> list[tuple[Section, list[Question]]]:
    """The sections with the questions asked, given the answers so far (empty ones left out)."""
    layout = actions.structure(survey)
    by_id = {q.pk: q for _section, questions in layout for q in questions}
    result = []
    for section, questions in layout:
        asked = actions.visible_questions(questions, draft, by_id)
        if asked:
            result.append((section, asked))
    return result


def resume_url(survey: Survey, draft: dict[str, Any]) -> str:
    """The first screen with a required question still open, or the review page."""
    for number, (_section, asked) in enumerate(screens(survey, draft), start=1):
        if answer_logic.missing_required(asked, draft):
            return reverse("surveys:section", args=[survey.pk, number])
    return reverse("surveys:review", args=[survey.pk])


@login_required
def survey_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    open_surveys = list(open_unanswered_for(user).select_related("audience"))
    started = set(
        Participation.objects.filter(
            employee=user, survey__in=[s.pk for s in open_surveys]
        ).values_list("survey_id", flat=True)
    )
    answered = list(
        surveys_for(user)
        .filter(participations__employee=user, participations__submitted=True)
        .order_by("-closes_at")[:20]
    )
    return render(
        request,
        "surveys/list.html",
        {
            "open_surveys": open_surveys,
            "started": started,
            "answered": answered,
            "can_manage": can_manage(user),
        },
    )


@login_required
def start(request: HttpRequest, pk: int) -> HttpResponse:
    survey = access_survey(request.user, pk)
    participation = actions.participation_for(survey, request.user)
    if request.method == "POST":
        try:
            participation = actions.start(survey, request.user)
        except actions.SurveyError as error:
            return refused(request, survey, str(error))
        return redirect(resume_url(survey, participation.draft))
    return render(
        request,
        "surveys/start.html",
        {
            "survey": survey,
            "participation": participation,
            "sections": len(screens(survey, participation.draft if participation else {})),
        },
    )


@login_required
def section(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    survey = access_survey(request.user, pk)
    participation = actions.participation_for(survey, request.user)
    submitted = participation is not None and participation.submitted
    if request.method != "POST" and (submitted or survey.status != Status.OPEN):
        # An old bookmark or the back button: the start page says what is going on.
        return redirect("surveys:start", survey.pk)
    if submitted:
        return refused(
            request, survey, _("You already answered this survey. You can answer only once.")
        )
    if survey.status != Status.OPEN:
        return refused(request, survey, _("This survey is closed: answers are no longer accepted."))
    draft = participation.draft if participation else {}
    pages = screens(survey, draft)
    if not 1 <= number <= len(pages):
        return redirect(resume_url(survey, draft))
    current, asked = pages[number - 1]
    errors: dict[str, str] = {}
    if request.method == "POST":
        try:
            draft, errors = actions.save_section(survey, request.user, current, request.POST)
        except actions.SurveyError as error:
            return refused(request, survey, str(error))
        if request.headers.get("X-Autosave"):
            return JsonResponse(
                {"saved": not errors, "errors": errors}, status=400 if errors else 200
            )
        going = request.POST.get("go", "next")
        if going == "previous" and not errors:
            return redirect("surveys:section", survey.pk, max(number - 1, 1))
        if not errors and going == "next":
            errors = answer_logic.missing_required(asked, draft)
        if not errors:
            # Answers may have changed which questions come next: count again.
            pages = screens(survey, draft)
            if going == "stay":
                messages.success(
                    request, _("Your answers are saved. Continue whenever it suits you.")
                )
                return redirect("surveys:start", survey.pk)
            if number < len(pages):
                return redirect("surveys:section", survey.pk, number + 1)
            return redirect("surveys:review", survey.pk)
    return render(
        request,
        "surveys/section.html",
        {
            "survey": survey,
            "section": current,
            "number": number,
            "total": len(pages),
            "items": question_items(asked, draft, errors),
            "has_errors": bool(errors),
            "action": reverse("surveys:section", args=[survey.pk, number]),
        },
        status=400 if errors else 200,
    )


@login_required
def review(request: HttpRequest, pk: int) -> HttpResponse:
    survey = access_survey(request.user, pk)
    participation = actions.participation_for(survey, request.user)
    if participation is not None and participation.submitted:
        return redirect("surveys:done", survey.pk)
    draft = participation.draft if participation else {}
    if request.method == "POST":
        try:
            actions.submit(survey, request.user)
        except actions.SurveyError as error:
            return refused(request, survey, str(error))
        return redirect("surveys:done", survey.pk)
    pages = screens(survey, draft)
    summary = []
    for number, (page, asked) in enumerate(pages, start=1):
        missing = answer_logic.missing_required(asked, draft)
        summary.append(
            {
                "number": number,
                "section": page,
                "answers": [
                    (q, answer_logic.display(q, draft.get(q.key)), q.key in missing) for q in asked
                ],
            }
        )
    missing_any = any(missing for item in summary for _q, _a, missing in item["answers"])
    return render(
        request,
        "surveys/review.html",
        {"survey": survey, "summary": summary, "missing_any": missing_any},
    )


@login_required
def done(request: HttpRequest, pk: int) -> HttpResponse:
    survey = access_survey(request.user, pk)
    return render(request, "surveys/done.html", {"survey": survey})


HOME_ROWS = 3


def home_panel(request: HttpRequest) -> dict[str, Any] | None:
    """Rows of the start page's to-do card: open surveys for me that I have not answered."""
    if not request.user.is_authenticated:
        return None
    surveys = list(open_unanswered_for(request.user)[: HOME_ROWS + 1])  # one more: are there more?
    if not surveys:
        return None
    return {"surveys": surveys[:HOME_ROWS], "more": len(surveys) > HOME_ROWS}


def manage_panel(request: HttpRequest) -> dict[str, Any] | None:
    """The start-page panel of who manages surveys: the way to the tools."""
    return {} if request.user.is_authenticated and can_manage(request.user) else None
