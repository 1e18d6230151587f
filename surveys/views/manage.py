"""HR's side: build, preview, open and close surveys; the printable poster."""

from __future__ import annotations

import segno
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from surveys import actions
from surveys.access import access_owned_survey, owned_surveys
from surveys.forms import QuestionForm, SectionForm, StructureLockedForm, SurveyForm
from surveys.models import Participation, Question, Section, Status
from surveys.views.answer import question_items
from workplace.forms import AudienceForm
from workplace.http import AuthenticatedRequest
from workplace.roles import Role, role_required


@role_required(Role.HR)
def manage(request: AuthenticatedRequest) -> HttpResponse:
    surveys = owned_surveys(request.user).order_by("-created")
    return render(request, "surveys/manage.html", {"surveys": surveys})


@role_required(Role.HR)
def create(request: AuthenticatedRequest) -> HttpResponse:
    form = SurveyForm(request.POST or None, prefix="survey")
    audience_form = AudienceForm(request.POST or None, prefix="audience")
    if request.method == "POST" and form.is_valid() and audience_form.is_valid():
        survey = actions.create_survey(request.user, form, audience_form)
        messages.success(request, _("Survey created. Add sections and questions."))
        return redirect("surveys:edit", survey.pk)
    return render(
        request,
        "surveys/settings.html",
        {"form": form, "audience_form": audience_form, "survey": None},
    )


