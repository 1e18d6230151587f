from __future__ import annotations

import pytest
from django.urls import reverse

from kus.models import Category, Directive, Status
from tests.auth import verified_login
from tests.factories import PASSWORD
from tests.kus.conftest import ensure_categories, make_directive
from tests.kus.samples import pdf_bytes

pytestmark = pytest.mark.django_db


def form_data(organisation, **overrides):
    ensure_categories()
    data = {
        "title": "Fietsvergoeding",
        "summary": "Wie met de fiets komt, krijgt 0,35 euro per kilometer.",
        "body": "## Bedrag\n\nJe krijgt 0,35 euro per kilometer.",
        "category": Category.objects.get(slug="personeel").pk,
        "owner_department": organisation["civil"].pk,
        "effective_from": "2026-12-01",
        "review_by": "2027-12-01",
        "tags_text": "fiets, mobiliteit",
        "audience-all_staff": "on",
        "audience-worker_kind": "",
    }
    data.update(overrides)
    return data


def test_an_editor_writes_submits_and_a_second_editor_publishes_through_the_pages(
    client, editor, reviewer, organisation
):
    verified_login(client, "eddy")
    response = client.post(reverse("kus:create"), form_data(organisation))
    directive = Directive.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "kus:edit", args=[directive.pk]
    )
    assert sorted(t.name for t in directive.tags.all()) == ["fiets", "mobiliteit"]
    client.post(reverse("kus:workflow", args=[directive.pk, "indienen"]))
    page = client.get(reverse("kus:edit", args=[directive.pk])).content.decode()
    assert "Vier ogen" in page and "Goedkeuren en publiceren" not in page
    refused = client.post(reverse("kus:workflow", args=[directive.pk, "publiceren"]), follow=True)
    assert "Vier ogen" in refused.content.decode()
    verified_login(client, "rita")
    published = client.post(reverse("kus:workflow", args=[directive.pk, "publiceren"]), follow=True)
    directive.refresh_from_db()
    assert directive.status == Status.PUBLISHED
    assert published.redirect_chain[-1][0] == directive.get_absolute_url()
    assert "versie 1 is gepubliceerd" in published.content.decode()


def test_a_too_long_summary_is_refused_with_a_dutch_error(client, editor, organisation):
    verified_login(client, "eddy")
    response = client.post(reverse("kus:create"), form_data(organisation, summary="x" * 301))
    assert response.status_code == 200
    assert "hoogstens 300 tekens" in response.content.decode()
    assert not Directive.objects.exists()


def test_the_editor_sees_readability_and_a_warning_for_a_hard_summary(client, editor, organisation):
    verified_login(client, "eddy")
    hard = (
        "Overeenkomstig de toepasselijke reglementaire bepalingen inzake arbeidsongevallen "
        "dient de werkgever onverwijld de administratieve formaliteiten te vervullen."
    )
    client.post(reverse("kus:create"), form_data(organisation, summary=hard, body=hard))
    page = client.get(reverse("kus:edit", args=[Directive.objects.get().pk])).content.decode()
    assert "Flesch-Douma-score" in page and "moeilijk leesbaar" in page
    assert "De samenvatting is moeilijk leesbaar" in page
    assert '<mark class="long-word">arbeidsongevallen</mark>' in page


def test_the_editor_is_shown_near_duplicates_before_publication(
    client, editor, reviewer, organisation
):
    body = (
        "Medewerkers die met de fiets naar het werk komen krijgen een vergoeding per kilometer. "
        "De vergoeding wordt maandelijks uitbetaald samen met het loon."
    )
    existing = make_directive(
        editor, reviewer, owner=organisation["civil"], title="Fietsvergoeding", body=body
    )
    verified_login(client, "eddy")
    client.post(
        reverse("kus:create"),
        form_data(organisation, title="Fietsvergoeding 2027", summary=existing.summary, body=body),
    )
    new = Directive.objects.exclude(pk=existing.pk).get()
    page = client.get(reverse("kus:edit", args=[new.pk])).content.decode()
    assert "Bestaat dit al?" in page and existing.get_absolute_url() in page


def test_an_attachment_is_checked_by_content_and_its_text_is_indexed(
    client, editor, reviewer, organisation
):
    directive = make_directive(editor, reviewer, owner=organisation["civil"])
    verified_login(client, "eddy")
    url = reverse("kus:workflow", args=[directive.pk, "bijlage"])
    from django.core.files.uploadedfile import SimpleUploadedFile

    fake = SimpleUploadedFile("plan.pdf", b"MZ\x90\x00 not a pdf", "application/pdf")
    refused = client.post(url, {"file": fake}, follow=True)
    assert "Alleen PDF, Word (.docx), Excel (.xlsx) en afbeeldingen" in refused.content.decode()
    real = SimpleUploadedFile("plan.pdf", pdf_bytes(["Evacuatieplan verdieping twee"]))
    client.post(url, {"file": real})
    client.post(reverse("kus:workflow", args=[directive.pk, "indienen"]))
    verified_login(client, "rita")
    client.post(reverse("kus:workflow", args=[directive.pk, "publiceren"]))
    directive.refresh_from_db()
    assert "Evacuatieplan verdieping twee" in directive.indexable_text()
    assert directive.number in directive.indexable_text()


def test_the_detail_page_runs_a_fixed_number_of_queries(
    client, editor, reviewer, organisation, alice, django_assert_max_num_queries
):
    directive = make_directive(editor, reviewer, owner=organisation["civil"], requires_ack=True)
    client.login(username="alice", password=PASSWORD)
    with django_assert_max_num_queries(20):
        response = client.get(directive.get_absolute_url())
    assert response.status_code == 200


def test_named_colleagues_are_typed_by_username_not_picked_from_a_list_of_everyone(
    client, editor, organisation, alice, bob
):
    verified_login(client, "eddy")
    page = client.get(reverse("kus:create")).content.decode()
    assert "Alice Claes" not in page  # no select box listing every employee
    refused = client.post(
        reverse("kus:create"),
        form_data(
            organisation, **{"audience-all_staff": "", "audience-employees": "alice, nobody"}
        ),
    )
    assert "Onbekende collega&#x27;s: nobody." in refused.content.decode()
    client.post(
        reverse("kus:create"),
        form_data(
            organisation,
            **{"audience-all_staff": "", "audience-employees": f"alice, {bob.personnel_number}"},
        ),
    )
    directive = Directive.objects.get()
    assert set(directive.audience.employees.all()) == {alice, bob}
    edit = client.get(reverse("kus:edit", args=[directive.pk])).content.decode()
    assert 'value="alice, bob"' in edit
