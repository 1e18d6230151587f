"""The verbs of campaigns: write a campaign and its announcements, publish them on time,
withdraw, acknowledge, and count what reached whom.

``check_*`` authorizes and validates what needs the user (raises ``Http404`` or
``ValidationError`` with a Dutch message, nothing written); ``do_*`` writes in one
transaction and tells others after commit. The background job calls ``publish_due``.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from campaigns import access, reach
from campaigns.forms import AnnouncementForm, CampaignForm
from campaigns.models import Acknowledgement, Announcement, Campaign, Stage
from campaigns.signals import announcement_changed
from kus.text import render_markdown
from notifications.actions import mark_read, notify
from notifications.models import NotificationKind
from streams.actions import record_activity
from streams.models import Activity, AudienceKind, Verb
from surveys.actions import copy_audience
from workplace.audiences import members
from workplace.forms import AudienceForm
from workplace.models import Audience, Department, Employee
from workplace.transactions import send_on_commit


def activity_ref(announcement: Announcement) -> str:
    return f"campaigns:{announcement.pk}"


# --- who may address whom -----------------------------------------------------------------


def check_editor(user: Employee) -> None:
    if not access.is_editor(user):
        raise Http404


def editing_department(user: Employee) -> Department | None:
    """The department a communicator writes for (None for the communication team)."""
    if access.is_team(user):
        return None
    departments = access.communicator_departments(user)
    if not departments:
        raise Http404
    return departments[0]


def check_audience(user: Employee, audience: Audience | AudienceForm) -> None:
    """The communication team addresses anyone; a department's communicator only people of
    their department and the departments below it (an audience that reaches anyone else
    is refused, whichever rule reaches them). Call with the saved audience, in the
    transaction that saves it: a refusal rolls it back."""
    if access.is_team(user):
        return
    departments = access.communicator_departments(user)
    if not departments:
        raise Http404
    saved = audience.instance if isinstance(audience, AudienceForm) else audience
    named = [*saved.departments.all(), *saved.departments_only.all()]
    outside = members(saved)
    for department in departments:
        outside = outside.exclude(department__path__startswith=department.path)
    named_outside = [d for d in named if not any(d.is_within(own) for own in departments)]
    # The rules as well as today's people: an empty team elsewhere is still elsewhere.
    if saved.all_staff or named_outside or outside.exists():
        names = ", ".join(d.name for d in departments)
        raise ValidationError(
            _("You can only address colleagues of %(departments)s.") % {"departments": names}
        )


# --- campaigns --------------------------------------------------------------------------


def do_save_campaign(
    user: Employee,
    form: CampaignForm,
    audience_form: AudienceForm,
    campaign: Campaign | None = None,
) -> Campaign:
    """Create or edit a campaign with its audience; ``ValidationError`` writes nothing."""
    check_editor(user)
    with transaction.atomic():
        item = form.save(commit=False)
        if campaign is None:
            item.owner = user
            item.department = editing_department(user)
        if audience_form.has_changed() or item.audience_id is None:
            item.audience = audience_form.save()
            check_audience(user, item.audience)
        hero = form.cleaned_data.get("hero_image")
        if hero:
            content = hero.as_file()
            item.hero.save(content.name, content, save=False)
        elif hero is False:
            item.hero = ""
        outside = (
            item.items.exclude(publish_at__date__range=(item.starts, item.ends))
            if item.pk
            else Announcement.objects.none()
        )
        if outside.exists():
            raise ValidationError(
                _("Some of its announcements fall outside this period: move them first.")
            )
        item.save()
    return item


# --- announcements ----------------------------------------------------------------------


def editable_campaigns(user: Employee) -> QuerySet[Campaign]:
    return access.editable_campaigns(user).filter(
        ends__gte=timezone.localdate() - timedelta(days=1)
    )


def do_save_announcement(
    user: Employee,
    form: AnnouncementForm,
    audience_form: AudienceForm | None,
    announcement: Announcement | None = None,
) -> Announcement:
    """Create or edit an announcement. Once published, its audience stays (the reach was
    measured against it) and an edit changes the text, the pin and the links; the
    counts stay as they are."""
    check_editor(user)
    with transaction.atomic():
        item = form.save(commit=False)
        item.directive = form.cleaned_data.get("directive_number")
        item.body_html = render_markdown(item.body)
        if announcement is None:
            item.author = user
            item.department = editing_department(user)
        else:
            item.edited = timezone.now()
            if item.published is not None:
                # The form cannot move it (the field is disabled), but its round trip
                # through the widget loses the microseconds: keep the stored moment.
                item.publish_at = (
                    Announcement.objects.filter(pk=item.pk)
                    .values_list("publish_at", flat=True)
                    .get()
                )
        if audience_form is not None and (audience_form.has_changed() or not item.audience_id):
            if item.published is not None:
                raise ValidationError(_("Its audience cannot change after publication."))
            item.audience = audience_form.save()
            check_audience(user, item.audience)
        if audience_form is None and item.campaign_id and item.audience_id is None:
            # Its own copy: editing this announcement's audience leaves the campaign's be.
            item.audience = copy_audience(item.campaign.audience)
        if item.audience_id is None:
            raise ValidationError(_("Choose at least one group of people to address."))
        item.save()
        if item.is_published:
            Activity.objects.filter(object_ref=activity_ref(item)).update(title=item.title[:255])
            send_on_commit(announcement_changed, Announcement, announcement=item)
    return item


def _stream_audience_kind(audience: Audience) -> str:
    """All staff, unnarrowed, is the cheap case of the stream query; anything else is
    matched against the reader's audiences."""
    narrowed = (
        audience.worker_kind
        or audience.excluded_departments.exists()
        or audience.excluded_employees.exists()
    )
    return AudienceKind.ALL if audience.all_staff and not narrowed else AudienceKind.AUDIENCE


