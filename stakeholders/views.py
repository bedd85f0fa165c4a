"""The public directory of organisations: no personal data (no members, no users)."""

from __future__ import annotations

from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import get_language

from events.models import Event
from practices.languages import localise
from practices.models import StakeholderRole, Status
from stakeholders.models import Stakeholder, StakeholderKind


def stakeholder_list(request: HttpRequest) -> HttpResponse:
    published = Q(practice_roles__practice__status=Status.PUBLISHED)
    stakeholders = Stakeholder.objects.annotate(
        practice_count=Count("practice_roles__practice", filter=published, distinct=True)
    ).order_by("kind", "name")
    groups: dict[str, list[Stakeholder]] = {}
    for stakeholder in stakeholders:
        groups.setdefault(stakeholder.kind, []).append(stakeholder)
    kinds = [
        {"kind": kind, "label": label, "stakeholders": groups[kind]}
        for kind, label in StakeholderKind.choices
        if kind in groups
    ]
    return render(request, "stakeholders/stakeholder_list.html", {"kinds": kinds})


def stakeholder_detail(request: HttpRequest, slug: str) -> HttpResponse:
    stakeholder = get_object_or_404(Stakeholder, slug=slug)
    roles = (
        StakeholderRole.objects.filter(stakeholder=stakeholder, practice__status=Status.PUBLISHED)
        .select_related("practice")
        .order_by("-practice__published_at", "practice__pk", "role")
    )
    practices: dict[int, dict] = {}
    for role in roles:
        entry = practices.setdefault(role.practice_id, {"practice": role.practice, "roles": []})
        entry["roles"].append(role.get_role_display())
    localise([entry["practice"] for entry in practices.values()], get_language())
    events = Event.objects.published().filter(organisers=stakeholder).order_by("-starts_at")
    return render(
        request,
        "stakeholders/stakeholder_detail.html",
        {"stakeholder": stakeholder, "practices": list(practices.values()), "events": events},
    )
