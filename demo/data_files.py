"""The demo data files (demo/data/*.json) and their records, turned into model values.

A record is checked against its model before it is written: an unknown field, a value the
field refuses or a reference to nothing fails with the file and the record named, instead of
loading, say, a practice quietly missing a theme.
"""

from __future__ import annotations

import json
from collections.abc import Collection
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any, NoReturn
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models
from django.utils import timezone
from modeltranslation.utils import build_localized_fieldname

from events.models import Event, EventSeries
from practices.models import (
    CooperationLevel,
    GcmObjective,
    GuidingPrinciple,
    InterventionArea,
    Practice,
    Programme,
    TargetGroup,
    Theme,
)
from practices.names import ENGLISH, is_translated
from stakeholders.models import Stakeholder

DATA_DIR = Path(__file__).resolve().parent / "data"
COMMENT = "_comment"  # a note for whoever edits the file; JSON has no comments

# The field a model's records are written under and referred to by. A stable key rather than
# the name: a reload updates the record it wrote before, and renaming a theme keeps its links.
KEYS: dict[type[models.Model], str] = {
    Theme: "slug",
    TargetGroup: "slug",
    InterventionArea: "slug",
    Programme: "slug",
    Stakeholder: "slug",
    Practice: "slug",
    EventSeries: "slug",
    Event: "slug",
    GcmObjective: "number",
    GuidingPrinciple: "slug",
    CooperationLevel: "code",
}
LABEL_KEYS = ("slug", "username", "label", "stakeholder", "category")

Links = list[tuple[str, list[models.Model]]]


class DemoDataError(ValueError):
    """A data file the loader cannot write; the message names the file and the record."""


@dataclass(frozen=True)
class Record:
    """One object of a data file, with what an error message needs to point at it."""

    file: str
    label: str
    values: dict[str, Any]
    time_zone: ZoneInfo | None

    def fail(self, problem: str) -> NoReturn:
        raise DemoDataError(f"{self.file}, {self.label}: {problem}")

    def children(self, name: str, kind: str) -> list[Record]:
        """The records nested under `name` (a practice's roles, a series' events)."""
        items = self.values.get(name, [])
        if not isinstance(items, list) or not all(isinstance(item, dict) for item in items):
            self.fail(f"{name!r}: expected a list of objects")
        return [self.child(kind, values, position) for position, values in enumerate(items, 1)]

    def child(self, kind: str, values: dict[str, Any], position: int = 1) -> Record:
        return Record(
            self.file, f"{self.label}, {_label(kind, values, position)}", values, self.time_zone
        )


def _label(kind: str, values: dict[str, Any], position: int) -> str:
    key = next((values[name] for name in LABEL_KEYS if name in values), None)
    return f"{kind} {key!r}" if key is not None else f"{kind} #{position}"


@dataclass(frozen=True)
class DataFile:
    name: str
    content: dict[str, Any]

    @classmethod
    def read(cls, name: str) -> DataFile:
        try:
            # Decimal, not float: an indicator keeps exactly the digits the file gives.
            content = json.loads((DATA_DIR / name).read_text(encoding="utf-8"), parse_float=Decimal)
        except (OSError, json.JSONDecodeError) as error:
            raise DemoDataError(f"{name}: {error}") from error
        if not isinstance(content, dict):
            raise DemoDataError(f"{name}: expected an object at the top")
        return cls(name, content)

    @property
    def time_zone(self) -> ZoneInfo | None:
        name = self.content.get("time_zone")
        if name is None:
            return None
        try:
            return ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError) as error:
            raise DemoDataError(f"{self.name}: unknown time_zone {name!r}") from error

    def records(self, section: str, kind: str) -> list[Record]:
        """The list of objects under `section`, in the file's order."""
        items = self.content.get(section)
        if not isinstance(items, list) or not all(isinstance(item, dict) for item in items):
            raise DemoDataError(f"{self.name}: {section!r} must be a list of objects")
        zone = self.time_zone
        return [
            Record(self.name, _label(kind, values, position), values, zone)
            for position, values in enumerate(items, 1)
        ]

    def record(self, section: str, kind: str) -> Record:
        """The single object under `section`."""
        values = self.content.get(section)
        if not isinstance(values, dict):
            raise DemoDataError(f"{self.name}: {section!r} must be an object")
        return Record(self.name, _label(kind, values, 1), values, self.time_zone)


