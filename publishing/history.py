"""Change history of practices, events and stakeholders (django-simple-history): what
changed between two versions, what changed since the last review, and reverting."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from practices.models import Practice, PracticeTranslation
from publishing.access import coordinators
from publishing.record_types import content_fields, m2m_values, not_content
from publishing.saving import save_record
from publishing.workflow import Status

# The change reasons written by the workflow transitions (publishing/workflow.py).
PUBLISHED_REASON = "Published"
CHANGES_REQUESTED_REASON = "Changes requested"


@dataclass
class Change:
    label: str
    old: str
    new: str


def _display(field, value) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, list):
        return ", ".join(sorted(str(row) for row in value)) or "—"
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    return str(value)


def changes_between(new_record, old_record) -> list[Change]:
    """What differs, field by field, in the language of the page."""
    model = new_record.instance_type
    delta = new_record.diff_against(
        old_record, excluded_fields=not_content(model), foreign_keys_are_objs=True
    )
    changes = []
    for change in delta.changes:
        field = model._meta.get_field(change.field)
        old, new = change.old, change.new
        if field.many_to_many:
            target = field.m2m_reverse_field_name()
            old = [row[target] for row in old]
            new = [row[target] for row in new]
        changes.append(Change(str(field.verbose_name), _display(field, old), _display(field, new)))
    return changes


def fields_of(record) -> list[Change]:
    """A first version described as changes from nothing: every field that has a value."""
    model = record.instance_type
    changes = []
    for field in content_fields(model):
        value = getattr(record, field.name)
        if value not in (None, ""):
            changes.append(Change(str(field.verbose_name), "—", _display(field, value)))
    for name in (field.name for field in record._history_m2m_fields):
        field = model._meta.get_field(name)
        related = field.related_model.objects.filter(pk__in=m2m_values(record, name))
        if related:
            changes.append(Change(str(field.verbose_name), "—", _display(field, list(related))))
    return changes


def review_baseline(item):
    """The version coordinators last approved, or else the one they last sent back."""
    history = item.history.all()
    return (
        history.filter(history_change_reason=PUBLISHED_REASON).first()
        or history.filter(history_change_reason__startswith=CHANGES_REQUESTED_REASON).first()
    )


def changes_since_review(item) -> tuple[object | None, list[Change]]:
    latest = item.history.first()
    baseline = review_baseline(item)
    if latest is None:
        return baseline, []
    if baseline is None:
        return None, fields_of(latest)
    return baseline, changes_between(latest, baseline)


def _paired(records) -> list[tuple[object, list[Change]]]:
    """Each version (newest first) with what changed from the one before it."""
    previous = records[1:] + [None]
    return [
        (record, changes_between(record, older) if older else fields_of(record))
        for record, older in zip(records, previous, strict=True)
    ]


def versions_with_changes(item) -> list[tuple[object, list[Change]]]:
    """The versions of a record, newest first; a practice's include those of its
    translations, each change named with its language."""
    versions = _paired(list(item.history.select_related("history_user")))
    if isinstance(item, Practice):
        versions += translation_versions(item)
        versions.sort(key=lambda pair: (pair[0].history_date, pair[0].history_id), reverse=True)
    return versions


def translation_versions(practice) -> list[tuple[object, list[Change]]]:
    records = PracticeTranslation.history.filter(practice_id=practice.pk).select_related(
        "history_user"
    )
    by_language: dict[str, list] = {}
    for record in records.order_by("-history_date", "-history_id"):
        by_language.setdefault(record.language, []).append(record)
    versions = []
    for language, history in by_language.items():
        for record, changes in _paired(history):
            record.is_translation = True
            versions.append((record, _in_language(changes, language)))
    return versions


def _in_language(changes: list[Change], language: str) -> list[Change]:
    name = str(dict(settings.LANGUAGES)[language])
    return [Change(f"{change.label} ({name})", change.old, change.new) for change in changes]


def revert_to(item, record, by) -> None:
    """Bring back a version's content; the workflow status stays as it is now."""
    for field in content_fields(item):
        setattr(item, field.attname, getattr(record, field.attname))
    m2m_fields = [field.name for field in record._history_m2m_fields]

    def restore_related():
        for name in m2m_fields:
            getattr(item, name).set(m2m_values(record, name))

    reason = f"Reverted to the version of {record.history_date:%Y-%m-%d %H:%M} UTC"
    save_record(item, by, reason, restore_related)


def recently_edited_published(model, days: int = 30):
    """Published records that partners edited lately: they stay published without a
    review, so coordinators see them on the review page."""
    edited = (
        model.history.filter(
            status=Status.PUBLISHED,
            history_date__gte=timezone.now() - timedelta(days=days),
            history_user__isnull=False,
        )
        .exclude(history_user__in=coordinators())
        .values("id")
    )
    return model.objects.published().filter(pk__in=edited).select_related("organisation")
