"""Documents and images of practices and events, added by partners in the workspace.

A file is public exactly when its record is: it is published and reviewed with the record
(publishing/access.py can_view decides). On disk (or in the object store) every file has a
random name; what the partner called it is kept nowhere but in the title they typed."""

from __future__ import annotations

import secrets
import uuid
from dataclasses import dataclass, field

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from events.models import Event
from practices.models import Practice

FOLDER = "attachments"


def random_name(extension: str, suffix: str = "") -> str:
    return f"{FOLDER}/{secrets.token_urlsafe(18)}{suffix}.{extension}"


def file_path(key) -> str:
    """The address of a file on the portal (the exports list them: reports/)."""
    return reverse("files:serve", kwargs={"key": key, "variant": "file"})


class AttachmentQuerySet(models.QuerySet):
    def documents(self) -> AttachmentQuerySet:
        return self.filter(kind=Attachment.Kind.DOCUMENT)

    def images(self) -> AttachmentQuerySet:
        return self.filter(kind=Attachment.Kind.IMAGE)

    def of(self, record) -> AttachmentQuerySet:
        field = "practice" if isinstance(record, Practice) else "event"
        return self.filter(**{field: record})


class Attachment(models.Model):
    class Kind(models.TextChoices):
        DOCUMENT = "document", _("Document")
        IMAGE = "image", _("Image")

    # In URLs instead of the id: the files of unpublished records cannot be counted.
    key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    practice = models.ForeignKey(
        Practice, null=True, blank=True, on_delete=models.CASCADE, related_name="attachments"
    )
    event = models.ForeignKey(
        Event, null=True, blank=True, on_delete=models.CASCADE, related_name="attachments"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices)
    # A document as sent; an image re-encoded (no EXIF) in its own format.
    file = models.FileField(max_length=200)
    # Images only: WebP copies for the cards and the page.
    card = models.FileField(max_length=200, blank=True)
    large = models.FileField(max_length=200, blank=True)
    format = models.CharField(_("format"), max_length=10)  # pdf, docx, ..., jpeg, png, webp
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField(_("size in bytes"))
    title = models.CharField(_("title"), max_length=200, blank=True)
    language = models.CharField(
        _("language"), max_length=10, choices=settings.LANGUAGES, blank=True
    )
    alt = models.CharField(_("text alternative"), max_length=300, blank=True)
    width = models.PositiveIntegerField(null=True, blank=True)
    height = models.PositiveIntegerField(null=True, blank=True)
    card_width = models.PositiveIntegerField(null=True, blank=True)
    card_height = models.PositiveIntegerField(null=True, blank=True)
    large_width = models.PositiveIntegerField(null=True, blank=True)
    large_height = models.PositiveIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = AttachmentQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("document or image")
        verbose_name_plural = _("documents and images")
        constraints = [
            models.CheckConstraint(
                condition=Q(practice__isnull=False, event__isnull=True)
                | Q(practice__isnull=True, event__isnull=False),
                name="attachment_of_one_record",
            ),
            models.CheckConstraint(
                condition=Q(kind="image", alt__gt="")
                | Q(kind="document", title__gt="", language__gt=""),
                name="attachment_described",
            ),
        ]

    def __str__(self) -> str:
        return self.title or self.alt

    def get_absolute_url(self) -> str:
        return file_path(self.key)

    @property
    def record(self):
        return self.practice if self.practice_id else self.event

    @property
    def is_image(self) -> bool:
        return self.kind == self.Kind.IMAGE

    def stored_names(self) -> list[str]:
        return [field.name for field in (self.file, self.card, self.large) if field]

    def card_url(self) -> str:
        return reverse("files:serve", kwargs={"key": self.key, "variant": "card"})

    def large_url(self) -> str:
        return reverse("files:serve", kwargs={"key": self.key, "variant": "large"})

    def download_name(self) -> str:
        """The name a browser saves a document under: its title, not the name it was sent with."""
        return f"{slugify(self.title, allow_unicode=True)[:80] or 'document'}.{self.format}"


def attach_card_images(practices) -> None:
    """Sets `card_image` on each practice: its first image, or None; one query for a page of
    cards (templates/includes/practice_card.html)."""
    practices = list(practices)
    first: dict[int, Attachment] = {}
    images = Attachment.objects.images().filter(practice__in=[p.pk for p in practices])
    for image in images.only("key", "practice", "alt", "card", "card_width", "card_height"):
        first.setdefault(image.practice_id, image)
    for practice in practices:
        practice.card_image = first.get(practice.pk)


@dataclass
class Files:
    images: list[Attachment] = field(default_factory=list)
    documents: list[Attachment] = field(default_factory=list)


def files_of(record) -> Files:
    """A record's images and documents, in one query kept on the record for the request: the
    page's link preview and its body both show them."""
    cached = getattr(record, "_attachment_files", None)
    if cached is None:
        cached = Files()
        for attachment in Attachment.objects.of(record):
            (cached.images if attachment.is_image else cached.documents).append(attachment)
        record._attachment_files = cached
    return cached
