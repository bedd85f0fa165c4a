"""Forms of the coordinators' reports: the dashboard's filters and the import upload."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from events.models import EventSeries
from practices.models import (
    GcmObjective,
    GuidingPrinciple,
    InterventionArea,
    Practice,
    TargetGroup,
    Theme,
)
from publishing.workflow import Status
from reports.exports import EXPORT_TYPES
from reports.imports import max_bytes, too_big
from stakeholders.models import StakeholderKind


def _blank(choices) -> list:
    return [("", _("Any")), *choices]


def _by_key(model, key: str, label) -> forms.ModelChoiceField:
    """An optional choice among a taxonomy, sent as the key the public list uses."""
    return forms.ModelChoiceField(
        model.objects.all(), to_field_name=key, required=False, empty_label=_("Any"), label=label
    )


class ReportFilterForm(forms.Form):
    """Shown on the dashboard; the selection itself reads request.GET (reports.selection)
    so that the dashboard, its exports and the public list agree on every parameter."""

    theme = _by_key(Theme, "slug", _("Theme"))
    objective = _by_key(GcmObjective, "number", _("GCM objective"))
    principle = _by_key(GuidingPrinciple, "slug", _("Guiding principle"))
    target_group = _by_key(TargetGroup, "slug", _("Target group"))
    area = _by_key(InterventionArea, "slug", _("Area of intervention"))
    country = forms.ChoiceField(required=False, label=_("Country"))
    stakeholder_kind = forms.ChoiceField(
        choices=_blank(StakeholderKind.choices), required=False, label=_("Kind of stakeholder")
    )
    status = forms.ChoiceField(choices=_blank(Status.choices), required=False, label=_("Status"))
    series = _by_key(EventSeries, "slug", _("Event series"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        used = Practice.objects.order_by().values_list("country", flat=True).distinct()
        self.fields["country"].choices = _blank(
            sorted(((code, countries.name(code)) for code in used), key=lambda pair: pair[1])
        )
        date_input = forms.DateInput(attrs={"type": "date"})
        self.fields["from"] = forms.DateField(
            required=False, label=_("Period from"), widget=date_input
        )
        self.fields["to"] = forms.DateField(required=False, label=_("Period to"), widget=date_input)

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("from"), cleaned.get("to")
        if start and end and end < start:
            raise forms.ValidationError(_("The end of the period cannot be before its start."))
        return cleaned


class ImportForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Type of records"),
        choices=[(name, export_type.label) for name, export_type in EXPORT_TYPES.items()],
    )
    file = forms.FileField(
        label=_("Spreadsheet (CSV in UTF-8, or XLSX)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx,text/csv"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > max_bytes():
            raise forms.ValidationError(too_big(upload.size))
        return upload
