"""`make run` on an empty database: ``seed_demo --if-empty`` as a whole (every app's
seeder), and what the README promises of it: the six logins, the gent&co survey, a
living stream. One seeding for all of it: it is the slowest step of the suite."""

from __future__ import annotations

import io

import pytest
from django.apps import apps
from django.core.management import call_command
from django.urls import reverse

from tests.auth import WerkplekClient as Client
from tests.auth import verified_login

pytestmark = pytest.mark.django_db

PASSWORD = "Werkplek-demo-2026"  # the README's, not the code's constant
# The README's table: who holds rights (and so sets up two-step login at first login).
LOGINS = {
    "admin": True,
    "communicatie": True,
    "hr": True,
    "redactie": True,
    "kantoor": False,
    "terrein": False,
}


def run(*args: str) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def rows() -> dict[str, int]:
    return {model._meta.label: model.objects.count() for model in apps.get_models()}


def log_in(username: str):
    """The login form with the README's password; the client and the page it ends on."""
    browser = Client()
    response = browser.post(
        reverse("login"), {"username": username, "password": PASSWORD}, follow=True
    )
    return browser, response


def test_make_runs_seeding_gives_what_the_readme_promises_and_a_second_run_changes_nothing(
    search_index,
):
    from streams.models import Comment, Post
    from surveys.models import Status, Survey

    out = run("seed_demo", "--if-empty")
    for username in LOGINS:
        assert f"  {username} " in out and PASSWORD in out

    # The six logins, with the README's password; those with rights go to two-step set-up.
    for username, has_rights in LOGINS.items():
        _browser, response = log_in(username)
        assert response.status_code == 200 and response.redirect_chain, username
        expected = "/profiel/tweestaps/instellen/" if has_rights else "/"
        assert response.request["PATH_INFO"] == expected, username
    # The field worker at a shared terminal the administrator registered: number and PIN.
    terminal = Client()
    verified_login(terminal, "admin")
    assert terminal.get("/admin/").status_code == 200  # the Django admin
    terminal.post(reverse("terminal_setup"), {"name": "Werkplaats Driepikkel 1"})
    terminal.post(reverse("logout"))
    response = terminal.post(reverse("pin_login"), {"personnel_number": "100006", "pin": "2468"})
    assert response.status_code == 302
    home = terminal.get(reverse("home"))
    assert home.context["user"].username == "terrein" and home.context["on_terminal"]

    # The gent&co reader survey is open, and the field worker finds it.
    survey = Survey.objects.get(title__icontains="gent&co", status=Status.OPEN)
    listed = terminal.get(reverse("surveys:list")).content.decode()
    assert survey.title.replace("&", "&amp;") in listed
    assert terminal.get(reverse("surveys:start", args=[survey.pk])).status_code == 200

    # A living stream: posts from several colleagues, with comments, on the stream page.
    assert Post.objects.values("author").distinct().count() >= 5
    assert Comment.objects.exists()
    office, _response = log_in("kantoor")
    stream = office.get(reverse("streams:home"))
    assert stream.status_code == 200
    newest = Post.objects.order_by("-created").first()
    assert (
        newest.body[:40] in stream.content.decode()
        or stream.content.decode().count("stream-item") >= 5
    )

    # The search index: make run builds it after the seeding, and says so.
    check = run("search_check", "--fix")
    assert "The search index is empty: everything is indexed now." in check
    assert "missing" not in check
    assert "complete and up to date" in run("search_check")

    # make run again: the database is not empty, nothing changes.
    before = rows()
    assert "not seeding again" in run("seed_demo", "--if-empty")
    assert rows() == before
