"""History pages and reverting to an earlier version."""

import pytest
from django.test import Client

from practices.models import Practice, Status
from tests.workspace_helpers import client_for, practice_data

pytestmark = pytest.mark.django_db


def history_url(practice) -> str:
    return f"/en/workspace/practices/{practice.slug}/history/"


def revert_url(practice, record) -> str:
    return f"/en/review/practices/{practice.slug}/revert/{record.history_id}/"


def edit(practice, user, **changes):
    data = practice_data(practice, user, **changes)
    response = client_for(user).post(f"/en/workspace/practices/{practice.slug}/edit/", data)
    assert response.status_code == 302
    practice.refresh_from_db()


def test_the_history_page_shows_who_when_and_why_for_each_version(
    partner, coordinator, draft_practice
):
    edit(draft_practice, partner, title="Renamed")
    draft_practice.submit(by=partner)
    draft_practice.request_changes(by=coordinator, comment="Add the dates.")
    response = client_for(partner).get(history_url(draft_practice))
    content = response.content.decode()
    assert response.status_code == 200
    assert "Changes requested: Add the dates." in content
    assert "Submitted for review" in content
    assert "· partner" in content
    assert "<del>Draft practice of ASTICUDE</del>" in content
    assert "Revert to this version" not in content


def test_the_history_page_uses_a_bounded_number_of_queries(
    partner, draft_practice, django_assert_max_num_queries
):
    for number in range(5):
        edit(draft_practice, partner, title=f"Title {number}")
    client = client_for(partner)
    with django_assert_max_num_queries(60):
        assert client.get(history_url(draft_practice)).status_code == 200


def test_coordinator_reverts_a_published_practice_and_it_stays_published(
    partner, coordinator, published_practice, theme
):
    original = published_practice.history.first()
    edit(published_practice, partner, title="Vandalised", themes=[])
    assert not published_practice.themes.exists()
    client = client_for(coordinator)
    assert "Revert to this version" in client.get(history_url(published_practice)).content.decode()
    response = client.post(revert_url(published_practice, original))
    published_practice.refresh_from_db()
    assert response.status_code == 302
    assert published_practice.title == "Published practice of ASTICUDE"
    assert list(published_practice.themes.all()) == [theme]
    assert published_practice.status == Status.PUBLISHED
    latest = published_practice.history.first()
    assert latest.history_user == coordinator
    assert latest.history_change_reason.startswith("Reverted to the version of")


@pytest.mark.parametrize("persona", ["partner", "outsider"])
def test_partners_may_not_revert(request, persona, partner, published_practice):
    original = published_practice.history.first()
    edit(published_practice, partner, title="Changed")
    client = client_for(request.getfixturevalue(persona))
    assert client.post(revert_url(published_practice, original)).status_code == 403
    assert Practice.objects.get(pk=published_practice.pk).title == "Changed"


def test_anonymous_visitor_cannot_revert(partner, published_practice):
    original = published_practice.history.first()
    edit(published_practice, partner, title="Changed")
    response = Client().post(revert_url(published_practice, original))
    assert response.status_code == 302
    assert Practice.objects.get(pk=published_practice.pk).title == "Changed"


def test_reverting_to_a_version_of_another_practice_is_a_404(
    coordinator, published_practice, draft_practice
):
    other = draft_practice.history.first()
    versions = published_practice.history.count()
    response = client_for(coordinator).post(revert_url(published_practice, other))
    assert response.status_code == 404
    assert published_practice.history.count() == versions


def test_outsider_gets_404_for_the_history_of_another_organisations_draft(outsider, draft_practice):
    assert client_for(outsider).get(history_url(draft_practice)).status_code == 404


def test_coordinator_sees_any_history(coordinator, draft_practice):
    assert client_for(coordinator).get(history_url(draft_practice)).status_code == 200


def test_stakeholders_keep_a_history_too(asticude):
    asticude.description = "New description"
    asticude.save()
    assert asticude.history.count() == 2


def test_the_history_page_shows_reasons_in_the_readers_language(
    partner, coordinator, draft_practice
):
    draft_practice.submit(by=partner)
    draft_practice.request_changes(by=coordinator, comment="Add the dates.")
    url = f"/fr/workspace/practices/{draft_practice.slug}/history/"
    content = client_for(partner).get(url).content.decode()
    assert "Add the dates." in content
    assert content.count("<h1") == 1


def test_coordinator_reverts_a_stakeholder_to_an_earlier_version(coordinator, asticude):
    original = asticude.history.first()
    asticude.description = "Defaced"
    asticude.save()
    client = client_for(coordinator)
    page = client.get(f"/en/review/stakeholders/{asticude.slug}/history/")
    assert page.status_code == 200
    assert "<ins>Defaced</ins>" in page.content.decode()
    url = f"/en/review/stakeholders/{asticude.slug}/revert/{original.history_id}/"
    assert client.post(url).status_code == 302
    asticude.refresh_from_db()
    assert asticude.description == ""
    assert asticude.history.first().history_user == coordinator


@pytest.mark.parametrize("persona", ["partner", "outsider"])
def test_partners_may_not_see_or_revert_stakeholder_history(request, persona, asticude):
    original = asticude.history.first()
    asticude.description = "Changed"
    asticude.save()
    client = client_for(request.getfixturevalue(persona))
    assert client.get(f"/en/review/stakeholders/{asticude.slug}/history/").status_code == 403
    url = f"/en/review/stakeholders/{asticude.slug}/revert/{original.history_id}/"
    assert client.post(url).status_code == 403
    assert Client().post(url).status_code == 302
    asticude.refresh_from_db()
    assert asticude.description == "Changed"
