from django.shortcuts import get_object_or_404, render

from events.models import Event
from practices.models import Practice, Theme


def home(request):
    # Real records before the demo's sample ones, newest first.
    practices = Practice.objects.published().order_by("is_sample", "-published_at")[:6]
    events = Event.objects.published().upcoming()[:5]
    themes = Theme.objects.all()
    return render(
        request,
        "practices/home.html",
        {"practices": practices, "events": events, "themes": themes},
    )


def practice_detail(request, slug: str):
    practice = get_object_or_404(Practice.objects.published(), slug=slug)
    return render(request, "practices/practice_detail.html", {"practice": practice})


def theme_detail(request, slug: str):
    theme = get_object_or_404(Theme, slug=slug)
    practices = Practice.objects.published().in_theme(theme)
    return render(request, "practices/theme_detail.html", {"theme": theme, "practices": practices})
