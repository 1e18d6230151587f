from __future__ import annotations

from datetime import timedelta

from django.core.management.base import BaseCommand
from django.utils import timezone, translation

from surveys import actions, results
from surveys.models import Status, Survey


class Command(BaseCommand):
    help = "Open and close surveys whose dates have come. Run it every few minutes from cron."

    def handle(self, *args, **options) -> None:
        started = timezone.now()
        opened, closed = actions.tick()
        # Compute the results of what just closed, so HR's first look is served from the cache.
        just_closed = Survey.objects.filter(status=Status.CLOSED, closes_at__lte=started).filter(
            closes_at__gte=started - timedelta(minutes=30)
        )
        with translation.override("nl"):
            for survey in just_closed:
                for split in [None, *results.SPLITS]:
                    results.build_cached(survey, split)
        if options["verbosity"] > 0:
            self.stdout.write(f"surveys: {opened} opened, {closed} closed")
