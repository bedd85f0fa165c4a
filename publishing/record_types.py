"""The two types of record partners file, practices and events, described once so that
the workspace and review views handle both without copying code.

In URLs a record type is the segment `practices` or `events`, bound to the views'
`kind` argument by the `<kind:...>` path converter."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.urls import register_converter
from django.utils.translation import gettext_lazy as _
from simple_history.utils import get_m2m_reverse_field_name

from events.forms import EventForm, ParticipantCountFormSet
from events.models import Event
from practices.forms import (
    IndicatorFormSet,
    PracticeForm,
    PracticeLinkFormSet,
    StakeholderRoleFormSet,
)
from practices.models import Practice
from publishing.access import get_event_for_user, get_practice_for_user


@dataclass(frozen=True)
class RecordType:
    slug: str  # in URLs: "practices" or "events"
    model: Any
    form_class: Any
    formsets: tuple  # (prefix, formset class, legend)
    public_template: str
    context_name: str
    get_for_user: Any
    label: str
    add_label: str

    def formset_instances(self, data, instance):
        return [
            (legend, formset(data, instance=instance, prefix=prefix))
            for prefix, formset, legend in self.formsets
        ]


PRACTICES = RecordType(
    slug="practices",
    model=Practice,
    form_class=PracticeForm,
    formsets=(
        ("roles", StakeholderRoleFormSet, _("Stakeholders and their roles")),
        ("indicators", IndicatorFormSet, _("Indicators")),
        ("links", PracticeLinkFormSet, _("Links: press, videos, reports")),
    ),
    public_template="practices/practice_detail.html",
    context_name="practice",
    get_for_user=get_practice_for_user,
    label=_("practice"),
    add_label=_("Add a practice"),
)
EVENTS = RecordType(
    slug="events",
    model=Event,
    form_class=EventForm,
    formsets=(("participants", ParticipantCountFormSet, _("Participants by category")),),
    public_template="events/event_detail.html",
    context_name="event",
    get_for_user=get_event_for_user,
    label=_("event"),
    add_label=_("Add an event"),
)
RECORD_TYPES = {record_type.slug: record_type for record_type in (PRACTICES, EVENTS)}


def record_type_of(item) -> RecordType:
    return PRACTICES if isinstance(item, Practice) else EVENTS


class RecordTypeConverter:
    regex = "practices|events"

    def to_python(self, value: str) -> RecordType:
        return RECORD_TYPES[value]

    def to_url(self, value) -> str:
        return value if isinstance(value, str) else value.slug


register_converter(RecordTypeConverter, "kind")


# Workflow and bookkeeping fields: not part of "what changed" nor of a revert.
NOT_CONTENT = {
    "id",
    "slug",
    "status",
    "review_comment",
    "is_sample",
    "created_by",
    "updated_by",
    "created_at",
    "updated_at",
    "published_at",
}


def not_content(model) -> set[str]:
    """NOT_CONTENT, and what names a record rather than says something (which practice
    and language a translation is: PracticeTranslation.IDENTITY_FIELDS)."""
    return NOT_CONTENT | set(getattr(model, "IDENTITY_FIELDS", ()))


def content_fields(model) -> list:
    excluded = not_content(model)
    return [
        field
        for field in model._meta.concrete_fields
        if field.editable and field.name not in excluded
    ]


def m2m_values(record, field_name: str) -> list[int]:
    """The ids a historical record holds for a many-to-many field."""
    field = record.instance_type._meta.get_field(field_name)
    target = get_m2m_reverse_field_name(field)
    return list(getattr(record, field_name).values_list(f"{target}_id", flat=True))
