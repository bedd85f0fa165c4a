"""Translations of practices through the workspace and the review: a partner writes one,
a coordinator approves it or sends it back, the visitor reads it, the history keeps it."""

import pytest
from django.core import mail

from practices.models import Indicator, PracticeTranslation, Status
from publishing.history import versions_with_changes
from tests.conftest import make_practice
from tests.workspace_helpers import client_for, practice_data

pytestmark = pytest.mark.django_db

ARABIC = {"title": "مقاهي الناظور", "summary": "يلتقي المهاجرون والسكان كل أسبوع."}


def translation_url(practice, language: str = "ar") -> str:
    return f"/en/workspace/practices/{practice.slug}/translations/{language}/"


def review_url(practice, language: str = "ar", decision: str = "") -> str:
    url = f"/en/review/practices/{practice.slug}/translations/{language}/"
    return url + (f"{decision}/" if decision else "")


@pytest.fixture
def published(asticude):
    return make_practice(asticude, "Cafés of Nador", summary="Residents and migrants meet.")


def public_title(client, practice, language: str = "ar") -> str:
    html = client.get(f"/{language}/practices/{practice.slug}/").content.decode()
    return html.split("<h1", 1)[1].split("</h1>", 1)[0]


def test_a_partners_translation_reaches_the_public_once_a_coordinator_approves_it(
    client, partner, coordinator, published
):
    indicator = Indicator.objects.create(practice=published, label="Meetings held", target=10)
    data = {**ARABIC, f"indicator_{indicator.pk}": "لقاءات منظمة"}
    response = client_for(partner).post(translation_url(published), data)
    assert response.status_code == 302
    translation = published.translations.get(language="ar")
    assert translation.status == Status.SUBMITTED
    assert translation.indicator_labels == {str(indicator.pk): "لقاءات منظمة"}
    assert "Cafés of Nador" in public_title(client, published)
    assert len(mail.outbox) == 1 and "Arabic" in mail.outbox[0].subject

    queue = client_for(coordinator).get("/en/review/").content.decode()
    assert review_url(published) in queue
    page = client_for(coordinator).get(review_url(published)).content.decode()
    assert "مقاهي الناظور" in page and "لقاءات منظمة" in page
    approved = client_for(coordinator).post(review_url(published, decision="approve"))
    assert approved.status_code == 302

    assert "مقاهي الناظور" in public_title(client, published)
    assert "لقاءات منظمة" in client.get(f"/ar/practices/{published.slug}/").content.decode()


def test_a_coordinator_sends_a_translation_back_with_a_comment(partner, coordinator, published):
    client_for(partner).post(translation_url(published), ARABIC)
    refused = client_for(coordinator).post(review_url(published, decision="request-changes"))
    assert refused.status_code == 400
    assert published.translations.get().status == Status.SUBMITTED
    client_for(coordinator).post(
        review_url(published, decision="request-changes"), {"comment": "Check the title."}
    )
    translation = published.translations.get()
    assert (translation.status, translation.review_comment) == (
        Status.CHANGES_REQUESTED,
        "Check the title.",
    )
    page = client_for(partner).get(translation_url(published)).content.decode()
    assert "Check the title." in page


def test_a_changed_translation_goes_back_to_review(client, partner, coordinator, published):
    client_for(coordinator).post(translation_url(published), ARABIC)
    translation = published.translations.get()
    assert translation.status == Status.PUBLISHED  # a coordinator's own is approved
    data = {**ARABIC, "title": "عنوان جديد", "version": translation.updated_at.isoformat()}
    assert client_for(partner).post(translation_url(published), data).status_code == 302
    assert published.translations.get().status == Status.SUBMITTED
    assert "عنوان جديد" not in public_title(client, published)


def test_the_history_of_a_practice_holds_the_versions_of_its_translations(
    partner, coordinator, published
):
    client_for(partner).post(translation_url(published), ARABIC)
    client_for(coordinator).post(review_url(published, decision="approve"))
    versions = versions_with_changes(published)
    labels = [change.label for _record, changes in versions for change in changes]
    assert "title (Arabic)" in labels and "summary (Arabic)" in labels
    reasons = [record.history_change_reason for record, _changes in versions]
    assert reasons[:2] == ["Published", "Translation added"]
    page = client_for(partner).get(f"/en/workspace/practices/{published.slug}/history/")
    assert "مقاهي الناظور" in page.content.decode()


