from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from kus.export import export_folder
from workplace.models import Employee


class Command(BaseCommand):
    help = "Write every published directive as <number>.md (the kus_import format)."

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)
        parser.add_argument(
            "--as-user",
            default="",
            help="Export only what this username may see (restricted directives stay out).",
        )

    def handle(self, *args, path: Path, as_user: str, **options):
        user = None
        if as_user:
            user = Employee.objects.filter(username=as_user, is_active=True).first()
            if user is None:
                raise CommandError(f"no active user {as_user}")
        written = export_folder(path, user)
        self.stdout.write(f"{len(written)} directives written to {path}")
