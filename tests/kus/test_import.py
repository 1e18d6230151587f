from __future__ import annotations

import datetime
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from kus.export import export_folder
from kus.legacy import Importer
from kus.models import Directive, DirectiveVersion, Status
from tests.kus.conftest import ensure_categories
from tests.kus.samples import docx_bytes, pdf_bytes

pytestmark = pytest.mark.django_db

THUISWERK = """---
title: Thuiswerk
number: KUS-2024-0012
summary: Wie mag thuiswerken, hoe vraag je het aan en welke vergoeding krijg je?
department: FM
category: Personeel
tags: [thuiswerk, telewerk]
audience: FM, Leidinggevenden
effective: 2024-01-01
review: 2026-01-01
requires_ack: true
restricted: false
---
## Wie mag thuiswerken

Medewerkers met een bureaufunctie mogen twee dagen per week thuiswerken.

## Vergoeding

Je krijgt een forfaitaire vergoeding van 20 euro per maand.
"""


def write(folder: Path, name: str, content: str | bytes) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def run(folder: Path, **kwargs):
    """Import and publish (``--publish``): these tests are about the format, not drafts
    (tests/kus/test_import_drafts.py)."""
    ensure_categories()
    kwargs.setdefault("publish", True)
    return Importer(folder, category=kwargs.pop("category", "Facility"), **kwargs).run()


def test_it_imports_markdown_with_front_matter_as_published_and_recorded(tmp_path, organisation):
    write(tmp_path, "personeel/thuiswerk.md", THUISWERK)
    report = run(tmp_path)
    assert report.errors == [] and len(report.created) == 1
    directive = Directive.objects.get(number="KUS-2024-0012")
    assert directive.status == Status.PUBLISHED
    assert directive.owner_department.code == "FM"
    assert directive.category.name == "Personeel"
    assert sorted(t.name for t in directive.tags.all()) == ["telewerk", "thuiswerk"]
    assert directive.requires_ack and directive.review_by == datetime.date(2026, 1, 1)
    assert [d.code for d in directive.audience.departments.all()] == ["FM"]
    assert [g.name for g in directive.audience.groups.all()] == ["Leidinggevenden"]
    version = directive.current_version
    assert version.imported and version.seq == 1
    assert version.body.startswith("## Wie mag thuiswerken")


def test_it_imports_txt_html_docx_and_pdf(tmp_path, organisation):
    write(tmp_path, "FM/rookverbod.txt", "Rookverbod\nIn alle gebouwen is roken verboden.")
    write(
        tmp_path,
        "FM/sleutels.html",
        "<html><head><title>Sleutelbeheer</title></head><body><h1>Sleutelbeheer</h1>"
        "<p>Je tekent voor elke sleutel.</p><ul><li>Bewaar hem veilig.</li>"
        "<li>Meld verlies.</li></ul><script>alert(1)</script></body></html>",
    )
    write(tmp_path, "FM/kledij.docx", docx_bytes(["Werkkledij", "Draag altijd je werkkledij."]))
    write(tmp_path, "FM/ladders.pdf", pdf_bytes(["Werken met ladders", "Controleer de ladder."]))
    report = run(tmp_path)
    assert report.errors == []
    titles = dict(Directive.objects.values_list("import_path", "title"))
    assert titles == {
        "FM/rookverbod.txt": "Rookverbod",
        "FM/sleutels.html": "Sleutelbeheer",
        "FM/kledij.docx": "Werkkledij",
        "FM/ladders.pdf": "Werken met ladders",
    }
    html = Directive.objects.get(import_path="FM/sleutels.html").current_version.body
    assert "- Bewaar hem veilig.\n- Meld verlies." in html and "alert" not in html
    pdf = Directive.objects.get(import_path="FM/ladders.pdf").current_version.body
    assert "Controleer de ladder." in pdf


def test_a_file_without_summary_gets_its_first_sentences_flagged_for_the_editors(
    tmp_path, organisation
):
    write(
        tmp_path,
        "FM/a.txt",
        "Titel\nDit is de eerste zin. Dit is de tweede zin. " + "Nog een zin. " * 40,
    )
    run(tmp_path)
    directive = Directive.objects.get()
    assert directive.summary.startswith("Dit is de eerste zin. Dit is de tweede zin.")
    assert len(directive.summary) <= 300
    assert directive.summary_needs_review


