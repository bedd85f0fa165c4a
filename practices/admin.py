from django.contrib import admin
from import_export.admin import ImportExportModelAdmin
from modeltranslation.admin import TranslationAdmin
from simple_history.admin import SimpleHistoryAdmin

from practices.models import (
    GcmObjective,
    GuidingPrinciple,
    Indicator,
    InterventionArea,
    Practice,
    PracticeTranslation,
    Programme,
    StakeholderRole,
    TargetGroup,
    Theme,
)
from practices.names import in_every_language
from reports.resources.practices import PracticeResource
from search import index


class StakeholderRoleInline(admin.TabularInline):
    model = StakeholderRole
    extra = 0
    autocomplete_fields = ["stakeholder"]


class IndicatorInline(admin.TabularInline):
    model = Indicator
    extra = 0


class TranslationInline(admin.StackedInline):
    """Translations written in the admin are as reviewed as the superuser makes them:
    the status is a field here, the workspace's review is the partners' way."""

    model = PracticeTranslation
    extra = 0
    fields = ["language", "status", "title", "summary", "impact", "lessons_learnt"]


@admin.register(Practice)
class PracticeAdmin(ImportExportModelAdmin, SimpleHistoryAdmin):
    resource_classes = [PracticeResource]
    list_display = ["title", "organisation", "country", "city", "status", "published_at"]
    list_filter = [
        "status",
        "themes",
        "objectives",
        "principles",
        "target_groups",
        "areas",
        "country",
        "programme",
        "cooperation_levels",
        "stakeholders__kind",
    ]
    search_fields = ["title", "summary", "city", "local_government"]
    list_select_related = ["organisation"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["organisation"]
    filter_horizontal = ["themes", "objectives", "principles", "target_groups", "areas"]
    readonly_fields = ["created_at", "updated_at", "created_by", "updated_by"]
    date_hierarchy = "published_at"
    inlines = [StakeholderRoleInline, IndicatorInline, TranslationInline]

    def save_related(self, request, form, formsets, change) -> None:
        super().save_related(request, form, formsets, change)
        # After the inlines, so that the stakeholder names and the approved translations
        # are in the search vector.
        index.refresh_after_change(form.instance)


# TranslationAdmin shows one field per language (name_en, name_fr...). Not its tabbed
# variant: that one loads jQuery UI from a CDN, which the Content-Security-Policy refuses.
class TaxonomyAdmin(TranslationAdmin):
    list_display = ["name", "slug"]
    search_fields = [*in_every_language("name"), "slug"]
    prepopulated_fields = {"slug": ["name"]}


for taxonomy in (Theme, TargetGroup, InterventionArea, Programme):
    admin.site.register(taxonomy, TaxonomyAdmin)


@admin.register(GcmObjective)
class GcmObjectiveAdmin(TranslationAdmin):
    list_display = ["number", "short_title", "title"]
    search_fields = [*in_every_language("short_title"), *in_every_language("title")]


@admin.register(GuidingPrinciple)
class GuidingPrincipleAdmin(TranslationAdmin):
    list_display = ["title", "slug"]
    search_fields = in_every_language("title")
