"""The load driver's own logic (make loadtest), without a server: percentiles, error
counting, forms read as a browser sends them, and the check of saved practices."""

import random

import pytest
from django.test import Client

from perf.loadtest.driver import (
    Sample,
    percentile,
    read_form,
    summarise,
)
from perf.loadtest.run import fill_practice_form
from perf.loadtest.verify import (
    SavedPractice,
    SaveLog,
    check,
    compare,
)
from practices.models import Practice, Theme

NEW = "/en/workspace/practices/new/"


def as_post_data(values: list[tuple[str, str]]) -> dict[str, list[str]]:
    data: dict[str, list[str]] = {}
    for name, value in values:
        data.setdefault(name, []).append(value)
    return data


def saved(slug="a-practice", title="A practice", themes=("1",)) -> SavedPractice:
    return SavedPractice(slug, title, "Summary", "7", {"themes": frozenset(themes)})


def test_percentiles_are_nearest_rank_values_of_the_samples():
    values = [float(n) for n in range(1, 101)]
    assert percentile(values, 50) == 50
    assert percentile(values, 95) == 95
    assert percentile(values, 99) == 99
    assert percentile([4.0], 99) == 4.0
    assert percentile([], 50) is None


def test_failed_connections_server_errors_and_refused_forms_count_as_errors():
    samples = [
        Sample("list", 0.010, 200),
        Sample("list", 0.020, 302),
        Sample("list", 0.030, 500),
        Sample("detail", 0.040, 0, "ConnectionResetError"),
        Sample("practice edit", 0.050, 200, "unexpected status"),
    ]
    rows = summarise(samples, seconds=2, expected=("calendar",))
    assert rows["list"]["requests"] == 3
    assert rows["list"]["errors"] == 1
    assert rows["list"]["p50_ms"] == 20.0
    assert rows["overall"]["errors"] == 3
    assert rows["overall"]["requests_per_second"] == 2.5
    assert "0 ConnectionResetError" in rows["detail"]["error_examples"]
    assert rows["calendar"] | {"error_examples": []} == {
        "requests": 0,
        "errors": 0,
        "error_examples": [],
        "requests_per_second": 0.0,
        "p50_ms": None,
        "p95_ms": None,
        "p99_ms": None,
        "max_ms": None,
    }


def test_a_single_select_without_a_selected_option_sends_its_first_option():
    html = """<form method="post" class="record-form">
      <select name="language"><option value="">--</option><option value="en">English</option>
      </select><select name="tags" multiple><option value="1">a</option></select>
      <input type="checkbox" name="themes" value="3" checked>
      <input type="checkbox" name="themes" value="4"><textarea name="summary">
Two &amp; lines</textarea><button name="save">Save</button></form>"""
    form = read_form(html, "record-form")
    assert form.values == [("language", ""), ("themes", "3"), ("summary", "Two & lines")]
    assert form.checkboxes == {"themes": ["3", "4"]}


def test_the_workspace_form_read_by_the_driver_saves_and_is_found_as_saved(
    partner, asticude, theme
):
    Theme.objects.create(name="Health", slug="health")
    client = Client(enforce_csrf_checks=True)
    client.force_login(partner)
    form = read_form(client.get(NEW).content.decode(), "record-form")
    assert form.get("csrfmiddlewaretoken")
    fill_practice_form(form, random.Random(1), "partner 1 abc", creating=True)
    response = client.post(NEW, as_post_data([*form.values, ("save", "")]))
    assert response.status_code == 302
    slug = Practice.objects.get().slug
    assert response["Location"] == f"/en/workspace/practices/{slug}/edit/"
    log = SaveLog()
    log.accepted(SavedPractice.from_form(slug, form.values))
    assert check(log) == {"saved_practices": 1, "found_as_saved": 1, "problems": []}


def test_an_edit_through_the_driver_keeps_the_version_token_and_is_checked(
    partner, draft_practice, theme
):
    client = Client(enforce_csrf_checks=True)
    client.force_login(partner)
    path = f"/en/workspace/practices/{draft_practice.slug}/edit/"
    form = read_form(client.get(path).content.decode(), "record-form")
    fill_practice_form(form, random.Random(2), "partner 1 abc", creating=False)
    assert client.post(path, as_post_data([*form.values, ("save", "")])).status_code == 302
    log = SaveLog()
    log.accepted(SavedPractice.from_form(draft_practice.slug, form.values))
    assert check(log)["problems"] == []
    Practice.objects.filter(pk=draft_practice.pk).update(title="Changed behind our back")
    assert check(log)["problems"] == [f"{draft_practice.slug}: differs from what was saved (title)"]


def test_a_missing_or_different_practice_is_reported():
    log = SaveLog()
    log.accepted(saved("kept"))
    log.accepted(saved("lost"))
    stored = {"kept": saved("kept", themes=("1", "2"))}
    assert compare(log, stored) == [
        "kept: differs from what was saved (themes)",
        "lost: not in the database",
    ]


def test_a_save_whose_answer_was_lost_may_or_may_not_have_happened():
    log = SaveLog()
    log.accepted(saved(title="Before"))
    log.unanswered(saved(title="After"))
    assert compare(log, {"a-practice": saved(title="Before")}) == []
    assert compare(log, {"a-practice": saved(title="After")}) == []
    assert compare(log, {"a-practice": saved(title="Other")}) != []
    log.accepted(saved(title="Last"))
    assert compare(log, {"a-practice": saved(title="Before")}) != []


@pytest.mark.parametrize("text", ["Line one\r\nLine two  ", "\nLine one\nLine two"])
def test_summaries_are_compared_as_django_stores_them(text):
    recorded = SavedPractice.from_form("x", [("summary", text), ("title", "T")])
    assert recorded.summary == "Line one\nLine two"
