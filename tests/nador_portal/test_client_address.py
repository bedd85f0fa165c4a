"""The visitor's address behind 0, 1 or 2 proxies: the address the last proxy saw is used,
whatever a visitor writes into X-Forwarded-For; sign-in limits count by it."""

import pytest
from django.test import RequestFactory

from nador_portal.client import client_ip
from tests.conftest import PASSWORD

LOGIN = "/en/accounts/login/"
VISITOR, VICTIM, PROXY, EDGE = "203.0.113.5", "198.51.100.20", "127.0.0.1", "192.0.2.44"


def _address(settings, proxies: int, forwarded: str | None, remote: str = PROXY) -> str:
    settings.PROXY_COUNT = proxies
    headers = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        headers["HTTP_X_FORWARDED_FOR"] = forwarded
    return client_ip(RequestFactory().get("/", **headers))


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        # No proxy: the header is the visitor's own writing, never trusted.
        (0, "6.6.6.6", PROXY),
        (0, None, PROXY),
        # One proxy (nginx appends the address it saw): the last entry.
        (1, VISITOR, VISITOR),
        (1, f"6.6.6.6, {VISITOR}", VISITOR),
        (1, f"6.6.6.6, 7.7.7.7,{VISITOR}", VISITOR),
        (1, None, PROXY),
        (1, "not-an-address", PROXY),
        # Two proxies (an edge proxy, then nginx): the second entry from the right.
        (2, f"{VISITOR}, {EDGE}", VISITOR),
        (2, f"6.6.6.6, {VISITOR}, {EDGE}", VISITOR),
        (2, EDGE, PROXY),  # shorter than the chain: only the last proxy is known
    ],
)
def test_the_visitors_address_is_the_one_the_trusted_proxies_saw(
    settings, proxies, forwarded, expected
):
    assert _address(settings, proxies, forwarded) == expected


def test_an_ipv6_visitor_behind_one_proxy_is_counted_by_its_address(settings):
    assert _address(settings, 1, "6.6.6.6, 2001:db8::7") == "2001:db8::7"


def _sign_in(client, username, password, forwarded):
    return client.post(
        LOGIN,
        {"username": username, "password": password},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=forwarded,
    )


@pytest.mark.django_db
@pytest.mark.parametrize("proxies", [1, 2])
def test_an_attacker_behind_the_proxy_cannot_lock_out_the_victim(
    client, settings, partner, proxies
):
    settings.PROXY_COUNT = proxies
    chain = "" if proxies == 1 else f", {EDGE}"
    for _ in range(5):
        # Forging the victim's address in the header changes nothing: it is not the last entry.
        _sign_in(client, "partner", "wrong", f"{VICTIM}, {VISITOR}{chain}")
    assert _sign_in(client, "partner", PASSWORD, f"{VISITOR}{chain}").status_code == 429
    victim = _sign_in(client, "partner", PASSWORD, f"{VICTIM}{chain}")
    assert victim.status_code == 302


@pytest.mark.django_db
def test_without_a_proxy_setting_every_visitor_behind_a_proxy_shares_its_address(
    client, settings, partner
):
    """What the issue found: with PROXY_COUNT unset behind nginx, one visitor locks all out.
    The README's proxy set-up therefore sets PROXY_COUNT=1."""
    settings.PROXY_COUNT = 0
    for _ in range(5):
        _sign_in(client, "partner", "wrong", VISITOR)
    assert _sign_in(client, "partner", PASSWORD, VICTIM).status_code == 429
