"""kus_export writes the whole history and an empty Werkplek imports it as the same directives."""

from __future__ import annotations

import datetime
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from kus import actions
from kus.models import Acknowledgement, Directive
from tests.factories import AudienceFactory
from tests.kus.conftest import ensure_categories, make_directive, republish
from tests.kus.samples import docx_bytes, pdf_bytes
from workplace.models import WorkSite

pytestmark = pytest.mark.django_db


def snapshot() -> dict:
    """Everything a reader or editor would notice about every directive, by number."""
    result = {}
    for d in Directive.objects.order_by("number"):
        audience = d.audience
        result[d.number] = {
            "status": d.status,
            "title": d.title,
            "summary": d.summary,
            "ack_round": d.ack_round,
            "requires_ack": d.requires_ack,
            "ack_by": d.ack_by,
            "restricted": d.restricted,
            "owner": d.owner_department.code,
            "category": d.category.name,
            "tags": sorted(t.name for t in d.tags.all()),
            "replaced_by": d.replaced_by.number if d.replaced_by else None,
            "audience": {
                "all_staff": audience.all_staff,
                "departments": sorted(x.code for x in audience.departments.all()),
                "departments_only": sorted(x.code for x in audience.departments_only.all()),
                "people": sorted(x.username for x in audience.employees.all()),
                "sites": sorted(x.name for x in audience.sites.all()),
                "job_titles": sorted(x.title for x in audience.job_titles.all()),
                "except_people": sorted(x.username for x in audience.excluded_employees.all()),
            },
            "versions": [
                {
                    "seq": v.seq,
                    "title": v.title,
                    "summary": v.summary,
                    "body": v.body,
                    "change_note": v.change_note,
                    "material": v.material,
                    "published_at": v.published_at,
                    "approved_by": v.approved_by.username if v.approved_by else None,
                    "attachments": sorted((a.name, a.sha256, a.size) for a in v.attachments.all()),
                }
                for v in d.versions.filter(published_at__isnull=False).order_by("seq")
            ],
        }
    return result


def files_in(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.fixture
def history(editor, reviewer, organisation, alice, bob, carol):
    """Two directives: one with three versions (one material), attachments and a detailed
    audience; one plain, superseded by the first."""
    ensure_categories()
    site = WorkSite.objects.create(name="Stadhuis")
    audience = AudienceFactory()
    audience.departments.add(organisation["facility"])
    audience.departments_only.add(organisation["civil"])
    audience.employees.add(carol)
    audience.sites.add(site)
    audience.excluded_employees.add(bob)
    audience.job_titles.create(title="Elektricien")
    old = make_directive(editor, reviewer, owner=organisation["civil"], title="Oude regels")
    main = make_directive(
        editor,
        reviewer,
        owner=organisation["facility"],
        title="Werken op hoogte",
        audience=audience,
        requires_ack=True,
        restricted=True,
        ack_by=datetime.date(2026, 12, 20),
        tags=["ladders", "veiligheid"],
    )
    actions.add_attachment(editor, main, "ladders.pdf", pdf_bytes(["Controleer de ladder."]))
    republish(editor, reviewer, main, body="Tweede tekst met een bijlage.", note="Bijlage erbij")
    actions.add_attachment(editor, main, "kledij.docx", docx_bytes(["Draag je helm."]))
    republish(
        editor, reviewer, main, body="Derde tekst, nieuwe regels.", material=True, note="Nieuw"
    )
    actions.supersede(editor, old, main)
    actions.acknowledge(alice, main)
    return main


def empty_werkplek() -> None:
    """The organisation stays; every directive goes (as on a fresh installation)."""
    Acknowledgement.objects.all().delete()
    for directive in Directive.objects.all():
        directive.versions.all().delete()
    Directive.objects.all().delete()


def test_the_export_reimports_as_the_same_directives(history, tmp_path):
    before = snapshot()
    assert [v["seq"] for v in before[history.number]["versions"]] == [1, 2, 3]
    assert before[history.number]["ack_round"] == 2
    assert before[history.number]["versions"][2]["attachments"][0][0] == "kledij.docx"

    out = StringIO()
    call_command("kus_export", str(tmp_path / "export"), stdout=out)
    assert "2 directives written" in out.getvalue()
    assert (tmp_path / "export" / f"{history.number}.versions" / "v2" / "ladders.pdf").is_file()

    empty_werkplek()
    assert not Directive.objects.exists()
    call_command(
        "kus_import", str(tmp_path / "export"), "--publish", "--category", "Facility",
        stdout=StringIO(),
    )  # fmt: skip
    assert snapshot() == before

    # And the new Werkplek's export is the same, byte for byte.
    call_command("kus_export", str(tmp_path / "again"), stdout=StringIO())
    assert files_in(tmp_path / "again") == files_in(tmp_path / "export")


def test_an_export_with_history_asks_for_publish(history, tmp_path):
    call_command("kus_export", str(tmp_path / "export"), stdout=StringIO())
    empty_werkplek()
    from kus.legacy import Importer

    report = Importer(tmp_path / "export", category="Facility").run()
    assert report.errors and "importeer het met --publish" in report.errors[0][1]
    assert not Directive.objects.exists()
