"""The partner journey: a partner adds and submits a practice, a coordinator approves it,
and a visitor finds it under its theme."""

import re

from django.conf import settings

from tests.browser.conftest import assert_no_serious_axe_violations, give_second_factor

# The practice's own title, not its links' ("Title of the link").
TITLE_LABEL = re.compile(r"^Title:?$")

TITLE = "Intercultural football league of Nador"


def sign_in(page, username: str) -> None:
    page.goto("/en/accounts/login/")
    assert_no_serious_axe_violations(page)
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(settings.DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()
    give_second_factor(page, username)


def sign_out(page) -> None:
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_load_state()


def test_partner_adds_a_practice_that_a_coordinator_publishes_under_its_theme(page, demo_data):
    sign_in(page, "asticude")
    assert page.url.endswith("/en/workspace/")
    assert_no_serious_axe_violations(page)

    page.get_by_role("link", name="Add a practice").click()
    page.wait_for_load_state()
    assert_no_serious_axe_violations(page)
    page.get_by_label(TITLE_LABEL).fill(TITLE)
    page.get_by_label("Summary").fill("Mixed teams of young migrants and residents play weekly.")
    page.get_by_label("Country").select_option("MA")
    page.get_by_label("Intercultural dialogue", exact=True).check()
    page.get_by_label("Young people", exact=True).check()
    page.locator("#id_roles-0-stakeholder").select_option(label="ACPP")
    page.locator("#id_roles-0-role").select_option("partner")
    page.get_by_role("button", name="Save and preview").click()
    page.wait_for_load_state()

    assert page.locator("h1").inner_text() == TITLE
    assert page.locator(".preview-banner").is_visible()
    assert_no_serious_axe_violations(page)
    page.get_by_role("button", name="Submit for review").click()
    page.wait_for_load_state()
    assert "Submitted for review" in page.content()
    sign_out(page)

    sign_in(page, "coordinator")
    page.goto("/en/review/")
    assert_no_serious_axe_violations(page)
    page.get_by_role("link", name=TITLE).click()
    page.wait_for_load_state()
    assert_no_serious_axe_violations(page)
    page.get_by_role("button", name="Approve and publish").click()
    page.wait_for_load_state()
    assert "Published" in page.content()
    sign_out(page)

    page.goto("/en/themes/intercultural-dialogue/")
    page.get_by_role("link", name=TITLE).click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == TITLE
    assert_no_serious_axe_violations(page)


def test_another_partner_cannot_open_asticudes_draft_and_form_errors_are_accessible(
    page, demo_data
):
    sign_in(page, "acpp")
    response = page.goto("/en/workspace/practices/sample-draft-welcome-guide/edit/")
    assert response.status == 404
    page.goto("/en/workspace/practices/new/")
    page.get_by_label(TITLE_LABEL).fill("Kept title")
    page.get_by_role("button", name="Save as draft").click()
    page.wait_for_load_state()
    assert page.get_by_label(TITLE_LABEL).input_value() == "Kept title"
    assert page.locator(".errorlist").first.is_visible()
    assert_no_serious_axe_violations(page)
