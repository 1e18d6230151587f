"""kus_import without surprises: drafts by default, one announcement for a published batch,
titles and formatting that survive the legacy files."""

from __future__ import annotations

import io
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from kus import actions
from kus.models import Directive, Status
from notifications.models import Notification, NotificationKind
from streams.models import Activity
from tests.kus.conftest import ensure_categories
from tests.kus.samples import pdf_bytes
from tests.kus.test_import import THUISWERK, write

pytestmark = pytest.mark.django_db


def kus_import(folder: Path, *flags: str) -> str:
    ensure_categories()
    out = StringIO()
    call_command("kus_import", str(folder), "--category", "Facility", *flags, stdout=out)
    return out.getvalue()


def three_files(folder: Path) -> None:
    write(folder, "FM/rookverbod.txt", "Rookverbod\nIn alle gebouwen is roken verboden.")
    write(folder, "FM/sleutels.txt", "Sleutelbeheer\nJe tekent voor elke sleutel.")
    write(folder, "thuiswerk.md", THUISWERK)  # asks for acknowledgement, addressed to FM


def test_it_imports_as_drafts_that_need_four_eyes_and_announces_nothing(
    tmp_path, organisation, alice, editor, reviewer, django_capture_on_commit_callbacks
):
    three_files(tmp_path)
    with django_capture_on_commit_callbacks(execute=True):
        output = kus_import(tmp_path)
    assert "3 created" in output
    assert set(Directive.objects.values_list("status", flat=True)) == {Status.DRAFT}
    directive = Directive.objects.get(number="KUS-2024-0012")  # the given number is kept
    assert directive.current_version is None
    assert directive.versions.get().imported
    assert not Activity.objects.filter(object_ref__startswith="kus:").exists()
    assert not Notification.objects.exists()

    # The usual four eyes publish it: one editor submits, another approves.
    actions.submit_for_review(editor, directive)
    with django_capture_on_commit_callbacks(execute=True):
        actions.publish(reviewer, directive)
    directive.refresh_from_db()
    assert directive.status == Status.PUBLISHED and directive.number == "KUS-2024-0012"
    assert Notification.objects.filter(recipient=alice, kind=NotificationKind.DIRECTIVE).exists()


def test_reimporting_a_draft_changes_it_in_place(tmp_path, organisation):
    path = write(tmp_path, "thuiswerk.md", THUISWERK)
    kus_import(tmp_path)
    assert "1 unchanged" in kus_import(tmp_path)
    path.write_text(THUISWERK.replace("20 euro", "25 euro"), encoding="utf-8")
    assert "1 updated" in kus_import(tmp_path)
    directive = Directive.objects.get(number="KUS-2024-0012")
    assert directive.status == Status.DRAFT
    assert "25 euro" in directive.versions.get().body


def test_publish_announces_the_batch_once_and_asks_nobody_to_acknowledge(
    tmp_path, organisation, alice, django_capture_on_commit_callbacks
):
    three_files(tmp_path)
    with django_capture_on_commit_callbacks(execute=True):
        kus_import(tmp_path, "--publish")
    assert set(Directive.objects.values_list("status", flat=True)) == {Status.PUBLISHED}
    activities = Activity.objects.filter(object_ref__startswith="kus:", hidden=False)
    assert activities.count() == 3
    assert len({a.created for a in activities}) == 1  # one moment: one card in the stream
    assert not Notification.objects.filter(kind=NotificationKind.DIRECTIVE).exists()


def test_publish_with_request_acknowledgement_asks_the_audience(
    tmp_path, organisation, alice, carol, django_capture_on_commit_callbacks
):
    three_files(tmp_path)
    with django_capture_on_commit_callbacks(execute=True):
        kus_import(tmp_path, "--publish", "--request-acknowledgement")
    asked = Notification.objects.filter(kind=NotificationKind.DIRECTIVE)
    assert list(asked.values_list("recipient__username", flat=True)) == ["alice"]  # FM only


# --- what the files bring ----------------------------------------------------------------


def test_a_pdf_takes_its_title_from_its_first_heading_not_from_its_metadata(tmp_path, organisation):
    content = pdf_bytes(["Werken met ladders", "Controleer de ladder."], title="untitled")
    write(tmp_path, "FM/ladders.pdf", content)
    kus_import(tmp_path)
    directive = Directive.objects.get()
    assert directive.title == "Werken met ladders"
    assert "Controleer de ladder." in directive.versions.get().body


def test_html_emphasis_survives(tmp_path, organisation):
    write(
        tmp_path,
        "FM/sleutels.html",
        "<html><body><h1>Sleutelbeheer</h1><p>Je tekent <strong>altijd</strong> voor een "
        "sleutel en bent er <em>zelf</em> verantwoordelijk voor.</p></body></html>",
    )
    kus_import(tmp_path)
    body = Directive.objects.get().versions.get().body
    assert "Je tekent **altijd** voor een sleutel en bent er *zelf* verantwoordelijk" in body


def docx_with_bullets() -> bytes:
    import docx

    document = docx.Document()
    document.add_heading("Werkkledij", level=1)
    intro = document.add_paragraph("Draag ")
    intro.add_run("altijd").bold = True
    intro.add_run(" je werkkledij.")
    document.add_heading("Wat hoort erbij", level=2)
    document.add_paragraph("Veiligheidsschoenen", style="List Bullet")
    document.add_paragraph("Een fluohesje", style="List Bullet")
    document.add_paragraph("Eerst omkleden", style="List Number")
    document.add_paragraph("Dan pas de werf op", style="List Number")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def test_word_headings_bullets_and_bold_survive(tmp_path, organisation):
    write(tmp_path, "FM/kledij.docx", docx_with_bullets())
    kus_import(tmp_path)
    directive = Directive.objects.get()
    assert directive.title == "Werkkledij"
    body = directive.versions.get().body
    assert "Draag **altijd** je werkkledij." in body
    assert "## Wat hoort erbij" in body
    assert "- Veiligheidsschoenen\n- Een fluohesje" in body
    assert "1. Eerst omkleden\n2. Dan pas de werf op" in body
