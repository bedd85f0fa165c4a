"""The workspace page of a record's documents and images: who may add and remove them, and
what a refused upload leaves (nothing stored, what was typed kept)."""

from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from attachments.models import Attachment
from events.models import Event
from publishing.workflow import Status
from tests.attachments import files
from tests.conftest import make_practice
from tests.workspace_helpers import client_for


def files_url(record, kind="practices") -> str:
    return reverse("attachments:files", kwargs={"kind": kind, "slug": record.slug})


def stored_files() -> list[Path]:
    folder = Path(settings.MEDIA_ROOT) / "attachments"
    return sorted(folder.iterdir()) if folder.exists() else []


def send_image(client, record, content=None, alt="Volunteers at the desk", kind="practices"):
    content = content if content is not None else files.image_bytes("JPEG", gps=True)
    data = {"form": "image", "image-alt": alt, "image-file": files.upload(content, "IMG_1.jpg")}
    return client.post(files_url(record, kind), data)


def send_document(client, record, content=files.PDF, title="Final report", language="fr"):
    data = {
        "form": "document",
        "document-title": title,
        "document-language": language,
        "document-file": files.upload(content, "rapport final.pdf"),
    }
    return client.post(files_url(record), data)


@pytest.fixture
def draft(asticude):
    return make_practice(asticude, "Reception desk", status=Status.DRAFT)


def test_partner_adds_a_photo_whose_stored_files_have_no_exif_and_random_names(partner, draft):
    response = send_image(client_for(partner), draft)
    assert response.status_code == 302
    image = Attachment.objects.get()
    assert image.practice == draft and image.alt == "Volunteers at the desk"
    assert (image.format, image.content_type) == ("jpeg", "image/jpeg")
    stored = stored_files()
    assert len(stored) == 3  # the re-encoded photo and its two WebP copies
    for path in stored:
        assert "IMG_1" not in path.name
        assert not files.has_exif(path.read_bytes())


def test_partner_adds_a_document_with_its_title_and_language(partner, draft):
    assert send_document(client_for(partner), draft).status_code == 302
    document = Attachment.objects.get()
    assert (document.title, document.language, document.format) == ("Final report", "fr", "pdf")
    assert document.size == len(files.PDF)
    assert "rapport" not in document.file.name


def test_partner_adds_files_to_an_event_of_their_organisation(partner, asticude):
    from datetime import timedelta

    from django.utils import timezone

    starts = timezone.now() + timedelta(days=3)
    event = Event.objects.create(
        title="Migration Week",
        slug="migration-week",
        kind=Event.Kind.WORKSHOP,
        organisation=asticude,
        starts_at=starts,
        ends_at=starts + timedelta(hours=2),
    )
    assert send_image(client_for(partner), event, kind="events").status_code == 302
    assert Attachment.objects.get().event == event


def test_the_files_page_lists_the_records_files(partner, draft):
    files.make_document(draft, title="Annual report")
    files.make_image(draft, alt="A full room")
    page = client_for(partner).get(files_url(draft)).content.decode()
    assert "Annual report" in page and 'alt="A full room"' in page
    assert page.count("<h1>") == 1


@pytest.mark.parametrize(
    "content, message",
    [
        (files.EXECUTABLE, "not an image the portal accepts"),
        (files.with_zip_appended(files.image_bytes()), "two kinds of file at once"),
        (files.decompression_bomb(), "million pixels"),
        (files.image_bytes()[:60], "damaged"),
    ],
    ids=["executable", "polyglot", "decompression-bomb", "damaged"],
)
def test_a_refused_image_stores_nothing_and_keeps_the_alt_text(partner, draft, content, message):
    response = send_image(client_for(partner), draft, content, alt="Children drawing")
    assert response.status_code == 400
    page = response.content.decode()
    assert message in page and 'value="Children drawing"' in page
    assert not Attachment.objects.exists() and stored_files() == []


def test_an_oversized_image_is_refused(partner, draft, settings):
    settings.ATTACHMENT_MAX_IMAGE_MB = 1
    response = send_image(client_for(partner), draft, files.noise_png(700))
    assert response.status_code == 400 and "the limit is 1.0 MB" in response.content.decode()
    assert not Attachment.objects.exists() and stored_files() == []


@pytest.mark.parametrize(
    "content, message",
    [
        (files.zip_bomb_docx(), "zip bomb"),
        (files.EXECUTABLE, "not a document the portal accepts"),
        (files.with_zip_appended(files.PDF), "two kinds of file at once"),
    ],
    ids=["zip-bomb", "executable", "polyglot"],
)
def test_a_refused_document_stores_nothing_and_keeps_the_title(partner, draft, content, message):
    response = send_document(client_for(partner), draft, content, title="Minutes of the forum")
    assert response.status_code == 400
    page = response.content.decode()
    assert message in page and 'value="Minutes of the forum"' in page
    assert not Attachment.objects.exists() and stored_files() == []


