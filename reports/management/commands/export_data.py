from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.http import QueryDict

from reports.exports import (
    EXPORT_TYPES,
    FORMATS,
    csv_lines,
    database_csv,
    file_name,
    json_chunks,
    rows,
    write_xlsx,
)
from reports.management.progress import ProgressBar
from reports.selection import selection


class Command(BaseCommand):
    help = (
        "Export practices, stakeholders or events as CSV, XLSX or JSON, with the filters of "
        "the public list and the reports (e.g. --query 'theme=social-inclusion&status=draft')."
    )

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=list(EXPORT_TYPES))
        parser.add_argument("--format", dest="fmt", choices=list(FORMATS), default="csv")
        parser.add_argument("--query", default="", help="Filters as in a URL: theme=x&country=MA")
        parser.add_argument(
            "--output", "-o", help="File to write (default: a name with type, date and filter)"
        )

    def handle(self, *args, kind: str, fmt: str, query: str, output: str | None, **options):
        params = QueryDict(query)
        queryset = selection(kind, params)
        total = queryset.count()
        path = Path(output or file_name(kind, fmt, params))
        resource = EXPORT_TYPES[kind].resource()
        progress = ProgressBar(self.stderr._out, total)
        progress.start(total)
        data = rows(resource, queryset, progress)
        headers = resource.get_export_headers()
        # The CSV of practices on PostgreSQL: the same file as the download, written by the
        # database (reports/sql_export.py), so no per-row progress.
        lines = database_csv(resource, queryset) if fmt == "csv" else None
        try:
            if lines is not None:
                with path.open("wb") as out:
                    out.writelines(lines)
                progress.done = total
            elif fmt == "xlsx":
                with path.open("wb") as out:
                    write_xlsx(headers, data, out, kind)
            else:
                chunks = csv_lines(headers, data) if fmt == "csv" else json_chunks(headers, data)
                with path.open("w", encoding="utf-8", newline="") as out:
                    out.writelines(chunks)
        except OSError as error:
            raise CommandError(f"Cannot write {path}: {error.strerror}") from None
        progress.finish()
        self.stdout.write(f"Exported {total} {kind} to {path}.")
