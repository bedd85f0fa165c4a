"""The "Download as PDF" links on a phone, in Arabic: on the practice page, on a filtered
list (with its filters) and on the coordinators' dashboard (with its selection)."""

from tests.browser.conftest import assert_no_serious_axe_violations
from tests.browser.test_coordinator_reports import sign_in_as_coordinator

PHONE = {"width": 360, "height": 740}


def assert_fits_and_reads_well(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert_no_serious_axe_violations(page)


def assert_is_a_pdf(page, href: str) -> None:
    response = page.request.get(href)
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    assert response.body().startswith(b"%PDF")


def test_a_visitor_downloads_a_practice_and_a_filtered_list_as_pdf_in_arabic(page, demo_data):
    page.set_viewport_size(PHONE)
    page.goto("/ar/practices/social-and-sustainable-nador/")
    link = page.get_by_role("link", name="تنزيل بصيغة PDF")
    assert link.get_attribute("href") == "/ar/practices/social-and-sustainable-nador/pdf/"
    assert_fits_and_reads_well(page)
    assert_is_a_pdf(page, link.get_attribute("href"))

    page.goto("/ar/practices/?theme=intercultural-dialogue")
    link = page.get_by_role("link", name="PDF (أول 200)")
    assert link.get_attribute("href") == "/ar/practices.pdf?theme=intercultural-dialogue"
    assert_fits_and_reads_well(page)
    assert_is_a_pdf(page, link.get_attribute("href"))


def test_a_coordinator_downloads_the_report_of_a_period_in_arabic(page, demo_data, settings):
    sign_in_as_coordinator(page, settings)
    page.set_viewport_size(PHONE)
    page.goto("/ar/reports/?from=2019-01-01&to=2019-12-31")
    link = page.get_by_role("link", name="تنزيل هذا التقرير بصيغة PDF")
    assert link.get_attribute("href") == "/ar/reports/report.pdf?from=2019-01-01&to=2019-12-31"
    assert_fits_and_reads_well(page)
    assert_is_a_pdf(page, link.get_attribute("href"))
