"""The sitemap at any size: pages of records in every language, the index's latest change
from one aggregate, and a page's queries the same however many practices there are."""

from datetime import datetime, timedelta
from xml.etree import ElementTree

import pytest
from django.db import connection
from django.db.models.signals import post_init
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from practices.models import Practice, Status
from practices.sitemaps import PracticeSitemap
from tests.conftest import make_practice
from tests.test_public_statuses import sitemap_locations

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


@pytest.fixture
def pages_of_two(monkeypatch):
    monkeypatch.setattr(PracticeSitemap, "limit", 2)


@pytest.fixture
def five_published(asticude):
    practices = [make_practice(asticude, f"Practice {n}") for n in range(5)]
    make_practice(asticude, "Draft practice", status=Status.DRAFT)
    practices[1].translations.create(
        language="fr", title="Pratique", summary="Résumé.", status=Status.PUBLISHED
    )
    return practices


def practice_pages(client) -> list[str]:
    index = ElementTree.fromstring(client.get("/sitemap.xml").content)
    return [loc.text for loc in index.iter(f"{SITEMAP}loc") if "sitemap-practices" in loc.text]


def test_the_index_lists_one_page_for_every_few_published_practices(
    client, pages_of_two, five_published
):
    assert practice_pages(client) == [
        "http://testserver/sitemap-practices.xml",
        "http://testserver/sitemap-practices.xml?p=2",
        "http://testserver/sitemap-practices.xml?p=3",
    ]


def test_the_pages_list_every_published_practice_once_in_each_of_its_languages(
    client, pages_of_two, five_published
):
    locations = [location for location in sitemap_locations(client) if "/practice-" in location]
    expected = [f"http://testserver/en/practices/{p.slug}/" for p in five_published]
    expected.insert(2, f"http://testserver/fr/practices/{five_published[1].slug}/")
    assert locations == expected


def test_a_page_past_the_last_is_not_found(client, pages_of_two, five_published):
    assert client.get("/sitemap-practices.xml?p=4").status_code == 404
    assert client.get("/sitemap-practices.xml?p=x").status_code == 404
    assert client.get("/sitemap-practices.xml?p=0").status_code == 404
    assert client.get("/sitemap-practices.xml?p=1.5").status_code == 404


@pytest.fixture
def practices_read():
    """How many practices Django builds from rows during the test."""
    read = []

    def count(sender, instance, **kwargs):
        read.append(instance.pk)

    post_init.connect(count, sender=Practice)
    yield read
    post_init.disconnect(count, sender=Practice)


def test_a_page_reads_only_its_own_practices(client, pages_of_two, five_published, practices_read):
    pages = practice_pages(client)
    practices_read.clear()
    with CaptureQueriesContext(connection) as captured:
        assert client.get(pages[1]).status_code == 200
    assert sorted(practices_read) == sorted(p.pk for p in five_published[2:4])
    assert len(captured) == 2  # the page's practices, their translations


def test_the_index_reads_no_practice(client, pages_of_two, five_published, practices_read):
    assert client.get("/sitemap.xml").status_code == 200
    assert practices_read == []


def test_the_index_gives_the_latest_change_of_a_published_practice(
    client, five_published, asticude
):
    latest = timezone.now() - timedelta(days=3)
    Practice.objects.filter(pk=five_published[2].pk).update(updated_at=latest)
    Practice.objects.exclude(pk=five_published[2].pk).update(updated_at=latest - timedelta(days=1))
    make_practice(asticude, "A newer draft", status=Status.DRAFT)  # not public: not counted
    index = ElementTree.fromstring(client.get("/sitemap.xml").content)
    practices = [
        entry
        for entry in index.iter(f"{SITEMAP}sitemap")
        if "sitemap-practices" in entry.findtext(f"{SITEMAP}loc")
    ]
    assert datetime.fromisoformat(practices[0].findtext(f"{SITEMAP}lastmod")) == latest
