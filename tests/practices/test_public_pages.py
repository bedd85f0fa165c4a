"""Every public page in every language: 200, one <h1>, lang/dir, the language switcher,
no inline style or script, and a light list page."""

import re
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders

from tests import public_data
from tests.test_public_statuses import make_event

LANGUAGES = ["en", "fr", "ar", "es"]
PAGES = [
    "/{lang}/",
    "/{lang}/practices/",
    "/{lang}/practices/?theme=dialogue&country=MA&q=cafes&sort=title",
    "/{lang}/practices/intercultural-cafes-in-nador/",
    "/{lang}/themes/",
    "/{lang}/themes/dialogue/",
    "/{lang}/stakeholders/",
    "/{lang}/stakeholders/asticude/",
    "/{lang}/events/",
    "/{lang}/events/open-workshop/",
    "/{lang}/numbers/",
    "/{lang}/numbers/?theme=dialogue&country=MA",
]


@pytest.fixture
def kb(asticude, acpp):
    data = public_data.build(asticude, acpp)
    make_event(asticude, "Open workshop").practices.add(data["cafes"])
    return data


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("page", PAGES)
def test_every_public_page_renders_with_one_h1(client, kb, page, language):
    response = client.get(page.format(lang=language))
    assert response.status_code == 200
    content = response.content.decode()
    assert len(re.findall(r"<h1[\s>]", content)) == 1
    assert f'<html lang="{language}"' in content
    assert 'action="/i18n/setlang/"' in content


@pytest.mark.parametrize("page", PAGES)
def test_arabic_pages_are_right_to_left(client, kb, page):
    content = client.get(page.format(lang="ar")).content.decode()
    assert '<html lang="ar" dir="rtl">' in content


def test_other_languages_are_left_to_right(client, kb):
    for language in ["en", "fr", "es"]:
        content = client.get(f"/{language}/practices/").content.decode()
        assert f'<html lang="{language}" dir="ltr">' in content


def test_english_content_keeps_its_direction_on_arabic_pages(client, kb):
    content = client.get(f"/ar/practices/{kb['cafes'].slug}/").content.decode()
    assert 'lang="en" dir="ltr"' in content


def test_the_language_switcher_keeps_the_visitor_on_the_same_page(client, kb):
    response = client.post(
        "/i18n/setlang/", {"language": "fr", "next": "/en/practices/?theme=dialogue"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/fr/practices/?theme=dialogue"


@pytest.mark.parametrize("page", PAGES)
def test_pages_have_no_inline_style_or_script(client, kb, page):
    content = client.get(page.format(lang="en")).content.decode()
    # Structured data is a data block, which CSP never executes (tests/sharing).
    content = re.sub(r'<script type="application/ld\+json">[^<]*</script>', "", content)
    assert "<style" not in content
    assert " style=" not in content
    assert "<script" not in content
    assert not re.search(r"\son[a-z]+=", content)


def test_the_navigation_offers_the_four_sections(client, kb):
    content = client.get("/en/").content.decode()
    for label in ["Practices", "Themes", "Stakeholders", "Events"]:
        assert f">{label}</a>" in content


def test_the_list_page_with_its_assets_weighs_under_100_kb(client, asticude, acpp):
    public_data.build(asticude, acpp)
    for number in range(30):
        public_data.make_practice(asticude, f"Practice with a rather long title number {number}")
    html = client.get("/en/practices/").content
    assets = sum(
        Path(finders.find(path)).stat().st_size for path in ["css/site.css", "css/print.css"]
    )
    assert len(html) + assets < 100_000


def test_numbers_and_dates_follow_the_visitors_language(client, kb):
    assert "1 janvier 2020" in client.get(f"/fr/practices/{kb['cafes'].slug}/").content.decode()
    assert "1 de enero de 2020" in client.get(f"/es/practices/{kb['cafes'].slug}/").content.decode()
