"""A visitor's contact form, as a browser sends it a while after opening it."""

import time

from contact.forms import opened_token


def form_url(practice, language: str = "en") -> str:
    return f"/{language}/practices/{practice.slug}/contact/"


def contact_data(opened_seconds_ago: float = 60, **changes) -> dict:
    data = {
        "name": "Amina",
        "email": "amina@example.net",
        "sender_organisation": "Oujda city council",
        "city": "Oujda",
        "country": "MA",
        "message": "We would like to open a welcome desk too. How did you start?",
        "consent": "on",
        "website": "",
        "opened": opened_token(time.time() - opened_seconds_ago),
        **changes,
    }
    return {f"contact-{name}": value for name, value in data.items() if value is not None}
