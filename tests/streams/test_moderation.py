from __future__ import annotations

from streams import actions
from streams.models import ModerationLog, Report
from streams.signals import post_visibility_changed


def test_anyone_reports_and_the_communication_team_sees_it(alice, bob, lies, client_for):
    post = actions.create_post(alice, "Twijfelachtig bericht")
    response = client_for(bob).post(f"/stroom/berichten/{post.pk}/melden/", {"reason": "Spam"})
    assert response.status_code == 302
    assert Report.objects.get().reason == "Spam"
    html = client_for(lies).get("/stroom/moderatie/").content.decode()
    assert "Twijfelachtig bericht" in html and "Spam" in html


def test_an_empty_report_is_refused(alice, bob, client_for):
    post = actions.create_post(alice, "Bericht")
    response = client_for(bob).post(f"/stroom/berichten/{post.pk}/melden/", {"reason": ""})
    assert "Zeg kort wat er mis is." in response.content.decode()
    assert not Report.objects.exists()


def test_a_hidden_post_leaves_every_surface_and_leaves_an_audit_trail(
    alice, bob, lies, client_for, django_capture_on_commit_callbacks
):
    post = actions.create_post(alice, "Ongepaste grap #humor")
    changes = []
    post_visibility_changed.connect(
        lambda sender, post, change, **kw: changes.append(change), weak=False, dispatch_uid="t"
    )
    try:
        with django_capture_on_commit_callbacks(execute=True):
            response = client_for(lies).post(
                f"/stroom/berichten/{post.pk}/modereren/", {"action": "hide", "reason": "Grof"}
            )
    finally:
        post_visibility_changed.disconnect(dispatch_uid="t")
    assert response.status_code == 302
    assert changes == ["hidden"]
    bob_client = client_for(bob)
    assert "Ongepaste grap" not in bob_client.get("/").content.decode()
    assert "Ongepaste grap" not in bob_client.get("/stroom/onderwerpen/humor/").content.decode()
    assert bob_client.get(post.get_absolute_url()).status_code == 404
    assert bob_client.get(f"/api/v1/streams/posts/{post.pk}/").status_code == 404
    # The author sees why.
    author_view = client_for(alice).get(post.get_absolute_url()).content.decode()
    assert "Verborgen door het communicatieteam." in author_view and "Grof" in author_view
    entry = ModerationLog.objects.get()
    assert entry.moderator == lies and entry.action == "hide" and entry.reason == "Grof"


def test_a_restored_post_comes_back(alice, bob, lies, client_for):
    post = actions.create_post(alice, "Toch in orde")
    actions.hide_post(lies, post, "Even nakijken")
    client_for(lies).post(f"/stroom/berichten/{post.pk}/modereren/", {"action": "restore"})
    assert "Toch in orde" in client_for(bob).get("/").content.decode()
    assert list(ModerationLog.objects.values_list("action", flat=True)) == ["restore", "hide"]


def test_hiding_needs_a_reason(alice, lies, client_for):
    post = actions.create_post(alice, "Bericht")
    response = client_for(lies).post(
        f"/stroom/berichten/{post.pk}/modereren/", {"action": "hide", "reason": ""}
    )
    assert response.status_code == 200
    post.refresh_from_db()
    assert post.hidden is None


def test_others_cannot_moderate(alice, bob, lies, client_for):
    post = actions.create_post(alice, "Bericht")
    assert client_for(lies).get("/stroom/moderatie/").status_code == 200  # the team can
    assert client_for(bob).get("/stroom/moderatie/").status_code == 404
    response = client_for(bob).post(
        f"/stroom/berichten/{post.pk}/modereren/", {"action": "hide", "reason": "Ik wil het"}
    )
    assert response.status_code == 404
    post.refresh_from_db()
    assert post.hidden is None


def test_the_principals_follow_the_audience(organisation, alice, closed_space, open_space, lies):
    everyone = actions.create_post(alice, "Iedereen")
    department = actions.create_post(
        alice, "Afdeling", audience_kind="department", department=organisation["facility"]
    )
    closed = actions.create_post(alice, "Gesloten", audience_kind="space", space=closed_space)
    opened = actions.create_post(alice, "Open", audience_kind="space", space=open_space)
    assert everyone.principals() == {"all"}
    assert department.principals() == {f"group:{organisation['facility'].group_id}"}
    assert closed.principals() == {f"space:{closed_space.pk}"}
    assert opened.principals() == {"all"}
    actions.hide_post(lies, everyone, "Weg")
    assert everyone.principals() == frozenset()
