"""The audit log: who did what security-relevant thing, when, from where — never editable."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from guardian.shortcuts import assign_perm, remove_perm

from tests.auth import verified_login
from tests.factories import EmployeeFactory
from workplace.models import AuditAction, AuditEvent
from workplace.roles import Role

PASSWORD = "Correct-horse-9"


@pytest.fixture
def admin_user(organisation):
    return EmployeeFactory(
        username="root", is_staff=True, is_superuser=True, department=organisation["civil"]
    )


def test_it_records_a_login_with_the_client_address(client, alice):
    alice.set_password(PASSWORD)
    alice.save()
    credentials = {"username": "alice", "password": PASSWORD}
    client.post(reverse("login"), credentials, REMOTE_ADDR="10.1.2.3")
    event = AuditEvent.objects.get(action=AuditAction.LOGIN)
    assert event.actor == alice
    assert event.ip_address == "10.1.2.3"


def test_it_records_a_failed_login_without_the_password(client, alice):
    client.post(reverse("login"), {"username": "alice", "password": "guess-1234"})
    event = AuditEvent.objects.get(action=AuditAction.LOGIN_FAILED)
    assert event.target_id == str(alice.pk)
    assert event.actor is None
    assert "guess-1234" not in str(event.detail) + event.target_label


def test_behind_a_trusted_proxy_it_takes_the_address_the_proxy_saw(client, alice, settings):
    settings.PROXY_COUNT = 1
    client.post(
        reverse("login"),
        {"username": "alice", "password": "wrong"},
        REMOTE_ADDR="127.0.0.1",
        HTTP_X_FORWARDED_FOR="6.6.6.6, 192.0.2.7",
    )
    assert AuditEvent.objects.get(action=AuditAction.LOGIN_FAILED).ip_address == "192.0.2.7"


def test_it_records_who_gave_whom_a_role_in_the_admin(client, admin_user, alice):
    verified_login(client, admin_user)
    hr = Group.objects.get(name=Role.HR)
    response = client.post(
        reverse("admin:workplace_employee_change", args=[alice.pk]),
        _admin_form(alice, groups=[hr.pk, *alice.groups.values_list("pk", flat=True)]),
    )
    assert response.status_code == 302, response.content[:2000]
    event = AuditEvent.objects.get(action=AuditAction.ROLE_CHANGED, target_id=str(alice.pk))
    assert event.actor == admin_user
    assert event.detail == {"added": ["HR"]}


def test_department_moves_are_not_mistaken_for_rights(alice, organisation):
    alice.department = organisation["civil"]
    alice.save()
    assert not AuditEvent.objects.filter(action=AuditAction.ROLE_CHANGED).exists()


def test_it_records_making_someone_a_superuser(alice):
    alice.is_superuser = True
    alice.save()
    event = AuditEvent.objects.get(action=AuditAction.ROLE_CHANGED)
    assert event.detail == {"is_superuser": True}


def test_it_records_object_permission_grants_and_revocations(alice, organisation):
    assign_perm("workplace.change_department", alice, organisation["civil"])
    remove_perm("workplace.change_department", alice, organisation["civil"])
    changes = list(
        AuditEvent.objects.filter(action=AuditAction.PERMISSION_CHANGED)
        .order_by("id")
        .values_list("detail__change", flat=True)
    )
    assert changes == ["granted", "revoked"]


def test_an_audit_event_cannot_be_changed(alice):
    alice.is_staff = True
    alice.save()
    event = AuditEvent.objects.get()
    event.target_label = "someone else"
    with pytest.raises(ValidationError):
        event.save()


def test_the_admin_shows_the_log_to_administrators_read_only(client, admin_user, alice):
    alice.is_staff = True
    alice.save()
    verified_login(client, admin_user)
    listing = client.get(reverse("admin:workplace_auditevent_changelist"))
    assert listing.status_code == 200
    event = AuditEvent.objects.first()
    assert client.get(reverse("admin:workplace_auditevent_add")).status_code == 403
    delete_url = reverse("admin:workplace_auditevent_delete", args=[event.pk])
    assert client.post(delete_url).status_code == 403


def test_staff_who_are_not_administrators_cannot_read_it(client, alice):
    alice.is_staff = True
    alice.save()
    verified_login(client, alice)
    assert client.get(reverse("admin:workplace_auditevent_changelist")).status_code == 403


def test_old_events_are_purged_after_the_retention_period(alice, settings):
    settings.AUDIT_RETENTION_DAYS = 30
    alice.is_staff = True
    alice.save()
    AuditEvent.objects.update(created=timezone.now() - timedelta(days=31))
    alice.is_staff = False
    alice.save()
    call_command("audit_purge", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert AuditEvent.objects.count() == 1


def _admin_form(employee, **overrides):
    data = {
        "username": employee.username,
        "personnel_number": employee.personnel_number,
        "first_name": employee.first_name,
        "last_name": employee.last_name,
        "language": employee.language,
        "department": employee.department_id or "",
        "job_title": employee.job_title,
        "site": "",
        "email": employee.email,
        "is_active": "on",
        "date_joined_0": employee.date_joined.strftime("%Y-%m-%d"),
        "date_joined_1": employee.date_joined.strftime("%H:%M:%S"),
        "initial-date_joined_0": employee.date_joined.strftime("%Y-%m-%d"),
        "initial-date_joined_1": employee.date_joined.strftime("%H:%M:%S"),
    }
    data.update({key: value for key, value in overrides.items()})
    return data
