from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublishingConfig(AppConfig):
    """Partners' accounts, workspace and the review of their work by coordinators."""

    name = "publishing"
    verbose_name = _("Publishing")
