"""How the import commands tell what they did."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from workplace.importers import ImportReport


def print_report(command: BaseCommand, report: ImportReport) -> None:
    for error in report.errors:
        command.stderr.write(str(error))
    if report.errors:
        raise CommandError(
            _("%(count)d bad row(s); nothing was written.") % {"count": len(report.errors)}
        )
    summary = _(
        "created %(created)d, updated %(updated)d, unchanged %(unchanged)d, "
        "deactivated %(deactivated)d"
    ) % {
        "created": report.created,
        "updated": report.updated,
        "unchanged": report.unchanged,
        "deactivated": report.deactivated,
    }
    if report.dry_run:
        summary = _("[dry run, nothing written] %(summary)s") % {"summary": summary}
    command.stdout.write(command.style.SUCCESS(summary))
