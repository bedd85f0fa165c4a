"""The read-only API: published practices filtered exactly as the public list, their
categories, stakeholders and events. The same querysets and rules as the public pages
(practices/views.py, events/views.py, stakeholders/views.py)."""

from __future__ import annotations

from django.db.models import Prefetch
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import generics

from api import serializers as s
from api.base import ObjectView, ReadOnlyView
from api.errors import BadParameters
from api.pagination import BySlug, NewestFirst
from api.records import attach_records
from api.schema import LANG, PracticeListSchema
from events.models import Event, EventSeries
from practices.models import (
    GcmObjective,
    GuidingPrinciple,
    InterventionArea,
    Practice,
    PracticeTranslation,
    Programme,
    Status,
    TargetGroup,
    Theme,
)
from search.facet_options import facets_and_total
from search.filters import PracticeFilter
from stakeholders.models import Stakeholder

FACETS_ON = {"1", "true", "yes"}
FACETS_OFF = {"", "0", "false", "no"}


def practices_with_relations(practices):
    """Practices with their programme and approved translations; their categories and
    stakeholders are read for a whole page by api/records.py. A fixed number of queries
    whatever their number."""
    return practices.select_related("programme").prefetch_related(
        Prefetch(
            "translations",
            queryset=PracticeTranslation.objects.published().order_by("language"),
            to_attr="approved_translations",
        ),
    )


def wants_facets(request) -> bool:
    value = request.query_params.get("facets", "").strip().lower()
    if value in FACETS_ON | FACETS_OFF:
        return value in FACETS_ON
    raise BadParameters({"facets": [_("Give facets=1 for the facets, or leave it out.")]})


def facets_data(filterset: PracticeFilter) -> tuple[dict, int]:
    facets, total = facets_and_total(filterset.data, filterset=filterset)
    shown = {
        name: [
            {"value": o.value, "label": str(o.label), "count": o.count, "selected": o.selected}
            for o in options
        ]
        for name, options in facets.items()
        if options
    }
    return shown, total or 0


class PracticeList(ReadOnlyView, generics.ListAPIView):
    """Published practices, newest first, filtered as the public practice list
    (/en/practices/): the same parameters give the same practices."""

    schema = PracticeListSchema()
    serializer_class = s.PracticeSerializer
    pagination_class = NewestFirst

    def get_queryset(self):
        return practices_with_relations(Practice.objects.published())

    def filter_queryset(self, queryset):
        self.filterset = PracticeFilter(self.request.query_params, queryset=queryset)
        if not self.filterset.is_valid():
            raise BadParameters(self.filterset.errors)
        return self.filterset.qs

    def paginate_queryset(self, queryset):
        return attach_records(super().paginate_queryset(queryset))

    def list(self, request, *args, **kwargs):
        facets = wants_facets(request)
        response = super().list(request, *args, **kwargs)
        if facets:
            response.data["facets"], response.data["count"] = facets_data(self.filterset)
        return response


@extend_schema_view(get=extend_schema(parameters=[LANG]))
class PracticeDetail(ObjectView):
    """One published practice by its slug, with its indicators and published events."""

    serializer_class = s.PracticeDetailSerializer

    def get_queryset(self):
        return practices_with_relations(Practice.objects.published()).prefetch_related(
            "indicators",
            "links",
            Prefetch(
                "events",
                queryset=Event.objects.published().order_by("-starts_at"),
                to_attr="published_events",
            ),
        )

    def get_object(self):
        return attach_records([super().get_object()])[0]

    def last_modified(self):
        practice = getattr(self, "object", None)
        if practice is None:
            return None
        dates = [practice.updated_at, *(t.updated_at for t in practice.approved_translations)]
        return max(dates)


def category_list(model, serializer, description: str):
    """A list of every category of a kind: a few dozen, in one answer."""
    view = type(
        f"{model.__name__}List",
        (ReadOnlyView, generics.ListAPIView),
        {
            "queryset": model.objects.all(),
            "serializer_class": serializer,
            "pagination_class": None,
            "__doc__": description,
        },
    )
    return extend_schema_view(get=extend_schema(parameters=[LANG]))(view)


ThemeList = category_list(Theme, s.ThemeSerializer, "Themes, by name.")
ObjectiveList = category_list(
    GcmObjective, s.ObjectiveSerializer, "Objectives of the Global Compact for Migration."
)
PrincipleList = category_list(
    GuidingPrinciple, s.PrincipleSerializer, "Guiding principles of the Global Compact."
)
TargetGroupList = category_list(TargetGroup, s.TargetGroupSerializer, "Target groups.")
AreaList = category_list(InterventionArea, s.AreaSerializer, "Areas of intervention.")
ProgrammeList = category_list(Programme, s.ProgrammeSerializer, "Programmes.")


@extend_schema_view(get=extend_schema(parameters=[LANG]))
class StakeholderList(ReadOnlyView, generics.ListAPIView):
    """Organisations taking part in practices and events, by slug (the public directory:
    organisations only, no people)."""

    queryset = Stakeholder.objects.all()
    serializer_class = s.StakeholderSerializer
    pagination_class = BySlug


@extend_schema_view(get=extend_schema(parameters=[LANG]))
class StakeholderDetail(ObjectView):
    """One organisation; its practices are /api/v1/practices/?stakeholder=<slug>."""

    queryset = Stakeholder.objects.all()
    serializer_class = s.StakeholderSerializer


def events_with_relations():
    return (
        Event.objects.published()
        .select_related("series")
        .prefetch_related(
            Prefetch("organisers", queryset=Stakeholder.objects.order_by("name")),
            Prefetch(
                "practices",
                queryset=Practice.objects.published().only("pk", "slug").order_by("slug"),
                to_attr="published_practices",
            ),
            "participant_counts",
        )
    )


@extend_schema_view(get=extend_schema(parameters=[LANG]))
class EventList(ReadOnlyView, generics.ListAPIView):
    """Published events, newest first."""

    serializer_class = s.EventSerializer
    pagination_class = NewestFirst

    def get_queryset(self):
        return events_with_relations()


@extend_schema_view(get=extend_schema(parameters=[LANG]))
class EventDetail(ObjectView):
    """One published event by its slug."""

    serializer_class = s.EventSerializer

    def get_queryset(self):
        return events_with_relations()


@extend_schema_view(get=extend_schema(parameters=[LANG]))
class EventSeriesList(ReadOnlyView, generics.ListAPIView):
    """Series having published events, with the slugs of those events."""

    serializer_class = s.EventSeriesSerializer
    pagination_class = None

    def get_queryset(self):
        published = Event.objects.published().only("pk", "slug", "series_id")
        return (
            EventSeries.objects.filter(events__status=Status.PUBLISHED)
            .distinct()
            .prefetch_related(
                Prefetch(
                    "events",
                    queryset=published.order_by("starts_at", "pk"),
                    to_attr="published_events",
                )
            )
        )
