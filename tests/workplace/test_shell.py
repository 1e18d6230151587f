"""What other modules hang on the shell: navigation entries with live badges, start-page panels."""

from __future__ import annotations

import pytest
from django.urls import reverse

from workplace import shell

pytestmark = pytest.mark.django_db


def test_a_navigation_badge_shows_the_count_for_this_user(client, alice, monkeypatch):
    entry = shell.NavItem("test", "Proef", "people", "people", 45, badge=lambda request: 3)
    monkeypatch.setitem(shell.nav_items, "test", entry)
    client.force_login(alice)
    page = client.get(reverse("home")).content.decode()
    assert 'data-badge="test">3</span>' in page


def test_a_zero_badge_is_present_but_hidden_for_live_updates(client, alice, monkeypatch):
    entry = shell.NavItem("test", "Proef", "people", "people", 45, badge=lambda request: 0)
    monkeypatch.setitem(shell.nav_items, "test", entry)
    client.force_login(alice)
    page = client.get(reverse("home")).content.decode()
    assert 'data-badge="test" hidden>0</span>' in page


def test_a_home_panel_can_hide_itself(client, alice, monkeypatch):
    shown = shell.HomePanel("workplace/includes/pager.html", lambda request: None, 1)
    monkeypatch.setattr(shell, "home_panels", [shown])
    client.force_login(alice)
    assert client.get(reverse("home")).context["panels"] == []


def test_other_modules_link_from_a_profile_and_a_department_page(client, alice, organisation):
    client.force_login(alice)
    profile = client.get(reverse("profile", args=["alice"])).content.decode()
    department = client.get(reverse("department", args=["FM-GEB"])).content.decode()
    assert 'href="/stroom/mensen/alice/"' in profile
    assert 'href="/stroom/afdelingen/FM-GEB/"' in department


def test_a_badge_with_an_endpoint_tells_the_page_how_to_keep_it_live(client, alice, monkeypatch):
    entry = shell.NavItem(
        "test",
        "Proef",
        "people",
        "people",
        45,
        badge=lambda request: 2,
        badge_url_name="api_people",
        badge_field="total",
        badge_events=("test.new", "test.read"),
    )
    monkeypatch.setitem(shell.nav_items, "test", entry)
    client.force_login(alice)
    page = client.get(reverse("home")).content.decode()
    assert (
        'data-badge="test" data-badge-url="/api/v1/people/" data-badge-field="total"'
        ' data-badge-on="test.new test.read">2</span>'
    ) in page
    assert 'data-live="1"' in page and "workplace/live.js" in page


@pytest.mark.parametrize("url_name", ["home", "kus:index", "messaging:inbox"])
def test_the_navigation_marks_the_page_you_are_on(client, alice, url_name):
    client.force_login(alice)
    url = reverse(url_name)
    page = client.get(url).content.decode()
    nav = page[page.index('<nav class="mainnav"') :]
    nav = nav[: nav.index("</nav>")]
    assert nav.count('aria-current="page"') == 1
    assert f'<a href="{url}" aria-current="page">' in nav
