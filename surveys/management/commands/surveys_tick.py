from __future__ import annotations

from django.core.management.base import BaseCommand

from surveys import actions


class Command(BaseCommand):
    help = "Open and close surveys whose dates have come. Run it every few minutes from cron."

    def handle(self, *args, **options) -> None:
        opened, closed = actions.tick()
        if options["verbosity"] > 0:
            self.stdout.write(f"surveys: {opened} opened, {closed} closed")
