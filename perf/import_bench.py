"""The import scenario of issue 17: the portal's own export of N practices imported back,
half of them updated (a changed title) and half new (a new slug), with their links,
roles, indicators and translations as the export writes them; a dry run, then the import
itself. Each runs `import_data` in a child process that reports its time, CPU time, SQL
statements and peak RSS (`getrusage`): the figures of the command line, Django included.

The peers, in the same run on the same file: django-import-export's stock ModelResource
of the practice's own columns (the organisation by name), with the library's defaults (a
save per row), and the same made as fast as the library's own options make it (rows
saved in bulk, no diff, the instances read in one query: "stock tuned"). They write the
practices (and, saved one by one, their history) only, no links, roles, indicators,
translations or search data: they do less than the portal's import, and show the
library's floor on this machine, not a like-for-like rival.

The import runs inside a transaction rolled back at the end, so that the bench data stay
as they were and the scenario can be run again: everything the import does is measured
(rows, history, search vectors, facet bits) but the final COMMIT.

    PERF_TOOLS=1 manage.py bench_import --practices 10000
"""

from __future__ import annotations

import csv
import io
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from functools import partial
from pathlib import Path

import tablib
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import override_settings
from import_export import fields, resources, widgets
from import_export.instance_loaders import CachedInstanceLoader

from perf import benchdata
from perf.rows import reset_all_sequences
from practices.models import Practice
from reports.exports import csv_lines, database_csv, rows
from reports.resources.practices import PracticeResource
from stakeholders.models import Stakeholder

#: The bench file is above the deployment's upload limits (IMPORT_MAX_ROWS guards the form).
LIMITS = {"IMPORT_MAX_ROWS": 200_000, "IMPORT_MAX_BYTES": 4 * 2**30}
CHANGED = " (imported)"
#: The practice's own columns of the export, which the stock peers import: its fields that
#: are no link, and its organisation (by name).
OWN_FIELDS = {field.name for field in Practice._meta.concrete_fields if not field.is_relation}
STOCK_COLUMNS = (
    "organisation",
    *(name for name in PracticeResource._meta.fields if name in OWN_FIELDS),
)


def export_file(path: Path, practices: int) -> int:
    """Write the export of the first `practices` practices (by id), every other one
    renamed (an update) or given a new slug (a new practice); return the rows written."""
    ids = list(
        Practice.objects.exclude(slug__startswith=benchdata.IMPORT_PREFIX)
        .order_by("id")
        .values_list("id", flat=True)[:practices]
    )
    queryset = Practice.objects.filter(pk__in=ids).order_by("id")
    resource_ = PracticeResource()
    exported = Path(str(path) + ".export")
    lines = database_csv(resource_, queryset)
    with exported.open("wb") as out:
        if lines is not None:
            out.writelines(lines)
        else:
            for line in csv_lines(resource_.get_export_headers(), rows(resource_, queryset)):
                out.write(line.encode())
    csv.field_size_limit(2**30)
    count = 0
    with (
        exported.open(encoding="utf-8-sig", newline="") as source,
        path.open("w", encoding="utf-8", newline="") as out,
    ):
        reader, writer = csv.reader(source), csv.writer(out)
        headers = next(reader)
        writer.writerow(headers)
        slug, title = headers.index("slug"), headers.index("title")
        for count, row in enumerate(reader, start=1):
            if count % 2:
                row[title] = row[title][: 255 - len(CHANGED)] + CHANGED
            else:
                row[slug] = benchdata.IMPORT_PREFIX + row[slug]
            writer.writerow(row)
    exported.unlink()
    return count


class StockPracticeResource(resources.ModelResource):
    organisation = fields.Field(
        attribute="organisation",
        column_name="organisation",
        widget=widgets.ForeignKeyWidget(Stakeholder, field="name"),
    )

    class Meta:
        model = Practice
        fields = STOCK_COLUMNS
        import_id_fields = ("slug",)


