from django.apps import AppConfig
from django.utils.translation import pgettext_lazy


class AlertsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "alerts"
    verbose_name = pgettext_lazy("alerts", "E-mail alerts")
