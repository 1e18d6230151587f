"""Two-step login: required for administrators and the editing roles, before any of it opens."""

from __future__ import annotations

import json

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.auth import totp_code, verified_login
from tests.factories import PASSWORD, EmployeeFactory
from workplace.models import AuditAction, AuditEvent
from workplace.roles import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def hilde(organisation):
    """An HR officer."""
    return EmployeeFactory(username="hilde", roles=[Role.HR], department=organisation["civil"])


@pytest.fixture
def root(organisation):
    return EmployeeFactory(username="root", is_staff=True, is_superuser=True)


@pytest.fixture
def hilde_with_app(hilde):
    device = TOTPDevice.objects.create(user=hilde, name="Telefoon", confirmed=True)
    return hilde, device


def log_in(client, username, password=PASSWORD, **extra):
    return client.post(reverse("login"), {"username": username, "password": password}, **extra)


def give_code(client, code, next_url="/"):
    return client.post(reverse("mfa_verify"), {"code": code, "next": next_url})


def test_after_the_password_an_hr_officer_is_asked_for_a_code(client, hilde_with_app):
    log_in(client, "hilde")
    response = client.get(reverse("activation_letters"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("mfa_verify"))


def test_with_the_right_code_the_management_page_opens(client, hilde_with_app):
    _hilde, device = hilde_with_app
    log_in(client, "hilde")
    response = give_code(client, totp_code(device), reverse("activation_letters"))
    assert response.status_code == 302 and response.url == reverse("activation_letters")
    assert client.get(reverse("activation_letters")).status_code == 200


def test_the_session_gets_a_new_key_once_the_code_is_given(client, hilde_with_app):
    _hilde, device = hilde_with_app
    log_in(client, "hilde")
    before = client.session.session_key
    give_code(client, totp_code(device))
    assert client.session.session_key != before
    assert client.get(reverse("home")).status_code == 200


def test_a_wrong_code_is_refused_and_recorded(client, hilde_with_app):
    log_in(client, "hilde")
    response = give_code(client, "000000")
    assert "niet juist" in response.content.decode()
    assert client.get(reverse("home")).status_code == 302
    assert AuditEvent.objects.filter(action=AuditAction.MFA_FAILED).exists()


def test_repeated_wrong_codes_are_slowed_down(client, hilde_with_app):
    _hilde, device = hilde_with_app
    log_in(client, "hilde")
    for _attempt in range(3):
        give_code(client, "000000")
    response = give_code(client, totp_code(device))  # right, but too soon
    assert "Te veel foute codes" in response.content.decode()
    assert client.get(reverse("home")).status_code == 302


def test_every_page_waits_for_the_code_not_just_management(client, hilde_with_app):
    log_in(client, "hilde")
    for name in ("home", "people", "more", "edit_profile"):
        response = client.get(reverse(name))
        assert response.status_code == 302 and response.url.startswith(reverse("mfa_verify"))
    assert client.post(reverse("logout")).status_code == 302  # logging out still works


def test_the_api_answers_a_session_that_owes_its_code_with_json(client, hilde_with_app):
    log_in(client, "hilde")
    response = client.get(reverse("api_people"), {"q": "a"})
    assert response.status_code == 403
    assert json.loads(response.content)["error"]["code"] == "second_factor_required"


def test_a_bearer_token_is_not_asked_for_a_code(hilde_with_app):
    from workplace.api import issue_token

    hilde, _device = hilde_with_app
    key = issue_token(hilde, "rapportering")
    response = Client().get(reverse("api_people"), {"q": "a"}, HTTP_AUTHORIZATION=f"Bearer {key}")
    assert response.status_code == 200


def test_the_page_for_the_code_shows_no_navigation_and_opens_no_socket(client, hilde_with_app):
    log_in(client, "hilde")
    page = client.get(reverse("mfa_verify")).content.decode()
    assert "live.js" not in page
    assert 'class="mainnav"' not in page


def test_an_administrator_without_an_app_is_guided_to_set_one_up(client, root):
    log_in(client, "root")
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302 and response.url.startswith(reverse("mfa_setup"))
    page = client.get(response.url).content.decode()
    assert "<svg" in page  # the QR code
    device = TOTPDevice.objects.get(user=root, confirmed=False)
    secret = page.split("data-secret>")[1].split("<")[0].replace(" ", "")
    import base64

    assert base64.b32decode(secret + "=" * (-len(secret) % 8)) == device.bin_key


def test_setting_up_the_app_shows_recovery_codes_once_and_opens_the_admin(client, root):
    log_in(client, "root")
    client.get(reverse("mfa_setup"))
    device = TOTPDevice.objects.get(user=root)
    response = client.post(
        reverse("mfa_setup"), {"code": totp_code(device), "next": reverse("admin:index")}
    )
    page = response.content.decode()
    codes = list(StaticToken.objects.filter(device__user=root).values_list("token", flat=True))
    assert len(codes) == 10 and all(code in page for code in codes)
    assert response["Cache-Control"] == "no-store"
    assert client.get(reverse("admin:index")).status_code == 200
    assert AuditEvent.objects.filter(action=AuditAction.MFA_ENABLED, target_id=str(root.pk))
    assert codes[0] not in client.get(reverse("mfa_manage")).content.decode()


def test_a_recovery_code_logs_in_once(client, hilde):
    verified_login(client, hilde)
    codes = client.post(reverse("mfa_recovery_codes")).context["codes"]
    client.post(reverse("logout"))
    log_in(client, "hilde")
    response = give_code(client, codes[0].upper())
    assert response.status_code == 302
    assert client.get(reverse("home")).status_code == 200
    assert AuditEvent.objects.filter(action=AuditAction.RECOVERY_CODE_USED).exists()
    client.post(reverse("logout"))
    log_in(client, "hilde")
    assert give_code(client, codes[0]).status_code == 200  # used up
    assert client.get(reverse("home")).status_code == 302


def test_new_recovery_codes_replace_the_old_ones(client, hilde):
    verified_login(client, hilde)
    old = client.post(reverse("mfa_recovery_codes")).context["codes"]
    new = client.post(reverse("mfa_recovery_codes")).context["codes"]
    stored = set(StaticToken.objects.filter(device__user=hilde).values_list("token", flat=True))
    assert stored == set(new) and not stored & set(old)
    assert AuditEvent.objects.filter(action=AuditAction.RECOVERY_CODES_CREATED).count() == 2


def test_removing_the_app_needs_the_password_again(client, hilde):
    verified_login(client, hilde, recent=False)
    response = client.post(
        reverse("mfa_remove"), HTTP_REFERER="http://testserver/profiel/tweestaps/"
    )
    assert response.status_code == 302 and response.url.startswith(reverse("reauth"))
    assert TOTPDevice.objects.filter(user=hilde).exists()


def test_an_employee_removes_their_app_after_confirming(client, alice):
    TOTPDevice.objects.create(user=alice, name="Telefoon", confirmed=True)
    verified_login(client, alice)
    client.post(reverse("mfa_remove"))
    assert not TOTPDevice.objects.filter(user=alice).exists()
    event = AuditEvent.objects.get(action=AuditAction.MFA_DISABLED)
    assert event.actor == alice and event.detail == {}


def test_anyone_may_choose_two_step_login_and_is_then_asked_for_it(client, alice):
    TOTPDevice.objects.create(user=alice, name="Telefoon", confirmed=True)
    log_in(client, "alice")
    response = client.get(reverse("home"))
    assert response.status_code == 302 and response.url.startswith(reverse("mfa_verify"))


def test_a_colleague_without_a_role_logs_in_with_the_password_alone(client, alice):
    log_in(client, "alice")
    assert client.get(reverse("home")).status_code == 200


def test_a_field_worker_on_a_terminal_keeps_the_pin(client, bob, root):
    bob.set_pin("4826")
    bob.save()
    verified_login(client, root)
    client.post(reverse("terminal_setup"), {"name": "Werkplaats"})
    client.post(reverse("logout"))
    client.post(reverse("pin_login"), {"personnel_number": bob.personnel_number, "pin": "4826"})
    assert client.get(reverse("home")).status_code == 200


def test_a_role_holder_logging_in_with_a_pin_still_gives_a_code(client, root, organisation):
    redacteur = EmployeeFactory(roles=[Role.KUS_EDITORS])
    redacteur.set_pin("4826")
    redacteur.save()
    verified_login(client, root)
    client.post(reverse("terminal_setup"), {"name": "Werkplaats"})
    client.post(reverse("logout"))
    client.post(
        reverse("pin_login"), {"personnel_number": redacteur.personnel_number, "pin": "4826"}
    )
    response = client.get(reverse("home"))
    assert response.status_code == 302 and response.url.startswith(reverse("mfa_setup"))


def test_a_role_given_during_a_session_needs_the_code_before_it_is_used(client, alice):
    from django.contrib.auth.models import Group

    log_in(client, "alice")
    alice.groups.add(Group.objects.get(name=Role.HR))
    response = client.get(reverse("surveys:manage"))
    assert response.status_code == 302 and response.url.startswith(reverse("mfa_setup"))


def test_the_management_guard_itself_asks_for_the_code(rf, hilde):
    """Without the middleware (a page mounted elsewhere, say), the guard still holds."""
    from django.contrib.sessions.backends.db import SessionStore
    from django_otp.middleware import OTPMiddleware

    from workplace.views.management import activation_letters

    request = rf.get(reverse("activation_letters"))
    request.user, request.session = hilde, SessionStore()
    OTPMiddleware(lambda r: None)._install_lazy_accessors(request)
    response = activation_letters(request)
    assert response.status_code == 302 and response.url.startswith(reverse("mfa_setup"))


def test_the_admin_refuses_a_staff_member_without_a_verified_code(rf, root):
    from django.contrib import admin

    request = rf.get("/admin/")
    request.user = root
    root.is_verified = lambda: False
    assert not admin.site.has_permission(request)


def test_the_admin_has_no_login_form_of_its_own(client, root):
    response = client.post(reverse("admin:login"), {"username": "root", "password": PASSWORD})
    assert response.status_code == 302 and response.url.startswith(reverse("login"))
    assert "_auth_user_id" not in client.session


def test_the_admin_does_not_show_anyones_totp_secret(client, root):
    from django.contrib import admin

    assert not admin.site.is_registered(TOTPDevice)
    verified_login(client, root)
    assert client.get("/admin/otp_totp/totpdevice/").status_code == 404


def test_an_administrator_resets_someones_two_step_login(client, root, hilde_with_app):
    hilde, _device = hilde_with_app
    verified_login(client, root)
    response = client.post(
        reverse("admin:workplace_employee_changelist"),
        {"action": "reset_second_factor", "_selected_action": [hilde.pk]},
    )
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=hilde).exists()
    event = AuditEvent.objects.get(action=AuditAction.MFA_DISABLED)
    assert event.actor == root and event.target_id == str(hilde.pk)
    assert event.detail["by_administrator"] is True


def test_a_reset_also_ends_the_verified_state_of_open_sessions(client, root, hilde):
    verified_login(client, hilde)
    assert client.get(reverse("activation_letters")).status_code == 200
    from workplace import mfa

    mfa.remove_second_factor(hilde, by=root)
    response = client.get(reverse("activation_letters"))
    assert response.status_code == 302 and response.url.startswith(reverse("mfa_setup"))