def test_reimporting_the_same_folder_changes_nothing(tmp_path, organisation):
    write(tmp_path, "thuiswerk.md", THUISWERK)
    write(tmp_path, "FM/rookverbod.txt", "Rookverbod\nRoken is verboden.")
    run(tmp_path)
    report = run(tmp_path)
    assert report.created == [] and report.updated == [] and len(report.unchanged) == 2
    assert DirectiveVersion.objects.count() == 2


def test_a_changed_file_becomes_a_new_version(tmp_path, organisation):
    path = write(tmp_path, "thuiswerk.md", THUISWERK)
    run(tmp_path)
    path.write_text(THUISWERK.replace("20 euro", "25 euro"), encoding="utf-8")
    report = run(tmp_path)
    assert len(report.updated) == 1
    directive = Directive.objects.get(number="KUS-2024-0012")
    assert directive.current_version.seq == 2
    assert "25 euro" in directive.current_version.body
    assert "20 euro" in directive.versions.get(seq=1).body


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("kapot.pdf", b"%PDF-1.4 dit is geen pdf", "onleesbaar"),
        ("kapot.docx", b"PK\x03\x04 geen zip", "onleesbaar"),
        ("latin1.txt", "Titel\nCafé".encode("latin-1"), "onleesbaar"),
        ("afdeling.md", THUISWERK.replace("department: FM", "department: XYZ"),
         "onbekende afdeling XYZ; geldige codes: BZ, FM, FM-GEB, FM-ON"),
        ("datum.md", THUISWERK.replace("effective: 2024-01-01", "effective: 2024-13-45"),
         "foute datum voor effective"),
        ("leeg.md", THUISWERK.split("---\n## Wie")[0] + "---\n", "de tekst is leeg"),
        ("nummer.md", THUISWERK.replace("KUS-2024-0012", "2024-12"), "fout nummer"),
        ("publiek.md", THUISWERK.replace("audience: FM, Leidinggevenden", "audience: Iedereen"),
         "onbekende doelgroep Iedereen"),
    ],
)  # fmt: skip
def test_a_bad_file_is_reported_with_its_reason_and_the_others_still_import(
    tmp_path, organisation, name, content, reason
):
    write(tmp_path, f"FM/{name}", content)
    write(tmp_path, "FM/goed.txt", "Goede richtlijn\nDeze tekst is in orde.")
    report = run(tmp_path)
    assert [path for path, _reason in report.errors] == [f"FM/{name}"]
    assert reason in report.errors[0][1]
    assert list(Directive.objects.values_list("title", flat=True)) == ["Goede richtlijn"]


def test_a_duplicate_number_is_reported(tmp_path, organisation):
    write(tmp_path, "a.md", THUISWERK)
    write(tmp_path, "b.md", THUISWERK.replace("title: Thuiswerk", "title: Kopie"))
    report = run(tmp_path)
    assert [(p, r.split(" (")[0]) for p, r in report.errors] == [
        ("b.md", "dubbel nummer KUS-2024-0012")
    ]
    assert Directive.objects.count() == 1


def test_replaces_supersedes_the_old_directive(tmp_path, organisation):
    write(tmp_path, "oud.md", THUISWERK)
    write(
        tmp_path,
        "nieuw.md",
        THUISWERK.replace("KUS-2024-0012", "KUS-2025-0003").replace(
            "restricted: false", "restricted: false\nreplaces: KUS-2024-0012"
        ),
    )
    run(tmp_path)
    old = Directive.objects.get(number="KUS-2024-0012")
    assert old.status == Status.SUPERSEDED and old.replaced_by.number == "KUS-2025-0003"


def test_an_imported_number_is_never_handed_out_again(tmp_path, organisation):
    from kus.numbers import allocate_number

    write(tmp_path, "a.md", THUISWERK)
    run(tmp_path)
    assert allocate_number(2024) == "KUS-2024-0013"


def test_dry_run_reports_and_changes_nothing(tmp_path, organisation):
    write(tmp_path, "thuiswerk.md", THUISWERK)
    ensure_categories()
    out = StringIO()
    call_command(
        "kus_import", str(tmp_path), "--dry-run", "--publish", "--category", "Facility", stdout=out
    )
    assert "would be created: thuiswerk.md (KUS-2024-0012)" in out.getvalue()
    assert not Directive.objects.exists()


