from django import template
from django.utils.translation import gettext as _

from stakeholders.models import is_coordinator as _is_coordinator
from stakeholders.models import organisation_ids_of

register = template.Library()


@register.filter
def is_coordinator(user) -> bool:
    return _is_coordinator(user)


@register.filter
def is_partner(user) -> bool:
    return bool(organisation_ids_of(user))


def _reasons() -> dict[str, str]:
    # The workflow records its change reasons in English (practices/workflow.py and
    # practices/history.py); they are shown in the reader's language.
    return {
        "Created": _("Created"),
        "Edited": _("Edited"),
        "Submitted for review": _("Submitted for review"),
        "Published": _("Published"),
        "Changes requested": _("Changes requested"),
        "Archived": _("Archived"),
        "Reverted to the version of": _("Reverted to the version of"),
    }


@register.filter
def change_reason(reason: str | None) -> str:
    """A recorded change reason with its known prefix translated; the comment stays."""
    if not reason:
        return _("Saved")
    for prefix, translated in _reasons().items():
        if reason == prefix or reason.startswith(prefix + ":") or reason.startswith(prefix + " "):
            return translated + reason[len(prefix) :]
    return reason
