from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KusConfig(AppConfig):
    name = "kus"
    verbose_name = _("KUS")

    def ready(self) -> None:
        from kus import signals
        from search.signals import follow_announcements

        # A publication, a replacement, an archiving or a new audience changes who finds it.
        follow_announcements(
            signals.directive_published,
            signals.directive_superseded,
            signals.directive_archived,
            signals.directive_audience_changed,
        )

        from kus.access import personal_grant_holders
        from kus.demo import seed_directives
        from kus.views.reading import home_panel_context, review_panel_context, to_read_badge
        from workplace.demo import register_seeder
        from workplace.roles import register_user_question
        from workplace.shell import HomePanel, NavItem, register_home_panel, register_nav

        register_user_question("holds_a_personal_kus_grant", personal_grant_holders)
        register_nav(NavItem("kus", _("KUS"), "kus:index", "book", 20, badge=to_read_badge))
        register_home_panel(HomePanel("kus/home_panel.html", home_panel_context, 20, todo=True))
        register_home_panel(HomePanel("kus/home_review_panel.html", review_panel_context, 21))
        register_seeder(20, seed_directives)

        from kus.files import ATTACHMENTS, kind_of
        from kus.models import Attachment
        from workplace.files.existing import StoredFiles, register_stored_files

        def columns(checked) -> dict:
            if checked is None:
                return {"content_type": "application/octet-stream"}
            return {
                "kind": kind_of(checked),
                "content_type": checked.content_type,
                "size": checked.size,
                "sha256": checked.sha256,
            }

        register_stored_files(
            StoredFiles(Attachment, "file", ATTACHMENTS, folder="kus", columns=columns)
        )
