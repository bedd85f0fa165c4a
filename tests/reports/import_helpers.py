"""The files and uploads of the import tests (test_imports.py, test_import_files.py)."""

from django.core.files.uploadedfile import SimpleUploadedFile

from events.models import Event
from practices.models import Indicator, Practice, StakeholderRole
from stakeholders.models import Stakeholder
from tests.spreadsheet_helpers import csv_bytes

HEADERS = ["slug", "title", "status", "organisation", "summary", "country", "themes"]


def practice_row(slug: str, **values) -> list:
    row = {
        "slug": slug,
        "title": f"Practice {slug}",
        "status": "published",
        "organisation": "ASTICUDE",
        "summary": "What it did.",
        "country": "MA",
        "themes": "Intercultural dialogue",
        **values,
    }
    return [row[header] for header in HEADERS]


def good_file() -> bytes:
    return csv_bytes([HEADERS, practice_row("one"), practice_row("two", themes="social-inclusion")])


def database_state() -> dict:
    return {
        "practices": list(Practice.objects.order_by("pk").values()),
        "roles": list(StakeholderRole.objects.values()),
        "indicators": list(Indicator.objects.values()),
        "stakeholders": list(Stakeholder.objects.order_by("pk").values()),
        "events": list(Event.objects.values()),
    }


def upload(client, content: bytes, name: str = "practices.csv", kind: str = "practices"):
    return client.post(
        "/en/reports/import/", {"kind": kind, "file": SimpleUploadedFile(name, content)}
    )
