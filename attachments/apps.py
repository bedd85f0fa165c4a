from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AttachmentsConfig(AppConfig):
    name = "attachments"
    verbose_name = _("Documents and images")

    def ready(self) -> None:
        from attachments import signals  # noqa: F401
