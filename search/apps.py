from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "search"
    verbose_name = _("Search")

    def ready(self) -> None:
        from search import signals
        from workplace.shell import NavItem, register_nav

        # Replaces the foundation's entry (the people directory): one search for everything.
        register_nav(NavItem("search", _("Search"), "search", "search", 40))
        signals.connect_app_signals()
