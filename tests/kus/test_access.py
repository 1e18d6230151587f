from __future__ import annotations

import pytest
from django.urls import reverse

from kus import actions
from kus.export import export_folder
from tests.auth import verified_login
from tests.factories import PASSWORD, AudienceFactory, EmployeeFactory
from tests.kus.conftest import make_directive
from tests.kus.samples import png_bytes
from workplace.roles import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def secret(editor, reviewer, organisation):
    """A restricted directive for Burgerzaken only."""
    audience = AudienceFactory()
    audience.departments.add(organisation["civil"])
    return make_directive(
        editor,
        reviewer,
        owner=organisation["civil"],
        title="Fraudeonderzoek aan het loket",
        audience=audience,
        restricted=True,
        requires_ack=True,
    )


def test_it_hides_a_restricted_directive_from_someone_outside_its_audience(
    client, secret, alice, carol
):
    insider = type(client)()
    insider.login(username="carol", password=PASSWORD)  # Burgerzaken: in its audience
    client.login(username="alice", password=PASSWORD)
    for url in (
        secret.get_absolute_url(),
        reverse("kus:print", args=[secret.number]),
        reverse("kus:history", args=[secret.number]),
        reverse("kus:diff", args=[secret.number]),
        reverse("kus:version", args=[secret.number, 1]),
    ):
        assert insider.get(url).status_code == 200, url
        assert client.get(url).status_code == 404, url
    # The progress page is the owners' only: for a reader of the audience too it does not exist.
    assert client.get(reverse("kus:progress", args=[secret.number])).status_code == 404


def test_it_shows_a_restricted_directive_to_its_audience(client, secret, carol):
    client.login(username="carol", password=PASSWORD)
    page = client.get(secret.get_absolute_url())
    assert page.status_code == 200
    assert "Fraudeonderzoek aan het loket" in page.content.decode()


def test_it_leaves_a_restricted_directive_out_of_every_list_and_count(
    client, secret, editor, reviewer, organisation, alice
):
    make_directive(editor, reviewer, owner=organisation["facility"], title="Voor iedereen")
    client.login(username="alice", password=PASSWORD)
    for lijst in ("", "nieuw", "archief"):
        page = client.get(reverse("kus:index") + f"?lijst={lijst}").content.decode()
        assert "Fraudeonderzoek" not in page
    assert "Voor iedereen" in client.get(reverse("kus:index")).content.decode()
    assert "Fraudeonderzoek" not in client.get(reverse("kus:to_read")).content.decode()
    home = client.get(reverse("home")).content.decode()
    assert "te lezen" not in home  # the one directive to read is not Alice's to see
    api = client.get(reverse("kus:api_directives")).json()
    assert api["count"] == 1
    assert client.get(reverse("kus:api_directive", args=[secret.number])).status_code == 404


def test_it_leaves_a_restricted_directive_out_of_an_export_for_others(
    tmp_path, secret, alice, carol
):
    assert [p.name for p in export_folder(tmp_path / "alice", alice)] == []
    assert [p.name for p in export_folder(tmp_path / "carol", carol)] == [f"{secret.number}.md"]


def test_a_restricted_directive_tells_its_audience_only_through_to_read(client, secret, carol):
    client.login(username="carol", password=PASSWORD)
    page = client.get(reverse("kus:to_read")).content.decode()
    assert "Fraudeonderzoek aan het loket" in page


def test_drafts_are_seen_only_by_their_editors(client, editor, organisation, category, alice, bob):
    draft = actions.create_directive(
        editor,
        text=actions.Text("Geheim ontwerp", "Nog niet klaar.", "Tekst."),
        owner_department=organisation["civil"],
        category=category,
        audience=AudienceFactory(all_staff=True),
    )
    client.login(username="alice", password=PASSWORD)
    assert client.get(reverse("kus:edit", args=[draft.pk])).status_code == 404
    assert (
        "Geheim ontwerp"
        not in client.get(reverse("kus:index") + "?lijst=concepten").content.decode()
    )
    verified_login(client, "eddy")
    assert client.get(reverse("kus:edit", args=[draft.pk])).status_code == 200


