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
