"""The accessibility statement: the standard, how it is checked, known limitations, how to
report a problem and its date, in each language, linked from every page's footer."""

import pytest


@pytest.mark.django_db
def test_the_statement_names_the_standard_the_checks_and_the_contact(client, settings):
    settings.ACCESSIBILITY_CONTACT_EMAIL = "access@example.org"
    response = client.get("/en/accessibility/")
    content = response.content.decode()
    assert response.status_code == 200
    assert content.count("<h1") == 1
    assert "WCAG) 2.2 at level AA" in content
    assert "axe-core" in content and "360 pixels" in content
    assert "Known limitations" in content
    assert 'href="mailto:access@example.org"' in content
    assert "written on Dec. 5, 2026" in content


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "heading"),
    [
        ("fr", "Déclaration d'accessibilité"),
        ("ar", "بيان إمكانية الوصول"),
        ("es", "Declaración de accesibilidad"),
    ],
)
def test_the_statement_is_translated(client, language, heading):
    content = client.get(f"/{language}/accessibility/").content.decode()
    assert f"<h1>{heading}</h1>" in content
    assert "WCAG" in content


@pytest.mark.django_db
def test_every_page_links_to_the_statement_from_its_footer(client):
    content = client.get("/en/events/").content.decode()
    footer = content.split('<footer class="site-footer">')[1]
    assert 'href="/en/accessibility/"' in footer


def test_the_contact_defaults_to_the_address_mail_is_sent_from():
    from email.utils import parseaddr

    from django.conf import settings

    expected = parseaddr(settings.DEFAULT_FROM_EMAIL)[1]
    assert expected == settings.ACCESSIBILITY_CONTACT_EMAIL


@pytest.mark.django_db
def test_the_statement_refuses_post(client):
    assert client.post("/en/accessibility/").status_code == 405