@role_required(Role.HR)
def survey_settings(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    survey = access_owned_survey(request.user, pk)
    locked = survey.is_locked()
    form_class = StructureLockedForm if locked else SurveyForm
    form = form_class(request.POST or None, instance=survey, prefix="survey")
    audience_form = None
    if not locked:
        audience_form = AudienceForm(
            request.POST or None, instance=survey.audience, prefix="audience"
        )
    if request.method == "POST" and form.is_valid() and (locked or audience_form.is_valid()):
        survey = actions.save_settings(request.user, form, audience_form)
        messages.success(request, _("Saved."))
        return redirect("surveys:edit", survey.pk)
    return render(
        request,
        "surveys/settings.html",
        {"form": form, "audience_form": audience_form, "survey": survey, "locked": locked},
    )


@role_required(Role.HR)
def edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    survey = access_owned_survey(request.user, pk)
    return render(
        request,
        "surveys/edit.html",
        {
            "survey": survey,
            "layout": actions.structure(survey),
            "locked": survey.is_locked(),
            "participants": Participation.objects.filter(survey=survey, submitted=True).count(),
            "Status": Status,
        },
    )


@role_required(Role.HR)
def section_form(
    request: AuthenticatedRequest, pk: int, section_pk: int | None = None
) -> HttpResponse:
    survey = access_owned_survey(request.user, pk)
    instance = None
    if section_pk is not None:
        instance = Section.objects.filter(survey=survey, pk=section_pk).first()
        if instance is None:
            raise Http404
    form = SectionForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        section = form.save(commit=False)
        section.survey = survey
        try:
            actions.save_section_definition(section)
        except actions.SurveyError as error:
            form.add_error(None, str(error))
        else:
            return redirect(reverse("surveys:edit", args=[survey.pk]) + f"#section-{section.pk}")
    return render(
        request, "surveys/section_form.html", {"survey": survey, "form": form, "section": instance}
    )


def _owned_question(request: AuthenticatedRequest, pk: int, question_pk: int):
    survey = access_owned_survey(request.user, pk)
    question = (
        Question.objects.filter(section__survey=survey, pk=question_pk)
        .select_related("section__survey")
        .first()
    )
    if question is None:
        raise Http404
    return survey, question


@role_required(Role.HR)
def question_form(
    request: AuthenticatedRequest,
    pk: int,
    section_pk: int | None = None,
    question_pk: int | None = None,
) -> HttpResponse:
    if question_pk is not None:
        survey, question = _owned_question(request, pk, question_pk)
        section = question.section
    else:
        survey = access_owned_survey(request.user, pk)
        section = Section.objects.filter(survey=survey, pk=section_pk).first()
        if section is None:
            raise Http404
        question = None
    form = QuestionForm(request.POST or None, instance=question, section=section)
    if request.method == "POST" and form.is_valid():
        try:
            saved = actions.save_question(form.save(commit=False))
        except actions.SurveyError as error:
            form.add_error(None, str(error))
        else:
            return redirect(reverse("surveys:edit", args=[survey.pk]) + f"#question-{saved.pk}")
    return render(
        request,
        "surveys/question_form.html",
        {"survey": survey, "section": section, "form": form, "question": question},
    )


@role_required(Role.HR)
@require_POST
def delete(request: AuthenticatedRequest, pk: int, what: str, item_pk: int) -> HttpResponse:
    survey = access_owned_survey(request.user, pk)
    try:
        if what == "section":
            section = Section.objects.filter(survey=survey, pk=item_pk).first()
            if section is None:
                raise Http404
            actions.delete_section(section)
        else:
            _survey, question = _owned_question(request, pk, item_pk)
            actions.delete_question(question)
    except actions.SurveyError as error:
        messages.error(request, str(error))
    return redirect("surveys:edit", survey.pk)


@role_required(Role.HR)
@require_POST
def move(request: AuthenticatedRequest, pk: int, what: str, item_pk: int) -> HttpResponse:
    survey = access_owned_survey(request.user, pk)
    delta = -1 if request.POST.get("direction") == "up" else 1
    if survey.is_locked():
        messages.error(request, _("People have started answering: the order can no longer change."))
        return redirect("surveys:edit", survey.pk)
    if what == "section":
        item = Section.objects.filter(survey=survey, pk=item_pk).first()
    else:
        item = Question.objects.filter(section__survey=survey, pk=item_pk).first()
    if item is None:
        raise Http404
    actions.move(item, delta)
    return redirect("surveys:edit", survey.pk)


@role_required(Role.HR)
@require_POST
def change_status(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    survey = access_owned_survey(request.user, pk)
    action = request.POST.get("action")
    try:
        if action == "schedule":
            actions.schedule(survey)
            survey.refresh_from_db()
            if survey.status == Status.OPEN:
                messages.success(request, _("The survey is open."))
            else:
                messages.success(request, _("The survey opens by itself at its open date."))
        elif action == "open":
            actions.open_now(survey)
            messages.success(request, _("The survey is open."))
        elif action == "close":
            actions.close(survey)
            messages.success(request, _("The survey is closed."))
        elif action == "remind":
            count = actions.remind(survey)
            messages.success(
                request, _("A reminder goes to %(count)d colleagues.") % {"count": count}
            )
        elif action == "copy":
            copy = actions.copy_survey(survey, request.user)
            messages.success(request, _("A new edition was made. Check the dates and audience."))
            return redirect("surveys:edit", copy.pk)
        else:
            raise Http404
    except actions.SurveyError as error:
        messages.error(request, str(error))
    return redirect("surveys:edit", survey.pk)


@role_required(Role.HR)
def preview(request: AuthenticatedRequest, pk: int, number: int = 1) -> HttpResponse:
    """Every section as respondents see it, all conditional questions shown, nothing saved."""
    survey = access_owned_survey(request.user, pk)
    layout = [(section, questions) for section, questions in actions.structure(survey) if questions]
    if not layout:
        messages.info(request, _("Add a question first."))
        return redirect("surveys:edit", survey.pk)
    number = min(max(number, 1), len(layout))
    current, questions = layout[number - 1]
    return render(
        request,
        "surveys/section.html",
        {
            "survey": survey,
            "section": current,
            "number": number,
            "total": len(layout),
            "items": question_items(questions, {}),
            "preview": True,
        },
    )


def _qr_svg(url: str) -> str:
    return segno.make(url, error="m").svg_inline(scale=6, omitsize=True)


@role_required(Role.HR)
def poster(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """A printable A4 poster or letter with a QR code, for colleagues without a screen."""
    survey = access_owned_survey(request.user, pk)
    url = request.build_absolute_uri(reverse("surveys:start", args=[survey.pk]))
    return render(
        request,
        "surveys/poster.html",
        {
            "survey": survey,
            "url": url,
            "qr": _qr_svg(url),
        },
    )
