"""Browser tests: Playwright driving Debian's Chromium against pytest-django's live_server.

Playwright's sync API runs an event loop in the test thread, which makes Django refuse
database calls from that thread unless DJANGO_ALLOW_ASYNC_UNSAFE is set; it is set here,
for the browser tests alone. Playwright never downloads a browser: it is given the
machine's Chromium. Outside CI, the tests skip with a message when there is none; in CI
a missing Chromium is a failure.
"""

import os
import shutil
import time
from base64 import b32decode
from urllib.parse import urlparse

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser():
    if not os.path.exists(CHROMIUM):
        if os.environ.get("CI"):
            pytest.fail(f"Chromium is required in CI and was not found at {CHROMIUM}")
        pytest.skip("No Chromium found (apt-get install chromium); browser tests skipped")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="en-GB")
    page = context.new_page()
    leaks: list[str] = []

    def refuse_other_hosts(route):
        leaks.append(route.request.url)
        route.abort()

    # Every asset must come from the portal itself: any other host is a failure.
    page.route(lambda url: not url.startswith(live_server.url), refuse_other_hosts)
    yield page
    context.close()
    assert not leaks, f"The page asked for other hosts: {leaks}"


@pytest.fixture
def demo_data(transactional_db, settings):
    from django.core.management import call_command

    settings.DEBUG = True  # load_demo makes the demo accounts only in DEBUG
    call_command("load_demo")
    settings.DEBUG = False


def assert_no_serious_axe_violations(page) -> None:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    serious = [
        violation
        for violation in results.response["violations"]
        if violation.get("impact") in ("serious", "critical")
    ]
    assert not serious, "\n".join(
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
        for v in serious
    )


def give_second_factor(page, username: str) -> None:
    """Gets past the second factor's step if the page is on it (tests run with DEBUG off, so
    coordinators owe one): sets up an app from the secret the page shows, or gives a code of
    the app set up before, as a person with the app in hand would."""
    from django_otp.oath import totp
    from django_otp.plugins.otp_totp.models import TOTPDevice

    path = urlparse(page.url).path
    if path.endswith("/accounts/two-factor/set-up/"):
        secret = page.locator("code.secret").inner_text().replace(" ", "")
        page.locator("#id_code").fill(f"{totp(b32decode(secret)):06d}")
        page.locator("form.record-form button[type=submit]").click()
        page.wait_for_load_state()
        assert page.locator(".recovery-codes li").count() == 10
        page.locator("main a.button").click()  # the codes are kept: on to the page asked for
        page.wait_for_load_state()
    elif path.endswith("/accounts/two-factor/"):
        device = TOTPDevice.objects.get(user__username=username, confirmed=True)
        # A code is good once: within 30 seconds of the last, the app's next one.
        now = int(time.time()) // device.step
        step = max(now, device.last_t + 1)
        page.locator("#id_code").fill(f"{totp(device.bin_key, drift=step - now):06d}")
        page.locator("form.record-form button[type=submit]").click()
        page.wait_for_load_state()