def test_the_owner_departments_leads_edit_its_directives_through_a_guardian_grant(
    editor, reviewer, organisation, alice, bob, carol
):
    directive = make_directive(editor, reviewer, owner=organisation["facility"])
    assert not actions.can_edit(alice, directive)  # a member, not a lead
    organisation["buildings"].manager = alice
    organisation["buildings"].save(update_fields=["manager"])
    alice = type(alice).objects.get(pk=alice.pk)
    assert actions.can_edit(alice, directive)  # Dienst Gebouwen lies within Facility
    assert not actions.can_edit(bob, directive)  # a field worker in the team below
    carol = EmployeeFactory(department=organisation["civil"], roles=[Role.MANAGERS])
    assert not actions.can_edit(carol, directive)
    actions.update_metadata(editor, directive, owner_department=organisation["civil"])
    alice = type(alice).objects.get(pk=alice.pk)
    carol = type(carol).objects.get(pk=carol.pk)
    assert not actions.can_edit(alice, directive)
    assert actions.can_edit(carol, directive)


def test_a_personal_grant_makes_someone_an_editor(editor, reviewer, organisation, bob):
    from guardian.shortcuts import assign_perm

    directive = make_directive(editor, reviewer, owner=organisation["facility"])
    assign_perm("kus.change_directive", bob, directive)
    assert actions.can_edit(bob, directive)


def test_an_attachment_answers_404_to_whoever_may_not_see_its_directive(
    client, secret, editor, reviewer, carol, alice
):
    attachment = actions.add_attachment(editor, secret, "plan.png", png_bytes())
    client.login(username="alice", password=PASSWORD)
    assert client.get(attachment.get_absolute_url()).status_code == 404
    actions.submit_for_review(editor, secret)
    actions.publish(reviewer, secret)
    published = secret.versions.get(seq=2).attachments.get()
    assert client.get(published.get_absolute_url()).status_code == 404
    client.login(username="carol", password=PASSWORD)
    response = client.get(published.get_absolute_url())
    assert response.status_code == 200 and response["Content-Type"] == "image/png"


def test_the_list_page_runs_a_fixed_number_of_queries(
    client, editor, reviewer, organisation, alice, django_assert_max_num_queries
):
    for n in range(3):
        make_directive(editor, reviewer, owner=organisation["facility"], title=f"Richtlijn {n}")
    client.login(username="alice", password=PASSWORD)
    client.get(reverse("kus:index"))
    with django_assert_max_num_queries(14) as few:
        client.get(reverse("kus:index"))
    for n in range(3, 12):
        make_directive(editor, reviewer, owner=organisation["facility"], title=f"Richtlijn {n}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(reverse("kus:index"))
    assert "Richtlijn 11" in page.content.decode()


def test_the_owner_department_sees_its_restricted_directive_but_only_leads_edit_it(
    client, editor, reviewer, organisation, alice, bob
):
    audience = AudienceFactory()
    audience.departments.add(organisation["civil"])
    directive = make_directive(
        editor, reviewer, owner=organisation["facility"], audience=audience, restricted=True
    )
    client.login(username="bob", password=PASSWORD)  # in Facility, outside the audience
    assert client.get(directive.get_absolute_url()).status_code == 200
    assert not actions.can_edit(bob, directive)


def test_a_superseded_directive_does_not_name_a_restricted_successor_to_others(
    client, editor, reviewer, organisation, alice
):
    old = make_directive(editor, reviewer, owner=organisation["civil"], title="Oud")
    audience = AudienceFactory()
    audience.departments.add(organisation["civil"])
    new = make_directive(
        editor, reviewer, owner=organisation["civil"], audience=audience, restricted=True
    )
    actions.supersede(editor, old, new)
    client.login(username="alice", password=PASSWORD)
    page = client.get(old.get_absolute_url()).content.decode()
    assert "Deze richtlijn is vervangen." in page
    assert new.number not in page


def test_the_department_filter_offers_only_owners_of_visible_directives(
    client, secret, editor, reviewer, organisation, alice
):
    make_directive(editor, reviewer, owner=organisation["facility"], title="Voor iedereen")
    client.login(username="alice", password=PASSWORD)
    page = client.get(reverse("kus:index")).content.decode()
    assert '<option value="FM">' in page
    assert '<option value="BZ">' not in page  # Burgerzaken owns only the restricted one
