from tests.browser.conftest import assert_no_serious_axe_violations


def test_visitor_finds_the_nador_practice_from_the_home_page(page, demo_data):
    page.goto("/en/")
    link = page.get_by_role("link", name="Social and sustainable Nador", exact=False)
    link.first.click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text().startswith("Social and sustainable Nador")
    assert "ASTICUDE and ACPP" in page.content()
    assert_no_serious_axe_violations(page)


def test_the_home_page_has_no_serious_accessibility_violation(page, demo_data):
    page.goto("/en/")
    assert page.locator("h1").count() == 1
    assert_no_serious_axe_violations(page)
