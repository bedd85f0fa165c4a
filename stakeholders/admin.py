from django.contrib import admin
from import_export.admin import ImportExportModelAdmin
from simple_history.admin import SimpleHistoryAdmin

from reports.resources.stakeholders import StakeholderResource
from search import index
from stakeholders.models import Membership, Stakeholder


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Stakeholder)
class StakeholderAdmin(ImportExportModelAdmin, SimpleHistoryAdmin):
    resource_classes = [StakeholderResource]
    list_display = ["name", "kind", "city", "country"]
    list_filter = ["kind", "country"]
    search_fields = ["name", "city", "description"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [MembershipInline]

    def save_model(self, request, obj, form, change) -> None:
        super().save_model(request, obj, form, change)
        # Its name is searchable in its practices and its kind is one of their facets.
        index.refresh_after_change(obj)


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "stakeholder", "created_at"]
    list_filter = ["stakeholder__kind"]
    search_fields = ["user__username", "user__email", "stakeholder__name"]
    autocomplete_fields = ["user", "stakeholder"]
    list_select_related = ["user", "stakeholder"]
