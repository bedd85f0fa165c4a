"""Delete the registrations of events that ended more than REGISTRATION_KEPT_DAYS ago: the
portal keeps no one's details longer than the organisers need them (a daily cron job)."""

from django.core.management.base import BaseCommand

from events.models import REGISTRATION_KEPT_DAYS, Registration


class Command(BaseCommand):
    help = "Delete the registrations of events that ended more than 30 days ago."

    def handle(self, *args, **options):
        deleted, _ = Registration.objects.expired().delete()
        self.stdout.write(
            f"Deleted {deleted} registrations of events that ended over "
            f"{REGISTRATION_KEPT_DAYS} days ago."
        )
