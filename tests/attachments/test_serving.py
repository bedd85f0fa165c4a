"""Serving the files: to whoever may see their record, documents as downloads, images inline,
through nginx when it is configured; and the files on the public pages."""

import io

import pytest
from django.test import Client
from PIL import Image

from publishing.workflow import Status
from tests.attachments import files
from tests.conftest import logged_in, make_practice


@pytest.fixture
def published(asticude):
    return make_practice(asticude, "Welcome desk")


@pytest.fixture
def draft(asticude):
    return make_practice(asticude, "Welcome desk draft", status=Status.DRAFT)


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_a_document_of_a_published_practice_downloads_for_anyone(client, published):
    document = files.make_document(published, title="Rapport annuel 2025")
    response = client.get(document.get_absolute_url())
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="rapport-annuel-2025.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert body(response) == files.PDF


def test_an_image_shows_inline_without_exif(client, published):
    image = files.make_image(published)
    response = client.get(image.get_absolute_url())
    assert response.status_code == 200 and response["Content-Disposition"] == "inline"
    assert response["Content-Type"] == "image/jpeg"
    assert not files.has_exif(body(response))
    card = client.get(image.card_url())
    assert card["Content-Type"] == "image/webp"
    assert Image.open(io.BytesIO(body(card))).format == "WEBP"


@pytest.mark.parametrize("status", [Status.DRAFT, Status.SUBMITTED, Status.ARCHIVED])
def test_files_of_an_unpublished_practice_are_404_for_the_public(client, asticude, status):
    practice = make_practice(asticude, f"Hidden {status}", status=status)
    for attachment in (files.make_document(practice), files.make_image(practice)):
        for url in (attachment.get_absolute_url(), attachment.card_url()):
            assert client.get(url).status_code == 404


def test_files_of_a_draft_are_404_for_another_organisation(outsider, draft):
    document = files.make_document(draft)
    assert logged_in(outsider).get(document.get_absolute_url()).status_code == 404


def test_files_of_a_draft_are_served_to_its_organisation_and_coordinators(
    partner, coordinator, draft
):
    document = files.make_document(draft)
    for user in (partner, coordinator):
        response = logged_in(user).get(document.get_absolute_url())
        assert response.status_code == 200
        assert "no-store" in response["Cache-Control"]


def test_a_copy_a_document_does_not_have_is_404(client, published):
    document = files.make_document(published)
    assert client.get(document.card_url()).status_code == 404


def test_behind_nginx_the_file_goes_through_an_internal_redirect(client, published, settings):
    settings.ATTACHMENT_ACCEL_REDIRECT = "/protected-media/"
    document = files.make_document(published)
    response = client.get(document.get_absolute_url())
    assert response["X-Accel-Redirect"] == f"/protected-media/{document.file.name}"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response.content == b""


def test_behind_nginx_an_unpublished_file_is_still_refused(client, draft, settings):
    settings.ATTACHMENT_ACCEL_REDIRECT = "/protected-media/"
    document = files.make_document(draft)
    response = client.get(document.get_absolute_url())
    assert response.status_code == 404 and "X-Accel-Redirect" not in response


def test_the_practice_page_shows_its_images_and_documents(client, published):
    image = files.make_image(published, alt="Volunteers at the desk")
    files.make_document(published, title="Annual report")
    page = client.get(published.get_absolute_url()).content.decode()
    assert f'src="{image.large_url()}"' in page and 'alt="Volunteers at the desk"' in page
    assert 'loading="lazy"' in page and "Annual report" in page and "(PDF, " in page


def test_the_practice_list_shows_the_first_image_on_the_card(client, published):
    first = files.make_image(published, alt="First photo")
    files.make_image(published, alt="Second photo")
    page = client.get("/en/practices/").content.decode()
    assert f'src="{first.card_url()}"' in page and "Second photo" not in page


def test_the_first_image_is_the_link_preview_image(client, published):
    image = files.make_image(published, alt="First photo")
    page = client.get(published.get_absolute_url()).content.decode()
    assert f'property="og:image" content="http://testserver{image.large_url()}"' in page


def test_without_an_image_the_preview_is_the_portals_card(client, published):
    page = client.get(published.get_absolute_url()).content.decode()
    assert "img/card" in page


def test_the_event_page_shows_its_documents(client, asticude):
    from datetime import timedelta

    from django.utils import timezone

    from events.models import Event

    starts = timezone.now() + timedelta(days=3)
    event = Event.objects.create(
        title="Migration Week",
        slug="migration-week",
        kind=Event.Kind.WORKSHOP,
        organisation=asticude,
        status=Status.PUBLISHED,
        starts_at=starts,
        ends_at=starts + timedelta(hours=2),
    )
    files.make_document(event, title="Programme of the week")
    assert "Programme of the week" in client.get(event.get_absolute_url()).content.decode()


def test_the_review_page_shows_the_files(coordinator, draft):
    files.make_document(draft, title="Evaluation")
    page = logged_in(coordinator).get(f"/en/review/practices/{draft.slug}/").content.decode()
    assert "Evaluation" in page


def test_a_file_url_answers_no_other_method(published):
    document = files.make_document(published)
    assert Client().post(document.get_absolute_url()).status_code == 405
