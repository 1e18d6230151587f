"""Shared terminals: PIN login only on registered devices, idle expiry, lock-out."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from tests.auth import WerkplekClient as Client
from tests.auth import verified_login
from tests.factories import EmployeeFactory
from workplace.models import AuditAction, AuditEvent, PinLockout, Terminal
from workplace.terminals import COOKIE_NAME

pytestmark = pytest.mark.django_db
PIN = "4826"


@pytest.fixture
def admin_user(organisation):
    return EmployeeFactory(username="beheerder", is_staff=True, is_superuser=True)


@pytest.fixture
def terminal_client(admin_user):
    """A browser on a workshop PC that an administrator registered as a terminal."""
    browser = Client()
    verified_login(browser, admin_user)
    browser.post(reverse("terminal_setup"), {"name": "Werkplaats Driepikkel 1"})
    browser.post(reverse("logout"))
    assert COOKIE_NAME in browser.cookies
    return browser


@pytest.fixture
def bob_with_pin(bob):
    bob.set_pin(PIN)
    bob.save(update_fields=["pin"])
    return bob


def pin_login(browser, number, pin=PIN):
    return browser.post(reverse("pin_login"), {"personnel_number": number, "pin": pin})


def test_registering_a_terminal_needs_an_administrator(client, alice, admin_user):
    client.force_login(alice)
    client.post(reverse("terminal_setup"), {"name": "Stiekem"})
    assert not Terminal.objects.exists()
    # The control: an administrator registers it.
    verified_login(client, admin_user)
    client.post(reverse("terminal_setup"), {"name": "Werkplaats Driepikkel 1"})
    assert Terminal.objects.filter(name="Werkplaats Driepikkel 1").exists()


def test_the_login_page_offers_a_pin_only_on_a_terminal(client, terminal_client):
    assert b'name="pin"' in terminal_client.get(reverse("login")).content
    assert b'name="pin"' not in client.get(reverse("login")).content


def test_an_employee_logs_in_with_pin_on_a_terminal(terminal_client, bob_with_pin):
    response = pin_login(terminal_client, bob_with_pin.personnel_number)
    assert response.status_code == 302
    home = terminal_client.get(reverse("home"))
    assert home.context["user"] == bob_with_pin
    assert home.context["on_terminal"]
    assert "no-store" in home["Cache-Control"]
    assert "button-logout-big" in home.content.decode()


def test_pin_login_is_refused_on_any_other_device(client, terminal_client, bob_with_pin):
    response = pin_login(client, bob_with_pin.personnel_number)
    assert response.status_code == 403
    assert "_auth_user_id" not in client.session
    # The control: the same PIN on a terminal logs in.
    assert pin_login(terminal_client, bob_with_pin.personnel_number).status_code == 302
    assert "_auth_user_id" in terminal_client.session


def test_a_forged_terminal_cookie_is_not_a_terminal(client, bob_with_pin):
    client.cookies[COOKIE_NAME] = "niet-getekend"
    assert pin_login(client, bob_with_pin.personnel_number).status_code == 403


def test_a_terminal_that_was_switched_off_no_longer_accepts_pins(terminal_client, bob_with_pin):
    Terminal.objects.update(is_active=False)
    assert pin_login(terminal_client, bob_with_pin.personnel_number).status_code == 403


def test_the_session_ends_after_the_idle_time(terminal_client, bob_with_pin, settings):
    pin_login(terminal_client, bob_with_pin.personnel_number)
    assert terminal_client.get(reverse("home")).status_code == 200
    later = timezone.now() + timedelta(seconds=settings.TERMINAL_IDLE_SECONDS + 5)
    with time_machine.travel(later):
        response = terminal_client.get(reverse("home"))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))
    assert terminal_client.get(reverse("home")).status_code == 302


def test_activity_keeps_the_session_alive(terminal_client, bob_with_pin, settings):
    pin_login(terminal_client, bob_with_pin.personnel_number)
    start = timezone.now()
    step = timedelta(seconds=settings.TERMINAL_IDLE_SECONDS - 30)
    for n in range(1, 4):
        with time_machine.travel(start + n * step):
            assert terminal_client.get(reverse("home")).status_code == 200


def test_the_idle_time_is_configurable(terminal_client, bob_with_pin, settings):
    settings.TERMINAL_IDLE_SECONDS = 30
    pin_login(terminal_client, bob_with_pin.personnel_number)
    with time_machine.travel(timezone.now() + timedelta(seconds=45)):
        assert terminal_client.get(reverse("home")).status_code == 302


def test_a_password_login_on_a_terminal_is_a_short_terminal_session_too(
    terminal_client, alice, settings
):
    terminal_client.post(reverse("login"), {"username": "alice", "password": "Correct-Horse-42"})
    assert terminal_client.session.get_expiry_age() == settings.TERMINAL_IDLE_SECONDS


def test_the_big_logout_button_ends_the_session(terminal_client, bob_with_pin):
    pin_login(terminal_client, bob_with_pin.personnel_number)
    terminal_client.post(reverse("logout"))
    assert terminal_client.get(reverse("home")).status_code == 302


def test_repeated_wrong_pins_lock_the_personnel_number(terminal_client, bob_with_pin, settings):
    for _attempt in range(settings.TERMINAL_PIN_MAX_FAILURES):
        response = pin_login(terminal_client, bob_with_pin.personnel_number, pin="0000")
        assert "horen niet bij elkaar" in response.content.decode()
    response = pin_login(terminal_client, bob_with_pin.personnel_number)  # the right PIN, too late
    assert "Te veel foute pincodes" in response.content.decode()
    assert "_auth_user_id" not in terminal_client.session
    later = timezone.now() + timedelta(seconds=settings.TERMINAL_PIN_LOCK_SECONDS + 1)
    with time_machine.travel(later):
        assert pin_login(terminal_client, bob_with_pin.personnel_number).status_code == 302


def test_a_lock_is_per_personnel_number(terminal_client, bob_with_pin, alice, settings):
    alice.set_pin("1357")
    alice.save(update_fields=["pin"])
    for _attempt in range(settings.TERMINAL_PIN_MAX_FAILURES):
        pin_login(terminal_client, bob_with_pin.personnel_number, pin="0000")
    assert pin_login(terminal_client, alice.personnel_number, pin="1357").status_code == 302


def test_a_good_pin_clears_earlier_failures(terminal_client, bob_with_pin):
    pin_login(terminal_client, bob_with_pin.personnel_number, pin="0000")
    assert PinLockout.objects.filter(personnel_number=bob_with_pin.personnel_number).exists()
    pin_login(terminal_client, bob_with_pin.personnel_number)
    assert not PinLockout.objects.filter(personnel_number=bob_with_pin.personnel_number).exists()


def test_an_employee_sets_a_pin_on_their_profile(client, alice):
    client.force_login(alice)
    response = client.post(
        reverse("change_pin"),
        {"current_password": "Correct-Horse-42", "pin1": "739164", "pin2": "739164"},
    )
    assert response.status_code == 302
    alice.refresh_from_db()
    assert alice.check_pin("739164") and "739164" not in alice.pin


@pytest.mark.parametrize(
    ("pin1", "pin2", "error"),
    [
        ("12", "12", "4 tot 6 cijfers"),
        ("12ab", "12ab", "4 tot 6 cijfers"),
        ("1234", "4321", "verschillen"),
        ("1111", "1111", "herhaald cijfer"),
    ],
)
def test_a_bad_pin_is_refused(client, alice, pin1, pin2, error):
    client.force_login(alice)
    response = client.post(
        reverse("change_pin"), {"current_password": "Correct-Horse-42", "pin1": pin1, "pin2": pin2}
    )
    assert error in response.content.decode()
    alice.refresh_from_db()
    assert not alice.has_pin


def test_setting_a_pin_needs_the_password(client, alice):
    client.force_login(alice)
    response = client.post(
        reverse("change_pin"), {"current_password": "fout", "pin1": "7391", "pin2": "7391"}
    )
    assert "niet je huidige wachtwoord" in response.content.decode()


# --- the PIN lock: counted before the check, per terminal, with a city-wide cap ------


def register_terminal(admin_user, name: str) -> Client:
    browser = Client()
    verified_login(browser, admin_user)
    browser.post(reverse("terminal_setup"), {"name": name})
    browser.post(reverse("logout"))
    return browser


@pytest.mark.django_db(transaction=True)
def test_wrong_pins_sent_all_at_once_do_not_let_the_right_one_in(
    terminal_client, bob_with_pin, settings
):
    import threading

    from django.db import connections

    attempts = 39
    start = threading.Barrier(attempts)
    answers: list[str] = []
    cookie = terminal_client.cookies[COOKIE_NAME].value

    def guess(n: int) -> None:
        browser = Client()
        browser.cookies[COOKIE_NAME] = cookie
        try:
            start.wait()
            answers.append(
                pin_login(browser, bob_with_pin.personnel_number, f"{n:04d}").content.decode()
            )
        finally:
            connections.close_all()

    threads = [threading.Thread(target=guess, args=(n,)) for n in range(attempts)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(answers) == attempts
    checked = [answer for answer in answers if "horen niet bij elkaar" in answer]
    assert len(checked) <= settings.TERMINAL_PIN_MAX_FAILURES
    response = pin_login(terminal_client, bob_with_pin.personnel_number)
    assert "Te veel foute pincodes" in response.content.decode()
    assert "_auth_user_id" not in terminal_client.session


def test_a_wrong_pin_says_how_many_tries_are_left(terminal_client, bob_with_pin, settings):
    response = pin_login(terminal_client, bob_with_pin.personnel_number, pin="0000")
    left = settings.TERMINAL_PIN_MAX_FAILURES - 1
    assert f"Nog {left} pogingen" in response.content.decode()


def test_guessing_at_one_terminal_does_not_lock_the_colleague_out_elsewhere(
    terminal_client, admin_user, bob_with_pin, settings
):
    for _attempt in range(settings.TERMINAL_PIN_MAX_FAILURES):
        pin_login(terminal_client, bob_with_pin.personnel_number, pin="0000")
    assert (
        "Te veel foute pincodes"
        in pin_login(terminal_client, bob_with_pin.personnel_number).content.decode()
    )
    other = register_terminal(admin_user, "Depot Oostakker")
    assert pin_login(other, bob_with_pin.personnel_number).status_code == 302


def test_a_city_wide_cap_locks_the_number_on_every_terminal(
    terminal_client, admin_user, bob_with_pin, settings
):
    settings.TERMINAL_PIN_MAX_FAILURES_TOTAL = 8
    second = register_terminal(admin_user, "Depot Oostakker")
    third = register_terminal(admin_user, "Serre Bourgoyen")
    for browser in (terminal_client, second):
        for _attempt in range(settings.TERMINAL_PIN_MAX_FAILURES - 1):
            pin_login(browser, bob_with_pin.personnel_number, pin="0000")
    response = pin_login(third, bob_with_pin.personnel_number)
    assert "Te veel foute pincodes" in response.content.decode()
    assert "_auth_user_id" not in third.session


def test_the_warning_counts_down_to_the_city_wide_cap_too(
    terminal_client, admin_user, bob_with_pin, settings
):
    settings.TERMINAL_PIN_MAX_FAILURES_TOTAL = 6
    second = register_terminal(admin_user, "Depot Oostakker")
    for _attempt in range(4):
        pin_login(terminal_client, bob_with_pin.personnel_number, pin="0000")
    response = pin_login(second, bob_with_pin.personnel_number, pin="0000")
    assert "Nog 1 poging." in response.content.decode()


def test_pin_failures_long_ago_are_forgotten(terminal_client, bob_with_pin, settings):
    for _attempt in range(settings.TERMINAL_PIN_MAX_FAILURES - 1):
        pin_login(terminal_client, bob_with_pin.personnel_number, pin="0000")
    later = timezone.now() + timedelta(seconds=settings.TERMINAL_PIN_LOCK_SECONDS + 1)
    with time_machine.travel(later):
        response = pin_login(terminal_client, bob_with_pin.personnel_number, pin="0000")
    assert f"Nog {settings.TERMINAL_PIN_MAX_FAILURES - 1} pogingen" in response.content.decode()


def test_a_pin_lock_is_recorded_in_the_audit_log(terminal_client, bob_with_pin, settings):
    for _attempt in range(settings.TERMINAL_PIN_MAX_FAILURES):
        pin_login(terminal_client, bob_with_pin.personnel_number, pin="0000")
    event = AuditEvent.objects.get(action=AuditAction.PIN_LOCKED)
    assert event.target_id == str(bob_with_pin.pk)
    assert event.terminal == Terminal.objects.get()
    assert event.detail["scope"] == "terminal"
    assert AuditEvent.objects.filter(action=AuditAction.PIN_FAILED).count() == (
        settings.TERMINAL_PIN_MAX_FAILURES
    )


def test_wrong_pins_do_not_lock_the_password_login(terminal_client, bob_with_pin, settings):
    for _attempt in range(settings.AXES_FAILURE_LIMIT + 1):
        pin_login(terminal_client, bob_with_pin.personnel_number, pin="0000")
    response = terminal_client.post(
        reverse("login"), {"username": "bob", "password": "Correct-Horse-42"}
    )
    assert response.status_code == 302


def test_changing_the_pin_is_recorded(client, alice):
    client.force_login(alice)
    client.post(
        reverse("change_pin"),
        {"current_password": "Correct-Horse-42", "pin1": "739164", "pin2": "739164"},
    )
    event = AuditEvent.objects.get(action=AuditAction.PIN_CHANGED)
    assert event.actor == alice and event.target_id == str(alice.pk)


def test_registering_and_forgetting_a_terminal_is_recorded(terminal_client, admin_user):
    terminal = Terminal.objects.get()
    registered = AuditEvent.objects.get(action=AuditAction.TERMINAL_REGISTERED)
    assert registered.actor == admin_user and registered.target_id == str(terminal.pk)
    verified_login(terminal_client, admin_user)
    terminal_client.post(reverse("terminal_forget"))
    forgotten = AuditEvent.objects.get(action=AuditAction.TERMINAL_FORGOTTEN)
    assert forgotten.actor == admin_user and forgotten.target_id == str(terminal.pk)


# --- logging out from the management pages lands on Werkplek's login, never the admin's ---

BEHEER_PAGES = ("terminal_setup", "activation_letters", "activation_reset", "import_upload")


def lands_on_werkplek_login(response) -> bool:
    templates = {template.name for template in response.templates}
    return (
        response.status_code == 200
        and response.request["PATH_INFO"] == reverse("login")
        and "registration/login.html" in templates
        and "admin/login.html" not in templates
    )


@pytest.mark.parametrize("name", BEHEER_PAGES)
def test_logging_out_from_a_management_page_lands_on_werkpleks_login(client, admin_user, name):
    verified_login(client, admin_user)
    page = reverse(name)
    assert client.get(page).status_code == 200
    response = client.post(reverse("logout"), HTTP_REFERER=f"http://testserver{page}", follow=True)
    assert lands_on_werkplek_login(response)
    # Back to the page (the browser's back button, a reload): Werkplek's login again.
    response = client.get(page, follow=True)
    assert lands_on_werkplek_login(response)
    assert response.redirect_chain[0][0] == f"{reverse('login')}?next={page}"


def test_logging_out_from_the_terminal_page_of_a_terminal_offers_the_pin_login(client, admin_user):
    verified_login(client, admin_user)
    client.post(reverse("terminal_setup"), {"name": "Werkplaats Driepikkel 1"})
    response = client.post(reverse("logout"), follow=True)
    assert lands_on_werkplek_login(response)
    assert b'name="pin"' in response.content


def test_the_admin_logs_out_and_in_through_werkpleks_login_too(client, admin_user):
    verified_login(client, admin_user)
    response = client.post(reverse("admin:logout"), follow=True)
    assert lands_on_werkplek_login(response)
    assert lands_on_werkplek_login(client.get(reverse("admin:index"), follow=True))
