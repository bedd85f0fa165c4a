"""Write a date-stamped backup of the database into backups/ (`make backup`)."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from nador_portal import backups


class Command(BaseCommand):
    help = (
        "Back up the database into one tar file (manifest.json and the data: pg_dump on "
        "PostgreSQL, dumpdata with natural keys otherwise), 0600 in a 0700 folder, without "
        "sessions, cache rows or sign-in lockouts."
    )

    def add_arguments(self, parser):
        parser.add_argument("--directory", default=str(settings.BASE_DIR / "backups"))
        parser.add_argument(
            "--format",
            choices=["native", "json"],
            default="native",
            help="native: pg_dump custom format on PostgreSQL, JSON elsewhere; json: always JSON",
        )

    def handle(self, *args, directory: str, format: str, **options):
        native = format == "native" and backups.uses_postgres()
        target = backups.write_backup(Path(directory), native=native)
        self.stdout.write(f"backup: {target} ({target.stat().st_size} bytes)")
