"""Forms of the coordinators' reports: the dashboard's filters and the import upload."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from events.models import EventSeries
from practices.models import Practice
from publishing.workflow import Status
from reports.exports import EXPORT_TYPES
from reports.reading import max_bytes, too_big
from search import dimensions


def _blank(choices) -> list:
    return [("", _("Any")), *choices]


def _by_key(model, key: str, label) -> forms.ModelChoiceField:
    """An optional choice among records, sent as the key the public list uses."""
    return forms.ModelChoiceField(
        model.objects.all(), to_field_name=key, required=False, empty_label=_("Any"), label=label
    )


#: The dimensions of the public list (search/dimensions.py) the dashboard filters by.
DASHBOARD_DIMENSIONS = (
    "theme",
    "objective",
    "principle",
    "target_group",
    "area",
    "country",
    "stakeholder_kind",
)


def dimension_field(dimension) -> forms.Field:
    """A single, optional choice among a dimension's options, sent as its URL key."""
    if dimension.model is not None:
        return _by_key(dimension.model, dimension.key, dimension.label)
    return forms.ChoiceField(
        choices=_blank(dimension.key_field.flatchoices), required=False, label=dimension.label
    )


class ReportFilterForm(forms.Form):
    """Shown on the dashboard; the selection itself reads request.GET (reports.selection)
    so that the dashboard, its exports and the public list agree on every parameter."""

    status = forms.ChoiceField(choices=_blank(Status.choices), required=False, label=_("Status"))
    series = _by_key(EventSeries, "slug", _("Event series"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        chosen = {name: dimension_field(dimensions.get(name)) for name in DASHBOARD_DIMENSIONS}
        self.fields = {**chosen, **self.fields}
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
