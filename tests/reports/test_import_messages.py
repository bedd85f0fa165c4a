"""What an import says, in the page's language: each problem names its row and column
and what to type instead; a value a coordinator commonly types is read."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from practices.models import Practice
from tests.conftest import logged_in
from tests.reports.import_helpers import HEADERS
from tests.spreadsheet_helpers import csv_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def dry_run(client, language: str, content: bytes, name: str = "practices.csv"):
    return client.post(
        f"/{language}/reports/import/",
        {"kind": "practices", "file": SimpleUploadedFile(name, content)},
    )


def page_text(response) -> str:
    return response.content.decode()


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "The file has no rows"),
        ("fr", "Le fichier n’a aucune ligne"),
        ("ar", "لا يحتوي الملف على أي صف"),
    ],
)
def test_a_file_with_only_its_header_is_refused_and_cannot_be_confirmed(
    coordinator, reference, language, expected
):
    client = logged_in(coordinator)
    response = dry_run(client, language, csv_bytes([HEADERS]))
    assert expected in page_text(response)
    assert 'value="confirm"' not in page_text(response)
    confirmed = client.post(f"/{language}/reports/import/confirm/", {"action": "confirm"})
    assert confirmed.status_code == 302
    assert not Practice.objects.exists()
