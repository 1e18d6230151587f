from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "search"
    verbose_name = _("Search")

    def ready(self) -> None:
        from search import signals
        from search.health import index_state
        from workplace.health import register_check
        from workplace.shell import NavItem, register_nav

        register_check("search", index_state)

        # Replaces the foundation's entry (the people directory): one search for everything.
        register_nav(NavItem("search", _("Search"), "search:index", "search", 40))
        signals.connect_index_dependencies()
