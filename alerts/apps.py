from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AlertsConfig(AppConfig):
    name = "alerts"
    verbose_name = _("Urgent messages")

    def ready(self) -> None:
        from alerts import events
        from alerts.views import banner, home_panel
        from workplace import realtime
        from workplace.shell import HomePanel, PageNotice, register_home_panel, register_page_notice

        register_page_notice(PageNotice("alerts/includes/banner.html", banner, order=10, todo=True))
        register_home_panel(HomePanel("alerts/includes/home_panel.html", home_panel, order=5))
        realtime.register_events(events.AlertProgressEvent)
        realtime.register_visibility(events.senders_only, events.AlertProgressEvent)
