import time

from django.core.management.base import BaseCommand

from practices import facet_index


class Command(BaseCommand):
    help = "Rebuild the facet bitmaps of published practices (PostgreSQL; no-op elsewhere)."

    def handle(self, *args, **options):
        started = time.monotonic()
        values = facet_index.refresh_all()
        self.stdout.write(f"Facet index: {values} values in {time.monotonic() - started:.1f} s.")
