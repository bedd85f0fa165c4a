"""The portal's URLs plus two admin sites used only by `manage.py bench`.

The peers of our practice list are Django's stock admin changelist: the portal's own
admin (12 filters) with facets always shown, and a plain admin of 5 filters without
facets, the admin a project would start with. Both live on their own AdminSite so that
the real admin stays exactly as configured.
"""

from django.contrib import admin
from django.urls import path

from nador_portal.urls import urlpatterns as portal_urlpatterns
from practices.admin import PracticeAdmin
from practices.models import Practice


class FacetedPracticeAdmin(PracticeAdmin):
    show_facets = admin.ShowFacets.ALWAYS
    # Only the changelist is measured; the change form's autocompletes would need the
    # stakeholder admin on this site too.
    autocomplete_fields = []
    inlines = []


class PlainPracticeAdmin(admin.ModelAdmin):
    list_display = ["title", "organisation", "country", "status"]
    list_filter = ["status", "themes", "country", "target_groups", "areas"]
    search_fields = ["title", "summary", "city", "local_government"]
    list_select_related = ["organisation"]


bench_admin = admin.AdminSite(name="bench_admin")
bench_admin.register(Practice, FacetedPracticeAdmin)
plain_admin = admin.AdminSite(name="bench_plain_admin")
plain_admin.register(Practice, PlainPracticeAdmin)

urlpatterns = [
    path("bench-admin/", bench_admin.urls),
    path("bench-plain-admin/", plain_admin.urls),
    *portal_urlpatterns,
]
