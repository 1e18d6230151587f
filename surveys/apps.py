from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveysConfig(AppConfig):
    name = "surveys"
    verbose_name = _("Surveys")

    def ready(self) -> None:
        from surveys import demo
        from surveys.views.answer import home_panel, manage_panel
        from workplace.demo import register_seeder
        from workplace.shell import HomePanel, register_home_panel

        register_home_panel(
            HomePanel("surveys/includes/home_panel.html", home_panel, 30, todo=True)
        )
        register_home_panel(HomePanel("surveys/includes/home_manage_panel.html", manage_panel, 20))
        register_seeder(60, demo.seed)
