from __future__ import annotations

from django.urls import path

from notifications import api, views

# The paths are those of the streams era (people keep links to them).
urlpatterns = [
    path("meldingen/", views.notification_list, name="notifications"),
    path("meldingen/gelezen/", views.notifications_read, name="notifications_read"),
    path("meldingen/voorkeuren/", views.preferences, name="preferences"),
    path("meldingen/<int:notification_id>/", views.notification_open, name="notification"),
    path("api/v1/notifications/", api.notification_list, name="api_notifications"),
]

urlpatterns += [
    path("meldingen/voorkeuren/sms/", views.sms_number, name="sms_number"),
    path("meldingen/voorkeuren/sms/bevestigen/", views.sms_confirm, name="sms_confirm"),
    path("meldingen/voorkeuren/sms/verwijderen/", views.sms_remove, name="sms_remove"),
]
