"""The verbs of surveys: access, answer, submit, open, close, build.

Every write happens in a transaction; signals go out after commit.
"""

from __future__ import annotations

import random
from datetime import datetime
from typing import Any

from django.db import transaction
from django.db.models import Count, F, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from surveys import answers as answer_logic
from surveys.forms import SurveyForm
from surveys.models import (
    Anonymity,
    Kind,
    Participation,
    Question,
    Response,
    Section,
    Status,
    Survey,
    week_of,
)
from surveys.signals import survey_closed, survey_opened, survey_reminder
from workplace.audiences import members
from workplace.forms import AudienceForm
from workplace.models import Audience, Employee
from workplace.models.audiences import AudienceJobTitle
from workplace.transactions import send_on_commit


class SurveyError(Exception):
    """A refused action; the message is for the user."""


# --- settings ----------------------------------------------------------------------


def create_survey(owner: Employee, form: SurveyForm, audience_form: AudienceForm) -> Survey:
    """A new survey in preparation from the validated settings forms; ``owner`` owns it."""
    with transaction.atomic():
        survey = form.save(commit=False)
        survey.audience = audience_form.save()
        survey.save()
        form.save_m2m()
        survey.owners.add(owner)
    return survey


def save_settings(
    user: Employee, form: SurveyForm, audience_form: AudienceForm | None = None
) -> Survey:
    """Save the validated settings forms of an existing survey.

    Only the fields on the form are written: the cron tick may have opened or
    closed the survey since the form's instance was read, and its status stays.
    """
    with transaction.atomic():
        survey = form.save(commit=False)
        fields = [name for name in form.Meta.fields if name != "owners"]
        if audience_form is not None:
            survey.audience = audience_form.save()
            fields.append("audience")
        survey.save(update_fields=fields)
        form.save_m2m()
        # Whoever edits keeps access: nobody locks themselves out by accident.
        survey.owners.add(user)
    return survey


# --- answering -----------------------------------------------------------------------


def structure(survey: Survey) -> list[tuple[Section, list[Question]]]:
    sections = list(survey.sections.prefetch_related("questions"))
    return [(section, list(section.questions.all())) for section in sections]


def all_questions(survey: Survey) -> list[Question]:
    return list(Question.objects.filter(section__survey=survey))


def visible_questions(
    questions: list[Question], draft: dict[str, Any], by_id: dict[int, Question] | None = None
) -> list[Question]:
    by_id = by_id or {q.pk: q for q in questions}
    return [q for q in questions if answer_logic.is_visible(q, draft, by_id)]


def participation_for(survey: Survey, user: Employee) -> Participation | None:
    return Participation.objects.filter(survey=survey, employee=user).first()


def _check_can_answer(survey: Survey, participation: Participation | None) -> None:
    # HR may have closed it since the page was loaded.
    survey.refresh_from_db(fields=["status", "closes_at"])
    if survey.status != Status.OPEN or (survey.closes_at and survey.closes_at <= timezone.now()):
        raise SurveyError(_("This survey is closed: answers are no longer accepted."))
    if participation is not None and participation.submitted:
        raise SurveyError(_("You already answered this survey. You can answer only once."))


def _locked(survey: Survey, user: Employee, *, create: bool = False) -> Participation | None:
    """The user's participation, locked for this transaction (made first when ``create``).

    ``get_or_create`` survives a double tap: the second insert hits the unique
    constraint and reads the first one's row instead.
    """
    if create:
        Participation.objects.get_or_create(survey=survey, employee=user)
    return Participation.objects.select_for_update().filter(survey=survey, employee=user).first()


def start(survey: Survey, user: Employee) -> Participation:
    with transaction.atomic():
        _check_can_answer(survey, _locked(survey, user))
        participation = _locked(survey, user, create=True)
    return participation


