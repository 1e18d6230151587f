from django.core.management.base import BaseCommand, CommandError

from workplace.importers import CsvFileError, import_departments
from workplace.management.commands._reporting import print_report


class Command(BaseCommand):
    help = (
        "Import departments from a CSV file with the columns code, name, parent_code, or "
        "in Dutch code, naam, bovenliggende_code (docs/imports.md)."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument(
            "--dry-run", action="store_true", help="Check and count, write nothing."
        )

    def handle(self, *args, **options):
        try:
            report = import_departments(options["file"], dry_run=options["dry_run"])
        except CsvFileError as error:
            raise CommandError(str(error)) from None
        print_report(self, report)
