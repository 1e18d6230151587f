from __future__ import annotations

from django.core.management.base import BaseCommand

from kus import actions


class Command(BaseCommand):
    help = "Archive expired directives and remind owners of reviews (run once a day)."

    def handle(self, *args, **options):
        archived = actions.archive_expired()
        reminded = actions.send_review_reminders()
        self.stdout.write(f"{archived} archived, {reminded} review reminders")
