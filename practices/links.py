"""Links of a practice to pages elsewhere: press coverage, videos, reports."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

WEB_SCHEMES = ("http", "https")


def validate_web_address(value: str) -> None:
    """Only web pages: a javascript:, data: or file: address in a link is a way to run
    code in, or take files from, the browser of whoever clicks it."""
    scheme = value.split(":", 1)[0].strip().lower() if ":" in value else ""
    if scheme not in WEB_SCHEMES:
        raise ValidationError(
            _("Only web addresses starting with http:// or https:// are accepted."),
            code="scheme",
        )
    URLValidator(schemes=WEB_SCHEMES)(value)


class PracticeLink(models.Model):
    """A page elsewhere about a practice: press coverage, a video, a report."""

    class Kind(models.TextChoices):
        PRESS = "press", _("Press")
        VIDEO = "video", _("Video")
        REPORT = "report", _("Report")
        OTHER = "other", _("Other")

    practice = models.ForeignKey(
        "practices.Practice", on_delete=models.CASCADE, related_name="links"
    )
    # Not a URLField: its validator would answer "Enter a valid URL" to javascript: before
    # this one could say which addresses are accepted.
    url = models.CharField(_("web address"), max_length=500, validators=[validate_web_address])
    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.OTHER)
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["practice", "position", "id"]
        verbose_name = _("link")
        verbose_name_plural = _("links")

    def __str__(self) -> str:
        return self.title
