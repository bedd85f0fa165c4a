"""The portal's URLs plus a second admin site used only by `manage.py bench`.

The peer of our practice list is Django's stock admin changelist with facets always shown;
it lives on its own AdminSite so that the real admin stays exactly as configured.
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


bench_admin = admin.AdminSite(name="bench_admin")
bench_admin.register(Practice, FacetedPracticeAdmin)

urlpatterns = [path("bench-admin/", bench_admin.urls), *portal_urlpatterns]
