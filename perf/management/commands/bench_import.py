import json
from pathlib import Path

from django.core.management.base import BaseCommand

from perf import import_bench


class Command(BaseCommand):
    help = (
        "Time the import of the portal's own export of N practices (half updated, half new), "
        "dry run and import, each in a child process with its peak RSS, then the same by two "
        "stock resources of django-import-export, as peers (perf/import_bench.py)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--practices", type=int, default=10_000)
        parser.add_argument("--output", default="", help="A JSON file for the figures.")
        parser.add_argument("--child", default="", help="Internal: the file to import.")
        parser.add_argument("--dry-run", action="store_true", help="Internal, with --child.")
        parser.add_argument(
            "--importer",
            choices=sorted(import_bench.IMPORTERS),
            default="portal",
            help="Internal, with --child.",
        )
        parser.add_argument(
            "--no-stock", action="store_true", help="Leave out the stock peers (minutes at 10k)."
        )

    def handle(self, *args, practices, output, child, dry_run, importer, no_stock, **options):
        if child:
            self.stdout.write(json.dumps(import_bench.child(child, dry_run, importer)))
            return
        results = import_bench.run(practices, report=self.stdout.write, stock=not no_stock)
        if output:
            Path(output).write_text(json.dumps(results, indent=2))
