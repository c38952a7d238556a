from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from tenants.demo import demo_seed


class Command(BaseCommand):
    help = "Create the demo regencies (Sumedang, Kendari) and their logins if missing, then print them."

    def add_arguments(self, parser):
        parser.add_argument(
            "--history",
            action="store_true",
            help="New regencies also get last month's attendance, with every working day closed.",
        )

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("demo_seed creates well-known passwords; it only runs with DEBUG on.")
        logins = demo_seed(history=options["history"])
        self.stdout.write("\ne-Office Nusantara is running:\n")
        for login in logins:
            self.stdout.write(f"  {login.url:<38} {login.role:<12} {login.login:<20} {login.password}")
        self.stdout.write("")
