"""The public directory of organisations: no personal data (no members, no users)."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import get_language

from events.models import Event
from practices.languages import localise
from practices.models import Practice, StakeholderRole
from search import counts
from stakeholders.models import Stakeholder, StakeholderKind

PER_PAGE = 60
PRACTICES_SHOWN = 20


def stakeholder_list(request: HttpRequest) -> HttpResponse:
    """The directory, a page at a time (a large programme has thousands of organisations),
    by kind; `?kind=` shows one kind."""
    labels = dict(StakeholderKind.choices)
    kind = request.GET.get("kind", "")
    if kind and kind not in labels:
        raise Http404("No such kind of organisation.")
    stakeholders = Stakeholder.objects.order_by("kind", "name", "pk")
    if kind:
        stakeholders = stakeholders.filter(kind=kind)
    page = Paginator(
        stakeholders.only("name", "slug", "kind", "city", "country"), PER_PAGE
    ).get_page(request.GET.get("page"))
    practices = counts.practices_per_value("stakeholder", [str(s.pk) for s in page])
    groups: dict[str, list[Stakeholder]] = {}
    for stakeholder in page:
        stakeholder.practice_count = practices.get(str(stakeholder.pk), 0)
        groups.setdefault(stakeholder.kind, []).append(stakeholder)
    present = set(Stakeholder.objects.order_by().values_list("kind", flat=True).distinct())
    return render(
        request,
        "stakeholders/stakeholder_list.html",
        {
            "kinds": [
                {"kind": key, "label": labels[key], "stakeholders": groups[key]}
                for key in labels
                if key in groups
            ],
            "kind_links": [(key, label) for key, label in labels.items() if key in present],
            "kind": kind,
            "page": page,
            "page_range": page.paginator.get_elided_page_range(page.number, on_ends=1),
            "page_prefix": f"?kind={kind}&" if kind else "?",
        },
    )


def stakeholder_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """The organisation, its newest published practices with its roles in them (all of them
    are one link away, in the list filtered by the organisation) and its events."""
    stakeholder = get_object_or_404(Stakeholder, slug=slug)
    newest = list(
        Practice.objects.published()
        .filter(pk__in=StakeholderRole.objects.filter(stakeholder=stakeholder).values("practice"))
        .order_by("-published_at", "pk")
        .only("slug", "title", "language", "is_sample")[:PRACTICES_SHOWN]
    )
    roles: dict[int, list[str]] = {}
    for role in StakeholderRole.objects.filter(
        stakeholder=stakeholder, practice__in=newest
    ).order_by("role"):
        roles.setdefault(role.practice_id, []).append(role.get_role_display())
    localise(newest, get_language())
    total = counts.practices_per_value("stakeholder", [str(stakeholder.pk)]).get(
        str(stakeholder.pk), 0
    )
    events = Event.objects.published().filter(organisers=stakeholder).order_by("-starts_at")
    return render(
        request,
        "stakeholders/stakeholder_detail.html",
        {
            "stakeholder": stakeholder,
            "practices": [{"practice": p, "roles": roles.get(p.pk, [])} for p in newest],
            "practice_count": total,
            "events": events,
        },
    )
