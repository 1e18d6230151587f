from __future__ import annotations

from django.core.management.base import BaseCommand

from workplace import audit
from workplace.files.existing import secure_stored_files


class Command(BaseCommand):
    help = (
        "Re-check every stored user file as a new upload is checked: images re-encoded "
        "without metadata (EXIF GPS), random names, refused types kept only as downloads. "
        "Run once after deploying; running it again only touches what is left."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--dry-run", action="store_true", help="Report what would change; change nothing."
        )

    def handle(self, *args, dry_run: bool = False, **options) -> None:
        report = secure_stored_files(dry_run=dry_run)
        for label, counts in sorted(report.by_field.items()):
            line = ", ".join(f"{outcome} {count}" for outcome, count in sorted(counts.items()))
            self.stdout.write(f"{label}: {line}")
        summary = (
            f"secured {report.secured}, kept as download {report.kept_as_download}, "
            f"dropped {report.dropped}, missing {report.missing}, already done {report.already}"
        )
        if dry_run:
            self.stdout.write(f"[dry run, nothing changed] {summary}")
            return
        changed = report.secured + report.kept_as_download + report.dropped
        if changed:
            audit.record(audit.AuditAction.FILES_SECURED, **report.as_dict())
        self.stdout.write(self.style.SUCCESS(summary))
