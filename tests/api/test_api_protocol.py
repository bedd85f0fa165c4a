"""How the API answers whatever it serves: GET only (405 in JSON otherwise), conditional
GET with ETag and Last-Modified, the rate limit by the visitor's real address, CORS for
reading from any site without credentials."""

from datetime import timedelta

import pytest
from django.utils.http import http_date

from tests.api.helpers import build

pytestmark = pytest.mark.django_db

ENDPOINTS = [
    "/api/v1/practices/",
    "/api/v1/themes/",
    "/api/v1/objectives/",
    "/api/v1/principles/",
    "/api/v1/target-groups/",
    "/api/v1/areas/",
    "/api/v1/programmes/",
    "/api/v1/stakeholders/",
    "/api/v1/events/",
    "/api/v1/event-series/",
]


@pytest.fixture
def kb(asticude, acpp):
    return build(asticude, acpp)


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_writing_is_a_405_in_json_that_changes_nothing(client, kb, method):
    slug = kb["cafes"].slug
    for url in [*ENDPOINTS, f"/api/v1/practices/{slug}/"]:
        response = getattr(client, method)(url, {"title": "x"}, content_type="application/json")
        assert response.status_code == 405, url
        assert response.json()["status"] == 405
        assert set(response["Allow"].replace(" ", "").split(",")) == {"GET", "HEAD", "OPTIONS"}
    kb["cafes"].refresh_from_db()
    assert kb["cafes"].title == "Intercultural cafés in Nador"


@pytest.mark.parametrize("url", ENDPOINTS)
def test_every_list_answers_json_with_an_etag_and_a_304_when_unchanged(client, kb, url):
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    etag = response["ETag"]
    unchanged = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert unchanged.status_code == 304 and unchanged.content == b""
    assert unchanged["ETag"] == etag
    assert client.get(url, HTTP_IF_NONE_MATCH='"other"').status_code == 200
    head = client.head(url)
    assert head.status_code == 200 and head["ETag"] == etag and head.content == b""