def save_section(
    survey: Survey, user: Employee, section: Section, data: Any
) -> tuple[dict[str, Any], dict[str, str]]:
    """Save the answers of one screen into the draft: (the answers so far, errors by question).

    All or nothing: when one answer is wrong, nothing is written and the
    returned answers (with what was typed) only serve to show the screen
    again. A forged form is refused with ``SurveyError``.
    """
    questions = all_questions(survey)
    by_id = {q.pk: q for q in questions}
    with transaction.atomic():
        participation = _locked(survey, user)
        _check_can_answer(survey, participation)
        draft = dict(participation.draft) if participation else {}
        asked = [
            q
            for q in questions
            if q.section_id == section.pk and answer_logic.is_visible(q, draft, by_id)
        ]
        try:
            values, errors = answer_logic.parse(asked, data)
        except answer_logic.AnswerError as error:
            raise SurveyError(str(error)) from None
        for key, value in values.items():
            if key in errors:
                continue
            if value is None:
                draft.pop(key, None)
            else:
                draft[key] = value
        if errors:
            return draft, errors
        if participation is None:
            participation = _locked(survey, user, create=True)
            _check_can_answer(survey, participation)
        participation.draft = draft
        participation.section_reached = max(participation.section_reached, section.position)
        participation.save(update_fields=["draft", "section_reached"])
    return draft, errors


def submit(survey: Survey, user: Employee) -> Response:
    """Turn the draft into a final response; in anonymous mode it loses every link to the user."""
    questions = all_questions(survey)
    by_id = {q.pk: q for q in questions}
    with transaction.atomic():
        participation = _locked(survey, user)
        _check_can_answer(survey, participation)
        if participation is None:
            raise SurveyError(_("You have not answered any question yet."))
        draft = participation.draft
        asked = visible_questions(questions, draft, by_id)
        missing = answer_logic.missing_required(asked, draft)
        if missing:
            raise SurveyError(
                _("Some required questions are not answered yet (%(count)d).")
                % {"count": len(missing)}
            )
        final = {q.key: draft[q.key] for q in asked if q.key in draft}
        response = Response.objects.create(
            survey=survey,
            week=week_of(timezone.localdate()),
            unit=reporting_unit(user),
            site_id=user.site_id,
            is_field_worker=user.is_field_worker,
            respondent=None if survey.is_anonymous else user,
            answers=final,
        )
        participation.submitted = True
        participation.draft = {}
        participation.save(update_fields=["submitted", "draft"])
    return response


def reporting_unit(user: Employee):
    """The service (or department) a response is counted under: never finer than a service.

    Teams are too small to report on and would make answers easier to trace.
    """
    department = user.department
    if department is None:
        return None
    if department.depth <= 1:
        return department
    return department.ancestors().filter(depth=1).first()


# --- opening and closing -------------------------------------------------------------


def _send_after_commit(signal, survey: Survey) -> None:
    def send() -> None:
        recipients = members(survey.audience) if survey.audience_id else Employee.objects.none()
        signal.send(sender=Survey, survey=survey, recipients=recipients)

    transaction.on_commit(send)


def validate_ready(survey: Survey) -> None:
    if survey.audience_id is None:
        raise SurveyError(_("Choose who the survey is for first."))
    if not Question.objects.filter(section__survey=survey).exists():
        raise SurveyError(_("Add at least one question first."))
    if survey.closes_at and survey.closes_at <= timezone.now():
        raise SurveyError(_("The closing date has already passed."))


def schedule(survey: Survey) -> None:
    """Ready to go: it opens by itself at its open date (or now, when that has passed)."""
    with transaction.atomic():
        validate_ready(survey)
        if survey.status != Status.DRAFT:
            raise SurveyError(_("Only a survey in preparation can be scheduled."))
        survey.status = Status.SCHEDULED
        survey.save(update_fields=["status"])
    tick()


def open_now(survey: Survey) -> None:
    with transaction.atomic():
        survey = Survey.objects.select_for_update().get(pk=survey.pk)
        if survey.status not in (Status.DRAFT, Status.SCHEDULED):
            raise SurveyError(_("This survey has already been opened."))
        validate_ready(survey)
        survey.status = Status.OPEN
        survey.opens_at = timezone.now()
        survey.save(update_fields=["status", "opens_at"])
        _send_after_commit(survey_opened, survey)


def close(survey: Survey) -> None:
    """Close the survey; drafts never submitted are erased (they still carry names)."""
    with transaction.atomic():
        survey = Survey.objects.select_for_update().get(pk=survey.pk)
        if survey.status != Status.OPEN:
            raise SurveyError(_("Only an open survey can be closed."))
        survey.status = Status.CLOSED
        if not survey.closes_at or survey.closes_at > timezone.now():
            survey.closes_at = timezone.now()
        survey.save(update_fields=["status", "closes_at"])
        Participation.objects.filter(survey=survey, submitted=False).update(draft={})
        _send_after_commit(survey_closed, survey)


