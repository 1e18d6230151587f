from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from workplace import demo


class Command(BaseCommand):
    help = "Fill the database with a realistic Ghent organisation and demo logins (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-empty", action="store_true", help="Only when there are no departments yet."
        )

    def handle(self, *args, **options):
        from workplace.models import Department

        if not settings.DEMO_DATA_ALLOWED:
            # The demo logins have a published password and full rights: seeding a real
            # database would hand its administrator account to anyone who read the README.
            # DEMO_DATA_ALLOWED follows DEBUG; tests and benchmarks, which run without
            # DEBUG on a throw-away database, set it (tests/settings.py).
            raise CommandError("The demo data is for development only: set DEBUG=true.")

        if options["if_empty"] and Department.objects.exists():
            self.stdout.write("Demo data already present; not seeding again.")
        else:
            demo.seed()
        self.stdout.write(
            self.style.SUCCESS("Demo data ready. Log in at http://127.0.0.1:8000/ as:")
        )
        for login in demo.DEMO_LOGINS:
            self.stdout.write(
                f"  {login.username:<14} {demo.DEMO_PASSWORD}   ({login.description})"
            )
        self.stdout.write(
            f"  The field worker 'terrein' has personnel number 100006 and PIN {demo.DEMO_PIN} "
            "for shared terminals (register one under Meer > Gedeelde terminal, as admin)."
        )
