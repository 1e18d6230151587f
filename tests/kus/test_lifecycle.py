from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from kus import actions
from kus.models import Directive, DirectiveVersion, Status
from tests.factories import PASSWORD
from tests.kus.conftest import make_directive, republish

pytestmark = pytest.mark.django_db


def test_it_publishes_only_with_a_second_editors_approval(editor, reviewer, organisation, category):
    directive = actions.create_directive(
        editor,
        text=actions.Text("Titel", "Korte samenvatting.", "Tekst van de richtlijn."),
        owner_department=organisation["facility"],
        category=category,
        audience=Directive._meta.get_field("audience").related_model.objects.create(all_staff=True),
    )
    assert directive.status == Status.DRAFT and directive.number is None
    with pytest.raises(actions.ActionError):
        actions.publish(reviewer, directive)  # not yet submitted
    actions.submit_for_review(editor, directive)
    directive.refresh_from_db()
    assert directive.status == Status.REVIEW
    with pytest.raises(actions.ActionError, match="Vier ogen"):
        actions.publish(editor, directive)
    version = actions.publish(reviewer, directive)
    directive.refresh_from_db()
    assert directive.status == Status.PUBLISHED
    assert version.seq == 1 and version.approved_by == reviewer
    assert directive.number == f"KUS-{timezone.localdate().year}-0001"  # this year's first


GHENT = ZoneInfo("Europe/Brussels")


def test_it_numbers_directives_per_year_and_never_reuses_a_number(editor, reviewer, organisation):
    owner = organisation["facility"]
    with time_machine.travel(datetime.datetime(2031, 12, 31, 23, 30, tzinfo=GHENT), tick=False):
        first = make_directive(editor, reviewer, owner=owner)
        second = make_directive(editor, reviewer, owner=owner, title="Tweede")
        assert first.number == "KUS-2031-0001"
        assert second.number == "KUS-2031-0002"
        second.delete()
        third = make_directive(editor, reviewer, owner=owner, title="Derde")
        assert third.number == "KUS-2031-0003"
    # New Year's night in Ghent (still 2031 in UTC): the year of the number is Ghent's.
    with time_machine.travel(datetime.datetime(2032, 1, 1, 0, 30, tzinfo=GHENT), tick=False):
        new_year = make_directive(editor, reviewer, owner=owner, title="Nieuwjaar")
    assert new_year.number == "KUS-2032-0001"


def test_an_edit_of_a_published_directive_stays_a_draft_until_it_is_published(
    client, editor, reviewer, alice, organisation
):
    directive = make_directive(editor, reviewer, owner=organisation["facility"])
    actions.save_draft(
        editor,
        directive,
        actions.Text(directive.title, directive.summary, "Geheel nieuwe tekst.", "Herschreven"),
    )
    client.login(username="alice", password=PASSWORD)
    page = client.get(directive.get_absolute_url()).content.decode()
    assert "Je tekent voor elke sleutel." in page
    assert "Geheel nieuwe tekst." not in page
    actions.submit_for_review(editor, directive)
    actions.publish(reviewer, directive)
    page = client.get(directive.get_absolute_url()).content.decode()
    assert "Geheel nieuwe tekst." in page


def test_a_published_version_cannot_be_changed(editor, reviewer, organisation):
    directive = make_directive(editor, reviewer, owner=organisation["facility"])
    version = directive.current_version
    version.body = "vervalst"
    with pytest.raises(ValueError):
        version.save()


def test_replacing_a_directive_supersedes_it_with_a_banner_to_the_new_one(
    client, editor, reviewer, alice, organisation
):
    old = make_directive(editor, reviewer, owner=organisation["facility"], title="Oud")
    new = actions.create_directive(
        editor,
        text=actions.Text("Nieuw", "De nieuwe regels.", "Tekst."),
        owner_department=organisation["facility"],
        category=old.category,
        audience=type(old.audience).objects.create(all_staff=True),
    )
    actions.submit_for_review(editor, new)
    actions.publish(reviewer, new, replaces=[old])
    old.refresh_from_db()
    new.refresh_from_db()
    assert old.status == Status.SUPERSEDED and old.replaced_by == new
    client.login(username="alice", password=PASSWORD)
    page = client.get(old.get_absolute_url()).content.decode()
    assert "Deze richtlijn is vervangen." in page
    assert new.get_absolute_url() in page


