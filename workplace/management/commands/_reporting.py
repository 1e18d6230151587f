"""How the import commands tell what they did."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from workplace.importers import ImportReport


def print_report(command: BaseCommand, report: ImportReport) -> None:
    for error in report.errors:
        command.stderr.write(str(error))
    if report.errors:
        raise CommandError(f"{len(report.errors)} bad row(s); nothing was written.")
    prefix = "[dry run, nothing written] " if report.dry_run else ""
    command.stdout.write(
        command.style.SUCCESS(
            f"{prefix}created {report.created}, updated {report.updated}, "
            f"unchanged {report.unchanged}, deactivated {report.deactivated}"
        )
    )
