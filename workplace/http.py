"""Request types for views behind Werkplek's middleware.

Django types ``request.user`` as ``Employee | AnonymousUser``; behind
``login_required`` (and ``staff_required``, ``role_required``,
``recent_auth_required``, ``api_view``) it is always an employee. Annotate such
a view's request as ``AuthenticatedRequest`` so that the type says so. It is
only a type: at run time the request is Django's ``HttpRequest``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import HttpRequest

if TYPE_CHECKING:
    from workplace.models import Employee, Terminal


class WerkplekRequest(HttpRequest):
    """Any request: ``TerminalMiddleware`` sets ``terminal`` (None off a shared terminal);
    an error page sets ``error_page`` (the shell then skips its badge queries)."""

    terminal: Terminal | None
    error_page: bool


class AuthenticatedRequest(WerkplekRequest):
    """A request by a logged-in employee (the view requires a login)."""

    user: Employee
