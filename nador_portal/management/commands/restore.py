"""Replace the database's content by a backup made with `backup` (`make restore FILE=...`)."""

import subprocess
from pathlib import Path

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.test.utils import override_settings

from nador_portal.management.commands.backup import postgres_environment, uses_postgres


class Command(BaseCommand):
    help = "Restore a backup: pg_restore for a .dump file, flush and loaddata for a JSON file."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument(
            "--no-input", action="store_false", dest="interactive", help="do not ask to confirm"
        )

    def handle(self, *args, file: str, interactive: bool, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"No backup file at {path}")
        if interactive:
            answer = input(f"Replace everything in the database by {path}? Type 'yes': ")
            if answer != "yes":
                raise CommandError("Restore cancelled; nothing changed.")
        if path.suffix == ".dump":
            self.restore_postgres(path)
        else:
            self.restore_json(path)
        self.stdout.write(f"restore: {path} restored")

    def restore_postgres(self, path: Path) -> None:
        if not uses_postgres():
            raise CommandError("A .dump file is a pg_dump archive: restore it on PostgreSQL.")
        command = ["pg_restore", "--clean", "--if-exists", "--no-owner", "--single-transaction"]
        environment = postgres_environment()
        command.append(f"--dbname={environment['PGDATABASE']}")
        subprocess.run([*command, str(path)], env=environment, check=True)  # noqa: S603

    def restore_json(self, path: Path) -> None:
        call_command("migrate", verbosity=0, interactive=False)
        # All or nothing. flush empties every table, then recreates the content types and
        # permissions that the natural keys of the backup point to.
        # The backup holds the history already: loading many-to-many fields must not add to it.
        with transaction.atomic(), override_settings(SIMPLE_HISTORY_ENABLED=False):
            # Inside a larger transaction (the tests), PostgreSQL refuses to TRUNCATE a table
            # with deferred foreign-key checks pending: run them first.
            connection.check_constraints()
            call_command("flush", verbosity=0, interactive=False)
            call_command("loaddata", str(path), verbosity=0)
