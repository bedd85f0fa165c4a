"""Link previews (OpenGraph, Twitter cards) and schema.org structured data of the public
pages: what a messaging app, a social network or a search engine shows of a page.

Only published records are described: the template tag (nador_portal/templatetags/
sharing.py) renders nothing for a workspace preview or an unpublished record. The texts
are those the visitor reads: a practice's approved translation into the page's language
(practices/languages.py localise(), done by the view) or its original.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, datetime

from django.conf import settings
from django.http import HttpRequest
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from attachments.models import files_of
from practices.languages import published_languages
from practices.models import Practice

DESCRIPTION_LENGTH = 200
# OpenGraph names a locale by language and territory: the programme's countries where
# the language is spoken, British English as the portal writes it.
LOCALES = {"en": "en_GB", "fr": "fr_FR", "ar": "ar_MA", "es": "es_ES"}
CARD_IMAGE = "img/card.png"
CARD_SIZE = (1200, 630)
# Django's json_script escapes: user text can neither close the script nor open a comment.
JSON_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


@dataclass
class Image:
    url: str
    alt: str
    width: int
    height: int


@dataclass
class Card:
    """The link preview of one page."""

    title: str
    description: str
    url: str
    image: Image
    type: str = "website"
    language: str = ""
    other_languages: list[str] = field(default_factory=list)

    @property
    def locale(self) -> str:
        return locale(self.language)

    @property
    def alternate_locales(self) -> list[str]:
        return [locale(code) for code in self.other_languages if code != self.language]


def locale(language: str) -> str:
    return LOCALES.get(language, language)


def shortened(text: str, length: int = DESCRIPTION_LENGTH) -> str:
    """The text on one line, cut at a word boundary before `length` characters."""
    text = " ".join(str(text).split())
    if len(text) <= length:
        return text
    cut = text[: length - 1]
    if " " in cut:
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:.-–—") + "…"


def absolute(request: HttpRequest, path: str) -> str:
    return request.build_absolute_uri(path)


def share_image(request: HttpRequest, record=None) -> Image:
    """The image of a page's preview: a practice's first image (its card image, in its large
    WebP copy), else the portal's card."""
    picture = _first_image(record)
    if picture is not None:
        return Image(
            absolute(request, picture.large_url()),
            picture.alt,
            picture.large_width,
            picture.large_height,
        )
    width, height = CARD_SIZE
    return Image(
        absolute(request, static(CARD_IMAGE)),
        _("%(site)s: good practices shared by the partners in Nador")
        % {"site": settings.SITE_NAME},
        width,
        height,
    )


def _first_image(record):
    if not isinstance(record, Practice):
        return None
    images = files_of(record).images
    return images[0] if images else None


def _all_languages() -> list[str]:
    """The interface exists in every language: a page without a text of its own does."""
    return [code for code, _name in settings.LANGUAGES]


def _iso(value: datetime | date | None) -> str | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return timezone.localtime(value).isoformat()
    return value.isoformat()


def _organisation(request: HttpRequest, stakeholder) -> dict:
    return {
        "@type": "Organization",
        "name": stakeholder.name,
        "url": absolute(request, stakeholder.get_absolute_url()),
    }


def _address(city: str, country) -> dict | None:
    if not city and not country:
        return None
    address = {"@type": "PostalAddress"}
    if city:
        address["addressLocality"] = city
    if country:
        address["addressCountry"] = country.code
    return address


def _place(name: str, city: str, country) -> dict:
    return compact({"@type": "Place", "name": name, "address": _address(city, country)})


def compact(data: dict) -> dict:
    """Without the empty values: structured data leaves out what is not known."""
    return {key: value for key, value in data.items() if value not in (None, "", [], {})}


