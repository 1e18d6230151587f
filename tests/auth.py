"""Logging in from tests the way the site does: through axes, and with a second factor."""

from __future__ import annotations

from django.contrib.auth import authenticate
from django.http import HttpRequest
from django.test import Client


class WerkplekClient(Client):
    """``client.login()`` through the whole authentication path.

    Django's test client authenticates without a request, which axes (rightly)
    refuses: here it gets one, from a fixed test address, so that lockouts
    apply to test logins exactly as to real ones."""

    address = "127.0.0.1"

    def login(self, **credentials) -> bool:
        request = HttpRequest()
        request.method = "POST"
        request.path = request.path_info = "/accounts/login/"
        request.META["REMOTE_ADDR"] = self.address
        user = authenticate(request, **credentials)
        if user is None:
            return False
        self._login(user)
        return True


def verified_login(client: Client, user, *, recent: bool = True) -> None:
    """Log in as a user who has done everything the login asks: the password and, where
    the account needs one (``mfa``), the code of an authenticator app.

    The app is a real django-otp device and the session is marked verified through
    django-otp's own ``login()``; ``recent`` also counts the password (and code) as just
    given, which the sensitive pages (``reauth``) ask for."""
    import django_otp
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from workplace import mfa, reauth
    from workplace.models import Employee

    if isinstance(user, str):
        user = Employee.objects.get(username=user)
    client.force_login(user)
    request = HttpRequest()
    request.session = client.session
    request.user = user
    if mfa.requires_second_factor(user) or mfa.has_second_factor(user):
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
        if device is None:
            device = TOTPDevice.objects.create(user=user, name="Testtoestel", confirmed=True)
        django_otp.login(request, device)
        if recent:
            reauth.note_second_factor(request)
    if recent:
        reauth.note_password(request)
    request.session.save()


def totp_code(device, *, after_last_use: bool = True) -> str:
    """The code the app shows now (or in the next step, if the current one was used:
    django-otp accepts each code only once)."""
    import time

    from django_otp.oath import TOTP

    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time()
    if after_last_use and device.last_t is not None and totp.t() <= device.last_t:
        totp.time += device.step * (device.last_t - totp.t() + 1)
    return f"{totp.token():0{device.digits}d}"
