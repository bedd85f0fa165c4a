"""The open data: full files built once and served from disk, capped and rate-limited
selections, and the coordinators' XLSX streamed."""

import json
import os
import time
from types import SimpleNamespace

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from events.models import Event
from nador_portal import throttle
from practices.models import Status
from publishing import saving
from reports import open_data
from tests.conftest import logged_in, make_practice
from tests.spreadsheet_helpers import content_of, rows_of

pytestmark = pytest.mark.django_db

FORMATS = ["csv", "xlsx", "json"]


def url(fmt: str, query: str = "", kind: str = "practices") -> str:
    return f"/en/reports/open-data/{kind}.{fmt}" + (f"?{query}" if query else "")


@pytest.fixture
def built_by_command_only(settings):
    settings.OPEN_DATA_BUILD = "off"


@pytest.fixture
def catalogue(asticude, acpp, theme):
    """Three published practices in a theme, one draft, a published and a draft event."""
    made = {
        "one": make_practice(asticude, "Published one"),
        "two": make_practice(acpp, "Published two", country="ES"),
        "three": make_practice(asticude, "Published three"),
        "draft": make_practice(asticude, "Secret draft title", status=Status.DRAFT),
    }
    for practice in made.values():
        practice.themes.add(theme)
    now = timezone.now()
    common = {"organisation": asticude, "starts_at": now, "ends_at": now, "kind": "training"}
    event = Event.objects.create(title="Open day", slug="open-day", status="published", **common)
    event.practices.add(made["one"], made["draft"])
    Event.objects.create(title="Secret draft event", slug="secret", **common)
    return made


def commit_pending() -> None:
    """Run what waits for the test's transaction to commit (the fixtures' rebuild)."""
    waiting, connection.run_on_commit = connection.run_on_commit, []
    for _savepoints, callback, _robust in waiting:
        callback()


def slugs(response, fmt: str) -> set[str]:
    return {row["slug"] for row in rows_of(response, fmt)}


@pytest.mark.parametrize("fmt", FORMATS)
def test_the_command_builds_the_full_file_which_is_served_with_its_validators(
    client, catalogue, built_by_command_only, fmt
):
    call_command("build_open_data")
    response = client.get(url(fmt))
    assert response.status_code == 200
    assert response.streaming  # sent from the file, not built in memory
    assert slugs(response, fmt) == {"published-one", "published-two", "published-three"}
    assert response["ETag"].startswith('"practices.')
    assert response["Last-Modified"].endswith("GMT")
    assert response["Cache-Control"] == "public, max-age=300"
    day = timezone.localdate().isoformat()
    assert response["Content-Disposition"] == f'attachment; filename="practices_{day}_all.{fmt}"'


def test_a_client_holding_the_file_is_told_it_has_not_changed(client, catalogue):
    first = client.get(url("csv"))
    assert first.status_code == 200
    again = client.get(url("csv"), headers={"if-none-match": first["ETag"]})
    assert again.status_code == 304
    assert again["ETag"] == first["ETag"]
    since = client.get(url("csv"), headers={"if-modified-since": first["Last-Modified"]})
    assert since.status_code == 304
    assert client.get(url("csv"), headers={"if-none-match": '"other"'}).status_code == 200


@pytest.mark.parametrize("kind", ["practices", "stakeholders", "events"])
def test_no_file_holds_a_draft(client, catalogue, kind):
    open_data.build()
    for fmt in FORMATS:
        content = content_of(client.get(url(fmt, kind=kind)))
        assert b"Secret draft" not in content
        assert b"secret-draft" not in content
        for row in rows_of(client.get(url(fmt, kind=kind)), fmt):
            assert not any("Secret draft" in str(value) for value in row.values())


def test_the_events_file_holds_published_events_and_their_published_practices(client, catalogue):
    (row,) = rows_of(client.get(url("json", kind="events")), "json")
    assert row["slug"] == "open-day"
    assert row["practices"] == "published-one"


def test_the_stakeholders_file_holds_every_organisation(client, catalogue):
    assert {row["slug"] for row in rows_of(client.get(url("csv", kind="stakeholders")), "csv")} == {
        "asticude",
        "acpp",
    }


