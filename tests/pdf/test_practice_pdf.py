"""The PDF of a practice: what its public page shows, in the page's language."""

import pytest
from django.urls import reverse
from django.utils import translation

from nador_portal import pdf
from practices.models import PracticeTranslation
from publishing.workflow import Status
from tests.conftest import make_practice
from tests.pdf.helpers import pdf_fonts, pdf_language, pdf_text, read_pdf

TEXTS = {
    "en": ("Welcome workshops in Nador", "Neighbours and newcomers cook together."),
    "fr": ("Ateliers d'accueil à Nador", "Voisins et nouveaux arrivés cuisinent ensemble, été."),
    "es": ("Talleres de acogida en Nador", "Vecinos y recién llegados cocinan juntos, niño."),
    "ar": ("ورشات الاستقبال في الناظور", "الجيران والوافدون الجدد يطبخون معا"),
}


def pdf_url(practice, language: str = "en") -> str:
    with translation.override(language):
        return reverse("practices:pdf", kwargs={"slug": practice.slug})


@pytest.fixture
def practice(asticude, theme):
    title, summary = TEXTS["en"]
    practice = make_practice(asticude, title, summary=summary, language="en", city="Nador")
    practice.themes.add(theme)
    for language in ("fr", "es", "ar"):
        title, summary = TEXTS[language]
        PracticeTranslation.objects.create(
            practice=practice,
            language=language,
            status=Status.PUBLISHED,
            title=title,
            summary=summary,
        )
    return practice


@pytest.mark.parametrize("language", ["en", "fr", "es", "ar"])
def test_anonymous_reads_the_practice_pdf_in_the_pages_language(client, practice, language):
    response = client.get(pdf_url(practice, language))

    assert response.status_code == 200
    text = pdf_text(response)
    title, summary = TEXTS[language]
    if language == "ar":
        # pypdf gives Arabic words back from their shaped glyphs; each must be there.
        assert all(word in text for word in (*title.split(), *summary.split()))
    else:
        assert title in text
        assert summary in text
    assert pdf_language(response) == language


def test_the_practice_pdf_is_a_valid_document_with_the_practices_title(client, practice):
    reader = read_pdf(client.get(pdf_url(practice)))

    assert len(reader.pages) >= 1
    assert practice.title in reader.metadata.title


def test_an_arabic_practice_pdf_is_laid_out_right_to_left(client, practice, monkeypatch):
    seen = []
    render = pdf.render_to_string
    monkeypatch.setattr(
        pdf, "render_to_string", lambda *a, **k: seen.append(render(*a, **k)) or seen[-1]
    )

    client.get(pdf_url(practice, "ar"))

    assert '<html lang="ar" dir="rtl">' in seen[0]
    assert f'<h1 lang="ar" dir="rtl">{TEXTS["ar"][0]}</h1>' in seen[0]


def test_a_practice_without_translation_is_shown_in_its_own_language_marked(client, asticude):
    practice = make_practice(asticude, "Seulement en français", language="fr")

    text = pdf_text(client.get(pdf_url(practice, "es")))

    assert "Seulement en français" in text
    assert "Only available in" not in text  # the note is in the page's language
    assert "Solo disponible en Francés" in text
    assert "Documento creado el" in text  # with the address of the practice's page
    assert f"http://testserver/es/practices/{practice.slug}/" in text


def test_a_draft_translation_is_never_shown(client, practice):
    PracticeTranslation.objects.filter(practice=practice, language="fr").update(
        status=Status.SUBMITTED
    )

    text = pdf_text(client.get(pdf_url(practice, "fr")))

    assert TEXTS["en"][0] in text
    assert TEXTS["fr"][0] not in text


@pytest.mark.parametrize("status", [Status.DRAFT, Status.SUBMITTED, Status.ARCHIVED])
def test_an_unpublished_practice_has_no_pdf(client, coordinator, asticude, status):
    practice = make_practice(asticude, f"Practice {status}", status=status)

    assert client.get(pdf_url(practice)).status_code == 404


def test_the_practice_pdf_is_shown_inline_under_its_slug_and_may_be_cached(client, practice):
    response = client.get(pdf_url(practice, "fr"))

    assert response["Content-Disposition"] == f'inline; filename="{practice.slug}-fr.pdf"'
    assert "public" in response["Cache-Control"]


def test_the_practice_pdf_refuses_post(client, practice):
    assert client.post(pdf_url(practice)).status_code == 405


def test_the_practice_page_links_to_its_pdf(client, practice):
    with translation.override("ar"):
        page = client.get(practice.get_absolute_url())

    assert pdf_url(practice, "ar") in page.content.decode()


def test_the_pdf_is_set_in_the_fonts_shipped_with_the_portal(client, practice):
    fonts = pdf_fonts(client.get(pdf_url(practice, "ar")))

    # This machine has DejaVu installed, not Noto: a font from the system would show here.
    assert {"Noto-Naskh-Arabic", "Noto-Sans"} <= fonts
    assert all(name.startswith("Noto-") for name in fonts), fonts
