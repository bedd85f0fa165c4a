"""The review workflow shared by practices and events.

A partner writes a draft and submits it; a coordinator publishes it, asks for changes
or archives it. Each transition is a model method that checks the current state and
records who moved it, when, and why (as a django-simple-history change reason). The
portal's pages move records through publishing/saving.py, which also refreshes the data
derived from them (what the public search and facet counts cover).
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted for review")
    CHANGES_REQUESTED = "changes_requested", _("Changes requested")
    PUBLISHED = "published", _("Published")
    ARCHIVED = "archived", _("Archived")


class InvalidTransition(ValidationError):
    """A workflow move that the current status does not allow."""


def require_comment(comment: str) -> None:
    if not comment.strip():
        raise InvalidTransition(
            _("Say what should change: the comment is required."), code="comment_required"
        )


def record_move(record, to: str, by, reason: str, comment: str = "") -> None:
    """Give a reviewed record its new status, with who moved it, when and why (the change
    reason of its history), and save it."""
    record.status = to
    record.review_comment = comment
    record.updated_by = by
    record._history_user = by
    record._change_reason = f"{reason}: {comment}" if comment else reason
    record.save()


class PublishableQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=Status.PUBLISHED)

    def awaiting_review(self):
        return self.filter(status=Status.SUBMITTED)


class Publishable(models.Model):
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    organisation = models.ForeignKey(
        "stakeholders.Stakeholder",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The partner organisation that owns and maintains this record."),
    )
    review_comment = models.TextField(_("review comment"), blank=True)
    is_sample = models.BooleanField(
        _("sample content"),
        default=False,
        help_text=_("Illustrative record from the demo data, not a real one."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("updated by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)

    class Meta:
        abstract = True

    @classmethod
    def from_db(cls, db, field_names, values):
        record = super().from_db(db, field_names, values)
        # What the public could see before this instance's changes: the page cache asks
        # whether a save can alter a public page (published before or after it).
        record._status_at_load = record.__dict__.get("status")
        return record

    @property
    def is_published(self) -> bool:
        return self.status == Status.PUBLISHED

    @property
    def is_or_was_published(self) -> bool:
        """Published now, or when it was read from the database: a public page shows it."""
        return Status.PUBLISHED in (self.status, getattr(self, "_status_at_load", None))

    def _move(
        self, to: str, allowed_from: set[str], by, reason: str, comment: str = "", **changes
    ) -> None:
        if self.status not in allowed_from:
            raise InvalidTransition(
                _("A record that is “%(current)s” cannot become “%(target)s”."),
                code="invalid_transition",
                params={"current": self.get_status_display(), "target": Status(to).label},
            )
        for field, value in changes.items():
            setattr(self, field, value)
        record_move(self, to, by, reason, comment)

    def submit(self, by) -> None:
        self._move(
            Status.SUBMITTED, {Status.DRAFT, Status.CHANGES_REQUESTED}, by, "Submitted for review"
        )

    def publish(self, by) -> None:
        self._move(
            Status.PUBLISHED, {Status.SUBMITTED}, by, "Published", published_at=timezone.now()
        )

    def request_changes(self, by, comment: str) -> None:
        require_comment(comment)
        self._move(Status.CHANGES_REQUESTED, {Status.SUBMITTED}, by, "Changes requested", comment)

    def archive(self, by, comment: str = "") -> None:
        self._move(
            Status.ARCHIVED,
            {Status.DRAFT, Status.SUBMITTED, Status.CHANGES_REQUESTED, Status.PUBLISHED},
            by,
            "Archived",
            comment,
        )
