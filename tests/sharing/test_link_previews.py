"""Link previews (OpenGraph, Twitter cards) and schema.org structured data of the public
pages, read back with html.parser and json.loads, in English and Arabic."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from events.models import Event, EventSeries
from practices.models import PracticeTranslation, StakeholderRole, Status, Theme
from tests.conftest import logged_in, make_practice, make_stakeholder
from tests.sharing.helpers import og, read, structured
from tests.test_public_statuses import make_event

pytestmark = pytest.mark.django_db

CARD = "http://testserver/static/img/card.png"


@pytest.fixture
def practice(asticude, acpp):
    theme = Theme.objects.create(
        name="Intercultural dialogue", slug="dialogue", name_ar="الحوار بين الثقافات"
    )
    practice = make_practice(
        asticude,
        "Intercultural cafés in Nador",
        summary="Monthly cafés where newcomers and neighbours meet. " * 12,
        city="Nador",
        start_date=date(2020, 1, 1),
        end_date=date(2021, 12, 31),
        published_at=timezone.now(),
    )
    practice.themes.set([theme])
    StakeholderRole.objects.create(practice=practice, stakeholder=acpp, role="lead")
    StakeholderRole.objects.create(practice=practice, stakeholder=asticude, role="partner")
    PracticeTranslation.objects.create(
        practice=practice,
        language="ar",
        status=Status.PUBLISHED,
        title="مقاهي الحوار في الناظور",
        summary="مقاهٍ شهرية يلتقي فيها الوافدون الجدد والجيران.",
    )
    return practice


def test_a_practice_page_is_previewed_in_english_with_its_own_text(client, practice):
    page = read(client.get("/en/practices/intercultural-cafes-in-nador/"))
    assert og(page, "og:title") == "Intercultural cafés in Nador"
    description = og(page, "og:description")
    assert description.startswith("Monthly cafés where newcomers")
    assert len(description) <= 200 and description.endswith("…")
    assert not description[:-1].endswith(" ")
    assert og(page, "og:url") == "http://testserver/en/practices/intercultural-cafes-in-nador/"
    assert og(page, "og:type") == "article"
    assert og(page, "og:locale") == "en_GB"
    assert page.meta["og:locale:alternate"] == ["ar_MA"]
    assert og(page, "og:site_name") == "Nador partners' portal"
    assert og(page, "og:image") == CARD
    assert (og(page, "og:image:width"), og(page, "og:image:height")) == ("1200", "630")
    assert og(page, "og:image:alt")
    assert og(page, "twitter:card") == "summary_large_image"


def test_a_practice_page_in_arabic_is_previewed_with_the_approved_translation(client, practice):
    page = read(client.get("/ar/practices/intercultural-cafes-in-nador/"))
    assert og(page, "og:title") == "مقاهي الحوار في الناظور"
    assert og(page, "og:description") == "مقاهٍ شهرية يلتقي فيها الوافدون الجدد والجيران."
    assert og(page, "og:url") == "http://testserver/ar/practices/intercultural-cafes-in-nador/"
    assert og(page, "og:locale") == "ar_MA"
    assert page.meta["og:locale:alternate"] == ["en_GB"]
    data = structured(page)
    assert data["name"] == "مقاهي الحوار في الناظور"
    assert data["inLanguage"] == "ar"
    assert data["about"] == [
        {
            "@type": "Thing",
            "name": "الحوار بين الثقافات",
            "url": "http://testserver/ar/themes/dialogue/",
        }
    ]


def test_a_practice_is_described_as_a_creative_work(client, practice):
    data = structured(read(client.get("/en/practices/intercultural-cafes-in-nador/")))
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "CreativeWork"
    assert data["name"] == "Intercultural cafés in Nador"
    assert data["abstract"].startswith("Monthly cafés") and len(data["abstract"]) <= 200
    assert data["inLanguage"] == "en"
    assert data["url"] == "http://testserver/en/practices/intercultural-cafes-in-nador/"
    assert data["temporalCoverage"] == "2020-01-01/2021-12-31"
    assert data["spatialCoverage"]["address"] == {
        "@type": "PostalAddress",
        "addressLocality": "Nador",
        "addressCountry": "MA",
    }
    lead = {
        "@type": "Organization",
        "name": "ACPP",
        "url": "http://testserver/en/stakeholders/acpp/",
    }
    assert data["author"] == [lead] and data["publisher"] == [lead]
    assert datetime.fromisoformat(data["dateModified"]).utcoffset() is not None
    assert datetime.fromisoformat(data["dateCreated"]) <= datetime.fromisoformat(
        data["dateModified"]
    )


def test_a_practice_without_an_end_runs_on_in_its_temporal_coverage(client, asticude):
    make_practice(asticude, "Open-ended desk", start_date=date(2023, 5, 1))
    data = structured(read(client.get("/en/practices/open-ended-desk/")))
    assert data["temporalCoverage"] == "2023-05-01/.."
    # No lead among the roles: the organisation that owns the record signs it.
    assert data["author"][0]["name"] == "ASTICUDE"


def test_a_title_that_closes_the_script_is_escaped_in_the_structured_data(client, asticude):
    title = 'Cafés </script><script>alert("x")</script> & more'
    practice = make_practice(asticude, title)
    type(practice).objects.filter(pk=practice.pk).update(slug="hostile")
    response = client.get("/en/practices/hostile/")
    content = response.content.decode()
    script = content[content.index('<script type="application/ld+json">') :]
    script = script[: script.index("</script>") + len("</script>")]
    assert "\\u003C/script\\u003E" in script and "\\u0026" in script
    assert "<script>alert" not in content
    assert structured(read(response))["name"] == title


def test_an_event_is_described_with_its_place_organisers_and_local_time(client, asticude):
    series = EventSeries.objects.create(name="Migration Week 2026", slug="week-2026")
    casablanca = ZoneInfo("Africa/Casablanca")
    event = make_event(asticude, "Fair reporting workshop")
    Event.objects.filter(pk=event.pk).update(
        series=series,
        venue="Cultural centre",
        description="A day on words that inform without harming.",
        starts_at=datetime(2026, 12, 14, 9, 0, tzinfo=casablanca),
        ends_at=datetime(2026, 12, 14, 17, 0, tzinfo=casablanca),
    )
    for language in ("en", "ar"):
        page = read(client.get(f"/{language}/events/fair-reporting-workshop/"))
        assert og(page, "og:title") == "Fair reporting workshop"
        assert og(page, "og:url") == f"http://testserver/{language}/events/fair-reporting-workshop/"
        assert og(page, "og:locale") == {"en": "en_GB", "ar": "ar_MA"}[language]
        data = structured(page)
        assert data["@type"] == "Event"
        assert data["startDate"] == "2026-12-14T09:00:00+01:00"
        assert data["endDate"] == "2026-12-14T17:00:00+01:00"
        assert data["location"] == {
            "@type": "Place",
            "name": "Cultural centre",
            "address": {
                "@type": "PostalAddress",
                "addressLocality": "Nador",
                "addressCountry": "MA",
            },
        }
        assert data["organizer"] == [
            {
                "@type": "Organization",
                "name": "ASTICUDE",
                "url": f"http://testserver/{language}/stakeholders/asticude/",
            }
        ]
        assert data["eventStatus"] == "https://schema.org/EventScheduled"
        assert data["eventAttendanceMode"] == "https://schema.org/OfflineEventAttendanceMode"
        assert data["inLanguage"] == language


def test_a_stakeholder_is_described_as_an_organisation(client, db):
    make_stakeholder(
        "Association Nador Welcome",
        city="Nador",
        country="MA",
        website="https://example.org/",
        description="Welcomes newcomers.",
    )
    page = read(client.get("/ar/stakeholders/association-nador-welcome/"))
    assert og(page, "og:title") == "Association Nador Welcome"
    assert og(page, "og:description") == "Welcomes newcomers."
    assert og(page, "og:locale") == "ar_MA"
    assert sorted(page.meta["og:locale:alternate"]) == ["en_GB", "es_ES", "fr_FR"]
    data = structured(page)
    assert data == {
        "@context": "https://schema.org",
        "@type": "Organization",
        "name": "Association Nador Welcome",
        "description": "Welcomes newcomers.",
        "url": "http://testserver/ar/stakeholders/association-nador-welcome/",
        "sameAs": "https://example.org/",
        "address": {"@type": "PostalAddress", "addressLocality": "Nador", "addressCountry": "MA"},
    }


def test_the_home_page_is_described_as_the_website_with_its_search(client, db):
    for language in ("en", "ar"):
        page = read(client.get(f"/{language}/"))
        assert og(page, "og:url") == f"http://testserver/{language}/"
        assert og(page, "og:image") == CARD
        data = structured(page)
        assert data["@type"] == "WebSite"
        assert data["inLanguage"] == language
        target = data["potentialAction"]["target"]["urlTemplate"]
        assert target == f"http://testserver/{language}/practices/?q={{search_term_string}}"
    arabic = read(client.get("/ar/"))
    assert og(arabic, "og:site_name") != "Nador partners' portal"  # translated


def test_a_theme_page_has_a_preview_without_its_filters_in_the_url(client, practice):
    page = read(client.get("/en/themes/dialogue/?country=MA&page=1"))
    assert og(page, "og:title") == "Intercultural dialogue"
    assert og(page, "og:url") == "http://testserver/en/themes/dialogue/"
    assert og(page, "og:description")
    assert page.json_ld == []


def test_a_workspace_preview_of_a_draft_says_nothing_to_link_previews(partner, draft_practice):
    response = logged_in(partner).get(f"/en/workspace/practices/{draft_practice.slug}/preview/")
    page = read(response)
    assert "og:title" not in page.meta and page.json_ld == []


def test_the_preview_image_comes_from_one_place(rf, practice, monkeypatch):
    from nador_portal import sharing

    request = rf.get("/en/practices/intercultural-cafes-in-nador/")
    image = sharing.share_image(request, practice)
    assert image.url == CARD and (image.width, image.height) == (1200, 630)
    monkeypatch.setattr(
        sharing, "share_image", lambda request, record=None: sharing.Image("x.png", "alt", 1, 1)
    )
    card, data = sharing.practice(request, practice, ["en"])
    assert card.image.url == "x.png" and data["image"] == "x.png"
