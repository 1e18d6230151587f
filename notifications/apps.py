from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = _("Notifications")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_out

        from notifications import events
        from notifications.push import forget_on_logout
        from workplace import realtime

        realtime.register_events(events.NotificationEvent)
        user_logged_out.connect(forget_on_logout, dispatch_uid="notifications.push.logout")