def json_ld(data: dict) -> str:
    """The body of a <script type="application/ld+json">, escaped like json_script."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return text.translate(JSON_SCRIPT_ESCAPES)


# -- the pages --------------------------------------------------------------------------


def home(request: HttpRequest) -> tuple[Card, dict]:
    language = get_language()
    url = absolute(request, reverse("practices:home"))
    description = _(
        "Good practices of intercultural dialogue and inclusion of migrants shared by "
        "the partners of the programme in Nador."
    )
    card = Card(
        str(settings.SITE_NAME),
        description,
        url,
        share_image(request),
        language=language,
        other_languages=_all_languages(),
    )
    search = absolute(request, reverse("practices:list")) + "?q={search_term_string}"
    data = {
        "@context": "https://schema.org",
        "@type": "WebSite",
        "name": str(settings.SITE_NAME),
        "description": description,
        "url": url,
        "inLanguage": language,
        "potentialAction": {
            "@type": "SearchAction",
            "target": {"@type": "EntryPoint", "urlTemplate": search},
            "query-input": "required name=search_term_string",
        },
    }
    return card, data


def practice(request: HttpRequest, practice, languages: list[str] | None = None):
    """`languages`: those the practice is readable in, when the view already knows them."""
    shown = practice.shown
    url = absolute(request, practice.get_absolute_url())
    description = shortened(shown.summary)
    languages = languages if languages is not None else published_languages(practice)
    card = Card(
        shown.title,
        description,
        url,
        share_image(request, practice),
        type="article",
        language=shown.language,
        other_languages=languages,
    )
    leads = [role.stakeholder for role in practice.roles.all() if role.role == "lead"]
    authors = [_organisation(request, stakeholder) for stakeholder in leads] or [
        _organisation(request, practice.organisation)
    ]
    period = None
    if practice.start_date:
        period = f"{practice.start_date.isoformat()}/{_iso(practice.end_date) or '..'}"
    data = compact(
        {
            "@context": "https://schema.org",
            "@type": "CreativeWork",
            "name": shown.title,
            "abstract": description,
            "description": shortened(shown.summary, 1000),
            "inLanguage": shown.language,
            "url": url,
            "image": card.image.url,
            "dateCreated": _iso(practice.created_at),
            "dateModified": _iso(practice.updated_at),
            "datePublished": _iso(practice.published_at),
            "about": [
                {
                    "@type": "Thing",
                    "name": theme.name,
                    "url": absolute(request, theme.get_absolute_url()),
                }
                for theme in practice.themes.all()
            ],
            "spatialCoverage": _place("", practice.city, practice.country),
            "temporalCoverage": period,
            "author": authors,
            "publisher": authors,
        }
    )
    return card, data


def theme(request: HttpRequest, theme) -> tuple[Card, None]:
    description = shortened(theme.description) or _(
        "Good practices of the theme %(theme)s shared by the partners in Nador."
    ) % {"theme": theme.name}
    card = Card(
        theme.name,
        description,
        absolute(request, theme.get_absolute_url()),
        share_image(request, theme),
        language=get_language(),
        other_languages=_all_languages(),
    )
    return card, None


def event(request: HttpRequest, event) -> tuple[Card, dict]:
    url = absolute(request, event.get_absolute_url())
    language = get_language()
    description = shortened(event.description) or event.title
    card = Card(
        event.title,
        description,
        url,
        share_image(request, event),
        language=language,
        other_languages=_all_languages(),
    )
    organisers = [_organisation(request, stakeholder) for stakeholder in event.organisers.all()]
    data = compact(
        {
            "@context": "https://schema.org",
            "@type": "Event",
            "name": event.title,
            "description": shortened(event.description, 1000),
            "startDate": _iso(event.starts_at),
            "endDate": _iso(event.ends_at),
            "eventStatus": "https://schema.org/EventScheduled",
            "eventAttendanceMode": "https://schema.org/OfflineEventAttendanceMode",
            "location": _place(event.venue, event.city, event.country),
            "organizer": organisers,
            "url": url,
            "image": card.image.url,
            # The page's language: an event records none of its own.
            "inLanguage": language,
        }
    )
    return card, data


def stakeholder(request: HttpRequest, stakeholder) -> tuple[Card, dict]:
    url = absolute(request, stakeholder.get_absolute_url())
    description = shortened(stakeholder.description) or _(
        "%(name)s, a stakeholder of the programme in Nador: its practices and events."
    ) % {"name": stakeholder.name}
    card = Card(
        stakeholder.name,
        description,
        url,
        share_image(request, stakeholder),
        language=get_language(),
        other_languages=_all_languages(),
    )
    data = compact(
        {
            "@context": "https://schema.org",
            "@type": "Organization",
            "name": stakeholder.name,
            "description": shortened(stakeholder.description, 1000),
            "url": url,
            "sameAs": stakeholder.website,
            "address": _address(stakeholder.city, stakeholder.country),
        }
    )
    return card, data


def page(request: HttpRequest, title: str, description: str) -> tuple[Card, None]:
    """A page of the portal that is no record (the programme in numbers)."""
    card = Card(
        title,
        description,
        absolute(request, request.path),
        share_image(request),
        language=get_language(),
        other_languages=_all_languages(),
    )
    return card, None
