"""The cells of the practices' spreadsheet that are not one model field: the taxonomy
columns, the stakeholders with their role and the indicators, read and written by
PracticeResource (reports/resources/practices.py) and by the SQL export.

Taxonomies are written by name (objectives by number, principles by slug) and read by
name or slug, ignoring case. Stakeholders are written with their role,
"ASTICUDE (lead)|ACPP (partner)"; indicators as "label = achieved / target unit",
"Narrative creators trained = 43 / 40 people". A malformed or unknown value raises
ValueError with the message of its row.
"""

from __future__ import annotations

import functools
import re
from decimal import Decimal, InvalidOperation

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from practices.models import Indicator, StakeholderRole
from reports.spreadsheets import Lookup, unknown
from search import dimensions
from stakeholders.models import Stakeholder

SEPARATOR = "|"


def taxonomy_fields() -> list[str]:
    return [taxonomy.path for taxonomy in dimensions.taxonomies()]


ROLE_PATTERN = re.compile(r"^(?P<name>.+)\((?P<role>[^()]*)\)\s*$")


def format_number(value: Decimal | None) -> str:
    if value is None:
        return ""
    return f"{value.normalize():f}"


def parse_number(text: str, label: str) -> Decimal | None:
    text = text.strip().replace(",", ".")
    if not text:
        return None
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise ValueError(
            _("“%(value)s” in indicator “%(label)s” is not a number.")
            % {"value": text, "label": label}
        ) from None
    if number < 0 or not number.is_finite():
        raise ValueError(
            _("Indicator “%(label)s” cannot have a negative value.") % {"label": label}
        )
    return number


def split_cell(value) -> list[str]:
    if value is None:
        return []
    return [part.strip() for part in str(value).split(SEPARATOR) if part.strip()]


@functools.cache
def role_codes(language: str | None) -> dict[str, str]:
    """{code or label in `language`, casefolded: code}: made once per language, not for
    each row."""
    roles = {code: code for code in StakeholderRole.Role.values}
    roles.update({str(label).casefold(): code for code, label in StakeholderRole.Role.choices})
    return roles


def parse_roles(value, stakeholders: Lookup) -> list[tuple[Stakeholder, str]]:
    roles = role_codes(get_language())
    parsed, missing = [], []
    for part in split_cell(value):
        match = ROLE_PATTERN.match(part)
        if not match:
            raise ValueError(
                _("“%(value)s” has no role: write it as “Name (role)”, e.g. “ASTICUDE (lead)”.")
                % {"value": part}
            )
        name, role = match["name"].strip(), match["role"].strip().casefold()
        if role not in roles:
            raise ValueError(
                _("Unknown role “%(role)s”; use one of: %(roles)s.")
                % {"role": match["role"].strip(), "roles": ", ".join(StakeholderRole.Role.values)}
            )
        stakeholder = stakeholders.find(name)
        if stakeholder is None:
            missing.append(name)
        else:
            parsed.append((stakeholder, roles[role]))
    if missing:
        raise unknown(Stakeholder, missing)
    return list(dict.fromkeys(parsed))


def parse_indicators(value) -> list[dict]:
    parsed = []
    for position, part in enumerate(split_cell(value)):
        label, equals, figures = part.rpartition("=")
        achieved, slash, rest = figures.partition("/")
        if not equals or not slash or not label.strip():
            raise ValueError(
                _(
                    "“%(value)s” is not an indicator: write “label = achieved / target unit”,"
                    " e.g. “Narrative creators trained = 43 / 40 people”."
                )
                % {"value": part}
            )
        label = label.strip()
        target_text, _space, unit = rest.strip().partition(" ")
        parsed.append(
            {
                "label": label,
                "achieved": parse_number(achieved, label),
                "target": parse_number(target_text, label),
                "unit": unit.strip(),
                "position": position,
            }
        )
    return parsed


def format_indicator(indicator: Indicator) -> str:
    text = (
        f"{indicator.label} = {format_number(indicator.achieved)} / "
        f"{format_number(indicator.target)}"
    )
    return f"{text} {indicator.unit}".rstrip()


def indicator_key(values: dict) -> tuple:
    return tuple(values[key] for key in ("label", "achieved", "target", "unit", "position"))
