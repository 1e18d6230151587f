"""Ways to log in: username or personnel number with a password, or a PIN on a terminal."""

from __future__ import annotations

from django.contrib.auth.backends import ModelBackend

from workplace.models import Employee
from workplace.roles import logged_in_employees


class EmployeeBackend(ModelBackend):
    """Loads the logged-in employee with their department and their roles: nearly every
    page and socket asks for them (audiences, the shell, the second factor, the stream),
    and otherwise pays a query for each."""

    def get_user(self, user_id):
        try:
            user = logged_in_employees().get(pk=user_id)
        except (Employee.DoesNotExist, ValueError, TypeError):
            return None
        return user if self.user_can_authenticate(user) else None


class UsernameOrPersonnelNumberBackend(EmployeeBackend):
    """The login form's ``username`` field takes a username or a personnel number."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if not username or password is None:
            return None
        username = username.strip()
        user = (
            Employee.objects.filter(username=username).first()
            or Employee.objects.filter(personnel_number=username).first()
        )
        if user is None:
            # Hash anyway, so the answer takes as long as for a real employee.
            Employee().set_password(password)
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None


class TerminalPinBackend(EmployeeBackend):
    """Personnel number and PIN, accepted only on a registered shared terminal."""

    def authenticate(self, request, personnel_number=None, pin=None, **kwargs):
        if personnel_number is None or pin is None:
            return None
        if request is None or getattr(request, "terminal", None) is None:
            return None
        user = Employee.objects.filter(personnel_number=personnel_number.strip()).first()
        if user is None:
            Employee().set_pin(pin)
            return None
        if user.check_pin(pin) and self.user_can_authenticate(user):
            return user
        return None
