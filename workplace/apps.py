from pathlib import Path

from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class WerkplekAdminConfig(admin_apps.AdminConfig):
    """The Django admin on a site that needs a verified second factor."""

    default = False  # named in INSTALLED_APPS; WorkplaceConfig stays this module's default
    default_site = "workplace.admin_site.WerkplekAdminSite"


class WorkplaceConfig(AppConfig):
    name = "workplace"
    verbose_name = _("Workplace")

    def ready(self) -> None:
        from django.conf import settings

        from workplace import audit_receivers, lockout, mfa, signals  # noqa: F401

        # The embedded database lives in the data directory, and WhiteNoise warns at
        # start-up without a static folder: both exist before anything is served.
        Path(settings.DATA_DIR).mkdir(parents=True, exist_ok=True)
        Path(settings.STATIC_ROOT).mkdir(exist_ok=True)

        from workplace.shell import NavItem, register_nav

        register_nav(NavItem("home", _("Home"), "home", "home", 10))
        # The search module replaces this entry with its own search over everything.
        register_nav(NavItem("search", _("Search"), "people", "search", 40))
        register_nav(NavItem("more", _("More"), "more", "more", 50))

        # The socket's own frames; every app registers its own the same way.
        from workplace import consumers, events, realtime

        realtime.register_events(events.SessionEndEvent, events.PongEvent, events.ErrorEvent)
        realtime.register_frame(events.PingFrame, consumers.pong)

        from workplace.files import AVATARS
        from workplace.files.existing import StoredFiles, register_stored_files
        from workplace.models import Employee

        register_stored_files(
            StoredFiles(Employee, "avatar", AVATARS, folder="avatars", drop_refused=True)
        )