def model_values(
    record: Record, model: type[models.Model], skip: Collection[str] = ()
) -> tuple[dict[str, Any], Links]:
    """Split a record into checked field values and many-to-many links. Names in `skip` are
    the caller's to handle. Links keep the record's order: each one set is a history entry,
    so the order is part of what a load writes."""
    values: dict[str, Any] = {}
    links: Links = []
    for name, value in record.values.items():
        if name == COMMENT or name in skip:
            continue
        try:
            field = model._meta.get_field(name)
        except FieldDoesNotExist:
            record.fail(f"{name!r} is not a field of {model._meta.verbose_name_plural}")
        if (
            isinstance(field, models.ManyToManyField)
            and field.remote_field.through._meta.auto_created
        ):
            links.append((name, find(record, field.related_model, value, name)))
        elif isinstance(field, models.ForeignKey):
            values[name] = (
                None if value is None else find(record, field.related_model, [value], name)[0]
            )
        elif field.concrete and field.editable and not field.is_relation and not field.primary_key:
            values[_column(model, name)] = _clean(record, field, value)
        else:
            record.fail(f"{name!r} cannot be written from a data file")
    return values, links


def _column(model: type[models.Model], name: str) -> str:
    """The files are written in English: a translated field's own name (a theme's `name`)
    is its English column. Assigned as `name`, it would go to the active language's."""
    return build_localized_fieldname(name, ENGLISH) if is_translated(model, name) else name


def _clean(record: Record, field: models.Field, value: Any) -> Any:
    try:
        value = field.clean(value, None)
    except ValidationError as error:
        record.fail(f"{field.name}: {' '.join(error.messages)}")
    if isinstance(field, models.DateTimeField) and value is not None:
        # Local wall-clock times, as the programme writes them; the zone gives the offset
        # of that date (Morocco's changes during Ramadan included).
        if timezone.is_aware(value):
            record.fail(f"{field.name}: write the local time without an offset")
        if record.time_zone is None:
            record.fail(f"{field.name}: the file gives no time_zone")
        value = value.replace(tzinfo=record.time_zone)
    return value


def find(record: Record, model: type[models.Model], keys: Any, name: str) -> list[models.Model]:
    """The objects `keys` refer to, in the same order; every one must exist."""
    if model not in KEYS:
        record.fail(f"{name!r}: a data file cannot refer to {model._meta.verbose_name_plural}")
    if not isinstance(keys, list):
        record.fail(f"{name!r}: expected a list")
    key = KEYS[model]
    found = {getattr(obj, key): obj for obj in model.objects.filter(**{f"{key}__in": keys})}
    missing = [k for k in keys if k not in found]
    if missing:
        listed = ", ".join(repr(k) for k in missing)
        record.fail(f"{name!r}: no {model._meta.verbose_name} with {key} {listed}")
    return [found[k] for k in keys]


def required(record: Record, values: dict[str, Any], *names: str) -> dict[str, Any]:
    """`values`, once each of `names` is known to be in it."""
    for name in names:
        if name not in values:
            record.fail(f"no {name!r}")
    return values


def write(
    record: Record, model: type[models.Model], skip: Collection[str] = (), **given: Any
) -> models.Model:
    """Create or update the record's object under its key, then set its links. `given` are
    values that come from elsewhere than the record (a seed text, the parent series)."""
    values, links = model_values(record, model, skip)
    key = KEYS[model]
    required(record, values, key)
    if overlap := values.keys() & given.keys():
        record.fail(f"{', '.join(sorted(overlap))} must not be in the file: the loader sets them")
    obj = save_if_changed(model, {key: values.pop(key)}, {**values, **given})
    for name, targets in links:
        getattr(obj, name).set(targets)  # records a version only when a link changes
    return obj


def save_if_changed(
    model: type[models.Model], lookup: dict[str, Any], values: dict[str, Any]
) -> models.Model:
    """update_or_create(), except that an object already as the file says is not saved:
    every save adds a version to its history, and a demo record's history should show
    only its real changes, not one version per `load_demo`."""
    obj = model.objects.filter(**lookup).first()
    if obj is None:
        return model.objects.create(**lookup, **values)
    changed = {name: value for name, value in values.items() if getattr(obj, name) != value}
    if changed:
        for name, value in changed.items():
            setattr(obj, name, value)
        obj.save()
    return obj
