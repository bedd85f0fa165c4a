import json
import warnings
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.test.utils import override_settings

from nador_portal.collector import frozen_meanwhile
from perf import benchmark
from perf.scenarios import Sample, scenarios

# Requests are timed as in production: DEBUG off (no query log), plain static storage so
# that templates render without a collectstatic manifest, and the bench admin site mounted.
BENCH_SETTINGS = {
    "DEBUG": False,
    "ALLOWED_HOSTS": ["testserver"],  # the test client's host, whatever the environment says
    "SECURE_SSL_REDIRECT": False,  # TLS is the proxy's job; time the page, not a redirect
    "ROOT_URLCONF": benchmark.BENCH_URLCONF,
    # The targets are for pages built, not served from a cache: with these caches
    # on, each timed request after clear_caches() also paid for storing the page and its
    # counts, and the query count was the cached page's.
    "PAGE_CACHE_SECONDS": 0,
    "FACET_CACHE_SECONDS": 0,
    # The 10,000-row import file (60 MB of long texts) is above the upload limits, which are
    # deployment settings (IMPORT_MAX_ROWS, IMPORT_MAX_BYTES) that guard the web form.
    "IMPORT_MAX_ROWS": 20_000,
    "IMPORT_MAX_BYTES": 256 * 1024 * 1024,
    "STORAGES": {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    },
}


class Command(BaseCommand):
    help = "Time the portal's pages, export and import beside their peers (see `make bench`)."

    def add_arguments(self, parser):
        defaults = benchmark.Settings()
        parser.add_argument("--requests", type=int, default=defaults.requests)
        parser.add_argument("--warmup", type=int, default=defaults.warmup)
        parser.add_argument(
            "--min-requests",
            type=int,
            default=defaults.min_requests,
            help="Timed requests made even past the budget (the admin peers at 300k: ~1 min each).",
        )
        parser.add_argument(
            "--budget",
            type=float,
            default=defaults.budget,
            help="Seconds per scenario after which no more requests are made.",
        )
        parser.add_argument(
            "--table",
            nargs="+",
            metavar="RESULTS",
            help="Print a Markdown table of these saved results (--output files) side by side.",
        )
        parser.add_argument(
            "--pages", action="store_true", help="The pages only: no export or import."
        )
        parser.add_argument("--warm-cache", action="store_true", help="Do not clear caches.")
        parser.add_argument(
            "--only", action="append", default=[], help="A scenario name; repeat for several."
        )
        parser.add_argument("--export-url", default=defaults.export_url)
        parser.add_argument("--import-command", default=defaults.import_command)
        parser.add_argument("--peer-timeout", type=float, default=defaults.peer_timeout)
        parser.add_argument("--output", default="bench-results.json")
        parser.add_argument(
            "--probe", default="", help=f"Internal: one of {list(benchmark.PROBES)}"
        )

    def handle(self, *args, **options):
        if options["table"]:
            try:
                outcomes = [json.loads(Path(name).read_text()) for name in options["table"]]
            except (OSError, ValueError) as error:
                raise CommandError(f"Cannot read saved results: {error}") from error
            self.stdout.write(benchmark.sizes_table(outcomes))
            return
        config = benchmark.Settings(
            requests=options["requests"],
            warmup=options["warmup"],
            min_requests=options["min_requests"],
            budget=options["budget"],
            warm_cache=options["warm_cache"],
            export_url=options["export_url"],
            import_command=options["import_command"],
            peer_timeout=options["peer_timeout"],
        )
        # Whitenoise warns once that there is no collected static folder: not measured here.
        warnings.filterwarnings("ignore", message="No directory at")
        with override_settings(**BENCH_SETTINGS):
            if options["probe"]:
                summary = benchmark.PROBES[options["probe"]](config)
                self.stdout.write(json.dumps(summary))
                return
            only = {name.strip() for name in options["only"] if name.strip()}
            if options["pages"] and not only:
                only = {scenario.name for scenario in scenarios(Sample.pick())}
            self.stdout.write(benchmark.HEADER)
            # This process's own objects kept out of the collector, as a web worker's are
            # (nador_portal/wsgi.py): pages are timed as production builds them.
            with frozen_meanwhile():
                outcome = benchmark.run(config, only or None, report=self.stdout.write)
        Path(options["output"]).write_text(json.dumps(outcome, indent=2), encoding="utf-8")
        self.stdout.write("")
        self.stdout.write(benchmark.format_table(outcome))
        env = outcome["environment"]
        self.stdout.write(f"{benchmark.machine(env)}; written to {options['output']}.")
        if warning := benchmark.busy_warning(env):
            self.stdout.write(warning)
