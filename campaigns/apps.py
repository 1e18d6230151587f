from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CampaignsConfig(AppConfig):
    name = "campaigns"
    verbose_name = _("Campaigns")

    def ready(self) -> None:
        from django.urls import reverse

        from campaigns import access, directives, signals
        from campaigns.demo import seed_campaigns
        from campaigns.models import Announcement
        from campaigns.stream import decorate_cards
        from campaigns.views.reading import editor_panel, pinned_panel, todo_panel
        from kus import signals as kus_signals
        from notifications.targets import register_target
        from search.signals import follow_announcements
        from streams.display import register_card
        from streams.models import Verb
        from workplace.demo import register_seeder
        from workplace.roles import register_user_question
        from workplace.shell import HomePanel, ObjectLink, register_home_panel, register_object_link

        register_user_question("communicates_for_a_department", access.department_communicators)
        register_home_panel(HomePanel("campaigns/includes/pinned_panel.html", pinned_panel, 3))
        register_home_panel(HomePanel("campaigns/includes/editor_panel.html", editor_panel, 6))
        register_home_panel(
            HomePanel("campaigns/includes/todo_panel.html", todo_panel, 25, todo=True)
        )
        # A withdrawn announcement takes its notifications off the list.
        register_target(Announcement, listed=lambda: access.published())
        register_card(Verb.ANNOUNCED, decorate_cards)
        register_card(Verb.DIRECTIVE_PUBLISHED, directives.decorate_cards)
        register_card(Verb.DIRECTIVE_VERSION, directives.decorate_cards)
        kus_signals.directive_published.connect(directives.directive_published)
        kus_signals.directive_read.connect(directives.directive_read)
        register_object_link("directive", ObjectLink(_("Reach"), directives.reach_link))
        register_object_link(
            "more", ObjectLink(_("Announcements"), lambda user: reverse("campaigns:announcements"))
        )
        register_object_link(
            "more",
            ObjectLink(
                _("Campaigns and calendar"),
                lambda user: reverse("campaigns:campaigns") if access.is_editor(user) else "",
            ),
        )
        # Under the stream's composer: announcements are written here, with an audience.
        register_object_link(
            "composer",
            ObjectLink(
                _("Write an announcement: any audience, scheduled, with its reach"),
                lambda user: (
                    reverse("campaigns:announcement_new") if access.is_editor(user) else ""
                ),
            ),
        )
        follow_announcements(signals.announcement_changed)
        register_seeder(70, seed_campaigns)
