"""One small city with an object behind every URL parameter, and a person for every actor.

The authorization matrix asks every URL, as every actor, for the objects made here:
a directive restricted to Facility, a draft directive, an open and a closed space with
a post each, a group conversation, an open survey, a notification, and a campaign for
Facility with a published and a scheduled announcement. Alice is the member and owner
of all of them (of the campaign: its audience); the other actors are strangers to them,
except where their role makes them not (the KUS editors see every directive, the
manager follows up Alice's department and is addressed with her, Hilde of HR owns the
survey, Lies of the communication team edits every announcement).
"""

from __future__ import annotations

import datetime
import io
from dataclasses import dataclass, field

from django.contrib.auth.models import Group, Permission
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from campaigns import actions as campaigns_actions
from campaigns.models import Announcement, Campaign
from kus import actions as kus_actions
from kus.models import Attachment, Category, Directive
from kus.text import render_markdown
from messaging import actions as messaging_actions
from messaging.models import Conversation, Message
from notifications.models import Notification, NotificationKind
from streams import actions as streams_actions
from streams.models import AudienceKind, Comment, Post, SpaceKind
from streams.models import Space as StreamSpace
from surveys.models import Kind, Question, Section, Status, Survey
from tests.factories import AudienceFactory, DepartmentFactory, EmployeeFactory
from workplace.models import Department, Employee
from workplace.roles import Role

# Who asks. "member" is Alice: a member, author or owner of every object below.
ACTORS = (
    "anonymous",
    "outsider",
    "member",
    "communicatie",
    "hr",
    "kus_editor",
    "manager",
    "staff",
    "superuser",
)


def png_bytes() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (4, 4), "orange").save(out, "PNG")
    return out.getvalue()


def ensure_reference_data() -> None:
    """Role groups and KUS categories come from data migrations that a flush removes."""
    import importlib

    for role in Role:
        Group.objects.get_or_create(name=role.value)
    migration = importlib.import_module("kus.migrations.0002_categories")
    for order, (name, slug) in enumerate(migration.CATEGORIES):
        Category.objects.get_or_create(slug=slug, defaults={"name": name, "order": order})


@dataclass
class World:
    people: dict[str, Employee | None]
    departments: dict[str, Department]
    restricted: Directive
    draft: Directive
    attachment: Attachment
    open_space: StreamSpace
    closed_space: StreamSpace
    open_post: Post
    closed_post: Post
    comment: Comment
    group: Conversation
    message: Message
    survey: Survey
    section: Section
    question: Question
    notification: Notification
    campaign: Campaign
    announcement: Announcement  # published, in the campaign, "read" to confirm, a link
    scheduled: Announcement  # not yet published: its editors' only
    extra: dict[str, object] = field(default_factory=dict)

    @property
    def alice(self) -> Employee:
        return self.people["member"]


