"""The open data described: the /data/ page, datapackage.json (a Frictionless Data
Package whose schemas are the CSV headers) and the DCAT-AP catalogue in JSON-LD."""

import csv
import json
from datetime import date

import pytest
from django.core.management import call_command
from django.utils import timezone
from frictionless import Resource, validate

from events.models import Event
from practices.models import CooperationLevel, GcmObjective, Status
from reports import datasets, open_data
from tests.conftest import make_practice

pytestmark = pytest.mark.django_db

KINDS = ("practices", "stakeholders", "events", "categories")
FORMATS = ("csv", "xlsx", "json")


@pytest.fixture
def published_content(asticude, acpp, theme):
    """A published practice and event, a draft of each whose titles must never show."""
    practice = make_practice(asticude, "Published one", start_date=date(2019, 9, 1))
    practice.themes.add(theme)
    practice.objectives.add(GcmObjective.objects.get(number=17))
    make_practice(asticude, "Secret draft title", status=Status.DRAFT)
    now = timezone.now()
    common = {"organisation": asticude, "starts_at": now, "ends_at": now, "kind": "training"}
    event = Event.objects.create(
        title="Open day", slug="open-day", status="published", expected_participants=40, **common
    )
    event.participant_counts.create(category="narrative_creators", count=47)
    Event.objects.create(title="Secret draft event", slug="secret", **common)
    call_command("build_open_data", "--force")


def csv_headers(kind: str) -> list[str]:
    with open_data.path_of(kind, "csv").open(newline="", encoding="utf-8-sig") as handle:
        return next(csv.reader(handle))


def test_an_anonymous_visitor_sees_each_dataset_with_its_licence_and_files(
    client, published_content
):
    response = client.get("/en/data/")
    assert response.status_code == 200
    page = response.content.decode()
    for title in ("Published practices", "Stakeholders", "Published events"):
        assert title in page
    assert "https://creativecommons.org/licenses/by/4.0/" in page
    assert "CSV (CC-BY-4.0)" in page
    assert 'href="/en/reports/open-data/practices.xlsx"' in page
    assert 'href="/en/reports/open-data/events.json"' in page
    assert 'href="/en/data/datapackage.json"' in page
    assert "Last change:" in page
    assert "Secret draft" not in page


def test_the_page_says_the_files_are_being_prepared_before_the_first_build(client, settings):
    settings.OPEN_DATA_BUILD = "off"
    response = client.get("/ar/data/")
    assert response.status_code == 200
    assert 'dir="rtl"' in response.content.decode()
    assert not open_data.path_of("practices", "csv").exists()
    english = client.get("/en/data/").content.decode()
    assert "The files are being prepared." in english
    assert "/en/reports/open-data/practices.csv" not in english


def test_the_licence_is_a_setting(client, settings, published_content):
    settings.OPEN_DATA_LICENCE = "ODbL-1.0"
    settings.OPEN_DATA_LICENCE_URL = "https://opendatacommons.org/licenses/odbl/1-0/"
    page = client.get("/en/data/").content.decode()
    assert "https://opendatacommons.org/licenses/odbl/1-0/" in page
    package = client.get("/en/data/datapackage.json").json()
    assert package["licenses"][0]["name"] == "ODbL-1.0"


def test_the_datapackage_schemas_are_the_csv_headers_in_order_each_described(
    client, published_content
):
    response = client.get("/en/data/datapackage.json")
    assert response.status_code == 200
    package = json.loads(response.content)
    assert [resource["name"] for resource in package["resources"]] == list(KINDS)
    for resource in package["resources"]:
        kind = resource["name"]
        assert resource["path"] == f"http://testserver/en/reports/open-data/{kind}.csv"
        fields = resource["schema"]["fields"]
        assert [field["name"] for field in fields] == csv_headers(kind)
        for field in fields:
            assert field["type"] and field["title"] and field["description"]
    assert package["licenses"][0]["path"] == "https://creativecommons.org/licenses/by/4.0/"
    assert "Secret draft" not in response.content.decode()


def test_frictionless_accepts_the_package_of_the_built_files(published_content):
    descriptor = datasets.datapackage(lambda kind, fmt: f"{kind}.{fmt}", "Open data")
    path = open_data.root() / "datapackage.json"
    path.write_text(json.dumps(descriptor))
    report = validate(str(path))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])


def test_a_column_nobody_described_is_refused():
    with pytest.raises(KeyError):
        datasets.describe("practices", "secret_new_column")


@pytest.mark.parametrize("kind", KINDS)
def test_every_exported_column_has_its_own_description(kind):
    for name in datasets.headers(kind):
        _type, description = datasets.describe(kind, name)
        assert description.endswith(".") or description.endswith("…")


