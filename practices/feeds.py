"""The practice feed: /practices/feed/ with the same filters as the list, so that anyone
can follow a theme, an objective or a search."""

from __future__ import annotations

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.text import Truncator
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from practices.languages import localise
from practices.models import Practice
from search.filters import PracticeFilter

FEED_SIZE = 30


class PracticeFeed(Feed):
    feed_type = Atom1Feed
    title = _("Good practices of the Nador partners' portal")
    subtitle = _("Practices published in the knowledge base, newest first.")

    def get_object(self, request, *args, **kwargs):
        return request.GET.copy()

    def link(self, params) -> str:
        query = params.urlencode()
        return reverse("practices:list") + (f"?{query}" if query else "")

    def items(self, params):
        practices = PracticeFilter(params, queryset=Practice.objects.published()).qs
        return localise(practices.order_by("-published_at", "pk")[:FEED_SIZE], get_language())

    def item_title(self, practice: Practice) -> str:
        return practice.shown.title

    def item_description(self, practice: Practice) -> str:
        return Truncator(practice.shown.summary).words(80)

    def item_pubdate(self, practice: Practice):
        return practice.published_at

    def item_updateddate(self, practice: Practice):
        return practice.updated_at
