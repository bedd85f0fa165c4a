from django.apps import AppConfig
from django.db.backends.signals import connection_created
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    """Filters, full-text search and facet counts of the public practice list."""

    name = "search"
    verbose_name = _("Search")

    def ready(self) -> None:
        from search import folding

        # SQLite has no text search of its own: it compares folded texts (search/folding.py).
        connection_created.connect(folding.register, dispatch_uid="search.folding")
