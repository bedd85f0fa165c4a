from django import template
from django.utils.translation import gettext as _

from publishing import access

register = template.Library()


@register.filter
def is_coordinator(user) -> bool:
    return access.is_coordinator(user)


@register.filter
def is_partner(user) -> bool:
    return access.is_partner(user)


def _reasons() -> dict[str, str]:
    # The workflow records its change reasons in English (publishing/workflow.py and
    # publishing/history.py); they are shown in the reader's language.
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
