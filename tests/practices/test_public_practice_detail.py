"""The public practice page: laid out like the seed, with its stakeholders, indicators,
related events and practices, in a constant number of queries."""

from decimal import Decimal

import pytest

from practices.models import Indicator, Practice, StakeholderRole
from tests import public_data
from tests.conftest import make_practice, make_stakeholder
from tests.test_public_statuses import make_event


@pytest.fixture
def kb(asticude, acpp):
    return public_data.build(asticude, acpp)


def test_the_practice_page_shows_the_sections_of_the_seed(client, kb):
    cafes = kb["cafes"]
    Practice.objects.filter(pk=cafes.pk).update(
        impact="More encounters.", lessons_learnt="Start small.", mayor="A. Mayor"
    )
    content = client.get(cafes.get_absolute_url()).content.decode()
    for heading in [
        "Summary",
        "Impact",
        "Lessons learnt",
        "Priority objectives",
        "Country",
        "Local or regional government",
        "Mayor",
        "Start",
        "End",
    ]:
        assert heading in content, heading
    assert "More encounters." in content and "A. Mayor" in content
    assert "Objective 16" in content
    assert "Morocco" in content
    assert content.count("<h1") == 1


def test_the_page_shows_stakeholders_with_roles_and_indicators(client, kb):
    festival = kb["festival"]
    Indicator.objects.create(
        practice=festival, label="Viewers", target=Decimal(1000), achieved=Decimal(1250)
    )
    content = client.get(festival.get_absolute_url()).content.decode()
    assert "ACPP" in content and "Lead" in content
    assert "ASTICUDE" in content and "Partner" in content
    assert "Viewers" in content
    assert "1,000" in content and "1,250" in content
    assert "125% of the target" in content


def test_the_page_lists_published_related_events_and_practices(client, kb, asticude):
    cafes = kb["cafes"]
    make_event(asticude, "Cafe evening").practices.add(cafes)
    make_event(asticude, "Hidden evening", status="draft").practices.add(cafes)
    response = client.get(cafes.get_absolute_url())
    content = response.content.decode()
    assert "Cafe evening" in content and "Hidden evening" not in content
    # The festival shares the dialogue theme; media shares nothing with the cafes.
    assert [p.title for p in response.context["related"]] == [kb["festival"].title]


def test_the_page_shows_the_language_of_the_text_and_marks_samples(client, asticude):
    practice = make_practice(asticude, "Guichet unique", language="fr", is_sample=True)
    content = client.get(practice.get_absolute_url()).content.decode()
    assert "Written in French" in content
    assert 'lang="fr"' in content
    assert "Sample content" in content


def test_the_practice_page_uses_the_visitors_language_for_dates_and_countries(client, kb):
    content = client.get(f"/fr/practices/{kb['cafes'].slug}/").content.decode()
    assert "Maroc" in content
    assert "janvier 2020" in content  # start of the project, 1 January 2020
    content = client.get(f"/es/practices/{kb['cafes'].slug}/").content.decode()
    assert "Marruecos" in content


def test_an_unknown_practice_is_not_found(client, db):
    assert client.get("/en/practices/no-such-practice/").status_code == 404


def test_the_practice_page_keeps_a_constant_number_of_queries(
    client, kb, asticude, django_assert_max_num_queries
):
    cafes = kb["cafes"]
    # With its translations and theirs, its files, its links and the cities that asked.
    with django_assert_max_num_queries(18):
        client.get(cafes.get_absolute_url())
    for number in range(15):
        StakeholderRole.objects.create(
            practice=cafes, stakeholder=make_stakeholder(f"Partner {number}"), role="partner"
        )
        Indicator.objects.create(practice=cafes, label=f"Indicator {number}", target=10)
        cafes.links.create(url=f"https://example.org/{number}", title=f"Article {number}")
        make_event(asticude, f"Event {number}").practices.add(cafes)
        make_practice(asticude, f"Related {number}").themes.set(cafes.themes.all())
    with django_assert_max_num_queries(18):
        response = client.get(cafes.get_absolute_url())
    assert response.status_code == 200
