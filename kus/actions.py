"""The verbs of KUS: each validates, authorizes, writes in one transaction and sends
its signals only after commit."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from guardian.shortcuts import assign_perm, remove_perm

from kus import access, signals
from kus.access import (
    CHANGE,
    can_create,
    can_edit,
    editable_directives,
    is_in_audience,
    managed_employees,
    visible_directives,
)
from kus.files import ATTACHMENTS, MAX_ATTACHMENTS, extract_text, kind_of
from kus.models import (
    SUMMARY_MAX,
    Acknowledgement,
    AckVia,
    Attachment,
    Briefing,
    Directive,
    DirectiveVersion,
    Status,
    Tag,
)
from kus.numbers import allocate_number
from kus.text import minhash
from notifications.actions import notify
from notifications.models import NotificationKind
from workplace import audit, files
from workplace.forms import AudienceForm
from workplace.models import Audience, AuditAction, Department, Employee
from workplace.transactions import send_on_commit


class ActionError(Exception):
    """A request that cannot be carried out; the message is meant for the user."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def check_can_create(user: Employee) -> None:
    if not can_create(user):
        raise PermissionDenied


def check_can_edit(user: Employee, directive: Directive) -> None:
    """The editor's verbs start here; their ``do_*`` halves never ask."""
    if not can_edit(user, directive):
        raise PermissionDenied


def _on_commit(signal, **kwargs) -> None:
    send_on_commit(signal, Directive, **kwargs)


# --- numbers ---------------------------------------------------------------------------------


@dataclass
class Text:
    title: str
    summary: str
    body: str
    change_note: str = ""
    material: bool = False


def _check_text(text: Text) -> None:
    if not text.title.strip():
        raise ActionError(_("A directive needs a title."))
    if not text.summary.strip():
        raise ActionError(_("Write a short summary in plain language."))
    if len(text.summary) > SUMMARY_MAX:
        raise ActionError(
            _("The summary can be at most %(max)s characters.") % {"max": SUMMARY_MAX}
        )
    if not text.body.strip():
        raise ActionError(_("The text of the directive is empty."))


def set_tags(directive: Directive, names: Iterable[str]) -> None:
    from django.utils.text import slugify

    tags = []
    for name in dict.fromkeys(n.strip()[:50] for n in names if n.strip()):
        slug = slugify(name)[:60] or "tag"
        tag = Tag.objects.filter(slug=slug).first() or Tag.objects.create(name=name, slug=slug)
        tags.append(tag)
    directive.tags.set(tags)


def grant_owner(directive: Directive, previous: Department | None = None) -> None:
    """The owner department's group edits the directive (guardian), the previous one no longer."""
    if previous is not None and previous.pk != directive.owner_department_id:
        remove_perm(f"kus.{CHANGE}", previous.group, directive)
    assign_perm(f"kus.{CHANGE}", directive.owner_department.group, directive)


def create_directive(
    user: Employee,
    *,
    text: Text,
    owner_department: Department,
    category,
    audience: Audience | AudienceForm,
    tags: Iterable[str] = (),
    **fields,
) -> Directive:
    """An editor's new draft; ``audience`` may be the audience editor's form, saved with it."""
    check_can_create(user)
    _check_text(text)
    with transaction.atomic():
        if isinstance(audience, AudienceForm):
            audience = audience.save()
        return do_create_directive(
            user,
            text=text,
            owner_department=owner_department,
            category=category,
            audience=audience,
            tags=tags,
            **fields,
        )


def do_create_directive(
    author: Employee | None,
    *,
    text: Text,
    owner_department: Department,
    category,
    audience: Audience,
    tags: Iterable[str] = (),
    **fields,
) -> Directive:
    """A new draft, without authorization (importers, demo data; editors come through
    ``create_directive``). ``fields`` are Directive metadata (contact, restricted, dates, …)."""
    _check_text(text)
    with transaction.atomic():
        directive = Directive.objects.create(
            title=text.title.strip(),
            summary=text.summary.strip(),
            owner_department=owner_department,
            category=category,
            audience=audience,
            created_by=author,
            signature=minhash(f"{text.title}\n{text.summary}\n{text.body}"),
            **fields,
        )
        DirectiveVersion.objects.create(
            directive=directive,
            title=directive.title,
            summary=directive.summary,
            body=text.body,
            change_note=text.change_note,
            created_by=author,
            edited_by=author,
        )
        set_tags(directive, tags)
        grant_owner(directive)
    return directive


