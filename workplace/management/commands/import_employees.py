from django.core.management.base import BaseCommand, CommandError

from workplace.importers import MAX_DEACTIVATE_SHARE, CsvFileError, import_employees
from workplace.management.commands._reporting import print_report


class Command(BaseCommand):
    help = (
        "Import employees from a CSV file with the columns personnel_number, first_name, "
        "last_name, email, department_code, job_title, site, field_worker, mobile and "
        "optionally shift, or in Dutch personeelsnummer, voornaam, achternaam, e-mail, "
        "afdeling, functie, werklocatie, veldwerker, gsm and rooster (case, accents and "
        "spaces do not matter; docs/imports.md)."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument(
            "--dry-run", action="store_true", help="Check and count, write nothing."
        )
        parser.add_argument(
            "--deactivate-missing",
            action="store_true",
            help="Deactivate active employees whose personnel number is not in the file.",
        )
        parser.add_argument(
            "--max-deactivate-percent",
            type=float,
            default=100 * MAX_DEACTIVATE_SHARE,
            help="With --deactivate-missing: refuse to deactivate more than this share of the "
            "active staff (default %(default)d %%), unless --force.",
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="With --deactivate-missing: deactivate however many are missing.",
        )
        parser.add_argument(
            "--no-welcome",
            action="store_true",
            help="Do not welcome new employees in their department's stream (the first import).",
        )

    def handle(self, *args, **options):
        try:
            report = import_employees(
                options["file"],
                dry_run=options["dry_run"],
                deactivate_missing=options["deactivate_missing"],
                announce_new=not options["no_welcome"],
                max_deactivate_share=options["max_deactivate_percent"] / 100,
                force=options["force"],
            )
        except CsvFileError as error:
            raise CommandError(str(error)) from None
        print_report(self, report)
