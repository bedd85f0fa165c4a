"""The PDF of the practice list: the first practices of the public list with its filters."""

import pytest
from django.urls import reverse
from django.utils import translation

from practices import pdf
from practices.models import Theme
from publishing.workflow import Status
from tests.conftest import make_practice
from tests.pdf.helpers import pdf_language, pdf_text, read_pdf


def list_pdf_url(language: str = "en", query: str = "") -> str:
    with translation.override(language):
        return reverse("practices:list_pdf") + query


def test_the_list_pdf_holds_the_published_practices_and_never_a_draft(
    client, published_practice, draft_practice
):
    response = client.get(list_pdf_url())

    assert response.status_code == 200
    text = pdf_text(response)
    assert published_practice.title in text
    assert draft_practice.title not in text
    assert "1 practice" in text


def test_the_list_pdf_applies_the_lists_filters(client, asticude, published_practice):
    other = make_practice(asticude, "Practice about another theme")
    other.themes.add(Theme.objects.create(name="Health", slug="health"))

    text = pdf_text(client.get(list_pdf_url(query="?theme=health")))

    assert other.title in text
    assert published_practice.title not in text


def test_an_unknown_filter_value_lists_nothing_and_says_why(client, published_practice):
    response = client.get(list_pdf_url(query="?theme=no-such-theme"))

    assert response.status_code == 200
    text = pdf_text(response)
    assert published_practice.title not in text
    assert "Some filter values do not exist" in text


def test_the_list_pdf_says_when_more_practices_match_than_it_holds(client, asticude, monkeypatch):
    monkeypatch.setattr(pdf, "LIST_LIMIT", 2)
    for number in range(3):
        make_practice(asticude, f"Listed practice {number}")

    text = pdf_text(client.get(list_pdf_url()))

    assert "3 practices" in text
    assert "Only the first 2 are in this document" in text
    assert sum(f"Listed practice {n}" in text for n in range(3)) == 2


@pytest.mark.parametrize(
    ("language", "title"),
    [
        ("en", "Practices"),
        ("fr", "Pratiques"),
        ("es", "Prácticas"),
        ("ar", "الممارسات"),
    ],
)
def test_the_list_pdf_is_in_the_pages_language(client, published_practice, language, title):
    response = client.get(list_pdf_url(language))

    assert title in pdf_text(response)
    assert pdf_language(response) == language
    assert len(read_pdf(response).pages) == 1


def test_the_list_pdf_is_public_and_inline(client, published_practice):
    response = client.get(list_pdf_url("fr"))

    assert response["Content-Disposition"] == 'inline; filename="practices-fr.pdf"'
    assert "public" in response["Cache-Control"]


def test_an_address_asking_for_too_many_list_pdfs_is_told_to_wait(client, settings, db):
    settings.LIST_PDF_LIMIT = 2
    for _ in range(2):
        assert client.get(list_pdf_url()).status_code == 200

    refused = client.get(list_pdf_url("fr"))

    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0
    assert "Trop de PDF" in refused.content.decode()


def test_another_address_still_gets_its_list_pdf(client, settings, db):
    settings.LIST_PDF_LIMIT = 1
    client.get(list_pdf_url(), REMOTE_ADDR="192.0.2.1")

    assert client.get(list_pdf_url(), REMOTE_ADDR="192.0.2.2").status_code == 200


def test_the_list_page_links_to_the_pdf_with_its_filters(client, published_practice):
    page = client.get(reverse("practices:list") + "?theme=intercultural-dialogue&page=1")

    assert 'href="/en/practices.pdf?theme=intercultural-dialogue"' in page.content.decode()


def test_a_theme_page_links_to_the_pdf_of_its_practices(client, published_practice, theme):
    page = client.get(theme.get_absolute_url())

    assert 'href="/en/practices.pdf?theme=intercultural-dialogue"' in page.content.decode()


def test_the_list_pdf_refuses_post(client, db):
    assert client.post(list_pdf_url()).status_code == 405


def test_a_draft_listed_nowhere_even_when_searched_for(client, draft_practice):
    response = client.get(list_pdf_url(query="?q=Draft"))

    assert draft_practice.title not in pdf_text(response)
    assert draft_practice.status == Status.DRAFT