def build_world() -> World:
    ensure_reference_data()
    facility = DepartmentFactory(code="FM", name="Facility Management", kind="departement")
    buildings = DepartmentFactory(code="FM-GEB", name="Dienst Gebouwen", parent=facility)
    civil = DepartmentFactory(code="BZ", name="Burgerzaken", kind="departement")

    def person(username: str, department: Department, roles=(), **fields) -> Employee:
        return EmployeeFactory(
            username=username,
            first_name=username.capitalize(),
            department=department,
            roles=list(roles),
            **fields,
        )

    alice = person("alice", buildings, job_title="Projectleider gebouwen")
    alice.avatar.save("alice.png", ContentFile(png_bytes()), save=False)
    alice.save(update_fields=["avatar"])
    bob = person("bob", buildings)
    staff = person("stef", civil, is_staff=True)
    staff.user_permissions.add(Permission.objects.get(codename="view_department"))
    people: dict[str, Employee | None] = {
        "anonymous": None,
        "outsider": person("olaf", civil),
        "member": alice,
        "communicatie": person("lies", civil, [Role.COMMUNICATION]),
        "hr": person("hilde", civil, [Role.HR]),
        "kus_editor": person("eddy", civil, [Role.KUS_EDITORS]),
        "manager": person("mona", buildings, [Role.MANAGERS]),
        "staff": staff,
        "superuser": person("root", civil, is_staff=True, is_superuser=True),
    }
    second_editor = person("rita", civil, [Role.KUS_EDITORS])
    editor = people["kus_editor"]

    # --- KUS: a directive for Facility only, published with an image, and a draft ---------
    category = Category.objects.get(slug="facility")
    facility_only = AudienceFactory()
    facility_only.departments.add(facility)
    restricted = kus_actions.create_directive(
        editor,
        text=kus_actions.Text(
            "Sleutelbeheer", "Wie een sleutel krijgt, tekent.", "## Regels\n\nTeken ervoor."
        ),
        owner_department=facility,
        category=category,
        audience=facility_only,
        restricted=True,
        requires_ack=True,
        effective_from=datetime.date(2026, 1, 1),
    )
    attachment = kus_actions.add_attachment(editor, restricted, "plan.png", png_bytes())
    kus_actions.submit_for_review(editor, restricted)
    kus_actions.publish(second_editor, restricted)
    restricted.refresh_from_db()
    draft = kus_actions.create_directive(
        editor,
        text=kus_actions.Text("Concept", "Nog niet klaar.", "Nog niet klaar."),
        owner_department=facility,
        category=category,
        audience=AudienceFactory(all_staff=True),
        effective_from=datetime.date(2026, 1, 1),
    )

    # --- streams: an open and a closed space, each with a post of Alice's -----------------
    open_space = streams_actions.create_space(alice, "Fietsherstelplaats", SpaceKind.OPEN)
    closed_space = streams_actions.create_space(alice, "Opbouw Gentse Feesten", SpaceKind.CLOSED)
    open_post = streams_actions.create_post(
        alice, "Wie helpt zaterdag? #werf", audience_kind=AudienceKind.SPACE, space=open_space
    )
    closed_post = streams_actions.create_post(
        alice, "Het draaiboek voor de opbouw", audience_kind=AudienceKind.SPACE, space=closed_space
    )
    closed_post.photo.save("podium.jpg", ContentFile(png_bytes()), save=False)
    closed_post.attachment.save("draaiboek.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"), save=False)
    closed_post.attachment_name = "draaiboek.pdf"
    closed_post.save(update_fields=["photo", "attachment", "attachment_name"])
    comment = streams_actions.add_comment(alice, closed_post, "Ik breng de kabels mee.")
    notification = Notification.objects.create(
        recipient=alice,
        kind=NotificationKind.MENTION,
        title="Bob noemde je",
        url=closed_post.get_absolute_url(),
        created=timezone.now(),
        updated=timezone.now(),
    )

    # --- messaging: a group of Alice's with a message and an attachment ------------------
    group = messaging_actions.create_group(alice, "Werf Dampoort", [bob])
    message, _created = messaging_actions.send_message(
        alice,
        group.pk,
        "Het plan zit erbij.",
        attachment=SimpleUploadedFile("plan.png", png_bytes(), content_type="image/png"),
    )

    # --- surveys: open for all staff, owned by Hilde ----------------------------------------
    survey = Survey.objects.create(
        title="Tevredenheid",
        audience=AudienceFactory(all_staff=True),
        status=Status.OPEN,
        opens_at=timezone.now() - datetime.timedelta(days=1),
        closes_at=timezone.now() + datetime.timedelta(days=14),
    )
    survey.owners.add(people["hr"])
    section = Section.objects.create(survey=survey, position=1, title="Over je werk")
    question = Question.objects.create(
        section=section,
        position=1,
        code="tevreden",
        kind=Kind.SINGLE,
        text="Ben je tevreden?",
        choices=["Ja", "Nee"],
    )

    # --- campaigns: Lies's campaign for Facility, one item out and one to come ------------
    lies = people["communicatie"]
    for_facility = AudienceFactory()
    for_facility.departments.add(facility)
    campaign = Campaign.objects.create(
        title="Fier op ons werk",
        goal="Laten zien wat de technische ploegen doen.",
        theme="fierheid",
        starts=timezone.localdate() - datetime.timedelta(days=7),
        ends=timezone.localdate() + datetime.timedelta(days=30),
        owner=lies,
        audience=for_facility,
    )
    campaign.hero.save("held.png", ContentFile(png_bytes()), save=False)
    campaign.save(update_fields=["hero"])

    def announcement(title: str, minutes: int, **fields) -> Announcement:
        return Announcement.objects.create(
            campaign=campaign,
            title=title,
            body=title,
            body_html=render_markdown(title),
            author=lies,
            audience=for_facility,
            publish_at=timezone.now() + datetime.timedelta(minutes=minutes),
            **fields,
        )

    published = announcement(
        "Nieuwe werkkledij", -5, requires_ack=True, link_url="https://stad.gent/kledij"
    )
    campaigns_actions.do_publish(published)
    scheduled = announcement("Opendeurdag depot", 60 * 24)
    return World(
        people=people,
        departments={"facility": facility, "buildings": buildings, "civil": civil},
        restricted=restricted,
        draft=draft,
        attachment=attachment,
        open_space=open_space,
        closed_space=closed_space,
        open_post=open_post,
        closed_post=closed_post,
        comment=comment,
        group=group,
        message=message,
        survey=survey,
        section=section,
        question=question,
        notification=notification,
        campaign=campaign,
        announcement=published,
        scheduled=scheduled,
    )
