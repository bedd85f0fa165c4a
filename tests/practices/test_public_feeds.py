"""The practice feed (same filters as the list), the sitemap and robots.txt."""

from xml.etree import ElementTree

import pytest

from practices.models import Status, Theme
from tests import public_data
from tests.test_public_statuses import sitemap_locations

ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


@pytest.fixture
def kb(asticude, acpp):
    return public_data.build(asticude, acpp)


def feed_titles(client, query: str = "") -> list[str]:
    response = client.get(f"/en/practices/feed/{query}")
    assert response.status_code == 200
    feed = ElementTree.fromstring(response.content)
    return [entry.findtext(f"{ATOM}title") for entry in feed.iter(f"{ATOM}entry")]


def test_the_feed_parses_and_lists_published_practices_newest_first(client, kb):
    assert feed_titles(client) == [kb["festival"].title, kb["media"].title, kb["cafes"].title]


def test_the_feed_takes_the_same_filters_as_the_list(client, kb):
    assert feed_titles(client, "?theme=dialogue&country=MA") == [kb["cafes"].title]
    assert feed_titles(client, "?objective=17") == [kb["festival"].title, kb["media"].title]
    assert feed_titles(client, "?q=festival") == [kb["festival"].title]


def test_a_feed_with_an_unknown_filter_is_empty(client, kb):
    assert feed_titles(client, "?theme=nope") == []


def test_the_feed_links_back_to_the_filtered_list(client, kb):
    feed = ElementTree.fromstring(client.get("/en/practices/feed/?theme=dialogue").content)
    links = [link.get("href") for link in feed.findall(f"{ATOM}link")]
    assert any(href.endswith("/en/practices/?theme=dialogue") for href in links)


def test_the_sitemap_lists_public_pages_in_every_language(client, kb):
    locations = set(sitemap_locations(client))
    for language in ["en", "fr", "ar", "es"]:
        assert f"http://testserver/{language}/events/" in locations
    assert not any("hidden" in location for location in locations)


def test_the_sitemap_lists_a_practice_in_the_languages_it_can_be_read_in(client, kb):
    cafes = kb["cafes"]
    cafes.translations.create(
        language="fr", title="Cafés", summary="Résumé.", status=Status.PUBLISHED
    )
    cafes.translations.create(language="ar", title="مقاهي", summary="ملخص", status="submitted")
    locations = set(sitemap_locations(client))
    page = f"practices/{cafes.slug}/"
    assert f"http://testserver/en/{page}" in locations
    assert f"http://testserver/fr/{page}" in locations
    assert f"http://testserver/ar/{page}" not in locations  # not approved yet
    assert f"http://testserver/es/{page}" not in locations


def test_robots_txt_points_to_the_sitemap_and_keeps_private_areas_out(client, db):
    response = client.get("/robots.txt")
    body = response.content.decode()
    assert response["Content-Type"].startswith("text/plain")
    assert "Sitemap: http://testserver/sitemap.xml" in body
    assert "Disallow: /*/workspace/" in body
    assert "admin" not in body


def feed_title(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return ElementTree.fromstring(response.content).findtext(f"{ATOM}title")


def test_a_filtered_feed_is_titled_with_its_categories_in_the_feeds_language(client, kb):
    Theme.objects.filter(slug="dialogue").update(name_fr="Dialogue interculturel")
    title = feed_title(client, "/fr/practices/feed/?theme=dialogue&objective=17")
    assert title.startswith("Bonnes pratiques du portail des partenaires de Nador")
    assert "Dialogue interculturel" in title
    assert "17. Éliminer les discriminations" in title
    assert "Intercultural dialogue" not in title
    assert "Eliminate" not in title


def test_an_unfiltered_feed_keeps_the_portals_title(client, kb):
    assert feed_title(client, "/en/practices/feed/") == (
        "Good practices of the Nador partners' portal"
    )
    assert "Intercultural dialogue" in feed_title(client, "/en/practices/feed/?theme=dialogue")
