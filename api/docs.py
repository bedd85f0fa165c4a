"""Swagger UI and Redoc within the portal's Content-Security-Policy: their own templates
(templates/api/) load the sidecar's files and a style sheet from static/, with no inline
script or style and no font from another host."""

from typing import ClassVar

from csp.constants import UNSAFE_INLINE
from csp.decorators import csp_update
from django.utils.translation import get_language
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.views import (
    SpectacularAPIView,
    SpectacularRedocView,
    SpectacularSwaggerSplitView,
)


class SwaggerDocs(SpectacularSwaggerSplitView):
    """The page and, at ?script, its start-up script as a file of its own: no exception to
    the policy."""

    template_name = "api/swagger_ui.html"


class RedocDocs(SpectacularRedocView):
    template_name = "api/redoc.html"


# Redoc styles itself through styled-components, which writes <style> elements at run time:
# this page alone (a schema viewer with no user content and no form) allows inline styles;
# scripts stay the portal's own files.
redoc = csp_update({"style-src": [UNSAFE_INLINE]})(RedocDocs.as_view(url_name="api:schema"))


class OnceMadeSchemaGenerator(SchemaGenerator):
    """The schema depends on the code and the language alone: made once per process and
    language (it took 250 ms a request), as the code cannot change under a process."""

    made: ClassVar[dict] = {}

    def get_schema(self, request=None, public=False):
        key = (get_language(), self.api_version, public)
        if key not in self.made:
            self.made[key] = super().get_schema(request=request, public=public)
        return self.made[key]


schema = SpectacularAPIView.as_view(generator_class=OnceMadeSchemaGenerator)