def do_publish(announcement: Announcement, *, now: datetime | None = None) -> list[int] | None:
    """Publish it now, once: the activity in its audience's streams, a notification on each
    person's channels (in their working hours), the delivery counted. Returns who was
    told; a second call (another worker, a retry) does nothing and returns None."""
    now = now or timezone.now()
    with transaction.atomic():
        if not Announcement.objects.filter(pk=announcement.pk, published=None).update(
            published=now
        ):
            return None
        announcement.published = now
        audience = announcement.audience
        people = members(audience)
        record_activity(
            verb=Verb.ANNOUNCED,
            actor=announcement.author,
            audience_kind=_stream_audience_kind(audience),
            audience=audience,
            is_announcement=True,
            object_ref=activity_ref(announcement),
            title=announcement.title,
            url=announcement.get_absolute_url(),
            created=now,
        )
        until = now + timedelta(days=reach.measuring_days())
        reach.deliver(reach.reach_for(announcement=announcement, until=until), people, now=now)
        campaign = announcement.campaign
        if campaign is not None:
            campaign_until = max(
                until,
                timezone.make_aware(datetime.combine(campaign.ends, datetime.min.time()))
                + timedelta(days=reach.measuring_days()),
            )
            campaign_reach = reach.reach_for(campaign=campaign, until=campaign_until)
            reach.deliver(campaign_reach, people, now=now)
        told = notify(
            people.values_list("pk", flat=True),
            NotificationKind.ANNOUNCEMENT,
            announcement,
            actor=announcement.author,
            title=announcement.title,
        )
        send_on_commit(announcement_changed, Announcement, announcement=announcement)
    return told


def do_publish_now(user: Employee, announcement: Announcement) -> bool:
    """An editor publishes a scheduled announcement at once; False when it was already out."""
    if announcement.published is not None or announcement.withdrawn is not None:
        return False
    now = timezone.now()
    with transaction.atomic():
        Announcement.objects.filter(pk=announcement.pk, published=None).update(publish_at=now)
        announcement.publish_at = now
        return do_publish(announcement, now=now) is not None


def publish_due(now: datetime | None = None) -> int:
    """Publish every announcement whose time has come; returns how many."""
    now = now or timezone.now()
    due = Announcement.objects.filter(published=None, withdrawn=None, publish_at__lte=now)
    published = 0
    for item in due.select_related("audience", "campaign", "author"):
        if do_publish(item, now=now) is not None:
            published += 1
    return published


def do_withdraw(user: Employee, announcement: Announcement) -> None:
    """Take it away from everyone but its editors: streams, search, notifications, pin."""
    with transaction.atomic():
        Announcement.objects.filter(pk=announcement.pk).update(withdrawn=timezone.now())
        Activity.objects.filter(object_ref=activity_ref(announcement)).update(hidden=True)
        send_on_commit(announcement_changed, Announcement, announcement=announcement)


# --- reading -----------------------------------------------------------------------------


def do_acknowledge(user: Employee, announcement: Announcement, channel: str) -> bool:
    """Note that the user read it; True the first time."""
    with transaction.atomic():
        _ack, created = Acknowledgement.objects.get_or_create(
            announcement=announcement, employee=user
        )
        if created:
            reach.record(announcement, user, Stage.ACKNOWLEDGED, channel)
            mark_read(
                user,
                announcement.notifications.filter(recipient=user).values_list("pk", flat=True),
            )
    return created


def do_record(user: Employee, announcement: Announcement, stage: Stage, channel: str) -> bool:
    return reach.record(announcement, user, stage, channel)
