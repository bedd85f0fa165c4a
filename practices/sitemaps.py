"""/sitemap.xml: the public pages in every language; only published records."""

from __future__ import annotations

from django.contrib.sitemaps import Sitemap
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.urls import reverse

from events.models import Event
from practices.models import Practice, PracticeTranslation, Theme
from stakeholders.models import Stakeholder


class I18nSitemap(Sitemap):
    i18n = True
    alternates = True
    x_default = True


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

    def lastmod(self, practice: Practice):
        return practice.updated_at


class EventSitemap(I18nSitemap):
    def items(self):
        return Event.objects.published().order_by("pk").only("slug", "updated_at")

    def lastmod(self, event: Event):
        return event.updated_at


class ThemeSitemap(I18nSitemap):
    def items(self):
        return Theme.objects.order_by("pk")


class StakeholderSitemap(I18nSitemap):
    def items(self):
        return Stakeholder.objects.order_by("pk").only("slug", "updated_at")

    def lastmod(self, stakeholder: Stakeholder):
        return stakeholder.updated_at


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