def draft_of(directive: Directive) -> DirectiveVersion | None:
    return directive.versions.filter(published_at__isnull=True).first()


def start_revision(user: Employee, directive: Directive) -> DirectiveVersion:
    """The directive's working copy: the existing draft, or a new one from the current text."""
    check_can_edit(user, directive)
    if directive.status not in (Status.DRAFT, Status.REVIEW, Status.PUBLISHED):
        raise ActionError(_("A superseded or archived directive cannot be edited."))
    with transaction.atomic():
        draft = draft_of(directive)
        if draft is not None:
            return draft
        current = directive.current_version
        draft = DirectiveVersion.objects.create(
            directive=directive,
            title=current.title,
            summary=current.summary,
            body=current.body,
            created_by=user,
            edited_by=user,
        )
        # Attachments carry over; they share the stored file (the bytes never change).
        Attachment.objects.bulk_create(
            Attachment(
                version=draft,
                file=a.file.name,
                name=a.name,
                kind=a.kind,
                content_type=a.content_type,
                size=a.size,
                sha256=a.sha256,
                text=a.text,
            )
            for a in current.attachments.all()
        )
    return draft


def save_draft(user: Employee, directive: Directive, text: Text) -> DirectiveVersion:
    """Change the working copy. Any edit sends an item in review back to draft."""
    _check_text(text)
    with transaction.atomic():
        draft = start_revision(user, directive)
        draft.title, draft.summary, draft.body = text.title.strip(), text.summary.strip(), text.body
        draft.change_note, draft.material = text.change_note.strip(), text.material
        draft.edited_by, draft.submitted_by, draft.submitted_at = user, None, None
        draft.save(
            update_fields=[
                "title", "summary", "body", "change_note", "material", "edited_by",
                "submitted_by", "submitted_at",
            ]
        )  # fmt: skip
        if directive.current_version_id is None:
            directive.title, directive.summary = draft.title, draft.summary
            directive.status = Status.DRAFT
            directive.summary_needs_review = False
            directive.signature = minhash(f"{draft.title}\n{draft.summary}\n{draft.body}")
            directive.save(
                update_fields=["title", "summary", "status", "summary_needs_review", "signature"]
            )
    return draft


def update_metadata(
    user: Employee, directive: Directive, *, tags: Iterable[str] | None = None, **fields
) -> Directive:
    """Owner, category, dates, audience rules and the like apply at once (they are not text)."""
    check_can_edit(user, directive)
    return do_update_metadata(directive, tags=tags, **fields)


def do_update_metadata(
    directive: Directive,
    *,
    tags: Iterable[str] | None = None,
    audience_changed: bool = False,
    **fields,
) -> Directive:
    """Set metadata fields (and tags), without authorization. ``audience_changed``: the
    caller already rewrote the audience's rules; readers' views follow either change."""
    previous_owner = directive.owner_department
    restricted_before = directive.restricted
    with transaction.atomic():
        for name, value in fields.items():
            setattr(directive, name, value)
        if fields:
            directive.save(update_fields=list(fields))
        if tags is not None:
            set_tags(directive, tags)
        if "owner_department" in fields:
            grant_owner(directive, previous_owner)
        if directive.is_public and (audience_changed or directive.restricted != restricted_before):
            _on_commit(signals.directive_audience_changed, directive=directive)
    return directive


def audience_changed(user: Employee, directive: Directive) -> None:
    """Call after the directive's audience rules were saved (the shared audience editor)."""
    check_can_edit(user, directive)
    if directive.is_public:
        _on_commit(signals.directive_audience_changed, directive=directive)


def save_changes(
    user: Employee,
    directive: Directive,
    *,
    text: Text | None,
    tags: Iterable[str],
    audience_form: AudienceForm | None = None,
    **fields,
) -> None:
    """The edit page's one save, all or nothing: the text (``None`` when it did not change),
    the metadata, and the audience rules when the editor changed them."""
    with transaction.atomic():
        if text is not None:
            save_draft(user, directive, text)
        update_metadata(user, directive, tags=tags, **fields)
        if audience_form is not None:
            audience_form.save()
            audience_changed(user, directive)


# --- review and publication --------------------------------------------------------------------


