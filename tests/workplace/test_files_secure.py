"""``manage.py files_secure``: a deployed city's existing files get what new uploads get."""

from __future__ import annotations

import uuid
from io import StringIO

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command

from kus import actions as kus_actions
from kus.models import Attachment
from messaging import actions as messaging_actions
from messaging.models import AttachmentStorage, Message
from streams import actions as streams_actions
from streams.models import Post
from tests.factories import EmployeeFactory
from tests.kus.conftest import ensure_roles, make_directive
from tests.uploads import exif_of, kaart_svg, photo_with_gps, rooster_htm
from workplace import files
from workplace.models import AuditAction, AuditEvent, Employee
from workplace.roles import Role

pytestmark = pytest.mark.django_db


def legacy(name: str, data: bytes, storage=default_storage) -> str:
    return storage.save(name, ContentFile(data))


def read(name: str) -> bytes:
    with default_storage.open(name) as handle:
        return handle.read()


def run(django_capture_on_commit_callbacks, *args) -> str:
    out = StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("files_secure", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def city_before_the_fix(alice, bob, carol, organisation):
    """Files as the old code left them: original names in paths, EXIF GPS inside."""
    ensure_roles()
    editor, reviewer = (
        EmployeeFactory(department=organisation["civil"], roles=[Role.KUS_EDITORS])
        for _ in range(2)
    )
    alice_photo = legacy("avatars/2024/alice-claes.jpg", photo_with_gps(size=(900, 600)))
    Employee.objects.filter(pk=alice.pk).update(avatar=alice_photo)
    bob_photo = legacy("avatars/2024/bob.png", kaart_svg())  # a "photo" that never was one
    Employee.objects.filter(pk=bob.pk).update(avatar=bob_photo)

    directive = make_directive(editor, reviewer, owner=organisation["civil"])
    kus_actions.add_attachment(editor, directive, "plan.jpg", photo_with_gps())
    kus_actions.submit_for_review(editor, directive)
    kus_actions.publish(reviewer, directive)
    directive.refresh_from_db()
    kus_actions.start_revision(editor, directive)  # the next draft shares the file
    plan = legacy(f"kus/2025/ab/{'ab' * 32}/plan.jpg", photo_with_gps())
    Attachment.objects.update(file=plan)

    chat, _created = messaging_actions.get_or_create_direct(alice, carol)
    old_root = AttachmentStorage()
    chat_files = {
        "werf.jpg": (photo_with_gps(), True),
        "rooster.htm": (rooster_htm(), True),  # declared image/png, once shown inline
    }
    messages = {}
    for name, (data, is_image) in chat_files.items():
        path = legacy(f"2026/03/{uuid.uuid4().hex}/{name}", data, storage=old_root)
        messages[name] = Message.objects.create(
            conversation=chat,
            sender=alice,
            client_id=uuid.uuid4().hex,
            attachment=path,
            attachment_name=name,
            attachment_size=len(data),
            attachment_is_image=is_image,
        )
    gone = Message.objects.create(
        conversation=chat, sender=alice, client_id="gone", attachment="2026/03/x/weg.pdf"
    )

    post = streams_actions.create_post(alice, "Werf Dampoort")
    photo = legacy(f"streams/photos/2026/03/{uuid.uuid4().hex}.jpg", photo_with_gps())
    Post.objects.filter(pk=post.pk).update(photo=photo)
    return {
        "alice": alice,
        "bob": bob,
        "old": [alice_photo, bob_photo, plan, photo],
        "messages": messages,
        "gone": gone,
        "post": post,
        "old_root": old_root,
    }


def test_it_reencodes_and_renames_every_stored_file(
    city_before_the_fix, django_capture_on_commit_callbacks
):
    city = city_before_the_fix
    output = run(django_capture_on_commit_callbacks)
    assert "secured 4, kept as download 1, dropped 1, missing 1" in output

    alice = Employee.objects.get(pk=city["alice"].pk)
    assert files.is_random_name(alice.avatar.name, "avatars")
    assert exif_of(read(alice.avatar.name))["gps"] == {}
    assert max(exif_of(read(alice.avatar.name))["size"]) == 512
    assert not Employee.objects.get(pk=city["bob"].pk).avatar  # an SVG is no photo

    names = set(Attachment.objects.values_list("file", flat=True))
    assert len(names) == 1 and files.is_random_name(names.pop(), "kus")
    assert Attachment.objects.filter(content_type="image/jpeg").count() == 2

    photo = Message.objects.get(pk=city["messages"]["werf.jpg"].pk)
    assert files.is_random_name(photo.attachment.name, "messaging")
    assert photo.attachment_is_image and exif_of(read(photo.attachment.name))["gps"] == {}
    page = Message.objects.get(pk=city["messages"]["rooster.htm"].pk)
    # Kept for the colleague who sent it, but only ever as a download.
    assert not page.attachment_is_image and files.inline_type(page.attachment.name) is None
    assert read(page.attachment.name) == rooster_htm()
    assert Message.objects.get(pk=city["gone"].pk).attachment.name == "2026/03/x/weg.pdf"

    post = Post.objects.get(pk=city["post"].pk)
    assert files.is_random_name(post.photo.name, "streams/photos")

    for old in city["old"]:
        assert not default_storage.exists(old)
    assert not city["old_root"].exists(city["messages"]["werf.jpg"].attachment.name)
    event = AuditEvent.objects.get(action=AuditAction.FILES_SECURED)
    assert event.detail["secured"] == 4


def test_running_it_again_changes_nothing(city_before_the_fix, django_capture_on_commit_callbacks):
    run(django_capture_on_commit_callbacks)
    before = sorted(Message.objects.values_list("attachment", flat=True))
    output = run(django_capture_on_commit_callbacks)
    assert "secured 0, kept as download 0, dropped 0, missing 1, already done 5" in output
    assert sorted(Message.objects.values_list("attachment", flat=True)) == before
    assert AuditEvent.objects.filter(action=AuditAction.FILES_SECURED).count() == 1


def test_a_dry_run_changes_nothing(city_before_the_fix, django_capture_on_commit_callbacks):
    city = city_before_the_fix
    output = run(django_capture_on_commit_callbacks, "--dry-run")
    assert "[dry run, nothing changed] secured 4" in output
    for old in city["old"]:
        assert default_storage.exists(old)
    assert not AuditEvent.objects.filter(action=AuditAction.FILES_SECURED).exists()
