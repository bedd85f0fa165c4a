"""The practice feed: /practices/feed/ with the same filters as the list, so that anyone
can follow a theme, an objective or a search."""

from __future__ import annotations

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.text import Truncator
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _

from practices.languages import localise
from practices.models import Practice
from search import dimensions
from search.filters import PracticeFilter

FEED_SIZE = 30
PORTAL_TITLE = _("Good practices of the Nador partners' portal")


class PracticeFeed(Feed):
    feed_type = Atom1Feed
    subtitle = _("Practices published in the knowledge base, newest first.")

    def get_object(self, request, *args, **kwargs) -> PracticeFilter:
        return PracticeFilter(request.GET.copy(), queryset=Practice.objects.published())

    def title(self, filterset: PracticeFilter) -> str:
        """The portal's feed, or the feed of what it is filtered by, named in the language
        of the feed's address: "Good practices of ...: Intercultural dialogue"."""
        labels = filter_labels(filterset)
        if not labels:
            return str(PORTAL_TITLE)
        return gettext("Good practices of the Nador partners' portal: %(filters)s") % {
            "filters": ", ".join(labels)
        }

    def link(self, filterset: PracticeFilter) -> str:
        query = filterset.data.urlencode()
        return reverse("practices:list") + (f"?{query}" if query else "")

    def items(self, filterset: PracticeFilter):
        practices = filterset.qs.order_by("-published_at", "pk")[:FEED_SIZE]
        return localise(practices, get_language())

    def item_title(self, practice: Practice) -> str:
        return practice.shown.title

    def item_description(self, practice: Practice) -> str:
        return Truncator(practice.shown.summary).words(80)

    def item_pubdate(self, practice: Practice):
        return practice.published_at

    def item_updateddate(self, practice: Practice):
        return practice.updated_at


def filter_labels(filterset: PracticeFilter) -> list[str]:
    """The labels of the filters in use, as the list's chips show them; the words searched
    for in quotes."""
    labels = []
    for name, values in filterset.active().items():
        dimension = dimensions.get(name)
        choices = dimension.choice_labels()
        labels += [dimension.value_label(value, choices) for value in values]
    if filterset.search_text():
        labels.append(f"“{filterset.search_text()}”")
    return labels
