"""Only published content is public: every other status is 404 and absent everywhere."""

from datetime import timedelta
from xml.etree import ElementTree

import pytest
from django.utils import timezone
from icalendar import Calendar

from events.models import Event
from practices.models import Practice, StakeholderRole, Status
from search import fulltext
from tests.conftest import make_practice

UNPUBLISHED = [Status.DRAFT, Status.SUBMITTED, Status.CHANGES_REQUESTED, Status.ARCHIVED]
ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def sitemap_locations(client) -> list[str]:
    """Every address of the sitemap index and of the section sitemaps it lists."""
    index = ElementTree.fromstring(client.get("/sitemap.xml").content)
    locations = []
    for section in index.iter(f"{SITEMAP}loc"):
        sitemap = ElementTree.fromstring(client.get(section.text).content)
        locations += [loc.text for loc in sitemap.iter(f"{SITEMAP}loc")]
    return locations


def make_event(organisation, title: str, status=Status.PUBLISHED, days: int = 10) -> Event:
    starts = timezone.now() + timedelta(days=days)
    event = Event.objects.create(
        title=title,
        slug=title.lower().replace(" ", "-"),
        kind="workshop",
        starts_at=starts,
        ends_at=starts + timedelta(hours=3),
        country="MA",
        city="Nador",
        organisation=organisation,
        status=status,
    )
    event.organisers.add(organisation)
    return event


@pytest.fixture(params=UNPUBLISHED)
def hidden(request, asticude, theme, published_practice):
    practice = make_practice(asticude, "Secret plan about migration", status=request.param)
    practice.themes.add(theme)
    StakeholderRole.objects.create(practice=practice, stakeholder=asticude, role="lead")
    fulltext.write_vectors(Practice.objects.all())
    event = make_event(asticude, "Secret meeting", status=request.param)
    event.practices.add(published_practice)
    return practice, event


def test_an_unpublished_practice_is_not_found(client, hidden):
    practice, _event = hidden
    assert client.get(f"/en/practices/{practice.slug}/").status_code == 404


def test_an_unpublished_event_is_not_found_nor_in_its_calendar(client, hidden):
    _practice, event = hidden
    assert client.get(f"/en/events/{event.slug}/").status_code == 404
    assert client.get(f"/en/events/{event.slug}.ics").status_code == 404


@pytest.mark.parametrize(
    "url",
    [
        "/en/",
        "/en/practices/",
        "/en/practices/?q=secret",
        "/en/practices/?theme=intercultural-dialogue",
        "/en/themes/intercultural-dialogue/",
        "/en/stakeholders/asticude/",
        "/en/events/",
        "/en/practices/published-practice-of-asticude/",
    ],
)
def test_unpublished_records_are_absent_from_public_pages(client, hidden, url):
    response = client.get(url)
    assert response.status_code == 200
    assert "Secret" not in response.content.decode()


def test_unpublished_practices_are_not_counted_in_facets_or_themes(client, hidden):
    response = client.get("/en/practices/")
    theme_counts = {
        option.value: option.count
        for facet in response.context["facets"]
        if facet["name"] == "theme"
        for option in facet["options"]
    }
    assert theme_counts == {"intercultural-dialogue": 1}
    assert response.context["page"].paginator.count == 1


def test_unpublished_records_are_absent_from_the_feed(client, hidden):
    feed = ElementTree.fromstring(client.get("/en/practices/feed/").content)
    titles = [entry.findtext(f"{ATOM}title") for entry in feed.iter(f"{ATOM}entry")]
    assert titles == ["Published practice of ASTICUDE"]


def test_unpublished_records_are_absent_from_the_sitemap(client, hidden):
    locations = sitemap_locations(client)
    assert any("published-practice-of-asticude" in loc for loc in locations)
    assert not any("secret" in loc for loc in locations)


def test_unpublished_events_are_absent_from_the_calendar(client, hidden, asticude):
    make_event(asticude, "Open workshop")
    calendar = Calendar.from_ical(client.get("/en/events/calendar.ics").content)
    assert [str(event["summary"]) for event in calendar.walk("VEVENT")] == ["Open workshop"]


def test_a_published_event_hides_its_unpublished_practices(client, asticude, draft_practice):
    event = make_event(asticude, "Open workshop")
    event.practices.add(draft_practice)
    response = client.get(f"/en/events/{event.slug}/")
    assert draft_practice.title not in response.content.decode()
