"""Replace the database's content by a backup made with `backup` (`make restore FILE=...`)."""

from datetime import datetime
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from nador_portal import backups


def described(figures: dict[str, int]) -> str:
    return ", ".join(f"{count} {name}" for name, count in figures.items())


class Command(BaseCommand):
    help = (
        "Restore a backup made by `backup`, all or nothing, after checking that the file is a "
        "backup of this portal at this schema (exit code 2 and one sentence otherwise). "
        "Sessions and the cache are emptied."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument(
            "--no-input", action="store_false", dest="interactive", help="do not ask to confirm"
        )

    def handle(self, *args, file: str, interactive: bool, **options):
        path = Path(file)
        with backups.opened(path) as backup:
            made = datetime.fromisoformat(backup.manifest["created_at"])
            summary = f"backup of {made:%Y-%m-%d %H:%M %Z}".strip()
            if interactive:
                question = (
                    f"Replace everything in the database by {path} ({summary}: "
                    f"{described(backup.manifest['counts'])})? Type 'yes': "
                )
                if input(question) != "yes":
                    raise CommandError("Restore cancelled; nothing changed.")
            figures = backups.restore(backup)
        self.stdout.write(
            f"restore: {path} restored ({summary}): {described(figures)}; "
            "sessions and cache emptied, everyone signs in again"
        )