def test_the_history_lists_every_version_and_each_can_be_cited(
    client, editor, reviewer, alice, organisation
):
    directive = make_directive(editor, reviewer, owner=organisation["facility"])
    republish(editor, reviewer, directive, body="Tweede tekst.", note="Nieuwe bedragen")
    client.login(username="alice", password=PASSWORD)
    detail = client.get(directive.get_absolute_url()).content.decode()
    assert "Nieuwe bedragen" in detail and "Bekijk wat er veranderde" in detail
    history = client.get(reverse("kus:history", args=[directive.number])).content.decode()
    assert "Nieuwe bedragen" in history
    first = client.get(reverse("kus:version", args=[directive.number, 1]))
    assert first.status_code == 200
    assert "Je tekent voor elke sleutel." in first.content.decode()
    assert "niet de huidige tekst" in first.content.decode()
    assert client.get(reverse("kus:version", args=[directive.number, 9])).status_code == 404
    assert DirectiveVersion.objects.filter(directive=directive).count() == 2


def test_the_diff_shows_added_and_removed_words(client, editor, reviewer, alice, organisation):
    directive = make_directive(
        editor, reviewer, owner=organisation["facility"], body="De vergoeding is 10 euro per dag."
    )
    republish(editor, reviewer, directive, body="De vergoeding is 12 euro per dag.")
    client.login(username="alice", password=PASSWORD)
    page = client.get(reverse("kus:diff", args=[directive.number]) + "?van=1&naar=2")
    html = page.content.decode()
    assert "<del>10</del>" in html and "<ins>12</ins>" in html


def test_the_print_view_is_a_clean_page_with_the_permanent_address(
    client, editor, reviewer, alice, organisation
):
    directive = make_directive(editor, reviewer, owner=organisation["facility"])
    client.login(username="alice", password=PASSWORD)
    page = client.get(reverse("kus:print", args=[directive.number])).content.decode()
    assert "Je tekent voor elke sleutel." in page
    assert f"http://testserver/kus/{directive.number}/" in page
    assert "mainnav" not in page and "<script" not in page


def test_an_archived_directive_says_it_no_longer_applies_and_cannot_be_edited(
    client, editor, reviewer, alice, organisation
):
    directive = make_directive(editor, reviewer, owner=organisation["facility"])
    actions.archive(editor, directive)
    client.login(username="alice", password=PASSWORD)
    page = client.get(directive.get_absolute_url()).content.decode()
    assert "gearchiveerd en geldt niet meer" in page
    with pytest.raises(actions.ActionError):
        actions.save_draft(editor, directive, actions.Text("a", "b", "c", "d"))


def test_publication_and_repeal_are_in_the_audit_log(editor, reviewer, organisation):
    from workplace.models import AuditAction, AuditEvent

    directive = make_directive(editor, reviewer, owner=organisation["facility"])
    actions.archive(reviewer, directive)
    published, repealed = AuditEvent.objects.filter(
        action__in=[AuditAction.DIRECTIVE_PUBLISHED, AuditAction.DIRECTIVE_REPEALED]
    ).order_by("id")
    assert (published.actor, published.target_id) == (reviewer, str(directive.pk))
    assert directive.number in published.target_label
    assert repealed.action == AuditAction.DIRECTIVE_REPEALED
    assert repealed.detail == {"how": "archived"}


def test_the_nightly_expiry_is_not_mistaken_for_an_editors_repeal(editor, reviewer, organisation):
    from workplace.models import AuditAction, AuditEvent

    directive = make_directive(editor, reviewer, owner=organisation["facility"])
    actions.do_archive(directive)
    assert not AuditEvent.objects.filter(action=AuditAction.DIRECTIVE_REPEALED).exists()
