import time

from django.core.management.base import BaseCommand, CommandError

from perf import benchdata


class Command(BaseCommand):
    help = "Write a large, deterministic sample data set for `make bench` (slugs bench-...)."

    def add_arguments(self, parser):
        parser.add_argument("--practices", type=int, default=10_000)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--clear", action="store_true", help="Delete earlier bench data first.")
        parser.add_argument(
            "--reuse",
            action="store_true",
            help="Do nothing when exactly this many bench practices exist; else start afresh.",
        )

    def handle(self, *args, practices: int, seed: int, clear: bool, reuse: bool, **options):
        if practices < 0:
            raise CommandError("--practices must be 0 or more.")
        if reuse:
            existing = benchdata.bench_practices().count()
            if existing == practices:
                self.stdout.write(f"Reusing the {existing} bench practices already there.")
                return
            clear = True
        started = time.monotonic()
        if clear:
            deleted = benchdata.clear()
            self.stdout.write(f"Deleted {deleted} bench practices.")
        if practices == 0:
            return
        counts = benchdata.generate(practices, seed=seed, report=self.stdout.write)
        summary = ", ".join(f"{value} {name}" for name, value in counts.items())
        self.stdout.write(f"Bench data in {time.monotonic() - started:.1f} s: {summary}.")
