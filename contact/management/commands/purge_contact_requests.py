from django.core.management.base import BaseCommand

from contact.models import ContactRequest


class Command(BaseCommand):
    help = "Deletes visitors' messages older than CONTACT_RETENTION_DAYS (twelve months)."

    def handle(self, *args, **options) -> None:
        deleted, _rows = ContactRequest.objects.expired().delete()
        self.stdout.write(f"Deleted {deleted} contact requests past their keeping time.")
