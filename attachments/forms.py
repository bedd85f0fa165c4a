"""The forms that add a document or an image to a practice or event."""

from __future__ import annotations

from django import forms
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from attachments import checks
from attachments.models import Attachment, random_name
from attachments.signals import delete_stored


class _AttachmentForm(forms.ModelForm):
    """Validated by content in clean_file(); saved with store(), which writes the files
    under random names and the row in one go. The upload is no model field of the form:
    the file the partner sent is never stored as sent, nor under its name."""

    # No max_length: the name the file was sent with is neither checked nor kept.
    file = forms.FileField(label=_("File"))

    def record_fields(self, record) -> dict:
        field = "practice" if record._meta.model_name == "practice" else "event"
        return {field: record}

    def store(self, record, user) -> Attachment:
        attachment = self.save(commit=False)
        for name, value in {**self.record_fields(record), "created_by": user}.items():
            setattr(attachment, name, value)
        written: list[str] = []
        try:
            with transaction.atomic():
                self.fill(attachment, written)
                attachment.save()
        except Exception:
            delete_stored(written)
            raise
        return attachment

    @staticmethod
    def _write(written: list[str], name: str, content: bytes) -> str:
        stored = default_storage.save(name, ContentFile(content))
        written.append(stored)
        return stored


class DocumentForm(_AttachmentForm):
    class Meta:
        model = Attachment
        fields = ["title", "language"]
        help_texts = {"title": _("What the document is, as readers will see it.")}

    field_order = ["file", "title", "language"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["title"].required = True
        self.fields["language"].required = True
        self.fields["language"].choices = self.fields["language"].choices[1:]  # no blank
        self.fields["language"].initial = get_language()
        limit = checks.max_document_bytes() // 2**20
        self.fields["file"].help_text = _("PDF, DOCX, XLSX, PPTX or ODT, at most %(limit)d MB.") % {
            "limit": limit
        }

    def clean_file(self):
        upload = self.cleaned_data["file"]
        self.checked = checks.check_document(upload)
        return upload

    def fill(self, attachment: Attachment, written: list[str]) -> None:
        kind, content = self.checked
        attachment.kind = Attachment.Kind.DOCUMENT
        attachment.format = kind
        attachment.content_type = checks.DOCUMENT_TYPES[kind]
        attachment.size = len(content)
        attachment.file = self._write(written, random_name(kind), content)


class ImageForm(_AttachmentForm):
    class Meta:
        model = Attachment
        fields = ["alt"]
        help_texts = {
            "alt": _(
                "What the image shows, for readers who cannot see it (read aloud by screen "
                "readers)."
            )
        }

    field_order = ["file", "alt"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["alt"].required = True
        self.fields["file"].help_text = _(
            "JPEG, PNG or WebP, at most %(limit)d MB. Its location data (EXIF) is removed."
        ) % {"limit": checks.max_image_bytes() // 2**20}
        self.fields["file"].widget.attrs["accept"] = "image/jpeg,image/png,image/webp"

    def clean_file(self):
        upload = self.cleaned_data["file"]
        self.checked = checks.check_image(upload)
        return upload

    def fill(self, attachment: Attachment, written: list[str]) -> None:
        image = self.checked
        extension = "jpg" if image.format == "jpeg" else image.format
        attachment.kind = Attachment.Kind.IMAGE
        attachment.format = image.format
        attachment.content_type = checks.IMAGE_TYPES[image.format]
        attachment.size = len(image.original.content)
        attachment.width, attachment.height = image.original.width, image.original.height
        attachment.file = self._write(written, random_name(extension), image.original.content)
        attachment.card = self._write(written, random_name("webp", "-card"), image.card.content)
        attachment.card_width, attachment.card_height = image.card.width, image.card.height
        attachment.large = self._write(written, random_name("webp", "-large"), image.large.content)
        attachment.large_width, attachment.large_height = image.large.width, image.large.height
