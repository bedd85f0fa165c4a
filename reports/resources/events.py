"""The spreadsheet layout of events: organisers and series by name or slug, related
practices by slug, and one column per participant category (no data on any person)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from import_export import fields, resources

from events.models import Event, EventSeries, ParticipantCount
from practices.models import Practice
from publishing.workflow import Status
from reports.spreadsheets import (
    NameOrSlugForeignKeyWidget,
    NameOrSlugManyToManyWidget,
    PortalResourceMixin,
    choice_field,
    country_field,
)
from stakeholders.models import Stakeholder

CATEGORIES = ParticipantCount.Category.values


def participants_column(category: str) -> str:
    return f"participants_{category}"


def parse_count(value) -> int | None:
    if value is None or str(value).strip() == "":
        return None
    text = str(value).strip()
    try:
        number = float(text)
    except ValueError:
        number = -1
    if number < 0 or not number.is_integer():
        raise ValueError(_("“%(value)s” is not a whole number of people.") % {"value": text})
    return int(number)


class EventResource(PortalResourceMixin, resources.ModelResource):
    organisation = fields.Field(
        attribute="organisation",
        column_name="organisation",
        widget=NameOrSlugForeignKeyWidget(Stakeholder),
    )
    series = fields.Field(
        attribute="series",
        column_name="series",
        widget=NameOrSlugForeignKeyWidget(EventSeries),
    )
    organisers = fields.Field(
        attribute="organisers",
        column_name="organisers",
        widget=NameOrSlugManyToManyWidget(Stakeholder),
    )
    practices = fields.Field(
        attribute="practices",
        column_name="practices",
        widget=NameOrSlugManyToManyWidget(Practice, keys=("slug", "title")),
    )
    country = country_field()
    status = choice_field("status", Status.choices)
    kind = choice_field("kind", Event.Kind.choices)
    participants_narrative_creators = fields.Field(column_name="participants_narrative_creators")
    participants_migrants = fields.Field(column_name="participants_migrants")
    participants_local_residents = fields.Field(column_name="participants_local_residents")
    participants_officials = fields.Field(column_name="participants_officials")
    participants_students = fields.Field(column_name="participants_students")
    participants_other = fields.Field(column_name="participants_other")
    participants_total = fields.Field(column_name="participants_total", readonly=True)

    required_columns = (
        "slug",
        "title",
        "status",
        "kind",
        "organisation",
        "starts_at",
        "ends_at",
        "country",
    )
    computed_columns = ("participants_total",)
    export_select_related = ("organisation", "series")
    export_prefetch_related = ("organisers", "practices", "participant_counts")

    class Meta:
        model = Event
        import_id_fields = ["slug"]
        fields = [
            "slug",
            "title",
            "status",
            "kind",
            "series",
            "organisation",
            "organisers",
            "practices",
            "starts_at",
            "ends_at",
            "venue",
            "city",
            "country",
            "description",
            "expected_participants",
            *(participants_column(category) for category in CATEGORIES),
            "participants_total",
        ]
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True
        skip_html_diff = True

    def export_field(self, field, instance, **kwargs):
        if field.column_name.startswith("participants_"):
            counts = {count.category: count.count for count in instance.participant_counts.all()}
            if field.column_name == "participants_total":
                return str(sum(counts.values()))
            category = field.column_name.removeprefix("participants_")
            return str(counts[category]) if category in counts else ""
        return super().export_field(field, instance, **kwargs)

    def extra_column_parsers(self) -> dict:
        return {participants_column(category): parse_count for category in CATEGORIES}

    def keep_parsed(self, instance, parsed: dict) -> None:
        instance._import_counts = {
            category: parsed[participants_column(category)]
            for category in CATEGORIES
            if participants_column(category) in parsed
        }

    def _counts_unchanged(self, instance) -> bool:
        current = {count.category: count.count for count in instance.participant_counts.all()}
        for category, count in instance._import_counts.items():
            if current.get(category) != count:
                return False
        return True

    def skip_row(self, instance, original, row, import_validation_errors=None):
        if instance.pk is None or not super().skip_row(
            instance, original, row, import_validation_errors
        ):
            return False
        return self._counts_unchanged(instance)

    def save_m2m(self, instance, row, **kwargs):
        super().save_m2m(instance, row, **kwargs)
        for category, count in getattr(instance, "_import_counts", {}).items():
            if count is None:
                instance.participant_counts.filter(category=category).delete()
            else:
                ParticipantCount.objects.update_or_create(
                    event=instance, category=category, defaults={"count": count}
                )
