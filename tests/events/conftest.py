"""An event open for registration, and what a visitor's browser sends to register."""

import pytest

from tests.test_public_statuses import make_event
from tests.workspace_helpers import CsrfClient


@pytest.fixture
def open_event(asticude):
    """Published, ten days ahead, two places."""
    event = make_event(asticude, "Migration Week workshop")
    event.registration_open = True
    event.registration_capacity = 2
    event.save()
    return event


def registration_data(**changes) -> dict:
    data = {
        "name": "Amina El Idrissi",
        "email": "amina@example.org",
        "organisation": "Radio Nador",
        "access_needs": "",
        "consent": "on",
        "website": "",
    }
    return {**data, **changes}


def register(client, event, language: str = "en", **changes):
    return client.post(f"/{language}/events/{event.slug}/register/", registration_data(**changes))


@pytest.fixture
def visitor() -> CsrfClient:
    return CsrfClient()
