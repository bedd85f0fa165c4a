import logging

import pytest
from django.test import Client

from nador_portal.log import KeyValueFormatter

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.error_urls")]


@pytest.fixture
def quiet_client(settings) -> Client:
    settings.DEBUG = False
    client = Client()
    client.raise_request_exception = False
    return client


def test_a_missing_page_is_a_plain_404_without_the_url_patterns(quiet_client):
    response = quiet_client.get("/en/no-such-page/")
    assert response.status_code == 404
    content = response.content.decode()
    assert "Page not found" in content
    assert content.count("<h1") == 1
    for leak in ("URLconf", "urlpatterns", "healthz", "practices.urls", "Traceback"):
        assert leak not in content


def test_the_404_page_is_translated(quiet_client):
    response = quiet_client.get("/fr/no-such-page/")
    assert response.status_code == 404
    assert 'lang="fr"' in response.content.decode()


def test_an_error_is_a_plain_500_without_a_traceback(quiet_client):
    response = quiet_client.get("/en/boom/")
    assert response.status_code == 500
    content = response.content.decode()
    assert "Something went wrong" in content
    assert content.count("<h1") == 1
    for leak in ("Traceback", "RuntimeError", "secret detail", "SECRET_KEY", "tests/"):
        assert leak not in content


def test_the_500_page_is_in_the_visitors_language(quiet_client):
    assert 'lang="ar" dir="rtl"' in quiet_client.get("/ar/boom/").content.decode()


def test_a_refusal_is_a_plain_403_without_its_reason(quiet_client):
    response = quiet_client.get("/en/forbidden/")
    assert response.status_code == 403
    content = response.content.decode()
    assert "Access denied" in content
    assert "secret reason" not in content


def test_a_suspicious_request_is_a_plain_400(quiet_client):
    response = quiet_client.get("/en/suspicious/")
    assert response.status_code == 400
    content = response.content.decode()
    assert "Bad request" in content
    assert "secret suspicious" not in content


def test_a_form_without_its_csrf_token_gets_the_translated_403(partner):
    client = Client(enforce_csrf_checks=True)
    response = client.post("/en/accounts/login/", {"username": "partner", "password": "x"})
    assert response.status_code == 403
    assert "The form has expired" in response.content.decode()


def test_an_error_is_logged_as_one_key_value_line_with_path_and_status(quiet_client, caplog):
    quiet_client.get("/en/boom/")
    record = next(r for r in caplog.records if r.name == "django.request")
    line = KeyValueFormatter().format(record)
    assert "\n" not in line
    assert "level=ERROR" in line
    assert "logger=django.request" in line
    assert "method=GET" in line
    assert "path=/en/boom/" in line
    assert "status=500" in line
    assert "exc=RuntimeError" in line


def test_a_log_line_cannot_be_forged_through_the_path():
    record = logging.makeLogRecord(
        {
            "name": "django.request",
            "levelno": logging.WARNING,
            "levelname": "WARNING",
            "msg": "Not Found: %s",
            "args": ('/x\nlevel=INFO msg="forged"',),
        }
    )
    line = KeyValueFormatter().format(record)
    assert "\n" not in line
    assert 'msg="Not Found: /x\\nlevel=INFO msg=\\"forged\\""' in line


@pytest.mark.parametrize(
    ("url", "status", "exception"),
    [
        ("/en/forbidden/", 403, "PermissionDenied"),
        ("/en/practices/no-such-practice/", 404, None),  # Django logs no exception for it
        ("/en/suspicious/", 400, "SuspiciousOperation"),
    ],
)
def test_a_refusal_is_logged_as_one_short_line_without_a_traceback(
    quiet_client, caplog, url, status, exception
):
    quiet_client.get(url)
    records = [
        r for r in caplog.records if r.name.startswith(("django.request", "django.security"))
    ]
    lines = [KeyValueFormatter().format(record) for record in records]
    assert lines
    assert all("traceback=" not in line and len(line) < 500 for line in lines)
    assert any(f"status={status}" in line for line in lines)
    assert exception is None or any(f"exc={exception}" in line for line in lines)


def test_a_server_error_keeps_its_traceback_in_the_log(quiet_client, caplog):
    quiet_client.get("/en/boom/")
    record = next(r for r in caplog.records if r.name == "django.request")
    assert "secret detail of the failure" in KeyValueFormatter().format(record)
