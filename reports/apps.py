from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    """The coordinators' dashboard, exports and spreadsheet imports, and the open data."""

    name = "reports"
    verbose_name = _("Reports")

    def ready(self) -> None:
        # The open-data files are a copy of what is published, written by the pages, the
        # admin, the imports and the loaders alike: rather than ask each writer to know of
        # them, this app watches its sources and rebuilds after their commit (the build
        # itself decides from a fingerprint whether the published content changed).
        from django.db.models.signals import post_delete, post_save

        from reports import open_data, signals

        for model in open_data.SOURCES:
            name = model.__name__
            post_save.connect(open_data.changed, model, dispatch_uid=f"open-data-save-{name}")
            post_delete.connect(open_data.changed, model, dispatch_uid=f"open-data-del-{name}")
        signals.sources_written.connect(open_data.changed, dispatch_uid="open-data-bulk")
