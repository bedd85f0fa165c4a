"""The OpenAPI schema is valid and describes every endpoint with its parameters, the
practice list's filters among them; its docs are served from the portal's own files within
its Content-Security-Policy."""

import re

import pytest
import yaml
from django.utils.translation import get_language
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.validation import validate_schema

from api.docs import OnceMadeSchemaGenerator
from search import dimensions
from tests.project import all_patterns

pytestmark = pytest.mark.django_db


def generated() -> dict:
    return SchemaGenerator().get_schema(request=None, public=True)


def api_routes() -> set[str]:
    """The API's routes in OpenAPI's spelling: /api/v1/practices/{slug}/."""
    routes = {
        "/" + re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", route)
        for key, route in all_patterns().items()
        if key.startswith("api:")
    }
    return {route for route in routes if route.startswith("/api/v1/")}


def test_the_schema_is_valid_openapi_3():
    schema = generated()
    validate_schema(schema)  # openapi-spec-validator's rules, as drf-spectacular applies them
    assert schema["openapi"].startswith("3.")


def test_every_endpoint_is_in_the_schema_with_get_only():
    paths = generated()["paths"]
    assert set(paths) == api_routes()
    for route, operations in paths.items():
        assert set(operations) - {"parameters"} == {"get"}, route
        names = {p["name"] for p in operations["get"].get("parameters", [])}
        assert "lang" in names, route
        if "{slug}" in route:
            assert "slug" in names, route


def test_every_filter_of_the_practice_list_is_described():
    operation = generated()["paths"]["/api/v1/practices/"]["get"]
    parameters = {p["name"]: p for p in operation["parameters"]}
    expected = {*dimensions.names(), "q", "cursor", "page_size", "facets", "lang"}
    assert set(parameters) == expected
    for name in dimensions.names():
        assert parameters[name]["in"] == "query" and parameters[name]["description"]
        assert parameters[name]["schema"]["type"] == "array"
    assert "en" in parameters["available"]["schema"]["items"]["enum"]
    assert "MA" in parameters["country"]["schema"]["items"]["enum"]


def test_the_schema_is_served_at_api_schema(client):
    response = client.get("/api/schema/")
    assert response.status_code == 200
    served = yaml.safe_load(response.content)
    assert set(served["paths"]) == api_routes()
    as_json = client.get("/api/schema/?format=json")
    assert as_json.status_code == 200 and as_json.json()["paths"].keys() == served["paths"].keys()


@pytest.mark.parametrize("url", ["/api/docs/", "/api/redoc/"])
def test_the_docs_use_only_the_portals_own_files_and_no_inline_code(client, url):
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "<style" not in html
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), "an inline script"
    for address in re.findall(r'(?:src|href)="([^"]+)"', html):
        assert address.startswith("/"), address
    policy = dict(
        directive.strip().split(" ", 1)
        for directive in response["Content-Security-Policy"].split(";")
        if " " in directive.strip()
    )
    assert "'unsafe-inline'" not in policy["script-src"]
    # Redoc writes its styles at run time (api/docs.py): its page alone allows inline styles.
    assert ("'unsafe-inline'" in policy["style-src"]) == (url == "/api/redoc/")


def test_swagger_uis_start_up_script_is_a_file_of_its_own(client):
    response = client.get("/api/docs/?script")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/javascript")
    assert "/api/schema/" in response.content.decode()


def test_the_schema_is_made_once_per_language_and_served_the_same(client, db, monkeypatch):
    made = []
    original = SchemaGenerator.get_schema

    def counted(self, *args, **kwargs):
        made.append(get_language())
        return original(self, *args, **kwargs)

    monkeypatch.setattr(SchemaGenerator, "get_schema", counted)
    monkeypatch.setattr(OnceMadeSchemaGenerator, "made", {})
    first = client.get("/api/schema/").content
    assert client.get("/api/schema/").content == first
    french = client.get("/api/schema/?lang=fr").content
    assert client.get("/api/schema/?lang=fr").content == french != first
    assert made == ["en", "fr"]