def submit_for_review(user: Employee, directive: Directive) -> DirectiveVersion:
    check_can_edit(user, directive)
    with transaction.atomic():
        draft = draft_of(directive)
        if draft is None:
            raise ActionError(_("There are no changes to review."))
        draft.submitted_by, draft.submitted_at = user, timezone.now()
        draft.save(update_fields=["submitted_by", "submitted_at"])
        if directive.current_version_id is None:
            directive.status = Status.REVIEW
            directive.save(update_fields=["status"])
    return draft


def return_to_draft(user: Employee, directive: Directive) -> None:
    """The reviewer sends the text back to its author."""
    check_can_edit(user, directive)
    with transaction.atomic():
        draft = draft_of(directive)
        if draft is None or draft.submitted_at is None:
            raise ActionError(_("This directive is not in review."))
        draft.submitted_by, draft.submitted_at = None, None
        draft.save(update_fields=["submitted_by", "submitted_at"])
        if directive.current_version_id is None:
            directive.status = Status.DRAFT
            directive.save(update_fields=["status"])


def publish(
    user: Employee, directive: Directive, *, replaces: Iterable[Directive] = ()
) -> DirectiveVersion:
    """Approve the version in review and publish it: the second editor's step (four eyes)."""
    check_can_edit(user, directive)
    replaces = list(replaces)
    with transaction.atomic():
        directive = Directive.objects.select_for_update().get(pk=directive.pk)
        draft = draft_of(directive)
        if draft is None or draft.submitted_at is None:
            raise ActionError(_("Submit the directive for review before it can be published."))
        if user.pk in (draft.submitted_by_id, draft.edited_by_id):
            raise ActionError(
                _("Four eyes: another editor has to approve what you wrote or submitted.")
            )
        for old in replaces:
            if old.pk == directive.pk or not can_edit(user, old):
                raise ActionError(_("You can only replace directives you may edit."))
        draft.approved_by = user
        version = do_publish_version(directive, draft)
        audit.record(
            AuditAction.DIRECTIVE_PUBLISHED,
            actor=user,
            target=directive,
            target_label=f"{directive.number} {directive.title}",
            version=version.seq,
            material=version.material,
            replaces=[old.number for old in replaces],
        )
        for old in replaces:
            do_supersede(old, directive, actor=user)
    return version


def do_publish_version(
    directive: Directive,
    draft: DirectiveVersion,
    *,
    batch: datetime.datetime | None = None,
    request_ack: bool | None = None,
) -> DirectiveVersion:
    """Freeze the draft as the next version and make it current, without authorization or
    four eyes (``publish`` checks those; importers and demo data publish what they bring).
    Caller holds a transaction. ``batch`` and ``request_ack``: see ``kus.signals``
    (``kus_import --publish`` announces its files as one batch)."""
    now = timezone.now()
    first = directive.current_version_id is None
    seq = (directive.versions.aggregate(m=Max("seq"))["m"] or 0) + 1
    draft.seq, draft.published_at = seq, now
    if first:
        draft.material = False  # the first publication is not a change
    DirectiveVersion.objects.filter(pk=draft.pk).update(
        seq=seq, published_at=now, approved_by=draft.approved_by, material=draft.material
    )
    if directive.number is None:
        directive.number = allocate_number(timezone.localdate().year)
    if first:
        directive.published_at = now
    elif draft.material:
        directive.ack_round += 1
    directive.status = Status.PUBLISHED
    directive.current_version = draft
    directive.title, directive.summary = draft.title, draft.summary
    if not draft.imported:
        directive.summary_needs_review = False  # an editor wrote or approved this summary
    directive.updated = now
    directive.signature = minhash(f"{draft.title}\n{draft.summary}\n{draft.body}")
    directive.save(
        update_fields=[
            "number", "published_at", "ack_round", "status", "current_version", "title",
            "summary", "summary_needs_review", "updated", "signature",
        ]
    )  # fmt: skip
    _on_commit(
        signals.directive_published,
        directive=directive,
        version=draft,
        material=draft.material,
        requires_ack=directive.requires_ack,
        first=first,
        batch=batch,
        request_ack=(
            directive.requires_ack and (first or draft.material)
            if request_ack is None
            else request_ack
        ),
    )
    return draft


def supersede(user: Employee, old: Directive, new: Directive) -> None:
    check_can_edit(user, old)
    do_supersede(old, new, actor=user)


