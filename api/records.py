"""The categories and stakeholders of a page of practices, read as plain rows.

`prefetch_related` would build a model instance per category link and a related manager
per practice and relation: on a page of 20 to 100 practices that cost more than its
queries. One query per relation, whatever the page's size, gives the same records as dicts:
categories by slug (GCM objectives by number) with their names in the active language
(English where not translated, as the pages say them), in their models' order."""

from __future__ import annotations

from collections import defaultdict

from django.db.models import F

from practices.models import Practice, StakeholderRole
from practices.names import is_translated, localised

#: Relation of Practice -> (the fields shown, the fields ordering them).
CATEGORIES = {
    "themes": (("slug", "name"), ("name", "pk")),
    "objectives": (("number", "short_title"), ("number",)),
    "principles": (("slug", "title"), ("title", "pk")),
    "target_groups": (("slug", "name"), ("name", "pk")),
    "areas": (("slug", "name"), ("name", "pk")),
}


def _expression(model, target: str, name: str):
    return localised(f"{target}__{name}") if is_translated(model, name) else F(f"{target}__{name}")


def _links(relation: str, ids: list[int]):
    """(practice id, {field: value}) of every category of `relation` of these practices."""
    field = Practice._meta.get_field(relation)
    through, model = field.remote_field.through, field.related_model
    source, target = field.m2m_field_name(), field.m2m_reverse_field_name()
    shown, order = CATEGORIES[relation]
    names = dict.fromkeys([*shown, *order])
    rows = (
        through.objects.filter(**{f"{source}_id__in": ids})
        .annotate(**{f"v_{name}": _expression(model, target, name) for name in names})
        .order_by(*(f"v_{name}" for name in order))
        .values_list(f"{source}_id", *(f"v_{name}" for name in shown))
    )
    for practice_id, *values in rows:
        yield practice_id, dict(zip(shown, values, strict=True))


def attach_records(practices: list[Practice]) -> list[Practice]:
    """Set `practice.records` = {relation: [dict]} for the categories, cooperation levels
    and stakeholders' roles of each practice."""
    ids = [practice.pk for practice in practices]
    found: dict[int, dict[str, list]] = defaultdict(lambda: defaultdict(list))
    if ids:
        for relation in CATEGORIES:
            for practice_id, record in _links(relation, ids):
                found[practice_id][relation].append(record)
        field = Practice._meta.get_field("cooperation_levels")
        source, target = field.m2m_field_name(), field.m2m_reverse_field_name()
        levels = (
            field.remote_field.through.objects.filter(**{f"{source}_id__in": ids})
            .order_by(f"{target}__position")
            .values_list(f"{source}_id", f"{target}__code")
        )
        for practice_id, code in levels:
            found[practice_id]["cooperation_levels"].append(code)
        roles = (
            StakeholderRole.objects.filter(practice_id__in=ids)
            .order_by("role", "stakeholder__name")
            .values_list("practice_id", "stakeholder__slug", "stakeholder__name", "role")
        )
        for practice_id, slug, name, role in roles:
            found[practice_id]["stakeholders"].append({"slug": slug, "name": name, "role": role})
    for practice in practices:
        practice.records = found[practice.pk]
    return practices
