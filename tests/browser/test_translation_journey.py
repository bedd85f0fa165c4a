"""A translation's journey: a partner translates the Nador practice into Arabic, a
coordinator approves it, and a visitor reads it on /ar/ on a small phone."""

import re

from tests.browser.conftest import assert_no_serious_axe_violations
from tests.browser.test_partner_journey import sign_in, sign_out
from tests.browser.test_visitor_journey import switch_language

# The practice's own title, not its links' ("Title of the link").
TITLE_LABEL = re.compile(r"^Title:?$")

NADOR = "/practices/social-and-sustainable-nador/"
ARABIC_TITLE = "الناظور الاجتماعية والمستدامة: الحوار بين الثقافات والإدماج الاجتماعي للمهاجرين"


def test_partner_translates_into_arabic_a_coordinator_approves_a_visitor_reads_it(page, demo_data):
    page.set_viewport_size({"width": 360, "height": 740})
    sign_in(page, "asticude")
    page.goto(f"/en/workspace{NADOR}edit/")
    page.get_by_role("link", name="Translate into Arabic").click()
    page.wait_for_load_state()
    assert_no_serious_axe_violations(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.get_by_label(TITLE_LABEL).fill(ARABIC_TITLE)
    page.get_by_label("Summary").fill("يعزز قدرات أربعين من صانعي المحتوى ويدعم إدماج المهاجرين.")
    page.get_by_label("Indicator “Narrative creators trained”").fill("صانعو محتوى مدرَّبون")
    page.get_by_role("button", name="Save the translation").click()
    page.wait_for_load_state()
    assert "the public reads it once they approve it" in page.content()
    page.goto(f"/ar{NADOR}")
    assert ARABIC_TITLE not in page.locator("h1").inner_text()
    page.goto("/en/workspace/")
    sign_out(page)

    sign_in(page, "coordinator")
    page.goto("/en/review/")
    page.get_by_role("link", name="Social and sustainable Nador").first.click()
    page.wait_for_load_state()
    assert_no_serious_axe_violations(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.get_by_role("button", name="Approve the translation").click()
    page.wait_for_load_state()
    assert "Translation into Arabic" in page.content()
    sign_out(page)

    page.goto(f"/ar{NADOR}")
    heading = page.locator("h1")
    assert heading.inner_text() == ARABIC_TITLE
    assert heading.get_attribute("lang") == "ar" and heading.get_attribute("dir") == "rtl"
    assert page.get_by_role("link", name="اقرأ النص الأصلي").is_visible()
    assert "صانعو محتوى مدرَّبون" in page.content()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert_no_serious_axe_violations(page)

    # A visitor of the English list switches to Arabic and searches a singular without
    # the article: the title has "للمهاجرين" (for the migrants).
    page.goto("/en/practices/")
    switch_language(page, "ar")
    assert page.url.endswith("/ar/practices/")
    page.locator("#id_q").fill("مهاجر")
    page.locator(".search-form button[type=submit]").click()
    page.wait_for_load_state()
    assert page.get_by_role("link", name=ARABIC_TITLE).is_visible()
    assert page.locator(".snippet mark").count() >= 1
    assert_no_serious_axe_violations(page)


def test_a_practice_written_in_english_says_so_on_the_arabic_page(page, demo_data):
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(f"/ar{NADOR}")
    assert page.locator("h1").get_attribute("lang") == "en"
    assert page.locator(".language-note").inner_text() == "متوفرة فقط بـالإنجليزية."
    assert_no_serious_axe_violations(page)
