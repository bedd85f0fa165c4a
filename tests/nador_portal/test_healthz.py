import json
import logging
from unittest import mock

import pytest
from django.db import OperationalError, connection

pytestmark = pytest.mark.django_db


def test_healthz_answers_ok_when_the_database_answers(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert json.loads(response.content) == {"status": "ok", "database": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_healthz_answers_503_when_the_database_does_not(client, caplog):
    with mock.patch.object(connection, "cursor", side_effect=OperationalError("down")):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert json.loads(response.content)["status"] == "error"
    assert any(
        record.levelno == logging.ERROR and "database unavailable" in record.getMessage()
        for record in caplog.records
    )


def test_healthz_lives_outside_the_language_prefix(client):
    assert client.get("/en/healthz").status_code == 404


def test_healthz_refuses_a_post(client):
    assert client.post("/healthz").status_code == 405


def test_healthz_is_not_redirected_to_https_by_load_balancer_probes(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    assert client.get("/healthz").status_code == 200
    assert client.get("/en/").status_code == 301
