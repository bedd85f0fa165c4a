"""Swagger UI and Redoc within the portal's Content-Security-Policy: their own templates
(templates/api/) load the sidecar's files and a style sheet from static/, with no inline
script or style and no font from another host."""

from drf_spectacular.views import SpectacularRedocView, SpectacularSwaggerSplitView


class SwaggerDocs(SpectacularSwaggerSplitView):
    """The page and, at ?script, its start-up script as a file of its own."""

    template_name = "api/swagger_ui.html"


class RedocDocs(SpectacularRedocView):
    template_name = "api/redoc.html"
