from django.contrib import admin
from import_export.admin import ImportExportModelAdmin
from simple_history.admin import SimpleHistoryAdmin

from events.models import Event, EventSeries, ParticipantCount
from reports.resources.events import EventResource


class ParticipantCountInline(admin.TabularInline):
    model = ParticipantCount
    extra = 0


@admin.register(Event)
class EventAdmin(ImportExportModelAdmin, SimpleHistoryAdmin):
    resource_classes = [EventResource]
    list_display = ["title", "kind", "series", "starts_at", "city", "status"]
    list_filter = ["status", "kind", "series", "country"]
    search_fields = ["title", "description", "venue", "city"]
    list_select_related = ["series"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["organisation", "organisers", "practices"]
    readonly_fields = ["created_at", "updated_at", "created_by", "updated_by"]
    date_hierarchy = "starts_at"
    inlines = [ParticipantCountInline]


@admin.register(EventSeries)
class EventSeriesAdmin(admin.ModelAdmin):
    list_display = ["name", "year"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}
