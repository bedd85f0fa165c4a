"""Swagger UI and Redoc within the portal's Content-Security-Policy: their own templates
(templates/api/) load the sidecar's files and a style sheet from static/, with no inline
script or style and no font from another host."""

from csp.constants import UNSAFE_INLINE
from csp.decorators import csp_update
from drf_spectacular.views import SpectacularRedocView, SpectacularSwaggerSplitView


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