def test_the_etag_changes_with_the_content_the_query_and_the_language(client, kb):
    etag = client.get("/api/v1/practices/")["ETag"]
    assert client.get("/api/v1/practices/?theme=media")["ETag"] != etag
    assert client.get("/api/v1/practices/?lang=fr")["ETag"] != etag
    kb["media"].title = "Media training, second edition"
    kb["media"].save()
    changed = client.get("/api/v1/practices/", HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200 and changed["ETag"] != etag


def test_a_practice_has_a_last_modified_and_a_304_since_then(client, kb):
    url = f"/api/v1/practices/{kb['cafes'].slug}/"
    response = client.get(url)
    translation = kb["cafes"].translations.get()
    assert response["Last-Modified"] == http_date(
        max(kb["cafes"].updated_at, translation.updated_at).timestamp()
    )
    assert client.get(url, HTTP_IF_MODIFIED_SINCE=response["Last-Modified"]).status_code == 304
    earlier = http_date((kb["cafes"].updated_at - timedelta(days=1)).timestamp())
    assert client.get(url, HTTP_IF_MODIFIED_SINCE=earlier).status_code == 200


def test_anonymous_clients_are_limited_by_their_real_address(client, kb, settings):
    settings.API_ANON_RATE = "2/min"
    settings.PROXY_COUNT = 1
    visitor = {"HTTP_X_FORWARDED_FOR": "203.0.113.7", "REMOTE_ADDR": "10.0.0.1"}
    # A forged address to the left of the proxy's is ignored: the same visitor.
    forged = {"HTTP_X_FORWARDED_FOR": "1.2.3.4, 203.0.113.7", "REMOTE_ADDR": "10.0.0.1"}
    assert client.get("/api/v1/themes/", **visitor).status_code == 200
    assert client.get("/api/v1/themes/", **forged).status_code == 200
    refused = client.get("/api/v1/themes/", **visitor)
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0
    assert refused.json()["status"] == 429
    other = {"HTTP_X_FORWARDED_FOR": "198.51.100.9", "REMOTE_ADDR": "10.0.0.1"}
    assert client.get("/api/v1/themes/", **other).status_code == 200


def test_the_limit_holds_for_signed_in_users_too(client, kb, partner, settings):
    settings.API_ANON_RATE = "1/min"
    client.force_login(partner)
    assert client.get("/api/v1/themes/").status_code == 200
    assert client.get("/api/v1/themes/").status_code == 429


def test_any_site_may_read_the_api_without_credentials(client, kb):
    response = client.get("/api/v1/practices/", HTTP_ORIGIN="https://example.org")
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "Access-Control-Allow-Credentials" not in response
    preflight = client.options(
        "/api/v1/practices/",
        HTTP_ORIGIN="https://example.org",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
    )
    assert preflight.status_code == 200
    methods = set(preflight["Access-Control-Allow-Methods"].replace(" ", "").split(","))
    assert methods == {"GET", "HEAD", "OPTIONS"}


def test_the_pages_of_the_portal_get_no_cors_header(client, kb):
    response = client.get("/en/practices/", HTTP_ORIGIN="https://example.org")
    assert "Access-Control-Allow-Origin" not in response


def test_categories_are_named_in_the_asked_language(client, kb):
    themes = client.get("/api/v1/themes/?lang=fr").json()
    names = {theme["slug"]: theme["name"] for theme in themes}
    assert names["dialogue"] == "Dialogue interculturel"
    assert names["media"] == "Public discourse and media"  # no French name: English
    objectives = client.get("/api/v1/objectives/").json()
    assert [o["number"] for o in objectives] == list(range(1, 24))


def test_stakeholders_are_organisations_with_no_people(client, kb, partner):
    body = client.get("/api/v1/stakeholders/?page_size=100").json()
    assert {s["slug"] for s in body["results"]} >= {"asticude", "acpp"}
    assert "partner" not in str(body)  # the member's username
    detail = client.get("/api/v1/stakeholders/asticude/")
    assert detail.json()["name"] == "ASTICUDE" and "Last-Modified" in detail
    assert client.get("/api/v1/stakeholders/nobody/").status_code == 404


def test_events_and_series_are_the_published_ones(client, asticude):
    from django.utils import timezone

    from events.models import Event, EventSeries
    from practices.models import Status
    from tests.conftest import make_practice

    week = EventSeries.objects.create(name="Migration week", slug="week", year=2026)
    EventSeries.objects.create(name="Empty series", slug="empty")
    practice = make_practice(asticude, "Shown practice")
    hidden_practice = make_practice(asticude, "Hidden practice", status=Status.DRAFT)
    starts = timezone.now()
    events = {}
    for status in (Status.PUBLISHED, Status.DRAFT):
        events[status] = Event.objects.create(
            title=f"Event {status}",
            slug=f"event-{status}",
            kind=Event.Kind.WORKSHOP,
            organisation=asticude,
            status=status,
            series=week,
            starts_at=starts,
            ends_at=starts,
            country="MA",
        )
    events[Status.PUBLISHED].practices.set([practice, hidden_practice])
    events[Status.PUBLISHED].organisers.set([asticude])
    listed = client.get("/api/v1/events/").json()["results"]
    assert [e["slug"] for e in listed] == ["event-published"]
    assert listed[0]["practices"] == ["shown-practice"]
    assert listed[0]["organisers"] == [{"slug": "asticude", "name": "ASTICUDE"}]
    assert client.get("/api/v1/events/event-draft/").status_code == 404
    assert client.get("/api/v1/events/event-published/").json()["series"]["slug"] == "week"
    series = client.get("/api/v1/event-series/").json()
    assert series == [
        {
            "slug": "week",
            "name": "Migration week",
            "description": "",
            "year": 2026,
            "events": ["event-published"],
        }
    ]
