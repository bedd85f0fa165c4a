from django import template
from django.urls import reverse

from alerts.filters import list_filters

register = template.Library()


@register.simple_tag(takes_context=True)
def alerts_url(context) -> str:
    """The page subscribing to the list being shown: its filters, a theme page's theme
    included."""
    params = list_filters(context["request"].GET)
    theme = context.get("theme")
    if theme is not None:
        params.setlist("theme", [theme.slug])
    query = params.urlencode()
    return reverse("alerts:subscribe") + (f"?{query}" if query else "")
