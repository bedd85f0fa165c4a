"""What the open data holds, described for people (the /data/ page) and for catalogues:
a Frictionless Data Package (datapackage.json, a Table Schema per CSV file) and a DCAT-AP
catalogue in JSON-LD that a CKAN with ckanext-dcat can harvest.

The fields of each schema are the export headers of the file's Resource, in their order,
so that a column added to an export without a description fails the tests rather than
publishing an undocumented field. The files themselves are built by reports/open_data.py;
this module only reads their state and sizes. Field descriptions are in English: the
files' headers are English names whatever the page's language.

Each field has its Table Schema type, so that a re-user's tool reads dates as dates and
counts as numbers: dates are YYYY-MM-DD, times are the portal's local time written
YYYY-MM-DD HH:MM:SS (the spreadsheets' format), yes/no is 1/0.
"""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from reports import open_data
from reports.exports import FORMATS

#: Spatial coverage: the GeoNames feature of Nador (Morocco), a URI that DCAT-AP expects.
SPATIAL_URI = "https://sws.geonames.org/2541479/"
SPATIAL_LABEL = "Nador, Morocco"

TITLES = {
    "practices": _("Published practices"),
    "stakeholders": _("Stakeholders"),
    "events": _("Published events"),
    "categories": _("Categories"),
}
DESCRIPTIONS = {
    "practices": _(
        "Every published practice of the programme: its texts in each language, where and "
        "when it took place, its themes, objectives, target groups, stakeholders and "
        "indicators."
    ),
    "stakeholders": _(
        "Every organisation of the portal: its kind, city, country, website and description."
    ),
    "events": _(
        "Every published event: when and where it takes place, who organises it, the "
        "practices it presents and its participants by group."
    ),
    "categories": _(
        "The themes, objectives of the Global Compact for Migration, guiding principles, "
        "target groups, areas of intervention, programmes, cooperation levels and event "
        "series, with their codes and their names in each language."
    ),
}

_LANGUAGE_COLUMNS = {
    "practices": {
        "title": "The practice's title in {language}, where a translation is published.",
        "summary": "The practice's summary in {language}, where a translation is published.",
        "impact": "The practice's impact in {language}, where a translation is published.",
        "lessons_learnt": "The lessons learnt in {language}, where a translation is published.",
        "indicator_labels": "The indicators' labels in {language}, separated by |.",
    },
    "categories": {
        "name": "The category's name in {language}, empty where it is not translated.",
        "description": "The category's description in {language}, if it has one.",
    },
}
_LANGUAGE_NAMES = {"en": "English", "fr": "French", "ar": "Arabic", "es": "Spanish"}

#: Table Schema properties of each type beyond its name (see the module's docstring).
_TYPE_FORMATS = {
    "datetime": {"format": "%Y-%m-%d %H:%M:%S"},
    "boolean": {"trueValues": ["1"], "falseValues": ["0"]},
}

