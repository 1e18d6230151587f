"""Activities and notifications for what happens in other apps.

KUS (directives) and surveys send signals after their transactions commit;
``connect`` (called from ``StreamsConfig.ready``) connects the receivers to
them. The receivers only read the attributes the signals document.
"""

from __future__ import annotations

import logging

from django.db import transaction

from notifications.models import NotificationKind
from streams.models import Activity, AudienceKind, Verb
from workplace.audiences import members

log = logging.getLogger(__name__)


def _flag(objects, kwargs: dict, *names: str) -> bool:
    for name in names:
        if name in kwargs:
            return bool(kwargs[name])
        for obj in objects:
            if obj is not None and hasattr(obj, name):
                value = getattr(obj, name)
                return bool(value() if callable(value) else value)
    return False


def _audience_fields(obj) -> dict:
    audience = getattr(obj, "audience", None)
    if audience is None or audience.all_staff:
        return {"audience_kind": AudienceKind.ALL, "audience": audience}
    return {"audience_kind": AudienceKind.AUDIENCE, "audience": audience}


def _member_ids(audience) -> list[int]:
    if audience is None:
        from workplace.models import Employee

        return list(Employee.objects.filter(is_active=True).values_list("pk", flat=True))
    return list(members(audience).values_list("pk", flat=True))


def _directive_ref(directive) -> str:
    return f"kus:{directive.pk}"


def directive_published(sender, directive, version=None, **kwargs) -> None:
    """A directive or a new version of it went out: an activity for its audience, and a
    notification to them when they must acknowledge it (first publication or a material
    change). Arguments as documented in ``kus.signals``: ``material``, ``requires_ack``,
    ``first``."""
    from notifications.actions import notify
    from streams.actions import record_activity

    number = getattr(version, "seq", None) or 1
    first = kwargs.get("first", number == 1)
    material = _flag((version,), kwargs, "material")
    must_acknowledge = _flag((directive,), kwargs, "requires_ack") and (first or material)
    if "request_ack" in kwargs:
        must_acknowledge = bool(kwargs["request_ack"])
    # A bulk import: its activities share one moment and the owner department, so the
    # stream shows them as one card (streams.display.group_activities), and go out live
    # to nobody one by one.
    batch = kwargs.get("batch")
    ref = f"{_directive_ref(directive)}:v{number}"
    if Activity.objects.filter(object_ref=ref).exists():
        return  # a signal delivered twice records nothing twice
    fields = _audience_fields(directive)
    title = str(directive)
    url = directive.get_absolute_url()
    actor = getattr(version, "approved_by", None) or getattr(version, "created_by", None)
    with transaction.atomic():
        # Only the newest version stays in the streams.
        Activity.objects.filter(object_ref__startswith=_directive_ref(directive) + ":").update(
            hidden=True
        )
        recipients = _member_ids(fields["audience"]) if must_acknowledge or not batch else []
        live = fields["audience_kind"] == AudienceKind.AUDIENCE and not batch
        record_activity(
            verb=Verb.DIRECTIVE_PUBLISHED if first else Verb.DIRECTIVE_VERSION,
            actor=actor,
            is_announcement=True,
            object_ref=ref,
            title=title,
            url=url,
            live_user_ids=recipients if live else None,
            created=batch,
            department_id=getattr(directive, "owner_department_id", None) if batch else None,
            **fields,
        )
        if must_acknowledge:
            notify(
                recipients, NotificationKind.DIRECTIVE, title=title[:255], url=url, group_key=ref
            )


def directive_withdrawn(sender, directive, **kwargs) -> None:
    """Superseded or archived: its activities leave the streams."""
    Activity.objects.filter(object_ref__startswith=_directive_ref(directive) + ":").update(
        hidden=True
    )


def directive_audience_changed(sender, directive, **kwargs) -> None:
    fields = _audience_fields(directive)
    Activity.objects.filter(object_ref__startswith=_directive_ref(directive) + ":").update(**fields)


def survey_opened(sender, survey, recipients=None, **kwargs) -> None:
    """A survey opened: an activity for its audience and a notification to each member."""
    from notifications.actions import notify
    from streams.actions import record_activity

    ref = f"survey:{survey.pk}"
    if Activity.objects.filter(object_ref=ref).exists():
        return
    fields = _audience_fields(survey)
    if recipients is not None:
        member_ids = list(recipients.values_list("pk", flat=True))
    else:
        member_ids = _member_ids(fields["audience"])
    title = str(survey)
    url = survey.get_absolute_url()
    with transaction.atomic():
        record_activity(
            verb=Verb.SURVEY_OPENED,
            actor=None,
            object_ref=ref,
            title=title,
            url=url,
            live_user_ids=member_ids if fields["audience_kind"] == AudienceKind.AUDIENCE else None,
            **fields,
        )
        notify(member_ids, NotificationKind.SURVEY, title=title[:255], url=url)


def connect() -> None:
    """Connect the receivers to KUS's and surveys' signals (from ``StreamsConfig.ready``)."""
    from django.db.models.signals import post_save

    from kus import signals as kus_signals
    from surveys import signals as survey_signals
    from workplace.models import Employee

    followed = [
        (kus_signals.directive_published, "directive_published", directive_published),
        (kus_signals.directive_superseded, "directive_superseded", directive_withdrawn),
        (kus_signals.directive_archived, "directive_archived", directive_withdrawn),
        (
            kus_signals.directive_audience_changed,
            "directive_audience_changed",
            directive_audience_changed,
        ),
        (survey_signals.survey_opened, "survey_opened", survey_opened),
    ]
    for signal, name, receiver in followed:
        signal.connect(receiver, dispatch_uid=f"streams.{name}")
    post_save.connect(new_colleague, sender=Employee, dispatch_uid="streams.new_colleague")


def new_colleague(sender, instance, created: bool, raw: bool = False, **kwargs) -> None:
    """Welcome a new employee in their department's stream (imports and the admin alike)."""
    if not created or raw or not instance.is_active or not instance.department_id:
        return
    if not instance.announce_arrival:
        return  # e.g. the first import of the whole staff list
    from streams.actions import record_activity

    record_activity(
        verb=Verb.JOINED_ORGANISATION,
        actor=instance,
        audience_kind=AudienceKind.DEPARTMENT,
        department_id=instance.department_id,
        created=instance.date_joined,
    )