def test_publishing_a_practice_approves_the_translations_submitted_with_it(
    partner, coordinator, asticude
):
    draft = make_practice(asticude, "A draft", status=Status.DRAFT)
    client_for(partner).post(translation_url(draft), ARABIC)
    draft.submit(by=partner)
    review = client_for(coordinator).get(f"/en/review/practices/{draft.slug}/").content.decode()
    assert review_url(draft) in review and "approves the translations waiting" in review
    client_for(coordinator).post(f"/en/review/practices/{draft.slug}/publish/")
    assert draft.translations.get().status == Status.PUBLISHED


def test_a_practice_is_not_translated_into_its_own_language(partner, published):
    assert client_for(partner).get(translation_url(published, "en")).status_code == 404
    assert client_for(partner).post(translation_url(published, "en"), ARABIC).status_code == 404
    assert client_for(partner).get(translation_url(published, "de")).status_code == 404
    assert not PracticeTranslation.objects.exists()


def test_another_organisations_draft_cannot_be_translated(outsider, asticude):
    draft = make_practice(asticude, "Hidden draft", status=Status.DRAFT)
    assert client_for(outsider).get(translation_url(draft)).status_code == 404
    assert client_for(outsider).post(translation_url(draft), ARABIC).status_code == 404
    assert not PracticeTranslation.objects.exists()


def test_a_translation_changed_meanwhile_is_not_overwritten(partner, coordinator, published):
    client_for(partner).post(translation_url(published), ARABIC)
    opened = published.translations.get().updated_at.isoformat()
    client_for(coordinator).post(review_url(published, decision="approve"))
    stale = {**ARABIC, "title": "قديم", "version": opened}
    response = client_for(partner).post(translation_url(published), stale)
    assert response.status_code == 409
    assert published.translations.get().title == ARABIC["title"]


def test_bad_input_is_refused_in_the_users_language_and_changes_nothing(partner, published):
    response = client_for(partner).post(
        f"/fr/workspace/practices/{published.slug}/translations/ar/",
        {"title": "", "summary": "x" * 20_001},
    )
    assert response.status_code == 400
    assert "Ce champ est obligatoire" in response.content.decode()
    assert not PracticeTranslation.objects.exists()


def test_a_partner_removes_a_translation_and_the_history_says_so(client, partner, published):
    client_for(partner).post(translation_url(published), ARABIC)
    response = client_for(partner).post(translation_url(published) + "remove/")
    assert response.status_code == 302
    assert not published.translations.exists()
    reasons = [record.history_change_reason for record, _ in versions_with_changes(published)]
    assert "Translation removed" in reasons


def test_the_edit_page_offers_a_tab_per_other_language(partner, published):
    page = client_for(partner).get(f"/en/workspace/practices/{published.slug}/edit/")
    html = page.content.decode()
    for language in ("fr", "ar", "es"):
        assert translation_url(published, language) in html
    assert translation_url(published, "en") not in html


def test_a_practice_cannot_take_the_language_of_one_of_its_translations(partner, published):
    client_for(partner).post(translation_url(published), ARABIC)
    data = practice_data(published, partner, language="ar")
    response = client_for(partner).post(f"/en/workspace/practices/{published.slug}/edit/", data)
    assert response.status_code == 400
    assert "has a translation into this language" in response.content.decode()
    published.refresh_from_db()
    assert published.language == "en"


def test_two_partners_adding_the_same_translation_at_once_is_no_server_error(partner, published):
    first = client_for(partner)
    second = client_for(partner)
    first.get(translation_url(published))  # both opened the empty form
    assert first.post(translation_url(published), ARABIC).status_code == 302
    response = second.post(translation_url(published), {**ARABIC, "title": "ثاني"})
    assert response.status_code == 409
    assert published.translations.get().title == ARABIC["title"]
