"""Links of a practice (press, videos, reports elsewhere): added by partners in the workspace,
web addresses only, shown to the public and to coordinators with rel="noopener nofollow ugc"."""

import pytest

from practices.models import PracticeLink, Status
from tests.conftest import logged_in, make_practice
from tests.workspace_helpers import client_for, practice_data

pytestmark = pytest.mark.django_db

REL = 'rel="noopener nofollow ugc"'


def edit_url(practice) -> str:
    return f"/en/workspace/practices/{practice.slug}/edit/"


def with_link(practice, user, url: str, title: str = "In the press", **extra) -> dict:
    return practice_data(
        practice,
        user,
        **{"links-0-url": url, "links-0-title": title, "links-0-kind": "press", **extra},
    )


@pytest.fixture
def draft(asticude):
    return make_practice(asticude, "Welcome desk", status=Status.DRAFT)


def test_partner_adds_a_link_to_their_practice_in_the_workspace(partner, draft):
    data = with_link(draft, partner, "https://news.example.org/desk", **{"links-0-language": "fr"})
    response = client_for(partner).post(edit_url(draft), data)
    assert response.status_code == 302
    link = draft.links.get()
    assert (link.url, link.title, link.kind, link.language) == (
        "https://news.example.org/desk",
        "In the press",
        "press",
        "fr",
    )


@pytest.mark.parametrize(
    "address",
    [
        "javascript:alert(document.cookie)",
        " JavaScript:alert(1)",
        "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
        "ftp://files.example.org/report.pdf",
        "file:///etc/passwd",
        "vbscript:msgbox(1)",
    ],
)
def test_an_address_that_is_not_a_web_page_is_refused_with_a_clear_message(partner, draft, address):
    response = client_for(partner).post(edit_url(draft), with_link(draft, partner, address))
    assert response.status_code == 400
    page = response.content.decode()
    assert "Only web addresses starting with http:// or https:// are accepted." in page
    assert 'value="In the press"' in page  # what was typed stays
    assert not PracticeLink.objects.exists()


def test_the_refusal_of_a_link_is_in_the_pages_language(partner, draft):
    data = with_link(draft, partner, "javascript:alert(1)")
    response = client_for(partner).post(f"/fr{edit_url(draft)[3:]}", data)
    assert response.status_code == 400
    assert "Seules les adresses web" in response.content.decode()


def test_a_malformed_web_address_is_refused(partner, draft):
    response = client_for(partner).post(edit_url(draft), with_link(draft, partner, "https://"))
    assert response.status_code == 400
    assert not PracticeLink.objects.exists()


def test_an_overlong_link_is_refused_and_nothing_is_stored(partner, draft):
    data = with_link(draft, partner, "https://example.org/" + "a" * 600, title="t" * 300)
    response = client_for(partner).post(edit_url(draft), data)
    assert response.status_code == 400
    assert not PracticeLink.objects.exists()


def test_the_public_page_shows_the_links_with_rel_noopener_nofollow_ugc(client, asticude):
    practice = make_practice(asticude, "Welcome desk")
    practice.links.create(url="https://video.example.org/v/1", title="The film", kind="video")
    page = client.get(practice.get_absolute_url()).content.decode()
    assert f'<a href="https://video.example.org/v/1" {REL}' in page
    assert "The film" in page


def test_a_link_title_is_escaped(client, asticude):
    practice = make_practice(asticude, "Welcome desk")
    practice.links.create(url="https://example.org/", title="<script>alert(1)</script>")
    page = client.get(practice.get_absolute_url()).content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;" in page


def test_coordinators_see_the_links_when_they_review(coordinator, asticude):
    practice = make_practice(asticude, "Welcome desk", status=Status.SUBMITTED)
    practice.links.create(url="https://example.org/report", title="Evaluation", kind="report")
    response = logged_in(coordinator).get(f"/en/review/practices/{practice.slug}/")
    assert response.status_code == 200
    assert f'<a href="https://example.org/report" {REL}' in response.content.decode()


def test_the_links_of_an_unpublished_practice_are_not_public(client, asticude):
    practice = make_practice(asticude, "Welcome desk", status=Status.SUBMITTED)
    practice.links.create(url="https://example.org/report", title="Evaluation")
    assert client.get(practice.get_absolute_url()).status_code == 404


def test_the_api_detail_lists_the_links(client, asticude):
    practice = make_practice(asticude, "Welcome desk")
    practice.links.create(url="https://example.org/r", title="Report", kind="report", language="es")
    data = client.get(f"/api/v1/practices/{practice.slug}/").json()
    assert data["links"] == [
        {"url": "https://example.org/r", "title": "Report", "kind": "report", "language": "es"}
    ]
