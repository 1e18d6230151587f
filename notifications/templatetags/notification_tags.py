from __future__ import annotations

from django import template

from notifications.queries import unread_count

register = template.Library()


@register.inclusion_tag("notifications/includes/bell.html", takes_context=True)
def notification_bell(context) -> dict:
    """The bell with its unread badge, kept live by notifications.js."""
    return {"unread": unread_count(context["request"].user)}