def test_a_publication_rebuilds_the_files_after_its_commit(
    client, catalogue, coordinator, django_capture_on_commit_callbacks
):
    draft = catalogue["draft"]
    draft.status = Status.SUBMITTED
    draft.save()
    commit_pending()
    with django_capture_on_commit_callbacks(execute=False) as waiting:
        saving.move(draft, "publish", by=coordinator)
    assert b"Secret draft" not in content_of(client.get(url("csv")))  # not before the commit
    assert len(waiting) == 1  # one rebuild however many records the transaction wrote
    for callback in waiting:
        callback()
    assert "secret-draft-title" in slugs(client.get(url("csv")), "csv")


def test_an_unpublication_rebuilds_the_files_too(
    client, catalogue, coordinator, django_capture_on_commit_callbacks
):
    commit_pending()
    with django_capture_on_commit_callbacks(execute=True):
        saving.move(catalogue["two"], "archive", by=coordinator)
    assert slugs(client.get(url("json")), "json") == {"published-one", "published-three"}


def test_editing_a_draft_leaves_the_files_alone(catalogue, django_capture_on_commit_callbacks):
    commit_pending()
    before = os.stat(open_data.path_of("practices", "csv"))
    catalogue["draft"].summary = "Changed"
    with django_capture_on_commit_callbacks(execute=True):
        catalogue["draft"].save()
    assert os.stat(open_data.path_of("practices", "csv")).st_ino == before.st_ino


def test_a_stale_file_is_replaced_whole_while_a_reader_finishes_the_old_one(catalogue, asticude):
    open_data.build()
    path = open_data.path_of("practices", "csv")
    with path.open("rb") as reader:
        old = path.read_bytes()
        make_practice(asticude, "Published four")
        assert open_data.is_stale()
        assert open_data.build_if_stale() == "built"
        assert reader.read() == old  # the old file, whole, for whoever had it open
    assert b"published-four" in path.read_bytes()
    assert not open_data.is_stale()
    leftovers = [name for name in os.listdir(open_data.root()) if name.startswith(".practices")]
    assert leftovers == []


def test_the_command_builds_only_when_the_published_content_changed(catalogue, capsys):
    call_command("build_open_data")
    assert "Built" in capsys.readouterr().out
    call_command("build_open_data")
    assert "up to date" in capsys.readouterr().out
    call_command("build_open_data", "--force")
    assert "Built" in capsys.readouterr().out


def test_no_build_starts_while_another_holds_the_lock(catalogue):
    with open_data.build_lock() as held:
        assert held
        assert open_data.build_if_stale() == "busy"
    assert not open_data.path_of("practices", "csv").exists()


class NotStarted:
    """A thread that records that it was started, and runs nothing."""

    started: list = []

    def __init__(self, **kwargs):
        self.kwargs = kwargs

    def start(self):
        NotStarted.started.append(self)


@pytest.mark.parametrize("language", ["en", "fr"])
def test_before_the_first_build_the_download_says_to_come_back(
    client, catalogue, settings, monkeypatch, language
):
    settings.OPEN_DATA_BUILD = "background"
    monkeypatch.setattr(NotStarted, "started", [])
    monkeypatch.setattr(open_data.threading, "Thread", NotStarted)
    monkeypatch.setattr(open_data, "_thread", None)
    response = client.get(f"/{language}/reports/open-data/practices.csv")
    assert response.status_code == 503
    assert response["Retry-After"] == "60"
    text = response.content.decode()
    assert ("Try again in a minute" in text) == (language == "en")
    assert ("Réessayez dans une minute" in text) == (language == "fr")
    assert len(NotStarted.started) == 1  # and a build was started


def test_serving_a_full_file_costs_the_same_few_queries_whatever_its_size(client, asticude):
    def queries() -> int:
        open_data.build()
        with CaptureQueriesContext(connection) as captured:
            content_of(client.get(url("xlsx")))
        return len(captured)

    few = queries()
    for number in range(30):
        make_practice(asticude, f"Practice {number}")
    assert queries() == few <= 1


# -- Selections of the list ---------------------------------------------------------------


def test_a_selection_larger_than_the_cap_is_refused_with_the_counts_and_the_full_file(
    client, catalogue, settings
):
    settings.OPEN_DATA_MAX_ROWS = 2
    response = client.get(url("csv", "theme=intercultural-dialogue"))
    assert response.status_code == 400
    text = response.content.decode()
    assert "3 published practices match these filters" in text
    assert "at most 2" in text
    assert 'href="/en/reports/open-data/practices.csv"' in text


def test_a_selection_within_the_cap_is_downloaded(client, catalogue, settings):
    settings.OPEN_DATA_MAX_ROWS = 2
    response = client.get(url("csv", "country=MA"))
    assert response.status_code == 200
    assert slugs(response, "csv") == {"published-one", "published-three"}