def tick(now: datetime | None = None) -> tuple[int, int]:
    """Open and close surveys whose dates have come; a scheduled job (``surveys.tasks``)."""
    now = now or timezone.now()
    opened = closed = 0
    due = Survey.objects.filter(status=Status.SCHEDULED).exclude(opens_at__gt=now)
    for survey in due:
        with transaction.atomic():
            locked = Survey.objects.select_for_update().filter(
                pk=survey.pk, status=Status.SCHEDULED
            )
            survey = locked.first()
            if survey is None:
                continue
            if survey.closes_at and survey.closes_at <= now:
                continue
            survey.status = Status.OPEN
            survey.opens_at = survey.opens_at or now
            survey.save(update_fields=["status", "opens_at"])
            _send_after_commit(survey_opened, survey)
            opened += 1
    for survey in Survey.objects.filter(status=Status.OPEN, closes_at__lte=now):
        try:
            close(survey)
            closed += 1
        except SurveyError:
            continue  # HR closed it by hand between the query and now
    # Anonymous surveys with new answers since the last tick: reshuffle their storage.
    changed = (
        Survey.objects.filter(
            anonymity=Anonymity.ANONYMOUS, status__in=[Status.OPEN, Status.CLOSED]
        )
        .annotate(answers=Count("responses"))
        .exclude(answers=F("shuffled_count"))
    )
    for survey in changed:
        shuffle_responses(survey)
    return opened, closed


def shuffle_responses(survey: Survey) -> int:
    """Rewrite a survey's responses in random order; returns how many.

    Keys are random already, but a database still stores rows in the order they
    arrived. Rewriting them shuffled leaves only the order within one cron
    interval to read from the table, should someone compare it with web logs.
    """
    with transaction.atomic():
        survey = Survey.objects.select_for_update().get(pk=survey.pk)
        rows = list(Response.objects.filter(survey=survey))
        random.SystemRandom().shuffle(rows)
        # Delete exactly the rows read: an answer submitted meanwhile stays as it is.
        for start in range(0, len(rows), 500):
            Response.objects.filter(pk__in=[row.pk for row in rows[start : start + 500]]).delete()
        Response.objects.bulk_create(rows, batch_size=500)
        survey.shuffled_count = len(rows)
        survey.save(update_fields=["shuffled_count"])
    return len(rows)


def non_respondents(survey: Survey) -> QuerySet[Employee]:
    submitted = Participation.objects.filter(survey=survey, submitted=True)
    return members(survey.audience).exclude(pk__in=submitted.values("employee"))


def remind(survey: Survey) -> int:
    if survey.status != Status.OPEN:
        raise SurveyError(_("Only an open survey can send reminders."))
    recipients = non_respondents(survey)
    count = recipients.count()

    send_on_commit(survey_reminder, Survey, survey=survey, recipients=recipients)
    return count


# --- building ----------------------------------------------------------------------------


def check_structure_editable(survey: Survey) -> None:
    if survey.is_locked():
        raise SurveyError(
            _("People have started answering: questions and sections can no longer change.")
        )


def renumber(items) -> None:
    for position, item in enumerate(items, start=1):
        if item.position != position:
            item.position = position
            item.save(update_fields=["position"])


def move(item: Section | Question, delta: int) -> None:
    siblings = list(
        item.survey.sections.all() if isinstance(item, Section) else item.section.questions.all()
    )
    index = next(i for i, other in enumerate(siblings) if other.pk == item.pk)
    target = index + delta
    if 0 <= target < len(siblings):
        siblings[index], siblings[target] = siblings[target], siblings[index]
        with transaction.atomic():
            renumber(siblings)