def test_the_dcat_catalogue_lists_a_dataset_per_kind_and_a_distribution_per_format(
    client, published_content
):
    response = client.get("/fr/data/catalog.jsonld")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/ld+json")
    catalog = json.loads(response.content)
    assert catalog["@context"]["dcat"] == "http://www.w3.org/ns/dcat#"
    assert catalog["@type"] == "dcat:Catalog"
    found = catalog["dcat:dataset"]
    assert [dataset["dct:identifier"] for dataset in found] == list(KINDS)
    state = open_data.read_state()
    for dataset in found:
        assert dataset["@type"] == "dcat:Dataset"
        assert dataset["dct:license"]["@id"] == "https://creativecommons.org/licenses/by/4.0/"
        assert dataset["dct:spatial"]["@id"] == datasets.SPATIAL_URI
        assert dataset["dct:publisher"]["foaf:name"]
        assert dataset["dct:modified"]["@value"] == state["built_at"]
        distributions = dataset["dcat:distribution"]
        assert [d["dct:format"] for d in distributions] == ["CSV", "XLSX", "JSON"]
        for distribution, fmt in zip(distributions, FORMATS, strict=True):
            kind = dataset["dct:identifier"]
            size = open_data.path_of(kind, fmt).stat().st_size
            assert distribution["@type"] == "dcat:Distribution"
            assert distribution["dcat:downloadURL"]["@id"].endswith(
                f"/reports/open-data/{kind}.{fmt}"
            )
            assert distribution["dcat:byteSize"]["@value"] == str(size)
            assert distribution["dcat:mediaType"]
    assert "Secret draft" not in response.content.decode()


def test_the_descriptions_answer_a_post_with_405(client):
    for url in ("/en/data/", "/en/data/datapackage.json", "/en/data/catalog.jsonld"):
        assert client.post(url).status_code == 405


@pytest.mark.parametrize(
    ("language", "heading", "title"),
    [
        ("fr", "Données ouvertes", "Pratiques publiées"),
        ("ar", "البيانات المفتوحة", None),
        ("es", "Datos abiertos", None),
    ],
)
def test_the_page_and_the_catalogue_speak_the_visitors_language(
    client, published_content, language, heading, title
):
    assert f"<h1>{heading}</h1>" in client.get(f"/{language}/data/").content.decode()
    catalog = client.get(f"/{language}/data/catalog.jsonld").json()
    english = client.get("/en/data/catalog.jsonld").json()
    assert (
        catalog["dcat:dataset"][2]["dct:description"]
        != (english["dcat:dataset"][2]["dct:description"])
    )
    if title:
        assert catalog["dcat:dataset"][0]["dct:title"] == title


def test_the_practice_lists_download_links_say_the_licence(client, published_content):
    page = client.get("/en/practices/").content.decode()
    assert '<a href="/en/data/">Licence: CC-BY-4.0</a>' in page


def test_frictionless_reads_dates_counts_and_yes_no_as_their_types(published_content):
    descriptor = datasets.datapackage(lambda kind, fmt: f"{kind}.{fmt}", "Open data")
    types = {
        resource["name"]: {field["name"]: field["type"] for field in resource["schema"]["fields"]}
        for resource in descriptor["resources"]
    }
    assert types["practices"]["start_date"] == "date"
    assert types["practices"]["published_at"] == "datetime"
    assert types["practices"]["is_sample"] == "boolean"
    assert types["events"]["participants_narrative_creators"] == "integer"
    events = next(r for r in descriptor["resources"] if r["name"] == "events")
    events["path"] = "events.csv"
    with Resource(events, basepath=str(open_data.root())) as resource:
        (row,) = resource.read_rows()
    assert row["participants_narrative_creators"] == 47
    assert row["expected_participants"] == 40
    assert row["participants_migrants"] is None
    assert row["starts_at"].year == timezone.localtime().year


def test_frictionless_refuses_a_count_that_is_not_a_number(published_content):
    path = open_data.path_of("events", "csv")
    path.write_text(path.read_text(encoding="utf-8-sig").replace(",47", ",forty-seven"))
    descriptor = datasets.datapackage(lambda kind, fmt: f"{kind}.{fmt}", "Open data")
    package = open_data.root() / "datapackage.json"
    package.write_text(json.dumps(descriptor))
    report = validate(str(package))
    assert not report.valid
    errors = report.flatten(["fieldName", "type"])
    assert ["participants_narrative_creators", "type-error"] in errors


def test_the_categories_file_gives_each_code_its_name_in_every_language(
    client, theme, published_content
):
    theme.name_fr = "Dialogue interculturel"
    theme.save()
    CooperationLevel.objects.get_or_create(code="local")
    objective = GcmObjective.objects.get(number=17)
    call_command("build_open_data", "--force")
    response = client.get("/en/reports/open-data/categories.json")
    assert response.status_code == 200
    found = {(row["category"], row["code"]): row for row in json.loads(b"".join(response))}
    dialogue = found[("theme", "intercultural-dialogue")]
    assert dialogue["name_en"] == "Intercultural dialogue"
    assert dialogue["name_fr"] == "Dialogue interculturel"
    assert dialogue["name_ar"] in ("", None)
    assert found[("objective", "17")]["name_en"] == objective.short_title_en
    assert found[("objective", "17")]["description_fr"] == objective.title_fr != ""
    level = found[("level", "local")]
    assert (level["name_en"], level["name_fr"]) == ("Local", "Local")
    assert level["name_ar"] and level["name_ar"] != "Local"
