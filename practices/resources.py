"""The spreadsheet layout of practices, used by the admin, the coordinators' exports and
imports, the open-data download and the export_data / import_data commands.

Taxonomies are written by name (objectives by number, principles by slug) and read by
name or slug, ignoring case. Stakeholders are written with their role,
"ASTICUDE (lead)|ACPP (partner)"; indicators as "label = achieved / target unit",
"Narrative creators trained = 43 / 40 people". An unknown value is an error of its row.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from import_export import fields, resources, widgets

from practices.models import (
    CooperationLevel,
    GcmObjective,
    GuidingPrinciple,
    Indicator,
    InterventionArea,
    Practice,
    Programme,
    StakeholderRole,
    TargetGroup,
    Theme,
)
from practices.spreadsheets import (
    Lookup,
    NameOrSlugForeignKeyWidget,
    PortalResourceMixin,
    choice_field,
    names_field,
    unknown,
)
from practices.workflow import Status
from stakeholders.models import Stakeholder

SEPARATOR = "|"
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


def parse_roles(value, stakeholders: Lookup) -> list[tuple[Stakeholder, str]]:
    roles = {code: code for code in StakeholderRole.Role.values}
    roles.update({str(label).casefold(): code for code, label in StakeholderRole.Role.choices})
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


class PracticeResource(PortalResourceMixin, resources.ModelResource):
    organisation = fields.Field(
        attribute="organisation",
        column_name="organisation",
        widget=NameOrSlugForeignKeyWidget(Stakeholder),
    )
    programme = fields.Field(
        attribute="programme",
        column_name="programme",
        widget=NameOrSlugForeignKeyWidget(Programme),
    )
    country = fields.Field(attribute="country", column_name="country")
    status = choice_field("status", Status.choices)
    language = choice_field("language", settings.LANGUAGES)
    is_sample = fields.Field(
        attribute="is_sample",
        column_name="is_sample",
        widget=widgets.BooleanWidget(),
        default=False,
    )
    themes = names_field("themes", Theme)
    objectives = names_field("objectives", GcmObjective, keys=("number", "short_title"))
    principles = names_field("principles", GuidingPrinciple, keys=("slug", "title"))
    target_groups = names_field("target_groups", TargetGroup)
    areas = names_field("areas", InterventionArea)
    cooperation_levels = names_field("cooperation_levels", CooperationLevel, keys=("code", "name"))
    # Rows of other tables, read and written by the methods below.
    stakeholders = fields.Field(column_name="stakeholders")
    indicators = fields.Field(column_name="indicators")

    required_columns = ("slug", "title", "status", "organisation", "summary", "country")
    export_select_related = ("organisation", "programme")
    export_prefetch_related = (
        "themes",
        "objectives",
        "principles",
        "target_groups",
        "areas",
        "cooperation_levels",
        "indicators",
        "roles__stakeholder",
    )

    class Meta:
        model = Practice
        import_id_fields = ["slug"]
        fields = [
            "slug",
            "title",
            "status",
            "organisation",
            "summary",
            "impact",
            "lessons_learnt",
            "city",
            "local_government",
            "country",
            "mayor",
            "start_date",
            "end_date",
            "programme",
            "cooperation_levels",
            "language",
            "themes",
            "objectives",
            "principles",
            "target_groups",
            "areas",
            "stakeholders",
            "indicators",
            "is_sample",
            "published_at",
        ]
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True
        skip_html_diff = True

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.stakeholder_lookup = Lookup(Stakeholder, ("name", "slug"))

    def before_import(self, dataset, **kwargs):
        super().before_import(dataset, **kwargs)
        self.stakeholder_lookup.reset()

    def dehydrate_stakeholders(self, practice: Practice) -> str:
        return SEPARATOR.join(
            f"{role.stakeholder.name} ({role.role})" for role in practice.roles.all()
        )

    def dehydrate_indicators(self, practice: Practice) -> str:
        return SEPARATOR.join(
            format_indicator(indicator) for indicator in practice.indicators.all()
        )

    def import_instance(self, instance, row, **kwargs):
        errors: dict = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        parsers = {
            "stakeholders": lambda value: parse_roles(value, self.stakeholder_lookup),
            "indicators": parse_indicators,
        }
        for column, parse in parsers.items():
            if column in row:
                try:
                    setattr(instance, f"_import_{column}", parse(row[column]))
                except ValueError as error:
                    errors[column] = [str(error)]
        if errors:
            raise ValidationError(errors)

    def skip_row(self, instance, original, row, import_validation_errors=None):
        if instance.pk is None or not super().skip_row(
            instance, original, row, import_validation_errors
        ):
            return False
        return self._roles_unchanged(instance) and self._indicators_unchanged(instance)

    def _roles_unchanged(self, instance) -> bool:
        wanted = getattr(instance, "_import_stakeholders", None)
        if wanted is None:
            return True
        current = {(role.stakeholder_id, role.role) for role in instance.roles.all()}
        return current == {(stakeholder.pk, role) for stakeholder, role in wanted}

    def _indicators_unchanged(self, instance) -> bool:
        wanted = getattr(instance, "_import_indicators", None)
        if wanted is None:
            return True
        current = [
            indicator_key({**vars(indicator), "position": position})
            for position, indicator in enumerate(instance.indicators.all())
        ]
        return current == [indicator_key(values) for values in wanted]

    def save_m2m(self, instance, row, **kwargs):
        super().save_m2m(instance, row, **kwargs)
        roles = getattr(instance, "_import_stakeholders", None)
        if roles is not None:
            wanted = {(stakeholder.pk, role) for stakeholder, role in roles}
            for existing in instance.roles.all():
                if (existing.stakeholder_id, existing.role) not in wanted:
                    existing.delete()
            for stakeholder, role in roles:
                StakeholderRole.objects.get_or_create(
                    practice=instance, stakeholder=stakeholder, role=role
                )
        indicators = getattr(instance, "_import_indicators", None)
        if indicators is not None and not self._indicators_unchanged(instance):
            instance.indicators.all().delete()
            Indicator.objects.bulk_create(
                Indicator(practice=instance, **values) for values in indicators
            )

    def after_import(self, dataset, result, **kwargs) -> None:
        super().after_import(dataset, result, **kwargs)
        if not kwargs.get("dry_run"):
            Practice.objects.filter(
                slug__in=[row.get("slug") for row in dataset.dict]
            ).refresh_derived()
