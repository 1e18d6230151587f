from django.conf import settings
from django.core.management.base import BaseCommand

from workplace.audit import purge_expired


class Command(BaseCommand):
    help = "Delete audit events older than AUDIT_RETENTION_DAYS (run daily)."

    def handle(self, *args, **options) -> None:
        deleted = purge_expired()
        self.stdout.write(
            f"{deleted} audit events older than {settings.AUDIT_RETENTION_DAYS} days deleted."
        )