class TunedStockPracticeResource(StockPracticeResource):
    class Meta(StockPracticeResource.Meta):
        use_bulk = True
        skip_diff = True
        instance_loader_class = CachedInstanceLoader


def stock_import(path: str, dry_run: bool, out, resource_class=StockPracticeResource) -> None:
    """A peer: the file read by tablib and imported by a stock resource, as the
    library's documentation does it."""
    with open(path, encoding="utf-8") as source:
        dataset = tablib.Dataset().load(source.read(), format="csv")
    result = resource_class().import_data(dataset, dry_run=dry_run)
    totals = result.totals
    out.write(
        f"Practices: {totals['new']} new, {totals['update']} updated, {totals['skip']} "
        f"unchanged, {totals['error'] + totals['invalid']} errors (stock, "
        f"{'dry run' if dry_run else 'imported'})."
    )


def portal_import(path: str, dry_run: bool, out) -> None:
    options = ["--dry-run"] if dry_run else []
    with open(os.devnull, "w") as quiet:
        call_command("import_data", "practices", path, *options, stdout=out, stderr=quiet)


IMPORTERS = {
    "portal": portal_import,
    "stock": stock_import,
    "stock tuned": partial(stock_import, resource_class=TunedStockPracticeResource),
}


def child(path: str, dry_run: bool, importer: str = "portal") -> dict:
    """Run the import (in this process: the child) and report what it cost."""
    statements = [0]

    def count(execute, sql, params, many, context):
        statements[0] += 1
        return execute(sql, params, many, context)

    load = os.getloadavg()[0]
    began, cpu = time.perf_counter(), time.process_time()
    summary = io.StringIO()
    with override_settings(**LIMITS), connection.execute_wrapper(count):
        try:
            with transaction.atomic():
                IMPORTERS[importer](path, dry_run, summary)
                transaction.set_rollback(True)  # the bench data stay as they were
        except Exception as error:  # noqa: BLE001 - reported, never fatal to the run
            return {"status": f"error: {error}"}
        finally:
            # Sequences are not rolled back: each run took ids past the last run's.
            reset_all_sequences()
    return {
        "status": "ok",
        "summary": summary.getvalue().strip(),
        "seconds": round(time.perf_counter() - began, 2),
        "cpu_seconds": round(time.process_time() - cpu, 2),
        "statements": statements[0],
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "load_average": [round(load, 2), round(os.getloadavg()[0], 2)],
    }


def run_child(path: Path, dry_run: bool, importer: str = "portal") -> dict:
    command = [sys.executable, "manage.py", "bench_import", "--child", str(path)]
    command += ["--importer", importer]
    if dry_run:
        command.append("--dry-run")
    done = subprocess.run(  # noqa: S603 - our own interpreter and manage.py
        command,
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "PERF_TOOLS": "1"},
        cwd=Path(__file__).resolve().parent.parent,
    )
    lines = done.stdout.strip().splitlines()
    if done.returncode != 0 or not lines:
        return {"status": f"error: {done.stderr.strip().splitlines()[-1:]}"}
    return json.loads(lines[-1])


def run(practices: int, report=print, stock: bool = True) -> dict:
    """Each import of the file, dry run and import; the stock peers' unless not `stock`."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "practices.csv"
        written = export_file(path, practices)
        size = path.stat().st_size
        report(f"{written} rows ({size / 2**20:.0f} MB): half updated, half new")
        results = {"rows": written, "file_mb": round(size / 2**20, 1)}
        importers = ("portal", "stock", "stock tuned") if stock else ("portal",)
        for importer in importers:
            for step, dry_run in (("dry run", True), ("import", False)):
                name = step if importer == "portal" else f"{importer} {step}"
                results[name] = run_child(path, dry_run, importer)
                report(f"{name}: {results[name]}")
    # The rolled-back rows are dead rows the bench's pages would read past (benchmark.py).
    benchdata.analyse(vacuum=True)
    return results