FIELDS: dict[str, dict[str, tuple[str, str]]] = {
    # name: (type, description)
    "practices": {
        "slug": ("string", "The practice's identifier in the portal's addresses."),
        "title": ("string", "The practice's title in its original language."),
        "status": ("string", "The publication status: always published in this file."),
        "organisation": ("string", "The organisation that submitted the practice."),
        "summary": ("string", "What the practice did, in its original language."),
        "impact": ("string", "The practice's impact, in its original language."),
        "lessons_learnt": ("string", "The lessons learnt, in its original language."),
        "city": ("string", "The city where the practice took place."),
        "local_government": ("string", "The local government involved."),
        "country": ("string", "The country, as an ISO 3166-1 alpha-2 code."),
        "mayor": ("string", "The mayor of the local government."),
        "start_date": ("date", "The day the practice started (YYYY-MM-DD)."),
        "end_date": ("date", "The day the practice ended (YYYY-MM-DD), if it did."),
        "programme": ("string", "The funding or cooperation programme."),
        "cooperation_levels": ("string", "The levels of cooperation, separated by |."),
        "language": ("string", "The language code of the original texts."),
        "themes": ("string", "The themes, separated by |."),
        "objectives": ("string", "The Global Compact for Migration objectives, by number."),
        "principles": ("string", "The guiding principles, separated by |."),
        "target_groups": ("string", "The target groups, separated by |."),
        "areas": ("string", "The intervention areas, separated by |."),
        "stakeholders": ("string", "The stakeholders with their role: Name (role)|…"),
        "indicators": ("string", "The indicators: label = achieved / target unit|…"),
        "is_sample": ("boolean", "Whether the practice is a sample (demonstration) record."),
        "published_at": ("datetime", "When the practice was published, in the portal's time zone."),
        "files": (
            "string",
            "The addresses of the practice's documents and images on the portal (from its "
            "domain: /files/…/file/), separated by |.",
        ),
    },
    "stakeholders": {
        "slug": ("string", "The organisation's identifier in the portal's addresses."),
        "name": ("string", "The organisation's name."),
        "kind": ("string", "The kind of organisation."),
        "city": ("string", "The organisation's city."),
        "country": ("string", "The country, as an ISO 3166-1 alpha-2 code."),
        "website": ("string", "The organisation's website."),
        "description": ("string", "What the organisation does."),
    },
    "events": {
        "slug": ("string", "The event's identifier in the portal's addresses."),
        "title": ("string", "The event's title."),
        "status": ("string", "The publication status: always published in this file."),
        "kind": ("string", "The kind of event."),
        "series": ("string", "The series the event belongs to, if any."),
        "organisation": ("string", "The organisation that submitted the event."),
        "organisers": ("string", "The organising organisations, separated by |."),
        "practices": ("string", "The published practices the event presents, by slug."),
        "starts_at": ("datetime", "When the event starts, in the portal's time zone."),
        "ends_at": ("datetime", "When the event ends, in the portal's time zone."),
        "venue": ("string", "The venue."),
        "city": ("string", "The city."),
        "country": ("string", "The country, as an ISO 3166-1 alpha-2 code."),
        "description": ("string", "What the event is about."),
        "expected_participants": ("integer", "The number of participants expected."),
        "participants_narrative_creators": ("integer", "Narrative creators who took part."),
        "participants_migrants": ("integer", "Migrants who took part."),
        "participants_local_residents": ("integer", "Local residents who took part."),
        "participants_officials": ("integer", "Officials who took part."),
        "participants_students": ("integer", "Students who took part."),
        "participants_other": ("integer", "Other participants."),
        "participants_total": ("integer", "All participants."),
    },
    "categories": {
        "category": (
            "string",
            "The kind of category: theme, objective, principle, target_group, area, "
            "programme, level or series, the name of the list's filter it is a value of.",
        ),
        "code": (
            "string",
            "The category's code, as the other files and the list's addresses write it: a "
            "slug, an objective's number or a level's code.",
        ),
    },
}


def describe(kind: str, name: str) -> tuple[str, str]:
    """The type and description of a column; KeyError for a column nobody described."""
    if name in FIELDS[kind]:
        return FIELDS[kind][name]
    base, _sep, language = name.rpartition("_")
    columns = _LANGUAGE_COLUMNS.get(kind, {})
    if base in columns and language in dict(settings.LANGUAGES):
        label = _LANGUAGE_NAMES.get(language, language)
        return "string", columns[base].format(language=label)
    raise KeyError(f"No description for the column {name!r} of {kind}")


def headers(kind: str) -> list[str]:
    return open_data.headers_of(kind)


def schema(kind: str) -> dict:
    fields = []
    for name in headers(kind):
        title = name.replace("_", " ").capitalize()
        try:
            kind_type, description = describe(kind, name)
        except KeyError:
            # A column added to an export before its description (a test catches it):
            # the package stays valid rather than the page failing.
            kind_type, description = "string", title
        field = {"name": name, "type": kind_type, "title": title, "description": description}
        fields.append(field | _TYPE_FORMATS.get(kind_type, {}))
    return {"fields": fields, "missingValues": [""]}


