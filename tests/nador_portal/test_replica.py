"""A read replica (DATABASE_REPLICA_URL) takes the coordinators' heavy reads; everything
else, writes included, stays on the primary; a user who has just saved reads the primary."""

import json
import os
import subprocess
import sys
import time

import pytest
from django.http import HttpResponse, StreamingHttpResponse
from django.test import RequestFactory

from nador_portal import replica
from tests.conftest import logged_in

ROUTING = """
import json
from django.conf import settings
from nador_portal.replica import replica_reads
from practices.models import Practice
outside = Practice.objects.all().db
with replica_reads():
    inside = Practice.objects.all().db
    write = Practice.objects.select_for_update().db
print(json.dumps({
    "routers": settings.DATABASE_ROUTERS,
    "mirror": settings.DATABASES["replica"]["TEST"]["MIRROR"],
    "outside": outside, "inside": inside, "write": write,
}))
"""


def test_with_a_replica_url_the_heavy_reads_go_to_it_and_the_rest_to_the_primary(tmp_path):
    environment = {**os.environ, "DATABASE_REPLICA_URL": f"sqlite:///{tmp_path / 'r.sqlite3'}"}
    done = subprocess.run(  # noqa: S603 - our own interpreter and manage.py
        [sys.executable, "manage.py", "shell", "-c", ROUTING],
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    found = json.loads(done.stdout.strip().splitlines()[-1])
    assert found["routers"] == ["nador_portal.replica.ReplicaRouter"]
    assert found["mirror"] == "default"
    assert (found["outside"], found["inside"], found["write"]) == ("default", "replica", "default")


def test_without_a_replica_everything_reads_the_one_database():
    assert not replica.configured()
    with replica.replica_reads():
        assert replica.ReplicaRouter().db_for_read(None) == "default"


@pytest.fixture
def with_replica(monkeypatch):
    monkeypatch.setattr(replica, "configured", lambda: True)


def _recording_view(seen: list):
    def view(request):
        seen.append(("view", replica._reads.get()))

        def chunks():
            seen.append(("streamed", replica._reads.get()))
            yield b"row\n"

        return StreamingHttpResponse(chunks())

    return replica.reads_from_replica(view)


def test_a_streamed_export_reads_the_replica_while_it_is_sent(with_replica):
    seen = []
    response = _recording_view(seen)(RequestFactory().get("/"))
    assert seen == [("view", "replica")]
    assert b"".join(response.streaming_content) == b"row\n"
    assert seen == [("view", "replica"), ("streamed", "replica")]
    assert replica._reads.get() is None


def test_a_user_who_just_saved_reads_the_primary(with_replica):
    seen = []
    request = RequestFactory().get("/")
    request.COOKIES[replica.STICKY_COOKIE] = str(time.time() + 10)
    b"".join(_recording_view(seen)(request).streaming_content)
    assert seen == [("view", None), ("streamed", None)]


def test_an_expired_or_forged_pin_is_ignored(with_replica):
    for value in (str(time.time() - 1), "not-a-time"):
        seen = []
        request = RequestFactory().get("/")
        request.COOKIES[replica.STICKY_COOKIE] = value
        _recording_view(seen)(request)
        assert seen == [("view", "replica")]


def test_a_successful_post_pins_the_browser_to_the_primary(with_replica, settings):
    settings.REPLICA_STICKY_SECONDS = 15
    middleware = replica.StickToPrimaryMiddleware(lambda request: HttpResponse(status=302))
    response = middleware(RequestFactory().post("/"))
    cookie = response.cookies[replica.STICKY_COOKIE]
    assert cookie["max-age"] == 15 and cookie["httponly"]
    assert time.time() < float(cookie.value) <= time.time() + 15
    refused = replica.StickToPrimaryMiddleware(lambda request: HttpResponse(status=400))
    assert replica.STICKY_COOKIE not in refused(RequestFactory().post("/")).cookies
    read = middleware(RequestFactory().get("/"))
    assert replica.STICKY_COOKIE not in read.cookies


def test_without_a_replica_no_pin_is_set(client, partner):
    response = logged_in(partner).post("/en/accounts/logout/")
    assert replica.STICKY_COOKIE not in response.cookies
    assert client.get("/en/").status_code == 200
