"""Write a date-stamped copy of the database into backups/ (`make backup`)."""

import subprocess
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import connection
from django.utils import timezone

# Rebuilt by `migrate` from the code; with natural keys the rest of the dump does not need them.
EXCLUDED = ["contenttypes", "auth.permission", "sessions"]


def postgres_environment() -> dict[str, str]:
    """libpq variables for pg_dump/pg_restore, so the password never shows in `ps`."""
    import os

    database = connection.settings_dict
    variables = {
        "PGDATABASE": database["NAME"],
        "PGUSER": database.get("USER") or "",
        "PGPASSWORD": database.get("PASSWORD") or "",
        "PGHOST": database.get("HOST") or "",
        "PGPORT": str(database.get("PORT") or ""),
    }
    return {**os.environ, **{key: value for key, value in variables.items() if value}}


def uses_postgres() -> bool:
    return connection.vendor == "postgresql"


class Command(BaseCommand):
    help = "Back up the database: pg_dump on PostgreSQL, dumpdata (natural keys) otherwise."

    def add_arguments(self, parser):
        parser.add_argument("--directory", default=str(settings.BASE_DIR / "backups"))
        parser.add_argument(
            "--format",
            choices=["native", "json"],
            default="native",
            help="native: pg_dump custom format on PostgreSQL, JSON elsewhere; json: always JSON",
        )

    def handle(self, *args, directory: str, format: str, **options):
        folder = Path(directory)
        folder.mkdir(parents=True, exist_ok=True)
        stamp = timezone.now().strftime("%Y%m%d-%H%M%S")
        if format == "native" and uses_postgres():
            target = folder / f"nador-{stamp}.dump"
            command = ["pg_dump", "--format=custom", "--no-owner", f"--file={target}"]
            subprocess.run(command, env=postgres_environment(), check=True)  # noqa: S603
        else:
            target = folder / f"nador-{stamp}.json.gz"
            call_command(
                "dumpdata",
                natural_foreign=True,
                natural_primary=True,
                exclude=EXCLUDED,
                output=str(target),
                verbosity=0,
            )
        self.stdout.write(f"backup: {target} ({target.stat().st_size} bytes)")