def validate_question(question: Question) -> None:
    """Rules the builder form cannot see on its own; raises SurveyError."""
    survey = question.section.survey
    clash = (
        Question.objects.filter(section__survey=survey, code=question.code)
        .exclude(pk=question.pk)
        .exists()
    )
    if clash:
        raise SurveyError(_("Another question of this survey already uses this code."))
    if question.kind in (Kind.SINGLE, Kind.MULTIPLE, Kind.MATRIX) and len(question.choices) < 2:
        raise SurveyError(_("Give at least two options."))
    if question.kind == Kind.MATRIX and not question.rows:
        raise SurveyError(_("Give at least one matrix item."))
    if (
        question.min_value is not None
        and question.max_value is not None
        and question.min_value > question.max_value
    ):
        raise SurveyError(_("The lowest number is higher than the highest number."))
    condition = question.condition_question
    if condition is not None:
        if condition.section.survey_id != survey.pk or (
            condition.section.position >= question.section.position
        ):
            raise SurveyError(_("A condition can only depend on a question in an earlier section."))
        if condition.kind in (Kind.MATRIX, Kind.SHORT_TEXT, Kind.LONG_TEXT):
            raise SurveyError(_("A condition cannot depend on a text or matrix question."))
        if not question.condition_values:
            raise SurveyError(_("Name the answers that make this question appear."))
        allowed = set(condition.choices) | {str(n) for n in range(11)}
        if condition.kind in (Kind.SINGLE, Kind.MULTIPLE) and not set(
            question.condition_values
        ) <= set(condition.choices):
            raise SurveyError(_("The condition names an answer that is not an option."))
        if not set(question.condition_values) <= allowed and condition.kind != Kind.NUMBER:
            raise SurveyError(_("The condition names an answer that is not an option."))


# What the builder may change of a question or section once it exists.
QUESTION_FIELDS = [
    "kind", "text", "help_text", "code", "required", "allow_other", "min_value", "max_value",
    "condition_question", "choices", "rows", "condition_values", "position",
]  # fmt: skip
SECTION_FIELDS = ["title", "intro"]


def save_question(question: Question) -> Question:
    with transaction.atomic():
        check_structure_editable(question.section.survey)
        validate_question(question)
        if not question.position:
            question.position = question.section.questions.count() + 1
        question.save(update_fields=QUESTION_FIELDS if question.pk else None)
    return question


def delete_question(question: Question) -> None:
    with transaction.atomic():
        check_structure_editable(question.section.survey)
        section = question.section
        question.delete()
        renumber(section.questions.all())


def save_section_definition(section: Section) -> Section:
    with transaction.atomic():
        if section.pk is None:
            check_structure_editable(section.survey)
            section.position = section.survey.sections.count() + 1
            section.save()
        else:
            section.save(update_fields=SECTION_FIELDS)
    return section


def delete_section(section: Section) -> None:
    with transaction.atomic():
        check_structure_editable(section.survey)
        survey = section.survey
        section.delete()
        renumber(survey.sections.all())


def copy_audience(audience: Audience | None) -> Audience | None:
    """An unnamed copy, so that editing the new edition's audience leaves the old one be."""
    if audience is None:
        return None
    copy = Audience.objects.create(all_staff=audience.all_staff, worker_kind=audience.worker_kind)
    for name in (
        "departments",
        "departments_only",
        "groups",
        "sites",
        "employees",
        "excluded_departments",
        "excluded_employees",
    ):
        getattr(copy, name).set(getattr(audience, name).all())
    AudienceJobTitle.objects.bulk_create(
        AudienceJobTitle(audience=copy, title=job.title, key=job.key)
        for job in audience.job_titles.all()
    )
    return copy


def copy_survey(survey: Survey, owner: Employee) -> Survey:
    """A new edition: same questions (and codes), linked to this one for comparisons."""
    with transaction.atomic():
        copy = Survey.objects.create(
            title=survey.title,
            intro=survey.intro,
            audience=copy_audience(survey.audience),
            anonymity=survey.anonymity,
            threshold=survey.threshold,
            previous_edition=survey,
        )
        copy.owners.add(*survey.owners.all(), owner)
        mapping: dict[int, Question] = {}
        conditions = []
        for section, questions in structure(survey):
            new_section = Section.objects.create(
                survey=copy, position=section.position, title=section.title, intro=section.intro
            )
            for question in questions:
                old_pk, condition_pk = question.pk, question.condition_question_id
                question.pk = None
                question.section = new_section
                question.condition_question = None
                question.save()
                mapping[old_pk] = question
                if condition_pk:
                    conditions.append((question, condition_pk))
        for question, condition_pk in conditions:
            question.condition_question = mapping.get(condition_pk)
            question.save(update_fields=["condition_question"])
    return copy
