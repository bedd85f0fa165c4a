"""The practices' export lists the addresses of their files, the same cell in the Resource's
own export, the fast rows (reports/exports.py practice_rows) and PostgreSQL's CSV."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from practices.models import Practice
from publishing.workflow import Status
from reports import exports
from reports.resources.practices import PracticeResource
from tests.attachments import files
from tests.conftest import logged_in, make_practice
from tests.spreadsheet_helpers import rows_of


@pytest.fixture
def practices_with_files(asticude):
    made = [make_practice(asticude, f"Practice {number}") for number in range(5)]
    files.make_document(made[0], title="Report")
    files.make_image(made[0])
    files.make_image(made[2])
    files.make_document(made[4], title="Annex")
    files.make_document(made[4], title="Minutes")
    return made


def resource_csv(queryset) -> bytes:
    dataset = PracticeResource().export(queryset=queryset.order_by("pk"))
    return "".join(exports.csv_lines(dataset.headers, [list(row) for row in dataset])).encode()


def test_the_files_column_lists_each_files_address_in_order(practices_with_files):
    resource = PracticeResource()
    first = practices_with_files[0]
    cell = resource.export_field(resource.fields["files"], first)
    document, image = first.attachments.all()
    assert cell == f"{document.get_absolute_url()}|{image.get_absolute_url()}"
    assert cell.startswith("/files/") and cell.endswith("/file/")


def test_the_three_ways_of_writing_the_export_give_the_same_files_cells(
    practices_with_files, monkeypatch
):
    monkeypatch.setattr(exports, "PRACTICE_CHUNK_SIZE", 2)  # several chunks
    resource = PracticeResource()
    fields = resource.get_export_fields()
    practices = PracticeResource.export_queryset(Practice.objects.all()).order_by("pk")
    expected = [[resource.export_field(field, p) for field in fields] for p in practices]
    assert sum(bool(row[fields.index(resource.fields["files"])]) for row in expected) == 3
    assert list(exports.practice_rows(resource, Practice.objects.all())) == expected
    written_by_postgresql = exports.database_csv(resource, Practice.objects.all())
    assert (written_by_postgresql is None) == (connection.vendor != "postgresql")
    if written_by_postgresql is not None:
        assert b"".join(written_by_postgresql) == resource_csv(Practice.objects.all())


def test_the_files_cost_one_query_per_chunk_whatever_their_number(asticude, monkeypatch):
    monkeypatch.setattr(exports, "PRACTICE_CHUNK_SIZE", 50)
    resource = PracticeResource()

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            list(exports.practice_rows(resource, Practice.objects.all()))
        return len(queries)

    practice = make_practice(asticude, "One")
    few = count()
    files.make_document(practice)
    for number in range(4):
        files.make_image(make_practice(asticude, f"More {number}"))
    assert count() == few


def test_an_import_ignores_the_files_column_and_its_template_leaves_it_out(coordinator):
    url = reverse("reports:import_template", kwargs={"kind": "practices", "fmt": "csv"})
    response = logged_in(coordinator).get(url)
    headers = content_of_first_line(response)
    assert "files" not in headers and "slug" in headers


def content_of_first_line(response) -> list[str]:
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return body.decode("utf-8-sig").splitlines()[0].split(",")


def test_the_open_data_csv_carries_the_files_of_published_practices(client, asticude):
    published = make_practice(asticude, "Shown")
    draft = make_practice(asticude, "Hidden", status=Status.DRAFT)
    document = files.make_document(published)
    files.make_document(draft)
    rows = rows_of(client.get("/en/reports/open-data/practices.csv"), "csv")
    assert [row["files"] for row in rows] == [document.get_absolute_url()]
