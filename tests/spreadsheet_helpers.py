"""Reading and writing the files of exports and imports in tests."""

import csv
import io
import json

from openpyxl import Workbook, load_workbook


def content_of(response) -> bytes:
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


def csv_rows(data: bytes) -> list[dict]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def xlsx_rows(data: bytes) -> list[dict]:
    sheet = load_workbook(io.BytesIO(data), read_only=True).worksheets[0]
    values = list(sheet.iter_rows(values_only=True))
    headers = values[0]
    return [dict(zip(headers, row, strict=True)) for row in values[1:]]


def rows_of(response, fmt: str) -> list[dict]:
    data = content_of(response)
    if fmt == "csv":
        return csv_rows(data)
    if fmt == "xlsx":
        return xlsx_rows(data)
    return json.loads(data)


def csv_bytes(rows: list[list], encoding: str = "utf-8") -> bytes:
    output = io.StringIO(newline="")
    csv.writer(output).writerows(rows)
    return output.getvalue().encode(encoding)


def xlsx_bytes(rows: list[list]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


PRACTICE_HEADERS = [
    "slug",
    "title",
    "status",
    "organisation",
    "summary",
    "country",
    "themes",
    "stakeholders",
    "indicators",
]


def practices_file(count: int, title: str = "Practice", first: int = 0) -> bytes:
    """A CSV of `count` published practices practice-<first>... with links, roles and an
    indicator each, naming the `reference` fixture's organisations and themes."""
    rows = [
        [
            f"practice-{n}",
            f"{title} {n}",
            "published",
            "ASTICUDE",
            "What it did.",
            "MA",
            "Intercultural dialogue|social-inclusion",
            "ASTICUDE (lead)|ACPP (partner)",
            f"People trained = {n} / 40 people",
        ]
        for n in range(first, first + count)
    ]
    return csv_bytes([PRACTICE_HEADERS, *rows])


def import_queries(content: bytes, user=None) -> int:
    """The queries a confirmed import of `content` makes (it must succeed)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from reports.imports import run_import

    with CaptureQueriesContext(connection) as context:
        report = run_import("practices", content, "practices.csv", dry_run=False, user=user)
    assert report.ok, report.problems
    return len(context.captured_queries)
