"""Every page a partner or a coordinator works in passes the checks of the public pages:
no sideways scrolling on a 360 px phone, axe without serious or critical violations, and
one <h1>; in English and in Arabic (right to left)."""

import pytest

from events.models import Event
from practices.models import Practice, PracticeTranslation
from tests.browser.conftest import assert_no_serious_axe_violations
from tests.browser.test_partner_journey import sign_in

PHONE = {"width": 360, "height": 740}


def problems_on_a_phone(page, path: str) -> list[str]:
    response = page.goto(path)
    if response.status != 200:
        return [f"{path}: status {response.status}"]
    found = []
    if (h1s := page.locator("h1").count()) != 1:
        found.append(f"{path}: {h1s} <h1>")
    width = page.evaluate("document.documentElement.scrollWidth")
    if width > PHONE["width"]:
        found.append(f"{path}: {width} px wide")
    try:
        assert_no_serious_axe_violations(page)
    except AssertionError as violations:
        found.append(f"{path}: {violations}")
    return found


def assert_every_page_fits_a_phone(page, paths: list[str]) -> None:
    # Every page is checked before failing, so that one run names all that is wrong.
    found = [problem for path in paths for problem in problems_on_a_phone(page, path)]
    assert not found, "\n".join(found)


def partner_paths(language: str) -> list[str]:
    practice = Practice.objects.filter(organisation__slug="asticude").order_by("pk").first()
    event = Event.objects.filter(organisation__slug="asticude").order_by("pk").first()
    other = "fr" if practice.language != "fr" else "es"
    return [
        f"/{language}/workspace/",
        f"/{language}/workspace/practices/new/",
        f"/{language}/workspace/practices/{practice.slug}/edit/",
        f"/{language}/workspace/events/new/",
        f"/{language}/workspace/events/{event.slug}/edit/",
        f"/{language}/workspace/practices/{practice.slug}/preview/",
        f"/{language}/workspace/practices/{practice.slug}/history/",
        f"/{language}/workspace/practices/{practice.slug}/translations/{other}/",
        f"/{language}/accounts/password_change/",
        f"/{language}/accounts/two-factor/settings/",
        f"/{language}/accounts/two-factor/set-up/",
    ]


def coordinator_paths(language: str) -> list[str]:
    practice = Practice.objects.get(slug="sample-neighbourhood-intercultural-cafes")
    other = "es" if practice.language != "es" else "fr"
    PracticeTranslation.objects.update_or_create(
        practice=practice,
        language=other,
        defaults={
            "title": "Cafés interculturales",
            "summary": "Un resumen.",
            "status": "submitted",
        },
    )
    return [
        f"/{language}/review/",
        f"/{language}/review/practices/{practice.slug}/",
        f"/{language}/workspace/practices/{practice.slug}/history/",
        f"/{language}/review/practices/{practice.slug}/translations/{other}/",
        f"/{language}/review/stakeholders/asticude/history/",
        f"/{language}/reports/",
        f"/{language}/reports/import/",
        f"/{language}/accounts/invite/",
        f"/{language}/accounts/two-factor/settings/",
        f"/{language}/accounts/two-factor/reset/",
    ]


@pytest.mark.parametrize("language", ["en", "ar"])
def test_every_page_of_a_partner_fits_a_phone_and_passes_axe(page, demo_data, language):
    page.set_viewport_size(PHONE)
    sign_in(page, "asticude")
    assert_every_page_fits_a_phone(page, partner_paths(language))


@pytest.mark.parametrize("language", ["en", "ar"])
def test_every_page_of_a_coordinator_fits_a_phone_and_passes_axe(page, demo_data, language):
    page.set_viewport_size(PHONE)
    sign_in(page, "coordinator")
    assert_every_page_fits_a_phone(page, coordinator_paths(language))
