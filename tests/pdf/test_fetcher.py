"""WeasyPrint reads the portal's own static files and nothing else: no network, no file
outside the static files, whatever a page or a partner's text links to."""

import socket

import pytest

from nador_portal import pdf

BASE = "http://testserver/"
STATIC = "http://testserver/static/"


@pytest.fixture
def asked(monkeypatch):
    """The URLs WeasyPrint asked the fetcher for; any network connection fails the test."""
    urls = []
    check = pdf.static_file
    monkeypatch.setattr(pdf, "static_file", lambda url, base: urls.append(url) or check(url, base))

    def no_network(*args, **kwargs):
        raise AssertionError("WeasyPrint opened a network connection")

    monkeypatch.setattr(socket.socket, "connect", no_network)
    monkeypatch.setattr(socket, "create_connection", no_network)
    return urls


def test_an_external_image_is_refused_without_any_network_request(asked):
    html = '<html><body><p>Text</p><img src="http://example.org/tracker.png" alt=""></body></html>'

    document = pdf.html_to_pdf(html, BASE)

    assert document.startswith(b"%PDF")
    assert asked == ["http://example.org/tracker.png"]


def test_the_portals_stylesheet_and_fonts_are_read_from_the_static_files(asked):
    html = '<link rel="stylesheet" href="/static/css/pdf.css"><body lang="ar">نص</body>'

    pdf.html_to_pdf(html, BASE)

    assert f"{STATIC}css/pdf.css" in asked
    assert f"{STATIC}fonts/NotoNaskhArabic-Regular.ttf" in asked


@pytest.mark.parametrize(
    "url",
    [
        "http://example.org/static/css/pdf.css",
        "file:///etc/passwd",
        "data:text/css,body{}",
        f"{STATIC}../../nador_portal/settings.py",
        f"{STATIC}%2e%2e/nador_portal/settings.py",
        f"{STATIC}/etc/passwd",
        f"{STATIC}css",
        f"{STATIC}css/missing.css",
        f"{STATIC}css/pdf.css%00.png",
    ],
)
def test_anything_but_a_static_file_is_refused(url):
    assert pdf.static_file(url, STATIC) is None


def test_a_static_file_is_found_with_its_query_string_ignored():
    found = pdf.static_file(f"{STATIC}fonts/NotoSans-Regular.ttf?v=2", STATIC)

    assert found is not None
    assert found.name == "NotoSans-Regular.ttf"
