"""The visitor's own address, behind any number of reverse proxies.

Every proxy appends the address it received the request from to `X-Forwarded-For`, so with
PROXY_COUNT proxies the visitor is the PROXY_COUNT-th address from the right; anything to its
left was written by the visitor and is ignored (a forged header cannot pick an address). With no
proxy (PROXY_COUNT=0) the header is not trusted at all. django-axes (AXES_CLIENT_IP_CALLABLE),
the per-address sign-in limit and the open-data rate limit all count by this one function.
"""

from django.conf import settings
from django.http import HttpRequest
from python_ipware import IpWare

_FORWARDED = ("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR")


def _ipware(proxy_count: int) -> IpWare:
    # python-ipware counts the proxies listed *in* the header, after the client: the last proxy
    # (the one the app talks to) is REMOTE_ADDR, not in the header, hence count - 1.
    return IpWare(precedence=_FORWARDED, leftmost=True, proxy_count=proxy_count - 1)


def client_ip(request: HttpRequest) -> str:
    remote = request.META.get("REMOTE_ADDR") or ""
    proxy_count = settings.PROXY_COUNT
    if proxy_count < 1:
        return remote
    address, _ = _ipware(proxy_count).get_client_ip(request.META, strict=False)
    # A header shorter than the chain of proxies did not come through all of them: the last
    # proxy's address is the only one known to be true.
    return str(address) if address is not None else remote
