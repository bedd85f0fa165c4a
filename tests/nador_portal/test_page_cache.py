"""Anonymous visitors' pages come from the shared cache, and never a stale one: any change
of content moves the cache's version (nador_portal/page_cache.py)."""

import json
import os
import subprocess
import sys
import threading

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from nador_portal import page_cache
from practices.models import Practice, Status
from reports import open_data
from tests.conftest import ON_POSTGRES, logged_in, make_practice
from tests.workspace_helpers import client_for, practice_data

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def page_cache_on(settings):
    settings.PAGE_CACHE_SECONDS = 600
    cache.clear()


def test_an_anonymous_page_is_built_once_then_served_without_a_query(client, asticude):
    make_practice(asticude, "Welcome desk of Nador")
    first = client.get("/en/practices/")
    assert first["X-Page-Cache"] == "miss"
    with CaptureQueriesContext(connection) as queries:
        second = client.get("/en/practices/")
    assert second["X-Page-Cache"] == "hit"
    assert len(queries) == 0
    assert second.content == first.content
    assert "Welcome desk of Nador" in second.content.decode()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_publication_is_on_the_next_anonymous_page(client, asticude, coordinator):
    draft = make_practice(asticude, "Language cafe", status=Status.SUBMITTED)
    assert "Language cafe" not in client.get("/en/practices/").content.decode()
    assert client.get("/en/practices/")["X-Page-Cache"] == "hit"
    response = logged_in(coordinator).post(f"/en/review/practices/{draft.slug}/publish/")
    assert response.status_code == 302
    fresh = client.get("/en/practices/")
    assert fresh["X-Page-Cache"] == "miss"
    assert "Language cafe" in fresh.content.decode()
    assert client.get(f"/en/practices/{draft.slug}/").status_code == 200


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_change_inside_a_transaction_moves_the_version_at_once_and_after_the_commit(asticude):
    before = page_cache.version()
    with transaction.atomic():
        practice = make_practice(asticude, "Football for all")
        first = page_cache.version()
        practice.title = "Football for everyone"
        practice.save()
        second = page_cache.version()
    assert first > before  # the first write of the transaction
    assert second == first  # not every write of it
    assert page_cache.version() > second  # and again after the commit


def test_signed_in_users_always_get_a_fresh_page(client, partner, asticude):
    client.get("/en/practices/")
    signed_in = logged_in(partner)
    response = signed_in.get("/en/practices/")
    assert response.status_code == 200
    assert "X-Page-Cache" not in response
    make_practice(asticude, "Late addition")
    assert "Late addition" in signed_in.get("/en/practices/").content.decode()


def test_a_page_with_a_form_is_never_stored(client):
    for _ in range(2):
        response = client.get("/en/accounts/login/")
        assert response.status_code == 200
        assert "X-Page-Cache" not in response
    assert 'name="csrfmiddlewaretoken"' in response.content.decode()


def test_a_cached_page_holds_no_token_and_the_language_switcher_still_works(client):
    page = client.get("/en/").content.decode()
    assert "csrfmiddlewaretoken" not in page
    assert client.get("/en/")["X-Page-Cache"] == "hit"
    response = client.post("/i18n/setlang/", {"language": "fr", "next": "/en/"})
    assert response.status_code == 302
    assert response["Location"] == "/fr/"


def test_each_language_has_its_own_page(client):
    english = client.get("/en/").content.decode()
    french = client.get("/fr/")
    assert french["X-Page-Cache"] == "miss"
    assert 'lang="fr"' in french.content.decode() and 'lang="en"' in english


def test_a_burst_for_one_missing_page_builds_it_once(client, monkeypatch):
    """A second request finds the first one building (its lock) and waits for its page."""
    monkeypatch.setattr(page_cache, "WAIT_SECONDS", 5.0)
    built = client.get("/en/themes/")
    key = page_cache._key(built.wsgi_request)
    entry = cache.get(key)
    cache.delete(key)
    cache.add(f"{key}:building", 1, 30)
    threading.Timer(0.2, cache.set, (key, entry, 600)).start()
    with CaptureQueriesContext(connection) as queries:
        waited = client.get("/en/themes/")
    assert waited["X-Page-Cache"] == "hit"
    assert len(queries) == 0