def licence() -> dict:
    return {
        "name": settings.OPEN_DATA_LICENCE,
        "path": settings.OPEN_DATA_LICENCE_URL,
        "title": settings.OPEN_DATA_LICENCE_TITLE,
    }


def files(kind: str, url) -> list[dict]:
    """The built files of `kind`: format, media type, size (None before the first build)
    and address (url(kind, fmt))."""
    found = []
    for fmt in open_data.FORMATS:
        path = open_data.path_of(kind, fmt)
        size = path.stat().st_size if path.exists() else None
        found.append(
            {"format": fmt, "media_type": FORMATS[fmt], "size": size, "url": url(kind, fmt)}
        )
    return found


def datapackage(url, title: str) -> dict:
    """The Data Package of the CSV files: `url(kind, fmt)` gives each file's path (a
    name beside the descriptor, or an absolute address)."""
    state = open_data.read_state() or {}
    resources = []
    for kind in open_data.KINDS:
        resources.append(
            {
                "name": kind,
                "path": url(kind, "csv"),
                "title": str(TITLES[kind]),
                "description": str(DESCRIPTIONS[kind]),
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "profile": "tabular-data-resource",
                "schema": schema(kind),
            }
        )
    package = {
        "profile": "tabular-data-package",
        "name": "nador-portal-open-data",
        "title": title,
        "licenses": [licence()],
        "resources": resources,
    }
    if state.get("built_at"):
        package["created"] = state["built_at"]
    return package


def catalog(url, page_url: str, title: str, publisher: str) -> dict:
    """A DCAT-AP catalogue in JSON-LD: one dcat:Dataset per file kind, one
    dcat:Distribution per format."""
    state = open_data.read_state() or {}
    modified = state.get("built_at")
    licence_ref = {"@id": settings.OPEN_DATA_LICENCE_URL}
    agent = {"@type": "foaf:Agent", "foaf:name": publisher}
    spatial = {"@id": SPATIAL_URI, "rdfs:label": SPATIAL_LABEL}
    datasets = []
    for kind in open_data.KINDS:
        distributions = []
        for found in files(kind, url):
            distribution = {
                "@id": found["url"],
                "@type": "dcat:Distribution",
                "dct:title": f"{TITLES[kind]} ({found['format'].upper()})",
                "dcat:accessURL": {"@id": page_url},
                "dcat:downloadURL": {"@id": found["url"]},
                "dcat:mediaType": found["media_type"],
                "dct:format": found["format"].upper(),
                "dct:license": licence_ref,
            }
            if found["size"] is not None:
                distribution["dcat:byteSize"] = {
                    "@value": str(found["size"]),
                    "@type": "xsd:decimal",
                }
            distributions.append(distribution)
        dataset = {
            "@id": f"{page_url}#{kind}",
            "@type": "dcat:Dataset",
            "dct:identifier": kind,
            "dct:title": str(TITLES[kind]),
            "dct:description": str(DESCRIPTIONS[kind]),
            "dct:publisher": agent,
            "dct:spatial": spatial,
            "dct:license": licence_ref,
            "dcat:landingPage": {"@id": page_url},
            "dcat:distribution": distributions,
        }
        if modified:
            dataset["dct:modified"] = {"@value": modified, "@type": "xsd:dateTime"}
        datasets.append(dataset)
    return {
        "@context": {
            "dcat": "http://www.w3.org/ns/dcat#",
            "dct": "http://purl.org/dc/terms/",
            "foaf": "http://xmlns.com/foaf/0.1/",
            "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
            "xsd": "http://www.w3.org/2001/XMLSchema#",
        },
        "@id": page_url,
        "@type": "dcat:Catalog",
        "dct:title": title,
        "dct:publisher": agent,
        "dct:license": licence_ref,
        "foaf:homepage": {"@id": page_url},
        "dcat:dataset": datasets,
    }
