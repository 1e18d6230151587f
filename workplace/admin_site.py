"""The admin site: staff with a verified second factor only, logging in through the site."""

from __future__ import annotations

from urllib.parse import urlencode

from django.shortcuts import redirect
from django.urls import reverse
from django_otp.admin import OTPAdminSite


class WerkplekAdminSite(OTPAdminSite):
    """django-otp's admin site (staff must be verified), without a login form of its own:
    one login page, with its lock and its second step, is one to keep right."""

    def __init__(self, name: str = "admin"):
        super().__init__(name)

    def login(self, request, extra_context=None):
        target = request.GET.get("next") or reverse("admin:index", current_app=self.name)
        return redirect(f"{reverse('login')}?{urlencode({'next': target})}")
