from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    """The coordinators' dashboard, exports and spreadsheet imports."""

    name = "reports"
    verbose_name = _("Reports")
