import pytest

pytestmark = pytest.mark.django_db

PAGES = ["/en/", "/en/accounts/login/", "/en/no-such-page/", "/healthz"]


def _csp(response) -> dict[str, str]:
    directives = [part.strip() for part in response["Content-Security-Policy"].split(";")]
    return {d.split(" ", 1)[0]: d.split(" ", 1)[1] if " " in d else "" for d in directives if d}


@pytest.mark.parametrize("path", PAGES)
def test_every_response_carries_the_security_headers(client, path):
    response = client.get(path)
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert "camera=()" in response["Permissions-Policy"]
    assert "geolocation=()" in response["Permissions-Policy"]
    assert "Content-Security-Policy" in response


def test_the_content_security_policy_allows_only_the_sites_own_files(client):
    policy = _csp(client.get("/en/"))
    assert policy["default-src"] == "'self'"
    assert policy["script-src"] == "'self'"
    assert policy["style-src"] == "'self'"
    assert policy["object-src"] == "'none'"
    assert policy["frame-ancestors"] == "'none'"
    assert policy["form-action"] == "'self'"
    assert policy["base-uri"] == "'self'"


def test_the_content_security_policy_never_allows_inline_code(client):
    header = client.get("/en/")["Content-Security-Policy"]
    assert "unsafe-inline" not in header
    assert "unsafe-eval" not in header
    assert "*" not in header


def test_production_asks_browsers_to_upgrade_insecure_requests(client):
    # DEBUG is off in the tests, as in production.
    assert "upgrade-insecure-requests" in _csp(client.get("/en/"))


def test_pages_have_no_inline_script_or_style(client):
    content = client.get("/en/").content.decode()
    assert "<script>" not in content
    assert "<style" not in content
    assert ' style="' not in content


def test_https_requests_get_strict_transport_security(client):
    response = client.get("/en/", secure=True)
    assert response["Strict-Transport-Security"] == "max-age=31536000"


def test_session_and_csrf_cookies_are_secure_and_http_only(client, partner, settings):
    from tests.conftest import PASSWORD

    client.get("/en/accounts/login/")
    response = client.post("/en/accounts/login/", {"username": "partner", "password": PASSWORD})
    session = response.cookies[settings.SESSION_COOKIE_NAME]
    assert session["secure"] and session["httponly"]
    csrf = client.cookies[settings.CSRF_COOKIE_NAME]
    assert csrf["secure"] and csrf["httponly"]
