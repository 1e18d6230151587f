"""Fetch and authorize a notification in one call."""

from __future__ import annotations

from django.shortcuts import get_object_or_404

from notifications.models import Notification
from notifications.queries import for_user
from workplace.models import Employee


def access_notification(user: Employee, notification_id: int) -> Notification:
    """One of the user's own listed notifications; Http404 for anyone else's, or one
    whose target is no longer listed (a hidden post)."""
    return get_object_or_404(for_user(user), pk=notification_id)
