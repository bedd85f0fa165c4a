from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    """Filters, full-text search and facet counts of the public practice list."""

    name = "search"
    verbose_name = _("Search")
