"""What the API shows of the catalogue: published content only, categories by slug with
their name in the asked language (django-modeltranslation falls back to English)."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from events.models import Event, EventSeries
from practices.models import (
    CooperationLevel,
    GcmObjective,
    GuidingPrinciple,
    Indicator,
    InterventionArea,
    Practice,
    PracticeLink,
    PracticeTranslation,
    Programme,
    StakeholderRole,
    TargetGroup,
    Theme,
)
from stakeholders.models import Stakeholder


@extend_schema_field(OpenApiTypes.URI)
class PublicUrlField(serializers.Field):
    """The absolute address of the object's public page, in the asked language."""

    def __init__(self, **kwargs) -> None:
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, value) -> str:
        return self.context["request"].build_absolute_uri(value.get_absolute_url())


@extend_schema_field({"type": "array", "items": {"type": "string"}})
class SlugsField(serializers.Field):
    """The slugs of records prefetched under `source` (published ones only)."""

    def __init__(self, source: str) -> None:
        super().__init__(source=source, read_only=True)

    def to_representation(self, value) -> list[str]:
        return [record.slug for record in value]


class CategorySerializer(serializers.ModelSerializer):
    class Meta:
        fields = ["slug", "name", "description"]


def category_serializer(category_model):
    meta = type("Meta", (CategorySerializer.Meta,), {"model": category_model})
    name = f"{category_model.__name__}Serializer"
    return type(name, (CategorySerializer,), {"Meta": meta})


ThemeSerializer = category_serializer(Theme)
TargetGroupSerializer = category_serializer(TargetGroup)
AreaSerializer = category_serializer(InterventionArea)
ProgrammeSerializer = category_serializer(Programme)


class ObjectiveSerializer(serializers.ModelSerializer):
    class Meta:
        model = GcmObjective
        fields = ["number", "short_title", "title"]


class PrincipleSerializer(serializers.ModelSerializer):
    class Meta:
        model = GuidingPrinciple
        fields = ["slug", "title"]


class PlainSerializer(serializers.Serializer):
    """A small record inside a practice or an event, written as a dict of its fields read
    as they are: its fields describe it in the schema. DRF's field-by-field representation
    costs more than the queries on a page of 100 practices with a dozen records each."""

    def to_representation(self, instance) -> dict:
        if isinstance(instance, dict):  # a row read by api/records.py
            return {name: instance[name] for name in self.fields}
        return {name: getattr(instance, name) for name in self.fields}


class CategoryRefSerializer(PlainSerializer):
    """A category within a practice: its slug and name (in the asked language)."""

    slug = serializers.SlugField()
    name = serializers.CharField()


class ObjectiveRefSerializer(PlainSerializer):
    number = serializers.IntegerField()
    short_title = serializers.CharField()


class PrincipleRefSerializer(PlainSerializer):
    slug = serializers.SlugField()
    title = serializers.CharField()


class TranslationSerializer(serializers.ModelSerializer):
    class Meta:
        model = PracticeTranslation
        fields = ["language", "title", "summary", "impact", "lessons_learnt", "updated_at"]


class RoleSerializer(PlainSerializer):
    """A stakeholder of a practice and the part it plays."""

    slug = serializers.SlugField()
    name = serializers.CharField()
    role = serializers.ChoiceField(choices=StakeholderRole.Role.choices)


class IndicatorSerializer(serializers.ModelSerializer):
    class Meta:
        model = Indicator
        fields = ["label", "target", "achieved", "unit"]


class LinkSerializer(serializers.ModelSerializer):
    class Meta:
        model = PracticeLink
        fields = ["url", "title", "kind", "language"]


class PracticeSerializer(serializers.ModelSerializer):
    """A practice in the language it was written in (`language`), with its translations
    approved by a coordinator; never one waiting for review."""

    url = PublicUrlField()
    country = serializers.CharField(source="country.code")
    translations = TranslationSerializer(many=True, source="approved_translations")
    programme = CategoryRefSerializer(allow_null=True)
    # Read as rows by api/records.py (attach_records).
    themes = CategoryRefSerializer(many=True, source="records.themes")
    objectives = ObjectiveRefSerializer(many=True, source="records.objectives")
    principles = PrincipleRefSerializer(many=True, source="records.principles")
    target_groups = CategoryRefSerializer(many=True, source="records.target_groups")
    areas = CategoryRefSerializer(many=True, source="records.areas")
    cooperation_levels = serializers.ListField(
        child=serializers.ChoiceField(choices=CooperationLevel.Code.choices),
        source="records.cooperation_levels",
    )
    stakeholders = RoleSerializer(many=True, source="records.stakeholders")

    class Meta:
        model = Practice
        fields = [
            "slug",
            "url",
            "language",
            "title",
            "summary",
            "impact",
            "lessons_learnt",
            "translations",
            "country",
            "city",
            "local_government",
            "start_date",
            "end_date",
            "published_at",
            "updated_at",
            "programme",
            "themes",
            "objectives",
            "principles",
            "target_groups",
            "areas",
            "cooperation_levels",
            "stakeholders",
        ]


class PracticeDetailSerializer(PracticeSerializer):
    indicators = IndicatorSerializer(many=True)
    links = LinkSerializer(many=True)
    events = SlugsField(source="published_events")

    class Meta(PracticeSerializer.Meta):
        fields = [*PracticeSerializer.Meta.fields, "indicators", "links", "events"]


class StakeholderSerializer(serializers.ModelSerializer):
    url = PublicUrlField()
    country = serializers.CharField(source="country.code")

    class Meta:
        model = Stakeholder
        fields = ["slug", "url", "name", "kind", "city", "country", "website", "description"]


class ParticipantCountSerializer(PlainSerializer):
    category = serializers.CharField()
    count = serializers.IntegerField()


class EventSerializer(serializers.ModelSerializer):
    url = PublicUrlField()
    country = serializers.CharField(source="country.code")
    series = CategoryRefSerializer(allow_null=True)
    organisers = CategoryRefSerializer(many=True)
    practices = SlugsField(source="published_practices")
    participant_counts = ParticipantCountSerializer(many=True)

    class Meta:
        model = Event
        fields = [
            "slug",
            "url",
            "title",
            "kind",
            "series",
            "starts_at",
            "ends_at",
            "venue",
            "city",
            "country",
            "description",
            "organisers",
            "practices",
            "expected_participants",
            "participant_counts",
            "updated_at",
        ]


class EventSeriesSerializer(serializers.ModelSerializer):
    events = SlugsField(source="published_events")

    class Meta:
        model = EventSeries
        fields = ["slug", "name", "description", "year", "events"]