def test_an_image_needs_its_text_alternative(partner, draft):
    response = send_image(client_for(partner), draft, alt="")
    assert response.status_code == 400 and not Attachment.objects.exists()
    assert stored_files() == []


def test_a_document_needs_a_title(partner, draft):
    response = send_document(client_for(partner), draft, title="")
    assert response.status_code == 400 and not Attachment.objects.exists()


def test_a_refused_form_in_french_speaks_french(partner, draft):
    client = client_for(partner)
    data = {
        "form": "image",
        "image-alt": "Atelier",
        "image-file": files.upload(files.EXECUTABLE, "a.jpg"),
    }
    response = client.post(files_url(draft).replace("/en/", "/fr/"), data)
    assert response.status_code == 400
    assert "Ce n’est pas une image" in response.content.decode()


def test_an_unknown_form_is_a_bad_request_that_says_why(partner, draft):
    response = client_for(partner).post(files_url(draft), {"form": "virus"})
    assert response.status_code == 400
    assert "send a file with one of the forms" in response.content.decode()
    assert not Attachment.objects.exists()


def test_outsider_cannot_see_nor_add_to_another_organisations_draft(outsider, draft):
    client = client_for(outsider)
    assert client.get(files_url(draft)).status_code == 404
    assert send_image(client, draft).status_code == 404
    assert not Attachment.objects.exists()


def test_outsider_cannot_add_to_another_organisations_published_practice(outsider, asticude):
    practice = make_practice(asticude, "Published one")
    assert send_image(client_for(outsider), practice).status_code == 403
    assert not Attachment.objects.exists()


def test_anonymous_is_sent_to_sign_in(draft):
    response = client_for().get(files_url(draft))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_partner_cannot_change_the_files_of_an_archived_record(partner, asticude):
    archived = make_practice(asticude, "Old one", status=Status.ARCHIVED)
    assert client_for(partner).get(files_url(archived)).status_code == 403


def test_coordinator_adds_files_to_any_organisations_practice(coordinator, draft):
    assert send_document(client_for(coordinator), draft).status_code == 302
    assert Attachment.objects.count() == 1


def test_partner_removes_a_file_and_its_stored_files_go(
    partner, draft, django_capture_on_commit_callbacks
):
    image = files.make_image(draft)
    assert len(stored_files()) == 3
    url = reverse(
        "attachments:remove", kwargs={"kind": "practices", "slug": draft.slug, "key": image.key}
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert client_for(partner).post(url).status_code == 302
    assert not Attachment.objects.exists() and stored_files() == []


def test_a_file_of_another_record_cannot_be_removed_through_this_one(partner, draft, asticude):
    other = make_practice(asticude, "Other", status=Status.DRAFT)
    document = files.make_document(other)
    url = reverse(
        "attachments:remove", kwargs={"kind": "practices", "slug": draft.slug, "key": document.key}
    )
    assert client_for(partner).post(url).status_code == 404
    assert Attachment.objects.filter(pk=document.pk).exists()


def test_outsider_cannot_remove_a_file(outsider, draft):
    document = files.make_document(draft)
    url = reverse(
        "attachments:remove", kwargs={"kind": "practices", "slug": draft.slug, "key": document.key}
    )
    assert client_for(outsider).post(url).status_code == 404
    assert Attachment.objects.exists()


def test_removing_needs_a_post(partner, draft):
    document = files.make_document(draft)
    url = reverse(
        "attachments:remove", kwargs={"kind": "practices", "slug": draft.slug, "key": document.key}
    )
    assert client_for(partner).get(url).status_code == 405


def test_deleting_a_practice_removes_its_stored_files(draft, django_capture_on_commit_callbacks):
    files.make_image(draft)
    files.make_document(draft)
    assert len(stored_files()) == 4
    with django_capture_on_commit_callbacks(execute=True):
        draft.delete()
    assert stored_files() == []


def test_a_partner_adding_to_a_published_practice_tells_the_coordinators(
    partner, coordinator, asticude, mailoutbox
):
    practice = make_practice(asticude, "Published with photos")
    response = send_image(client_for(partner), practice)
    assert response.status_code == 302
    assert [message.to for message in mailoutbox] == [[coordinator.email]]


def test_the_edit_page_links_to_the_files_page(partner, draft):
    page = client_for(partner).get(
        reverse("workspace:edit", kwargs={"kind": "practices", "slug": draft.slug})
    )
    assert files_url(draft) in page.content.decode()
