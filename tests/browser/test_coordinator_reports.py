from openpyxl import load_workbook

from practices.models import Practice
from tests.browser.conftest import assert_no_serious_axe_violations, give_second_factor


def sign_in_as_coordinator(page, settings) -> None:
    page.goto("/en/reports/")
    page.get_by_label("Username").fill("coordinator")
    page.get_by_label("Password").fill(settings.DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()
    give_second_factor(page, "coordinator")
    page.wait_for_url("**/en/reports/")


def test_coordinator_downloads_the_practices_of_a_theme_as_xlsx(
    page, demo_data, settings, tmp_path
):
    sign_in_as_coordinator(page, settings)
    assert page.locator("h1").inner_text() == "Reports"
    # The filter, not the scrollable table "Practices by theme" that the label also matches.
    page.get_by_role("combobox", name="Theme").select_option("social-inclusion")
    page.get_by_role("button", name="Show").click()
    page.wait_for_url("**/en/reports/?*theme=social-inclusion*")

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Export practices as XLSX").first.click()
    download = download_info.value
    assert download.suggested_filename.startswith("practices_")
    assert "theme-social-inclusion" in download.suggested_filename

    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    sheet = load_workbook(saved, read_only=True).worksheets[0]
    header, *rows = list(sheet.iter_rows(values_only=True))
    slugs = sorted(row[header.index("slug")] for row in rows)
    expected = sorted(
        Practice.objects.filter(themes__slug="social-inclusion").values_list("slug", flat=True)
    )
    assert len(expected) == 5  # Nador, cafés, language classes, a draft, a submitted sample
    assert slugs == expected
    assert all("Social inclusion" in row[header.index("themes")] for row in rows)


def test_the_reports_page_has_no_serious_accessibility_violation(page, demo_data, settings):
    sign_in_as_coordinator(page, settings)
    assert_no_serious_axe_violations(page)