def test_a_builder_that_never_answers_delays_the_others_only_a_moment(client, monkeypatch):
    monkeypatch.setattr(page_cache, "WAIT_SECONDS", 0.2)
    key = page_cache._key(client.get("/en/events/").wsgi_request)
    cache.delete(key)
    cache.add(f"{key}:building", 1, 30)
    response = client.get("/en/events/")
    assert response.status_code == 200


def test_with_the_setting_at_zero_nothing_is_cached(client, settings):
    settings.PAGE_CACHE_SECONDS = 0
    client.get("/en/")
    assert "X-Page-Cache" not in client.get("/en/")


READER = """
import json, sys
from django.test import Client
client = Client()
pages = {path: client.get(path) for path in sys.argv[1:]}
seen = {path: "Seen from afar" in r.content.decode() for path, r in pages.items()}
print(json.dumps({path: [r.status_code, seen[path], r.get("X-Page-Cache")]
                  for path, r in pages.items()}))
"""


def _read_from_another_process(tmp_path, paths: list[str]) -> dict:
    """Another Django process on the same database and the same (file) cache: what a
    second app server would serve."""
    database = connection.settings_dict
    module = tmp_path / "other_server_settings.py"
    module.write_text(
        "from nador_portal.settings import *\n"
        f"DATABASES['default']['NAME'] = {database['NAME']!r}\n"
        f"CACHES = {{'default': {{'BACKEND': 'django.core.cache.backends.filebased.FileBasedCache',"
        f" 'LOCATION': {str(tmp_path / 'cache')!r}}}}}\n"
        "PAGE_CACHE_SECONDS = 600\nALLOWED_HOSTS = ['testserver']\nSECURE_SSL_REDIRECT = False\n"
        # As in the tests: no collectstatic, so no manifest of hashed names.
        "STORAGES = {**STORAGES, 'staticfiles': "
        "{'BACKEND': 'django.contrib.staticfiles.storage.StaticFilesStorage'}}\n"
    )
    environment = {
        **os.environ,
        "PYTHONPATH": f"{tmp_path}{os.pathsep}{settings.BASE_DIR}",
        "DJANGO_SETTINGS_MODULE": "other_server_settings",
    }
    done = subprocess.run(  # noqa: S603 - our own interpreter
        [sys.executable, "-c", f"import django; django.setup(); exec({READER!r})", *paths],
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        cwd=settings.BASE_DIR,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


# Only PostgreSQL's test database is one that another process can open (SQLite's is in
# memory): on SQLite this test is not collected, rather than skipped.
if ON_POSTGRES:

    @pytest.mark.django_db(transaction=True, serialized_rollback=True)
    def test_a_publication_is_seen_at_once_by_another_app_server(
        tmp_path, settings, asticude, theme, coordinator
    ):
        settings.CACHES = {
            "default": {
                "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
                "LOCATION": str(tmp_path / "cache"),
            }
        }
        draft = make_practice(asticude, "Seen from afar", status=Status.SUBMITTED)
        draft.themes.add(theme)
        paths = ["/en/", "/en/practices/", f"/en/themes/{theme.slug}/", "/en/practices/feed/"]
        before = _read_from_another_process(tmp_path, paths)
        assert all(seen is False for _status, seen, _cache in before.values())
        again = _read_from_another_process(tmp_path, paths)
        assert {page[2] for page in again.values()} == {"hit"}
        response = logged_in(coordinator).post(f"/en/review/practices/{draft.slug}/publish/")
        assert response.status_code == 302
        after = _read_from_another_process(tmp_path, [*paths, f"/en/practices/{draft.slug}/"])
        for path, (status, seen, _cache) in after.items():
            assert (status, seen) == (200, True), path


def test_the_data_page_says_the_files_are_ready_once_they_are_built(client, settings):
    settings.OPEN_DATA_BUILD = "off"
    assert "The files are being prepared." in client.get("/en/data/").content.decode()
    open_data.build_if_stale()
    page = client.get("/en/data/")
    assert page["X-Page-Cache"] == "miss"
    assert "The files are being prepared." not in page.content.decode()


def test_a_practice_page_with_its_contact_link_is_served_from_the_cache(client, asticude):
    practice = make_practice(asticude, "Welcome desk of Nador")
    assert client.get(practice.get_absolute_url())["X-Page-Cache"] == "miss"
    page = client.get(practice.get_absolute_url())
    assert page["X-Page-Cache"] == "hit"
    assert "/contact/" in page.content.decode()


# A partner's draft is seen by nobody but its organisation: saving it, with its indicators,
# roles and links, leaves every cached public page valid. A change to anything published
# (or that was published) moves the version.


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_partner_saving_a_draft_leaves_the_cached_pages_valid(client, partner, asticude):
    draft = make_practice(asticude, "Reading club", status=Status.DRAFT)
    client.get("/en/practices/")
    before = page_cache.version()
    data = practice_data(draft, partner, title="Reading club for mothers")
    data |= {"indicators-0-label": "Sessions held", "indicators-0-target": "12"}
    response = client_for(partner).post(f"/en/workspace/practices/{draft.slug}/edit/", data)
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.title == "Reading club for mothers"
    assert draft.indicators.filter(label="Sessions held").exists()
    assert page_cache.version() == before
    assert client.get("/en/practices/")["X-Page-Cache"] == "hit"


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_new_draft_from_the_workspace_leaves_the_cached_pages_valid(partner, asticude, theme):
    before = page_cache.version()
    practice = Practice(organisation=asticude, title="New draft", summary="Text.", language="en")
    practice.save()
    practice.themes.add(theme)
    assert page_cache.version() == before


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_an_edit_of_a_published_practice_or_its_parts_moves_the_version(asticude):
    published = make_practice(asticude, "Radio in Tamazight")
    published = Practice.objects.get(pk=published.pk)  # as a page reads it
    before = page_cache.version()
    published.indicators.create(label="Broadcasts", target=10)
    assert page_cache.version() > before
    before = page_cache.version()
    published.summary = "Weekly programme."
    published.save()
    assert page_cache.version() > before


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_practice_leaving_publication_moves_the_version(asticude, coordinator):
    published = make_practice(asticude, "Shared kitchen")
    read = Practice.objects.get(pk=published.pk)
    before = page_cache.version()
    read.archive(coordinator, "Ended.")
    assert read.status == Status.ARCHIVED
    assert page_cache.version() > before


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_category_change_always_moves_the_version(theme):
    before = page_cache.version()
    theme.name = "Renamed theme"
    theme.save()
    assert page_cache.version() > before


def test_the_proxy_may_keep_only_the_pages_this_cache_holds_and_only_as_long_as_set(
    client, partner, settings
):
    """X-Accel-Expires (nginx keeps the page that many seconds, deploy/nginx.conf.template):
    on a stored or served anonymous page; never on a signed-in page or one with a form."""
    settings.EDGE_CACHE_SECONDS = 1
    assert client.get("/en/practices/")["X-Accel-Expires"] == "1"  # built and stored
    assert client.get("/en/practices/")["X-Accel-Expires"] == "1"  # from the cache
    assert "X-Accel-Expires" not in logged_in(partner).get("/en/practices/")
    assert "X-Accel-Expires" not in client.get("/en/accounts/login/")
    settings.EDGE_CACHE_SECONDS = 0
    assert "X-Accel-Expires" not in client.get("/en/practices/")
