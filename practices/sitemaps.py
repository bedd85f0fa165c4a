"""/sitemap.xml: the public pages in every language; only published records."""

from __future__ import annotations

from django.contrib.sitemaps import Sitemap
from django.core.paginator import EmptyPage, Page, PageNotAnInteger, Paginator
from django.db.models import Max, Prefetch, QuerySet
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import get_language

from events.models import Event
from practices.models import Practice, PracticeTranslation, Theme
from stakeholders.models import Stakeholder


class RecordPaginator(Paginator):
    """Pages of records, each record listed in each of its languages.

    Django's i18n sitemap pages (record, language) pairs, so it builds the list of every
    pair, for every record, to count them: at 300,000 practices the index and each of its
    pages took over a minute. Here a page is `per_page` records read with LIMIT and OFFSET,
    and only its records are turned into pairs."""

    def __init__(self, records, per_page, languages):
        super().__init__(records, per_page)
        self.languages = languages

    def page(self, number):
        """The page's records, without counting them all first (a COUNT of the published
        practices was a third of a page's time): a page past the last is found empty."""
        try:
            number = int(number)
        except (TypeError, ValueError):
            raise PageNotAnInteger(self.error_messages["invalid_page"]) from None
        if number < 1:
            raise EmptyPage(self.error_messages["min_page"])
        bottom = (number - 1) * self.per_page
        records = self.object_list[bottom : bottom + self.per_page]
        if isinstance(self.object_list, QuerySet):
            # The page's ids first: an OFFSET deep into the rows read each row skipped
            # (450 ms at 300,000 practices), deep into an index of ids it does not.
            records = self.object_list.filter(pk__in=records.values("pk"))
        pairs = [(record, code) for record in records for code in self.languages(record)]
        if not pairs and number > 1:
            raise EmptyPage(self.error_messages["no_results"])
        return Page(pairs, number, self)


class I18nSitemap(Sitemap):
    i18n = True
    alternates = True
    x_default = True
    # Records a page, each in up to four languages with its alternates: a page of 50,000
    # addresses (Django's default) took seconds to write. About 400 addresses a page keeps
    # a page, and the index of every page, within 100 ms at 300,000 practices.
    limit = 100
    lastmod_field = ""
    #: The records' page, reversed once per language and sitemap page, not once per address.
    url_name = ""
    SLUG = "0-slug-0"

    def __init__(self) -> None:
        self._addresses: dict[str, str] = {}

    def location(self, record) -> str:
        if not self.url_name:
            return super().location(record)
        language = get_language()
        if language not in self._addresses:
            self._addresses[language] = reverse(self.url_name, kwargs={"slug": self.SLUG})
        return self._addresses[language].replace(self.SLUG, record.slug)

    @property
    def paginator(self) -> RecordPaginator:
        return RecordPaginator(self.items(), self.limit, self.get_languages_for_item)

    def lastmod(self, record):
        return getattr(record, self.lastmod_field) if self.lastmod_field else None

    def get_latest_lastmod(self):
        """One aggregate: Django's default reads every record to take the latest."""
        if not self.lastmod_field:
            return None
        return self.items().aggregate(latest=Max(self.lastmod_field))["latest"]


class PageSitemap(I18nSitemap):
    priority = 0.8

    def items(self) -> list[str]:
        return [
            "practices:home",
            "practices:list",
            "practices:themes",
            "stakeholders:list",
            "events:list",
        ]

    def location(self, name: str) -> str:
        return reverse(name)


class PracticeSitemap(I18nSitemap):
    """A practice is listed in the languages it can be read in: its own and those of its
    approved translations, each entry with the others as its alternates."""

    priority = 0.7
    limit = 250  # most practices are read in one or two languages
    lastmod_field = "updated_at"
    url_name = "practices:detail"

    def items(self):
        translations = PracticeTranslation.objects.published().only("practice_id", "language")
        return (
            Practice.objects.published()
            .order_by("pk")
            .only("slug", "updated_at", "language")
            .prefetch_related(Prefetch("translations", queryset=translations))
        )

    def get_languages_for_item(self, practice: Practice) -> list[str]:
        others = {translation.language for translation in practice.translations.all()}
        return [code for code in self._languages() if code == practice.language or code in others]


class EventSitemap(I18nSitemap):
    lastmod_field = "updated_at"
    url_name = "events:detail"

    def items(self):
        return Event.objects.published().order_by("pk").only("slug", "updated_at")


class ThemeSitemap(I18nSitemap):
    def items(self):
        return Theme.objects.order_by("pk")


class StakeholderSitemap(I18nSitemap):
    lastmod_field = "updated_at"
    url_name = "stakeholders:detail"

    def items(self):
        return Stakeholder.objects.order_by("pk").only("slug", "updated_at")


SITEMAPS = {
    "pages": PageSitemap,
    "practices": PracticeSitemap,
    "events": EventSitemap,
    "themes": ThemeSitemap,
    "stakeholders": StakeholderSitemap,
}


def robots_txt(request: HttpRequest) -> HttpResponse:
    """Crawlers may read the public pages; the partners' areas are private. The admin is
    left out on purpose: naming its (configurable) address here would advertise it."""
    sitemap = request.build_absolute_uri(reverse("sitemap"))
    lines = ["User-agent: *"]
    for area in ("workspace", "review", "reports", "accounts"):
        lines.append(f"Disallow: /*/{area}/")
    lines += [f"Sitemap: {sitemap}", ""]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")
