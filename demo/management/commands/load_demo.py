from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from demo.data_files import DemoDataError
from demo.loader import demo_usernames, load_demo
from events.models import Event
from practices.models import Practice
from stakeholders.models import Stakeholder


class Command(BaseCommand):
    help = "Load the Nador practice, sample records, a Migration Week and demo accounts."

    def add_arguments(self, parser):
        parser.add_argument(
            "--with-accounts",
            action="store_true",
            help="Create the demo accounts even when DEBUG is off.",
        )

    def handle(self, *args, with_accounts: bool = False, **options):
        make_accounts = settings.DEBUG or with_accounts
        try:
            load_demo(settings.DEMO_PASSWORD if make_accounts else None)
        except DemoDataError as error:
            # The message names the file and record to fix; a traceback would only bury it.
            raise CommandError(f"Demo data not loaded: {error}") from error
        accounts = ", ".join(demo_usernames()) if make_accounts else "no accounts"
        self.stdout.write(
            f"Demo data: {Practice.objects.count()} practices, "
            f"{Stakeholder.objects.count()} stakeholders, {Event.objects.count()} events, "
            f"{accounts}."
        )
