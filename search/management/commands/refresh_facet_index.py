import time

from django.core.management.base import BaseCommand

from search import bitmap_index


class Command(BaseCommand):
    help = "Rebuild the facet bitmaps of published practices (PostgreSQL; no-op elsewhere)."

    def handle(self, *args, **options):
        started = time.monotonic()
        values = bitmap_index.refresh_all()
        self.stdout.write(f"Facet index: {values} values in {time.monotonic() - started:.1f} s.")
