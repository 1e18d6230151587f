from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from kus.legacy import Importer


class Command(BaseCommand):
    help = "Import a folder of legacy directives (.md with front matter, .txt, .html, .docx, .pdf)."

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)
        parser.add_argument("--dry-run", action="store_true", help="Report, change nothing.")
        parser.add_argument(
            "--department", default="", help="Owner department code for files without one."
        )
        parser.add_argument("--category", default="", help="Category for files without one.")
        parser.add_argument(
            "--publish",
            action="store_true",
            help="Publish at once (the import stands in for the approval), announced as one "
            "batch; without it every file becomes a draft for two editors to approve.",
        )
        parser.add_argument(
            "--request-acknowledgement",
            action="store_true",
            help="With --publish: ask the audiences to acknowledge what requires it.",
        )

    def handle(self, *args, path: Path, dry_run: bool, department: str, category: str, **options):
        if not path.exists():
            raise CommandError(f"{path} does not exist")
        publish, request_ack = options["publish"], options["request_acknowledgement"]
        if request_ack and not publish:
            raise CommandError("--request-acknowledgement needs --publish (drafts ask nobody)")
        report = Importer(
            path,
            department=department,
            category=category,
            dry_run=dry_run,
            publish=publish,
            request_ack=request_ack,
        ).run()
        verb = "would be " if dry_run else ""
        for label, items in (
            ("created", report.created),
            ("updated (new version)", report.updated),
            ("unchanged", report.unchanged),
        ):
            for item in items:
                self.stdout.write(f"{verb}{label}: {item}")
        for path_, reason in report.warnings:
            self.stdout.write(self.style.WARNING(f"warning: {path_}: {reason}"))
        for path_, reason in report.errors:
            self.stderr.write(self.style.ERROR(f"error: {path_}: {reason}"))
        self.stdout.write(
            f"{len(report.created)} {verb}created, {len(report.updated)} {verb}updated, "
            f"{len(report.unchanged)} unchanged, {len(report.errors)} with errors"
        )
        if report.errors:
            raise CommandError(f"{len(report.errors)} file(s) could not be imported")
