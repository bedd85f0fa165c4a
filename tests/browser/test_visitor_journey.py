"""A visitor's journey through the public knowledge base, checked by axe on every page."""

from tests.browser.conftest import assert_no_serious_axe_violations

NADOR = "Social and sustainable Nador"


def switch_language(page, code: str) -> None:
    page.select_option("#language-select", code)
    page.locator(".language-switcher button[type=submit]").click()
    page.wait_for_load_state()


def test_visitor_browses_by_theme_and_country_to_the_nador_practice_in_three_languages(
    page, demo_data
):
    page.goto("/en/")
    assert_no_serious_axe_violations(page)

    page.locator(".theme-grid").get_by_role("link", name="Intercultural dialogue").click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Intercultural dialogue"
    assert "/en/themes/intercultural-dialogue/" in page.url
    assert_no_serious_axe_violations(page)

    page.locator(".facets").get_by_role("link", name="Morocco").click()
    page.wait_for_load_state()
    assert "country=MA" in page.url
    assert page.locator(".chip", has_text="Morocco").count() == 1
    titles = page.locator(".cards .card-title").all_inner_texts()
    assert any(title.startswith(NADOR) for title in titles)
    assert not any("Seville" in text for text in page.locator(".cards .meta").all_inner_texts())
    assert_no_serious_axe_violations(page)

    page.get_by_role("link", name=NADOR, exact=False).first.click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text().startswith(NADOR)
    assert "Lessons learnt" in page.content()
    assert_no_serious_axe_violations(page)

    switch_language(page, "ar")
    assert "/ar/practices/social-and-sustainable-nador/" in page.url
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert page.locator("html").get_attribute("lang") == "ar"
    assert page.locator("h1").inner_text().startswith(NADOR)
    assert_no_serious_axe_violations(page)

    switch_language(page, "fr")
    assert "/fr/practices/social-and-sustainable-nador/" in page.url
    assert page.locator("html").get_attribute("dir") == "ltr"
    assert "Maroc" in page.content()
    assert_no_serious_axe_violations(page)


def test_the_list_reads_well_on_a_small_phone(page, demo_data):
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto("/en/practices/?theme=intercultural-dialogue")
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= 360
    assert_no_serious_axe_violations(page)
    page.goto("/ar/practices/social-and-sustainable-nador/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
