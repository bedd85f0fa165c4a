from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from reports.exports import EXPORT_TYPES
from reports.imports import run_import
from reports.management.progress import ProgressBar


class Command(BaseCommand):
    help = (
        "Import practices, stakeholders or events from a CSV or XLSX file: every row in one "
        "transaction, or none when any row has a problem."
    )

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=list(EXPORT_TYPES))
        parser.add_argument("path", type=Path)
        parser.add_argument(
            "--dry-run", action="store_true", help="Check the file and report; write nothing."
        )

    def handle(self, *args, kind: str, path: Path, dry_run: bool, **options):
        try:
            # The open file, not its bytes: a CSV is read a chunk at a time.
            file = path.open("rb")
        except OSError as error:
            raise CommandError(f"Cannot read {path}: {error.strerror}") from None
        progress = ProgressBar(self.stderr._out)
        with file:
            report = run_import(kind, file, path.name, dry_run=dry_run, progress=progress)
        progress.finish()
        for problem in report.problems:
            self.stderr.write(str(problem))
        if report.problems_not_shown:
            self.stderr.write(report.not_shown_message())
        if not report.ok:
            raise CommandError(report.summary())
        self.stdout.write(report.summary())
