from django.contrib.staticfiles import finders


def test_favicon_ico_redirects_to_the_static_icon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 302
    assert response["Location"] == "/static/img/favicon.ico"
    assert finders.find("img/favicon.ico")


def test_favicon_ico_refuses_a_post(client):
    assert client.post("/favicon.ico").status_code == 405


def test_every_page_links_the_svg_and_the_small_icon(client, db):
    page = client.get("/en/").content.decode()
    assert 'rel="icon" href="/static/img/favicon.ico"' in page
    assert 'href="/static/img/icon.svg" type="image/svg+xml"' in page
    assert finders.find("img/icon.svg") and finders.find("img/icon-32.png")
