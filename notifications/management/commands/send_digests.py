from __future__ import annotations

from django.core.management.base import BaseCommand

from notifications.digests import send_digests


class Command(BaseCommand):
    help = "Send the e-mail digests that are due now (the job does this every 15 minutes)."

    def handle(self, *args, **options) -> None:
        sent = send_digests()
        self.stdout.write(f"{sent} digest(s) sent")
