from django import template

from stakeholders.models import is_coordinator as _is_coordinator
from stakeholders.models import organisation_ids_of

register = template.Library()


@register.filter
def is_coordinator(user) -> bool:
    return _is_coordinator(user)


@register.filter
def is_partner(user) -> bool:
    return bool(organisation_ids_of(user))