def do_supersede(old: Directive, new: Directive, *, actor: Employee | None = None) -> None:
    """``new`` replaces ``old``, without authorization. An editor's act (``actor``) is
    audited; an import only records what the legacy system already decided."""
    with transaction.atomic():
        old.status, old.replaced_by = Status.SUPERSEDED, new
        old.save(update_fields=["status", "replaced_by"])
        if actor is not None:
            audit.record(
                AuditAction.DIRECTIVE_REPEALED,
                actor=actor,
                target=old,
                target_label=f"{old.number} {old.title}",
                how="superseded",
                replaced_by=new.number,
            )
        _on_commit(signals.directive_superseded, directive=old, replaced_by=new)


def archive(user: Employee, directive: Directive) -> None:
    check_can_edit(user, directive)
    do_archive(directive, actor=user)


def do_archive(directive: Directive, *, actor: Employee | None = None) -> None:
    """Archive the directive and drop its draft, without authorization. An editor's repeal
    (``actor``) is privileged and audited; the nightly expiry and imports are not."""
    if directive.status == Status.ARCHIVED:
        return
    with transaction.atomic():
        directive.status = Status.ARCHIVED
        directive.save(update_fields=["status"])
        if actor is not None:
            audit.record(
                AuditAction.DIRECTIVE_REPEALED,
                actor=actor,
                target=directive,
                target_label=f"{directive.number or ''} {directive.title}".strip(),
                how="archived",
            )
        directive.versions.filter(published_at__isnull=True).delete()
        _on_commit(signals.directive_archived, directive=directive)


def archive_expired(today: datetime.date | None = None) -> int:
    """Archive every published directive whose expiry date has passed."""
    today = today or timezone.localdate()
    expired = Directive.objects.filter(status=Status.PUBLISHED, expires_on__lt=today)
    count = 0
    for directive in expired:
        do_archive(directive)
        count += 1
    return count


def _review_title(directive: Directive, days: int) -> str:
    if days < 0:
        return (_("Review overdue: %(directive)s") % {"directive": directive})[:255]
    return (
        _("Review by %(date)s: %(directive)s")
        % {"date": date_format(directive.review_by or "", "j F Y"), "directive": directive}
    )[:255]


def send_review_reminders(today: datetime.date | None = None) -> int:
    """Remind the owners four and two weeks before the review date, and once when overdue."""
    today = today or timezone.localdate()
    sent = 0
    published = Directive.objects.filter(status=Status.PUBLISHED, review_by__isnull=False)
    for directive in published.select_related("owner_department"):
        days = (directive.review_by - today).days
        weeks = 4 if 14 < days <= 28 else 2 if 0 <= days <= 14 else 0
        reminded = directive.review_reminded
        due = (
            (weeks == 4 and reminded is None)
            or (weeks == 2 and (reminded is None or (directive.review_by - reminded).days > 14))
            or (days < 0 and (reminded is None or reminded <= directive.review_by))
        )
        if days > 28 or not due:
            continue
        with transaction.atomic():
            Directive.objects.filter(pk=directive.pk).update(review_reminded=today)
            notify(
                access.review_owner_ids(directive),
                NotificationKind.REMINDER,
                directive,
                title=_review_title(directive, days),
                url=directive.get_absolute_url(),
            )
            _on_commit(signals.directive_review_due, directive=directive, weeks=weeks)
        sent += 1
    return sent


# --- attachments -----------------------------------------------------------------------------


def add_attachment(user: Employee, directive: Directive, name: str, data: bytes) -> Attachment:
    """Attach a file to the directive's draft: checked and cleaned by ``workplace.files``
    (images re-encoded), stored under a random name; ``name`` is kept for the download."""
    check_can_edit(user, directive)
    try:
        checked = files.accept_upload(data, ATTACHMENTS, name)
        kind = kind_of(checked)
        text = extract_text(kind, checked.content)
    except files.FileRejected as error:
        raise ActionError(error.detail) from None
    except Exception:  # a damaged PDF or Word file: the parsers raise many kinds
        raise ActionError(_("This file seems damaged; it cannot be read.")) from None
    with transaction.atomic():
        draft = start_revision(user, directive)
        if draft.attachments.count() >= MAX_ATTACHMENTS:
            raise ActionError(
                _("A directive can have at most %(n)s attachments.") % {"n": MAX_ATTACHMENTS}
            )
        attachment = Attachment(
            version=draft,
            name=checked.name[:200],
            kind=kind,
            content_type=checked.content_type,
            size=checked.size,
            sha256=checked.sha256,
            text=text,
        )
        content = checked.as_file()
        attachment.file.save(content.name, content, save=False)
        attachment.save()
    return attachment


