"""Guards over every address of the portal and the admin, with the access matrix's samples
and clients: no signed-in response may be cached, and control characters in any parameter give
a clean page or a bad request, never a server error."""

import pytest
from django.db import transaction
from django.urls import reverse

from tests.matrix_samples import Samples, admin_url
from tests.project import CSRF_TOKEN, all_patterns, database_state, is_admin
from tests.test_access_matrix import TABLE

SIGNED_IN = ("partner", "outsider", "coordinator", "superuser")


def every_url(samples: Samples) -> list[str]:
    """Each project URL once (its first case), and each admin URL."""
    urls = [reverse(name, kwargs=samples.cases(row.cases)[0].kwargs) for name, row in TABLE.items()]
    for key, route in all_patterns().items():
        if is_admin(key):
            urls.append(admin_url(key, route, samples))
    return urls


@pytest.mark.django_db
def test_no_signed_in_response_may_be_stored_by_a_browser_or_proxy(admin_samples, clients):
    problems = []
    for url in every_url(admin_samples):
        for persona in SIGNED_IN:
            response = clients[persona].get(url)
            if "no-store" not in response.get("Cache-Control", ""):
                problems.append(f"GET {url} as {persona}: {response.get('Cache-Control')!r}")
    assert not problems, "\n".join(problems)


HOSTILE = ["q=%00", "city=%00&q=caf%C3%A9", "page=%00", "%00=1", "q=%1B%7F", "city=a%0Bb&q=%08"]


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["anonymous", "coordinator", "superuser"])
def test_control_characters_on_every_url_give_a_clean_page_or_a_bad_request(
    admin_samples, clients, persona
):
    """The fuzz test: a NUL anywhere in the parameters or the form is a 400 that says why and
    changes nothing; other control characters are spaces. Never a server error."""
    client = clients[persona]
    problems = []
    for url in every_url(admin_samples):
        for query in HOSTILE:
            response = client.get(f"{url}?{query}")
            nul = "%00" in query
            if (nul and response.status_code != 400) or response.status_code >= 500:
                problems.append(f"GET {url}?{query} as {persona}: {response.status_code}")
        with transaction.atomic():
            before = database_state()
            response = client.post(url, {"csrfmiddlewaretoken": CSRF_TOKEN, "title": "a\x00b"})
            if response.status_code != 400 or database_state() != before:
                problems.append(f"POST NUL to {url} as {persona}: {response.status_code}")
            transaction.set_rollback(True)
    assert not problems, "\n".join(problems)