def test_the_command_fails_loudly_when_a_file_has_errors(tmp_path, organisation):
    write(tmp_path, "FM/leeg.txt", "")
    ensure_categories()
    err = StringIO()
    with pytest.raises(CommandError):
        call_command("kus_import", str(tmp_path), "--category", "Facility", stderr=err)
    assert "FM/leeg.txt" in err.getvalue()


def test_export_then_import_is_lossless(tmp_path, organisation, django_db_blocker):
    write(tmp_path / "in", "thuiswerk.md", THUISWERK)
    write(tmp_path / "in", "FM/rookverbod.txt", "Rookverbod\nRoken is verboden. Ook buiten.")
    run(tmp_path / "in")
    first = tmp_path / "first"
    export_folder(first)
    exported = {p.name: p.read_text(encoding="utf-8") for p in first.glob("*.md")}
    # A fresh database: remove what was imported, then import the export.
    for directive in Directive.objects.all():
        directive.versions.all().delete()
    Directive.objects.all().delete()
    report = run(first)
    assert report.errors == []
    second = tmp_path / "second"
    export_folder(second)
    assert {p.name: p.read_text(encoding="utf-8") for p in second.glob("*.md")} == exported
    assert (
        "summary:" not in exported[Directive.objects.get(title="Rookverbod").number + ".md"]
    )  # a derived summary stays flagged, not frozen


def test_importing_a_near_duplicate_warns_with_the_existing_number(tmp_path, organisation):
    write(tmp_path, "thuiswerk.md", THUISWERK)
    copy = THUISWERK.replace("number: KUS-2024-0012\n", "").replace("twee dagen", "drie dagen")
    write(tmp_path, "zz-kopie.md", copy)
    report = run(tmp_path)
    assert [path for path, _reason in report.warnings] == ["zz-kopie.md"]
    assert "lijkt op KUS-2024-0012 Thuiswerk" in report.warnings[0][1]


def test_an_editor_clears_the_summary_flag_by_publishing_a_checked_summary(tmp_path, organisation):
    from kus import actions
    from tests.factories import EmployeeFactory
    from workplace.roles import Role

    write(tmp_path, "FM/a.txt", "Titel\nDit is de eerste zin. Dit is de tweede zin.")
    run(tmp_path)
    directive = Directive.objects.get()
    assert directive.summary_needs_review
    author = EmployeeFactory(roles=[Role.KUS_EDITORS])
    approver = EmployeeFactory(roles=[Role.KUS_EDITORS])
    actions.save_draft(
        author,
        directive,
        actions.Text("Titel", "Een nagekeken samenvatting.", "Tekst.", "Samenvatting"),
    )
    actions.submit_for_review(author, directive)
    actions.publish(approver, directive)
    directive.refresh_from_db()
    assert not directive.summary_needs_review


def test_importing_our_own_export_into_the_same_database_changes_nothing(tmp_path, organisation):
    write(tmp_path / "in", "thuiswerk.md", THUISWERK)
    run(tmp_path / "in")
    export_folder(tmp_path / "out")
    report = run(tmp_path / "out")
    assert report.errors == [] and report.unchanged == ["KUS-2024-0012.md (KUS-2024-0012)"]
    assert DirectiveVersion.objects.count() == 1


def test_replaces_supersedes_through_the_same_verb_as_an_editor(
    tmp_path, organisation, monkeypatch, django_capture_on_commit_callbacks
):
    from kus import actions, signals

    calls, sent = [], []
    do_supersede = actions.do_supersede

    def spy(old, new, **kwargs):
        calls.append((old.number, new.number, kwargs))
        do_supersede(old, new, **kwargs)

    def receiver(sender, directive, replaced_by, **kwargs):
        sent.append((directive.number, replaced_by.number))

    monkeypatch.setattr(actions, "do_supersede", spy)
    signals.directive_superseded.connect(receiver)
    try:
        write(tmp_path, "oud.md", THUISWERK)
        write(
            tmp_path,
            "nieuw.md",
            THUISWERK.replace("KUS-2024-0012", "KUS-2025-0003").replace(
                "restricted: false", "restricted: false\nreplaces: KUS-2024-0012"
            ),
        )
        with django_capture_on_commit_callbacks(execute=True):
            run(tmp_path)
    finally:
        signals.directive_superseded.disconnect(receiver)
    # The legacy system decided it: nobody in Werkplek acted, so nothing is audited as theirs.
    assert calls == [("KUS-2024-0012", "KUS-2025-0003", {})]
    assert sent == [("KUS-2024-0012", "KUS-2025-0003")]