def remove_attachment(user: Employee, directive: Directive, attachment_id: int) -> None:
    with transaction.atomic():
        draft = start_revision(user, directive)
        # Only the draft's row goes; published versions keep theirs (and the shared file).
        draft.attachments.filter(pk=attachment_id).delete()


# --- reading and acknowledging ------------------------------------------------------------------


class StaleVersion(ActionError):
    """A newer version was published after the one the reader was shown."""


class UnknownVersion(ActionError):
    """The version to confirm is none the reader can have been shown."""


def check_acknowledge(
    user: Employee, directive: Directive, version: int | None = None
) -> DirectiveVersion:
    """May the user confirm "Gelezen en begrepen" for ``version`` (its ``seq``)?

    Returns the version to record. ``version`` is the one the reader was shown; only
    the current version can be confirmed, so that nobody confirms a text they did not
    read. None (the API without a version) stands for the current version.
    """
    current = directive.current_version
    if directive.status != Status.PUBLISHED or not directive.requires_ack or current is None:
        raise ActionError(_("This directive does not ask for an acknowledgement."))
    if not is_in_audience(user, directive):
        raise ActionError(_("This directive is not addressed to you."))
    if version is None or version == current.seq:
        return current
    if 0 < version < (current.seq or 0):  # a published version always has its number
        raise StaleVersion(
            _(
                "There is a new version of %(number)s since you opened it. "
                "Read the new version and confirm after that."
            )
            % {"number": directive.number}
        )
    raise UnknownVersion(_("Open the directive, read it and confirm at the end."))


def do_acknowledge(
    user: Employee, directive: Directive, version: DirectiveVersion
) -> Acknowledgement:
    """Record the confirmation of ``version`` (checked by ``check_acknowledge``) for the
    current round. Doing it twice is harmless: the first confirmation of a round stays."""
    ack, _created = Acknowledgement.objects.get_or_create(
        directive=directive,
        employee=user,
        ack_round=directive.ack_round,
        defaults={"version": version, "via": AckVia.SELF},
    )
    return ack


def acknowledge(
    user: Employee, directive: Directive, version: int | None = None
) -> Acknowledgement:
    """ "Gelezen en begrepen" for one caller: check, then record."""
    return do_acknowledge(user, directive, check_acknowledge(user, directive, version))


def record_briefing(
    leader: Employee,
    directive: Directive,
    *,
    team: Department,
    held_on: datetime.date,
    attendees: Iterable[Employee],
    note: str = "",
) -> Briefing:
    """A team leader told their people about the directive; it counts as their acknowledgement."""
    attendees = list(attendees)
    if not visible_directives(leader).filter(pk=directive.pk).exists():
        raise PermissionDenied
    if directive.status != Status.PUBLISHED or not directive.requires_ack:
        raise ActionError(_("This directive does not ask for an acknowledgement."))
    if held_on > timezone.localdate():
        raise ActionError(_("A briefing cannot be in the future."))
    if not attendees:
        raise ActionError(_("Choose who attended the briefing."))
    followed = set(managed_employees(leader).values_list("pk", flat=True))
    if any(a.pk not in followed for a in attendees):
        raise PermissionDenied
    with transaction.atomic():
        briefing = Briefing.objects.create(
            directive=directive,
            ack_round=directive.ack_round,
            held_on=held_on,
            team=team,
            leader=leader,
            note=note.strip(),
        )
        briefing.attendees.set(attendees)
        already = set(
            Acknowledgement.objects.filter(
                directive=directive, ack_round=directive.ack_round, employee__in=attendees
            ).values_list("employee_id", flat=True)
        )
        Acknowledgement.objects.bulk_create(
            Acknowledgement(
                directive=directive,
                employee=attendee,
                ack_round=directive.ack_round,
                version_id=directive.current_version_id,
                via=AckVia.BRIEFING,
                briefing=briefing,
                at=timezone.now(),
            )
            for attendee in attendees
            if attendee.pk not in already
        )
    return briefing


__all__ = [
    "ActionError",
    "Text",
    "acknowledge",
    "add_attachment",
    "archive",
    "check_can_create",
    "check_can_edit",
    "create_directive",
    "do_archive",
    "do_create_directive",
    "do_publish_version",
    "do_supersede",
    "do_update_metadata",
    "editable_directives",
    "publish",
    "record_briefing",
    "save_changes",
    "save_draft",
    "start_revision",
    "submit_for_review",
    "supersede",
    "update_metadata",
]