def test_an_address_asking_too_often_waits_and_others_do_not(catalogue, settings, monkeypatch):
    settings.OPEN_DATA_RATE_LIMIT = 3
    # Counts are kept per minute of the clock: the five requests stay in one minute even
    # when a busy machine makes them straddle two.
    frozen = time.time() // 60 * 60 + 1
    monkeypatch.setattr(throttle, "time", SimpleNamespace(time=lambda: frozen))
    busy = Client(REMOTE_ADDR="203.0.113.7")
    for _ in range(3):
        assert busy.get(url("csv", "country=MA")).status_code == 200
    refused = busy.get(url("csv", "country=MA"))
    assert refused.status_code == 429
    assert 1 <= int(refused["Retry-After"]) <= 60
    assert "Too many downloads" in refused.content.decode()
    assert Client(REMOTE_ADDR="203.0.113.8").get(url("csv", "country=MA")).status_code == 200
    assert busy.get(url("csv")).status_code == 200  # the full file is not counted


# -- The coordinators' XLSX, streamed -----------------------------------------------------


def test_the_coordinators_xlsx_is_streamed_and_imports_back_unchanged(coordinator, catalogue):
    from reports.imports import run_import

    response = logged_in(coordinator).get("/en/reports/export/practices.xlsx")
    assert response.streaming
    assert len(rows_of(response, "xlsx")) == 4
    response = logged_in(coordinator).get("/en/reports/export/practices.xlsx")
    report = run_import("practices", content_of(response), "p.xlsx", dry_run=True)
    assert report.ok and report.unchanged == 4


def test_parameters_that_choose_no_practice_leave_the_full_file(client, catalogue, settings):
    settings.OPEN_DATA_MAX_ROWS = 1
    response = client.get(url("csv", "status=draft&page=2&sort=newest&utm_source=mail"))
    assert response.status_code == 200
    assert response["Cache-Control"] == "public, max-age=300"  # the built file
    assert slugs(response, "csv") == {"published-one", "published-two", "published-three"}


@pytest.mark.parametrize("kind", ["practices", "stakeholders", "events"])
def test_the_built_files_are_the_bytes_of_the_streamed_exports(catalogue, kind):
    from reports.exports import csv_lines, json_chunks, rows

    open_data.build()
    resource, queryset = open_data.resource_for(kind), open_data.published(kind)
    headers = resource.get_export_headers()
    expected_json = "".join(json_chunks(headers, rows(resource, queryset))).encode()
    assert open_data.path_of(kind, "json").read_bytes() == expected_json
    written_by_postgresql = open_data.database_csv(resource, queryset)
    chunks = written_by_postgresql or (
        line.encode() for line in csv_lines(headers, rows(resource, queryset))
    )
    assert open_data.path_of(kind, "csv").read_bytes() == b"".join(chunks)
    xlsx = rows_of(Client().get(url("xlsx", kind=kind)), "xlsx")
    assert [row["slug"] for row in xlsx] == [row["slug"] for row in json.loads(expected_json)]


def test_a_build_removes_what_a_stopped_build_left(catalogue):
    open_data.root().mkdir(parents=True)
    leftover = open_data.root() / ".practices.csv.abc123"
    leftover.write_bytes(b"half a file")
    assert open_data.build_if_stale() == "built"
    assert not leftover.exists()
    assert (open_data.root() / open_data.LOCK_FILE).exists()


def test_behind_nginx_the_full_file_is_handed_to_the_proxy_with_its_headers(
    client, catalogue, built_by_command_only, settings
):
    settings.OPEN_DATA_ACCEL_REDIRECT = "/open-data-files/"
    call_command("build_open_data")
    response = client.get(url("xlsx"))
    assert response.status_code == 200
    assert response["X-Accel-Redirect"] == "/open-data-files/practices.xlsx"
    assert response.content == b""  # nginx sends the bytes
    assert response["Content-Disposition"].startswith("attachment;")
    assert "public" in response["Cache-Control"]
    assert client.get(url("xlsx"), HTTP_IF_NONE_MATCH=response["ETag"]).status_code == 304


def test_a_head_request_gets_the_full_files_headers(client, catalogue, built_by_command_only):
    call_command("build_open_data")
    response = client.head(url("csv"))
    assert response.status_code == 200
    assert response["ETag"] and response["Content-Disposition"].startswith("attachment;")
