from __future__ import annotations

from django.urls import path

from notifications import api, push, views

# The paths are those of the streams era (people keep links to them).
urlpatterns = [
    path("meldingen/", views.notification_list, name="notifications"),
    path("meldingen/gelezen/", views.notifications_read, name="notifications_read"),
    path("meldingen/voorkeuren/", views.preferences, name="preferences"),
    path("meldingen/voorkeuren/werkuren/", views.working_hours, name="working_hours"),
    path("meldingen/test/", views.test_notification, name="test_notification"),
    path("meldingen/<int:notification_id>/", views.notification_open, name="notification"),
    path("api/v1/notifications/", api.notification_list, name="api_notifications"),
    path("api/v1/notifications/test", api.test_notification, name="api_notifications_test"),
    # Web Push (docs/notifications-push.md): the worker at the root, for the whole site's scope.
    path("sw.js", push.service_worker, name="service_worker"),
    path("api/v1/push/key", push.key_view, name="api_push_key"),
    path("api/v1/push/subscriptions/", push.subscriptions_view, name="api_push_subscriptions"),
]

urlpatterns += [
    path("meldingen/voorkeuren/e-mail/adres/", views.email_address_add, name="email_address_add"),
    path(
        "meldingen/voorkeuren/e-mail/bevestigen/<str:token>/",
        views.email_address_confirm,
        name="email_confirm",
    ),
    path(
        "meldingen/voorkeuren/e-mail/verwijderen/",
        views.email_address_remove,
        name="email_address_remove",
    ),
    path(
        "meldingen/voorkeuren/e-mail/gebruiken/", views.email_address_use, name="email_address_use"
    ),
    path("meldingen/voorkeuren/e-mail/samenvatting/", views.email_digest, name="email_digest"),
    path(
        "meldingen/voorkeuren/e-mail/uitschrijven/<str:token>/",
        views.email_unsubscribe,
        name="email_unsubscribe",
    ),
]

urlpatterns += [
    path("meldingen/voorkeuren/sms/", views.sms_number, name="sms_number"),
    path("meldingen/voorkeuren/sms/bevestigen/", views.sms_confirm, name="sms_confirm"),
    path("meldingen/voorkeuren/sms/verwijderen/", views.sms_remove, name="sms_remove"),
]
