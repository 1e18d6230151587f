from __future__ import annotations

from django.urls import path

from notifications import api, push, views

# The paths are those of the streams era (people keep links to them).
urlpatterns = [
    path("meldingen/", views.notification_list, name="notifications"),
    path("meldingen/gelezen/", views.notifications_read, name="notifications_read"),
    path("meldingen/voorkeuren/", views.preferences, name="preferences"),
    path("meldingen/<int:notification_id>/", views.notification_open, name="notification"),
    path("api/v1/notifications/", api.notification_list, name="api_notifications"),
    # Web Push (docs/notifications-push.md): the worker at the root, for the whole site's scope.
    path("sw.js", push.service_worker, name="service_worker"),
    path("api/v1/push/key", push.key_view, name="api_push_key"),
    path("api/v1/push/subscriptions/", push.subscriptions_view, name="api_push_subscriptions"),
]
