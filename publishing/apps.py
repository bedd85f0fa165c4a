from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublishingConfig(AppConfig):
    """Partners' accounts, workspace and the review of their work by coordinators."""

    name = "publishing"
    verbose_name = _("Publishing")

    def ready(self) -> None:
        # Connects the sign-in receiver that asks a user with a device for a code.
        from publishing import two_factor  # noqa: F401
